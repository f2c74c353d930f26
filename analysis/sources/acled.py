"""ACLED (Armed Conflict Location & Event Data) -> canonical incidents.

Rules in ``docs/sources.md`` (section ACLED). In short: ``event_date`` in any of
ACLED's export formats; ``time_precision`` 1/2/3 gives a day / week / month window;
``geo_precision`` 1/2/3 gives place / district / province; the perpetrator is read
from ``actor1`` then ``actor2`` (ACLED's actors carry no direction); ``fatalities`` is
ACLED's most conservative reported figure, so it is both ``killed_low`` and
``killed_best`` and ``killed_high`` is unknown; ``civilian_targeting`` becomes
``target_type = "civilians"``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ._common import (
    Issues,
    Mapped,
    apply_unique,
    canonical_frame,
    code,
    col,
    count_raw,
    countries,
    dates,
    join_notes,
    map_values,
    month_end,
    number,
    provinces,
    text,
)

NAME = "acled"
SIGNATURE = ("event_date", "actor1", "actor2", "admin1", "fatalities")
#: The columns the adapter reads (others are not loaded).
COLUMNS_USED = (
    "event_id_cnty", "data_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
    "actor2", "civilian_targeting", "country", "iso3", "admin1", "admin2", "location", "latitude",
    "longitude", "geo_precision", "source", "notes", "fatalities",
)  # fmt: skip

#: Date formats seen in ACLED exports: ISO (API, new exports), "12 March 2021"
#: (spreadsheet exports), "12-March-2021", "12-03-2021" / "12/03/2021" (day first).
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%d-%m-%Y", "%d/%m/%Y", "ISO8601")

_GEO = {1: "place", 2: "district", 3: "province"}

#: Ordered rules: the first pattern that matches an actor name gives the perpetrator.
#: ``None`` means the actor is not a perpetrator candidate (state forces, civilians,
#: protesters ...).
ACTOR_RULES: tuple[tuple[str, str | None], ...] = (
    (r"taliban\s+and/or\s+islamic state|islamic state.*and/or\s+taliban", "Taliban and/or ISKP"),
    (r"islamic state khorasan|\(iskp\)|\biskp\b|\bis-?k\b", "ISKP"),
    (r"tehr[ei]e?k-?[ie]-?taliban|\bttp\b", "TTP"),
    (r"haqqani", "Haqqani Network"),
    (r"^military forces of|^police forces of|^government of|^civilians|^protesters|^rioters|"
     r"^private security forces|^prison guards|^unidentified (?:military|police)", None),
    (r"unidentified (?:armed|communal|gang)", "unknown"),
    (r"taliban", "Taliban"),
    (r"hezb-?e?-?islami|hizb-?[ie]-?islami", "Hizb-e-Islami"),
    (r"al[- ]?qa['e]?i?da", "al-Qaeda"),
    (r"islamic state", "Islamic State"),
)  # fmt: skip
_COMPILED = tuple((re.compile(p, re.IGNORECASE), v) for p, v in ACTOR_RULES)

_SUB_EVENT = {
    "suicide bomb": "suicide_bombing",
    "remote explosive/landmine/ied": "bombing",
    "grenade": "bombing",
    "shelling/artillery/missile attack": "indirect_fire",
    "air/drone strike": "other",
    "armed clash": "armed_assault",
    "attack": "armed_assault",
    "abduction/forced disappearance": "hostage_taking",
    "looting/property destruction": "other",
    "sexual violence": "other",
    "chemical weapon": "other",
}


def actor_perpetrator(name: object) -> str | None:
    """Canonical perpetrator of one ACLED actor name; ``None`` if not a perpetrator."""
    if name is None or (isinstance(name, float) and name != name) or not str(name).strip():
        return None
    for pattern, value in _COMPILED:
        if pattern.search(str(name)):
            return value
    return "other"


def perpetrator(actor1: pd.Series, actor2: pd.Series) -> pd.Series:
    """Actor 1's group if it is a perpetrator candidate, else actor 2's, else unknown."""
    p1 = apply_unique(text(actor1), actor_perpetrator)
    p2 = apply_unique(text(actor2), actor_perpetrator)
    out = p1.where(p1.notna() & (p1 != "unknown"), p2.where(p2.notna(), p1))
    return out.fillna("unknown").astype("str")


def to_canonical(raw: pd.DataFrame) -> Mapped:
    """Map an ACLED export to canonical columns; see docs/sources.md."""
    issues = Issues()
    idx = raw.index

    # ---- date
    day = dates(raw, "event_date", DATE_FORMATS, issues)
    tp = code(col(raw, "time_precision"), "time_precision", issues, known=(1, 2, 3)).fillna(1)
    week = (tp == 2).to_numpy()
    month = (tp == 3).to_numpy()
    start = pd.Series(
        np.where(week, day - pd.Timedelta(days=3), np.where(month, day - pd.to_timedelta(day.dt.day - 1, unit="D"), day)),
        index=idx,
    ).astype("datetime64[ns]")
    end = pd.Series(
        np.where(week, day + pd.Timedelta(days=3), np.where(month, month_end(day), day)), index=idx
    ).astype("datetime64[ns]")
    precision = pd.Series(np.where(week, "week", np.where(month, "month", "day")), index=idx, dtype="str")

    # ---- place
    if "country" in raw.columns:
        country = countries(raw["country"], "country", issues)
    else:
        country = countries(col(raw, "iso3"), "iso3", issues)
    province, province_code = provinces(col(raw, "admin1"), country, "admin1", issues)
    gp = code(col(raw, "geo_precision"), "geo_precision", issues, known=_GEO)
    geo = map_values(gp, _GEO).astype("str")
    geo = geo.where(~(province.isna() & (country == "AFG")), "country")

    # ---- who
    perp = perpetrator(col(raw, "actor1"), col(raw, "actor2"))
    attribution = np.select(
        [perp == "Taliban and/or ISKP", perp != "unknown"], ["suspected", "attributed"], default="unknown"
    )
    sub_event = text(col(raw, "sub_event_type"))
    attack = map_values(sub_event.str.casefold(), _SUB_EVENT, default="other").where(sub_event.notna(), "unknown")
    civ = text(col(raw, "civilian_targeting"))
    target = pd.Series(np.where(civ.notna(), "civilians", None), index=idx, dtype="str")
    target = target.where(target.notna() | (text(col(raw, "event_type")) != "Violence against civilians"), "civilians")

    # ---- how many: the most conservative reported figure
    killed, killed_raw = count_raw(col(raw, "fatalities"), "fatalities", issues)
    lat = number(col(raw, "latitude"), "latitude", issues)
    lon = number(col(raw, "longitude"), "longitude", issues)

    event_id = text(col(raw, "event_id_cnty"))
    if "event_id_cnty" not in raw.columns and "data_id" in raw.columns:
        event_id = text(raw["data_id"])
    issues.add(event_id.isna(), "event_id_cnty", "id_missing")
    src = text(col(raw, "source"))
    notes = join_notes(
        {
            "actor1": text(col(raw, "actor1")),
            "actor2": text(col(raw, "actor2")),
            "sub_event_type": sub_event,
            "civilian_targeting": civ,
        },
        idx,
    )
    frame = canonical_frame(
        idx,
        incident_id="acled-" + event_id,
        date=day,
        date_earliest=start,
        date_latest=end,
        date_precision=precision,
        country=country,
        province=province,
        province_code=province_code,
        district=text(col(raw, "admin2")),
        place=text(col(raw, "location")),
        latitude=lat,
        longitude=lon,
        geo_precision=geo,
        perpetrator=perp,
        attribution=pd.Series(attribution, index=idx, dtype="str"),
        attack_type=attack.astype("str"),
        target_type=target,
        killed_low=killed,
        killed_best=killed,
        source_dataset="acled",
        source_event_id=event_id,
        sources=("ACLED " + event_id.fillna("?") + ("; " + src).fillna("")),
        evidence=text(col(raw, "notes")),
        notes=notes,
    )
    nan = pd.Series(pd.NA, index=idx, dtype="Float64")
    return Mapped(frame, issues.frame(), killed_raw, nan)
