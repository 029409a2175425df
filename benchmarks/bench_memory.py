"""Does a batch stay under its memory budget for a large scenario?

Builds a scenario of many actors (default 200) and issues (default 4), plays
``write_batch(..., memory=BUDGET)`` in this process (jobs=1) or in worker processes, and prints
the chunk size the budget chose and the peak resident memory of this process and its children.

    python benchmarks/bench_memory.py                       # 200 actors, 4 issues, 1000 runs, 1G
    python benchmarks/bench_memory.py --jobs 2 --memory 512M
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summit.batch import runner, write_batch  # noqa: E402
from summit.options import memory  # noqa: E402
from summit.scenario import compile_scenario, parse_scenario  # noqa: E402


def crowd_data(n_actors: int, n_issues: int) -> dict:
    """A made-up scenario for sizing only: actor k gives issue k % n_issues; six sit at the
    table, the others are the crowd that resists and is believed. Values are arbitrary."""
    actors = [f"a{k}" for k in range(n_actors)]
    issues = [
        {
            "id": f"i{j}",
            "name": f"issue {j}",
            "levels": ["none", "some", "all"],
            "kind": "action" if j % 2 == 0 else "concession",
            "giver": actors[j % n_actors],
            "resisted_by": {actors[(j + 1) % n_actors]: 1.0},
        }
        for j in range(n_issues)
    ]
    return {
        "summit": {
            "title": "crowd",
            "description": "a sizing scenario",
            "deadline": 10,
            "table": actors[: min(6, n_actors)],
        },
        "actors": [
            {
                "id": a,
                "name": a,
                "capability": {"uniform": [0.2, 0.8]},
                "walk_away": 0.3,
                "salience": {f"i{j}": 1.0 + (k + j) % 3 for j in range(n_issues)},
                "values": {
                    f"i{j}": [0.0, 0.5, 1.0] if (k + j) % 2 else [1.0, 0.5, 0.0]
                    for j in range(n_issues)
                },
            }
            for k, a in enumerate(actors)
        ],
        "issues": issues,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--actors", type=int, default=200)
    p.add_argument("--issues", type=int, default=4)
    p.add_argument("--runs", type=int, default=1000)
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--memory", type=memory, default=memory("1G"))
    args = p.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "crowd.toml"
        data = crowd_data(args.actors, args.issues)
        sys.path.insert(0, str(ROOT / "tests"))
        from conftest import to_toml

        path.write_text(to_toml(data), encoding="utf-8")
        spec = compile_scenario(parse_scenario(data, path))
        chunk, jobs = runner.chunk_for(spec, args.memory, args.jobs, runs=args.runs)
        t0 = time.perf_counter()
        write_batch(path, args.runs, 1, Path(tmp) / "t.parquet", jobs=args.jobs, memory=args.memory)
        seconds = time.perf_counter() - t0
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    total = me + kids * args.jobs if args.jobs > 1 else me
    budget = args.memory / (1 << 20)
    print(
        f"{args.actors} actors, {args.issues} issues, {args.runs:,} runs, jobs {args.jobs}: "
        f"chunk {chunk} runs, {jobs} job(s), {seconds:.1f} s; peak memory {me:,.0f} MB here, "
        f"{kids:,.0f} MB largest worker, at most {total:,.0f} MB in all "
        f"(budget {budget:,.0f} MB): {'under' if total <= budget else 'OVER'}"
    )
    return 0 if total <= budget else 1


if __name__ == "__main__":
    sys.exit(main())
