"""The names :mod:`analysis.models.lethality` imports, kept while it moves to
:mod:`analysis._glm` (where the count regressions now live); nothing else uses this
module. Remove it once lethality imports :func:`analysis._glm.fit_count_glm` and
:func:`analysis._glm.wald` directly."""

from __future__ import annotations

from .._glm import CountFit, fit_count_glm, wald

__all__ = ["fit_nb_ml", "wald"]


def fit_nb_ml(y, X, offset=None, *, cov_type: str = "nonrobust",
              cov_kwds: dict | None = None) -> CountFit:
    """:func:`analysis._glm.fit_count_glm` (NB2, dispersion by maximum likelihood)."""
    return fit_count_glm(y, X, offset=offset, cov_type=cov_type, cov_kwds=cov_kwds)
