"""Ramadan effect: Hijri flags against published dates and hijridate itself, recovery
of a known rate ratio in simulated daily counts (coverage over seeded runs), the frame
input with its date-window rule, bad input, and real GTD/RAND daily counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis._threads import single_threaded_blas
from analysis.models.calendar_effects import (
    HijriRangeError,
    RamadanResult,
    ramadan_days,
    ramadan_effect,
    ramadan_periods,
)
from analysis.models.seasonality import SeasonalityInputError

Gregorian = pytest.importorskip("hijridate").Gregorian  # the optional [calendar] extra
TRUE_IRR = 1.3


def simulate_daily(
    seed: int,
    start: str = "2010-01-01",
    end: str = "2019-12-31",
    base: float = 2.0,
    alpha: float = 0.5,
    irr: float = TRUE_IRR,
    amplitude: float = 0.4,
    slope: float = 0.08,
) -> pd.Series:
    """NB2 daily counts: base x exp(slope x years + fighting-season cosine) x irr^Ramadan.

    The Ramadan flag here is computed per day with hijridate directly (independently of
    the vectorised flag in the module)."""
    rng = np.random.default_rng(seed)
    idx = pd.date_range(start, end, freq="D")
    ram = _per_day_flags(idx)
    years = (np.arange(len(idx)) - len(idx) / 2) / 365.25
    season = amplitude * np.cos(2 * np.pi * (idx.day_of_year.to_numpy() - 190) / 365.25)
    mu = base * np.exp(slope * years + season + np.log(irr) * ram)
    lam = rng.gamma(1 / alpha, alpha * mu)
    return pd.Series(rng.poisson(lam), index=idx, name="incidents")


_FLAG_CACHE: dict[tuple, np.ndarray] = {}


def _per_day_flags(idx: pd.DatetimeIndex) -> np.ndarray:
    key = (idx[0], idx[-1])
    if key not in _FLAG_CACHE:
        _FLAG_CACHE[key] = np.array(
            [Gregorian(d.year, d.month, d.day).to_hijri().month == 9 for d in idx]
        )
    return _FLAG_CACHE[key]


# ----------------------------------------------------------------- Hijri calendar


@pytest.mark.parametrize(
    ("hijri_year", "first", "last"),
    [
        (1423, "2002-11-06", "2002-12-04"),
        (1430, "2009-08-22", "2009-09-19"),
        (1444, "2023-03-23", "2023-04-20"),
        (1445, "2024-03-11", "2024-04-09"),
    ],
)
def test_ramadan_periods_published_dates(hijri_year, first, last):
    per = ramadan_periods("2000-01-01", "2025-12-31").set_index("hijri_year")
    assert per.loc[hijri_year, "start"] == pd.Timestamp(first)
    assert per.loc[hijri_year, "end"] == pd.Timestamp(last)
    assert per.loc[hijri_year, "days"] in (29, 30)


def test_vectorised_flags_match_per_day_conversion():
    idx = pd.date_range("2001-06-01", "2026-02-28", freq="D")
    assert np.array_equal(ramadan_days(idx), _per_day_flags(idx))
    # times of day and unsorted input
    mixed = pd.to_datetime(["2024-03-11 23:30", "2024-03-10 08:00", "2024-04-09 12:00"])
    assert ramadan_days(mixed).tolist() == [True, False, True]


def test_outside_hijridate_range():
    with pytest.raises(HijriRangeError, match="1924-08-01"):
        ramadan_days(pd.date_range("1920-01-01", periods=3, freq="D"))
    with pytest.raises(HijriRangeError, match="2077-11-16"):
        ramadan_periods("2075-01-01", "2080-01-01")
    daily = pd.Series(1, index=pd.date_range("2076-01-01", "2078-12-31", freq="D"))
    with pytest.raises(HijriRangeError):
        ramadan_effect(daily)


# ----------------------------------------------------------------- recovery


def test_result_object_and_presentation():
    res = ramadan_effect(simulate_daily(1))
    assert isinstance(res, RamadanResult)
    with pytest.raises(AttributeError):
        res.irr = 2.0
    assert res.ci_low < TRUE_IRR < res.ci_high
    assert res.p_value < 0.01
    assert len(res.periods) == 10 and res.ramadan.sum() == res.periods["days"].sum()
    frame = res.to_frame()
    assert frame["irr"].iloc[0] == pytest.approx(res.irr)
    y, r = res.daily.to_numpy(), res.ramadan.to_numpy()
    assert frame["irr"].iloc[1] == pytest.approx(y[r].mean() / y[~r].mean())
    assert "IRR Ramadan vs other days" in res.summary()
    assert "<table>" in res._repr_html_()
    res.plot()


def test_month_adjustment_removes_seasonal_confounding():
    """Ramadan fell in the summer peak 2010-2016: without the month terms the crude ratio
    is biased upward when there is no Ramadan effect at all."""
    y = simulate_daily(2, irr=1.0, amplitude=0.6)
    crude = ramadan_effect(y, adjust=())
    adjusted = ramadan_effect(y)
    assert crude.irr > 1.1 and crude.p_value < 0.01
    assert adjusted.ci_low < 1.0 < adjusted.ci_high


def test_dow_and_hac_options():
    y = simulate_daily(3)
    res = ramadan_effect(y, adjust=("month", "trend", "dow"), cov_type="HAC")
    assert "dow[Fri]" in res.coefficients.index
    assert res.ci_low < TRUE_IRR < res.ci_high


def test_trend_degree_and_to_frame_copy():
    y = simulate_daily(6, start="2012-01-01", end="2017-12-31")
    res = ramadan_effect(y, trend=2)
    assert res.trend == 2
    assert [c for c in res.coefficients.index if c.startswith("trend")] == ["trend_1", "trend_2"]
    assert res.trend_aic is None
    default = ramadan_effect(y)  # the df of lowest AIC; the truth is a straight line
    table = default.trend_aic
    assert default.trend == int(table.index[table["chosen"]][0]) and default.trend <= 2
    assert list(table.index) == [0, 1, 2, 3, 4, 5, 6]  # up to one df per year of data
    none = ramadan_effect(y, trend=0)
    assert none.trend == 0 and not any(c.startswith("trend") for c in none.coefficients.index)
    frame = res.to_frame()
    frame.iloc[0, 0] = -1.0
    assert res.to_frame().iloc[0, 0] == pytest.approx(res.irr)


def _coverage(n_runs: int, seed0: int) -> float:
    hits = []
    with single_threaded_blas():
        for k in range(n_runs):
            res = ramadan_effect(simulate_daily(seed0 + k))
            hits.append(res.ci_low <= TRUE_IRR <= res.ci_high)
    return float(np.mean(hits))


def test_irr_coverage_quick():
    assert _coverage(12, 1000) >= 10 / 12


@pytest.mark.slow
def test_irr_coverage_200_runs():
    """The 95% CI covers the true IRR in at least 90% of 200 seeded runs."""
    cov = _coverage(200, 5000)
    print(f"Ramadan IRR 95% CI coverage over 200 runs: {cov:.3f}")
    assert 0.90 <= cov <= 0.99, cov


# ----------------------------------------------------------------- frame input


def _frame_from_daily(y: pd.Series) -> pd.DataFrame:
    dates = np.repeat(y.index.to_numpy(), y.to_numpy())
    df = pd.DataFrame({"date": dates, "date_earliest": dates, "date_latest": dates})
    df["date_precision"] = "day"
    return df


def test_frame_input_and_window_rule():
    y = simulate_daily(4, start="2012-01-01", end="2016-12-31")
    df = _frame_from_daily(y)
    # five incidents known only to the month: excluded and counted
    wide = pd.DataFrame(
        {
            "date": pd.to_datetime(["2013-07-15"] * 5),
            "date_earliest": pd.to_datetime(["2013-07-01"] * 5),
            "date_latest": pd.to_datetime(["2013-07-31"] * 5),
            "date_precision": "month",
        }
    )
    res_frame = ramadan_effect(pd.concat([df, wide], ignore_index=True))
    res_series = ramadan_effect(y.loc[y.index >= df["date"].min()].loc[: df["date"].max()])
    assert res_frame.n_excluded == 5
    assert "Excluded" in res_frame.summary()
    assert res_frame.irr == pytest.approx(res_series.irr, rel=1e-8)
    # explicit coverage adds zero days at the ends
    res_cov = ramadan_effect(df, start="2011-12-01", end="2017-01-31")
    assert len(res_cov.daily) == len(pd.date_range("2011-12-01", "2017-01-31"))


# ----------------------------------------------------------------- bad input


def test_bad_input():
    y = simulate_daily(5, start="2012-01-01", end="2015-12-31")
    with pytest.raises(SeasonalityInputError, match="daily"):
        ramadan_effect(y.resample("MS").sum())
    gap = y.drop(y.index[100:110])
    with pytest.raises(SeasonalityInputError, match="10 day"):
        ramadan_effect(gap)
    na = y.astype("Int64")
    na.iloc[3] = pd.NA
    with pytest.raises(SeasonalityInputError, match="missing"):
        ramadan_effect(na)
    with pytest.raises(SeasonalityInputError, match="all zero"):
        ramadan_effect(y * 0)
    with pytest.raises(SeasonalityInputError, match=r"two\s+years"):
        ramadan_effect(y.iloc[:400])
    with pytest.raises(SeasonalityInputError, match="unknown adjust"):
        ramadan_effect(y, adjust=("season",))
    with pytest.raises(SeasonalityInputError, match="'date'"):
        ramadan_effect(pd.DataFrame({"when": y.index}))
    with pytest.raises(SeasonalityInputError, match="Series"):
        ramadan_effect(y.to_numpy())
    with pytest.raises(SeasonalityInputError, match="trend"):
        ramadan_effect(y, trend=-1)
    with pytest.raises(SeasonalityInputError, match="conf_level"):
        ramadan_effect(y, conf_level=1.5)


# ----------------------------------------------------------------- real data


@pytest.mark.realdata
def test_gtd_daily_ramadan(realdata):
    """GTD Afghanistan 2012-2015: rows with an unknown day or month are excluded."""
    df = pd.read_csv(realdata("gtd_2012_2015_afg.csv"), usecols=["iyear", "imonth", "iday"])
    known = df[(df["imonth"] > 0) & (df["iday"] > 0)]
    dates = pd.to_datetime(
        pd.DataFrame({"year": known["iyear"], "month": known["imonth"], "day": known["iday"]})
    )
    res = ramadan_effect(pd.DataFrame({"date": dates}), start="2012-01-01", end="2015-12-31")
    assert len(res.periods) == 4 and res.daily.sum() == len(known)
    assert 0.5 < res.ci_low < res.irr < res.ci_high < 2.0


@pytest.mark.realdata
def test_rand_daily_ramadan(realdata):
    df = pd.read_csv(realdata("rand_rdwti_afg.csv"), usecols=["Date"], parse_dates=["Date"])
    df = df[(df["Date"] >= "2002-01-01") & (df["Date"] <= "2009-07-31")]
    res = ramadan_effect(df.rename(columns={"Date": "date"}), start="2002-01-01", end="2009-07-31")
    assert len(res.periods) == 7  # 1423-1429 AH
    assert 0.5 < res.ci_low < res.irr < res.ci_high < 2.0
