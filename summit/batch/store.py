"""Batch tables on disk: finished chunks as parts in a sidecar folder, and the final file.

    results.parquet.parts/
        manifest.json          scenario path and sha256, seed, runs, chunk, columns, and the
                               sha256 of every finished part
        part-000000.arrow      chunk 0 (Arrow IPC, zstd; written to a temporary name, then renamed)
        part-000001.arrow      ...
        assembling.parquet     the final file so far, in run order
    results.parquet.lock       held by the batch writing results.parquet (summit/batch/lock.py)

A part is on disk only once it is whole, so an interrupted batch keeps every finished chunk and
``--resume`` plays only the missing ones; ``Parts.verify`` checks every part against its
checksum first, and a damaged or missing part is played again (runs are deterministic). While
the batch plays, ``TableWriter`` appends chunks in run order to the final file (Parquet with
fixed row groups, so the file does not depend on the chunk size, or CSV); at the end
``Parts.finish`` renames it into place and removes the folder. Memory stays at about one row
group whatever the number of runs.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from summit.batch.names import codes_of, named_array
from summit.errors import UsageError, writing

FORMATS = {".parquet": "parquet", ".csv": "csv"}
ROW_GROUP = 65_536
MANIFEST_VERSION = 1
_IPC = pa.ipc.IpcWriteOptions(compression="zstd")


def output_format(path: str | Path) -> str:
    """'parquet' or 'csv' by the file's extension, else a UsageError."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = " or ".join(FORMATS)
        raise UsageError(
            f"{path}: unknown output format '{suffix or '(no extension)'}' (use {known})"
        )
    return FORMATS[suffix]


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def to_table(
    columns: dict[str, np.ndarray], names: dict[str, tuple[str, ...]] | None = None
) -> pa.Table:
    """Columns as an Arrow table; those in ``names`` (batch.names) stored as words."""
    names = names or {}
    arrays = [
        named_array(col, names[k]) if k in names else _arrow(col) for k, col in columns.items()
    ]
    return pa.Table.from_arrays(arrays, names=list(columns))


def from_table(
    table: pa.Table, names: dict[str, tuple[str, ...]] | None = None
) -> dict[str, np.ndarray]:
    """Arrow columns as numpy arrays; named columns back to their codes (by ``names``, the
    words, when the table may come from Parquet rather than this batch's own parts)."""
    names = names or {}
    return {
        name: np.concatenate(
            [
                codes_of(c, names.get(name)) if pa.types.is_dictionary(c.type) else _numpy(c)
                for c in table.column(name).chunks
            ]
        )
        for name in table.column_names
    }


def _arrow(col: np.ndarray) -> pa.Array:
    """A numpy column as an Arrow array, from its buffer (pa.array would import pandas, 1 s)."""
    col = np.ascontiguousarray(col)
    if col.dtype == bool:
        return pa.Array.from_buffers(
            pa.bool_(), len(col), [None, pa.py_buffer(np.packbits(col, bitorder="little"))]
        )
    return pa.Array.from_buffers(
        pa.from_numpy_dtype(col.dtype), len(col), [None, pa.py_buffer(col)]
    )


def _numpy(arr: pa.Array) -> np.ndarray:
    """An Arrow array as numpy, from its buffer (to_numpy would import pandas)."""
    end, data = arr.offset + len(arr), arr.buffers()[1]
    if arr.type == pa.bool_():
        bits = np.unpackbits(np.frombuffer(data, dtype=np.uint8), bitorder="little")
        return bits[arr.offset : end].astype(bool)
    dtype = np.dtype({"double": "float64", "float": "float32"}.get(str(arr.type), str(arr.type)))
    return np.frombuffer(data, dtype=dtype, count=end)[arr.offset :]


class Parts:
    """The sidecar folder of one batch's output file."""

    def __init__(self, out: str | Path):
        self.out = Path(out)
        self.folder = self.out.with_name(self.out.name + ".parts")
        self.manifest_path = self.folder / "manifest.json"
        self.manifest: dict = {}

    def part(self, index: int) -> Path:
        return self.folder / f"part-{index:06d}.arrow"

    def exists(self) -> bool:
        return self.manifest_path.exists()

    def read_manifest(self) -> dict:
        try:
            self.manifest = json.loads(self.manifest_path.read_text())
        except (OSError, ValueError) as err:
            raise UsageError(
                f"{self.manifest_path}: cannot read the batch manifest ({err})"
            ) from None
        return self.manifest

    def create(self, manifest: dict) -> None:
        """Start a new batch: an empty folder with its manifest. Refuses to overwrite an
        unfinished batch (its finished chunks would be lost)."""
        if self.exists():
            raise UsageError(
                f"{self.folder} holds an unfinished batch: add --resume to finish it "
                "(or remove the folder to start again)"
            )
        with writing(self.out):
            if self.out.is_dir():
                raise IsADirectoryError(errno.EISDIR, "it is a folder")
            self.folder.mkdir(exist_ok=True)
            for stale in self.folder.glob("part-*"):
                stale.unlink()
            self.manifest = {**manifest, "parts": {}}
            self._save_manifest()

    def _save_manifest(self) -> None:
        text = json.dumps(self.manifest, indent=2) + "\n"
        with writing(self.manifest_path):
            self._atomic(self.manifest_path, lambda p: p.write_text(text))

    def done(self) -> set[int]:
        """Indices of the chunks already on disk."""
        return {int(p.stem.split("-")[1]) for p in self.folder.glob("part-*.arrow")}

    def write(self, index: int, table: pa.Table) -> None:
        def save(path: Path) -> None:
            with (
                pa.OSFile(str(path), "wb") as sink,
                pa.ipc.new_file(sink, table.schema, options=_IPC) as w,
            ):
                w.write_table(table)

        with writing(self.part(index)):
            self._atomic(self.part(index), save)
        self.manifest.setdefault("parts", {})[str(index)] = file_sha256(self.part(index))
        self._save_manifest()

    def verify(self, chunks: int) -> list[tuple[int, str]]:
        """Check every part on disk or in the manifest against its sha256; remove those that
        fail. Returns the chunks to play again, each with what was wrong."""
        sums = self.manifest.setdefault("parts", {})
        bad = []
        for index in sorted(self.done() | {int(k) for k in sums}):
            path, want = self.part(index), sums.get(str(index))
            if index >= chunks:
                problem = "is not a chunk of this batch"
            elif not path.exists():
                problem = "is missing"
            elif want is None:
                problem = "has no checksum in the manifest"
            elif file_sha256(path) != want:
                problem = "is damaged (its checksum differs)"
            else:
                continue
            bad.append((index, f"{path.name} {problem}"))
            sums.pop(str(index), None)
            with writing(path):
                path.unlink(missing_ok=True)
        if bad:
            self._save_manifest()
        return bad

    def read(self, index: int) -> pa.Table:
        with pa.memory_map(str(self.part(index))) as source:
            return pa.ipc.open_file(source).read_all()

    def writer(self) -> TableWriter:
        """A writer of the final file, under a temporary name in the folder."""
        return TableWriter(
            self.folder / ("assembling" + self.out.suffix.lower()), output_format(self.out)
        )

    def finish(self, writer: TableWriter) -> None:
        """Put the finished file in place and remove the folder."""
        with writing(self.out):
            writer.close()
            os.replace(writer.path, self.out)
            shutil.rmtree(self.folder)

    @staticmethod
    def _atomic(path: Path, save: Callable[[Path], None]) -> None:
        """Write through a temporary name; a failed write leaves no half file (and frees its
        room)."""
        tmp = path.with_name(path.name + ".tmp")
        try:
            save(tmp)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


class TableWriter:
    """Appends tables to a Parquet file in row groups of ROW_GROUP rows, or to a CSV file."""

    def __init__(self, path: Path, fmt: str):
        self.path, self.fmt = path, fmt
        self._writer = None
        self._pending: list[pa.Table] = []

    def write(self, table: pa.Table) -> None:
        with writing(self.path):
            self._write(table)

    def _write(self, table: pa.Table) -> None:
        if self._writer is None:
            self._writer = (
                pq.ParquetWriter(
                    str(self.path), table.schema, compression="zstd", use_dictionary=False
                )
                if self.fmt == "parquet"
                else pacsv.CSVWriter(str(self.path), table.schema)
            )
        if self.fmt == "csv":
            self._writer.write_table(table)
            return
        self._pending.append(table)
        if sum(len(t) for t in self._pending) >= ROW_GROUP:
            self._flush(final=False)

    def _flush(self, final: bool) -> None:
        """Write whole row groups (and, at the end, the rest)."""
        table = pa.concat_tables(self._pending)
        whole = len(table) if final else len(table) // ROW_GROUP * ROW_GROUP
        for a in range(0, whole, ROW_GROUP):
            self._writer.write_table(
                table.slice(a, min(ROW_GROUP, whole - a)), row_group_size=ROW_GROUP
            )
        self._pending = [table.slice(whole)] if whole < len(table) else []

    def close(self) -> None:
        if self._writer is not None:
            if self._pending:
                self._flush(final=True)
            self._writer.close()

    def discard(self) -> None:
        """Give up the file (the parts are what counts; --resume writes it again): close it
        whatever happens, and remove it so that its room is free."""
        try:
            if self._writer is not None:
                self._writer.close()
        except (OSError, pa.ArrowException):
            pass
        self._writer, self._pending = None, []
        self.path.unlink(missing_ok=True)
