"""Lethality over time: killed per attack, the median, and the share of mass-casualty
attacks, each on the low, best and high casualty counts, so that a conclusion that depends
on which count is believed is visible.

>>> import analysis
>>> res = analysis.casualty_trend(df, freq="YS", by="perpetrator")   # doctest: +SKIP
>>> res.summary(); res.plot()                                         # doctest: +SKIP
>>> analysis.casualty_band(df, lambda k: k.mean(), decide=lambda m: m > 5)  # doctest: +SKIP

Models (per group and per count band ``killed_low`` / ``killed_best`` / ``killed_high``)
--------------------------------------------------------------------------------------
* **Killed per attack**: the deaths :math:`Y_t` of period :math:`t` with :math:`A_t` attacks
  (attacks whose count in that band is known) follow a negative-binomial (NB2) model with
  an offset, :math:`\\log E[Y_t] = \\log A_t + \\beta_0 + \\beta_1 t` (:math:`t` in years), fitted
  with statsmodels' ``NegativeBinomial`` (dispersion estimated; Poisson when it collapses to
  zero). :math:`e^{\\beta_1}` is the rate ratio per year; fitted killed per attack
  :math:`e^{\\beta_0 + \\beta_1 t}` has delta-method intervals.
* **Median killed per attack**: the Mann–Kendall test of the per-period medians against
  time (Kendall's :math:`\\tau_b` with tie correction, ``scipy.stats.kendalltau``).
* **Mass-casualty share**: attacks with at least ``mass_threshold`` (10) killed over all
  attacks of the period, with Wilson score intervals.

Attacks whose casualty count is unknown (NA) are never counted as zero: they are left out
of that band's statistics and counted in ``n_missing``.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import InputError
from ..results import Result, get_axes
from ._count_glm import fit_nb_ml, wald

__all__ = [
    "BAND_LEVELS",
    "CasualtyBandResult",
    "CasualtyInputError",
    "CasualtyTrendResult",
    "casualty_band",
    "casualty_trend",
]

BAND_LEVELS = ("low", "best", "high")
_MEASURES = ("killed", "wounded")


class CasualtyInputError(InputError):
    """The incident frame cannot be used for casualty statistics as given."""


# ====================================================================== helpers
def _band_columns(df: pd.DataFrame, value: str) -> dict[str, str]:
    """Map band level -> column for ``value`` ('killed', 'wounded' or one column name)."""
    if value in _MEASURES:
        cols = {lvl: f"{value}_{lvl}" for lvl in BAND_LEVELS}
    elif isinstance(value, str) and value.rsplit("_", 1)[-1] in BAND_LEVELS:
        cols = {value.rsplit("_", 1)[-1]: value}
    elif isinstance(value, str) and value in df.columns:
        cols = {value: value}
    else:
        raise CasualtyInputError(
            f"value={value!r} is not understood: use 'killed' or 'wounded' (all three count "
            "bands), or one column such as 'killed_best'."
        )
    missing = [c for c in cols.values() if c not in df.columns]
    if missing:
        raise CasualtyInputError(
            f"the frame lacks the column(s) {missing}; pass the canonical incident frame "
            "(analysis.load_incidents()) or choose value='killed_best'."
        )
    return cols


def _check_counts(df: pd.DataFrame, col: str) -> pd.Series:
    s = df[col]
    if not (pd.api.types.is_numeric_dtype(s) or s.isna().all()):
        raise CasualtyInputError(f"column {col!r} must hold numbers (got dtype {s.dtype}).")
    v = pd.to_numeric(s, errors="coerce").astype("Float64")
    if (v.dropna() < 0).any():
        raise CasualtyInputError(
            f"column {col!r} has negative counts (e.g. {v[v < 0].iloc[0]}); casualties are >= 0."
        )
    if (v.dropna() % 1 != 0).any():
        raise CasualtyInputError(f"column {col!r} has fractional counts; casualties are whole numbers.")
    return v


def _check_frame(df: Any, by: str | None) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise CasualtyInputError(
            f"expected the incident DataFrame (analysis.load_incidents()), got {type(df).__name__}."
        )
    if len(df) == 0:
        raise CasualtyInputError("the incident frame is empty: there is nothing to analyse.")
    if "date" not in df.columns:
        raise CasualtyInputError("the incident frame needs a 'date' column.")
    if not pd.api.types.is_datetime64_any_dtype(df["date"]):
        raise CasualtyInputError("'date' must be datetime64; load data with analysis.load_incidents().")
    if df["date"].isna().any():
        raise CasualtyInputError(f"'date' has {int(df['date'].isna().sum())} missing values.")
    if by is not None and by not in df.columns:
        raise CasualtyInputError(f"by={by!r} is not a column of the frame.")
    if by is not None and df[by].isna().any():
        raise CasualtyInputError(f"column {by!r} has missing values; fill them (e.g. 'unknown').")
    return df


def _wilson(k: np.ndarray, n: np.ndarray, conf_level: float) -> tuple[np.ndarray, np.ndarray]:
    from statsmodels.stats.proportion import proportion_confint

    k = np.asarray(k, float)
    n = np.asarray(n, float)
    lo = np.full(k.shape, np.nan)
    hi = np.full(k.shape, np.nan)
    ok = n > 0
    if ok.any():
        lo[ok], hi[ok] = proportion_confint(k[ok], n[ok], alpha=1 - conf_level, method="wilson")
    return lo, hi


def _conclusion(estimate_sign: float, p: float, conf_level: float) -> str:
    if not np.isfinite(p):
        return "not estimable"
    if p >= 1 - conf_level:
        return "no significant trend"
    return "increasing" if estimate_sign > 0 else "decreasing"


def _nb_trend(t: np.ndarray, y: np.ndarray, attacks: np.ndarray,
              conf_level: float) -> dict[str, Any]:
    """NB2 regression of deaths on time with offset log(attacks); Poisson if NB collapses."""
    out: dict[str, Any] = {"model": "none", "beta0": np.nan, "beta1": np.nan, "cov": None,
                           "dispersion": np.nan}
    if len(t) < 3 or y.sum() == 0 or np.ptp(t) == 0:
        return out
    X = np.column_stack([np.ones_like(t), t])
    try:
        fit = fit_nb_ml(y, X, np.log(attacks))
    except Exception:  # statsmodels raises many kinds on degenerate data
        return out
    if fit.alpha > 0:
        out["model"] = "negative binomial (NB2)"
    else:
        out["model"] = "Poisson (NB dispersion ~ 0)"
    out["dispersion"] = fit.alpha
    b, cov = np.asarray(fit.params, float)[:2], np.asarray(fit.cov, float)[:2, :2]
    lo, hi, p = wald(float(b[1]), float(np.sqrt(cov[1, 1])), conf_level)
    out.update(beta0=b[0], beta1=b[1], cov=cov, p=p, rr=float(np.exp(b[1])),
               rr_low=float(np.exp(lo)), rr_high=float(np.exp(hi)))
    return out


def _years(idx: pd.DatetimeIndex) -> np.ndarray:
    return np.asarray(idx.year + (idx.day_of_year - 1) / 365.25, float)


# ====================================================================== trend result
@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class CasualtyTrendResult(Result):
    """Lethality over time, per group and per casualty count band.

    Models: deaths :math:`Y_t \\sim \\mathrm{NB2}(\\mu_t, \\alpha)`,
    :math:`\\log \\mu_t = \\log A_t + \\beta_0 + \\beta_1 t` (:math:`A_t` attacks, :math:`t` in
    years; rate ratio per year :math:`e^{\\beta_1}`); Mann–Kendall test of the per-period median
    killed per attack; Wilson intervals for the share of attacks with at least
    ``mass_threshold`` killed.

    Attributes
    ----------
    periods : one row per group x band x period: attacks, killed, observed and fitted killed
        per attack (with interval), median, mass-casualty count and share (with interval),
        attacks with an unknown count (n_missing).
    tests : one row per group x test x band: estimate, interval, p-value, conclusion, and
        ``conclusion_stable`` (False when the conclusion changes between the low, best and
        high counts).
    """

    title = "Lethality trends (killed per attack, median, mass-casualty share)"

    periods: pd.DataFrame
    tests: pd.DataFrame
    freq: str
    by: str | None
    value: str
    mass_threshold: int
    conf_level: float

    def _table(self) -> pd.DataFrame:
        return self.tests

    @property
    def unstable(self) -> pd.DataFrame:
        """The tests whose conclusion flips within the low-best-high band."""
        return self.tests[~self.tests["conclusion_stable"]]

    def summary_lines(self) -> list[tuple[str, str]]:
        lines = [
            ("periods", f"{self.periods['period'].nunique()} ({self.freq})"),
            ("groups", ", ".join(map(str, self.periods["group"].unique()))),
            ("bands", ", ".join(self.periods["band"].unique())),
            ("mass casualty", f">= {self.mass_threshold} {self.value.split('_')[0]}"),
        ]
        n_flip = int((~self.tests.drop_duplicates(["group", "test"])["conclusion_stable"]).sum())
        lines.append(("conclusions that flip within the count band",
                      "none" if n_flip == 0 else f"{n_flip} (see .unstable)"))
        return lines

    def plot(self, ax=None):
        """Killed per attack over time: observed (best) with fitted NB trend, low-high band."""
        ax = get_axes(ax)
        for g, sub in self.periods.groupby("group", sort=False):
            best = sub[sub["band"] == ("best" if "best" in set(sub["band"]) else sub["band"].iloc[0])]
            line = ax.plot(best["period"], best["killed_per_attack_obs"], "o", ms=4, label=f"{g}")[0]
            ax.plot(best["period"], best["killed_per_attack"], "-", color=line.get_color(), lw=1.5)
            if {"low", "high"} <= set(sub["band"]):
                lo = sub[sub["band"] == "low"].set_index("period")["killed_per_attack_obs"]
                hi = sub[sub["band"] == "high"].set_index("period")["killed_per_attack_obs"]
                lo, hi = lo.align(hi)
                ax.fill_between(lo.index, lo.to_numpy(float), hi.to_numpy(float),
                                color=line.get_color(), alpha=0.2, lw=0)
        ax.set_ylabel("killed per attack")
        ax.set_xlabel("period")
        ax.legend(fontsize="small", title=self.by)
        return ax


def _aggregate(sub: pd.DataFrame, col: str, freq: str, periods: pd.DatetimeIndex,
               threshold: int) -> pd.DataFrame:
    v = _check_counts(sub, col)
    known = v.notna()
    frame = pd.DataFrame({
        "date": sub["date"].to_numpy(),
        "k": v.to_numpy(dtype=float, na_value=np.nan),
        "known": known.to_numpy(bool),
    })
    frame["mass"] = (frame["k"] >= threshold) & frame["known"]
    g = frame.groupby(pd.Grouper(key="date", freq=freq))
    agg = pd.DataFrame({
        "attacks": g["known"].sum(),
        "n_missing": g["known"].count() - g["known"].sum(),
        "killed": g["k"].sum(min_count=0),
        "median": g["k"].median(),
        "n_mass": g["mass"].sum(),
    })
    agg = agg.reindex(periods, fill_value=0)
    agg["median"] = agg["median"].where(agg["attacks"] > 0)
    return agg


def casualty_trend(
    data: pd.DataFrame,
    *,
    freq: str = "YS",
    by: str | None = None,
    value: str = "killed",
    mass_threshold: int = 10,
    conf_level: float = 0.95,
) -> CasualtyTrendResult:
    r"""Killed per attack, its median and the mass-casualty share over time.

    Deaths :math:`Y_t \sim \mathrm{NB2}`, :math:`\log E[Y_t] = \log A_t + \beta_0 + \beta_1 t`
    (:math:`A_t` attacks, :math:`t` in years); the Mann–Kendall test of the per-period
    median; a logit trend of the mass-casualty share. See :class:`CasualtyTrendResult`.

    Parameters
    ----------
    data : the canonical incident frame (``analysis.load_incidents()``).
    freq : pandas period alias for the aggregation ("YS" years, "QS" quarters, "MS" months).
    by : optional column to split by, e.g. ``"perpetrator"``.
    value : ``"killed"`` (default) or ``"wounded"`` to compute every statistic on the low, best
        and high counts; or a single column such as ``"killed_best"``.
    mass_threshold : size of a mass-casualty attack (default 10 killed).
    conf_level : level of all intervals; the tests are two-sided at level 1 - conf_level.

    Returns
    -------
    CasualtyTrendResult
    """
    data = _check_frame(data, by)
    cols = _band_columns(data, value)
    if not 0 < conf_level < 1:
        raise CasualtyInputError(f"conf_level must be between 0 and 1 (got {conf_level}).")
    probe = pd.DataFrame({"date": [data["date"].min(), data["date"].max()]})
    periods = probe.groupby(pd.Grouper(key="date", freq=freq)).size().index  # first to last
    groups = [("all", data)] if by is None else list(data.groupby(by, sort=True, observed=True))
    p_rows, t_rows = [], []
    for gname, sub in groups:
        for lvl, col in cols.items():
            agg = _aggregate(sub, col, freq, periods, mass_threshold)
            frame, tests = _band_trend(agg, conf_level)
            p_rows.append(frame.assign(group=gname, band=lvl, column=col))
            t_rows += [{"group": gname, "band": lvl, **row} for row in tests]
    periods_df = pd.concat(p_rows, ignore_index=True)[_PERIOD_COLUMNS]
    tests = pd.DataFrame(t_rows)[_TEST_COLUMNS]
    tests["conclusion_stable"] = tests.groupby(["group", "test"])["conclusion"].transform(
        lambda s: s.nunique() == 1
    )
    return CasualtyTrendResult(periods=periods_df, tests=tests, freq=freq, by=by,
                               value=value, mass_threshold=mass_threshold, conf_level=conf_level)


_PERIOD_COLUMNS = [
    "group", "band", "column", "period", "attacks", "n_missing", "killed",
    "killed_per_attack_obs", "killed_per_attack", "ci_low", "ci_high", "median", "n_mass",
    "mass_share", "mass_ci_low", "mass_ci_high",
]
_TEST_COLUMNS = ["group", "test", "band", "estimate", "ci_low", "ci_high", "p", "model",
                 "conclusion"]


def _fitted_per_attack(t: np.ndarray, nb: dict, conf_level: float):
    """Fitted killed per attack exp(b0 + b1 t) with delta-method intervals (NaN unfitted)."""
    if nb["cov"] is None:
        nan = np.full(len(t), np.nan)
        return nan, nan.copy(), nan.copy()
    z = stats.norm.ppf(0.5 + conf_level / 2)
    eta = nb["beta0"] + nb["beta1"] * t
    X = np.column_stack([np.ones_like(t), t])
    se = np.sqrt(np.einsum("ij,jk,ik->i", X, nb["cov"], X))
    return np.exp(eta), np.exp(eta - z * se), np.exp(eta + z * se)


def _median_trend(t: np.ndarray, med: np.ndarray, conf_level: float) -> dict[str, Any]:
    """Mann-Kendall: Kendall's tau-b of the per-period medians against time."""
    ok = np.isfinite(med)
    if ok.sum() >= 3 and np.ptp(med[ok]) > 0:
        tau, p = stats.kendalltau(t[ok], med[ok])
    else:
        tau, p = np.nan, np.nan
    return {"test": "median killed (Mann-Kendall tau)", "estimate": tau, "ci_low": np.nan,
            "ci_high": np.nan, "p": p, "model": "Mann-Kendall (Kendall tau-b vs time)",
            "conclusion": _conclusion(tau, p, conf_level)}


def _band_trend(agg: pd.DataFrame, conf_level: float) -> tuple[pd.DataFrame, list[dict]]:
    """The period table and the three tests of one group and count band."""
    A = agg["attacks"].to_numpy(float)
    has = A > 0
    t = _years(agg.index)
    t = t - (t[has].mean() if has.any() else 0.0)  # centred: well-conditioned fits
    y = agg["killed"].to_numpy(float)
    n_mass = agg["n_mass"].to_numpy(float)
    nb = _nb_trend(t[has], y[has], A[has], conf_level)
    fit, flo, fhi = _fitted_per_attack(t, nb, conf_level)
    mlo, mhi = _wilson(n_mass, A, conf_level)
    with np.errstate(invalid="ignore", divide="ignore"):
        obs = np.where(has, y / A, np.nan)
        share = np.where(has, n_mass / A, np.nan)
    frame = pd.DataFrame({
        "period": agg.index, "attacks": A.astype(int), "n_missing": agg["n_missing"].to_numpy(int),
        "killed": y, "killed_per_attack_obs": obs, "killed_per_attack": fit,
        "ci_low": flo, "ci_high": fhi, "median": agg["median"].to_numpy(float),
        "n_mass": n_mass.astype(int), "mass_share": share, "mass_ci_low": mlo, "mass_ci_high": mhi,
    })
    tests = [
        {"test": "killed per attack (NB rate ratio per year)", "estimate": nb.get("rr", np.nan),
         "ci_low": nb.get("rr_low", np.nan), "ci_high": nb.get("rr_high", np.nan),
         "p": nb.get("p", np.nan), "model": nb["model"],
         "conclusion": _conclusion(nb.get("beta1", np.nan), nb.get("p", np.nan), conf_level)},
        _median_trend(t, agg["median"].to_numpy(float), conf_level),
        {"test": "mass-casualty share (logit odds ratio per year)",
         **_mass_trend(t[has], n_mass[has], A[has], conf_level)},
    ]
    return frame, tests


def _mass_trend(t, k, n, conf_level) -> dict[str, Any]:
    """Binomial GLM (logit) of mass-casualty attacks on time: odds ratio per year."""
    import statsmodels.api as sm

    row = {"estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p": np.nan,
           "model": "binomial GLM (logit)", "conclusion": "not estimable"}
    if len(t) < 3 or k.sum() == 0 or (k == n).all() or np.ptp(t) == 0:
        return row
    X = sm.add_constant(t, has_constant="add")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            res = sm.GLM(np.column_stack([k, n - k]), X, family=sm.families.Binomial()).fit()
        except Exception:
            return row
    b, se = float(res.params[1]), float(res.bse[1])
    lo, hi, p = wald(b, se, conf_level)
    row.update(estimate=float(np.exp(b)), ci_low=float(np.exp(lo)), ci_high=float(np.exp(hi)),
               p=p, conclusion=_conclusion(b, p, conf_level))
    return row


# ====================================================================== any statistic on the band
@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class CasualtyBandResult(Result):
    r"""A statistic computed on the low, best and high casualty counts.

    For a statistic :math:`T` and the counts :math:`x^{(b)}` of band
    :math:`b \in \{\text{low}, \text{best}, \text{high}\}`, the reported band is
    :math:`[\min_b T(x^{(b)}),\ \max_b T(x^{(b)})]`; with a decision rule :math:`d`, the
    conclusion is stable when :math:`d(T(x^{(b)}))` is the same for every band.

    For each quantity the table gives the value on each band, the band's range
    (``band_min``, ``band_max``) and, when a decision rule was given, the conclusion on each
    band and ``conclusion_stable`` (False: the conclusion flips within the reported range).
    """

    title = "Statistic across the casualty count band (low / best / high)"

    table: pd.DataFrame
    value: str

    def _table(self) -> pd.DataFrame:
        return self.table

    def summary_lines(self) -> list[tuple[str, str]]:
        lines = [("counts", ", ".join(f"{self.value}_{b}" for b in BAND_LEVELS))]
        if "conclusion_stable" in self.table:
            flips = self.table.index[~self.table["conclusion_stable"].astype(bool)]
            lines.append(("conclusion flips within band",
                          "no" if len(flips) == 0 else "YES: " + ", ".join(map(str, flips))))
        return lines

    def plot(self, ax=None):
        """Each quantity's value on the best count with the low-high range as an error bar."""
        ax = get_axes(ax)
        tb = self.table
        y = np.arange(len(tb))
        best = tb["best"].to_numpy(float)
        ax.errorbar(best, y, xerr=[best - tb["band_min"].to_numpy(float),
                                   tb["band_max"].to_numpy(float) - best], fmt="o", capsize=3)
        ax.set_yticks(y, [str(i) for i in tb.index])
        ax.set_xlabel(f"value (best; bar: range over {self.value} low-high)")
        return ax


def casualty_band(
    data: pd.DataFrame,
    statistic: Callable[[pd.Series], Any],
    *,
    value: str = "killed",
    decide: Callable[[Any], Any] | None = None,
    dropna: bool = True,
) -> CasualtyBandResult:
    """Run ``statistic`` on the low, best and high casualty counts and show the band.

    Parameters
    ----------
    data : incident frame with ``{value}_low``, ``{value}_best``, ``{value}_high``.
    statistic : function of one count column (a float Series) returning a number, or a dict
        / Series of named numbers (one table row each). Example:
        ``lambda k: analysis.fit_severity(k[k > 0]).alpha``.
    value : "killed" or "wounded".
    decide : optional rule mapping a value to a conclusion (e.g. ``lambda a: a < 2`` or a
        label); the table then flags ``conclusion_stable``.
    dropna : drop attacks with an unknown count before calling ``statistic`` (default);
        unknown counts are never treated as zero.

    Returns
    -------
    CasualtyBandResult
    """
    if not isinstance(data, pd.DataFrame):
        raise CasualtyInputError(
            f"expected a DataFrame with {value}_low/best/high columns, got {type(data).__name__}."
        )
    if len(data) == 0:
        raise CasualtyInputError("the frame is empty: there is nothing to compute.")
    if value not in _MEASURES:
        raise CasualtyInputError(f"value must be one of {_MEASURES} (got {value!r}).")
    cols = _band_columns(data, value)
    values: dict[str, pd.Series] = {}
    for lvl, col in cols.items():
        v = _check_counts(data, col).astype(float)
        if dropna:
            v = v.dropna()
        if len(v) == 0:
            raise CasualtyInputError(f"column {col!r} has no known counts.")
        out = statistic(v)
        if isinstance(out, dict):
            out = pd.Series(out, dtype=float)
        elif not isinstance(out, pd.Series):
            out = pd.Series({getattr(statistic, "__name__", "statistic"): out}, dtype=float)
        values[lvl] = out.astype(float)
    table = pd.DataFrame(values)[list(BAND_LEVELS)]
    table["band_min"] = table[list(BAND_LEVELS)].min(axis=1)
    table["band_max"] = table[list(BAND_LEVELS)].max(axis=1)
    if decide is not None:
        for lvl in BAND_LEVELS:
            table[f"conclusion_{lvl}"] = [decide(v) for v in table[lvl]]
        conc = table[[f"conclusion_{lvl}" for lvl in BAND_LEVELS]]
        table["conclusion_stable"] = conc.nunique(axis=1) == 1
    return CasualtyBandResult(table=table, value=value)
