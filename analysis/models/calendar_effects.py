"""Islamic-calendar effects on daily incident counts: the Ramadan rate ratio.

Ramadan (Hijri month 9) moves about 11 days earlier through the Gregorian year every
year, so over several years it falls in different calendar months; that is what separates
a Ramadan effect from the ordinary month-of-year seasonality. Hijri dates come from the
``hijridate`` package (the Umm al-Qura calendar), never from a hand-written calendar.
Umm al-Qura month starts can differ by a day from the start announced in Afghanistan
(moon sighting); this moves at most a day or two per year in or out of the flag.

>>> import analysis
>>> res = analysis.ramadan_effect(df)          # canonical incident frame  # doctest: +SKIP
>>> res.irr, res.ci_low, res.ci_high            # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..results import Result, get_axes, irr_table
from ._count_glm import fit_nb_ml, wald
from ._terms import default_degree, dow_dummies, legendre_trend, month_dummies
from .seasonality._input import (
    SeasonalityInputError,
    as_counts,
    as_datetime_index,
    check_conf_level,
    check_trend,
    on_regular_grid,
)

__all__ = [
    "HijriRangeError",
    "RamadanResult",
    "ramadan_days",
    "ramadan_effect",
    "ramadan_periods",
]

#: Gregorian dates hijridate supports (Umm al-Qura table, 1343-1500 AH).
HIJRI_SUPPORTED = (pd.Timestamp("1924-08-01"), pd.Timestamp("2077-11-16"))
_ADJUSTMENTS = ("month", "trend", "dow")


class HijriRangeError(SeasonalityInputError):
    """Dates outside the range the Hijri converter supports (1924-08-01 to 2077-11-16)."""


def _hijri():
    try:
        from hijridate import Gregorian, Hijri
    except ImportError as err:  # pragma: no cover - optional dependency
        raise ImportError(
            "the Ramadan effect needs the 'hijridate' package: "
            "pip install 'afghan-violence-analysis[calendar]' (or pip install hijridate)"
        ) from err
    return Gregorian, Hijri


def _check_range(first: pd.Timestamp, last: pd.Timestamp) -> None:
    lo, hi = HIJRI_SUPPORTED
    if first < lo or last > hi:
        raise HijriRangeError(
            f"dates {first.date()} to {last.date()} fall outside the range of the Hijri "
            f"converter (hijridate: {lo.date()} to {hi.date()}, 1343-1500 AH); restrict the "
            "data to that range."
        )


def ramadan_periods(start, end) -> pd.DataFrame:
    """Ramadan of every Hijri year overlapping ``start``..``end`` (Umm al-Qura).

    Returns a frame with columns ``hijri_year``, ``start`` (1 Ramadan) and ``end`` (the last
    day of Ramadan, inclusive) and ``days`` (29 or 30). One conversion per Hijri year.
    """
    Gregorian, Hijri = _hijri()
    first, last = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if last < first:
        raise SeasonalityInputError(f"end ({last.date()}) is before start ({first.date()}).")
    _check_range(first, last)
    y0 = Gregorian(first.year, first.month, first.day).to_hijri().year
    y1 = Gregorian(last.year, last.month, last.day).to_hijri().year
    rows = []
    for hy in range(y0, y1 + 1):
        s = Hijri(hy, 9, 1).to_gregorian()
        e = Hijri(hy, 10, 1).to_gregorian()  # Shawwal 1; Hijri years end at 1500, so fine
        s_ts, e_ts = pd.Timestamp(s.year, s.month, s.day), pd.Timestamp(e.year, e.month, e.day)
        if e_ts <= first or s_ts > last:
            continue
        rows.append(
            {
                "hijri_year": hy,
                "start": s_ts,
                "end": e_ts - pd.Timedelta(days=1),
                "days": (e_ts - s_ts).days,
            }
        )
    return pd.DataFrame(rows, columns=["hijri_year", "start", "end", "days"])


def ramadan_days(dates) -> np.ndarray:
    """Boolean array: is each date (any time of day) in Ramadan? Vectorised per Hijri year.

    Raises :class:`HijriRangeError` outside 1924-08-01 to 2077-11-16.
    """
    d = pd.DatetimeIndex(pd.to_datetime(dates)).normalize()
    if len(d) == 0:
        return np.zeros(0, dtype=bool)
    if d.hasnans:
        raise SeasonalityInputError("dates contain missing values.")
    per = ramadan_periods(d.min(), d.max())
    if per.empty:
        return np.zeros(len(d), dtype=bool)
    starts = per["start"].to_numpy(dtype="datetime64[ns]")
    ends = per["end"].to_numpy(dtype="datetime64[ns]")
    v = d.to_numpy(dtype="datetime64[ns]")
    k = np.searchsorted(starts, v, side="right") - 1
    ok = k >= 0
    out = np.zeros(len(d), dtype=bool)
    out[ok] = v[ok] <= ends[k[ok]]
    return out


# ============================================================== result


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class RamadanResult(Result):
    r"""Incidence-rate ratio of Ramadan days against other days.

    Negative-binomial (NB2) regression on daily counts, dispersion estimated by maximum
    likelihood (statsmodels' discrete ``NegativeBinomial``):

    .. math::

        y_d \sim \mathrm{NB}(\mu_d, \alpha), \qquad
        \log \mu_d = \beta_0 + \beta_R\,\mathrm{Ram}_d + \gamma_{m(d)}
                     + \sum_{j=1}^{p} \tau_j P_j(u_d) \;[+ \omega_{w(d)}],

    with :math:`\mathrm{Ram}_d = 1` on days of Hijri month 9 (Umm al-Qura, hijridate),
    :math:`\gamma_m` Gregorian month-of-year effects (``"month"`` in ``adjust``),
    :math:`P_j` Legendre polynomials of time (``"trend"``, degree ``trend``) and
    :math:`\omega_w` day-of-week effects (``"dow"``). The result is
    :math:`\mathrm{IRR} = e^{\beta_R}` with a Wald interval; ``crude_irr`` is the ratio
    of mean daily counts without adjustment. Because Ramadan drifts ~11 days a year
    through the Gregorian calendar, :math:`\beta_R` is separated from :math:`\gamma_m` only
    over several years; short spans give wide intervals.
    """

    title = "Ramadan effect on daily counts"

    irr: float
    ci_low: float
    ci_high: float
    p_value: float
    crude_irr: float
    conf_level: float
    adjust: tuple[str, ...]
    alpha: float
    daily: pd.Series
    ramadan: pd.Series
    periods: pd.DataFrame
    coefficients: pd.DataFrame
    trend: int
    n_excluded: int = 0
    cov_type: str = "nonrobust"

    def _table(self) -> pd.DataFrame:
        """The adjusted and crude rate ratios (one row each)."""
        r = self.ramadan.to_numpy()
        y = self.daily.to_numpy()
        return pd.DataFrame(
            {
                "irr": [self.irr, self.crude_irr],
                "ci_low": [self.ci_low, np.nan],
                "ci_high": [self.ci_high, np.nan],
                "p_value": [self.p_value, np.nan],
                "mean_ramadan": [y[r].mean(), y[r].mean()],
                "mean_other": [y[~r].mean(), y[~r].mean()],
            },
            index=pd.Index(
                [f"Ramadan, adjusted for {', '.join(self.adjust) or 'nothing'}", "Ramadan, crude"],
                name="estimate",
            ),
        )

    def summary_lines(self) -> list[tuple[str, str]]:
        d = self.daily.index
        r = self.ramadan.to_numpy()
        pct = f"{100 * self.conf_level:.0f}%"
        lines = [
            ("Days", f"{len(d)} ({d[0].date()} to {d[-1].date()}), {int(self.daily.sum())} events"),
            ("Ramadan days", f"{int(r.sum())} in {len(self.periods)} Hijri years"),
            (
                "IRR Ramadan vs other days",
                f"{self.irr:.3f} ({pct} CI {self.ci_low:.3f}-{self.ci_high:.3f}), p = {self.p_value:.3g}",
            ),
            ("Crude IRR", f"{self.crude_irr:.3f}"),
            ("Adjusted for", ", ".join(self.adjust) or "nothing"),
            ("NB dispersion alpha", f"{self.alpha:.3g}"),
        ]
        if self.n_excluded:
            lines.append(("Excluded (date window > 1 day)", str(self.n_excluded)))
        return lines

    def plot(self, ax=None):
        """Weekly sums of the daily counts with the Ramadan periods shaded."""
        ax = get_axes(ax, figsize=(9, 3.5))
        weekly = self.daily.resample("W").sum()
        ax.plot(weekly.index, weekly.to_numpy(), lw=1)
        for i, row in enumerate(self.periods.itertuples()):
            ax.axvspan(
                row.start,
                row.end + pd.Timedelta(days=1),
                color="#009E73",
                alpha=0.25,
                lw=0,
                label="Ramadan" if i == 0 else None,
            )
        ax.set_ylabel("events per week")
        ax.set_title(
            f"Ramadan IRR {self.irr:.2f} ({100 * self.conf_level:.0f}% CI "
            f"{self.ci_low:.2f}-{self.ci_high:.2f})"
        )
        ax.legend(frameon=False, fontsize=8)
        return ax


# ============================================================== input


def _daily_from_frame(df: pd.DataFrame, start, end) -> tuple[pd.Series, int]:
    if "date" not in df.columns:
        raise SeasonalityInputError(
            "the incident frame has no 'date' column; pass a canonical frame "
            "(analysis.load_incidents()) or a daily count Series."
        )
    date = pd.to_datetime(df["date"])
    if date.isna().any():
        raise SeasonalityInputError(
            f"{int(date.isna().sum())} incident(s) have no date; fix or drop them first."
        )
    date = date.dt.normalize()
    earliest = pd.to_datetime(df["date_earliest"]).dt.normalize() if "date_earliest" in df else date
    latest = pd.to_datetime(df["date_latest"]).dt.normalize() if "date_latest" in df else date
    earliest, latest = earliest.fillna(date), latest.fillna(date)
    one_day = (earliest == date) & (latest == date)
    n_excluded = int((~one_day).sum())
    kept = date[one_day]
    if kept.empty:
        raise SeasonalityInputError(
            "no incident is dated to a single day; the daily Ramadan model needs day-precise dates."
        )
    first = pd.Timestamp(start) if start is not None else kept.min()
    last = pd.Timestamp(end) if end is not None else kept.max()
    counts = kept.value_counts()
    idx = pd.date_range(first.normalize(), last.normalize(), freq="D", name="date")
    daily = counts.reindex(idx, fill_value=0).astype("int64")
    return daily.rename("incidents"), n_excluded


def _check_daily(series: pd.Series) -> pd.Series:
    s = as_datetime_index(series, "series")
    idx = s.index
    if not (idx == idx.normalize()).all():
        raise SeasonalityInputError("the daily series has times of day in its index; normalise it.")

    def gaps(missing: pd.DatetimeIndex) -> str:
        step = pd.Series(idx).diff().dropna().dt.days
        hint = " It looks monthly/weekly: the Ramadan effect needs daily counts." if step.min() >= 7 else ""
        return (f"the series is not a regular daily series ({len(missing)} day(s) missing "
                f"between {idx[0].date()} and {idx[-1].date()}).{hint} Use "
                "analysis.incident_counts(df, freq='D') or series.asfreq('D') and decide which "
                "days are 0.")

    return on_regular_grid(s, idx, "D", gaps)


def ramadan_effect(
    data: pd.DataFrame | pd.Series,
    *,
    adjust: Sequence[str] = ("month", "trend"),
    start=None,
    end=None,
    trend: int | None = None,
    conf_level: float = 0.95,
    cov_type: str = "nonrobust",
    hac_lags: int = 7,
) -> RamadanResult:
    r"""Incidence-rate ratio of Ramadan days against other days, with a CI.

    The NB2 model :math:`\log \mu_d = \beta_0 + \beta_R\,\mathrm{Ram}_d + \text{adjustments}`
    on daily counts; the result is :math:`e^{\beta_R}` (see :class:`RamadanResult`).

    Parameters
    ----------
    data : DataFrame or Series
        A canonical incident frame (``analysis.load_incidents()``), or a regular daily
        count Series with a DatetimeIndex. From a frame, incidents are counted on their
        ``date``; incidents whose window (``date_earliest``..``date_latest``) covers more
        than one calendar day are **excluded** (their Ramadan status may be unknown) and
        their number is reported as ``n_excluded``.
    adjust : sequence of {"month", "trend", "dow"}
        Terms in the model besides the Ramadan indicator: Gregorian month-of-year
        dummies, a smooth Legendre-polynomial trend, day-of-week dummies. ``()`` gives
        the crude ratio with its CI.
    start, end : date-like, optional
        Coverage of a frame (days without incidents inside it are 0). Default: the first
        and last counted incident.
    trend : int, optional
        Degree of the trend polynomial; default about one per two years (1 to 10).
    conf_level : float
        Confidence level.
    cov_type : {"nonrobust", "HAC"}
        ``"HAC"`` gives Newey–West standard errors with ``hac_lags`` lags, for serially
        dependent counts (for example after mass-casualty attacks).

    Returns
    -------
    RamadanResult

    Raises
    ------
    SeasonalityInputError
        Bad adjust terms, NA, irregular or non-daily index, negative or fractional counts,
        all zeros, under two years of days, Ramadan in fewer than two years.
    HijriRangeError
        Dates outside 1924-08-01 to 2077-11-16 (the range hijridate supports).
    """
    adjust = tuple(adjust)
    _check_options(adjust, trend, conf_level, cov_type)
    daily, n_excluded = _daily_input(data, start, end)
    idx = daily.index
    y = _daily_counts(daily, adjust)
    ram, periods = _ramadan_flags(idx)
    X, names, deg = _design(idx, ram, adjust, trend)
    fit = fit_nb_ml(y, X, None, cov_type=cov_type,
                    cov_kwds={"maxlags": int(hac_lags)} if cov_type == "HAC" else None)
    se = np.sqrt(np.clip(np.diag(fit.cov), 0, None))
    b, sb = float(fit.params[1]), float(se[1])
    lo, hi, p = wald(b, sb, conf_level)
    crude = float(y[ram].mean() / y[~ram].mean()) if y[~ram].mean() > 0 else float("inf")
    return RamadanResult(
        irr=float(np.exp(b)), ci_low=float(np.exp(lo)), ci_high=float(np.exp(hi)), p_value=p,
        crude_irr=crude, conf_level=conf_level, adjust=adjust, alpha=fit.alpha,
        daily=pd.Series(y.astype("int64"), index=idx, name=daily.name or "count"),
        ramadan=pd.Series(ram, index=idx, name="ramadan"), periods=periods,
        coefficients=irr_table(fit.params, se, names, float(stats.norm.ppf(0.5 + conf_level / 2))),
        trend=int(deg), n_excluded=n_excluded, cov_type=cov_type,
    )


def _check_options(adjust: tuple[str, ...], trend: int | None, conf_level: float,
                   cov_type: str) -> None:
    bad = [a for a in adjust if a not in _ADJUSTMENTS]
    if bad:
        raise SeasonalityInputError(f"unknown adjust term(s) {bad}; choose from {_ADJUSTMENTS}.")
    if cov_type not in ("nonrobust", "HAC"):
        raise SeasonalityInputError(f"cov_type must be 'nonrobust' or 'HAC', not {cov_type!r}")
    check_trend(trend)
    check_conf_level(conf_level)


def _daily_input(data, start, end) -> tuple[pd.Series, int]:
    """Daily counts from a frame or a daily Series, and the incidents excluded."""
    if isinstance(data, pd.DataFrame):
        return _daily_from_frame(data, start, end)
    if isinstance(data, pd.Series):
        daily = _check_daily(data)
        if start is not None or end is not None:
            daily = daily.loc[start:end]
        return daily, 0
    raise SeasonalityInputError(
        "data must be a canonical incident frame or a daily count Series, got "
        f"{type(data).__name__}."
    )


def _daily_counts(daily: pd.Series, adjust: tuple[str, ...]) -> np.ndarray:
    """The checked daily counts: in the Hijri range, not all zero, two years with "month"."""
    _check_range(daily.index[0], daily.index[-1])
    y = as_counts(daily, "daily counts")
    if y.sum() == 0:
        raise SeasonalityInputError("the daily counts are all zero; nothing to estimate.")
    if "month" in adjust and len(y) < 730:
        raise SeasonalityInputError(
            f"{len(y)} days: with month-of-year adjustment the Ramadan effect needs at least two "
            "years of daily data (Ramadan moves only ~11 days a year)."
        )
    return y


def _ramadan_flags(idx: pd.DatetimeIndex) -> tuple[np.ndarray, pd.DataFrame]:
    """The Ramadan flag of each day and the Ramadan periods; at least two Hijri years."""
    ram = ramadan_days(idx)
    periods = ramadan_periods(idx[0], idx[-1])
    n_years = int(periods.shape[0])
    if ram.all() or not ram.any() or n_years < 2:
        raise SeasonalityInputError(
            "the data must include Ramadan days in at least two Hijri years and days outside "
            f"Ramadan (found {int(ram.sum())} Ramadan days in {n_years} year(s))."
        )
    return ram, periods


def _design(idx: pd.DatetimeIndex, ram: np.ndarray, adjust: tuple[str, ...],
            trend: int | None) -> tuple[np.ndarray, list[str], int]:
    """Columns const, ramadan and the adjustments; their names; the trend degree."""
    n = len(idx)
    cols, names = [np.ones((n, 1)), ram.astype(float)[:, None]], ["const", "ramadan"]
    deg = 0
    if "trend" in adjust:
        deg = trend if trend is not None else default_degree(n / 365.25)
        if deg >= 1:
            cols.append(legendre_trend(np.arange(n, dtype=float), int(deg)))
            names += [f"trend{j}" for j in range(1, int(deg) + 1)]
    if "month" in adjust:
        cols.append(month_dummies(idx.month.to_numpy()))
        names += [f"month[{m}]" for m in range(2, 13)]
    if "dow" in adjust:
        cols.append(dow_dummies(idx.day_of_week.to_numpy()))
        names += [f"dow[{d}]" for d in ("Tue", "Wed", "Thu", "Fri", "Sat", "Sun")]
    return np.hstack(cols), names, int(deg)
