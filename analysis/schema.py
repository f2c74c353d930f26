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
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from . import gazetteer
from .config import EARLIEST_DATE

__all__ = [
    "ATTACK_TYPES",
    "ATTRIBUTIONS",
    "COLUMNS",
    "COUNT_COLUMNS",
    "DATE_PRECISIONS",
    "GEO_PRECISIONS",
    "OPTIONAL_COLUMNS",
    "PERPETRATORS",
    "REQUIRED_COLUMNS",
    "RULES",
    "SOURCE_DATASETS",
    "TARGET_TYPES",
    "IncidentSchema",
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

_BEST_NOT_BELOW_LOW = "{0}_low <= {0}_best <= {0}_high"


def _le(a: pd.Series, b: pd.Series) -> pd.Series:
    """a <= b where both are known; unknowns pass."""
    return (a.isna() | b.isna() | (a <= b)).astype(bool)


def _lookup(s: pd.Series, table: dict, dtype: str = "object") -> np.ndarray:
    """``table[value]`` for each value of ``s`` (missing or unknown -> None/NaN).

    Each distinct value is looked up once, so this is far faster than
    ``Series.map(dict)`` on a million-row text column with a small vocabulary.
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    values = np.array([table.get(u) for u in uniques] + [None], dtype=dtype)
    return values[codes]  # code -1 (missing) picks the trailing None


def _ordered(df: pd.DataFrame, stem: str) -> pd.Series:
    lo, best, hi = df[f"{stem}_low"], df[f"{stem}_best"], df[f"{stem}_high"]
    return _le(lo, best) & _le(best, hi) & _le(lo, hi)


class IncidentSchema(pa.DataFrameModel):
    """Pandera model of the canonical incident table (strict: no other columns).

    Each ``@dataframe_check`` returns one boolean per row, so a failure names the row.
    The checks treat missing values themselves (unknowns pass where the rule says so),
    so pandera's ``ignore_na`` (which would also pass a row that is missing in every
    column, and costs a scan of the whole frame per check) is off.
    """

    incident_id: Series[str] = pa.Field(unique=True)
    date: Series[pd.Timestamp] = pa.Field()
    date_earliest: Series[pd.Timestamp] = pa.Field()
    date_latest: Series[pd.Timestamp] = pa.Field()
    date_precision: Series[str] = pa.Field(isin=DATE_PRECISIONS)
    country: Series[str] = pa.Field(str_matches=r"^[A-Z]{3}$")
    province: Series[str] = pa.Field(nullable=True)
    province_code: Series[str] = pa.Field(nullable=True, str_matches=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
    district: Series[str] = pa.Field(nullable=True)
    place: Series[str] = pa.Field(nullable=True)
    latitude: Series[float] = pa.Field(nullable=True, in_range={"min_value": -90, "max_value": 90})
    longitude: Series[float] = pa.Field(nullable=True, in_range={"min_value": -180, "max_value": 180})
    geo_precision: Series[str] = pa.Field(nullable=True, isin=GEO_PRECISIONS)
    perpetrator: Series[str] = pa.Field(isin=PERPETRATORS)
    attribution: Series[str] = pa.Field(isin=ATTRIBUTIONS)
    attack_type: Series[str] = pa.Field(nullable=True, isin=ATTACK_TYPES)
    target_type: Series[str] = pa.Field(nullable=True, isin=TARGET_TYPES)
    killed_low: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    killed_best: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    killed_high: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    wounded_low: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    wounded_best: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    wounded_high: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    civilians_killed_best: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    combatants_killed_best: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    source_dataset: Series[str] = pa.Field(isin=SOURCE_DATASETS)
    source_event_id: Series[str] = pa.Field(nullable=True)
    sources: Series[str] = pa.Field()
    evidence: Series[str] = pa.Field(nullable=True)
    notes: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        ordered = False
        coerce = False

    # ------------------------------------------------------------ dates
    @pa.dataframe_check(ignore_na=False)
    def date_window_contains_date(cls, df: pd.DataFrame) -> Series[bool]:
        return _le(df["date_earliest"], df["date"]) & _le(df["date"], df["date_latest"])

    @pa.dataframe_check(ignore_na=False)
    def date_not_before_1970(cls, df: pd.DataFrame) -> Series[bool]:
        floor = pd.Timestamp(EARLIEST_DATE)
        return (df["date_earliest"].isna() | (df["date_earliest"] >= floor)) & (
            df["date"].isna() | (df["date"] >= floor)
        )

    @pa.dataframe_check(ignore_na=False)
    def date_not_in_future(cls, df: pd.DataFrame) -> Series[bool]:
        today = pd.Timestamp.now().normalize() + pd.Timedelta(days=1)
        return (df["date"].isna() | (df["date"] < today)) & (
            df["date_earliest"].isna() | (df["date_earliest"] < today)
        )

    @pa.dataframe_check(ignore_na=False)
    def date_window_matches_precision(cls, df: pd.DataFrame) -> Series[bool]:
        width = (df["date_latest"] - df["date_earliest"]).dt.days.to_numpy(dtype="float64", na_value=np.nan)
        limit = _lookup(df["date_precision"], MAX_WINDOW_DAYS, dtype="float64")
        ok = np.isnan(width) | np.isnan(limit) | (width <= limit)
        return pd.Series(ok, index=df.index)

    # ------------------------------------------------------------ counts
    @pa.dataframe_check(ignore_na=False)
    def killed_ordered(cls, df: pd.DataFrame) -> Series[bool]:
        return _ordered(df, "killed")

    @pa.dataframe_check(ignore_na=False)
    def wounded_ordered(cls, df: pd.DataFrame) -> Series[bool]:
        return _ordered(df, "wounded")

    @pa.dataframe_check(ignore_na=False)
    def killed_breakdown_within_total(cls, df: pd.DataFrame) -> Series[bool]:
        parts = df["civilians_killed_best"].fillna(0) + df["combatants_killed_best"].fillna(0)
        return _le(parts, df["killed_high"])

    # ------------------------------------------------------------ place
    @pa.dataframe_check(ignore_na=False)
    def province_known(cls, df: pd.DataFrame) -> Series[bool]:
        afg = df["country"] == "AFG"
        return (~afg | df["province"].isna() | df["province"].isin(PROVINCE_NAMES)).astype(bool)

    @pa.dataframe_check(ignore_na=False)
    def province_code_matches_province(cls, df: pd.DataFrame) -> Series[bool]:
        afg = (df["country"] == "AFG").astype(bool)
        expected = pd.Series(_lookup(df["province"], _NAME_TO_CODE), index=df.index, dtype="str")
        code = df["province_code"]
        ok_afg = (expected.isna() & code.isna()) | (expected == code).fillna(False)
        # Outside Afghanistan an Afghan code is wrong; any other code is the user's.
        ok_other = code.isna() | ~code.str.startswith("AF-").fillna(False)
        return (afg & ok_afg.astype(bool)) | (~afg & ok_other.astype(bool))

    @pa.dataframe_check(ignore_na=False)
    def coordinates_paired(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["latitude"].isna() == df["longitude"].isna()).astype(bool)

    @pa.dataframe_check(ignore_na=False)
    def coordinates_inside_afghanistan(cls, df: pd.DataFrame) -> Series[bool]:
        lat_lo, lat_hi, lon_lo, lon_hi = gazetteer.AFGHANISTAN_BBOX
        lat, lon = df["latitude"], df["longitude"]
        inside = lat.between(lat_lo, lat_hi) & lon.between(lon_lo, lon_hi)
        return ((df["country"] != "AFG") | lat.isna() | lon.isna() | inside).astype(bool)

    # ------------------------------------------------------------ attribution
    @pa.dataframe_check(ignore_na=False)
    def attribution_consistent(cls, df: pd.DataFrame) -> Series[bool]:
        named = df["perpetrator"] != "unknown"
        needs_name = df["attribution"].isin(("claimed", "attributed", "suspected", "disputed"))
        return (named | ~needs_name).astype(bool)


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
