"""The simulator: valid canonical frames, reproducible, and with the truth it claims."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.simulate import SimulationParameterError


def test_passes_schema_and_is_reproducible():
    df = analysis.simulate_incidents(n_years=3, dispersion=0.2, excitation=(0.3, 4), seed=7)
    outcome = analysis.validate_incidents(df)
    assert outcome.n_quarantined == 0, outcome.rule_counts
    again = analysis.simulate_incidents(n_years=3, dispersion=0.2, excitation=(0.3, 4), seed=7)
    pd.testing.assert_frame_equal(df, again)
    other = analysis.simulate_incidents(n_years=3, dispersion=0.2, excitation=(0.3, 4), seed=8)
    assert len(other) != len(df) or not other["date"].equals(df["date"])
    assert set(df["source_dataset"]) == {"simulated"}
    assert set(df["sources"]) == {"analysis.simulate_incidents(seed=7)"}
    assert set(df["date_precision"]) == {"day", "week", "month", "year"}
    # some windows are wider than a month, so the window rule of incident_counts is exercised
    assert ((df["date_latest"] - df["date_earliest"]).dt.days > 31).sum() > 10
    assert df["killed_best"].isna().any() and (df["killed_best"] > 20).any()


def test_truth_matches_the_counts():
    df = analysis.simulate_incidents(n_years=40, base_rate=50, trend=0.0, seasonal_amplitude=0.5,
                                     peak_month=7, breaks={}, seed=3, start="1980-01-01")
    truth = df.attrs["truth"]
    y = analysis.incident_counts(df, "MS")
    # Poisson: monthly counts have mean = expected and variance = mean
    z = (y.to_numpy(float) - truth["expected_monthly"].to_numpy()) / np.sqrt(truth["expected_monthly"].to_numpy())
    assert abs(z.mean()) < 0.15 and 0.85 < z.var() < 1.15
    by_month = y.groupby(y.index.month).mean()
    assert by_month.idxmax() == 7 and by_month.idxmin() == 1
    ratio = by_month.max() / by_month.min()
    assert ratio == pytest.approx(np.exp(1.0), rel=0.1)


def test_break_and_dispersion_are_applied():
    df = analysis.simulate_incidents(n_years=8, base_rate=40, trend=0, seasonal_amplitude=0,
                                     breaks={"2018-01-01": np.log(0.5)}, dispersion=0.15,
                                     start="2014-01-01", seed=11)
    y = analysis.incident_counts(df, "MS").astype(float)
    before, after = y[:"2017-12"], y["2018-01":]
    assert after.mean() / before.mean() == pytest.approx(0.5, rel=0.15)
    # NB2 variance mu + alpha mu^2 with alpha = 0.15 and mu = 40: about 280
    assert 150 < before.var() < 450


@pytest.mark.filterwarnings("ignore::analysis.WideDateWindowWarning")
def test_excitation_clusters_in_time():
    df = analysis.simulate_incidents(n_years=4, base_rate=30, seasonal_amplitude=0, trend=0,
                                     breaks={}, excitation=(0.6, 2.0), seed=5)
    y = analysis.incident_counts(df, "D").astype(float)
    assert y.mean() * 30.44 == pytest.approx(30, rel=0.2)  # the mean level is kept
    assert y.autocorr(1) > 0.1
    flat = analysis.simulate_incidents(n_years=4, base_rate=30, seasonal_amplitude=0, trend=0,
                                       breaks={}, seed=5)
    assert analysis.incident_counts(flat, "D").astype(float).autocorr(1) < 0.08


def test_perpetrator_and_attribution_mix():
    df = analysis.simulate_incidents(n_years=5, perpetrators={"ISKP": 1, "unknown": 1},
                                     attribution_mix={"claimed": 1}, seed=2)
    share = (df["perpetrator"] == "ISKP").mean()
    assert 0.45 < share < 0.55
    assert set(df.loc[df["perpetrator"] == "ISKP", "attribution"]) == {"claimed"}
    assert set(df.loc[df["perpetrator"] == "unknown", "attribution"]) == {"unclaimed"}


def test_casualty_tail_exponent():
    df = analysis.simulate_incidents(n_years=30, base_rate=80, casualty_alpha=2.5, seed=9,
                                     start="1985-01-01")
    k = df["killed_best"].dropna().astype(int)
    k = k[k >= 1].to_numpy()
    # discrete power law from floor(Pareto): P(X >= x) = x^-(alpha - 1); MLE of the continuous
    # tail above x_min = 10 is close to alpha
    tail = k[k >= 10]
    alpha_hat = 1 + len(tail) / np.sum(np.log(tail / 9.5))
    assert alpha_hat == pytest.approx(2.5, abs=0.2)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_rate": 0},
        {"dispersion": -1},
        {"excitation": (1.2, 3)},
        {"casualty_alpha": 1.0},
        {"perpetrators": {"Martians": 1}},
        {"start": "2025-01-01", "n_years": 5},
        {"n_years": 0},
    ],
)
def test_bad_parameters(kwargs):
    with pytest.raises(SimulationParameterError):
        analysis.simulate_incidents(**kwargs)
