"""Evaluation of the drafter on the five seed reports (../shared/seeds) against the
bundled dataset's coding of them (data/incidents.csv, data/incident_sources.csv).

Thresholds. The drafter's rules were written while reading these five reports, so
this is an in-sample check that guards against regressions, not an estimate of
accuracy on new reports (tests/coding/test_draft.py covers new text). Measured when
written: 15 drafts, 15 coded incidents, precision = recall = 1.00, exact casualty
ranges 1.00, coded date inside the draft window 1.00, province 1.00 (run
``python benchmarks/eval_drafting.py``). With 15 incidents, one miss costs 0.067;
the thresholds allow two misses on incidents (0.85) and on casualty ranges (0.85),
and one on dates and provinces (0.9), so that a genuine regression fails while an
honest change to one rule does not.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import config
from analysis.coding.evaluate import coded_for_report, evaluate_drafts, evaluate_seeds


@pytest.fixture(scope="module")
def coded_tables():
    inc, src = config.BUNDLED_INCIDENTS, config.BUNDLED_INCIDENT_SOURCES
    if not (inc.exists() and src.exists()):
        pytest.skip("bundled dataset not available")
    return pd.read_csv(inc), pd.read_csv(src)


def test_seed_evaluation_meets_thresholds(shared_dir, coded_tables):
    seeds = shared_dir / "seeds"
    if not seeds.is_dir():
        pytest.skip("seed reports not available")
    ev, per_report = evaluate_seeds(seeds, *coded_tables)
    assert ev.n_coded >= 10
    assert ev.precision >= 0.85, ev.as_dict()
    assert ev.recall >= 0.85, ev.as_dict()
    assert ev.recall_primary >= 0.85, ev.as_dict()
    assert ev.casualties_exact >= 0.85, ev.as_dict()
    assert ev.date_in_window >= 0.9, ev.as_dict()
    assert ev.province_equal >= 0.9, ev.as_dict()
    # reports without attacks (background pieces) give no attack drafts
    quiet = per_report[per_report["coded_incidents"] == 0]
    assert (quiet["drafts"] == 0).all(), per_report


def test_matching_is_one_to_one_and_penalises_extra_drafts(coded_tables):
    inc, src = coded_tables
    coded = coded_for_report(inc, src, "002_cd875d34d6ffdbd4.txt")
    if coded.empty:
        pytest.skip("seed 002 not coded in the bundled dataset")
    drafts = coded.rename(columns={"role": "kind"}).assign(kind="attack")
    perfect = evaluate_drafts(drafts, coded)
    assert perfect.precision == 1 and perfect.recall == 1 and perfect.casualties_exact == 1
    doubled = evaluate_drafts(pd.concat([drafts, drafts], ignore_index=True), coded)
    assert doubled.n_matched == len(coded) and doubled.precision == pytest.approx(0.5)
    shifted = drafts.assign(
        date_earliest=drafts["date_earliest"] + pd.Timedelta(days=400),
        date_latest=drafts["date_latest"] + pd.Timedelta(days=400),
    )
    assert evaluate_drafts(shifted, coded).n_matched == 0
