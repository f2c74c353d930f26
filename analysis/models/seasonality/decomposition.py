r"""STL decomposition (Cleveland et al. 1990) of :math:`x_t = \log(1 + y_t)` into
:math:`x_t = T_t + S_t + R_t` (trend, seasonal, remainder), and the seasonal strength of
Wang, Smith & Hyndman (2006), :math:`F_S = \max(0, 1 - \mathrm{Var}(R)/\mathrm{Var}(S+R))`
(0 = no seasonality, near 1 = strong)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["seasonal_strength", "stl_decomposition"]


def seasonal_strength(seasonal: np.ndarray, resid: np.ndarray) -> float:
    """:math:`F_S = \\max(0, 1 - \\mathrm{Var}(R)/\\mathrm{Var}(S+R))` (0 when S + R is constant)."""
    var_sr = np.var(seasonal + resid)
    return 0.0 if var_sr == 0 else float(max(0.0, 1.0 - np.var(resid) / var_sr))


def stl_decomposition(y: np.ndarray, index: pd.DatetimeIndex, period: int,
                      robust: bool) -> tuple[pd.DataFrame, float]:
    """The STL decomposition of ``log1p(y)`` (columns observed, trend, seasonal, resid)
    and its seasonal strength."""
    from statsmodels.tsa.seasonal import STL

    x = np.log1p(y)
    stl = STL(pd.Series(x, index=index), period=period, robust=robust).fit()
    frame = pd.DataFrame(
        {
            "observed": x,
            "trend": stl.trend.to_numpy(),
            "seasonal": stl.seasonal.to_numpy(),
            "resid": stl.resid.to_numpy(),
        },
        index=index,
    )
    return frame, seasonal_strength(frame["seasonal"].to_numpy(), frame["resid"].to_numpy())
