"""Text preparation for assisted coding: HTML stripping, paragraphs and sentences.

Every later step works on :class:`Sentence` objects that remember their character
offsets in the *cleaned* text, so each coded field can point at the exact words it
came from. Cleaning changes as little as possible: HTML markup is removed (block
elements become paragraph breaks), entities are unescaped, ``\\r\\n`` becomes ``\\n``
and non-breaking spaces become spaces. Plain text therefore keeps its characters,
and an evidence span is always ``text[start:end]`` of :func:`clean_text` output.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import sentencex

from ..errors import InputError

__all__ = ["MAX_CHARS", "Dateline", "Sentence", "TextInputError", "clean_text", "english_score", "find_dateline", "split_sentences"]

class TextInputError(InputError, TypeError):
    """A report or a date given as the wrong type (bytes, None, a number...)."""


#: Longest text analysed; the rest of a longer text is ignored and the drafts say so.
MAX_CHARS = 400_000

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "blockquote", "figcaption", "figure", "title",
    "pre", "dd", "dt", "hr",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head"}
_HTML_HINT = re.compile(r"<\s*(?:[a-zA-Z][a-zA-Z0-9]*\b[^<>]*|/[a-zA-Z][a-zA-Z0-9]*\s*)>|<!--|&(?:[a-z]+|#\d+);")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    """True when the text carries HTML tags or entities."""
    return bool(_HTML_HINT.search(text[:20_000]))


def clean_text(text: str) -> str:
    """Strip HTML (when present) and normalise line breaks and non-breaking spaces.

    >>> clean_text("<p>Six <b>civilians</b> were injured.</p>")
    'Six civilians were injured.'
    """
    if not isinstance(text, str):
        raise TextInputError(f"expected the report as a str, got {type(text).__name__}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if looks_like_html(text):
        parser = _TextExtractor()
        try:
            parser.feed(text)
            parser.close()
            text = "".join(parser.parts)
        except Exception:  # pragma: no cover - html.parser is very tolerant
            text = re.sub(r"<[^>]*>", " ", text)
        text = html.unescape(text)
        # collapse runs of spaces inside lines and of blank lines left by markup
        text = re.sub(r"[ \t]+", " ", text)
        text = re.sub(r" *\n *", "\n", text)
        text = re.sub(r"\n{3,}", "\n\n", text)
    text = text.replace("\u00a0", " ").replace("\u200b", " ")
    return text.strip()


# Common English function words: a report with almost none of them is not English.
_STOPWORDS = frozenset(
    "the a an of in on at to and or was were is are has have had by for with from that this "
    "said after he she it they their its as be been which who".split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def english_score(text: str) -> float:
    """Share of words (in the first 5,000 characters) that are common English words."""
    words = _WORD.findall(text[:5000].lower())
    if not words:
        return 0.0
    return sum(w in _STOPWORDS for w in words) / len(words)


@dataclass(frozen=True)
class Sentence:
    """A sentence of the cleaned text with its offsets and paragraph number (1-based)."""

    text: str
    start: int
    end: int
    paragraph: int
    index: int


def _split_paragraph(par: str, offset: int) -> list[tuple[str, int, int]]:
    """Sentences of one paragraph (sentencex), with their offsets in the whole text."""
    out: list[tuple[str, int, int]] = []
    pos = 0
    for seg in sentencex.segment("en", par):
        body = seg.strip()
        if not body:
            continue
        start = par.find(body, pos)
        if start < 0:  # pragma: no cover - sentencex returns pieces of its input
            continue
        pos = start + len(body)
        out.append((body, offset + start, offset + pos))
    return out


def split_sentences(text: str) -> list[Sentence]:
    """Split cleaned text into sentences, keeping offsets and paragraph numbers.

    Paragraphs are separated by blank lines; a text without blank lines is split at
    single line breaks instead. Within a paragraph, sentence boundaries come from
    ``sentencex`` (rule-based, knows abbreviations such as "Gen." and "U.S.").
    """
    sep = re.compile(r"\n\s*\n") if re.search(r"\n\s*\n", text) else re.compile(r"\n")
    sentences: list[Sentence] = []
    pos = 0
    par_no = 0
    for m in [*sep.finditer(text), None]:
        end = m.start() if m is not None else len(text)
        par = text[pos:end]
        if par.strip():
            par_no += 1
            lead = len(par) - len(par.lstrip())
            for seg, s, e in _split_paragraph(par.strip(), pos + lead):
                sentences.append(Sentence(seg, s, e, par_no, len(sentences)))
        if m is not None:
            pos = m.end()
    return sentences


@dataclass(frozen=True)
class Dateline:
    """The wire dateline that opens a report's body: "KABUL, Oct 21 (Xinhua) --",
    "Kabul [Afghanistan], Mar 7 (ANI):", "By Staff | KABUL | 6 September 2018".

    ``end`` is where the story starts, relative to the sentence searched; ``place``
    is the place as written and ``date`` the date as written (``""`` when none).
    """

    place: str
    date: str
    end: int


_DL_DATE = (
    r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?"
    r"|\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?(?:,?\s+\d{4})?)"
)
_DL_PLACE = r"(?P<place>[A-Z][A-Za-z'’.-]+(?:[ /-][A-Z][A-Za-z'’.-]+){0,3})"
_DATELINES = [
    # PLACE[ [Country]][, Country][, DATE] (AGENCY) - / -- / — / :   (the agency may stand alone)
    re.compile(
        rf"^(?:{_DL_PLACE}(?:\s*\[[^\]]{{1,30}}\])?(?:,\s*[A-Z][a-z]+)?(?:,\s*(?P<date>{_DL_DATE}))?\s*)?"
        r"\((?P<agency>[A-Za-z][A-Za-z .&-]{0,30})\)\s*(?:[-–—]{1,2}|:)?\s*(?=[A-Z\"“‘'])"
    ),
    # CAPITALISED PLACE[, Country][, DATE] - / — / :
    re.compile(
        rf"^(?P<place>[A-Z][A-Z'’.-]+(?:[ /-][A-Z][A-Z'’.-]+){{0,3}})(?:,\s*[A-Z][a-z]+)?(?:,\s*(?P<date>{_DL_DATE}))?"
        r"\s*(?:[-–—]{1,2}|:)\s+(?=[A-Z\"“‘'])"
    ),
    # By-line: "By NAME | PLACE | DATE"
    re.compile(rf"^By\s+[^|\n]{{1,60}}\|\s*{_DL_PLACE}\s*\|\s*(?P<date>{_DL_DATE})\s*"),
]


def find_dateline(sentence: str) -> Dateline | None:
    """The dateline at the start of ``sentence``, if it has one."""
    for pat in _DATELINES:
        m = pat.match(sentence)
        if m:
            return Dateline(m.group("place") or "", m.group("date") or "", m.end())
    return None
