"""Neighbourhood weights of the endemic–epidemic model.

The neighbourhood component of unit ``i`` at time ``t`` is ``phi * sum_j w_ji
Y_j,t-1``: unit ``j`` passes on a share ``w_ji`` of its last count to ``i``. The weights
come from the matrix of adjacency orders ``o_ji`` (0 for the unit itself, 1 for a shared
border, 2 for a neighbour's neighbour, ...):

``"adjacent"``
    ``w_ji = 1`` when ``o_ji = 1``, else 0 (R surveillance's
    ``neighbourhood(sts) == 1``).
``"powerlaw"``
    ``w_ji = o_ji**(-d) / sum_k o_jk**(-d)`` over ``1 <= o <= maxlag`` (0 beyond), with
    the decay ``d`` estimated (R's ``W_powerlaw(maxlag = 5)`` with its defaults: the
    weights are normalised so that each source ``j`` spreads a total of 1).

A units × units frame of fixed, non-negative weights can also be given.
"""

from __future__ import annotations

import numpy as np

from ...errors import InputError
from ...geo.adjacency import adjacency_orders

__all__ = ["MAXLAG", "PowerLawWeights", "adjacency_orders", "fixed_weights"]

#: Largest adjacency order that carries weight under power-law weights.
MAXLAG = 5


def fixed_weights(orders: np.ndarray, weights) -> np.ndarray:
    """The fixed weight matrix for ``"adjacent"`` or a user's units × units array."""
    if isinstance(weights, str):
        if weights != "adjacent":
            raise InputError(f"weights must be 'adjacent', 'powerlaw' or a matrix, not {weights!r}")
        return (orders == 1).astype(float)
    w = np.asarray(weights, dtype=float)
    if w.shape != orders.shape:
        raise InputError(f"weights has shape {w.shape}; it must be units × units {orders.shape}")
    if not np.isfinite(w).all() or (w < 0).any():
        raise InputError("weights must be finite and non-negative")
    return w


class PowerLawWeights:
    """Normalised power-law weights in the adjacency order, with derivatives in ``d``.

    ``w_ji(d) = o_ji**(-d) / sum_k o_jk**(-d)`` for ``1 <= o_ji <= maxlag``, else 0.
    With ``m_j = sum_k w_jk log o_jk``, the derivatives are
    ``dw_ji/dd = w_ji (m_j - log o_ji)`` and
    ``d2w_ji/dd2 = w_ji [(log o_ji - m_j)**2 - (sum_k w_jk (log o_jk)**2 - m_j**2)]``.
    """

    def __init__(self, orders: np.ndarray, maxlag: int = MAXLAG):
        orders = np.asarray(orders)
        self.support = (orders >= 1) & (orders <= maxlag)
        self.log_order = np.where(self.support, np.log(np.where(self.support, orders, 1)), 0.0)

    def __call__(self, d: float, derivatives: int = 0):
        """Weights, and their first (and second) derivatives in ``d`` when asked."""
        raw = np.where(self.support, np.exp(-d * self.log_order), 0.0)
        norm = raw.sum(axis=1, keepdims=True)
        w = np.divide(raw, norm, out=np.zeros_like(raw), where=norm > 0)
        if derivatives == 0:
            return w
        lo = self.log_order
        m = (w * lo).sum(axis=1, keepdims=True)
        dw = w * (m - lo)
        if derivatives == 1:
            return w, dw
        v = (w * lo**2).sum(axis=1, keepdims=True) - m**2
        d2w = w * ((lo - m) ** 2 - v)
        return w, dw, d2w
