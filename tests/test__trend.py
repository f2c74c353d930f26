"""Smooth trends chosen by AIC: the basis, its clipping, and the choice."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from analysis._trend import choose_trend, make_trend, parse_trend, trend_grid
from analysis.errors import InputError


def test_parse_trend_names():
    assert parse_trend("auto") == "auto"
    assert parse_trend(None) == parse_trend(False) == parse_trend("none") == 0
    assert parse_trend(True) == parse_trend("linear") == 1
    assert parse_trend(4) == 4
    for bad in ("wiggly", -1, 1.5):
        with pytest.raises(InputError):
            parse_trend(bad)


def test_grid_is_capped_by_the_span_in_years():
    assert trend_grid(np.linspace(0, 3.5, 42)) == [0, 1, 2, 3]
    assert trend_grid(np.linspace(0, 0.5, 6)) == [0, 1]
    assert max(trend_grid(np.linspace(0, 30, 360))) == 12


def test_linear_basis_is_years_from_the_middle():
    t = np.linspace(2.0, 6.0, 9)
    tr = make_trend(t, 1)
    assert tr.names == ["trend"]
    np.testing.assert_allclose(tr.basis(t)[:, 0], t - 4.0)


def test_spline_is_held_flat_beyond_the_data():
    t = np.linspace(0, 8, 97)
    tr = make_trend(t, 5)
    assert tr.basis(t).shape == (97, 5)
    np.testing.assert_allclose(tr.basis([8.0, 9.0, 50.0]), np.repeat(tr.basis([8.0]), 3, axis=0))
    np.testing.assert_allclose(tr.basis([-3.0]), tr.basis([0.0]))


def _poisson_aic(t, y):
    def fit(trend):
        X = np.column_stack([np.ones(len(t)), trend.basis(t)])
        return sm.GLM(y, X, family=sm.families.Poisson()).fit().aic

    return fit


def test_auto_keeps_a_line_for_a_linear_trend():
    rng = np.random.default_rng(1)
    t = np.arange(120) / 12
    y = rng.poisson(np.exp(2 + 0.15 * (t - 5)))
    chosen, table = choose_trend(t, _poisson_aic(t, y))
    assert chosen.df == 1
    assert table.loc[1, "chosen"] and table["chosen"].sum() == 1


def test_auto_follows_a_surge_and_collapse():
    rng = np.random.default_rng(2)
    t = np.arange(96) / 12
    surge = 1.5 * np.exp(-((t - 5) ** 2) / 2)  # up to 4.5x at year 5, back down after
    y = rng.poisson(np.exp(2 + surge))
    chosen, table = choose_trend(t, _poisson_aic(t, y))
    assert chosen.df >= 3
    assert table.loc[chosen.df, "aic"] < table.loc[1, "aic"] - 20
