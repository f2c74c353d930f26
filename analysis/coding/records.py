"""From an event frame to a draft record: tolls, date window, place, attribution, types.

Each field keeps its evidence: the exact words it was coded from (several spans are
joined by " | "), always a substring of the cleaned report.

* **tolls** -- the frame's toll groups reconciled by :func:`.tolls.combine_casualties`
  (groups added up, several figures kept as a range, attackers and tolls claimed by
  the perpetrator left out);
* **date** -- the narrowest event date of the frame's first unit, else of a unit with
  casualties, else any; a frame with none takes an anchor on the attack it is counted
  from ("a day after"), the date of the frame before ("hours earlier", "the same
  evening"), the period of the report's aggregate, or the week up to publication;
* **place** -- the most specific consistent place (:func:`.places.best_place`); an
  attack frame without one takes the report's dateline or main province (flagged);
* **attribution** -- :func:`.attribution.resolve_attribution` over the frame's cues.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from .. import gazetteer
from ..schema import COUNT_COLUMNS
from .attribution import find_groups, resolve_attribution
from .classify import attack_type, target_type
from .dates import DateMention, precision_for
from .frames import Frame
from .numbers import find_quantities
from .places import PlaceMention, best_place
from .tolls import combine_casualties
from .units import SPECIFIC, Unit, anchored

__all__ = ["FLOOR", "Report", "keep_frame", "make_record", "report_place"]

FLOOR = dt.date(1970, 1, 1)
_DETAIN = re.compile(r"\b(?:arrest(?:ed|ing)?|captur(?:ed|ing|e)|detain(?:ed|ing)?|imprison(?:ed|ing)?)\b", re.I)


@dataclasses.dataclass
class Report:
    """What a record needs from the report as a whole."""

    report_id: str
    source: str | None
    published: dt.date | None
    bounds: tuple[dt.date, dt.date]
    period: DateMention | None = None  # the period an aggregate statement covers
    place: PlaceMention | None = None  # the dateline's place or main province
    headline: str | None = None
    dates: dict = dataclasses.field(default_factory=dict)  # id(frame) -> its date window


def _evidence(spans: list[str | None]) -> str | None:
    spans = [s for s in dict.fromkeys(spans) if s]
    return " | ".join(spans) if spans else None


# ------------------------------------------------------------------ tolls
def _tolls(f: Frame) -> tuple[dict, int | None]:
    mentions = []
    for u in f.units:
        cs = u.casualties
        if f.kind == "counter_terrorism":  # here the militants killed are the count
            cs = [dataclasses.replace(c, category="combatant") if c.category == "perpetrator" else c for c in cs]
        if u.only_index is not None and u.only_index >= 0:
            resp = [c for c in cs if c.share_of == -1]
            cs = [resp[u.only_index]] if u.only_index < len(resp) else []
        mentions.extend(cs)
    cas = combine_casualties(mentions)
    detained = None
    if f.kind == "counter_terrorism":
        text = " ".join(u.text for u in f.units)
        for m in _DETAIN.finditer(text):
            q = [q for q in find_quantities(text[m.end() : m.end() + 40]) if q.best is not None]
            if q:
                detained = q[0].best
                break
    return cas, detained


# ------------------------------------------------------------------ date
def _window(d: DateMention, f: Frame, r: Report) -> dict:
    if f.kind == "aggregate" and d.role == "since":
        e0, e1 = d.earliest, r.published or r.bounds[1]
        best = e1
    else:
        e0, e1, best = d.earliest, d.latest, d.best
    e0 = max(e0, FLOOR)
    e1 = max(e1, e0)
    if not d.anchored:
        best = e0 + (e1 - e0) // 2
    return {"date": min(max(best, e0), e1), "date_earliest": e0, "date_latest": e1, "evidence_date": d.text,
            "note": d.note}


def _stated(f: Frame) -> DateMention | None:
    events = f.times
    if f.kind == "aggregate":
        events = [d for u in f.units for d in u.dates if d.role in ("period", "since")] or events
    if not events:
        return None
    named = [d for d in events if _POSSESSIVE.search(d.text)]  # "Wednesday's attack": the event's own day
    with_cas = [d for u in f.units if u.casualties for d in u.dates if d.role == "event"]
    pool = named or f.units[0].event_dates() or with_cas or events
    return min(pool, key=lambda d: (d.width, d.start))


_POSSESSIVE = re.compile(r"['’]s$|['’]s\b", re.I)


def _borrowed(f: Frame, r: Report) -> dict | None:
    """A date taken from the frame before: an anchor ("a day after") or the same day."""
    prev = r.dates.get(id(f.previous)) if f.previous is not None else None
    if prev is None or prev.get("mention") is None:
        return None
    anchor = next((u.anchor for u in f.units if u.anchor is not None), None)
    if anchor is not None:
        return _window(anchored(prev["mention"], anchor), f, r)
    if any(u.same_day for u in f.units):
        d = prev["mention"]
        return {**_window(d, f, r), "evidence_date": _evidence([u.text[m.start():m.end()] for u in f.units
                                                               for m in [_SAME_DAY_WORDS.search(u.text)] if m])
                or d.text, "note": "same day as the attack reported before it"}
    return None


_SAME_DAY_WORDS = re.compile(r"\b(?:hours|minutes)\s+(?:earlier|later|before|after)|\bthe\s+same\s+\w+|\bearlier\s+\w+\s+\w+\s+day", re.I)


def _unstated(r: Report) -> dict:
    if r.period is not None:
        p = r.period
        return {"date": p.earliest + (p.latest - p.earliest) // 2, "date_earliest": p.earliest, "date_latest": p.latest,
                "evidence_date": p.text, "note": "date not stated; window is the period the report covers"}
    hi = r.published or r.bounds[1]
    lo = (hi - dt.timedelta(days=7)) if r.published else r.bounds[0]
    note = ("date not stated; window: the week up to publication (codebook R4)" if r.published
            else "date not stated and no publication date: window unbounded")
    return {"date": lo + (hi - lo) // 2, "date_earliest": lo, "date_latest": hi, "evidence_date": None, "note": note}


def _date(f: Frame, r: Report) -> tuple[dict, list[str]]:
    d = _stated(f)
    if d is not None:
        info = _window(d, f, r)
        r.dates[id(f)] = {"mention": d}
        return info, (["date resolved without a publication date: wide window"] if not d.anchored else [])
    borrowed = _borrowed(f, r)
    if borrowed is not None:
        return borrowed, ["date counted from another attack in the report: check it"]
    return _unstated(r), ["date not stated"]


# ------------------------------------------------------------------ place
def _place(f: Frame, r: Report) -> tuple[dict, list[str]]:
    places = f.places
    bp = best_place(places)
    if bp is not None:
        province = bp["province"]
        district = bp["district"] if any(p.kind == "district" and p.province == province for p in places) else None
        spec = sorted((p for p in places if p.province == province and p.kind != "province"), key=lambda p: -p.rank)
        place = spec[0].place or spec[0].district if spec and spec[0].kind != "district" else None
        ev = _evidence([p.text for p in places if p.province == province][:3])
        return _geo(province, district, place, ev), []
    if r.place is not None and f.kind == "attack" and f.role == "primary":
        return _geo(r.place.province, None, None, r.place.text), [
            "place taken from the report's dateline or main province: check it"]
    return _geo(None, None, None, None), ["no Afghan place found"]


def _geo(province, district, place, evidence) -> dict:
    lat, lon = gazetteer.centroid(province) if province else (None, None)
    return {"province": province, "province_code": gazetteer.try_province_code(province) if province else None,
            "district": district, "place": place, "latitude": lat, "longitude": lon,
            "geo_precision": "province" if province else None, "evidence_place": evidence}


def report_place(units: list[Unit]) -> PlaceMention | None:
    """The report's dateline place, else its most mentioned province (if it names one
    clearly more often than any other)."""
    for x in units[:8]:
        hits = [p for p in x.dateline_places if p.province]
        if hits:
            return hits[0]
    counts: dict[str, list[PlaceMention]] = {}
    for x in units:
        for p in x.places:
            if p.province:
                counts.setdefault(p.province, []).append(p)
    if not counts:
        return None
    ranked = sorted(counts.values(), key=len, reverse=True)
    if len(ranked) == 1 or len(ranked[0]) >= 2 * len(ranked[1]):
        return ranked[0][0]
    return None


# ------------------------------------------------------------------ attribution and types
def _actor_and_target(f: Frame) -> tuple[str, str | None]:
    text = " ".join(u.text for u in f.units)
    groups = find_groups(text)
    m = re.search(r"\b(?:arrest|captur|detain|operation|raid|campaign|killed|imprison)", text, re.I)
    actor = next((g for g, s, e in groups if m and s < m.start()), None)
    target = next((g for g, s, e in groups if g != actor), None)
    return actor or "unknown", target


def _attribution(f: Frame) -> tuple[dict, list[str]]:
    attrib = resolve_attribution(f.claims)
    notes = list(attrib["notes"])
    out = {"perpetrator": attrib["perpetrator"], "attribution": attrib["attribution"],
           "evidence_perpetrator": attrib["evidence_perpetrator"]}
    text = " ".join(u.text for u in f.units)
    if f.kind == "aggregate" and out["perpetrator"] == "unknown":
        m = re.search(r"\b(?:in|by)\s+(?P<g>[\w-]+(?:\s+[\w-]+){0,2})\s+attacks\b", text)
        grp = [g for g, _, _ in find_groups(m.group("g"))] if m else []
        if grp:
            out = {"perpetrator": grp[0], "attribution": "attributed", "evidence_perpetrator": m.group()}
    if f.kind == "counter_terrorism":
        actor, target = _actor_and_target(f)
        out = {"perpetrator": actor, "attribution": "claimed" if actor != "unknown" else "unknown",
               "evidence_perpetrator": None}
        notes.append(f"counter-terrorism operation by {actor} against {target or 'militants'}")
    return out, notes


def _types(f: Frame) -> dict:
    if f.kind != "attack":
        return {"attack_type": None, "target_type": None, "evidence_attack_type": None, "evidence_target_type": None}
    texts = [t for t in [f.heading, *(u.text for u in f.units)] if t]
    at, at_ev = attack_type(texts)
    tt, tt_ev = target_type(texts)
    first = f.units[0]
    if first.only_index is not None and first.only_index >= 0:
        victims = [c for c in first.casualties if c.share_of == -1]
        if victims:
            parts = re.split(r"\s+and\s+", re.sub(r",?\s+respectively$", "", victims[0].text))
            if first.only_index < len(parts):
                t2, e2 = target_type(parts[first.only_index])
                if t2 != "unknown":
                    tt, tt_ev = t2, e2
    return {"attack_type": at, "target_type": tt, "evidence_attack_type": at_ev, "evidence_target_type": tt_ev}


# ------------------------------------------------------------------ the record
def keep_frame(f: Frame) -> bool:
    """Frames that become records: attacks with a toll or a specific trigger, and a place
    or a date; totals with figures; every counter-terrorism operation."""
    if f.kind != "attack":
        return bool(f.tolls) or f.kind == "counter_terrorism"
    has_cas = any(c.category != "perpetrator" for c in f.tolls)
    specific = any(SPECIFIC.search(u.text) for u in f.units)
    where_when = bool(f.places) or bool(f.times) or any(u.anchor or u.same_day for u in f.units)
    return (has_cas or specific) and where_when and (has_cas or bool(f.provinces) or bool(f.times))


def _flags(f: Frame, cas: dict) -> list[str]:
    flags = []
    if f.kind == "attack" and cas["killed_best"] is None and cas["wounded_best"] is None and cas["killed_low"] is None:
        flags.append("no casualty figures")
    if f.units[0].only_index is not None:
        flags.append("one of several attacks named in one sentence: check the split")
    if f.role == "background":
        flags.append("an earlier attack recalled in the report: check that it is not counted twice")
    return flags


def make_record(f: Frame, n: int, r: Report) -> dict:
    """The draft record of frame ``f`` (the ``n``-th record of report ``r``)."""
    cas, detained = _tolls(f)
    notes = list(cas.pop("notes"))  # type: ignore[arg-type]
    dinfo, flags = _date(f, r)
    if dinfo.get("note"):
        notes.append(dinfo["note"])
    geo, place_flags = _place(f, r)
    attrib, attrib_notes = _attribution(f)
    paragraphs = sorted({u.s.paragraph for u in f.units})
    src = r.source or "pasted text"
    published = r.published.isoformat() if r.published else "unknown"
    return {
        "incident_id": f"DRAFT-{r.report_id}-{n:03d}",
        **{k: dinfo[k] for k in ("date", "date_earliest", "date_latest")},
        "date_precision": precision_for(dinfo["date_earliest"], dinfo["date_latest"]),
        "country": "AFG",
        **{k: v for k, v in geo.items() if k != "evidence_place"},
        **{k: attrib[k] for k in ("perpetrator", "attribution")},
        **{k: v for k, v in _types(f).items() if not k.startswith("evidence")},
        **{k: cas[k] for k in COUNT_COLUMNS},
        "source_dataset": "other",
        "source_event_id": None,
        "sources": f"{src}; published {published}" + (f"; {r.headline}" if r.headline else ""),
        "evidence": f"{src} " + " ".join(f"¶{p}" for p in paragraphs),
        "notes": "; ".join(["DRAFT, not reviewed", *dict.fromkeys(notes + attrib_notes)]),
        "kind": f.kind,
        "evidence_date": dinfo["evidence_date"],
        "evidence_place": geo["evidence_place"],
        **{k: cas[k] for k in ("evidence_killed", "evidence_wounded", "evidence_civilians")},
        "evidence_perpetrator": attrib["evidence_perpetrator"],
        **{k: v for k, v in _types(f).items() if k.startswith("evidence")},
        "paragraphs": " ".join(str(p) for p in paragraphs),
        "source_file": r.source,
        "published": r.published,
        "detained_best": detained,
        "flags": "; ".join(dict.fromkeys(flags + place_flags + _flags(f, cas))) or None,
    }

