"""Batches: in memory (``simulate``) or to a file with resume (``write_batch``)."""

from __future__ import annotations

import functools
import json
import time
import tracemalloc
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from summit import overrides
from summit.batch import execute
from summit.batch.engine import ENGINES, chunk_bounds, play_chunk, table_schema
from summit.batch.execute import default_jobs
from summit.batch.lock import BatchLock
from summit.batch.names import vocabularies
from summit.batch.store import (
    ROW_GROUP,
    Parts,
    file_sha256,
    from_table,
    output_format,
    to_table,
)
from summit.batch.summary import Summary
from summit.errors import MachineFault, UsageError, out_of_room
from summit.rng import run_seeds
from summit.scenario import Spec, load_spec

DEFAULT_CHUNK = 8192  # the most runs a chunk holds (beyond it chunks gain no speed)
DEFAULT_MEMORY = 1 << 30  # the memory budget of a whole batch: 1 GiB
PROBE_RUNS = 16  # runs played under tracemalloc to measure a run's peak memory
HEADROOM = 1.25  # numba's own arrays and fragmentation, beyond what numpy reports
# A process that has imported summit and played a run: about 200 MB resident (measured on
# Linux, CPython 3.12; 120 MB of it shared libraries, shared with forked workers: a margin).
PROCESS_BYTES = 200 << 20
SUMMARY_SAMPLE = 50_000  # rows the streaming summary keeps for its quantiles


def _check(runs: int, chunk: int | None, engine: str, seed: int = 0) -> None:
    if not 0 <= seed < 1 << 63:
        raise UsageError(f"seed must be a whole number from 0 to 2**63 - 1 (got {seed})")
    if runs < 1:
        raise UsageError(f"runs must be at least 1 (got {runs})")
    if chunk is not None and chunk < 1:
        raise UsageError(f"chunk must be at least 1 (got {chunk})")
    if engine not in ENGINES:
        raise UsageError(f"unknown engine '{engine}' (engines: {', '.join(ENGINES)})")


def simulate(
    spec: Spec | str | Path,
    runs: int,
    seed: int = 0,
    *,
    overrides: dict | None = None,
    jobs: int | None = 1,
    chunk: int | None = None,
    engine: str = "array",
    dask: str | None = None,
    memory: int | None = None,
) -> dict[str, np.ndarray]:
    """Play ``runs`` summits and return the batch table as columns held in memory.

    ``spec`` is a compiled Spec or a scenario path. Run i's seed is ``rng.run_seeds(seed, i, i+1)``
    (column ``run_seed``), so ``summit run SCENARIO --seed <run_seed>`` replays a row, and the
    columns are the same whatever ``jobs``, ``chunk``, ``engine`` or ``dask`` (an address).
    Columns: run, run_seed, the sampled parameters, the outcomes (see ``summit.outcomes``).

    ``overrides`` sets parameters by name for every run: ``{"russia.capability": 0.8}``, or one
    value per run: ``{"russia.capability": np.linspace(0, 1, runs)}`` (for maps and sensitivity
    analyses). Meant for modest sizes (a column is ``runs`` long); for millions use
    ``write_batch``. ``summarize(simulate(...), spec)`` gives frequencies and quantiles.
    ``chunk`` defaults to what ``memory`` (bytes, default 1 GiB) allows, as in ``write_batch``.
    """
    spec = spec if isinstance(spec, Spec) else load_spec(spec)
    _check(runs, chunk, engine, seed)
    if chunk is None:
        chunk, jobs = chunk_for(spec, memory or DEFAULT_MEMORY, jobs, dask, runs)
    for name, value in (overrides or {}).items():
        if np.ndim(value) and len(value) != runs:
            raise UsageError(f"override {name}: {len(value)} values for {runs} runs")
    bounds = [(k, a, b) for k, (a, b) in enumerate(chunk_bounds(runs, chunk))]
    chunks: list[dict] = []
    ordered = InOrder(chunks.append)
    with execute.executor(jobs, dask, tasks=len(bounds)) as (pool, width):
        for index, cols in execute.played(
            spec, seed, bounds, engine=engine, overrides=overrides, pool=pool, width=width
        ):
            ordered.arrived(index, cols)
    return {name: np.concatenate([c[name] for c in chunks]) for name in chunks[0]}


class InOrder:
    """Hands chunks to ``emit`` in index order as they arrive in any order. An early arrival
    waits in memory, or, given ``load(index)``, on disk (so memory does not grow with a slow
    chunk); ``done`` lists chunks already on disk from an earlier session."""

    def __init__(
        self,
        emit: Callable[[Any], None],
        load: Callable[[int], Any] | None = None,
        done: set[int] = frozenset(),
    ):
        self.emit, self.load, self.next = emit, load, 0
        self.waiting: dict[int, Any] = dict.fromkeys(done)

    def arrived(self, index: int | None = None, chunk: Any = None) -> None:
        """Chunk ``index`` is done (None: only hand on what is ready)."""
        if index is not None:
            self.waiting[index] = None if self.load else chunk
        while self.next in self.waiting:
            held = self.waiting.pop(self.next)
            self.emit(
                chunk if self.next == index else held if self.load is None else self.load(self.next)
            )
            self.next += 1


@dataclass
class BatchReport:
    """What ``write_batch`` did: the summary of every run, and how long playing took."""

    summary: Summary
    runs: int  # runs in the table
    played: int  # runs played now (fewer when resuming)
    seconds: float  # time spent playing
    out: Path | None
    replayed: list[str] = field(default_factory=list)  # damaged or missing parts played again


def _holding_the_lock(play):
    """``<out>.lock`` keeps a second batch off the same file while this one runs."""

    @functools.wraps(play)
    def locked(scenario, runs, seed, out=None, **options):
        with nullcontext() if out is None else BatchLock(out):
            return play(scenario, runs, seed, out, **options)

    return locked


@_holding_the_lock
def write_batch(
    scenario: str | Path,
    runs: int,
    seed: int,
    out: str | Path | None = None,
    *,
    jobs: int | None = None,
    chunk: int | None = None,
    memory: int | None = None,
    engine: str = "array",
    dask: str | None = None,
    dask_timeout: float = 5.0,
    resume: bool = False,
    on_chunk: Callable[[int, int], None] | None = None,
    on_rows: Callable[[dict[str, np.ndarray]], None] | None = None,
    settings: list[str] | tuple[str, ...] = (),
) -> BatchReport:
    """Play a batch of ``runs`` summits of the scenario file with batch seed ``seed``.

    With ``out`` (.parquet or .csv), finished chunks go to ``<out>.parts/`` as they come and,
    in run order, into the final file, which replaces ``out`` at the end. An interruption keeps
    the finished chunks; ``resume=True`` plays only the missing ones (same scenario file
    contents, seed and runs required), giving the very file an uninterrupted batch gives.
    Without ``out`` only the summary is kept. ``jobs``, ``chunk`` and ``dask`` as in ``simulate``
    (default: every core). Without ``chunk``, chunks are as large as ``memory`` (bytes for the
    whole batch, every process together; default 1 GiB) allows, at most DEFAULT_CHUNK runs.
    ``on_chunk(runs_done, runs_total)`` is called after every chunk (for a progress bar);
    ``on_rows(columns)`` gets every chunk's columns in run order (e.g. an extra tally).
    ``settings`` are `--set NAME=VALUE` texts (summit.overrides), kept in the manifest and the
    table's metadata (key ``summit.settings``).
    Bad input raises UsageError (or ScenarioError) before anything on disk changes. A write the
    machine refuses raises MachineFault saying how many runs are kept. ``<out>.lock`` keeps a
    second batch off the same file while this one runs.
    """
    _check(runs, chunk, engine, seed)
    path = Path(scenario)
    spec = overrides.with_settings(load_spec(path), settings)
    if chunk is None:
        chunk, jobs = chunk_for(spec, memory or DEFAULT_MEMORY, jobs, dask, runs)
    parts = None if out is None else Parts(out)
    if parts is not None:
        output_format(parts.out)
    table_columns = columns(spec)
    manifest = {
        "summit_batch": 1,
        "scenario": str(path),
        "scenario_sha256": file_sha256(path),
        "seed": seed,
        "runs": runs,
        "chunk": chunk,
        "columns": table_columns,
        "settings": list(spec.settings),
    }
    done: set[int] = set()
    replayed: list[tuple[int, str]] = []
    if resume:
        if parts is None:
            raise UsageError("resume needs out: the file of the batch to finish")
        if not parts.exists():
            done_already = f" ({parts.out} is complete)" if parts.out.exists() else ""
            raise UsageError(f"nothing to resume: {parts.folder} does not exist{done_already}")
        manifest = _resumable(parts.read_manifest(), manifest, parts)
        replayed = parts.verify(len(chunk_bounds(runs, manifest["chunk"])))
        done = parts.done()
    bounds = chunk_bounds(runs, manifest["chunk"])
    todo = [(k, a, b) for k, (a, b) in enumerate(bounds) if k not in done]
    finished = runs - sum(b - a for _, a, b in todo)
    sampled = {s.name for s in spec.sampled_slots()}
    words = vocabularies(spec)  # end_reason, walked_out, sequencing stored as names
    summary = Summary(
        spec, names=[k for k in table_columns if k not in sampled and k not in ("run", "run_seed")]
    )

    metadata = {
        "summit.scenario": str(path),
        "summit.seed": str(seed),
        "summit.settings": json.dumps(list(spec.settings)),
    }  # a replay needs the settings
    with execute.executor(jobs, dask, dask_timeout, tasks=len(todo)) as (pool, width):
        if parts is not None and not resume:
            parts.create(manifest)
        writer = None if parts is None else parts.writer()

        def emit(chunk: tuple[dict, object]) -> None:  # every chunk, in run order
            cols, table = chunk
            summary.add(cols)
            if on_rows is not None:
                on_rows(cols)
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
            for index, cols in execute.played(
                spec, seed, todo, engine=engine, pool=pool, width=width
            ):
                table = None
                if parts is not None:
                    table = to_table(cols, words).replace_schema_metadata(metadata)
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
    notes = [
        f"{what}: played its runs {bounds[k][0]:,}-{bounds[k][1] - 1:,} again"
        for k, what in replayed
    ]
    return BatchReport(summary, runs, played, seconds, None if parts is None else parts.out, notes)


def _kept(fault: MachineFault, parts: Parts, bounds: list[tuple[int, int]]) -> MachineFault:
    """The fault, saying how many finished runs are kept and how to finish the batch."""
    if not parts.folder.exists():
        return fault
    done = parts.done()
    kept = sum(b - a for k, (a, b) in enumerate(bounds) if k in done)
    when = "once there is room" if out_of_room(fault) else "once it can be written"
    return MachineFault(
        f"{fault}; {kept:,} of {bounds[-1][1]:,} runs are kept in {parts.folder} "
        f"(the same command with --resume finishes the batch {when})",
        fault.errno,
    )


def columns(spec: Spec) -> dict[str, str]:
    """The batch table's columns and their types, as declared."""
    return {name: str(dtype) for name, dtype in table_schema(spec).items()}


def run_bytes(spec: Spec) -> tuple[float, float]:
    """(peak bytes one run of a chunk needs while it is played, bytes of its table row).
    The first is numpy's allocations over a probe chunk, traced: the rules' arrays grow with
    actors squared and with actors x issues x levels, so it is measured per scenario."""
    play_chunk(spec, 0, run_seeds(0, 0, 1))  # compile the kernels before tracing
    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    cols = play_chunk(spec, 0, run_seeds(0, 0, PROBE_RUNS))
    peak = tracemalloc.get_traced_memory()[1] - before
    if not tracing:
        tracemalloc.stop()
    row = sum(col.nbytes for col in cols.values()) / PROBE_RUNS
    return HEADROOM * peak / PROBE_RUNS, row


def chunk_for(
    spec: Spec,
    memory: int,
    jobs: int | None = None,
    dask: str | None = None,
    runs: int = DEFAULT_CHUNK,
) -> tuple[int, int]:
    """(runs per chunk, local worker processes) for a batch to stay under ``memory`` bytes.

    This process: PROCESS_BYTES, the summary's sample and one row group of rows, and up to two
    chunks' rows per worker in flight. Each worker: PROCESS_BYTES and the chunk it plays.
    Without ``jobs``, as many workers as there are cores and the budget allows. Chunks hold
    at most DEFAULT_CHUNK runs. With Dask the budget is each worker's."""
    per_run, row = run_bytes(spec)
    if dask:
        return _fit(memory - PROCESS_BYTES, per_run, memory, 1), 1
    fixed = PROCESS_BYTES + row * (min(runs, SUMMARY_SAMPLE) + min(runs, ROW_GROUP))
    width = max(1, default_jobs() if jobs is None else jobs)
    workers = 0 if width == 1 else width
    if jobs is None and workers:  # fewer workers rather than too little room for one run each
        fits = int((memory - fixed) // (PROCESS_BYTES + per_run + 2 * row))
        width = workers = max(1, min(width, fits)) if fits > 1 else 1
        workers = 0 if width == 1 else workers
    free = memory - fixed - workers * PROCESS_BYTES
    return _fit(free, width * (per_run + 2 * row), memory, width), width


def _fit(free: float, per_chunk_run: float, memory: int, width: int) -> int:
    chunk = int(free // per_chunk_run) if free > 0 else 0
    if chunk < 1:
        need = (memory - free + per_chunk_run) / (1 << 20)
        raise UsageError(
            f"memory {memory / (1 << 20):,.0f} MB is too small for this scenario "
            f"with {width} job(s): it needs about {need:,.0f} MB"
        )
    return min(chunk, DEFAULT_CHUNK)


def _resumable(old: dict, new: dict, parts: Parts) -> dict:
    """The manifest to go on with, or a UsageError saying why these parts do not fit."""
    where = parts.folder
    if old.get("scenario_sha256") != new["scenario_sha256"]:
        if old.get("scenario") == new["scenario"]:
            raise UsageError(
                f"cannot resume: {new['scenario']} has changed since {where} was started"
            )
        raise UsageError(
            f"cannot resume: {where} was made from another scenario ({old.get('scenario')}, "
            f"not {new['scenario']})"
        )
    if old.get("settings", []) != new["settings"]:
        raise UsageError(
            f"cannot resume: {where} was made with settings {old.get('settings', [])}, "
            f"not {new['settings']} (give the same --set options)"
        )
    for key in ("seed", "runs"):
        if old.get(key) != new[key]:
            raise UsageError(
                f"cannot resume: {where} was made with {key} {old.get(key)}, not {new[key]}"
            )
    # The chunk size is the one the batch started with, whatever --chunk or --memory say now.
    if old.get("columns") != new["columns"]:
        raise UsageError(
            f"cannot resume: {where} has other columns than this version of summit makes"
        )
    return old
