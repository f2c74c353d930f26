"""Sentences read for their parts: the :class:`Unit` that event frames are built from.

:func:`read_sentence` finds, in one sentence, the casualty figures, date expressions,
places and attribution cues, and labels what the sentence does (:func:`unit_kind`):
``"attack"`` (it reports a specific attack), ``"generic"`` (it speaks of violence but
of no one attack), ``"summary"`` (several attacks at once), ``"reference"`` (it
mentions an attack only as the subject of an anniversary, a trial, an arrest, a threat
or a tally), ``"aggregate"``, ``"counter_terrorism"`` or ``""``. A wire dateline at the
start of the sentence ("KABUL, Oct 21 (Xinhua) --") is read apart: its numbers are never
tolls, its date is the report's and its place is kept only as a fallback.

:func:`split_unit` cuts a sentence that names several attacks into one unit per attack:
"car bombings ... last December and in June this year killed X and Y, respectively";
"carried out a bombing at A, plotted an attempt on B, and raided C"; and a main attack
followed by an earlier one, "..., a day after a suicide bomber killed 21 people
outside the Supreme Court" (the earlier one is a *background* unit whose date is
counted back from the main attack's).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

from .attribution import AttributionCue, find_attribution
from .casualties import CasualtyMention, find_casualties
from .classify import statement_kind, target_type
from .dates import DateMention, find_dates, precision_for
from .numbers import parse_number
from .places import PlaceMention, find_places
from .text import Sentence, find_dateline

__all__ = ["Anchor", "Unit", "anchored", "read_sentence", "split_unit", "unit_kind"]

_ATTACK_NOUN = (
    r"(?:attack|blast|explosion|bombing|shooting|assault|massacre|ambush|raid|siege|strike|"
    r"assassination\s+attempt|suicide\s+bombing|car\s+bombing|suicide\s+attack)"
)
SPECIFIC = re.compile(
    rf"\b(?:an?|the|this|that)\s+(?:[\w’'-]+\s+){{0,3}}?{_ATTACK_NOUN}\b"
    r"|\b(?:attacked|raided|stormed|bombed|targeted|shot|overran|exploded|detonated|opened\s+fire|"
    r"set\s+off|blew\s+up|went\s+off|tore\s+through|slammed\s+into|planted|struck|hit|fired|laid\s+siege)\b"
    r"|\bexplosion\s+occurred|\bcar\s+bombings\b|\bblew\s+(?:him|her|them)sel(?:f|ves)\s+up\b"
    r"|\bsuicide\s+(?:bomber|attacker)s?\b|\bgunm[ae]n\b|\bwas\s+(?:attacked|bombed|targeted)\b"
    rf"|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today)(?:'s|’s)\s+(?:[\w-]+\s+){{0,2}}{_ATTACK_NOUN}",
    re.I,
)
_SUMMARY = re.compile(
    r"\b(?:two|three|four|five|six|several|many|multiple|a\s+number\s+of|a\s+series\s+of|\d+)\s+(?:[\w-]+\s+){0,2}"
    r"(?:attacks|blasts|explosions|bombings|incidents)\b|\bthese\s+(?:\w+\s+)?(?:attacks|incidents)\b"
    r"|\b(?:attacks|bombings)\s+(?:will|would|could|may|might)\b|\bhigh-profile\s+attacks\b|\bsuch\s+attacks\b",
    re.I,
)
REFERS_BACK = re.compile(
    r"\b(?:this|that|the|the\s+same|the\s+latest|the\s+deadly|the\s+recent|the\s+barbaric)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:attack|attacks|blast|explosion|bombing|incident|shooting|assault|massacre|operation|attempt|news|event|raid|"
    r"strike|area|site|compound|assassination\s+attempt|attackers|gunmen|bomber|victims|dead|toll)\b"
    r"|^\W*(?:they|he|she|it|the\s+fighters|the\s+militants)\b",
    re.I,
)
# An attack named only as the subject of something else: an anniversary, a trial, a threat.
_REFERENCE = re.compile(
    r"\banniversar(?:y|ies)\b|\bcommemorat\w*|\bmark(?:ed|ing|s)?\s+(?:one|a|two|three|\w+)\s+years?\b"
    r"|\b(?:one|a|two|three|four|five)\s+years?\s+(?:since|after|ago|on)\b"
    r"|\b(?:on\s+trial|trial\s+of|stood\s+trial|appeared\s+(?:before|in)\s+(?:a\s+)?court|sentenced|convicted|"
    r"acquitted|defendants?|prosecutors?|charged\s+with|accused\s+of\s+(?:helping|planning|carrying|involvement|"
    r"plotting|taking\s+part|being))\b"
    r"|\b(?:threaten(?:ed|s)?|vow(?:ed|s)?|warn(?:ed|s)?)\s+(?:to|that|of)\b",
    re.I,
)


@dataclass(frozen=True)
class Anchor:
    """A date counted from another attack's: ``days`` before it ("a day after X" gives
    X one day before the main attack), within ``pad`` days either side."""

    days: int
    pad: int
    text: str


@dataclass
class Unit:
    """A sentence (or a clause of one) with everything read from it."""

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
    background: bool = False  # an earlier attack recalled beside the main one
    anchor: Anchor | None = None
    same_day: bool = False  # "hours earlier", "the same evening": the date of the frame before
    dateline_places: list[PlaceMention] = field(default_factory=list)
    context: str | None = None  # the armed group named last before this sentence

    def event_dates(self) -> list[DateMention]:
        return [d for d in self.dates if d.role == "event"]


def unit_kind(text: str, cas: list[CasualtyMention]) -> str:
    """What a sentence does (see the module docstring)."""
    kind = statement_kind(text, has_casualties=any(not c.subset and c.category != "perpetrator" for c in cas))
    if kind == "attack" and _REFERENCE.search(text):
        return "reference"
    if kind == "attack" and not cas and _SUMMARY.search(text) and not REFERS_BACK.search(text):
        return "summary"
    if kind == "attack" and not cas and not SPECIFIC.search(text):
        return "generic"  # speaks of violence, but of no one attack: continues, never opens
    return kind


def _dateline_places(text: str, line) -> list[PlaceMention]:
    """Places of a dateline ("KABUL", "MAZAR-I-SHARIF"), with their words as written."""
    if line is None or not line.place:
        return []
    start = text.find(line.place)
    return [
        dataclasses.replace(p, text=line.place, start=start, end=start + len(line.place))
        for p in find_places(line.place.title()) if p.province
    ]


def _blank(text: str, end: int) -> str:
    return " " * end + text[end:]


def read_sentence(
    text: str, s: Sentence, offset: int, published, bounds, first: bool = False, context: str | None = None
) -> Unit:
    """Read one sentence (``first``: it opens a paragraph near the top, where a wire
    dateline may stand)."""
    line = find_dateline(text) if first else None
    cut = line.end if line else 0
    body = _blank(text, cut)
    cas = [c for c in find_casualties(body) if c.start >= cut]
    dates = find_dates(text, published, bounds)
    if cut:  # the dateline's date is the report's, not the event's
        dates = [dataclasses.replace(d, role="report") if d.end <= cut else d for d in dates]
    places = [p for p in find_places(text) if p.start >= cut]
    unit = Unit(s, text, offset, cas, dates, places, find_attribution(body, context), unit_kind(body, cas),
                dateline_places=_dateline_places(text, line))
    unit.same_day = bool(_SAME_DAY.search(body))
    unit.context = context
    return unit


_SAME_DAY = re.compile(
    r"\b(?:hours|minutes)\s+(?:earlier|later|before|after)\b|\bthe\s+same\s+(?:day|evening|night|morning|afternoon)\b"
    r"|\bearlier\s+(?:in\s+the|that)\s+day\b|\blater\s+(?:that|the\s+same)\s+day\b",
    re.I,
)
_AFTER = re.compile(
    r",?\s*(?:(?:and\s+)?(?:came|comes)\s+)?(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2}|a\s+few)"
    r"\s+(?P<unit>day|week)s?\s+after\s+(?=(?:an?|the)\b|(?:[\w-]+\s+){0,4}(?:gunmen|bombers?|attackers|militants|fighters)\b)",
    re.I,
)
# "It came ...", "The bombing came ...": a subject that is the attack just reported
_BACK_SUBJECT = re.compile(r"^\W*(?:it|this|that|the\s+(?:[\w-]+\s+){0,2}?(?:attack|bombing|blast|explosion|assault|raid))\W*$", re.I)
_SEVERAL_DATES = re.compile(r"\b(?:bombings|attacks|blasts|explosions)\b", re.I)
_CLAUSE_VERB = re.compile(
    r",\s+(?:and\s+)?(?=(?:carried\s+out|plotted|raided|attacked|targeted|bombed|stormed|struck|launched|hit|set\s+off)\b)",
    re.I,
)


def anchored(d: DateMention, anchor: Anchor) -> DateMention:
    """The window ``anchor.days`` before ``d`` (+/- ``anchor.pad``), spanning the anchor's words."""
    back, pad = dt.timedelta(days=anchor.days), dt.timedelta(days=anchor.pad)
    lo, hi = d.earliest - back - pad, d.latest - back + pad
    return dataclasses.replace(
        d, earliest=lo, latest=hi, best=d.best - back, precision=precision_for(lo, hi), text=anchor.text, role="event"
    )


def _sub(x: Unit, start: int, end: int, published, bounds) -> Unit:
    """A clause of ``x`` (``text[start:end]``) read on its own."""
    sub = read_sentence(x.text[start:end], x.s, x.offset + start, published, bounds, context=x.context)
    sub.heading = x.heading
    return sub


def _split_after(x: Unit, published, bounds) -> list[Unit] | None:
    """"A killed B on Wednesday, a day after C killed D": the main attack and an earlier one."""
    m = _AFTER.search(x.text)
    if m is None:
        return None
    if m.start() < 15 and not _BACK_SUBJECT.match(x.text[: m.start()]):
        return None
    head, tail = _sub(x, 0, m.start(), published, bounds), _sub(x, m.end(), len(x.text), published, bounds)
    if tail.kind != "attack" or not tail.casualties:
        return None
    if head.kind not in ("attack", "generic") and not _BACK_SUBJECT.match(head.text):
        return None
    n = 3 if m.group("n").lower() == "a few" else (parse_number(m.group("n")) or 1)
    days = n * (7 if m.group("unit").lower() == "week" else 1)
    tail.background = True
    tail.anchor = Anchor(days, 3 if m.group("unit").lower() == "week" or n == 3 else 0, m.group().strip(" ,"))
    tail.dates = [d for d in tail.dates if d.role != "event"]
    if head.event_dates():  # counted back from the main attack's date, when this sentence gives it
        tail.dates.append(anchored(head.event_dates()[0], tail.anchor))
    if not tail.cues:
        tail.cues = [c for c in x.cues if c.start >= m.end()]
    return [head, tail]


def _split_dated(x: Unit) -> list[Unit] | None:
    """"bombings ... last December and in June this year killed X and Y, respectively"."""
    events = x.event_dates()
    if len(events) < 2 or not _SEVERAL_DATES.search(x.text):
        return None
    if not (re.search(r"\brespectively\b", x.text) or re.search(r"\band\b", x.text[events[0].end : events[1].start])):
        return None
    return [dataclasses.replace(x, dates=[d], only_index=i) for i, d in enumerate(events)]


def _split_clauses(x: Unit, published, bounds) -> list[Unit] | None:
    """"carried out a bombing at A, plotted an attempt on B, and raided C"."""
    cuts = list(_CLAUSE_VERB.finditer(x.text))
    if not cuts:
        return None
    bounds_ = [0, *[m.end() for m in cuts]]
    ends = [*[m.start() for m in cuts], len(x.text)]
    pieces = list(zip(bounds_, ends, strict=True))
    if sum(target_type(x.text[a:b])[0] != "unknown" for a, b in pieces) != len(pieces) or len(pieces) < 2:
        return None
    head_dates = x.event_dates()
    out = []
    for i, (a, b) in enumerate(pieces):
        sub = _sub(x, a, b, published, bounds)
        if not sub.event_dates():
            sub.dates = sub.dates + head_dates
            sub.only_index = -1  # dates borrowed from the sentence
        if not any(p.province for p in sub.places):
            sub.places = sub.places + [p for p in x.places if p.province]
        if not sub.cues:
            sub.cues = x.cues if i == 0 else out[0].cues  # the first clause carries the subject
        out.append(sub)
    return out


def split_unit(x: Unit, published, bounds) -> list[Unit]:
    """One unit per attack named in the sentence (see the module docstring)."""
    return _split_after(x, published, bounds) or _split_dated(x) or _split_clauses(x, published, bounds) or [x]
