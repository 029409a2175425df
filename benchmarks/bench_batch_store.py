"""Does memory stay flat for 10 million runs? The batch pipeline without the rules.

The engine is replaced by one played chunk handed out again with new run numbers and seeds, so
everything else of `write_batch` runs for real: parts on disk, the in-order Parquet (or CSV)
writer, the streaming summary. Prints the time per row and the peak memory of this process.

    python benchmarks/bench_batch_store.py --runs 10000000
    python benchmarks/bench_batch_store.py --runs 1000000 --out table.csv
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

from summit import rng  # noqa: E402
from summit.batch import DEFAULT_CHUNK, execute, write_batch  # noqa: E402
from summit.batch.engine import play_chunk  # noqa: E402
from summit.scenario import load_spec  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--scenario", default=str(ROOT / "scenarios" / "jerusalem-2019.toml"))
    p.add_argument("--runs", type=int, default=1_000_000)
    p.add_argument("--chunk", type=int, default=DEFAULT_CHUNK)
    p.add_argument(
        "--out", default="table.parquet", help="file name (in a temporary folder): .parquet or .csv"
    )
    args = p.parse_args(argv)

    spec = load_spec(args.scenario)
    template = play_chunk(spec, 0, rng.run_seeds(1, 0, args.chunk))

    def fake_work(spec, index, start, seeds, engine, overrides):
        n = len(seeds)
        cols = {k: v[:n] for k, v in template.items()}
        cols["run"] = template["run"][:n] + start
        cols["run_seed"] = seeds
        return index, cols

    execute.work = fake_work  # the serial path (jobs=1) calls execute.work
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / args.out
        t0 = time.perf_counter()
        report = write_batch(args.scenario, args.runs, 1, out, jobs=1, chunk=args.chunk)
        seconds = time.perf_counter() - t0
        size = out.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.runs:,} rows in {seconds:.1f} s ({seconds / args.runs * 1e6:.2f} us/row), "
        f"file {size / 1e6:,.0f} MB, summary of {report.summary.n:,} runs, "
        f"peak memory {peak:,.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
