"""Hawkes inputs: event times, dating windows, ties and jitter draws, bad input and
bad options."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.errors import AnalysisError, EstimationWarning
from analysis.models.hawkes import HawkesInputError, fit_hawkes, fit_hawkes_bivariate

from ._hawkes import day_dates


def test_raw_ties_rejected_with_clear_error():
    t = np.sort(np.r_[np.arange(50.0), np.arange(20.0)])
    with pytest.raises(HawkesInputError, match="ties"):
        fit_hawkes(t)
    with pytest.warns(UserWarning) as rec:
        raw = fit_hawkes(t, ties="raw")
    assert any("without bound" in str(w.message) for w in rec)
    # the decay runs to its bound: an untrustworthy fit, whose intervals are NaN
    assert any(issubclass(w.category, EstimationWarning) for w in rec)
    assert np.isnan(raw.decay_ci).all() and np.isnan(raw.branching_ci).all()
    r = fit_hawkes(t, resolution=1.0, seed=1, n_sims=3)
    assert r.n_sims == 3 and r.ties == "jitter"


def test_day_precision_dates_are_jittered_reproducibly():
    d = day_dates()
    a = fit_hawkes(d, seed=4, n_sims=4)
    b = fit_hawkes(d, seed=4, n_sims=4)
    c = fit_hawkes(pd.Series(d), seed=5, n_sims=4)
    assert a.branching == b.branching and a.loglik == b.loglik
    assert a.branching != c.branching
    assert a.origin == d.min()
    assert a.end == pytest.approx((d.max() - d.min()).days + 1)  # end of the last day
    # jittered times stay inside each event's day
    assert np.all(np.floor(np.sort(a.times)) == np.sort((d - d.min()).days.to_numpy()))


def test_incident_frame_uses_date_windows():
    d = day_dates(n=200)
    frame = pd.DataFrame({"date": d, "date_earliest": d, "date_latest": d + pd.Timedelta(days=6)})
    frame = frame.sample(frac=1.0, random_state=1)  # records need not be sorted
    r = fit_hawkes(frame, seed=2, n_sims=2)
    assert r.n_events == 200
    lo = (frame["date_earliest"] - d.min()).dt.days.to_numpy()
    assert r.times.min() >= lo.min() and r.times.max() <= lo.max() + 7


def test_end_given_and_end_before_last_event():
    d = day_dates()
    r = fit_hawkes(d, end=d.max() + pd.Timedelta(days=30), seed=0, n_sims=2)
    assert r.end == pytest.approx((d.max() - d.min()).days + 31)
    with pytest.raises(HawkesInputError, match="before the last event"):
        fit_hawkes(d, end=d.max() - pd.Timedelta(days=3))
    t = np.linspace(0, 100, 50)
    with pytest.raises(HawkesInputError, match="before the last event"):
        fit_hawkes(t, end=50.0)


@pytest.mark.parametrize(
    "bad, match",
    [
        (np.arange(9.0), "at least 10"),
        (np.r_[np.arange(20.0), 3.5], "not sorted"),
        (np.r_[np.arange(20.0), np.nan], "NaN"),
        (pd.DatetimeIndex(["2020-01-01"] * 5 + [None] + ["2020-01-02"] * 10), "NaT"),
        (pd.DatetimeIndex(["2020-03-01"] * 30), "one day"),
        (np.full(30, 4.0), "one day"),
    ],
)
def test_bad_input(bad, match):
    with pytest.raises(HawkesInputError, match=match):
        fit_hawkes(bad)


def test_bad_options():
    t = np.linspace(0, 100, 50)
    with pytest.raises(ValueError, match="kernel"):
        fit_hawkes(t, kernel="power")
    with pytest.raises(ValueError, match="background"):
        fit_hawkes(t, background="spline")
    with pytest.raises(ValueError, match="ties"):
        fit_hawkes(t, ties="drop")
    with pytest.raises(AnalysisError, match="trend"):
        fit_hawkes(t, background="trend_seasonal", trend=-1)
    with pytest.raises(AnalysisError, match="harmonics"):
        fit_hawkes(t, harmonics=1.5)
    with pytest.raises(AnalysisError, match="n_sims"):
        fit_hawkes(day_dates(), n_sims=0)
    with pytest.raises(AnalysisError, match="engine"):
        fit_hawkes_bivariate(t, t + 0.5, engine="fortran")
    assert issubclass(HawkesInputError, ValueError)
    assert issubclass(HawkesInputError, AnalysisError)
