"""Batches: in memory (``simulate``) or to a file with resume (``write_batch``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from summit.batch import execute
from summit.batch.engine import ENGINES, chunk_bounds, play_chunk
from summit.batch.lock import BatchLock
from summit.batch.store import Parts, file_sha256, from_table, output_format, to_table
from summit.batch.summary import Summary
from summit.errors import MachineFault, UsageError, out_of_room
from summit.scenario import Spec, load_spec

DEFAULT_CHUNK = 8192


def _check(runs: int, chunk: int, engine: str) -> None:
    if runs < 1:
        raise UsageError(f"--runs must be at least 1 (got {runs})")
    if chunk < 1:
        raise UsageError(f"--chunk must be at least 1 (got {chunk})")
    if engine not in ENGINES:
        raise UsageError(f"unknown engine '{engine}' (engines: {', '.join(ENGINES)})")


def simulate(spec: Spec | str | Path, runs: int, seed: int = 0, *, overrides: dict | None = None,
             jobs: int | None = 1, chunk: int = DEFAULT_CHUNK, engine: str = "array",
             dask: str | None = None) -> dict[str, np.ndarray]:
    """Play ``runs`` summits and return the batch table as columns held in memory.

    ``spec`` is a compiled Spec or a scenario path. Run i's seed is ``rng.run_seeds(seed, i, i+1)``
    (column ``run_seed``), so ``summit run SCENARIO --seed <run_seed>`` replays a row, and the
    columns are the same whatever ``jobs``, ``chunk``, ``engine`` or ``dask`` (an address).
    Columns: run, run_seed, the sampled parameters, the outcomes (see ``summit.outcomes``).

    ``overrides`` sets parameters by name for every run: ``{"russia.capability": 0.8}``, or one
    value per run: ``{"russia.capability": np.linspace(0, 1, runs)}`` (for maps and sensitivity
    analyses). Meant for modest sizes (a column is ``runs`` long); for millions use
    ``write_batch``. ``summarize(simulate(...), spec)`` gives frequencies and quantiles.
    """
    spec = spec if isinstance(spec, Spec) else load_spec(spec)
    _check(runs, chunk, engine)
    for name, value in (overrides or {}).items():
        if np.ndim(value) and len(value) != runs:
            raise UsageError(f"override {name}: {len(value)} values for {runs} runs")
    bounds = [(k, a, b) for k, (a, b) in enumerate(chunk_bounds(runs, chunk))]
    chunks: list[dict] = []
    ordered = InOrder(chunks.append)
    with execute.executor(jobs, dask, tasks=len(bounds)) as (pool, width):
        for index, cols in execute.played(spec, seed, bounds, engine=engine, overrides=overrides,
                                          pool=pool, width=width):
            ordered.arrived(index, cols)
    return {name: np.concatenate([c[name] for c in chunks]) for name in chunks[0]}


class InOrder:
    """Hands chunks to ``emit`` in index order as they arrive in any order. An early arrival
    waits in memory, or, given ``load(index)``, on disk (so memory does not grow with a slow
    chunk); ``done`` lists chunks already on disk from an earlier session."""

    def __init__(self, emit: Callable[[Any], None], load: Callable[[int], Any] | None = None,
                 done: set[int] = frozenset()):
        self.emit, self.load, self.next = emit, load, 0
        self.waiting: dict[int, Any] = dict.fromkeys(done)

    def arrived(self, index: int | None = None, chunk: Any = None) -> None:
        """Chunk ``index`` is done (None: only hand on what is ready)."""
        if index is not None:
            self.waiting[index] = None if self.load else chunk
        while self.next in self.waiting:
            held = self.waiting.pop(self.next)
            self.emit(chunk if self.next == index else held if self.load is None else self.load(self.next))
            self.next += 1


@dataclass
class BatchReport:
    """What ``write_batch`` did: the summary of every run, and how long playing took."""

    summary: Summary
    runs: int          # runs in the table
    played: int        # runs played now (fewer when resuming)
    seconds: float     # time spent playing
    out: Path | None
    replayed: list[str] = field(default_factory=list)  # damaged or missing parts played again


def write_batch(scenario: str | Path, runs: int, seed: int, out: str | Path | None = None, *,
                jobs: int | None = None, chunk: int | None = None, engine: str = "array",
                dask: str | None = None, dask_timeout: float = 5.0, resume: bool = False,
                on_chunk: Callable[[int, int], None] | None = None) -> BatchReport:
    """Play a batch of ``runs`` summits of the scenario file with batch seed ``seed``.

    With ``out`` (.parquet or .csv), finished chunks go to ``<out>.parts/`` as they come and,
    in run order, into the final file, which replaces ``out`` at the end. An interruption keeps
    the finished chunks; ``resume=True`` plays only the missing ones (same scenario file
    contents, seed and runs required), giving the very file an uninterrupted batch gives.
    Without ``out`` only the summary is kept. ``jobs``, ``chunk`` and ``dask`` as in ``simulate``
    (default: every core; chunks of DEFAULT_CHUNK runs).
    ``on_chunk(runs_done, runs_total)`` is called after every chunk (for a progress bar).
    Bad input raises UsageError (or ScenarioError) before anything on disk changes. A write the
    machine refuses raises MachineFault saying how many runs are kept. ``<out>.lock`` keeps a
    second batch off the same file while this one runs.
    """
    with nullcontext() if out is None else BatchLock(out):
        return _write_batch(scenario, runs, seed, out, jobs=jobs, chunk=chunk, engine=engine,
                            dask=dask, dask_timeout=dask_timeout, resume=resume, on_chunk=on_chunk)


def _write_batch(scenario: str | Path, runs: int, seed: int, out: str | Path | None = None, *,
                 jobs: int | None = None, chunk: int | None = None, engine: str = "array",
                 dask: str | None = None, dask_timeout: float = 5.0, resume: bool = False,
                 on_chunk: Callable[[int, int], None] | None = None) -> BatchReport:
    _check(runs, chunk or DEFAULT_CHUNK, engine)
    path = Path(scenario)
    spec = load_spec(path)
    parts = None if out is None else Parts(out)
    if parts is not None:
        output_format(parts.out)
    table_columns = columns(spec)
    manifest = {"summit_batch": 1, "scenario": str(path), "scenario_sha256": file_sha256(path), "seed": seed,
                "runs": runs, "chunk": chunk or DEFAULT_CHUNK, "columns": table_columns}
    done: set[int] = set()
    replayed: list[tuple[int, str]] = []
    if resume:
        if parts is None:
            raise UsageError("--resume needs --out: the file of the batch to finish")
        if not parts.exists():
            done_already = f" ({parts.out} is complete)" if parts.out.exists() else ""
            raise UsageError(f"nothing to resume: {parts.folder} does not exist{done_already}")
        manifest = _resumable(parts.read_manifest(), manifest, chunk, parts)
        replayed = parts.verify(len(chunk_bounds(runs, manifest["chunk"])))
        done = parts.done()
    bounds = chunk_bounds(runs, manifest["chunk"])
    todo = [(k, a, b) for k, (a, b) in enumerate(bounds) if k not in done]
    finished = runs - sum(b - a for _, a, b in todo)
    sampled = {s.name for s in spec.sampled_slots()}
    summary = Summary(spec, names=[k for k in table_columns if k not in sampled and k not in ("run", "run_seed")])

    with execute.executor(jobs, dask, dask_timeout, tasks=len(todo)) as (pool, width):
        if parts is not None and not resume:
            parts.create(manifest)
        writer = None if parts is None else parts.writer()

        def emit(chunk: tuple[dict, object]) -> None:  # every chunk, in run order
            cols, table = chunk
            summary.add(cols)
            if writer is not None:
                writer.write(table)

        def load(index: int) -> tuple[dict, object]:
            table = parts.read(index)
            return from_table(table), table

        ordered = InOrder(emit, None if parts is None else load, done)
        start = time.perf_counter()
        try:
            ordered.arrived()  # chunks of an earlier session first
            if on_chunk:
                on_chunk(finished, runs)
            for index, cols in execute.played(spec, seed, todo, engine=engine, pool=pool, width=width):
                table = None
                if parts is not None:
                    table = to_table(cols)
                    parts.write(index, table)
                ordered.arrived(index, (cols, table))
                finished += len(cols["run"])
                if on_chunk:
                    on_chunk(finished, runs)
        except BaseException as err:
            if writer is not None:
                writer.discard()  # the parts are what counts; --resume writes the file again
            if isinstance(err, MachineFault) and parts is not None:
                raise _kept(err, parts, bounds) from None
            raise
        seconds = time.perf_counter() - start
    if parts is not None:
        try:
            parts.finish(writer)
        except MachineFault as err:
            writer.discard()
            raise _kept(err, parts, bounds) from None
    played = sum(b - a for _, a, b in todo)
    notes = [f"{what}: played its runs {bounds[k][0]:,}-{bounds[k][1] - 1:,} again"
             for k, what in replayed]
    return BatchReport(summary, runs, played, seconds, None if parts is None else parts.out, notes)


def _kept(fault: MachineFault, parts: Parts, bounds: list[tuple[int, int]]) -> MachineFault:
    """The fault, saying how many finished runs are kept and how to finish the batch."""
    if not parts.folder.exists():
        return fault
    done = parts.done()
    kept = sum(b - a for k, (a, b) in enumerate(bounds) if k in done)
    when = "once there is room" if out_of_room(fault) else "once it can be written"
    return MachineFault(f"{fault}; {kept:,} of {bounds[-1][1]:,} runs are kept in {parts.folder} "
                        f"(the same command with --resume finishes the batch {when})", fault.errno)


def columns(spec: Spec) -> dict[str, str]:
    """The batch table's columns and their types (from one quick run)."""
    return {name: str(col.dtype) for name, col in play_chunk(spec, 0, np.zeros(1, dtype=np.int64)).items()}


def _resumable(old: dict, new: dict, chunk: int | None, parts: Parts) -> dict:
    """The manifest to go on with, or a UsageError saying why these parts do not fit."""
    where = parts.folder
    if old.get("scenario_sha256") != new["scenario_sha256"]:
        if old.get("scenario") == new["scenario"]:
            raise UsageError(f"cannot resume: {new['scenario']} has changed since {where} was started")
        raise UsageError(f"cannot resume: {where} was made from another scenario ({old.get('scenario')}, "
                         f"not {new['scenario']})")
    for key in ("seed", "runs"):
        if old.get(key) != new[key]:
            raise UsageError(f"cannot resume: {where} was made with --{key} {old.get(key)}, not {new[key]}")
    if chunk is not None and chunk != old.get("chunk"):
        raise UsageError(f"cannot resume: {where} was made with --chunk {old.get('chunk')}, not {chunk}")
    if old.get("columns") != new["columns"]:
        raise UsageError(f"cannot resume: {where} has other columns than this version of summit makes")
    return old
