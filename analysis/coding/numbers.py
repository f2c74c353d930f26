"""Numbers as reports write them: digits ("1,100"), words ("fifty-three",
"two hundred"), vague quantities ("dozens", "scores") and qualifiers ("at least",
"more than", "nearly", "up to", "about").

:func:`parse_number` turns one number into an integer. :func:`find_quantities` finds
every quantity in a sentence, with its qualifier, as a :class:`Quantity` coded by the
bundled dataset's rules (``data/README.md``): a qualified figure is coded as the
figure the words fix, and only an explicit range keeps a range.

=========================  =====  ======  =====
phrase                      low    best   high
=========================  =====  ======  =====
"53", "at least 53"         53     53     53
"more than 50", "over 50"   51     51     51
"nearly / about 1,100"      1100   1100   1100
"up to 1,700"               --     1700   1700
"fewer than 10"             9      9      9
"between 1,000 and 1,500"   1000   1250   1500
"a dozen"                   12     12     12
"more than a dozen"         13     13     13
"dozens"                    24     24     24
"scores"                    40     40     40
"hundreds"                  200    200    200
=========================  =====  ======  =====

The qualifier is kept (:attr:`Quantity.qualifier`) so a reviewer sees "at least".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import text2num

__all__ = ["NUMBER_PATTERN", "Quantity", "find_quantities", "parse_number"]

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

_WORD_ALT = "|".join(sorted([*_UNITS, *_TENS, *_SCALES], key=len, reverse=True))
_WORD_NUM = (
    rf"(?:a\s+(?:hundred|thousand)|(?:{_WORD_ALT}))"
    rf"(?:(?:\s+and\s+|[\s-]+)(?:{_WORD_ALT})\b)*"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?(?:\s+(?:hundred|thousand|million)\b)?"
#: A number written in digits or in words (not vague quantities).
NUMBER_PATTERN = rf"(?:{_DIGITS}|\b{_WORD_NUM}\b)"

# Vague quantities: (low, best). High is unbounded.
_VAGUE = {
    "dozens": (24, 24), "scores": (40, 40), "hundreds": (200, 200), "thousands": (2000, 2000),
    "tens": (20, 20),
}
_FIXED_VAGUE = {"a dozen": 12, "a couple of": 2, "a couple": 2, "a pair of": 2, "a handful of": 3}

_QUAL = (
    r"(?P<qual>at\s+least|no\s+fewer\s+than|not\s+less\s+than|a\s+minimum\s+of|"
    r"more\s+than|over|upwards\s+of|in\s+excess\s+of|"
    r"nearly|almost|close\s+to|just\s+under|"
    r"about|around|approximately|roughly|some|an\s+estimated|estimated|"
    r"up\s+to|as\s+many\s+as|at\s+most|fewer\s+than|less\s+than)\s+"
)
_QUANTITY = re.compile(
    rf"(?:{_QUAL})?"
    rf"(?:between\s+(?P<lo>{NUMBER_PATTERN})\s+(?:and|to)\s+(?P<hi>{NUMBER_PATTERN})"
    rf"|(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+)\s*(?:-|–|\bto\b)\s*(?P<num2>\d{{1,3}}(?:,\d{{3}})+|\d+)(?=\s+[a-z])"
    rf"|(?P<fixed>\ba\s+dozen\b|\ba\s+couple(?:\s+of)?\b|\ba\s+pair\s+of\b|\ba\s+handful\s+of\b)"
    rf"|(?P<vague>\b(?:dozens|scores|hundreds|thousands|tens)\b)(?:\s+of\b)?"
    rf"|(?P<n>{NUMBER_PATTERN}))",
    re.IGNORECASE,
)


def parse_number(text: str) -> int | None:
    """Parse one number written in digits or English words.

    >>> parse_number("1,100"), parse_number("fifty-three"), parse_number("two hundred and five")
    (1100, 53, 205)

    Returns ``None`` when the text is not a number. Words are read by
    ``text2num`` (the ``text_to_num`` package).
    """
    t = text.strip().lower().replace("\u2013", "-")
    if not t:
        return None
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(hundred|thousand|million))?", t)
    if m:
        value = float(m.group(1).replace(",", ""))
        if m.group(2):
            value *= _SCALES[m.group(2)]
        return round(value)
    words = re.sub(r"^an?\s+(?=hundred|thousand|million)", "one ", re.sub(r"\s+", " ", t))
    try:
        return int(text2num(words, "en"))
    except ValueError:
        return None


@dataclass(frozen=True)
class Quantity:
    """A quantity in text with the range its words allow.

    ``low``/``high`` are ``None`` when the words leave that side open.
    ``start``/``end`` are offsets in the string that was searched.
    """

    low: int | None
    best: int | None
    high: int | None
    text: str
    start: int
    end: int
    qualifier: str = ""
    vague: bool = False

    @property
    def value(self) -> int | None:
        """The single number written (best, or low for an open range)."""
        return self.best if self.best is not None else self.low


def _apply_qualifier(qual: str, n: int) -> tuple[int | None, int | None, int | None]:
    q = re.sub(r"\s+", " ", qual.lower()).strip()
    if q in ("more than", "over", "upwards of", "in excess of"):
        return n + 1, n + 1, n + 1
    if q in ("up to", "as many as", "at most"):
        return None, n, n
    if q in ("fewer than", "less than"):
        return max(n - 1, 0), max(n - 1, 0), max(n - 1, 0)
    return n, n, n


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text`` (digits, words, vague words) with its qualifier."""
    out: list[Quantity] = []
    for m in _QUANTITY.finditer(text):
        qual = m.group("qual") or ""
        if m.group("lo") is not None or m.group("num") is not None:
            a = parse_number(m.group("lo") or m.group("num"))
            b = parse_number(m.group("hi") or m.group("num2"))
            if a is None or b is None or b < a:
                continue
            out.append(Quantity(a, (a + b) // 2, b, m.group(), m.start(), m.end(), qual, False))
        elif m.group("fixed"):
            n = _FIXED_VAGUE[re.sub(r"\s+", " ", m.group("fixed").lower())]
            lo, best, hi = _apply_qualifier(qual, n) if qual else (n, n, n)
            out.append(Quantity(lo, best, hi, m.group(), m.start(), m.end(), qual.strip(), False))
        elif m.group("vague"):
            lo, best = _VAGUE[m.group("vague").lower()]
            out.append(Quantity(lo, best, best, m.group(), m.start(), m.end(), qual.strip(), True))
        else:
            n = parse_number(m.group("n"))
            if n is None:
                continue
            lo, best, hi = _apply_qualifier(qual, n) if qual else (n, n, n)
            out.append(Quantity(lo, best, hi, m.group(), m.start(), m.end(), qual.strip(), False))
    return out
