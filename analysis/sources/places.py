"""Countries and Afghan provinces of a raw export, each distinct name looked up once."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .. import gazetteer
from ._countries import country_iso3
from .issues import Issues
from .text import distinct_text, take_text, text

__all__ = ["countries", "provinces"]


def _province_lookup(stripped: list[str | None], unknown_values: Iterable[str]):
    """Canonical name, ISO code and failure (a name the gazetteer does not know) of each
    distinct province value; the failure array has one more entry, for missing."""
    unknown_keys = {gazetteer.normalise_name(u) for u in unknown_values}
    names_u: list[str | None] = []
    codes_u: list[str | None] = []
    failed_u = np.zeros(len(stripped) + 1, dtype=bool)  # the last entry is for code -1 (missing)
    for k, v in enumerate(stripped):
        key = gazetteer.normalise_name(v) if v is not None else ""
        code_ = None if key in unknown_keys or not key else gazetteer.try_province_code(v)
        names_u.append(gazetteer.code_to_name(code_) if code_ else None)
        codes_u.append(code_)
        failed_u[k] = bool(key) and key not in unknown_keys and code_ is None
    return names_u, codes_u, failed_u


def provinces(
    names: pd.Series, country: pd.Series, column: str, issues: Issues, *, unknown_values: Iterable[str] = ("unknown",)
) -> tuple[pd.Series, pd.Series]:
    """Map an Afghan province column through the gazetteer.

    Returns (canonical province name, ISO 3166-2 code). Outside Afghanistan the name is
    kept as given ("Unknown" is missing there too) and the code is missing. An Afghan name the gazetteer does not know is
    an issue (``province_unknown``; its reason names the closest canonical name);
    "Unknown" is missing.
    """
    codes, stripped = distinct_text(names)
    n_u = len(stripped)
    names_u, codes_u, failed_u = _province_lookup(stripped, unknown_values)
    afg = np.asarray((country == "AFG").fillna(False), dtype=bool)
    failed = pd.Series(failed_u[codes] & afg, index=names.index)
    if failed.any():
        issues.add(failed, column, "province_unknown", lambda: text(names))
    # Afghan rows take the gazetteer's name (values 0..n_u-1), others the name as
    # given (values n_u..2n_u-1); code -1 stays missing
    unknown_keys = {gazetteer.normalise_name(u) for u in unknown_values}
    as_given = [None if v is None or gazetteer.normalise_name(v) in unknown_keys else v for v in stripped]
    present = codes >= 0
    province = take_text(names_u + as_given, np.where(present, np.where(afg, codes, codes + n_u), -1), names.index)
    province_code = take_text(codes_u, np.where(present & afg, codes, -1), names.index)
    return province, province_code


def countries(names: pd.Series, column: str, issues: Issues, *, blank_ok: bool = False) -> pd.Series:
    """ISO3 codes from country names (each distinct name looked up once); an unknown
    name is a ``country_unknown`` issue, and so is a blank one unless ``blank_ok``."""
    codes, stripped = distinct_text(names)
    iso_u = [None if v is None else country_iso3(v) for v in stripped]
    iso = take_text(iso_u, codes, names.index)
    unknown_u = np.array([v is not None and i is None for v, i in zip(stripped, iso_u, strict=True)] + [False])
    blank_u = np.array([v is None for v in stripped] + [True])
    t = None
    unknown = pd.Series(unknown_u[codes], index=names.index)
    if unknown.any():
        t = text(names)
        issues.add(unknown, column, "country_unknown", t)
    blank = pd.Series(blank_u[codes], index=names.index)
    if blank.any() and not blank_ok:
        issues.add(blank, column, "country_unknown", t if t is not None else text(names))
    return iso
