"""The Python API: docs/api.md's examples run as a doctest, plus what they cannot show."""

from __future__ import annotations

import doctest

import pytest
from conftest import ROOT

import summit


def test_the_api_page_runs():
    failures, tried = doctest.testfile(
        str(ROOT / "docs" / "api.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert tried > 20 and failures == 0


def test_the_batch_package_is_also_the_batch_function():
    from summit.batch import simulate

    assert summit.batch.simulate is simulate  # still the package
    table = summit.batch("jerusalem-2019", runs=3, seed=2)
    cols = simulate(summit.load("jerusalem-2019"), 3, seed=2)
    assert table["run_seed"].tolist() == cols["run_seed"].tolist()
    assert table["end_round"].tolist() == cols["end_round"].tolist()


def test_unknown_attributes_are_attribute_errors():
    with pytest.raises(AttributeError, match="no attribute 'play'"):
        summit.play  # noqa: B018
