"""Where chunks are played: in this process, in local processes, or on a Dask cluster.

``executor(jobs, dask)`` is a context manager giving ``(executor or None, width)``; ``played``
submits chunks to it, at most ``2 * width`` at a time so memory stays flat, and yields each
finished chunk as it arrives. Leaving the context early (Ctrl-C, an error) cancels what is
queued and stops local workers at once: only finished chunks count.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import warnings
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from contextlib import contextmanager

import numpy as np

from summit.batch.engine import slice_overrides, work
from summit.errors import UsageError
from summit.rng import run_seeds
from summit.scenario import Spec


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# glibc's mallopt parameters: the largest threshold it accepts on 64-bit systems, and a trim
# threshold that keeps up to this many freed bytes at the top of the heap.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD = 32 << 20
TRIM_THRESHOLD = 256 << 20


def reuse_freed_memory() -> None:
    """Let this process reuse the memory it frees. A chunk allocates and frees arrays of a few
    MB hundreds of times; by default glibc gives each one fresh pages from the kernel
    (mmap, then trimmed back) and every page is faulted in and zeroed again, which took a
    third of a chunk's time. Serving them from the heap and keeping what is freed changes no
    number, only where arrays live; the peak memory stays the chunk's peak. A no-op off
    glibc."""
    if sys.platform != "linux":
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    except (OSError, AttributeError):  # not glibc
        pass


def _quiet_worker() -> None:
    """Ctrl-C, SIGTERM and SIGHUP reach the whole process group: they are the parent's to
    handle (it kills its workers). On Linux a worker also dies with its parent, even a parent
    killed with SIGKILL, instead of waiting for work forever. Workers reuse the memory they
    free (reuse_freed_memory)."""
    reuse_freed_memory()
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    if sys.platform == "linux":
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _start_method():
    """Fork (workers start at once, summit already imported) when that is safe: on Linux, from a
    process without Python threads (numpy's and pyarrow's native pools are fork-safe).
    Otherwise a fork server (or spawn), which inherits no threads."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if sys.platform == "win32":
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["summit.batch.engine"])
    return ctx


@contextmanager
def local_pool(jobs: int):
    """``jobs`` worker processes that ignore Ctrl-C, SIGTERM and SIGHUP (the parent handles
    them)."""
    ctx = _start_method()
    pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_quiet_worker)
    try:
        with warnings.catch_warnings():  # see _start_method
            warnings.filterwarnings(
                "ignore", "This process .* is multi-threaded", DeprecationWarning
            )
            pool.submit(int).result()  # start the workers now
        yield pool, jobs
    except BaseException:
        procs = list((getattr(pool, "_processes", None) or {}).values())
        call_queue = getattr(pool, "_call_queue", None)
        if call_queue is not None:
            # The workers are about to be terminated and will never read what is still queued
            # for them: do not let the interpreter block at exit trying to flush it.
            call_queue.cancel_join_thread()
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in procs:
            proc.kill()  # a running chunk is lost anyway; workers ignore SIGTERM
        for proc in procs:
            proc.join()
        pool.shutdown(wait=True)
        raise
    pool.shutdown()


@contextmanager
def dask_pool(address: str, timeout: float = 5.0):
    """An existing Dask cluster's executor; dask is imported only here."""
    try:
        from distributed import Client
        from distributed.comm.addressing import get_address_host_port, parse_address
    except ImportError:
        raise UsageError("--dask needs dask[distributed]: pip install 'summit[dask]'") from None

    def unreachable(reason: object) -> UsageError:
        reason = str(reason).splitlines()[0] if str(reason) else type(reason).__name__
        return UsageError(
            f"cannot reach the Dask scheduler at {address} within {timeout:g} s ({reason})"
        )

    try:  # a plain TCP probe first: fails fast, and leaves no half-made Client behind
        if parse_address(address)[0] in ("tcp", "tls"):
            socket.create_connection(get_address_host_port(address), timeout=timeout).close()
    except (OSError, ValueError) as err:
        raise unreachable(err) from None
    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # a failed connection is our one line
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except Exception as err:  # noqa: BLE001 - whatever answered was not a scheduler
        raise unreachable(err) from None
    finally:
        quiet.setLevel(level)
    try:
        width = max(1, sum(client.nthreads().values()))
        yield client.get_executor(pure=False), width
    finally:
        client.close()


@contextmanager
def executor(
    jobs: int | None = None,
    dask: str | None = None,
    dask_timeout: float = 5.0,
    tasks: int | None = None,
):
    """The executor for a batch: Dask when an address is given, else ``jobs`` local processes
    (None: every core; 1: this process, no pool), no more than there are ``tasks``."""
    if dask:
        with dask_pool(dask, dask_timeout) as pair:
            yield pair
        return
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise UsageError(f"jobs must be at least 1 (got {jobs})")
    jobs = max(1, min(jobs, jobs if tasks is None else tasks))
    if jobs == 1:
        yield None, 1
        return
    with local_pool(jobs) as pair:
        yield pair


def played(
    spec: Spec,
    seed: int,
    chunks: Iterable[tuple[int, int, int]],
    *,
    engine: str = "array",
    overrides: dict | None = None,
    pool: Executor | None = None,
    width: int = 1,
    seeds: np.ndarray | None = None,
) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
    """Play chunks ``(index, start, stop)`` and yield ``(index, columns)`` as each finishes
    (in any order with a pool). Run seeds come from ``run_seeds(seed, start, stop)`` (or from
    ``seeds``, one per run of the batch) before the chunk is dispatched."""

    def task(index: int, start: int, stop: int) -> tuple:
        s = (
            run_seeds(seed, start, stop)
            if seeds is None
            else np.asarray(seeds[start:stop], dtype=np.int64)
        )
        return spec, index, start, s, engine, slice_overrides(overrides, start, stop)

    if pool is None:
        reuse_freed_memory()
        for index, start, stop in chunks:
            yield work(*task(index, start, stop))
        return
    todo, running = iter(chunks), set()
    try:
        while True:
            for index, start, stop in todo:
                running.add(pool.submit(work, *task(index, start, stop)))
                if len(running) >= 2 * width:
                    break
            if not running:
                return
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
    finally:
        for future in running:
            future.cancel()
