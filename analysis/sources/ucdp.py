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

import numpy as np
import pandas as pd

from ..schema import MAX_WINDOW_DAYS
from .mapping import Mapped, RawExport, attributed, first_match, toll, window
from .notes import join_notes
from .text import apply_unique, map_values, text

NAME = "ucdp"
SIGNATURE = ("side_a", "side_b", "date_start", "date_end", "best", "low", "high")
#: The columns the adapter reads (others are not loaded).
COLUMNS_USED = (
    "id", "relid", "type_of_violence", "side_a", "side_b", "source_headline", "where_prec",
    "where_coordinates", "adm_1", "adm_2", "latitude", "longitude", "country", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best",
    "high", "low",
)  # fmt: skip
#: The 49 standard columns of the GED (a column outside them is named in a warning).
KNOWN_COLUMNS = (
    *COLUMNS_USED, "year", "active_year", "code_status", "conflict_dset_id", "conflict_new_id",
    "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id", "side_a_new_id",
    "side_b_dset_id", "side_b_new_id", "number_of_sources", "source_article", "source_office",
    "source_date", "source_original", "where_description", "geom_wkt", "priogrid_gid", "country_id",
    "region", "event_clarity", "gwnoa", "gwnob",
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
_SIDES = first_match(SIDE_RULES, blank=None)


def side_perpetrator(name: object) -> str | None:
    """Canonical perpetrator of one UCDP side; ``None`` for governments and civilians."""
    return _SIDES(name)


def _window(ex: RawExport) -> dict:
    """``date_start``..``date_end``; ``date_prec`` widened when the window is wider
    than the precision allows."""
    start = ex.dates("date_start", ("ISO8601", "%d/%m/%Y"))
    end = ex.dates("date_end", ("ISO8601", "%d/%m/%Y"), required=False)
    end = end.where(end.notna(), start)
    floor = map_values(ex.code("date_prec", known=_DATE_PREC), _DATE_PREC, default="day")
    width = (end - start).dt.days
    rank = floor.map(_PREC_ORDER.index).astype("int64")
    for k, p in enumerate(_PREC_ORDER[:-1]):
        too_wide = (width > MAX_WINDOW_DAYS[p]).fillna(False) & (rank == k)
        rank = rank.where(~too_wide, k + 1)
    return window(start, end, rank.map(dict(enumerate(_PREC_ORDER))).astype("str"))


def _place(ex: RawExport) -> dict:
    geo = ex.lookup("where_prec", _WHERE)
    detail = {"district": ex.text("adm_2"), "place": ex.text("where_coordinates")}
    where = ex.place(ex.countries("country", blank_ok=True), "adm_1", geo, country_column="country", **detail)
    # a province or district precision without a known province is the country's
    where["geo_precision"] = geo.where(~(where["province"].isna() & geo.isin(["province", "district"])), "country")
    return where


def _perpetrator(side_a: pd.Series, side_b: pd.Series, tov: pd.Series, country: pd.Series) -> pd.Series:
    """The non-state side: ``side_b`` of state-based conflicts (type 1), else ``side_a``;
    UCDP's "IS" is ISKP in Afghanistan."""
    pa_ = apply_unique(side_a, side_perpetrator)
    pb = apply_unique(side_b, side_perpetrator)
    state_based = (tov == 1).fillna(False).to_numpy()
    first = pd.Series(np.where(state_based, pb, pa_), index=side_a.index)
    second = pd.Series(np.where(state_based, pa_, pb), index=side_a.index)
    perp = first.where(first.notna(), second).fillna("unknown")
    afg = (country == "AFG").fillna(False)
    return perp.where(perp != "IS", np.where(afg, "ISKP", "Islamic State")).astype("str")


def to_canonical(raw: pd.DataFrame, *, victims_only: bool = False) -> Mapped:
    """Map a UCDP GED table to canonical columns; see docs/sources.md. The GED counts
    deaths by side, not by role in one attack, so ``victims_only`` changes nothing."""
    ex = RawExport(raw, NAME)
    when = _window(ex)
    where = _place(ex)
    side_a, side_b = ex.text("side_a"), ex.text("side_b")
    tov = ex.code("type_of_violence", known=(1, 2, 3))
    perp = _perpetrator(side_a, side_b, tov, where["country"])
    best, best_raw = ex.count_raw("best")
    low, high = ex.count("low"), ex.count("high")
    civilians = ex.count("deaths_civilians")
    combatants = ex.count("deaths_a") + ex.count("deaths_b")
    event_id = ex.event_id("id")
    notes = {"side_a": side_a, "side_b": side_b, "type_of_violence": text(tov), "deaths_unknown": ex.text("deaths_unknown")}
    return ex.finish(
        event_id,
        killed_raw=best_raw,
        **when,
        **where,
        perpetrator=perp,
        attribution=attributed(perp),
        **toll("killed", best, low=low, high=high),
        civilians_killed_best=civilians,
        combatants_killed_best=combatants,
        sources="UCDP GED " + event_id.fillna("?") + (" (" + ex.text("relid") + ")").fillna(""),
        evidence=ex.text("source_headline"),
        notes=join_notes(notes, ex.index),
    )
