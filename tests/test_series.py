"""incident_counts: regular series, coverage, the window rule, casualties with low/best/high."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis import CountSeriesError, WideDateWindowWarning, incident_counts
from analysis.schema import COLUMNS

# the tests that check this warning catch it with pytest.warns
pytestmark = pytest.mark.filterwarnings("ignore::analysis.series.WideDateWindowWarning")


def _frame(rows):
    """A canonical frame from (date, earliest, latest, perpetrator, killed low/best/high)."""
    recs = []
    for i, (d, e, la, perp, kl, kb, kh) in enumerate(rows):
        recs.append({c: pd.NA for c in COLUMNS} | {
            "incident_id": f"T{i}", "date": pd.Timestamp(d), "date_earliest": pd.Timestamp(e),
            "date_latest": pd.Timestamp(la), "date_precision": "day", "country": "AFG",
            "province": "Kabul", "perpetrator": perp, "attribution": "unknown",
            "killed_low": kl, "killed_best": kb, "killed_high": kh,
            "source_dataset": "simulated", "sources": "test"})
    df = pd.DataFrame(recs)
    for c in ("killed_low", "killed_best", "killed_high", "wounded_low", "wounded_best", "wounded_high"):
        df[c] = df[c].astype("Int64")
    return df


ROWS = [
    ("2020-01-10", "2020-01-10", "2020-01-10", "ISKP", 1, 2, 3),
    ("2020-01-20", "2020-01-20", "2020-01-20", "Taliban", 0, 0, 0),
    ("2020-03-05", "2020-03-05", "2020-03-05", "ISKP", None, None, None),
    # a year-precise incident coded at 15 June: window overlaps 12 months
    ("2020-06-15", "2020-01-01", "2020-12-31", "Taliban", 5, 10, 20),
    ("2020-12-31", "2020-12-31", "2020-12-31", "ISKP", 4, 4, 4),
]


def test_regular_index_zeros_inside_and_na_outside_coverage():
    df = _frame(ROWS)
    y = incident_counts(df, "MS", start="2019-11-01", end="2021-02-01",
                        coverage=("2020-01-01", "2020-12-31"))
    assert isinstance(y, pd.Series) and y.index.freqstr == "MS" and len(y) == 16
    assert y.dtype == "Int64"
    assert y[:"2019-12"].isna().all() and y["2021-01":].isna().all()
    assert y["2020-01-01"] == 2 and y["2020-02-01"] == 0 and y["2020-06-01"] == 1
    assert int(y.sum()) == len(df)
    info = y.attrs["incident_counts"]
    assert info["n_wide_window"] == 1 and info["n_counted"] == 5


def test_default_range_is_the_data_and_everything_is_covered():
    y = incident_counts(_frame(ROWS), "MS")
    assert y.index[0] == pd.Timestamp("2020-01-01") and y.index[-1] == pd.Timestamp("2020-12-01")
    assert not y.isna().any() and int(y.sum()) == 5


def test_window_rule_spread_and_exclude():
    df = _frame(ROWS)
    spread = incident_counts(df, "MS", window="spread")
    assert spread.dtype == "Float64"
    assert float(spread.sum()) == pytest.approx(5.0)
    assert spread.attrs["incident_counts"]["incidents_not_counted"] == pytest.approx(0.0)
    # a range that cuts the year-wide window: the share outside is recorded, not hidden
    cut = incident_counts(df, "MS", window="spread", start="2020-01-01", end="2020-06-30")
    lost = cut.attrs["incident_counts"]["incidents_not_counted"]
    assert lost == pytest.approx(1 + 184 / 366)  # Dec 31 incident + Jul-Dec share
    # the year-wide incident adds days_in_month / 366 to each month of 2020 (a leap year)
    assert float(spread["2020-02-01"]) == pytest.approx(29 / 366)
    assert float(spread["2020-06-01"]) == pytest.approx(30 / 366)
    with pytest.warns(WideDateWindowWarning):
        excl = incident_counts(df, "MS", window="exclude")
    assert int(excl.sum()) == 4 and excl.attrs["incident_counts"]["n_excluded"] == 1
    # by best date the incident sits in June, never on its window's first day (January)
    assert int(incident_counts(df, "MS")["2020-06-01"]) == 1


def test_wide_windows_warn_when_common():
    df = _frame(ROWS)
    with pytest.warns(WideDateWindowWarning, match="best 'date'"):
        incident_counts(df, "W")


def test_by_group_and_casualties():
    df = _frame(ROWS)
    g = incident_counts(df, "QS", by="perpetrator")
    assert list(g.columns) == ["ISKP", "Taliban"] and g.index.freqstr == "QS-JAN"
    assert g.loc["2020-01-01"].tolist() == [2, 1]
    k = incident_counts(df, "MS", value="killed")
    assert list(k.columns) == ["low", "best", "high"]
    assert k.loc["2020-01-01"].tolist() == [1, 2, 3]
    # the unknown figure in March is left out of the sums and recorded, not counted as 0 silently
    assert k.loc["2020-03-01"].tolist() == [0, 0, 0]
    assert k.attrs["incident_counts"]["n_unknown"]["2020-03-01"] == 1
    kb = incident_counts(df, "YS", value="killed", by="perpetrator")
    assert kb.columns.nlevels == 2
    assert kb.loc["2020-01-01", ("ISKP", "high")] == 7
    assert kb.loc["2020-01-01", ("Taliban", "best")] == 10


def test_simulated_frame_all_frequencies():
    df = analysis.simulate_incidents(n_years=3, seed=4)
    for freq, expected in [("D", "D"), ("W", "W-MON"), ("MS", "MS"), ("QS", "QS-JAN"), ("YS", "YS-JAN")]:
        y = incident_counts(df, freq)
        assert y.index.freqstr == expected
        assert int(y.sum()) == len(df)
        assert pd.DatetimeIndex(y.index, freq="infer").freq is not None or len(y) < 3
    w = incident_counts(df, "W")
    assert (w.index.day_of_week == 0).all()


def test_outside_coverage_incidents_are_reported():
    df = _frame(ROWS)
    with pytest.warns(UserWarning, match="outside the coverage"):
        y = incident_counts(df, "MS", coverage=("2020-01-01", "2020-06-30"))
    assert y.attrs["incident_counts"]["n_outside_coverage"] == 1
    assert y["2020-12-01"] is pd.NA


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"freq": "H"}, "not supported"),
        ({"value": "deaths"}, "value must be"),
        ({"window": "first"}, "window must be"),
        ({"by": "nope"}, "not in data"),
        ({"start": "2021-01-01", "end": "2020-01-01"}, "before start"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(CountSeriesError, match=match):
        incident_counts(_frame(ROWS), **kwargs)


def test_empty_and_undated():
    empty = _frame(ROWS).iloc[0:0]
    with pytest.raises(CountSeriesError, match="no incidents"):
        incident_counts(empty)
    zeros = incident_counts(empty, "MS", start="2020-01-01", end="2020-06-01")
    assert (zeros == 0).all() and len(zeros) == 6
    bad = _frame(ROWS)
    bad.loc[0, "date"] = pd.NaT
    with pytest.raises(CountSeriesError, match="no date"):
        incident_counts(bad)


def test_counts_agree_with_a_plain_groupby():
    df = analysis.simulate_incidents(n_years=4, seed=12)
    y = incident_counts(df, "MS")
    ref = df.groupby(df["date"].dt.to_period("M")).size()
    np.testing.assert_array_equal(y.to_numpy(int), ref.reindex(y.index.to_period("M"), fill_value=0).to_numpy())
