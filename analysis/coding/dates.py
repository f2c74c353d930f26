"""Dates in news reports, resolved against the publication date.

A report rarely prints the date of an attack. It says "on Saturday", "three days ago
(Friday, December 2nd)", "last December", "two months and seven days ago" or "in June
this year", and the reader knows when it was published. :func:`find_dates` resolves
each such expression into a :class:`DateMention`: a window ``earliest <= best <=
latest`` and a precision (day / week / month / year / unknown) chosen from the width
of the window, with the schema's limits (a "week" window is at most 7 days wide, a
"month" window at most 31, a "year" window at most 366).

Rules (the reading of each phrase, given publication date *P*):

* weekday ("on Saturday", "late on Friday") -> the last such day on or before *P*;
* "N days ago" -> *P* - N; "yesterday", "the previous day" -> *P* - 1; "last night" ->
  [*P* - 1, *P*]; "today" -> *P*;
* "last week" -> [*P* - 7, *P* - 1]; "this week" -> Monday of *P*'s week to *P*;
* "N weeks ago" -> *P* - 7N +/- 3 days;
* "N months (and M days) ago" -> *P* - N months (- M days), +/- 3 days when days are
  given, else +/- 15 days: reporters round such spans;
* "last month" / "last year" -> the previous calendar month / year;
* "last December" -> the most recent December before *P*'s month;
* "in June" / "in June this year" -> June of *P*'s year (the year before when June
  is after *P*);
* explicit dates ("December 2, 2017", "Friday, December 2nd", "Aug. 15, 2023", "June
  2023", "in 2015") need no anchor, except the year of a date written without one,
  which is the latest such date on or before *P*.

Without a publication date, relative phrases are resolved against every possible
publication date: from the latest explicit date printed in the text (a report cannot
precede what it mentions) to today. The windows are then wide, flagged
``anchored=False``, and the note says so. Dates of statements ("officials said on
Sunday") are kept with ``role="report"`` and are not event dates; "since March" and
"in the last two months" get ``role="since"`` and ``role="period"``.

``dateparser`` was tried and not used: it returns single dates without a window or
precision and does not read "last December" or "in June this year".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..errors import InputError
from .relative import Resolver, resolve
from .text import TextInputError, find_dateline

__all__ = [
    "DateMention",
    "find_dates",
    "infer_publication_date",
    "precision_for",
    "publication_bounds",
    "to_date",
]


_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY_RE = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR_RE = r"(?:19[7-9]\d|20[0-4]\d)"
_SMALL_NUM = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+few|several)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 2017-12-02
    ("iso", re.compile(rf"\b(?P<y>{_YEAR_RE})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    # (Friday,) December 2(nd)(, 2017)
    (
        "mdy",
        re.compile(
            rf"(?:\b(?P<wd>{_WEEKDAY_RE}),?\s+)?\b(?P<mon>{_MONTH_RE})\s+(?P<d>{_DAY_RE})\b"
            rf"(?:,?\s+(?P<y>{_YEAR_RE})\b)?",
            re.I,
        ),
    ),
    # (Friday,) 2(nd) (of) December (2017)
    (
        "dmy",
        re.compile(
            rf"(?:\b(?P<wd>{_WEEKDAY_RE}),?\s+)?\b(?P<d>{_DAY_RE})\s+(?:of\s+)?(?P<mon>{_MONTH_RE})"
            rf"(?:,?\s+(?P<y>{_YEAR_RE})\b)?",
            re.I,
        ),
    ),
    # N months and M days ago / N days ago / N weeks ago
    (
        "ago",
        re.compile(
            rf"\b(?P<n1>{_SMALL_NUM})\s+(?P<u1>day|week|month|year)s?"
            rf"(?:\s+and\s+(?P<n2>{_SMALL_NUM})\s+(?P<u2>day|week|month)s?)?\s+ago\b",
            re.I,
        ),
    ),
    # in the last/past two months, over the past year
    (
        "period",
        re.compile(
            rf"\b(?:in|over|during|within|for)\s+the\s+(?:last|past|previous)\s+"
            rf"(?:(?P<n>{_SMALL_NUM})\s+)?(?P<u>day|week|month|year)s?\b",
            re.I,
        ),
    ),
    ("since", re.compile(rf"\bsince\s+(?:(?:early|late|mid)[- ])?(?P<mon>{_MONTH_RE})?\s*(?P<y>{_YEAR_RE})?\b", re.I)),
    # last December / in June this year / in June / late in July / June 2023
    (
        "month",
        re.compile(
            rf"\b(?:(?P<last>last|this\s+past|past)\s+(?P<mon1>{_MONTH_RE})(?!\s+\d)"
            rf"|(?P<pre>[Ii]n|[Dd]uring|[Ll]ate\s+in|[Ee]arly\s+in|[Ii]n\s+late|[Ii]n\s+early|[Ii]n\s+mid|[Bb]y|[Uu]ntil)\s+(?P<mon2>{_MONTH_RE})"
            rf"(?:\s+(?P<this>this\s+year|last\s+year)|,?\s+(?P<y>{_YEAR_RE}))?(?!\s+\d)"
            rf"|(?P<mon3>{_MONTH_RE})\s+(?P<y3>{_YEAR_RE}))\b",
        ),
    ),
    ("relword", re.compile(r"\b(?P<w>the\s+previous\s+day|the\s+day\s+before|yesterday|today|tonight|this\s+morning|this\s+evening|last\s+night|earlier\s+today|last\s+week|this\s+week|earlier\s+this\s+week|last\s+month|this\s+month|earlier\s+this\s+month|last\s+year|this\s+year|earlier\s+this\s+year|last\s+weekend|this\s+weekend)\b(?:['’]s)?", re.I)),
    (
        "weekday",
        re.compile(
            rf"\b(?P<pre>(?:late|early)\s+on\s+|on\s+|last\s+|this\s+past\s+|since\s+|until\s+)?"
            rf"(?P<wd>{_WEEKDAY_RE})(?:['’]s)?(?P<part>\s+(?:night|morning|evening|afternoon)(?:['’]s)?)?\b",
        ),
    ),
    ("year", re.compile(rf"\b(?P<pre>in|during|since|by|until|of|from)\s+(?P<y>{_YEAR_RE})\b(?!-)")),
]

_REPORT_VERB = re.compile(
    r"\b(?:said|says|told|announced|reported|stated|confirmed|denied|added|claimed|quoted|"
    r"statement|tweeted|wrote|declared|noted|briefing|condemned|visited|summoned)\b",
    re.I,
)
_SINCE_WORDS = re.compile(r"\b(?:since|until|till|by)\s*$", re.I)


@dataclass(frozen=True)
class DateMention:
    """A date expression and the window it allows.

    ``role`` is ``"event"`` (a candidate date of the incident), ``"report"`` (the date
    of a statement), ``"period"`` (a span such as "in the last two months") or
    ``"since"`` (the start of a span). ``start``/``end`` index the searched string.
    """

    earliest: dt.date
    latest: dt.date
    best: dt.date
    precision: str
    text: str
    start: int
    end: int
    role: str = "event"
    anchored: bool = True
    note: str = ""

    @property
    def width(self) -> int:
        return (self.latest - self.earliest).days


def precision_for(earliest: dt.date, latest: dt.date) -> str:
    """Precision implied by a window's width (the schema's limits)."""
    width = (latest - earliest).days
    if width <= 1:
        return "day"
    if width <= 7:
        return "week"
    if width <= 31:
        return "month"
    if width <= 366:
        return "year"
    return "unknown"


def to_date(value: object) -> dt.date | None:
    """A date from a date, datetime, pandas Timestamp or ISO string (``None`` passes)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()  # type: ignore[union-attr]
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise InputError(f"published={value!r} is not a date; give it as YYYY-MM-DD") from None
    raise TextInputError(f"published must be a date or 'YYYY-MM-DD' string, not {type(value).__name__}")


_ROLE_OF_KIND = {"period": "period", "since": "since"}


def find_dates(
    text: str,
    published: dt.date | None = None,
    bounds: tuple[dt.date, dt.date] | None = None,
) -> list[DateMention]:
    """Every date expression in ``text`` with its resolved window.

    Parameters
    ----------
    text : str
        A sentence (or any text).
    published : datetime.date, optional
        Publication date of the report; relative phrases are resolved against it.
    bounds : (date, date), optional
        Without ``published``: the range of possible publication dates (see
        :func:`publication_bounds`). Defaults to 1970-01-01 .. today.
    """
    if bounds is None:
        bounds = (dt.date(1970, 1, 1), dt.date.today())
    r = Resolver(published, bounds)
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            res = resolve(kind, m, r)
            if res is None or isinstance(res, str):
                continue
            earliest, latest, best = res
            if earliest > latest:
                earliest, latest = latest, earliest
            best = min(max(best, earliest), latest)
            taken.append((m.start(), m.end()))
            role = _ROLE_OF_KIND.get(kind, "event")
            pre = text[max(0, m.start() - 12) : m.start()]
            if kind == "year" and m.group("pre").lower() in ("since", "by", "until", "from"):
                role = "since"
            elif kind in ("weekday", "year", "mdy", "dmy", "relword") and _SINCE_WORDS.search(pre):
                role = "since"
            elif kind in ("weekday", "mdy", "dmy", "relword") and _is_report_date(text, m.start(), m.end()):
                role = "report"
            anchored = published is not None or kind in ("iso", "year") or bool(m.groupdict().get("y") or m.groupdict().get("y3"))
            note = ""
            if not anchored:
                note = (
                    f"no publication date: resolved against any date from {bounds[0]} to "
                    f"{bounds[1]}"
                )
            out.append(
                DateMention(
                    earliest, latest, best, precision_for(earliest, latest), m.group(), m.start(),
                    m.end(), role, anchored, note,
                )
            )
    # "three days ago (Friday, December 2nd)": a phrase and its gloss are one mention
    out.sort(key=lambda d: d.start)
    merged: list[DateMention] = []
    for d in out:
        if merged:
            prev = merged[-1]
            gap = text[prev.end : d.start]
            if re.fullmatch(r"\s*[(,]\s*", gap) and prev.role == d.role:
                close = text[d.end : d.end + 1]
                end = d.end + (1 if gap.strip() == "(" and close == ")" else 0)
                best = d if d.width <= prev.width else prev
                merged[-1] = DateMention(
                    best.earliest, best.latest, best.best, best.precision,
                    text[prev.start : end], prev.start, end, prev.role,
                    prev.anchored or d.anchored, best.note,
                )
                continue
        merged.append(d)
    return merged


def _is_report_date(text: str, start: int, end: int) -> bool:
    """True for the date of a statement: "officials said on Sunday", "said Friday that"."""
    before = text[max(0, start - 45) : start]
    after = text[end : end + 30]
    if re.search(r"\b(?:said|says|told\s+\w+|announced|reported|stated|added|quoted|claimed|denied)\s*(?:\w+\s+){0,2}$",
                 before, re.I):
        return True
    if re.match(r"\s+(?:lowered|raised|put|buried|announced|confirmed|reported|released|revised|updated|gathered|held|"
                r"mourned|said|told|claimed|denied)\b", after):
        return True  # "officials on Monday raised the toll", "mourners on Monday buried ..."
    if re.search(r"\b(?:rose|risen|climbed|reached|stood|increased|lowered|raised|jumped)\s+(?:to|at)\s+[\w,-]+\s+$", before, re.I):
        return True  # "the toll rose to 32 on Tuesday"
    if re.search(r"\b(?:said|announced|reported|stated)\s+(?:in\s+a\s+statement\s+)?(?:on\s+)?$", before, re.I):
        return True
    if re.match(r"\s+(?:that|it\s+had|it\s+has)\b", after) and _REPORT_VERB.search(before[-25:]):
        return True
    return bool(re.search(r"\b(?:had|have|has)\s+$", before) and re.match(r"\s+(?:denied|confirmed|said|claimed)", after))


_PRINTED = [
    re.compile(
        rf"(?:published|posted|updated|print\s+edition[^.\n]{{0,60}}?\bon|dated|last\s+modified)[:\s]+(?:on\s+)?"
        rf"(?P<date>(?:{_WEEKDAY_RE},?\s+)?(?:{_MONTH_RE}\s+{_DAY_RE},?\s+{_YEAR_RE}|{_DAY_RE}\s+{_MONTH_RE},?\s+{_YEAR_RE}|{_YEAR_RE}-[01]\d-[0-3]\d))",
        re.I,
    ),
    # wire dateline: "KABUL, Dec 5, 2022 (Reuters) -", "KUNDUZ, Afghanistan, Feb 11, 2025 (AFP) -"
    re.compile(
        rf"^[A-Z][A-Z /'-]{{2,40}},\s+(?:[A-Z][a-z]+,\s+)?(?P<date>{_MONTH_RE}\s+{_DAY_RE},?\s+{_YEAR_RE})\s*(?:\([A-Za-z .]{{1,30}}\))?\s*[-–—]",
        re.M,
    ),
]


def infer_publication_date(text: str) -> tuple[dt.date | None, tuple[int, int] | None]:
    """The publication date printed in the text, if any, with its span.

    Recognises "Published: ...", "Updated ...", "appeared in the print edition of X on
    December 02, 2017" and wire datelines ("KABUL, Dec 5, 2022 (Reuters)").
    """
    for pat in _PRINTED:
        m = pat.search(text)
        if not m:
            continue
        ds = find_dates(m.group("date"))
        for d in ds:
            if d.anchored and d.precision == "day":
                return d.best, (m.start("date"), m.end("date"))
    return _dateline_date(text)


def _dateline_date(text: str) -> tuple[dt.date | None, tuple[int, int] | None]:
    """The dated dateline or by-line that opens a paragraph near the top
    ("By Staff | KABUL | 6 September 2018", "KABUL, Aug 3, 2020 (AFP) -")."""
    for m in re.finditer(r"(?:^|\n)[ \t]*(?=\S)", text[:3000]):
        line = find_dateline(text[m.end() : m.end() + 200])
        if line is None or not line.date:
            continue
        for d in find_dates(line.date):
            if d.anchored and d.precision == "day":
                start = text.find(line.date, m.end())
                return d.best, (start, start + len(line.date))
    return None, None


def publication_bounds(text: str, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Range of possible publication dates when none is given: from the latest
    explicit (day- or month-precise) date printed in the text to today."""
    today = today or dt.date.today()
    floor = dt.date(1970, 1, 1)
    for d in find_dates(text, bounds=(floor, today)):
        if d.anchored and d.precision in ("day", "week", "month", "year") and d.latest <= today and d.role != "report":
            floor = max(floor, d.earliest)
    return floor, today
