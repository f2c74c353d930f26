"""Event frames: the attacks (and totals, and operations) a report describes.

A :class:`Frame` gathers the units (sentences or clauses, :mod:`.units`) about one
event, and exposes its parts: the *trigger* (the words that say an attack happened),
its *time* (event dates, or an anchor on another frame), its *place*, its *toll groups*
(casualty mentions) and its *claim* (attribution cues). Records are made from frames
(:mod:`.records`), never from sentences directly.

How units become frames (:func:`build_frames`), reading in order:

* a unit about a specific attack either continues the current frame (it refers back --
  "this attack", "the blast" -- or agrees with its place and date) or opens a new one
  (it says "in another incident", "before that", or names another province or a date
  window that does not overlap);
* a unit that recalls an earlier attack ("..., a day after a suicide bomber killed 21
  people") opens a *background* frame of its own, so that its toll never mixes with the
  main attack's; its date is counted back from the main attack's;
* a unit that names a local place (a district, a village) already owned by a recent frame
  goes back to that frame;
* aggregate and counter-terrorism statements become their own frames; summaries,
  references (anniversaries, trials, threats) and general remarks open none.

Linking is linear in the length of the report: a unit is compared with at most
:data:`LOOKBACK` earlier frames. :data:`LINK_STATS` counts the units read and the
unit-frame pairs compared (a test checks that the pairs grow linearly).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .casualties import CasualtyMention
from .dates import DateMention
from .places import PlaceMention
from .units import REFERS_BACK, SPECIFIC, Unit, split_unit

__all__ = ["LINK_STATS", "LOOKBACK", "Frame", "build_frames"]

#: How many earlier frames a unit is compared with.
LOOKBACK = 6
#: Counters of the last :func:`build_frames` call: ``sentences`` (units read) and
#: ``pairs`` (unit-frame comparisons made while linking).
LINK_STATS: dict[str, int] = {}

_NEW_MARKER = re.compile(
    r"^\W*(?:in\s+another\s+(?:incident|case|attack)|in\s+a\s+separate\s+(?:incident|attack)|besides|furthermore|"
    r"meanwhile|elsewhere|separately|before\s+(?:that|this)|earlier,|also\s+on|in\s+addition\s+to\s+this\s+attack)\b"
    r"|\banother\s+(?:[\w-]+\s+){0,2}(?:attack|blast|explosion|bombing|incident|bomber|suicide\s+bomber)\b"
    r"|\bin\s+a\s+separate\s+(?:attack|incident)\b",
    re.I,
)
_BOTH = re.compile(
    r"\b(?:both|the\s+two|either)\s+(?:of\s+)?(?:the\s+)?(?:attacks|bombings|blasts|incidents)\b|\bin\s+both\b"
    r"|\beither\s+(?:attack|bombing|blast|incident)\b",
    re.I,
)
_CONTINUE_AGG = re.compile(r"^\W*(?:among\s+the\s+(?:dead|killed|victims|injured|wounded)|in\s+addition|of\s+(?:those|them|these))\b", re.I)
_CT_REFERS = re.compile(r"\b(?:this|the|that)\s+(?:[\w-]+\s+){0,2}?(?:operation|campaign|raids?|detainees|arrests)\b", re.I)
_LOCAL = ("district", "village", "locality", "area", "neighbourhood")


@dataclass
class Frame:
    """One event and the units that describe it.

    ``kind`` is ``"attack"``, ``"aggregate"`` or ``"counter_terrorism"``; ``role`` is
    ``"primary"`` or ``"background"`` (an earlier attack recalled in passing);
    ``previous`` is the frame read just before (for "hours earlier" and anchors).
    """

    kind: str
    units: list[Unit] = field(default_factory=list)
    heading: str | None = None
    role: str = "primary"
    previous: Frame | None = None

    # ---- the frame's parts
    @property
    def trigger(self) -> str | None:
        """The words that say an attack happened (first match), if any."""
        for u in self.units:
            m = SPECIFIC.search(u.text)
            if m:
                return m.group()
        return None

    @property
    def times(self) -> list[DateMention]:
        return [d for u in self.units for d in u.dates if d.role == "event"]

    @property
    def places(self) -> list[PlaceMention]:
        return [p for u in self.units for p in u.places]

    @property
    def tolls(self) -> list[CasualtyMention]:
        return [c for u in self.units for c in u.casualties]

    @property
    def claims(self) -> list:
        return [c for u in self.units for c in u.cues]

    @property
    def provinces(self) -> set[str]:
        return {p.province for p in self.places if p.province}

    @property
    def local_places(self) -> set[str]:
        return {(p.place or p.district or "").lower() for p in self.places if p.kind in _LOCAL and (p.place or p.district)}

    def event_dates(self) -> list[DateMention]:
        return self.times


def _overlap(a: list[DateMention], b: list[DateMention]) -> bool:
    if not a or not b:
        return True
    return any(x.earliest <= y.latest and y.earliest <= x.latest for x in a for y in b)


class _Builder:
    """Reads units in order and keeps the frames (see the module docstring)."""

    def __init__(self, published, bounds):
        self.published, self.bounds = published, bounds
        self.frames: list[Frame] = []
        self.current: Frame | None = None  # the attack being read
        self.last: Frame | None = None  # the frame last touched
        self.heading: str | None = None
        self.heading_par = 0
        self.prev_par = 0
        self.par_places: list[PlaceMention] = []
        self.new_par = False

    # ---- helpers
    def _recent(self, kind: str = "attack") -> list[Frame]:
        frames = [f for f in self.frames[-LOOKBACK:] if f.kind == kind]
        LINK_STATS["pairs"] = LINK_STATS.get("pairs", 0) + len(frames)
        return frames

    def _open(self, kind: str, unit: Unit, heading: str | None = None) -> Frame:
        f = Frame(kind, [unit], heading, "background" if unit.background else "primary", self.frames[-1] if self.frames else None)
        self.frames.append(f)
        self.last = f
        return f

    def _attach(self, f: Frame, unit: Unit) -> None:
        f.units.append(unit)
        self.last = f

    # ---- one handler per kind of unit
    def feed(self, x: Unit) -> None:
        LINK_STATS["sentences"] = LINK_STATS.get("sentences", 0) + 1
        self.new_par = x.s.paragraph != self.prev_par
        if self.new_par:
            self.par_places = []
        self.prev_par = x.s.paragraph
        self.par_places = self.par_places + x.places
        if x.heading and x.kind not in ("counter_terrorism", "aggregate", ""):
            self.heading, self.heading_par = x.text, x.s.paragraph
            return
        for handler in (self._both, self._home, self._aggregate, self._counter_terrorism):
            if handler(x):
                return
        if x.kind in ("summary", "reference"):
            self.current = None
        elif x.kind == "generic":
            if self.current is not None and (REFERS_BACK.search(x.text) or not self.new_par):
                self._attach(self.current, x)
        elif x.kind == "attack":
            self._attack(x)
        else:
            self._other(x)

    def _both(self, x: Unit) -> bool:
        """"IS claimed both attacks": the unit belongs to the last two attack frames."""
        if x.kind not in ("attack", "generic", "") or not _BOTH.search(x.text):
            return False
        attacks = [f for f in self._recent() if f.role == "primary"]
        if len(attacks) < 2:
            return False
        for f in attacks[-2:]:
            f.units.append(x)
        return True

    def _home(self, x: Unit) -> bool:
        """A unit about a local place that belongs to a recent frame goes back to it."""
        if x.kind not in ("attack", "generic", "") or _NEW_MARKER.search(x.text):
            return False
        local = {(p.place or p.district or "").lower() for p in (x.places or self.par_places) if p.kind in _LOCAL}
        if not local:
            return False
        home = next((f for f in reversed(self._recent()) if local & f.local_places), None)
        if home is None or home is self.current or SPECIFIC.search(x.text.split(",")[0]):
            return False
        if x.kind == "" and not (x.cues or x.casualties):
            return False
        self._attach(home, x)
        return True

    def _aggregate(self, x: Unit) -> bool:
        if x.kind == "aggregate":
            if self.last is not None and self.last.kind == "aggregate" and self.frames[-1] is self.last:
                self._attach(self.last, x)
            else:
                self._open("aggregate", x)
            self.current = None
            return True
        if _CONTINUE_AGG.search(x.text) and self.last is not None and self.last.kind == "aggregate":
            self._attach(self.last, x)
            return True
        return False

    def _counter_terrorism(self, x: Unit) -> bool:
        if x.kind != "counter_terrorism":
            return False
        last = self.last
        if last is not None and last.kind == "counter_terrorism" and (
            not self.new_par or _CT_REFERS.search(x.text) or x.s.paragraph - last.units[-1].s.paragraph <= 2
        ):
            self._attach(last, x)
        else:
            self._open("counter_terrorism", x)
        self.current = None
        return True

    def _starts_new(self, x: Unit, pieces: list[Unit]) -> bool:
        cur = self.current
        if cur is None or len(pieces) > 1 or _NEW_MARKER.search(x.text) or x.background:
            return True
        if REFERS_BACK.search(x.text) or (x.same_day and not x.casualties):
            return False
        provinces = {p.province for p in x.places if p.province}
        if provinces and cur.provinces and not provinces & cur.provinces:
            return True
        return not _overlap(x.event_dates(), cur.event_dates())

    def _attack(self, x: Unit) -> None:
        pieces = split_unit(x, self.published, self.bounds)
        LINK_STATS["pairs"] = LINK_STATS.get("pairs", 0) + 1
        if not self._starts_new(x, pieces):
            self._attach(self.current, x)
            return
        head = self.heading if self.heading is not None and x.s.paragraph - self.heading_par <= 2 else None
        main = None
        for piece in pieces:
            if len(pieces) > 1 and not piece.background and not piece.casualties and self.current is not None and (
                REFERS_BACK.search(piece.text)
            ):
                self._attach(self.current, piece)  # "It came two days after ...": about the attack being read
                continue
            f = self._open("attack", piece, head)
            if not piece.background:
                main = f
        self.current = main or self.current
        self.heading = None

    def _other(self, x: Unit) -> None:
        """Not about violence: keep attribution and casualty cues for the frame read."""
        last = self.last
        if last is not None and (x.cues or x.casualties) and (
            REFERS_BACK.search(x.text) or not self.new_par or (last is self.current and not x.places and not x.dates)
        ):
            self._attach(last, x)


def build_frames(units: list[Unit], published=None, bounds=None) -> list[Frame]:
    """The frames of a report, from its units in reading order."""
    LINK_STATS.clear()
    b = _Builder(published, bounds)
    for x in units:
        b.feed(x)
    return b.frames
