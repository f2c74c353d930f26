r"""The count models of :func:`analysis.fit_frequency` as forecasters.

``"negbin"``
    The NB2 log-linear regression with :func:`analysis.fit_frequency`'s defaults (trend
    and two annual Fourier pairs; options via ``model_kw``):
    :math:`Y_{T+k} \sim \mathrm{NB2}(\mu_{T+k}, \alpha)`,
    :math:`\log\mu_{T+k} = x_{T+k}'\beta`.
``"ingarch"``
    A negative-binomial count autoregression on the log scale (tscount's log-linear
    model): :math:`\nu_t = \beta_0 + b_1 \log(1 + Y_{t-1}) + x_t'\eta`,
    :math:`Y_t \sim \mathrm{NB2}(e^{\nu_t}, \sigma^2)`, with a linear trend and two
    annual Fourier pairs in :math:`x_t` (``fit_frequency(..., ar_lags=(1,))``; other
    lags via ``model_kw``, e.g. ``{"ar_lags": (1, 2), "mean_lags": (1,)}``). The
    forecast depends on the latest counts.

Each sample path draws its coefficients from their asymptotic normal law (the
sandwich covariance for the autoregression), so that the predictive distribution
carries parameter uncertainty as well as the overdispersion of the negative binomial;
an autoregression runs on from the observed history, fed with the path's own
simulated counts. A fit made at one origin serves later origins too: the design and
the lagged counts are those of the later origin.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..._glm import coef_draws, draw_counts
from ..._periods import next_periods
from .data import History

__all__ = ["COUNT_MODELS", "CountState", "draw_count_model", "fit_count_model"]

COUNT_MODELS = ("negbin", "ingarch")
_DEFAULTS: dict[str, dict] = {"negbin": {}, "ingarch": {"ar_lags": (1,), "trend": True}}


@dataclasses.dataclass(frozen=True, eq=False)
class CountState:
    """A fitted count model and its coefficient draws, one row per sample path."""

    fit: object  # FrequencyResult
    draws: np.ndarray


def fit_count_model(model: str, hist: History, origin: int, n: int, rng,
                    model_kw: dict) -> CountState:
    """Fit ``model`` to the counts up to position ``origin`` and draw ``n`` coefficient
    vectors."""
    from ..frequency import fit_frequency

    kw = dict(_DEFAULTS[model])
    if hist.key == "YS":
        kw["seasonal"] = None
    kw.update(model_kw)
    res = fit_frequency(hist.counts.iloc[: origin + 1], **kw)
    draws = coef_draws(rng, res.params.to_numpy(), res.cov.to_numpy(), n)
    return CountState(res, draws)


def _paths(D: np.ndarray, spec, y: np.ndarray, X: np.ndarray, alpha: float, rng) -> np.ndarray:
    """Future counts of the count autoregression, all paths at once: ``X`` holds the
    regressors of the ``T`` observed and ``h`` future periods; pre-sample values are the
    stationary mean ``beta_0 / (1 - sum b - sum a)`` as in tscount."""
    p, q = len(spec.ar_lags), len(spec.mean_lags)
    log_link = spec.link == "log"
    n, T, h = D.shape[0], y.shape[0], X.shape[0] - y.shape[0]
    b0, B, A, E = D[:, 0], D[:, 1 : 1 + p], D[:, 1 + p : 1 + p + q], D[:, 1 + p + q :]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        stat = b0 / (1.0 - B.sum(axis=1) - A.sum(axis=1))
    Z = np.empty((n, T + h))
    Z[:, :T] = np.log1p(y) if log_link else y
    NU = np.empty((n, T + h))
    XE = E @ X.T if E.shape[1] else np.zeros((n, T + h))
    out = np.empty((n, h))
    for t in range(0 if q else T, T + h):  # without mean lags only the future is needed
        v = b0 + XE[:, t]
        for k, lag in enumerate(spec.ar_lags):
            v = v + B[:, k] * (Z[:, t - lag] if t >= lag else stat)
        for k, lag in enumerate(spec.mean_lags):
            v = v + A[:, k] * (NU[:, t - lag] if t >= lag else stat)
        NU[:, t] = v
        if t >= T:
            lam = np.exp(np.clip(v, -30, 30)) if log_link else np.clip(v, 1e-10, None)
            out[:, t - T] = draw_counts(rng, lam, alpha)
            Z[:, t] = np.log1p(out[:, t - T]) if log_link else out[:, t - T]
    return out


def draw_count_model(state: CountState, hist: History, origin: int, h: int, rng) -> np.ndarray:
    """``(n, h)`` samples of the ``h`` counts after position ``origin``."""
    fit, D = state.fit, state.draws
    spec = fit.spec
    past = hist.counts.iloc[: origin + 1]
    future = next_periods(past.index, h)
    if not spec.autoregressive:
        X = spec.design(future).to_numpy()
        return draw_counts(rng, np.exp(np.clip(D @ X.T, -30, 30)), fit.alpha)
    keep = [c for c in fit.design.columns if c != "const"]
    X = spec.design(past.index.append(future))[keep].to_numpy(float)
    return _paths(D, spec, past.to_numpy(float), X, fit.alpha, rng)

