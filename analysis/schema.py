"""The canonical incident schema and its controlled vocabularies.

One row is one incident (an attack, or one clearly separable part of a coordinated
attack). The schema carries the uncertainty of the evidence rather than hiding it:

* **time** as a best date inside a window ``date_earliest <= date <= date_latest``,
  with a ``date_precision`` that says how wide the window may be;
* **place** down to province (ISO 3166-2) and, where known, district and place, with a
  ``geo_precision``;
* **perpetrator** and how sure the attribution is (``attribution``);
* **casualties** as low / best / high (nullable: missing means unknown, never 0).

The data dictionary, with the coding rules, is ``data/README.md``. The rules that the
schema enforces are listed in :data:`RULES`; every rejected row is reported with the
name of the rule it broke.

The rules form one table: :data:`COLUMN_RULES` (what each column may hold) and
:data:`ROW_RULES` (rules across the columns of a row, as vectorised functions). Two
executors are generated from it: the pandera schema :data:`IncidentSchema` (the public
contract and reference) and the vectorised executor of
:mod:`analysis.validation.vectorised` (used in bulk); a differential test proves that
they make the same decisions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa

from . import gazetteer
from .config import EARLIEST_DATE

__all__ = [
    "ATTACK_TYPES",
    "ATTRIBUTIONS",
    "COLUMNS",
    "COLUMN_RULES",
    "COUNT_COLUMNS",
    "DATE_PRECISIONS",
    "GEO_PRECISIONS",
    "OPTIONAL_COLUMNS",
    "PERPETRATORS",
    "REQUIRED_COLUMNS",
    "ROW_RULES",
    "RULES",
    "SOURCE_DATASETS",
    "TARGET_TYPES",
    "ColumnRule",
    "IncidentSchema",
    "RowRule",
    "canonical_dtype",
    "empty_incidents",
]

# ---------------------------------------------------------------- vocabularies
DATE_PRECISIONS = ("day", "week", "month", "year", "unknown")
#: Largest window (date_latest - date_earliest, in days) each precision allows.
MAX_WINDOW_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366, "unknown": None}

GEO_PRECISIONS = ("exact", "place", "district", "province", "country")

PERPETRATORS = (
    "ISKP",
    "Taliban",
    "Taliban and/or ISKP",
    "Haqqani Network",
    "TTP",
    "al-Qaeda",
    "Hizb-e-Islami",
    "Islamic State",
    "other",
    "unknown",
)
ATTRIBUTIONS = ("claimed", "attributed", "suspected", "disputed", "unclaimed", "unknown")
ATTACK_TYPES = (
    "suicide_bombing",
    "vehicle_bomb",
    "bombing",
    "armed_assault",
    "complex_attack",
    "assassination",
    "indirect_fire",
    "hostage_taking",
    "arson",
    "other",
    "unknown",
)
TARGET_TYPES = (
    "religious",
    "education",
    "diplomatic",
    "security_forces",
    "government",
    "political",
    "civilians",
    "transport",
    "business",
    "media",
    "aid_health",
    "other",
    "unknown",
)
SOURCE_DATASETS = ("curated", "gtd", "acled", "ucdp", "rand", "simulated", "other")

PROVINCE_NAMES = tuple(p.name for p in gazetteer.PROVINCES)
PROVINCE_CODES = tuple(p.code for p in gazetteer.PROVINCES)
_NAME_TO_CODE = {p.name: p.code for p in gazetteer.PROVINCES}

# ---------------------------------------------------------------- columns
DATE_COLUMNS = ("date", "date_earliest", "date_latest")
COUNT_COLUMNS = (
    "killed_low",
    "killed_best",
    "killed_high",
    "wounded_low",
    "wounded_best",
    "wounded_high",
    "civilians_killed_best",
    "combatants_killed_best",
)
FLOAT_COLUMNS = ("latitude", "longitude")

COLUMNS: tuple[str, ...] = (
    "incident_id",
    "date",
    "date_earliest",
    "date_latest",
    "date_precision",
    "country",
    "province",
    "province_code",
    "district",
    "place",
    "latitude",
    "longitude",
    "geo_precision",
    "perpetrator",
    "attribution",
    "attack_type",
    "target_type",
    *COUNT_COLUMNS,
    "source_dataset",
    "source_event_id",
    "sources",
    "evidence",
    "notes",
)
STRING_COLUMNS = tuple(c for c in COLUMNS if c not in DATE_COLUMNS + COUNT_COLUMNS + FLOAT_COLUMNS)

#: A file without one of these cannot be used (exit code 2): the id, the dates, where
#: (country, province), who and how sure, the killed range, and where the record is from.
REQUIRED_COLUMNS = (
    "incident_id", *DATE_COLUMNS, "date_precision", "country", "province", "perpetrator", "attribution",
    *COUNT_COLUMNS[:3], "source_dataset", "sources",
)  # fmt: skip
#: Columns a file may omit; they are added as all-missing (unknown), never 0.
#: ``province_code`` is filled from the gazetteer when the column is absent.
OPTIONAL_COLUMNS = tuple(c for c in COLUMNS if c not in REQUIRED_COLUMNS)

#: The rules checked, with the message used in validation reports.
RULES: dict[str, str] = {
    "not_null": "a value is required",
    "unique": "incident_id must be unique",
    "isin": "value is not in the controlled vocabulary",
    "str_matches": "value does not have the required format",
    "greater_than_or_equal_to": "count must not be negative",
    "in_range": "value out of range",
    "parse_date": "not a date (use YYYY-MM-DD)",
    "parse_integer": "not a whole number",
    "parse_number": "not a number",
    "csv_structure": "row does not have the same number of fields as the header",
    "date_window_contains_date": "date_earliest <= date <= date_latest does not hold",
    "date_not_before_1970": f"dates before {EARLIEST_DATE} are not accepted",
    "date_not_in_future": "date lies in the future",
    "date_window_matches_precision": "the date window is wider than date_precision allows",
    "killed_ordered": "killed_low <= killed_best <= killed_high does not hold",
    "wounded_ordered": "wounded_low <= wounded_best <= wounded_high does not hold",
    "killed_breakdown_within_total": "civilians + combatants killed exceed killed_high",
    "province_known": "province is not a canonical Afghan province name (see the gazetteer)",
    "province_code_matches_province": "province_code does not agree with province in the gazetteer",
    "coordinates_paired": "latitude and longitude must both be given or both be missing",
    "coordinates_inside_afghanistan": "coordinates fall outside Afghanistan",
    "attribution_consistent": "a claimed/attributed/suspected/disputed attack needs a named perpetrator",
}

# ---------------------------------------------------------------- the rule table
@dataclass(frozen=True)
class ColumnRule:
    """What one column must hold (beyond its dtype, :func:`canonical_dtype`).

    Element rules (``isin``, ``str_matches``, ``ge``, ``in_range``) judge the known
    values only; a missing value breaks ``not_null`` when the column is not
    ``nullable`` and passes otherwise.
    """

    nullable: bool = False
    unique: bool = False
    isin: tuple[str, ...] | None = None
    str_matches: str | None = None
    ge: float | None = None
    in_range: tuple[float, float] | None = None


_TEXT = ColumnRule(nullable=True)
_COUNT = ColumnRule(nullable=True, ge=0)

#: The column rules, one per canonical column (rule names as in :data:`RULES`).
COLUMN_RULES: dict[str, ColumnRule] = {
    "incident_id": ColumnRule(unique=True),
    "date": ColumnRule(),
    "date_earliest": ColumnRule(),
    "date_latest": ColumnRule(),
    "date_precision": ColumnRule(isin=DATE_PRECISIONS),
    "country": ColumnRule(str_matches=r"^[A-Z]{3}$"),
    "province": _TEXT,
    "province_code": ColumnRule(nullable=True, str_matches=r"^[A-Z]{2}-[A-Z0-9]{1,3}$"),
    "district": _TEXT,
    "place": _TEXT,
    "latitude": ColumnRule(nullable=True, in_range=(-90.0, 90.0)),
    "longitude": ColumnRule(nullable=True, in_range=(-180.0, 180.0)),
    "geo_precision": ColumnRule(nullable=True, isin=GEO_PRECISIONS),
    "perpetrator": ColumnRule(isin=PERPETRATORS),
    "attribution": ColumnRule(isin=ATTRIBUTIONS),
    "attack_type": ColumnRule(nullable=True, isin=ATTACK_TYPES),
    "target_type": ColumnRule(nullable=True, isin=TARGET_TYPES),
    **dict.fromkeys(COUNT_COLUMNS, _COUNT),
    "source_dataset": ColumnRule(isin=SOURCE_DATASETS),
    "source_event_id": _TEXT,
    "sources": ColumnRule(),
    "evidence": _TEXT,
    "notes": _TEXT,
}


# Row rules: each takes the typed canonical frame and returns one boolean per row
# (True: the row passes), computed on NumPy arrays; unknowns pass where the rule says so.
def _values(s: pd.Series) -> np.ndarray:
    """Dates as datetime64[ns] (NaT), numbers as float64 (NaN) for missing."""
    if s.dtype.kind == "M":
        return s.to_numpy(dtype="datetime64[ns]")
    return s.to_numpy(dtype="float64", na_value=np.nan)


def _missing(a: np.ndarray) -> np.ndarray:
    return np.isnat(a) if a.dtype.kind == "M" else np.isnan(a)


def _le(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a <= b where both are known; unknowns pass."""
    return _missing(a) | _missing(b) | (a <= b)


def _is(s: pd.Series, value: str) -> np.ndarray:
    return (s == value).to_numpy(dtype=bool, na_value=False)


def _lookup(s: pd.Series, table: dict, dtype: str = "object") -> np.ndarray:
    """``table[value]`` for each value of ``s`` (missing or unknown -> None/NaN).

    Each distinct value is looked up once, so this is far faster than
    ``Series.map(dict)`` on a million-row text column with a small vocabulary.
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    values = np.array([table.get(u) for u in uniques] + [None], dtype=dtype)
    return values[codes]  # code -1 (missing) picks the trailing None


def _ordered(df: pd.DataFrame, stem: str) -> np.ndarray:
    lo, best, hi = (_values(df[f"{stem}_{k}"]) for k in ("low", "best", "high"))
    return _le(lo, best) & _le(best, hi) & _le(lo, hi)


def date_window_contains_date(df: pd.DataFrame) -> np.ndarray:
    day = _values(df["date"])
    return _le(_values(df["date_earliest"]), day) & _le(day, _values(df["date_latest"]))


def date_not_before_1970(df: pd.DataFrame) -> np.ndarray:
    floor = np.datetime64(EARLIEST_DATE, "ns")
    earliest, day = _values(df["date_earliest"]), _values(df["date"])
    return (np.isnat(earliest) | (earliest >= floor)) & (np.isnat(day) | (day >= floor))


def date_not_in_future(df: pd.DataFrame) -> np.ndarray:
    tomorrow = (pd.Timestamp.now().normalize() + pd.Timedelta(days=1)).to_datetime64()
    earliest, day = _values(df["date_earliest"]), _values(df["date"])
    return (np.isnat(day) | (day < tomorrow)) & (np.isnat(earliest) | (earliest < tomorrow))


def date_window_matches_precision(df: pd.DataFrame) -> np.ndarray:
    width = (_values(df["date_latest"]) - _values(df["date_earliest"])) / np.timedelta64(1, "D")
    limit = _lookup(df["date_precision"], MAX_WINDOW_DAYS, dtype="float64")
    return np.isnan(width) | np.isnan(limit) | (np.floor(width) <= limit)


def killed_ordered(df: pd.DataFrame) -> np.ndarray:
    return _ordered(df, "killed")


def wounded_ordered(df: pd.DataFrame) -> np.ndarray:
    return _ordered(df, "wounded")


def killed_breakdown_within_total(df: pd.DataFrame) -> np.ndarray:
    civ, com = _values(df["civilians_killed_best"]), _values(df["combatants_killed_best"])
    return _le(np.nan_to_num(civ) + np.nan_to_num(com), _values(df["killed_high"]))


def province_known(df: pd.DataFrame) -> np.ndarray:
    known = df["province"].isin(PROVINCE_NAMES).to_numpy(dtype=bool, na_value=False)
    return ~_is(df["country"], "AFG") | df["province"].isna().to_numpy() | known


def _lookup_text(s: pd.Series, table: dict) -> pd.Series:
    """``table[value]`` for each value of ``s`` as text (missing where not in it), each
    distinct value looked up once and spread by an Arrow take."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    small = pd.array([table.get(u) for u in uniques] + [None], dtype="str")
    return pd.Series(small.take(np.where(codes < 0, len(uniques), codes)), index=s.index)


def province_code_matches_province(df: pd.DataFrame) -> np.ndarray:
    afg = _is(df["country"], "AFG")
    expected = _lookup_text(df["province"], _NAME_TO_CODE)
    code = df["province_code"]
    no_code = code.isna().to_numpy()
    same = (expected == code).to_numpy(dtype=bool, na_value=False)
    ok_afg = (expected.isna().to_numpy() & no_code) | same
    # Outside Afghanistan an Afghan code is wrong; any other code is the user's.
    afghan_code = code.str.startswith("AF-").to_numpy(dtype=bool, na_value=False)
    return np.where(afg, ok_afg, no_code | ~afghan_code)


def coordinates_paired(df: pd.DataFrame) -> np.ndarray:
    return np.isnan(_values(df["latitude"])) == np.isnan(_values(df["longitude"]))


def coordinates_inside_afghanistan(df: pd.DataFrame) -> np.ndarray:
    lat_lo, lat_hi, lon_lo, lon_hi = gazetteer.AFGHANISTAN_BBOX
    lat, lon = _values(df["latitude"]), _values(df["longitude"])
    inside = (lat >= lat_lo) & (lat <= lat_hi) & (lon >= lon_lo) & (lon <= lon_hi)
    return ~_is(df["country"], "AFG") | np.isnan(lat) | np.isnan(lon) | inside


def attribution_consistent(df: pd.DataFrame) -> np.ndarray:
    needs_name = df["attribution"].isin(("claimed", "attributed", "suspected", "disputed"))
    return ~_is(df["perpetrator"], "unknown") | ~needs_name.to_numpy(dtype=bool, na_value=False)


@dataclass(frozen=True)
class RowRule:
    """A rule on several columns of one row: ``check`` gives True for the rows that
    pass; a failure is reported on ``column``."""

    column: str
    check: Callable[[pd.DataFrame], np.ndarray]


#: The row rules (rule names as in :data:`RULES`), in the order they are checked.
ROW_RULES: dict[str, RowRule] = {
    "date_window_contains_date": RowRule("date", date_window_contains_date),
    "date_not_before_1970": RowRule("date", date_not_before_1970),
    "date_not_in_future": RowRule("date", date_not_in_future),
    "date_window_matches_precision": RowRule("date_precision", date_window_matches_precision),
    "killed_ordered": RowRule("killed_best", killed_ordered),
    "wounded_ordered": RowRule("wounded_best", wounded_ordered),
    "killed_breakdown_within_total": RowRule("civilians_killed_best", killed_breakdown_within_total),
    "province_known": RowRule("province", province_known),
    "province_code_matches_province": RowRule("province_code", province_code_matches_province),
    "coordinates_paired": RowRule("latitude", coordinates_paired),
    "coordinates_inside_afghanistan": RowRule("latitude", coordinates_inside_afghanistan),
    "attribution_consistent": RowRule("attribution", attribution_consistent),
}


# ---------------------------------------------------------------- the pandera schema
def _pandera_column(c: str, rule: ColumnRule) -> pa.Column:
    checks = []
    if rule.isin is not None:
        checks.append(pa.Check.isin(list(rule.isin)))
    if rule.str_matches is not None:
        checks.append(pa.Check.str_matches(rule.str_matches))
    if rule.ge is not None:
        checks.append(pa.Check.ge(rule.ge))
    if rule.in_range is not None:
        checks.append(pa.Check.in_range(*rule.in_range))
    dtype = {"str": str, "Int64": pd.Int64Dtype()}.get(canonical_dtype(c), canonical_dtype(c))
    return pa.Column(dtype, checks=checks, nullable=rule.nullable, unique=rule.unique)


def _pandera_row_check(name: str, rule: RowRule) -> pa.Check:
    def check(df: pd.DataFrame) -> pd.Series:
        return pd.Series(rule.check(df), index=df.index)

    return pa.Check(check, name=name, ignore_na=False)


def _pandera_schema() -> pa.DataFrameSchema:
    """The pandera schema of the rule table: :data:`COLUMN_RULES` as columns,
    :data:`ROW_RULES` as dataframe checks; strict (no other columns), no coercion."""
    return pa.DataFrameSchema(
        {c: _pandera_column(c, rule) for c, rule in COLUMN_RULES.items()},
        checks=[_pandera_row_check(n, r) for n, r in ROW_RULES.items()],
        strict=True,
        ordered=False,
        coerce=False,
        name="IncidentSchema",
    )


def canonical_dtype(column: str) -> str:
    """The pandas dtype of a canonical column: ``datetime64[ns]`` dates, nullable
    ``Int64`` counts, ``float64`` coordinates, ``str`` text."""
    if column in DATE_COLUMNS:
        return "datetime64[ns]"
    if column in COUNT_COLUMNS:
        return "Int64"
    if column in FLOAT_COLUMNS:
        return "float64"
    return "str"


def empty_incidents() -> pd.DataFrame:
    """An empty frame with the canonical columns and dtypes."""
    return pd.DataFrame({c: pd.Series([], dtype=canonical_dtype(c)) for c in COLUMNS})


#: The canonical incident table as a pandera schema (the public contract), generated
#: from :data:`COLUMN_RULES` and :data:`ROW_RULES`. ``IncidentSchema.validate(data,
#: lazy=True)`` checks a typed frame; :func:`analysis.validate_incidents` converts text
#: first and reports every failure by row, column and rule.
IncidentSchema = _pandera_schema()
