r"""The fighting-season share: the NB2 model with the trend and an indicator :math:`F_t` of
months in the window, :math:`\log \mu_t = \log d_t + \text{trend} + \delta F_t`, gives the
share of a year's events inside the window at a constant trend level,

.. math::
    s = \frac{D_W e^\delta}{D_W e^\delta + D_O},

where :math:`D_W, D_O` are the mean days per year inside and outside the window. The
interval maps the Wald interval of :math:`\delta` with t quantiles on n - p df; the
no-seasonality value is :math:`s_0 = D_W / (D_W + D_O)`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..._glm import fit_nb_moment, wald
from ._input import SeasonalityInputError

__all__ = ["fighting_shares", "window_months"]

#: Mean month lengths over the 400-year Gregorian cycle (February 28.2425 days).
_MEAN_MONTH_DAYS = np.array([31, 28.2425, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_MEAN_YEAR_DAYS = 365.2425


def window_months(window: tuple[int, int]) -> np.ndarray:
    """Boolean of the 12 calendar months: inside ``(first, last)`` (inclusive, may wrap)."""
    try:
        a, b = (int(window[0]), int(window[1]))
    except (TypeError, ValueError, IndexError) as err:
        raise SeasonalityInputError(
            f"fighting_season must be (first_month, last_month), e.g. (4, 10); got {window!r}"
        ) from err
    if not (1 <= a <= 12 and 1 <= b <= 12):
        raise SeasonalityInputError(f"fighting_season months must be in 1..12; got {window!r}")
    m = np.arange(1, 13)
    return (m >= a) & (m <= b) if a <= b else (m >= a) | (m <= b)


def _share_row(yy, in_win, T, offset, d_w, conf_level) -> dict:
    d_o = _MEAN_YEAR_DAYS - d_w
    fit = fit_nb_moment(yy, np.hstack([T, in_win[:, None].astype(float)]), offset)
    delta, sd = fit.params[-1], float(np.sqrt(fit.cov[-1, -1]))
    lo, hi, p = wald(delta, sd, conf_level, df=fit.df_resid)

    def share(dl: float) -> float:
        return d_w * np.exp(dl) / (d_w * np.exp(dl) + d_o)

    return {
        "observed_share": float(yy[in_win].sum() / yy.sum()),
        "share": share(delta),
        "ci_low": share(lo),
        "ci_high": share(hi),
        "expected_share": d_w / _MEAN_YEAR_DAYS,
        "rate_ratio": float(np.exp(delta)),
        "p_value": p,
        "alpha": fit.alpha,
    }


def fighting_shares(counts: dict[str, np.ndarray | None], T: np.ndarray, offset: np.ndarray,
                    months: np.ndarray, window: tuple[int, int],
                    conf_level: float) -> pd.DataFrame:
    """One row per named count series (e.g. incidents, deaths; None is skipped): observed
    and model-based share inside the window, its interval, the no-season share, the rate
    ratio inside/outside, its p-value and the fit's alpha."""
    in_win_month = window_months(window)
    in_win = in_win_month[months - 1]
    if in_win.all() or not in_win.any():
        raise SeasonalityInputError("fighting_season must leave some months outside the window.")
    d_w = float(_MEAN_MONTH_DAYS[in_win_month].sum())
    rows = {what: _share_row(yy, in_win, T, offset, d_w, conf_level)
            for what, yy in counts.items() if yy is not None}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "quantity"
    return out
