"""Draft incident records from a news report, with the words behind every field.

:func:`draft_incidents` reads one report and returns candidate records in the
canonical schema (:data:`analysis.schema.COLUMNS`) plus:

* ``kind``: ``"attack"`` (an incident), ``"aggregate"`` (a total over a period, "at
  least 96 people have been killed in the last two months") or
  ``"counter_terrorism"`` (arrests, raids and operations against militants). Only
  attacks are incidents; :func:`to_incidents` keeps those, in the schema's columns;
* ``evidence_date``, ``evidence_place``, ``evidence_killed``, ``evidence_wounded``,
  ``evidence_civilians``, ``evidence_perpetrator``, ``evidence_attack_type``,
  ``evidence_target_type``: the exact text each field was coded from (several
  spans are joined by " | "); every span is a substring of the cleaned report
  (:func:`analysis.coding.text.clean_text`);
* ``paragraphs`` (the report's paragraphs the record rests on, 1-based),
  ``source_file``, ``published`` (the anchor used, if any), ``detained_best`` (for
  counter-terrorism) and ``flags`` (what a reviewer must look at).

How a report becomes records: sentences are read in order; a sentence about a
specific attack either continues the current record (it refers back -- "this
attack", "the blast" -- or agrees with its place and date) or opens a new one (it
says "in another incident", "before that", or names another province or a date
window that does not overlap). One sentence listing several attacks ("car
bombings ... last December and in June this year killed X and Y, respectively";
"carried out a bombing at A, plotted an attempt on B, and raided C") is split.
Aggregate and counter-terrorism statements become their own records. Records
without casualties or a specific attack, or without any place or date, are dropped
as talk about violence in general.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import gazetteer
from ..errors import AnalysisWarning
from ..schema import COLUMNS, COUNT_COLUMNS, DATE_COLUMNS, FLOAT_COLUMNS
from .attribution import AttributionCue, find_attribution, find_groups, resolve_attribution
from .casualties import CasualtyMention, combine_casualties, find_casualties
from .classify import attack_type, statement_kind, target_type
from .dates import (
    DateMention,
    find_dates,
    infer_publication_date,
    precision_for,
    publication_bounds,
    to_date,
)
from .places import PlaceMention, best_place, find_places
from .text import MAX_CHARS, Sentence, clean_text, english_score, split_sentences

__all__ = [
    "DRAFT_COLUMNS",
    "EVIDENCE_COLUMNS",
    "KINDS",
    "DraftWarning",
    "draft_files",
    "draft_incidents",
    "link_drafts",
    "to_incidents",
]

KINDS = ("attack", "aggregate", "counter_terrorism")
EVIDENCE_COLUMNS = (
    "evidence_date",
    "evidence_place",
    "evidence_killed",
    "evidence_wounded",
    "evidence_civilians",
    "evidence_perpetrator",
    "evidence_attack_type",
    "evidence_target_type",
)
EXTRA_COLUMNS = ("kind", *EVIDENCE_COLUMNS, "paragraphs", "source_file", "published", "detained_best", "flags")
DRAFT_COLUMNS: tuple[str, ...] = (*COLUMNS, *EXTRA_COLUMNS)

#: Below this share of common English words a text is not read as English.
MIN_ENGLISH_SCORE = 0.08


_FLOOR = dt.date(1970, 1, 1)


class DraftWarning(AnalysisWarning):
    """A report could not be drafted (empty, not English, cut at MAX_CHARS...)."""


# ------------------------------------------------------------------ sentence cues
_NEW_MARKER = re.compile(
    r"^\W*(?:in\s+another\s+(?:incident|case|attack)|in\s+a\s+separate\s+(?:incident|attack)|besides|furthermore|"
    r"meanwhile|elsewhere|separately|before\s+(?:that|this)|earlier,|also\s+on|in\s+addition\s+to\s+this\s+attack)\b"
    r"|\banother\s+(?:[\w-]+\s+){0,2}(?:attack|blast|explosion|bombing|incident)\b",
    re.I,
)
_REFERS_BACK = re.compile(
    r"\b(?:this|that|the|the\s+same|the\s+latest|the\s+deadly|the\s+recent|the\s+barbaric)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:attack|attacks|blast|explosion|bombing|incident|shooting|assault|massacre|operation|attempt|news|event|raid|"
    r"strike|area|site|compound|assassination\s+attempt|attackers|gunmen|bomber|victims|dead|toll)\b"
    r"|^\W*(?:they|he|she|it|the\s+fighters|the\s+militants)\b",
    re.I,
)
_BOTH = re.compile(r"\b(?:both|the\s+two)\s+(?:of\s+)?(?:the\s+)?(?:attacks|bombings|blasts|incidents)\b", re.I)
_SUMMARY = re.compile(
    r"\b(?:two|three|four|five|six|several|many|multiple|a\s+number\s+of|a\s+series\s+of|\d+)\s+(?:[\w-]+\s+){0,2}"
    r"(?:attacks|blasts|explosions|bombings|incidents)\b|\bthese\s+(?:\w+\s+)?(?:attacks|incidents)\b"
    r"|\b(?:attacks|bombings)\s+(?:will|would|could|may|might)\b|\bhigh-profile\s+attacks\b|\bsuch\s+attacks\b",
    re.I,
)
_SPECIFIC = re.compile(
    r"\b(?:an?|the|this|that)\s+(?:[\w’'-]+\s+){0,3}?(?:attack|blast|explosion|bombing|shooting|assault|massacre|"
    r"ambush|raid|assassination\s+attempt|suicide\s+bombing|car\s+bombing)\b"
    r"|\b(?:attacked|raided|stormed|bombed|targeted|shot|overran|exploded|detonated|opened\s+fire)\b"
    r"|\bexplosion\s+occurred|\bcar\s+bombings\b|\bblew\s+(?:him|her|them)sel(?:f|ves)\s+up\b"
    r"|\bsuicide\s+(?:bomber|attacker)s?\b|\bgunm[ae]n\b|\bwas\s+(?:attacked|bombed|targeted)\b",
    re.I,
)
_DATELINE = re.compile(r"^[A-Z][A-Z /'-]{2,40},[^\n]{0,60}?(?:\([A-Za-z .]{1,30}\))?\s*[-–—]\s")
_HEADING_END = re.compile(r"[.!?:;,\"”’)]\s*$")
_CONTINUE_AGG = re.compile(r"^\W*(?:among\s+the\s+(?:dead|killed|victims|injured|wounded)|in\s+addition|of\s+(?:those|them|these))\b", re.I)
_CT_REFERS = re.compile(r"\b(?:this|the|that)\s+(?:[\w-]+\s+){0,2}?(?:operation|campaign|raids?|detainees|arrests)\b", re.I)
_CLAUSE_VERB = re.compile(
    r",\s+(?:and\s+)?(?=(?:carried\s+out|plotted|raided|attacked|targeted|bombed|stormed|struck|launched|hit|set\s+off)\b)",
    re.I,
)


@dataclass
class _Sent:
    s: Sentence
    text: str
    offset: int  # where ``text`` starts in the cleaned report
    casualties: list[CasualtyMention]
    dates: list[DateMention]
    places: list[PlaceMention]
    cues: list[AttributionCue]
    kind: str
    heading: bool = False
    only_index: int | None = None  # for "respectively": which share this clause takes


@dataclass
class _Record:
    kind: str
    sents: list[_Sent] = field(default_factory=list)
    heading: str | None = None

    @property
    def provinces(self) -> set[str]:
        return {p.province for s in self.sents for p in s.places if p.province}

    @property
    def local_places(self) -> set[str]:
        return {
            (p.place or p.district or "").lower()
            for s in self.sents for p in s.places
            if p.kind in ("district", "village", "locality", "area", "neighbourhood") and (p.place or p.district)
        }

    def event_dates(self) -> list[DateMention]:
        return [d for s in self.sents for d in s.dates if d.role == "event"]


def _analyse(text: str, s: Sentence, offset: int, published, bounds) -> _Sent:
    cas = find_casualties(text)
    kind = statement_kind(text, has_casualties=any(not c.subset and c.category != "perpetrator" for c in cas))
    if kind == "attack" and not cas and _SUMMARY.search(text) and not _REFERS_BACK.search(text):
        kind = "summary"
    elif kind == "attack" and not cas and not _SPECIFIC.search(text):
        kind = "generic"  # speaks of violence, but of no one attack: continues, never opens
    dates = find_dates(text, published, bounds)
    line = _DATELINE.match(text)
    if line:  # the dateline's date is the publication date, not the event's
        dates = [dataclasses.replace(d, role="report") if d.end <= line.end() else d for d in dates]
    return _Sent(s, text, offset, cas, dates, find_places(text), find_attribution(text), kind)


def _windows_overlap(a: list[DateMention], b: list[DateMention]) -> bool:
    if not a or not b:
        return True
    return any(x.earliest <= y.latest and y.earliest <= x.latest for x in a for y in b)


def _split_sentence(x: _Sent, published, bounds) -> list[_Sent]:
    """One sentence naming several attacks -> one _Sent per attack."""
    events = [d for d in x.dates if d.role == "event"]
    if (
        len(events) >= 2
        and re.search(r"\b(?:bombings|attacks|blasts|explosions)\b", x.text, re.I)
        and (re.search(r"\brespectively\b", x.text) or re.search(r"\band\b", x.text[events[0].end : events[1].start]))
    ):
        out = []
        for i, d in enumerate(events):
            out.append(
                _Sent(x.s, x.text, x.offset, x.casualties, [d], x.places, x.cues, x.kind, only_index=i)
            )
        return out
    parts = _CLAUSE_VERB.split(x.text)
    if len(parts) >= 2:
        pieces: list[tuple[str, int]] = []
        pos = 0
        for m in [*_CLAUSE_VERB.finditer(x.text), None]:
            end = m.start() if m else len(x.text)
            pieces.append((x.text[pos:end], pos))
            if m:
                pos = m.end()
        with_target = [p for p in pieces if target_type(p[0])[0] != "unknown"]
        if len(with_target) >= 2 and len(with_target) == len(pieces):
            out = []
            head_dates = [d for d in x.dates if d.role == "event"]
            for i, (piece, start) in enumerate(pieces):
                sub = _analyse(piece, x.s, x.offset + start, published, bounds)
                if not [d for d in sub.dates if d.role == "event"]:
                    sub.dates = sub.dates + head_dates
                    sub.only_index = -1  # dates borrowed from the sentence
                if not any(p.province for p in sub.places):
                    sub.places = sub.places + [p for p in x.places if p.province]
                if not sub.cues and i == 0:
                    sub.cues = x.cues
                out.append(sub)
            # the first clause carries the sentence's subject (e.g. "IS-K carried out")
            for o in out[1:]:
                if not o.cues:
                    o.cues = out[0].cues
            return out
    return [x]


def _segment(sents: list[_Sent], self_pub=None, self_bounds=None) -> list[_Record]:
    records: list[_Record] = []
    current: _Record | None = None  # the attack being read
    last: _Record | None = None  # the record last touched
    heading: str | None = None
    heading_par = 0
    prev_par = 0
    par_places: list[PlaceMention] = []
    i = 0
    while i < len(sents):
        x = sents[i]
        new_par = x.s.paragraph != prev_par
        if new_par:
            par_places = []
        prev_par = x.s.paragraph
        par_places = par_places + x.places
        if x.heading:
            if x.kind in ("counter_terrorism", "aggregate", ""):
                pass
            else:
                heading = x.text
                heading_par = x.s.paragraph
                i += 1
                continue
        kind = x.kind
        if kind in ("attack", "generic", "") and _BOTH.search(x.text):
            attacks = [r for r in records if r.kind == "attack"]
            if len(attacks) >= 2:
                for r in attacks[-2:]:
                    r.sents.append(x)
                i += 1
                continue
        if kind in ("attack", "generic", "") and not _NEW_MARKER.search(x.text):
            # a sentence about a place that belongs to an earlier record goes back to it
            local = {(p.place or p.district or "").lower() for p in (x.places or par_places)
                     if p.kind in ("district", "village", "locality", "area", "neighbourhood")}
            home = next((r for r in reversed(records) if r.kind == "attack" and local & r.local_places), None)
            if home is not None and home is not current and not _SPECIFIC.search(x.text.split(",")[0]) and (
                kind != "" or x.cues or x.casualties
            ):
                home.sents.append(x)
                last = home
                i += 1
                continue
        if kind == "aggregate":
            if last is not None and last.kind == "aggregate" and (records and records[-1] is last):
                last.sents.append(x)
            else:
                last = _Record("aggregate", [x])
                records.append(last)
            current = None
            i += 1
            continue
        if _CONTINUE_AGG.search(x.text) and last is not None and last.kind == "aggregate":
            last.sents.append(x)
            i += 1
            continue
        if kind == "counter_terrorism":
            if last is not None and last.kind == "counter_terrorism" and (
                not new_par or _CT_REFERS.search(x.text) or x.s.paragraph - last.sents[-1].s.paragraph <= 2
            ):
                last.sents.append(x)
            else:
                last = _Record("counter_terrorism", [x])
                records.append(last)
            current = None
            i += 1
            continue
        if kind == "summary":
            current = None
            i += 1
            continue
        if kind == "generic":
            if current is not None and (_REFERS_BACK.search(x.text) or not new_par):
                current.sents.append(x)
            i += 1
            continue
        if kind == "attack":
            refers = bool(_REFERS_BACK.search(x.text))
            marker = bool(_NEW_MARKER.search(x.text))
            pieces = _split_sentence(x, self_pub, self_bounds)
            start_new = (
                current is None
                or marker
                or len(pieces) > 1
                or (
                    not refers
                    and (
                        (x.places and current.provinces and not ({p.province for p in x.places if p.province} & current.provinces)
                         and any(p.province for p in x.places))
                        or not _windows_overlap([d for d in x.dates if d.role == "event"], current.event_dates())
                    )
                )
            )
            if start_new:
                head = heading if heading is not None and x.s.paragraph - heading_par <= 2 else None
                for piece in pieces:
                    current = _Record("attack", [piece], head)
                    records.append(current)
                heading = None
            else:
                current.sents.append(x)
            last = current
            i += 1
            continue
        # not about violence: keep attribution and casualty cues for the record read
        if last is not None and (x.cues or x.casualties) and (
            _REFERS_BACK.search(x.text) or not new_par or (last is current and not x.places and not x.dates)
        ):
            last.sents.append(x)
        i += 1
    return records


def _evidence(spans: list[str]) -> str | None:
    spans = [s for s in dict.fromkeys(spans) if s]
    return " | ".join(spans) if spans else None


def _choose_date(rec: _Record, report_period: DateMention | None, published, bounds) -> tuple[dict, list[str]]:
    flags: list[str] = []
    events = rec.event_dates()
    if rec.kind == "aggregate":
        periods = [d for s in rec.sents for d in s.dates if d.role in ("period", "since")]
        events = periods or events
    if events:
        with_cas = [d for s in rec.sents if s.casualties for d in s.dates if d.role == "event"]
        first = [d for d in rec.sents[0].dates if d.role == "event"]
        pool = first or with_cas or events
        d = min(pool, key=lambda d: (d.width, d.start))
        if rec.kind == "aggregate" and d.role == "since":
            end = published or bounds[1]
            e0, e1, best = d.earliest, end, end
        else:
            e0, e1, best = d.earliest, d.latest, d.best
        e0 = max(e0, _FLOOR)
        e1 = max(e1, e0)
        if not d.anchored:
            best = e0 + (e1 - e0) // 2
        best = min(max(best, e0), e1)
        if not d.anchored:
            flags.append("date resolved without a publication date: wide window")
        return {"date": best, "date_earliest": e0, "date_latest": e1, "evidence_date": d.text, "note": d.note}, flags
    flags.append("date not stated")
    if report_period is not None:
        return {
            "date": report_period.earliest + (report_period.latest - report_period.earliest) // 2,
            "date_earliest": report_period.earliest,
            "date_latest": report_period.latest,
            "evidence_date": report_period.text,
            "note": "date not stated; window is the period the report covers",
        }, flags
    hi = published or bounds[1]
    lo = (hi - dt.timedelta(days=7)) if published else bounds[0]
    return {
        "date": lo + (hi - lo) // 2, "date_earliest": lo, "date_latest": hi, "evidence_date": None,
        "note": "date not stated; window: the week up to publication (codebook R4)" if published
        else "date not stated and no publication date: window unbounded",
    }, flags


def _actor_and_target(rec: _Record) -> tuple[str, str | None]:
    text = " ".join(s.text for s in rec.sents)
    groups = find_groups(text)
    m = re.search(r"\b(?:arrest|captur|detain|operation|raid|campaign|killed|imprison)", text, re.I)
    actor = next((g for g, s, e in groups if m and s < m.start()), None)
    target = next((g for g, s, e in groups if g != actor), None)
    return actor or "unknown", target


def _row(rec: _Record, n: int, report_id: str, source: str | None, published, bounds, report_period,
         report_place: PlaceMention | None = None, headline: str | None = None) -> dict:
    notes: list[str] = []
    flags: list[str] = []
    text_all = " ".join(s.text for s in rec.sents)
    first = rec.sents[0]
    # ---- casualties
    mentions: list[CasualtyMention] = []
    if rec.kind == "counter_terrorism":  # here the militants killed are the count
        for s in rec.sents:
            s.casualties = [dataclasses.replace(c, category="combatant") if c.category == "perpetrator" else c
                            for c in s.casualties]
    for s in rec.sents:
        cs = s.casualties
        if s.only_index is not None and s.only_index >= 0:
            resp = [c for c in cs if c.share_of == -1]
            cs = [resp[s.only_index]] if s.only_index < len(resp) else []
        mentions.extend(cs)
    cas = combine_casualties(mentions)
    notes.extend(cas.pop("notes"))  # type: ignore[arg-type]
    detained = None
    if rec.kind == "counter_terrorism":
        from .numbers import find_quantities

        for m in re.finditer(r"\b(?:arrest(?:ed|ing)?|captur(?:ed|ing|e)|detain(?:ed|ing)?|imprison(?:ed|ing)?)\b", text_all, re.I):
            q = [q for q in find_quantities(text_all[m.end() : m.end() + 40]) if q.best is not None]
            if q:
                detained = q[0].best
                break
    # ---- date
    dinfo, dflags = _choose_date(rec, report_period, published, bounds)
    flags += dflags
    date_note = dinfo.pop("note")
    if date_note:
        notes.append(date_note)
    # ---- place
    places = [p for s in rec.sents for p in s.places]
    bp = best_place(places)
    province = district = place = None
    province_code = None
    lat = lon = None
    geo = None
    ev_place = None
    if bp is not None:
        province = bp["province"]
        province_code = gazetteer.try_province_code(province)
        district = bp["district"] if any(p.kind == "district" and p.province == province for p in places) else None
        spec = [p for p in places if p.province == province and p.kind not in ("province",)]
        spec.sort(key=lambda p: -p.rank)
        if spec and spec[0].kind != "district":
            place = spec[0].place or spec[0].district
        lat, lon = gazetteer.centroid(province)
        geo = "province"
        ev_place = _evidence([p.text for p in places if p.province == province][:3])
    elif report_place is not None and rec.kind == "attack":
        province = report_place.province
        province_code = gazetteer.try_province_code(province)
        lat, lon = gazetteer.centroid(province)
        geo = "province"
        ev_place = report_place.text
        flags.append("place taken from the report's dateline or main province: check it")
    else:
        flags.append("no Afghan place found")
    # ---- attribution
    cues = [c for s in rec.sents for c in s.cues]
    attrib = resolve_attribution(cues)
    notes.extend(attrib["notes"])  # type: ignore[arg-type]
    perpetrator, attribution = attrib["perpetrator"], attrib["attribution"]
    ev_perp = attrib["evidence_perpetrator"]
    detained_target = None
    if rec.kind == "aggregate" and perpetrator == "unknown":
        m = re.search(r"\b(?:in|by)\s+(?P<g>[\w-]+(?:\s+[\w-]+){0,2})\s+attacks\b", text_all)
        grp = [g for g, _, _ in find_groups(m.group("g"))] if m else []
        if grp:
            perpetrator, attribution, ev_perp = grp[0], "attributed", m.group()
    if rec.kind == "counter_terrorism":
        perpetrator, detained_target = _actor_and_target(rec)
        attribution = "claimed" if perpetrator != "unknown" else "unknown"
        ev_perp = None
        notes.append(f"counter-terrorism operation by {perpetrator} against {detained_target or 'militants'}")
    # ---- types
    texts = [t for t in [rec.heading, *(s.text for s in rec.sents)] if t]
    at, at_ev = attack_type(texts)
    tt, tt_ev = target_type(texts)
    if first.only_index is not None and first.only_index >= 0:
        victims = [c for c in first.casualties if c.share_of == -1]
        if victims:
            parts = re.split(r"\s+and\s+", re.sub(r",?\s+respectively$", "", victims[0].text))
            if first.only_index < len(parts):
                t2, e2 = target_type(parts[first.only_index])
                if t2 != "unknown":
                    tt, tt_ev = t2, e2
    if rec.kind != "attack":
        at, at_ev, tt, tt_ev = (None, None, None, None)
    paragraphs = sorted({s.s.paragraph for s in rec.sents})
    src = source or "pasted text"
    if rec.kind == "attack" and cas["killed_best"] is None and cas["wounded_best"] is None and cas["killed_low"] is None:
        flags.append("no casualty figures")
    if rec.sents[0].only_index is not None:
        flags.append("one of several attacks named in one sentence: check the split")
    return {
        "incident_id": f"DRAFT-{report_id}-{n:03d}",
        **{k: dinfo[k] for k in ("date", "date_earliest", "date_latest")},
        "date_precision": precision_for(dinfo["date_earliest"], dinfo["date_latest"]),
        "country": "AFG",
        "province": province,
        "province_code": province_code,
        "district": district,
        "place": place,
        "latitude": lat,
        "longitude": lon,
        "geo_precision": geo,
        "perpetrator": perpetrator,
        "attribution": attribution,
        "attack_type": at,
        "target_type": tt,
        **{k: cas[k] for k in COUNT_COLUMNS},
        "source_dataset": "other",
        "source_event_id": None,
        "sources": f"{src}; published {published.isoformat() if published else 'unknown'}"
        + (f"; {headline}" if headline else ""),
        "evidence": f"{src} " + " ".join(f"¶{p}" for p in paragraphs),
        "notes": "; ".join(["DRAFT, not reviewed", *dict.fromkeys(notes)]),
        "kind": rec.kind,
        "evidence_date": dinfo["evidence_date"],
        "evidence_place": ev_place,
        "evidence_killed": cas["evidence_killed"],
        "evidence_wounded": cas["evidence_wounded"],
        "evidence_civilians": cas["evidence_civilians"],
        "evidence_perpetrator": ev_perp,
        "evidence_attack_type": at_ev,
        "evidence_target_type": tt_ev,
        "paragraphs": " ".join(str(p) for p in paragraphs),
        "source_file": source,
        "published": published,
        "detained_best": detained,
        "flags": "; ".join(dict.fromkeys(flags)) or None,
    }


def _report_place(sents: list[_Sent]) -> PlaceMention | None:
    """The report's dateline place, else its most mentioned province (if it names one
    clearly more often than any other)."""
    for x in sents[:6]:
        m = re.match(r"^([A-Z][A-Z /'-]{2,40}),", x.text)
        if m:
            hits = [p for p in find_places(m.group(1).title()) if p.province]
            if hits:
                return PlaceMention(hits[0].province, None, None, "province", m.group(1), x.offset, x.offset + len(m.group(1)))
    counts: dict[str, list[PlaceMention]] = {}
    for x in sents:
        for p in x.places:
            if p.province:
                counts.setdefault(p.province, []).append(p)
    if not counts:
        return None
    ranked = sorted(counts.values(), key=len, reverse=True)
    if len(ranked) == 1 or len(ranked[0]) >= 2 * len(ranked[1]):
        return ranked[0][0]
    return None


def _keep(rec: _Record) -> bool:
    if rec.kind != "attack":
        return any(s.casualties for s in rec.sents) or rec.kind == "counter_terrorism"
    has_cas = any(
        c for s in rec.sents for c in s.casualties if c.category != "perpetrator"
    )
    specific = any(_SPECIFIC.search(s.text) for s in rec.sents)
    where_when = any(s.places for s in rec.sents) or bool(rec.event_dates())
    return (has_cas or specific) and where_when and (has_cas or any(p.province for s in rec.sents for p in s.places) or bool(rec.event_dates()))


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(DRAFT_COLUMNS))
    for c in DATE_COLUMNS:
        df[c] = pd.to_datetime(df[c]).astype("datetime64[ns]")
    df["published"] = pd.to_datetime(df["published"]).astype("datetime64[ns]")
    for c in (*COUNT_COLUMNS, "detained_best"):
        df[c] = pd.array(df[c].tolist(), dtype="Int64")
    for c in FLOAT_COLUMNS:
        df[c] = df[c].astype("float64")
    for c in df.columns:
        if c not in (*DATE_COLUMNS, "published", *COUNT_COLUMNS, "detained_best", *FLOAT_COLUMNS):
            df[c] = df[c].astype("str").where(df[c].notna(), None).astype("str")
            df[c] = df[c].where(~df[c].isin(["None", "nan"]), pd.NA)
    return df


def _empty(flag: str, source: str | None) -> pd.DataFrame:
    df = _frame([])
    df.attrs["flags"] = [flag]
    df.attrs["source"] = source
    warnings.warn(f"{source or 'text'}: {flag}; no drafts", DraftWarning, stacklevel=3)
    return df


def draft_incidents(text: str, *, published: object = None, source: str | None = None) -> pd.DataFrame:
    """Draft incident records from the text of one news report.

    Parameters
    ----------
    text : str
        The report, as plain text or HTML (markup is stripped).
    published : date, datetime, pandas.Timestamp or "YYYY-MM-DD", optional
        Publication date. Relative dates ("on Saturday", "last December") are
        resolved against it. Without it, a date printed in the text as the
        publication date ("Published ...", a wire dateline, "appeared in the print
        edition ... on ...") is used; failing that, windows span every possible
        publication date and the ``flags`` column says so.
    source : str, optional
        Name of the report (a file name or URL), recorded in ``sources``,
        ``evidence`` and ``source_file``.

    Returns
    -------
    pandas.DataFrame
        One row per draft record, columns :data:`DRAFT_COLUMNS`: the canonical
        schema, then ``kind`` (attack / aggregate / counter_terrorism), the
        evidence columns and review columns. Empty (with a :class:`DraftWarning`
        and ``df.attrs["flags"]``) for empty or non-English text.

    Raises
    ------
    TypeError
        If ``text`` is not a string.
    ValueError
        If ``published`` is not a date.
    """
    if isinstance(text, bytes):
        raise TypeError("text must be str; decode bytes first (for example data.decode('utf-8'))")
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    pub = to_date(published)
    if pub is not None and not (_FLOOR <= pub <= dt.date.today() + dt.timedelta(days=1)):
        raise ValueError(
            f"published={pub.isoformat()} is outside 1970-01-01 .. today; give the report's real publication date"
        )
    report_flags: list[str] = []
    clean = clean_text(text)
    if len(clean) > MAX_CHARS:
        clean = clean[:MAX_CHARS]
        report_flags.append(f"text longer than {MAX_CHARS:,} characters: only the start was read")
    if not clean.strip():
        return _empty("empty text", source)
    if english_score(clean) < MIN_ENGLISH_SCORE:
        return _empty("text does not look like English", source)
    if pub is None:
        pub, _span = infer_publication_date(clean)
        if pub is not None:
            report_flags.append(f"publication date {pub} read from the text")
    bounds = publication_bounds(clean) if pub is None else (pub, pub)
    if pub is None:
        report_flags.append("no publication date: relative dates have wide windows")
    sentences = split_sentences(clean)
    sents: list[_Sent] = []
    for s in sentences:
        x = _analyse(s.text, s, s.start, pub, bounds)
        words = s.text.split()
        x.heading = (
            len(words) <= 12
            and not _HEADING_END.search(s.text)
            and sum(1 for t in sentences if t.paragraph == s.paragraph) == 1
        )
        sents.append(x)
    records = _segment(sents, pub, bounds)
    report_period = next(
        (d for r in records if r.kind == "aggregate" for s in r.sents for d in s.dates if d.role == "period"), None
    )
    report_id = hashlib.sha1((source or clean[:2000]).encode("utf-8")).hexdigest()[:8]
    report_place = _report_place(sents)
    headline = sentences[0].text[:160] if sentences else None
    rows = [
        _row(r, i + 1, report_id, source, pub, bounds, report_period, report_place, headline)
        for i, r in enumerate(rec for rec in records if _keep(rec))
    ]
    for r in rows:
        if report_flags:
            r["flags"] = "; ".join(filter(None, [r["flags"], *report_flags]))
    df = _frame(rows)
    df.attrs["flags"] = report_flags
    df.attrs["source"] = source
    df.attrs["text"] = clean
    return df


def to_incidents(drafts: pd.DataFrame) -> pd.DataFrame:
    """The attack rows of a draft frame, in the canonical columns only (ready for
    :func:`analysis.validate_incidents` once reviewed)."""
    return drafts.loc[drafts["kind"] == "attack", list(COLUMNS)].reset_index(drop=True)


def _iter_paths(paths: list[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in (".txt", ".html", ".htm", ".md")))
        elif p.is_file():
            out.append(p)
        else:
            raise FileNotFoundError(f"{p}: no such file or folder")
    return out


def draft_files(paths: list[str | Path], *, published: object = None) -> pd.DataFrame:
    """Draft every report in ``paths`` (text/HTML files, or folders of them) and link
    records that describe the same incident across reports (:func:`link_drafts`).

    Files that cannot be decoded as UTF-8 are read as Latin-1 and flagged.
    """
    frames = []
    for p in _iter_paths(list(paths)):
        raw = p.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
            flag = None
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
            flag = "file is not UTF-8: read as Latin-1"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DraftWarning)
            df = draft_incidents(text, published=published, source=str(p))
        if flag and len(df):
            df["flags"] = df["flags"].fillna("").str.cat([flag] * len(df), sep="; ").str.strip("; ")
        frames.append(df)
    if not frames:
        return link_drafts(_frame([]))
    return link_drafts(pd.concat(frames, ignore_index=True))


def link_drafts(drafts: pd.DataFrame) -> pd.DataFrame:
    """Add ``cluster``: attack drafts from different reports that agree on province,
    overlapping date windows, attack and target type share a cluster id (the id of
    the first row). Other kinds get their own id."""
    df = drafts.copy()
    cluster = list(df["incident_id"]) if len(df) else []
    att = df.index[df["kind"] == "attack"].tolist() if len(df) else []
    for a_pos, i in enumerate(att):
        for j in att[:a_pos]:
            a, b = df.loc[i], df.loc[j]
            if a["source_file"] == b["source_file"] or pd.isna(a["province"]) or a["province"] != b["province"]:
                continue
            if not (a["date_earliest"] <= b["date_latest"] and b["date_earliest"] <= a["date_latest"]):
                continue
            same_target = a["target_type"] == b["target_type"] and a["target_type"] != "unknown"
            same_place = pd.notna(a["place"]) and a["place"] == b["place"]
            if same_target or same_place:
                cluster[df.index.get_loc(i)] = cluster[df.index.get_loc(j)]
                break
    df["cluster"] = cluster
    return df
