r"""Lethality over time, tested per incident: :func:`casualty_trend`."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from ...errors import EstimationWarning
from .inputs import band_columns, check_counts, check_frame, check_options
from .periods import PERIOD_COLUMNS, aggregate, period_table, years
from .result import CasualtyTrendResult
from .trend_tests import band_tests

__all__ = ["casualty_trend"]

_TEST_COLUMNS = ["group", "test", "band", "estimate", "ci_low", "ci_high", "p", "model",
                 "conclusion", "n", "note"]


def casualty_trend(
    data: pd.DataFrame,
    *,
    freq: str = "YS",
    by: str | None = None,
    value: str = "killed",
    mass_threshold: int = 10,
    conf_level: float = 0.95,
    n_sims: int = 999,
    seed: Any = None,
) -> CasualtyTrendResult:
    r"""Is killed per attack rising or falling? Three tests per incident, on each count band.

    On the incidents whose toll :math:`y_i` is known in a band (time :math:`t_i` in years):

    * killed per attack: :math:`y_i \sim \mathrm{NB2}(\mu_i, \alpha)`,
      :math:`\log\mu_i = \beta_0 + \beta_1 t_i`; the rate ratio per year :math:`e^{\beta_1}`;
    * rank trend: Kendall's :math:`\tau_b` between date and toll (Mann–Kendall);
    * mass-casualty share: :math:`\mathrm{logit}\Pr(y_i \ge T) = \gamma_0 + \gamma_1 t_i`,
      the odds ratio per year :math:`e^{\gamma_1}`.

    The two regressions have sandwich (HC1) standard errors; their p-values come from
    ``n_sims`` random permutations of the tolls across the incidents,
    :math:`p = (1 + \#\{|z^*| \ge |z|\})/(1 + B)`, which holds its size exactly when the
    tolls are exchangeable, however heavy their tail, and the intervals use the permutation
    quantile of :math:`|z^*|` in place of 1.96, so an interval excludes 1 exactly when the
    test rejects. At the default ``n_sims=999`` a p-value near 0.05 has a Monte Carlo
    standard error of 0.007 (:math:`\sqrt{p(1-p)/B}`). Kendall's p-value is the normal
    approximation with the tie-corrected variance (no Monte Carlo error). Periods only group
    incidents for the table and the plot.

    Measured size at the 5% level, on 100 datasets with the tolls permuted across dates
    (``benchmarks/results/calibration_tests.md``): at most 8% for every test on the bundled
    data, GTD 2012-2015 and RAND Afghanistan, and on heavy-tailed simulated tolls.

    Parameters
    ----------
    data : the canonical incident frame (``analysis.load_incidents()``).
    freq : pandas period alias of the period table ("YS" years, "QS" quarters, "MS" months).
    by : optional column to split by, e.g. ``"perpetrator"``.
    value : ``"killed"`` (default) or ``"wounded"`` to compute every statistic on the low, best
        and high counts; or a single column such as ``"killed_best"``. Unknown (NA) counts
        are left out of that band and counted in ``n_missing``, never taken as zero.
    mass_threshold : size of a mass-casualty attack (default 10 killed).
    conf_level : level of all intervals; the tests are two-sided at level 1 - conf_level.
    n_sims : permutations per test (at least ``conf_level / (1 - conf_level)``).
    seed : seed of the permutations (int, Generator or None).

    Returns
    -------
    CasualtyTrendResult

    Warns
    -----
    EstimationWarning
        When a band has at most 20 known tolls, a single toll value, every incident on one
        date, or (for the share) no or only mass-casualty attacks: those tests are NaN and
        the reason is in ``tests["note"]`` and ``notes``.
    """
    data = check_frame(data, by)
    cols = band_columns(data, value)
    check_options(conf_level, n_sims, mass_threshold)
    rng = np.random.default_rng(seed)
    dates = data["date"]
    origin = dates.min() + (dates.max() - dates.min()) / 2
    probe = pd.DataFrame({"date": [dates.min(), dates.max()]})
    grouper = pd.Grouper(key="date", freq=freq)
    periods = probe.groupby(grouper).size().index  # first to last
    half = (periods + pd.tseries.frequencies.to_offset(freq) - periods) / 2
    t_mid = years(periods - half if grouper.label == "right" else periods + half, origin)
    measure = str(value).split("_")[0]
    groups = [("all", data)] if by is None else list(data.groupby(by, sort=True, observed=True))
    p_rows, t_rows = [], []
    for gname, sub in groups:
        t_all = years(sub["date"], origin)
        for lvl, col in cols.items():
            v = check_counts(sub, col)
            known = v.notna().to_numpy(bool)
            fit = band_tests(t_all[known], v.to_numpy(float, na_value=np.nan)[known],
                             measure=measure, mass_threshold=mass_threshold, n_sims=n_sims,
                             rng=rng, conf_level=conf_level)
            agg = aggregate(sub["date"], v, freq, periods, mass_threshold)
            frame = period_table(agg, t_mid, fit, conf_level)
            p_rows.append(frame.assign(group=gname, band=lvl, column=col))
            t_rows += [{"group": gname, "band": lvl, **row} for row in fit.rows]
    tests = pd.DataFrame(t_rows)[_TEST_COLUMNS]
    tests["conclusion_stable"] = tests.groupby(["group", "test"])["conclusion"].transform(
        lambda s: s.nunique() == 1
    )
    notes = _notes(tests)
    return CasualtyTrendResult(
        periods=pd.concat(p_rows, ignore_index=True)[PERIOD_COLUMNS], tests=tests, freq=freq,
        by=by, value=value, mass_threshold=mass_threshold, conf_level=conf_level,
        n_sims=n_sims, seed=seed, notes=notes,
    )


def _notes(tests: pd.DataFrame) -> tuple[str, ...]:
    """One line per test that could not be estimated; warns once when there are any."""
    bad = tests[tests["note"] != ""]
    notes = []
    for (group, band, note), sub in bad.groupby(["group", "band", "note"], sort=False):
        which = "all tests" if len(sub) == 3 else ", ".join(sub["test"])
        notes.append(f"{group} / {band} ({which}): {note}")
    if notes:
        more = f" (and {len(notes) - 3} more)" if len(notes) > 3 else ""
        warnings.warn(
            f"casualty_trend: {len(bad)} of {len(tests)} tests are not estimable from these "
            "data, so their estimates, intervals and p-values are NaN: "
            + "; ".join(notes[:3]) + more + ". See result.notes.",
            EstimationWarning, stacklevel=3,
        )
    return tuple(notes)
