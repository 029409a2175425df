"""How fast is `summit batch`? Runs per second of the array engine (--jobs 2 by default) and of
the mesa reference engine in the same run, their ratio and the projected runs per minute.

    python benchmarks/bench_batch.py                          # 100k array runs, 200 mesa runs
    python benchmarks/bench_batch.py --runs 1000000 --chunk 2048
    python benchmarks/bench_batch.py --sweep 1024,2048,4096,8192,16384,32768   # chunk sizes, 1 job

Each figure is a whole `write_batch` to a Parquet file in a temporary folder (playing, writing
the parts and the file, the summary), after a warm-up of 16 runs that loads the compiled
kernels before the workers fork; "play" is the playing loop alone (it excludes the set-up and
the final rename). Peak memory is the largest resident set of this process and of any worker.
Goals: >= 1,000,000 runs/min with 2 jobs, >= 100x the mesa engine.

Last measured (2 cores, issue 8's rules, `--runs 200000 --chunk 8192`): 845,000 to 861,000
runs/min at load 1.0 to 2.4, 1.74x to 2.08x the code before its speed-up run right after each
(that code gave 595,772 on a quieter machine at 13:17 UTC); 341x to 462x the mesa engine.
docs/batch.md has the history.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summit.batch import DEFAULT_CHUNK, write_batch  # noqa: E402
from summit.batch.engine import play_chunk  # noqa: E402
from summit.batch.execute import default_jobs  # noqa: E402
from summit.rng import run_seeds  # noqa: E402
from summit.scenario import load_spec  # noqa: E402


def peak_mb() -> tuple[float, float]:
    """Peak resident memory (MB) of this process and of the largest finished worker."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def measure(scenario: str, runs: int, engine: str, jobs: int, chunk: int, seed: int = 1) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.parquet"
        t0, cpu0 = time.perf_counter(), time.process_time()
        report = write_batch(scenario, runs, seed, out, jobs=jobs, chunk=chunk, engine=engine)
        total = time.perf_counter() - t0
        main_cpu = time.process_time() - cpu0
        size = out.stat().st_size
    return {
        "engine": engine,
        "jobs": jobs,
        "chunk": chunk,
        "runs": runs,
        "play": runs / report.seconds,
        "total": runs / total,
        "seconds": total,
        "mb_file": size / 1e6,
        "main_us": main_cpu / runs * 1e6,
    }


def show(m: dict) -> None:
    print(
        f"  {m['engine']:>5}  jobs {m['jobs']}  chunk {m['chunk']:>6,}  {m['runs']:>9,} runs  "
        f"{m['seconds']:7.1f} s   play {m['play']:>9,.0f} runs/s   end to end "
        f"{m['total']:>9,.0f} runs/s"
        f"   ({m['total'] * 60:>11,.0f} runs/min)   file {m['mb_file']:.1f} MB"
        f"   main process {m['main_us']:.1f} us CPU a run",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--scenario", default=str(ROOT / "scenarios" / "jerusalem-2019.toml"))
    p.add_argument("--runs", type=int, default=100_000, help="array-engine runs (default 100000)")
    p.add_argument("--mesa-runs", type=int, default=200, help="mesa-engine runs (default 200)")
    p.add_argument("--jobs", type=int, default=2, help="processes for both engines (default 2)")
    p.add_argument("--chunk", type=int, default=DEFAULT_CHUNK)
    p.add_argument("--sweep", help="comma-separated chunk sizes to time with 1 job instead")
    args = p.parse_args(argv)

    print(
        f"machine: {platform.machine()} {platform.processor() or ''} "
        f"{default_jobs()} cores usable, "
        f"{os.cpu_count()} in all, Python {platform.python_version()}, load "
        f"{os.getloadavg()[0]:.2f}"
    )
    t0 = time.perf_counter()
    # a few runs: the compiled kernels are loaded (or compiled) before the workers fork
    play_chunk(load_spec(args.scenario), 0, run_seeds(1, 0, 16))
    print(
        "start-up (first run: imports, compiling): "
        f"{time.perf_counter() - t0:.1f} s, not counted below"
    )
    if args.sweep:
        for chunk in (int(c) for c in args.sweep.split(",")):
            show(measure(args.scenario, max(args.runs, 2 * chunk), "array", 1, chunk))
        print(f"  peak memory: this process {peak_mb()[0]:.0f} MB")
        return 0

    fast = measure(args.scenario, args.runs, "array", args.jobs, args.chunk)
    show(fast)
    mesa = measure(
        args.scenario, args.mesa_runs, "mesa", args.jobs, max(1, args.mesa_runs // (4 * args.jobs))
    )
    show(mesa)
    me, kids = peak_mb()
    ratio = fast["total"] / mesa["total"]
    print(f"array / mesa: {ratio:,.0f}x (goal >= 100x)")
    print(
        f"projected: {fast['total'] * 60:,.0f} runs/min with {args.jobs} jobs (goal >= 1,000,000)"
    )
    print(f"peak memory: this process {me:.0f} MB, largest worker {kids:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
