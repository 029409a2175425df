"""summit report: a batch table as a self-contained HTML page with embedded plots."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import numpy as np
import pytest

from summit.cli import main

JERUSALEM = Path(__file__).resolve().parent.parent / "scenarios" / "jerusalem-2019.toml"


@pytest.fixture(scope="module")
def batch_columns():
    from summit.batch import simulate

    return simulate(JERUSALEM, 400, seed=3, jobs=1)


def _write(cols, path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    table = pa.table({k: np.ascontiguousarray(v) for k, v in cols.items()})
    if path.suffix == ".parquet":
        pq.write_table(table, path)
    else:
        pacsv.write_csv(table, path)
    return path


def test_classify_columns():
    from summit.report.batch_report import classify

    assert classify("run") == classify("run_seed") == "meta"
    for name in (
        "russia.capability",
        "russia.willingness.iran_withdrawal",
        "us.belief.russia",
        "tie.russia.iran",
        "iran.entrenchment",
        "russia.salience.crimea",
    ):
        assert classify(name) == "parameter", name
    for name in (
        "deal",
        "agreed.crimea",
        "delivered.iran_withdrawal",
        "us.payoff",
        "iran_presence",
        "us.paid_for_unkept",
        "russia.credibility_after",
    ):
        assert classify(name) == "outcome", name


def test_report_is_self_contained_html_with_plots(batch_columns, tmp_path, capsys):
    results = _write(batch_columns, tmp_path / "results.parquet")
    out = tmp_path / "report.html"
    assert main(["report", str(results), "--out", str(out)]) == 0
    assert f"report: {out}" in capsys.readouterr().out
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    images = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) >= 5
    assert all(base64.b64decode(b)[:8] == b"\x89PNG\r\n\x1a\n" for b in images)
    for heading in (
        "Deal rate",
        "Outcome distributions",
        "Delivery by parameter",
        "Deal rate by parameter",
        "Paying for promises",
        "Summary table",
    ):
        assert f"<h2>{heading}</h2>" in page
    assert "400 simulated summits" in page
    deal = float(np.mean(batch_columns["deal"]))
    assert f"{100 * deal:.1f}%</span> of the summits ended in a deal" in page
    assert "russia.capability" in page and "iran_presence" in page
    assert (
        "http://" not in page and "https://" not in page and "<script" not in page
    )  # nothing to fetch


def test_report_of_a_csv_beside_the_results(batch_columns, tmp_path, capsys):
    keep = (
        "run",
        "run_seed",
        "russia.capability",
        "iran.strength",
        "deal",
        "end_reason",
        "sequencing",
        "iran_presence",
        "agreed.iran_withdrawal",
        "delivered.iran_withdrawal",
        "us.paid_for_unkept",
    )
    results = _write({k: batch_columns[k] for k in keep}, tmp_path / "r.csv")
    assert main(["report", str(results), "--title", "A & B"]) == 0
    page = (tmp_path / "r.html").read_text()
    assert "<title>A &amp; B</title>" in page
    assert len(re.findall(r'<img src="data:image/png;base64,', page)) == 5
    assert "us paid for promises that were not kept in" in page


def test_report_of_runs_without_any_deal(tmp_path, capsys):
    cols = {
        "run": np.arange(20),
        "run_seed": np.arange(20) + 100,
        "a.capability": np.linspace(0, 1, 20),
        "deal": np.zeros(20, dtype=bool),
        "end_reason": np.full(20, 2),
        "a.payoff": np.full(20, 0.4),
    }
    results = _write(cols, tmp_path / "flat.csv")
    assert main(["report", str(results)]) == 0
    page = (tmp_path / "flat.html").read_text()
    assert "0.0%</span> of the summits ended in a deal" in page


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "missing.parquet", "no such file"),
        (
            lambda d: (d / "bad.parquet").write_bytes(b"not parquet at all") and d / "bad.parquet",
            "cannot read as parquet",
        ),
        (lambda d: (d / "x.csv").write_text("a,b\n1,2\n") and d / "x.csv", "not a batch table"),
        (
            lambda d: (d / "x.txt").write_text("run,deal\n1,1\n") and d / "x.txt",
            "unknown results format",
        ),
        (lambda d: d, "is a folder"),
    ],
)
def test_bad_results_file_is_one_line_and_exit_2(tmp_path, capsys, make, message):
    path = make(tmp_path)
    assert main(["report", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("summit: ") and message in err
