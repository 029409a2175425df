"""A streaming summary of a batch: built chunk by chunk, so it works for any number of runs.

* boolean and integer columns (deal, end_reason, agreed levels, paid_for_unkept, ...): the count
  of every value, shown as frequencies with a 95% Wilson interval;
* float columns (payoffs, delivered levels, presence, ...): mean (exact) and 5/50/95% quantiles
  from a deterministic sample: the rows whose run index hashes lowest (a bottom-k sample), so
  the sample, like the counts, does not depend on chunking or order. Up to ``sample`` runs the
  quantiles are exact; delivered levels are also counted by the level they reached.

    s = Summary(spec)            # spec (optional) names levels, end reasons and actors
    for cols in chunks: s.add(cols)
    s.frequency("deal")          # (share, low, high)
    print(s.render())
"""

from __future__ import annotations

import math

import numpy as np

from summit.outcomes import delivered_level
from summit.rng import hash64, name_key
from summit.rules.game import END_REASONS
from summit.scenario import SEQUENCINGS, Spec
from summit.stats import Z95, wilson

__all__ = ["QUANTILES", "Summary", "Z95", "delivered_level", "summarize", "wilson"]

QUANTILES = (0.05, 0.5, 0.95)
SKIP = ("run", "run_seed")
_SAMPLE_KEY = name_key("batch.summary.sample")


class Summary:
    """Counts, means and quantiles of batch columns, accumulated chunk by chunk."""

    def __init__(
        self, spec: Spec | None = None, sample: int = 50_000, names: list[str] | None = None
    ):
        self.spec, self.size, self.names = spec, sample, names
        self.n = 0
        self.counts: dict[str, dict[int, int]] = {}
        self.sums: dict[str, float] = {}
        self.finite: dict[str, int] = {}
        self._floats: list[str] = []  # the sampled columns, in order
        self._pri = np.zeros(0, dtype=np.uint64)  # priorities of the sample's rows
        self._rows = np.zeros((0, 0))  # (rows, floats) values
        self._new: list[tuple[np.ndarray, np.ndarray]] = []  # candidates not merged yet
        self._cut = np.uint64(2**64 - 1)  # rows above it cannot get in

    def add(self, columns: dict[str, np.ndarray]) -> None:
        """Count one chunk of rows (``run`` gives the sample's hash; else rows are numbered on)."""
        names = self.names or [k for k in columns if k not in SKIP]
        n = len(next(iter(columns.values())))
        run = np.asarray(columns["run"]) if "run" in columns else np.arange(self.n, self.n + n)
        floats = {}
        for name in names:
            col = np.asarray(columns[name])
            if col.dtype.kind in "biu":
                self._count(name, np.asarray(col, dtype=np.int64))
            else:
                floats[name] = col = np.asarray(col, dtype=np.float64)
                ok = np.isfinite(col)
                self.sums[name] = self.sums.get(name, 0.0) + float(col[ok].sum())
                self.finite[name] = self.finite.get(name, 0) + int(ok.sum())
                if name.startswith("delivered."):
                    self._count(name, delivered_level(np.where(ok, col, 0.0)))
        self._offer(hash64(run, _SAMPLE_KEY), floats)
        self.n += n

    def _count(self, name: str, values: np.ndarray) -> None:
        counts = self.counts.setdefault(name, {})
        lo = int(values.min()) if len(values) else 0
        if len(values) and int(values.max()) - lo < 65_536:
            found = np.bincount(values - lo)
            pairs = zip(np.flatnonzero(found) + lo, found[found > 0], strict=True)
        else:
            pairs = zip(*np.unique(values, return_counts=True), strict=True)
        for v, c in pairs:
            counts[int(v)] = counts.get(int(v), 0) + int(c)

    def _offer(self, priority: np.ndarray, floats: dict[str, np.ndarray]) -> None:
        """Candidates for the sample: the rows of lowest priority (a bottom-k sample). Merged
        now and then, so a full sample costs little per chunk."""
        if not self.n:
            self._floats, self._rows = list(floats), np.zeros((0, len(floats)))
        pick = np.flatnonzero(priority < self._cut)
        if len(pick):
            rows = np.zeros((len(pick), len(self._floats)))
            for j, name in enumerate(self._floats):
                rows[:, j] = floats[name][pick]
            self._new.append((priority[pick], rows))
        if sum(len(p) for p, _ in self._new) > max(self.size // 4, 1024):
            self._merge()

    def _merge(self) -> None:
        if not self._new:
            return
        pri = np.concatenate([self._pri] + [p for p, _ in self._new])
        parts = [self._rows] + [r for _, r in self._new]
        self._new = []
        if len(pri) > self.size:
            # only the kept rows are copied, part by part (in run-hash order of the parts)
            keep = np.sort(np.argpartition(pri, self.size - 1)[: self.size])
            starts = np.cumsum([0] + [len(r) for r in parts])
            cuts = np.searchsorted(keep, starts)
            pieces = zip(parts, starts[:-1], cuts[:-1], cuts[1:], strict=True)
            rows = np.concatenate([r[keep[a:b] - s] for r, s, a, b in pieces])
            pri = pri[keep]
            self._cut = pri.max()
        else:
            rows = np.concatenate(parts)
        self._pri, self._rows = pri, rows

    def sample(self, name: str) -> np.ndarray:
        """The sampled values of a float column (every run's, up to ``sample`` runs)."""
        self._merge()
        if name not in self._floats:
            return np.zeros(0)
        return self._rows[np.argsort(self._pri, kind="stable"), self._floats.index(name)]

    # ----------------------------------------------------------------- reading it
    def frequency(self, name: str, value: int | bool = True) -> tuple[float, float, float]:
        """Share of runs where ``name == value`` (a delivered level for ``delivered.*``), with its
        95% Wilson interval: ``(share, low, high)``."""
        k = self.counts.get(name, {}).get(int(value), 0)
        return (k / self.n if self.n else 0.0, *wilson(k, self.n))

    def mean(self, name: str) -> float:
        return self.sums[name] / self.finite[name] if self.finite.get(name) else math.nan

    def quantiles(self, name: str, qs: tuple[float, ...] = QUANTILES) -> tuple[float, ...]:
        vals = self.sample(name)
        vals = vals[np.isfinite(vals)]
        return (
            tuple(float(x) for x in np.quantile(vals, qs)) if len(vals) else (math.nan,) * len(qs)
        )

    def label(self, name: str, value: int) -> str:
        """A value as words: end reasons, sequencings, actor and level names (with a spec)."""
        if name.endswith("paid_for_unkept") or name == "deal":
            return "yes" if value else "no"
        spec = self.spec
        if name == "end_reason":
            return END_REASONS[value] if 0 <= value < len(END_REASONS) else str(value)
        if name == "sequencing":
            return "(no deal)" if value < 0 else SEQUENCINGS[value]
        if spec is None:
            return str(value)
        if name == "walked_out":
            return "(nobody)" if value < 0 else spec.actor_ids[value]
        prefix, _, issue = name.partition(".")
        if prefix in ("agreed", "delivered") and issue in spec.issue_ids:
            levels = spec.scenario.issues[spec.issue_ids.index(issue)].levels
            return f"{value} {levels[value]}" if 0 <= value < len(levels) else str(value)
        return str(value)

    def to_dict(self) -> dict:
        """Plain data: {"runs", "frequencies": {name: {label: [share, low, high]}},
        "continuous": {name: {"mean", "q05", "q50", "q95"}}}."""
        freq = {
            name: {self.label(name, v): list(self.frequency(name, v)) for v in sorted(counts)}
            for name, counts in self.counts.items()
        }
        cont = {
            name: dict(
                zip(
                    ("mean", "q05", "q50", "q95"),
                    (self.mean(name), *self.quantiles(name)),
                    strict=True,
                )
            )
            for name in self.sums
        }
        return {"runs": self.n, "frequencies": freq, "continuous": cont}

    def render(self) -> str:
        """The summary as text: frequencies with 95% intervals, then means and quantiles."""
        rows = []
        for name, counts in self.counts.items():
            flag = name == "deal" or name.endswith("paid_for_unkept")
            for v in [1] if flag else sorted(counts):
                text = name if flag else f"{name} = {self.label(name, v)}"
                rows.append(
                    (text if len(text) <= 60 else text[:59] + "~", *self.frequency(name, v))
                )
        width = max([len(r[0]) for r in rows] + [len(n) for n in self.sums] + [10])
        lines = [f"frequencies over {self.n:,} runs, with 95% Wilson intervals"]
        lines += [
            f"  {text:<{width}}  {share:7.2%}  [{lo:7.2%}, {hi:7.2%}]"
            for text, share, lo, hi in rows
        ]
        sampled = "" if self.n <= self.size else f" (quantiles from a sample of {self.size:,})"
        lines += [
            "",
            f"means and quantiles over {self.n:,} runs{sampled}",
            f"  {'':<{width}}  {'mean':>9} {'5%':>9} {'50%':>9} {'95%':>9}",
        ]
        for name in self.sums:
            stats = [
                round(x, 4) + 0.0 for x in (self.mean(name), *self.quantiles(name))
            ]  # no "-0.0000"
            lines.append(f"  {name:<{width}}  " + " ".join(f"{x:9.4f}" for x in stats))
        return "\n".join(lines) + "\n"


def summarize(
    columns: dict[str, np.ndarray], spec: Spec | None = None, names: list[str] | None = None
) -> Summary:
    """Summarise columns held in memory (e.g. from ``simulate``): every column but run and
    run_seed unless ``names`` says which.
    ``summarize(cols).frequency("deal")`` -> (share, lo, hi)."""
    summary = Summary(spec, names=names)
    summary.add(columns)
    return summary
