"""Date expressions resolved against a publication date (the rules of :mod:`.dates`).

:func:`resolve` turns one matched expression into ``(earliest, latest, best)``, one small
resolver per kind of expression (explicit dates, "N days ago", "in the last two
months", "since March", "last December", "yesterday", weekdays, years). A
:class:`Resolver` applies a rule at both ends of the range of possible publication
dates when the publication date is not known, and keeps the widest window.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .numbers import parse_number

__all__ = ["Resolver", "resolve"]

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _month_window(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _num(text: str | None) -> int | None:
    if text is None:
        return None
    t = text.lower().strip()
    if t in ("a", "an"):
        return 1
    if t in ("a few", "several"):
        return None
    return parse_number(t)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


class Resolver:
    """Resolve against a publication date, or against a range of possible ones."""

    def __init__(self, published: dt.date | None, bounds: tuple[dt.date, dt.date]):
        self.published = published
        self.lo, self.hi = (published, published) if published else bounds

    def over(self, fn) -> tuple[dt.date, dt.date, dt.date] | None:
        """Apply ``fn(P) -> (earliest, latest, best)`` at both ends of the anchor range."""
        a = fn(self.lo)
        b = fn(self.hi)
        if a is None or b is None:
            return None
        if self.published:
            return a
        return min(a[0], b[0]), max(a[1], b[1]), b[2]


def _r_iso(kind: str, g: dict, r: Resolver):
    """Resolve a 'iso' expression."""
    d = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
    return (d, d, d) if d else None


def _r_mdy_dmy(kind: str, g: dict, r: Resolver):
    """Resolve a 'mdy' or 'dmy' expression."""
    month = _MONTHS.get(g["mon"].lower().rstrip("."))
    day = int(re.match(r"\d+", g["d"]).group())
    if month is None:
        return None
    if g.get("y"):
        d = _safe_date(int(g["y"]), month, day)
        return (d, d, d) if d else None
    wd = _WEEKDAYS.get((g.get("wd") or "").lower())

    def latest_on_or_before(p: dt.date) -> tuple[dt.date, dt.date, dt.date] | None:
        for year in range(p.year + (1 if p.month == 12 else 0), p.year - 12, -1):
            d = _safe_date(year, month, day)
            if d is None or d > p + dt.timedelta(days=1):
                continue
            if wd is not None and d.weekday() != wd:
                continue
            return d, d, d
        return None

    return r.over(latest_on_or_before)


def _r_ago(kind: str, g: dict, r: Resolver):
    """Resolve a 'ago' expression."""
    n1, u1 = _num(g["n1"]), g["u1"].lower()
    n2, u2 = _num(g["n2"]), (g["u2"] or "").lower()
    if n1 is None:
        return None

    def ago(p: dt.date):
        if u1 == "day":
            d = p - dt.timedelta(days=n1)
            return d, d, d
        if u1 == "week":
            d = p - dt.timedelta(days=7 * n1 + (n2 or 0 if u2 == "day" else 0))
            return d - dt.timedelta(days=3), d + dt.timedelta(days=3), d
        if u1 == "month":
            d = _add_months(p, -n1)
            if n2 and u2 == "day":
                d -= dt.timedelta(days=n2)
                pad = 3
            elif n2 and u2 == "week":
                d -= dt.timedelta(days=7 * n2)
                pad = 3
            else:
                pad = 15
            return d - dt.timedelta(days=pad), min(d + dt.timedelta(days=pad), p), d
        d = dt.date(p.year - n1, 1, 1)
        return d, dt.date(p.year - n1, 12, 31), dt.date(p.year - n1, 7, 1)

    return r.over(ago)


def _r_period(kind: str, g: dict, r: Resolver):
    """Resolve a 'period' expression."""
    n = _num(g["n"]) if g["n"] else 1
    u = g["u"].lower()
    if n is None:
        return None

    def period(p: dt.date):
        if u == "day":
            start = p - dt.timedelta(days=n)
        elif u == "week":
            start = p - dt.timedelta(days=7 * n)
        elif u == "month":
            start = _add_months(p, -n)
        else:
            start = _add_months(p, -12 * n)
        return start, p, p

    return r.over(period)


def _r_since(kind: str, g: dict, r: Resolver):
    """Resolve a 'since' expression."""
    if not g.get("mon") and not g.get("y"):
        return None
    month = _MONTHS.get((g.get("mon") or "").lower().rstrip("."), 1)
    if g.get("y"):
        start = dt.date(int(g["y"]), month, 1)
        return start, start, start

    def since(p: dt.date):
        year = p.year if month <= p.month else p.year - 1
        s = dt.date(year, month, 1)
        return s, s, s

    return r.over(since)


def _r_month(kind: str, g: dict, r: Resolver):
    """Resolve a 'month' expression."""
    mon = g.get("mon1") or g.get("mon2") or g.get("mon3")
    month = _MONTHS.get(mon.lower().rstrip("."))
    if month is None or (mon.lower() in ("may",) and not (g.get("y") or g.get("y3") or g.get("this") or g.get("last"))):
        return None  # "may" is a verb far more often than a month
    year = g.get("y") or g.get("y3")
    if year:
        a, b = _month_window(int(year), month)
        return a, b, a + (b - a) // 2
    if g.get("last"):

        def last_month(p: dt.date):
            y = p.year if month < p.month else p.year - 1
            a, b = _month_window(y, month)
            return a, b, a + (b - a) // 2

        return r.over(last_month)
    this = (g.get("this") or "").lower()

    def in_month(p: dt.date):
        if this.startswith("last"):
            y = p.year - 1
        elif this.startswith("this"):
            y = p.year
        else:
            y = p.year if month <= p.month else p.year - 1
        a, b = _month_window(y, month)
        b = min(b, p) if b >= p >= a else b
        return a, b, a + (b - a) // 2

    return r.over(in_month)


def _r_relword(kind: str, g: dict, r: Resolver):
    """Resolve a 'relword' expression."""
    w = re.sub(r"\s+", " ", g["w"].lower())

    def rel(p: dt.date):
        one = dt.timedelta(days=1)
        if w in ("today", "tonight", "this morning", "this evening", "earlier today"):
            return p, p, p
        if w in ("yesterday", "the previous day", "the day before"):
            return p - one, p - one, p - one
        if w == "last night":
            return p - one, p, p - one
        if w == "last week":
            return p - 7 * one, p - one, p - 4 * one
        if w in ("last weekend", "this weekend"):
            sat = p - dt.timedelta(days=(p.weekday() - 5) % 7 or 7)
            return sat - one, sat + one, sat
        if w in ("this week", "earlier this week"):
            mon = p - dt.timedelta(days=p.weekday())
            return mon, p, mon + (p - mon) // 2
        if w == "last month":
            y, m0 = divmod(p.year * 12 + p.month - 2, 12)
            a, b = _month_window(y, m0 + 1)
            return a, b, a + (b - a) // 2
        if w in ("this month", "earlier this month"):
            a = p.replace(day=1)
            return a, p, a + (p - a) // 2
        if w == "last year":
            return dt.date(p.year - 1, 1, 1), dt.date(p.year - 1, 12, 31), dt.date(p.year - 1, 7, 1)
        if w in ("this year", "earlier this year"):
            a = dt.date(p.year, 1, 1)
            return a, p, a + (p - a) // 2
        return None

    return r.over(rel)


def _r_weekday(kind: str, g: dict, r: Resolver):
    """Resolve a 'weekday' expression."""
    wd = _WEEKDAYS[g["wd"].lower()]
    pre = (g.get("pre") or "").strip().lower()
    if pre in ("since", "until"):
        return None

    def weekday(p: dt.date):
        back = (p.weekday() - wd) % 7
        if pre.startswith("last") or pre.startswith("this past"):
            back = back or 7
        d = p - dt.timedelta(days=back)
        return d, d, d

    return r.over(weekday)


def _r_year(kind: str, g: dict, r: Resolver):
    """Resolve a 'year' expression."""
    y = int(g["y"])
    return dt.date(y, 1, 1), dt.date(y, 12, 31), dt.date(y, 7, 1)


_RESOLVERS = {
    "iso": _r_iso,
    "mdy": _r_mdy_dmy,
    "dmy": _r_mdy_dmy,
    "ago": _r_ago,
    "period": _r_period,
    "since": _r_since,
    "month": _r_month,
    "relword": _r_relword,
    "weekday": _r_weekday,
    "year": _r_year,
}


def resolve(kind: str, m: re.Match[str], r: Resolver) -> tuple[dt.date, dt.date, dt.date] | None:
    """``(earliest, latest, best)`` of the date expression ``m`` of ``kind`` (a key of
    :data:`analysis.coding.dates._PATTERNS`), or None when it is not a date."""
    fn = _RESOLVERS.get(kind)
    return fn(kind, m.groupdict(), r) if fn else None
