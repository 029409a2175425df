"""Benchmark of `summit map`: a 20 x 20 grid at 2,000 runs per cell (800,000 summits) of
jerusalem-2019 over Russia's capability and willingness. Goal: under a minute on 2 cores.

    python benchmarks/bench_map.py                    # the full benchmark
    python benchmarks/bench_map.py --runs 100         # a quick look (40,000 summits)
    python benchmarks/bench_map.py --jobs 1           # one process

Prints the time, summits a second, and the map itself. Not a test: nothing fails when slow.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from summit.analysis.maps import render_text, run_map
    from summit.scenario import load_spec

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=None, help="default: every core")
    ap.add_argument("--chunk", type=int, default=None)
    ap.add_argument("--outcome", default="iran_presence")
    args = ap.parse_args()

    spec = load_spec(ROOT / "scenarios" / "jerusalem-2019.toml")
    start = time.perf_counter()
    m = run_map(
        spec,
        "russia.capability",
        "russia.willingness.iran_withdrawal",
        args.outcome,
        steps=args.steps,
        runs=args.runs,
        seed=1,
        jobs=args.jobs,
        chunk=args.chunk,
    )
    wall = time.perf_counter() - start
    print(render_text(m))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"{m.summits:,} summits ({args.steps}x{args.steps} cells x {args.runs:,} runs) "
        f"in {wall:.1f} s "
        f"wall ({m.seconds:.1f} s playing): {m.summits / wall:,.0f} summits/s on {cores} "
        "core(s), "
        f"jobs={args.jobs or 'all'}; python {platform.python_version()}"
    )
    print(
        "goal: 800,000 summits in under 60 s -> "
        f"{'met' if m.summits >= 800_000 and wall < 60 else 'not met'}"
        if m.summits >= 800_000
        else f"projected for 800,000 summits: {800_000 / (m.summits / wall):,.0f} s"
    )


if __name__ == "__main__":
    main()
