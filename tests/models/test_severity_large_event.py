"""Tests of the large-event probability (analysis.models.severity.large_event).

Anchor: Clauset & Woodard (2013), 11-35% for a >= 2,749-death event among the RAND-MIPT
deadly events of 1968-2007.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.models import severity as sv


@pytest.fixture
def rand_deadly(realdata) -> np.ndarray:
    d = pd.read_csv(realdata("rand_rdwti.csv"), usecols=["Date", "Fatalities"])
    d["Date"] = pd.to_datetime(d["Date"], errors="coerce")
    sel = d[(d["Fatalities"] >= 1) & d["Date"].dt.year.between(1968, 2007)]
    return sel["Fatalities"].to_numpy(float)


def test_large_event_probability_formula():
    rng = np.random.default_rng(12)
    x = np.concatenate([rng.integers(1, 5, 3000), sv.sample_power_law(1000, 2.0, 5, seed=rng)])
    fit = analysis.fit_severity(x, alternatives=())
    res = analysis.large_event_probability(x, 500, n_events=200, n_sims=0, models=("power_law",))
    p1 = fit.n_tail / x.size * float(sv.power_law_sf(500, fit.alpha, fit.x_min))
    assert res.table.loc["power_law", "estimate"] == pytest.approx(1 - (1 - p1) ** 200, rel=1e-10)


def test_large_event_rand_clauset_woodard(rand_deadly):
    assert rand_deadly.size == 13858
    res = analysis.large_event_probability(rand_deadly, 2749, n_sims=8, seed=1, progress=False)
    est = res.table["estimate"]
    # C&W: 11-35% depending on the tail model; measured 0.30 (power law), 0.19 (stretched
    # exponential), 0.20 (lognormal)
    assert 0.11 <= est["power_law"] <= 0.35
    assert (est.between(0.05, 0.45)).all()
    assert len(res.boot) == 8 and res.boot.notna().all().all()
    assert "power_law" in res.summary()


@pytest.mark.slow
def test_large_event_rand_1000_bootstrap(rand_deadly):
    res = analysis.large_event_probability(rand_deadly, 2749, n_sims=1000, seed=1, progress=False)
    # measured: boot means 0.346 (power law), 0.171 (stretched exp.), 0.166 (lognormal)
    assert 0.11 <= res.table.loc["power_law", "estimate"] <= 0.35
    assert res.table["boot_mean"].between(0.1, 0.4).all()


def test_to_frame_is_a_copy_and_models_are_checked():
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.integers(1, 5, 500), sv.sample_power_law(300, 2.2, 5, seed=rng)])
    res = analysis.large_event_probability(x, 200, n_sims=4, seed=2, progress=False,
                                           models=("power_law", "exponential"))
    frame = res.to_frame()
    frame["estimate"] = -1.0
    assert (res.to_frame()["estimate"] >= 0).all()
    assert len(res.boot) == 4
    with pytest.raises(analysis.SeverityInputError, match="unknown models"):
        analysis.large_event_probability(x, 200, n_sims=0, models=("gamma",))
    with pytest.raises(analysis.SeverityInputError, match="no models"):
        analysis.large_event_probability(x, 200, n_sims=0, models=())


def test_tiny_tail_gives_nan_intervals():
    rng = np.random.default_rng(5)
    x = np.r_[sv.sample_power_law(15, 2.0, 30, seed=rng), rng.integers(1, 8, 60)]
    with pytest.warns(analysis.EstimationWarning, match="not estimable from these data"):
        res = analysis.large_event_probability(x, 200, n_sims=10, seed=1, progress=False,
                                               xmin=30, models=("power_law",))
    row = res.table.loc["power_law"]
    assert 0 < row["estimate"] < 1
    assert np.isnan(row["ci_low"]) and np.isnan(row["ci_high"]) and res.boot.empty
    assert res.notes and "not estimable from these data" in res.summary()
