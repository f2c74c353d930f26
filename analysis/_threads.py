"""BLAS thread pinning for long computations.

SARIMAX and other BLAS-heavy loops were measured 4.4x slower on two OpenBLAS threads
when the other core was busy, so long loops (bootstraps, simulations, backtests) run
inside :func:`single_threaded_blas`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from threadpoolctl import threadpool_limits


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Limit BLAS/OpenMP pools to one thread inside the ``with`` block."""
    with threadpool_limits(limits=1):
        yield
