"""A batch result (Parquet or CSV: run, run_seed, sampled parameters, outcomes) as one
self-contained HTML page: plots embedded as base64 PNG, short explanations, no external files.

    cols = load_results("results.parquet")
    html = build_report(cols, title="jerusalem-2019, 100,000 runs")
    Path("report.html").write_text(html)

Sections: the deal rate and how summits end; the distributions of the main outcomes (military
presence and influence, delivered levels, gains); delivery and deal rate against each sampled
parameter (binned by deciles); who paid for promises that were not kept; a table of means and
quantiles.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import numpy as np

from summit.batch.names import FIXED_WORDS, codes_from_words
from summit.errors import UsageError, write_error
from summit.outcomes import delivered_in_full
from summit.report.plots import data_uri, figure
from summit.rules.game import END_REASONS
from summit.rules.kernels import AFTER_VERIFIED, ON_PROMISE
from summit.scenario import split_name
from summit.stats import percent, wilson

META = ("run", "run_seed")
WORDS = FIXED_WORDS  # columns stored as names: read back to codes
MAX_PANELS = 9


# --------------------------------------------------------------------------- reading


def load_results(path: str | Path) -> dict[str, np.ndarray]:
    """Columns of a batch table; every failure is a UsageError with one line."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    if path.is_dir():
        raise UsageError(f"{path}: is a folder, not a results file")
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":  # pyarrow loads only when a table is read (start-up time)
            import pyarrow.parquet as pq

            table = pq.read_table(path)
        elif suffix == ".csv":
            import pyarrow.csv as pacsv

            table = pacsv.read_csv(path)
        else:
            raise UsageError(
                f"{path}: unknown results format '{suffix or '(no extension)'}' (use .parquet "
                "or .csv)"
            )
    except UsageError:
        raise
    except Exception as err:  # pyarrow raises many kinds (ArrowInvalid, OSError, ...)
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise UsageError(f"{path}: cannot read as {suffix[1:]}: {reason}") from None
    cols = {}
    for name in table.column_names:
        if name in WORDS:  # stored as names (summit.batch.names): back to codes
            cols[name] = codes_from_words(table.column(name).to_pylist(), WORDS[name])
            continue
        col = table.column(name).to_numpy(zero_copy_only=False)
        if col.dtype.kind not in "biuf":
            continue  # text columns are not outcomes
        cols[name] = col
    if len(table) == 0:
        raise UsageError(f"{path}: the table has no rows")
    outcomes = [k for k in cols if classify(k) == "outcome"]
    if "run" not in table.column_names or not outcomes:
        raise UsageError(
            f"{path}: not a batch table (needs a run column and outcome columns such as deal; "
            f"found {', '.join(table.column_names[:8]) or 'no columns'})"
        )
    return cols


def classify(name: str) -> str:
    """'meta', 'parameter' or 'outcome' by the column's name."""
    if name in META:
        return "meta"
    return "parameter" if split_name(name) is not None else "outcome"


# --------------------------------------------------------------------------- helpers


def _wilson(k: int, n: int) -> tuple[float, float]:
    return wilson(k, n)


def _esc(text: str) -> str:
    return html.escape(str(text))


def _varies(col: np.ndarray) -> bool:
    col = np.asarray(col, dtype=float)
    ok = col[np.isfinite(col)]
    return ok.size > 1 and float(ok.max()) > float(ok.min())


def action_issues(cols: dict[str, np.ndarray]) -> list[str]:
    """Issues agreed in some runs and not always delivered in full, the most often failed first
    (promises whose delivery is in doubt: in practice the actions pushed against resisters)."""
    failure = {}
    for name in cols:
        if not name.startswith("delivered."):
            continue
        issue = name.removeprefix("delivered.")
        agreed = cols.get(f"agreed.{issue}")
        if agreed is None:
            continue
        agreed = np.asarray(agreed, dtype=float)
        on = agreed > 0
        if not on.any():
            continue
        short = ~delivered_in_full(np.asarray(cols[name], dtype=float)[on], agreed[on])
        if short.any():
            failure[issue] = float(short.mean())
    return sorted(failure, key=lambda k: -failure[k])


def _bins(x: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Bin index of every value (quantile bins, merged when values repeat) and bin centres."""
    edges = np.unique(np.quantile(x, np.linspace(0, 1, bins + 1)))
    if len(edges) < 2:
        return np.zeros(len(x), dtype=int), np.array([float(x[0])])
    idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(edges) - 2)
    centres = np.array(
        [x[idx == k].mean() if (idx == k).any() else np.nan for k in range(len(edges) - 1)]
    )
    return idx, centres


def binned_mean(x: np.ndarray, y: np.ndarray, bins: int = 10, where: np.ndarray | None = None):
    """Mean of y in quantile bins of x (only rows where ``where``): centres, means, counts."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if where is not None:
        x, y = x[where], y[where]
    if len(x) == 0:
        return np.array([]), np.array([]), np.array([])
    idx, centres = _bins(x, bins)
    n = np.bincount(idx, minlength=len(centres))
    s = np.bincount(idx, weights=y, minlength=len(centres))
    with np.errstate(invalid="ignore", divide="ignore"):
        return centres, s / n, n


# --------------------------------------------------------------------------- plots


def plot_end_reasons(cols) -> str | None:
    if "end_reason" not in cols:
        return None
    reasons = np.asarray(cols["end_reason"]).astype(int)
    counts = np.bincount(reasons, minlength=len(END_REASONS))[1:]
    fig, ax = figure(5.0, 2.8)
    labels = list(END_REASONS[1:])
    ax.bar(labels, counts / len(reasons), color=["#3b8c5a", "#c9a227", "#b5473a", "#7a6f9b"])
    for k, c in enumerate(counts):
        share = c / len(reasons)
        ax.text(k, share, percent(share, 1), ha="center", va="bottom", fontsize=8)
    ax.set_ylabel("share of runs")
    ax.set_ylim(0, 1.1)
    ax.set_title("How the summits ended", fontsize=10)
    return data_uri(fig)


def outcome_panels(cols) -> list[str]:
    """Float outcomes worth a histogram, most telling first."""
    names = [
        k
        for k in cols
        if classify(k) == "outcome" and np.asarray(cols[k]).dtype.kind == "f" and _varies(cols[k])
    ]
    order = [k for k in names if k.endswith("_presence")] + [
        k for k in names if k.endswith("_influence")
    ]
    order += [f"delivered.{i}" for i in action_issues(cols) if f"delivered.{i}" in names]
    order += [k for k in names if k.endswith(".gain")]
    order += [k for k in names if k not in order]
    return list(dict.fromkeys(order))[:MAX_PANELS]


def plot_distributions(cols, names: list[str]) -> str | None:
    if not names:
        return None
    ncol = 3
    nrow = math.ceil(len(names) / ncol)
    fig, axes = figure(9.0, 2.3 * nrow, nrow, ncol)
    for k, ax in enumerate(np.asarray(axes, dtype=object).reshape(-1)):
        if k >= len(names):
            ax.axis("off")
            continue
        v = np.asarray(cols[names[k]], dtype=float)
        v = v[np.isfinite(v)]
        levels = np.unique(v)
        if len(levels) <= 12:
            share = np.array([(v == x).mean() for x in levels])
            ax.bar([f"{x:g}" for x in levels], share, color="#3b6ea5")
            ax.set_ylabel("share", fontsize=7)
        else:
            ax.hist(v, bins=30, color="#3b6ea5", weights=np.full(len(v), 1 / len(v)))
        ax.set_title(f"{names[k]}  (mean {v.mean():.3f})", fontsize=8)
        ax.tick_params(labelsize=7)
    return data_uri(fig)


def plot_by_parameter(
    cols,
    params: list[str],
    series: dict[str, tuple[np.ndarray, np.ndarray | None]],
    ylabel: str,
    bins: int,
) -> str | None:
    """One panel per parameter: binned mean of each series (values, row mask) against it."""
    if not params or not series:
        return None
    ncol = min(3, len(params))
    nrow = math.ceil(len(params) / ncol)
    fig, axes = figure(9.0, 2.5 * nrow, nrow, ncol)
    for k, ax in enumerate(np.asarray(axes, dtype=object).reshape(-1)):
        if k >= len(params):
            ax.axis("off")
            continue
        x = np.asarray(cols[params[k]], dtype=float)
        for label, (y, mask) in series.items():
            c, m, n = binned_mean(x, y, bins, mask)
            ok = n > 0
            ax.plot(c[ok], m[ok], "o-", ms=3, label=label)
        ax.set_title(params[k], fontsize=8)
        ax.set_ylabel(ylabel, fontsize=7)
        ax.set_ylim(-0.05, 1.05)
        ax.tick_params(labelsize=7)
        if k == 0 and len(series) > 1:
            ax.legend(fontsize=6)
    return data_uri(fig)


def plot_unkept(cols) -> tuple[str | None, dict[str, float]]:
    rates = {
        k.removesuffix(".paid_for_unkept"): float(np.mean(cols[k]))
        for k in cols
        if k.endswith(".paid_for_unkept")
    }
    rates = {a: r for a, r in rates.items() if r > 0} or rates
    if not rates:
        return None, {}
    fig, ax = figure(5.0, 2.8)
    ax.bar(list(rates), list(rates.values()), color="#b5473a")
    ax.set_ylabel("share of runs")
    ax.set_ylim(0, max(rates.values()) * 1.2 + 1e-9)
    ax.set_title("Paid for promises that were not kept", fontsize=10)
    ax.tick_params(labelsize=8)
    return data_uri(fig), rates


# --------------------------------------------------------------------------- page

_CSS = """
body { font-family: system-ui, -apple-system, Segoe UI, sans-serif; max-width: 980px;
       margin: 2em auto;
       padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
img { max-width: 100%; } .note { color: #555; font-size: 0.92em; }
table { border-collapse: collapse; font-size: 0.85em; }
td, th { padding: 2px 8px; text-align: right; }
th { border-bottom: 1px solid #aaa; } td:first-child, th:first-child { text-align: left; }
.big { font-size: 1.6em; font-weight: 600; }
"""


def _img(uri: str | None, alt: str) -> str:
    return (
        f'<img src="{uri}" alt="{_esc(alt)}">'
        if uri
        else f'<p class="note">({_esc(alt)}: nothing to plot)</p>'
    )


def build_report(
    cols: dict[str, np.ndarray],
    title: str = "summit batch report",
    source: str = "",
    bins: int = 10,
) -> str:
    """The HTML page (a string) for the columns of a batch table."""
    n = len(next(iter(cols.values())))
    params = [k for k in cols if classify(k) == "parameter" and _varies(cols[k])]
    parts = [
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{_esc(title)}</title>"
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{_esc(title)}</h1>",
    ]
    what = f" from <code>{_esc(source)}</code>" if source else ""
    parts.append(
        f"<p>{n:,} simulated summits{what}. Each row of the table is one whole summit, replayable "
        "with <code>summit run SCENARIO --seed RUN_SEED</code>. Parameters drawn per run: "
        f"{_esc(', '.join(params)) or 'none'}.</p>"
    )

    # deal rate
    parts.append("<h2>Deal rate</h2>")
    if "deal" in cols:
        deal = np.asarray(cols["deal"]).astype(bool)
        k = int(deal.sum())
        lo, hi = _wilson(k, n)
        parts.append(
            f"<p><span class='big'>{percent(k / n, 1)}</span> of the summits ended in a deal "
            f"(95% interval {percent(lo, 1)} to {percent(hi, 1)}).</p>"
        )
        if "sequencing" in cols and k:
            seq = np.asarray(cols["sequencing"])[deal]
            after, on_promise = (
                percent(float((seq == code).mean()), 1) for code in (AFTER_VERIFIED, ON_PROMISE)
            )
            parts.append(
                f"<p>Of the deals, {after} paid concessions only after verified "
                f"action, {on_promise} on promise.</p>"
            )
    parts.append(_img(plot_end_reasons(cols), "how the summits ended"))
    parts.append(
        "<p class='note'>A summit ends with a deal when every actor who commits to something "
        "accepts, "
        "at the deadline without one, or when an actor at the table walks out because it sees no "
        "package worth more than leaving.</p>"
    )

    # distributions
    names = outcome_panels(cols)
    parts.append("<h2>Outcome distributions</h2>")
    parts.append(
        "<p class='note'>Presence is the share of an actor's military footprint left after "
        "implementation; influence adds the entrenched, non-military roots that survive a "
        "withdrawal. "
        "Delivered levels are what was actually carried out (0 = nothing), whatever was "
        "agreed; gain is an "
        "actor's payoff minus its walk-away value.</p>"
    )
    parts.append(_img(plot_distributions(cols, names), "outcome distributions"))

    # delivery by parameter
    actions = action_issues(cols)
    parts.append("<h2>Delivery by parameter</h2>")
    series = {}
    for issue in actions[:4]:
        agreed = np.asarray(cols[f"agreed.{issue}"], dtype=float)
        share = np.where(
            agreed > 0,
            np.asarray(cols[f"delivered.{issue}"], dtype=float) / np.maximum(agreed, 1),
            np.nan,
        )
        series[issue] = (share, agreed > 0)
    parts.append(
        "<p class='note'>For the runs in which an action was agreed, the share of the agreed "
        "level that "
        "was delivered, against each parameter drawn per run (runs grouped by deciles of the "
        "parameter). "
        "A flat line means the parameter does not decide delivery; a steep one means it does.</p>"
    )
    parts.append(
        _img(
            plot_by_parameter(cols, params, series, "delivered / agreed", bins),
            "delivery by parameter",
        )
    )

    parts.append("<h2>Deal rate by parameter</h2>")
    if "deal" in cols:
        parts.append(
            _img(
                plot_by_parameter(
                    cols,
                    params,
                    {"deal": (np.asarray(cols["deal"], dtype=float), None)},
                    "deal rate",
                    bins,
                ),
                "deal rate by parameter",
            )
        )

    # unkept promises
    uri, rates = plot_unkept(cols)
    parts.append("<h2>Paying for promises</h2>")
    if rates:
        worst = max(rates, key=rates.get)
        parts.append(
            f"<p>{_esc(worst)} paid for promises that were not kept in "
            f"{percent(rates[worst], 1)} of all "
            "runs: it made concessions beyond the share of the promised actions that was "
            "delivered. "
            "Sequencing concessions after verified action is the article's remedy.</p>"
        )
    parts.append(_img(uri, "paid for unkept promises"))

    # table
    parts.append(
        "<h2>Summary table</h2><table><tr><th>outcome</th><th>mean</th><th>5%</th><th>median</th>"
        "<th>95%</th></tr>"
    )
    for name in [k for k in cols if classify(k) == "outcome"]:
        v = np.asarray(cols[name], dtype=float)
        v = v[np.isfinite(v)]
        if not v.size:
            continue
        q = np.quantile(v, [0.05, 0.5, 0.95])
        parts.append(
            f"<tr><td>{_esc(name)}</td><td>{v.mean():.3f}</td><td>{q[0]:.3f}</td><td>{q[1]:.3f}</td>"
            f"<td>{q[2]:.3f}</td></tr>"
        )
    parts.append("</table><p class='note'>Made by <code>summit report</code>.</p></body></html>\n")
    return "\n".join(parts)


def write_report(
    results: str | Path, out: str | Path | None = None, title: str | None = None, bins: int = 10
) -> Path:
    """Read a batch table and write its report (default: beside it, with .html)."""
    results = Path(results)
    cols = load_results(results)
    out = Path(out) if out else results.with_suffix(".html")
    page = build_report(cols, title or f"summit report: {results.name}", str(results), bins)
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as err:
        raise write_error(out, err) from None
    return out
