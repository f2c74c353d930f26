"""UCDP Georeferenced Event Dataset (GED) -> canonical incidents.

Rules in ``docs/sources.md`` (section UCDP GED). In short: ``low``/``best``/``high``
are the killed range and ``deaths_civilians`` the civilian part; ``date_start`` and
``date_end`` are the window and ``date_prec`` its precision (widened when the window
is wider than the code allows); ``where_prec`` gives the geo precision; ``adm_1``
("Kandahar province") goes through the gazetteer; the perpetrator is the non-state
side (``side_b`` of state-based conflicts, ``side_a`` of one-sided and non-state
violence), with UCDP's spellings ("Taleban", "IS").
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..schema import MAX_WINDOW_DAYS
from ._common import (
    Issues,
    Mapped,
    apply_unique,
    canonical_frame,
    code,
    col,
    count,
    count_raw,
    countries,
    dates,
    join_notes,
    map_values,
    number,
    provinces,
    text,
)

NAME = "ucdp"
SIGNATURE = ("side_a", "side_b", "date_start", "date_end", "best", "low", "high")
#: The columns the adapter reads (others are not loaded).
COLUMNS_USED = (
    "id", "relid", "type_of_violence", "side_a", "side_b", "source_headline", "where_prec",
    "where_coordinates", "adm_1", "adm_2", "latitude", "longitude", "country", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best",
    "high", "low",
)  # fmt: skip

#: date_prec -> the finest canonical precision it allows.
_DATE_PREC = {1: "day", 2: "week", 3: "week", 4: "month", 5: "year"}
_PREC_ORDER = ("day", "week", "month", "year", "unknown")
#: where_prec -> geo_precision (5 = a larger area/linear feature: province if adm_1 is known).
_WHERE = {1: "exact", 2: "place", 3: "district", 4: "province", 5: "province", 6: "country", 7: "country"}

SIDE_RULES: tuple[tuple[str, str | None], ...] = (
    (r"^taleban$|^taliban$", "Taliban"),
    (r"^is$|^isis$|^isil$|^is khorasan|islamic state", "IS"),  # resolved by country below
    (r"^ttp$|tehrik-i-taliban", "TTP"),
    (r"haqqani", "Haqqani Network"),
    (r"^hizb-i islami", "Hizb-e-Islami"),
    (r"^al-qaida$|^al-qaeda$", "al-Qaeda"),
    (r"^government of|^civilians$", None),
)
_COMPILED = tuple((re.compile(p, re.IGNORECASE), v) for p, v in SIDE_RULES)


def side_perpetrator(name: object) -> str | None:
    """Canonical perpetrator of one UCDP side; ``None`` for governments and civilians."""
    if name is None or (isinstance(name, float) and name != name) or not str(name).strip():
        return None
    for pattern, value in _COMPILED:
        if pattern.search(str(name).strip()):
            return value
    return "other"


def to_canonical(raw: pd.DataFrame) -> Mapped:
    """Map a UCDP GED table to canonical columns; see docs/sources.md."""
    issues = Issues()
    idx = raw.index

    # ---- date window
    start = dates(raw, "date_start", ("ISO8601", "%d/%m/%Y"), issues)
    end = dates(raw, "date_end", ("ISO8601", "%d/%m/%Y"), issues, required=False)
    end = end.where(end.notna(), start)
    dp = code(col(raw, "date_prec"), "date_prec", issues, known=_DATE_PREC)
    floor = map_values(dp, _DATE_PREC, default="day")
    width = (end - start).dt.days
    rank = floor.map(_PREC_ORDER.index).astype("int64")
    for k, p in enumerate(_PREC_ORDER[:-1]):
        too_wide = (width > MAX_WINDOW_DAYS[p]).fillna(False) & (rank == k)
        rank = rank.where(~too_wide, k + 1)
    precision = rank.map(dict(enumerate(_PREC_ORDER))).astype("str")

    # ---- place
    country = countries(col(raw, "country"), "country", issues)
    province, province_code = provinces(col(raw, "adm_1"), country, "adm_1", issues)
    wp = code(col(raw, "where_prec"), "where_prec", issues, known=_WHERE)
    geo = map_values(wp, _WHERE).astype("str")
    geo = geo.where(~(province.isna() & geo.isin(["province", "district"])), "country")
    lat = number(col(raw, "latitude"), "latitude", issues)
    lon = number(col(raw, "longitude"), "longitude", issues)

    # ---- who: the non-state side
    side_a, side_b = text(col(raw, "side_a")), text(col(raw, "side_b"))
    pa_ = apply_unique(side_a, side_perpetrator)
    pb = apply_unique(side_b, side_perpetrator)
    tov = code(col(raw, "type_of_violence"), "type_of_violence", issues, known=(1, 2, 3))
    state_based = (tov == 1).fillna(False).to_numpy()
    first, second = np.where(state_based, pb, pa_), np.where(state_based, pa_, pb)
    perp = pd.Series(first, index=idx).where(pd.Series(first, index=idx).notna(), pd.Series(second, index=idx))
    perp = perp.fillna("unknown")
    afg = (country == "AFG").fillna(False)
    perp = perp.where(perp != "IS", np.where(afg, "ISKP", "Islamic State")).astype("str")
    attribution = np.where(perp != "unknown", "attributed", "unknown")

    # ---- how many
    best, best_raw = count_raw(col(raw, "best"), "best", issues)
    low = count(col(raw, "low"), "low", issues)
    high = count(col(raw, "high"), "high", issues)
    civ = count(col(raw, "deaths_civilians"), "deaths_civilians", issues)
    da = count(col(raw, "deaths_a"), "deaths_a", issues)
    db = count(col(raw, "deaths_b"), "deaths_b", issues)
    combatants = da + db

    event_id = text(col(raw, "id"))
    issues.add(event_id.isna(), "id", "id_missing")
    notes = join_notes(
        {
            "side_a": side_a,
            "side_b": side_b,
            "type_of_violence": text(tov),
            "deaths_unknown": text(col(raw, "deaths_unknown")),
        },
        idx,
    )
    sources = "UCDP GED " + event_id.fillna("?") + (" (" + text(col(raw, "relid")) + ")").fillna("")
    frame = canonical_frame(
        idx,
        incident_id="ucdp-" + event_id,
        date=start,
        date_earliest=start,
        date_latest=end,
        date_precision=precision,
        country=country,
        province=province,
        province_code=province_code,
        district=text(col(raw, "adm_2")),
        place=text(col(raw, "where_coordinates")),
        latitude=lat,
        longitude=lon,
        geo_precision=geo,
        perpetrator=perp,
        attribution=pd.Series(attribution, index=idx, dtype="str"),
        killed_low=low,
        killed_best=best,
        killed_high=high,
        civilians_killed_best=civ,
        combatants_killed_best=combatants,
        source_dataset="ucdp",
        source_event_id=event_id,
        sources=sources,
        evidence=text(col(raw, "source_headline")),
        notes=notes,
    )
    nan = pd.Series(pd.NA, index=idx, dtype="Float64")
    return Mapped(frame, issues.frame(), best_raw, nan)
