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

import numpy as np
import pandas as pd

from .mapping import Mapped, RawExport, first_match, toll, window
from .notes import join_notes
from .parse import month_end
from .text import apply_unique, map_values, text

NAME = "acled"
SIGNATURE = ("event_date", "actor1", "actor2", "admin1", "fatalities")
#: The columns the adapter reads (others are not loaded).
COLUMNS_USED = (
    "event_id_cnty", "data_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
    "actor2", "civilian_targeting", "country", "iso3", "admin1", "admin2", "location", "latitude",
    "longitude", "geo_precision", "source", "notes", "fatalities",
)  # fmt: skip
#: Every column of ACLED's exports, old and new (a column outside it is named in a warning).
KNOWN_COLUMNS = (
    *COLUMNS_USED, "year", "disorder_type", "assoc_actor_1", "inter1", "assoc_actor_2", "inter2",
    "interaction", "iso", "region", "admin3", "source_scale", "tags", "timestamp", "event_id_no_cnty",
    "geo_precis",
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
_ACTORS = first_match(ACTOR_RULES, blank=None)

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
    return _ACTORS(name)


def perpetrator(actor1: pd.Series, actor2: pd.Series) -> pd.Series:
    """Actor 1's group if it is a perpetrator candidate, else actor 2's, else unknown."""
    p1 = apply_unique(text(actor1), actor_perpetrator)
    p2 = apply_unique(text(actor2), actor_perpetrator)
    out = p1.where(p1.notna() & (p1 != "unknown"), p2.where(p2.notna(), p1))
    return out.fillna("unknown").astype("str")


def _window(ex: RawExport) -> dict:
    """``event_date``, widened to a week or a month by ``time_precision``."""
    day = ex.dates("event_date", DATE_FORMATS)
    tp = ex.code("time_precision", known=(1, 2, 3)).fillna(1)
    week = (tp == 2).to_numpy()
    month = (tp == 3).to_numpy()
    first = day - pd.to_timedelta(day.dt.day - 1, unit="D")
    start = np.where(week, day - pd.Timedelta(days=3), np.where(month, first, day))
    end = np.where(week, day + pd.Timedelta(days=3), np.where(month, month_end(day), day))
    precision = pd.Series(np.where(week, "week", np.where(month, "month", "day")), index=ex.index, dtype="str")
    start, end = (pd.Series(v, index=ex.index).astype("datetime64[ns]") for v in (start, end))
    return window(start, end, precision, best=day)


def _place(ex: RawExport) -> dict:
    column = "country" if ex.has("country") else "iso3"
    country = ex.countries(column, blank_ok=True)
    geo = ex.lookup("geo_precision", _GEO)
    detail = {"district": ex.text("admin2"), "place": ex.text("location")}
    where = ex.place(country, "admin1", geo, country_column=column, **detail)
    where["geo_precision"] = geo.where(~(where["province"].isna() & (country == "AFG")), "country")
    return where


def _what(ex: RawExport, sub_event: pd.Series, civ: pd.Series) -> dict:
    """Attack type from ``sub_event_type``; civilians targeted from ``civilian_targeting``
    or the event type "Violence against civilians"."""
    attack = map_values(sub_event.str.casefold(), _SUB_EVENT, default="other").where(sub_event.notna(), "unknown")
    target = pd.Series(np.where(civ.notna(), "civilians", None), index=ex.index, dtype="str")
    against_civilians = ex.text("event_type") == "Violence against civilians"
    return {"attack_type": attack.astype("str"), "target_type": target.where(target.notna() | ~against_civilians, "civilians")}


def to_canonical(raw: pd.DataFrame, *, victims_only: bool = False) -> Mapped:
    """Map an ACLED export to canonical columns; see docs/sources.md. ACLED does not
    give the perpetrators' deaths apart, so ``victims_only`` changes nothing."""
    ex = RawExport(raw, NAME)
    when = _window(ex)
    where = _place(ex)
    perp = perpetrator(ex.column("actor1"), ex.column("actor2"))
    attribution = np.select(
        [perp == "Taliban and/or ISKP", perp != "unknown"], ["suspected", "attributed"], default="unknown"
    )
    sub_event, civ = ex.text("sub_event_type"), ex.text("civilian_targeting")
    what = _what(ex, sub_event, civ)
    # how many: the most conservative reported figure
    killed, killed_raw = ex.count_raw("fatalities")
    event_id = ex.text("event_id_cnty") if ex.has("event_id_cnty") or not ex.has("data_id") else ex.text("data_id")
    ex.flag(event_id.isna(), "event_id_cnty", "id_missing")
    notes = {"actor1": ex.text("actor1"), "actor2": ex.text("actor2"), "sub_event_type": sub_event, "civilian_targeting": civ}
    return ex.finish(
        event_id,
        killed_raw=killed_raw,
        **when,
        **where,
        perpetrator=perp,
        attribution=pd.Series(attribution, index=ex.index, dtype="str"),
        **what,
        **toll("killed", killed, high=None),
        sources=("ACLED " + event_id.fillna("?") + ("; " + ex.text("source")).fillna("")),
        evidence=ex.text("notes"),
        notes=join_notes(notes, ex.index),
    )
