"""Small decisions the report notebooks share, kept out of the notebooks."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

__all__ = ["breaks_within", "month_name"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def breaks_within(index: pd.DatetimeIndex, breaks: Iterable, min_periods: int = 12) -> list[str]:
    """The break dates with at least ``min_periods`` periods of ``index`` on each side.

    A regime effect cannot be estimated from a handful of periods, so the report only
    asks for breaks the series can identify (e.g. the 2021-08-15 takeover needs data
    both before and after it).
    """
    out = []
    for b in breaks:
        t = pd.Timestamp(b)
        before, after = int((index < t).sum()), int((index >= t).sum())
        if before >= min_periods and after >= min_periods:
            out.append(str(t.date()))
    return out


def month_name(m: int) -> str:
    """``3 -> "Mar"``."""
    return _MONTHS[int(m) - 1]


def deadly_sizes(df: pd.DataFrame, column: str = "killed_best"):
    """Event sizes for tail fits: ``column`` for incidents with at least one death.

    Unknown (NA) figures are left out; ``attrs`` is not used, the counts are returned:
    ``(sizes as int64 ndarray, n_unknown, n_zero)``.
    """
    s = df[column]
    n_unknown = int(s.isna().sum())
    s = s.dropna().astype("int64")
    n_zero = int((s == 0).sum())
    return s[s >= 1].to_numpy(), n_unknown, n_zero


def severity_band(df: pd.DataFrame, fit, *, quantity: str = "killed", **kwargs) -> pd.DataFrame:
    """Run the tail fit ``fit`` on the low, best and high counts and tabulate the band.

    One row per estimate (low / best / high) with alpha, x_min, n_tail, the GOF p-value
    and whether the power law is plausible (p > 0.1; NaN p when no bootstrap). The
    column ``conclusion_stable`` is True when the verdict is the same across the band,
    so a conclusion that flips within the reported range is visible.
    """
    import numpy as np

    rows = []
    for est in ("low", "best", "high"):
        x, n_unknown, _ = deadly_sizes(df, f"{quantity}_{est}")
        r = fit(x, **kwargs)
        p = float(r.gof_p)
        rows.append(
            {
                "estimate": est,
                "events": len(x),
                "unknown": n_unknown,
                "alpha": float(r.alpha),
                "alpha_se": float(r.alpha_se),
                "x_min": float(r.x_min),
                "n_tail": int(r.n_tail),
                "gof_p": p,
                "power_law_plausible": (p > 0.1) if np.isfinite(p) else None,
            }
        )
    out = pd.DataFrame(rows)
    verdicts = {v for v in out["power_law_plausible"] if v is not None}
    out["conclusion_stable"] = len(verdicts) <= 1
    return out


def two_streams(df: pd.DataFrame, a: str = "ISKP", b: str = "Taliban", min_events: int = 10):
    """The incidents of perpetrators ``a`` and ``b`` as two frames, or None when either
    has fewer than ``min_events`` incidents (a bivariate model needs both streams)."""
    fa, fb = df[df["perpetrator"] == a], df[df["perpetrator"] == b]
    if len(fa) < min_events or len(fb) < min_events:
        return None
    return fa, fb


def slug(text: object) -> str:
    """A file-name-safe key: ``"Taliban and/or ISKP" -> "taliban_and_or_iskp"``."""
    import re

    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_") or "x"


def last_origins(index: pd.DatetimeIndex, n: int, horizon: int = 1):
    """The first backtest origin so that about the last ``n`` periods are forecast
    (``horizon`` steps ahead), keeping at least two years of history before it."""
    pos = max(len(index) - int(n) - int(horizon), min(24, len(index) - 1 - int(horizon)), 0)
    return index[pos]
