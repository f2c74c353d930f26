"""Casualty phrases -> killed and wounded as low / best / high.

:func:`find_casualties` reads one sentence and returns a :class:`CasualtyMention` for
every number that counts people killed, wounded, or both ("dozens dead and
injured"), with the victims' category (civilians, combatants, attackers) when the
words give it. Numbers that are not casualties are left alone: years, ages
("19-year-old"), distances, times, "1,400 operations", "300 children" at a school,
"30 houses".

The figures of one event frame are reconciled into the schema's fields by
:func:`analysis.coding.tolls.combine_casualties`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from .numbers import NUMBER_PATTERN, Quantity, find_quantities

__all__ = ["CasualtyMention", "find_casualties"]

_KILL = r"(?:killed|dead|died|slain|martyred|shot\s+dead|lost\s+(?:their|his|her)\s+li(?:ves|fe)|deaths?|fatalities)"
_WOUND = r"(?:injured|wounded|hurt|injuries|wounds|suffered\s+(?:[\w-]+\s+)?(?:injuries|wounds))"
_AUX = r"(?:were|was|have\s+been|has\s+been|had\s+been|had|have|are|is|got|been|being|to\s+have\s+been|reportedly|reported|believed|confirmed|also|later|all|both)"

_PERSON = (
    r"people|persons?|civilians?|others?|men|women|children|child|kids|babies|students?|worshipp?ers?|"
    r"members?|fighters?|forces|soldiers?|policem[ae]n|police|officers?|guards?|bodyguards?|personnel|"
    r"troops|militants?|attackers?|assailants?|gunm[ae]n|bombers?|insurgents?|terrorists?|staff|"
    r"employees|workers|journalists?|reporters?|passengers|residents|villagers|victims|officials?|"
    r"girls|boys|Hazaras?|Shi[i’']+tes?|Sikhs?|Hindus?|pilgrims|relatives|family|"
    r"Taliban|Taleban|commanders?|diplomats?|foreigners|nationals|citizens|teachers|doctors|"
    r"worshiper|Afghans|individuals|security|militiam[ae]n|recruits|cadets|mourners|spectators|"
    r"fans|athletes|shoppers|labou?rers|prisoners|inmates|patients|nurses|engineers|deminers|guests|visitors|"
    r"protesters|demonstrators|mothers|babies|newborns|staff|colleagues"
)
_PERSON_RE = re.compile(rf"\b(?:{_PERSON})\b", re.I)
_CIVILIAN = re.compile(
    r"\b(?:civilians?|children|child|kids|babies|women|students?|worshipp?ers?|worshiper|pilgrims|"
    r"passengers|residents|villagers|shoppers|girls|boys|journalists?|mourners|teachers|patients|"
    r"Hazaras?|Sikhs?|Hindus?)\b",
    re.I,
)
_COMBATANT = re.compile(
    r"\b(?:soldiers?|policem[ae]n|police|troops|security\s+(?:forces|personnel|guards?)|guards?|"
    r"bodyguards?|militiam[ae]n|ALP|army|Taliban\s+(?:members?|fighters?|forces|officials?|soldiers?)|"
    r"members\s+of\s+the\s+Taliban|Taliban|commandos?|officers|cadets)\b",
    re.I,
)
_PERPETRATOR = re.compile(
    r"\b(?:attackers?|assailants?|gunm[ae]n|bombers?|militants?|insurgents?|terrorists?|perpetrators?)\b",
    re.I,
)
_NOT_COUNT_AFTER = re.compile(
    r"^(?:\s*(?:-|–)?\s*(?:year|yr|month|week|day|hour|minute|km|kilomet|mile|meter|metre|per\s*cent|%|"
    r"percent|a\.m|p\.m|am\b|pm\b|:|th\b|st\b|nd\b|rd\b|\.\d|,\d{3}\b|/))",
    re.I,
)
_TIME_UNIT_AFTER = re.compile(r"^\s+(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|times)\b", re.I)


@dataclass(frozen=True)
class CasualtyMention:
    """One casualty figure in a sentence.

    ``role`` is ``"killed"``, ``"wounded"`` or ``"combined"`` (killed and wounded
    together). ``category`` is ``"civilian"``, ``"combatant"``, ``"perpetrator"`` or
    ``""``. ``share_of`` is set for "44 of the 50 victims": the total. ``subset`` marks
    "20 children are among the dead". ``text``/``start``/``end`` give the exact span.
    """

    role: str
    low: int | None
    best: int | None
    high: int | None
    category: str
    text: str
    start: int
    end: int
    vague: bool = False
    subset: bool = False
    share_of: int | None = None
    group: int | None = None
    revision: str = ""  # "new": a revised figure ("the toll rose to 8"); "old": the figure it replaced
    extra: bool = False  # "13 other guests", "four Afghans also died": in addition to a figure before


def _category(np: str) -> str:
    if _PERPETRATOR.search(np) and not re.search(r"\bby\b", np):
        return "perpetrator"
    if _CIVILIAN.search(np):
        return "civilian"
    if _COMBATANT.search(np):
        return "combatant"
    return ""


def _is_year(q: Quantity) -> bool:
    return q.qualifier == "" and q.best is not None and 1900 <= q.best <= 2099 and q.text.isdigit()


_SUBJ = re.compile(
    rf"^(?P<np>(?:(?:\s+|\s*,\s*)[\w’'()\-]+){{0,14}}?)\s*,?\s+(?:(?:{_AUX})\s+){{0,4}}?(?:(?:seriously|critically|badly|slightly|fatally|severely|lightly)\s+)?"
    rf"(?P<verb>{_KILL}|{_WOUND})\b(?P<rest>[^.;]{{0,40}})",
    re.I,
)
_OBJ_BEFORE = re.compile(
    r"\b(?P<verb>killed|killing|kills|kill|murdered|massacred|claimed\s+the\s+lives\s+of|claiming\s+the\s+lives\s+of|"
    r"took\s+the\s+lives\s+of|left|leaving|leaves|injured|injuring|injures|wounded|wounding|wounds|"
    r"claimed|martyred|martyring)\s+(?:at\s+least\s+|more\s+than\s+|over\s+)?$",
    re.I,
)
_SUBSET = re.compile(r"^\s+(?P<np>[\w\s’'-]{0,40}?)\s+(?:are|were|was|is)\s+(?:also\s+)?among\s+the\s+(?:dead|killed|victims|injured|wounded)", re.I)
_AMONG = re.compile(
    r"\bamong\s+the\s+(?P<what>dead|killed|victims|injured|wounded)\s+(?:were|are|was|is)\s+", re.I
)
_SHARE = re.compile(
    r"^\s+of\s+the\s+(?P<total>[\w,-]+)\s+(?P<what>victims|dead|killed|deaths|people\s+killed|casualties|injured|wounded)\b"
    r"(?P<rest>[^.;]{0,60})",
    re.I,
)
_COMBINED_AFTER = re.compile(
    rf"^\s*(?:and|or|&)\s+(?:{_WOUND}|{_KILL})\b", re.I
)
_NAMED_VICTIM = re.compile(
    r"\b(?P<verb>killed|killing|assassinated|wounded|injured|injuring)\s+(?P<np>(?:the|a|an|its|their|his|Afghanistan's|Afghan)\s+"
    r"(?:[\w’'-]+\s+){0,4}?(?:chief|governor|commander|minister|mayor|leader|official|cleric|imam|judge|"
    r"spokesman|spokesperson|prosecutor|director|ambassador|deputy|head|MP|lawmaker|senator|journalist|"
    r"guard|diplomat|policeman|soldier|civilian|child|woman|man|boy|girl|student|worshipp?er|journalist)(?:\s+(?:governor|chief|minister|commander|head|general))?)\b(?P<more>(?:,?\s+and\s+(?:the|a|an|his|its)\s+(?:[\w’'-]+\s+){0,3}?(?:chief|governor|"
    r"commander|minister|mayor|leader|official|head|deputy|guard|driver|son|brother|bodyguard)s?(?:\s+(?:governor|chief|minister|commander|head))?\b)*)"
    r"(?P<resp>,?\s+respectively)?",
    re.I,
)


def _overlaps(used: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in used)


def _mention(sentence: str, q: Quantity, role: str, category: str, start: int, end: int, **kw) -> CasualtyMention:
    return CasualtyMention(role, q.low, q.best, q.high, category, sentence[start:end], start, end,
                           kw.pop("vague", q.vague), **kw)


def _not_a_count(sentence: str, q: Quantity) -> bool:
    after = sentence[q.end : q.end + 160]
    before = sentence[max(0, q.start - 60) : q.start]
    if _NOT_COUNT_AFTER.match(after) or _TIME_UNIT_AFTER.match(after):
        return True
    if _is_year(q) and not re.match(rf"^\s+(?:{_PERSON})\b", after, re.I):
        return True
    return re.search(r"(?:\b(?:No\.|number|ID|district|Resolution|page|route|highway)|#)\s*:?\s*$", before, re.I) is not None


def _share(sentence: str, q: Quantity) -> list[CasualtyMention] | None:
    """"44 of the 50 victims were (believed to be) civilians": the total and the share."""
    m = _SHARE.match(sentence[q.end : q.end + 160])
    if not m:
        return None
    total = find_quantities(m.group("total"))
    if not total or total[0].value is None:
        return None
    role = "wounded" if m.group("what").lower() in ("injured", "wounded") else "killed"
    cat = _category(m.group("rest")) or "civilian"
    cm = re.search(r"\b(?:civilians?|children|women|combatants|soldiers|fighters|members|police\w*)\b", m.group("rest"), re.I)
    end = q.end + (m.start("rest") + cm.end() if cm else m.end("what"))
    t = total[0]
    return [
        CasualtyMention(role, t.low, t.best, t.high, cat, sentence[q.start:end], q.start, end),
        _mention(sentence, q, role, cat, q.start, end, vague=False, subset=True, share_of=t.value),
    ]


def _subset(sentence: str, q: Quantity) -> list[CasualtyMention] | None:
    """"20 children are among the dead"."""
    m = _SUBSET.match(sentence[q.end : q.end + 160])
    if not m:
        return None
    what = sentence[q.end : q.end + m.end()].lower()
    role = "wounded" if re.search(r"injured|wounded\s*$", what) else "killed"
    return [_mention(sentence, q, role, _category(m.group("np")), q.start, q.end + m.end(), subset=True)]


def _among(sentence: str, q: Quantity) -> list[CasualtyMention] | None:
    """"Among the dead were 73 civilians and 23 Taliban members"."""
    am = None
    for a in _AMONG.finditer(sentence[: q.start]):
        am = a
    gap = sentence[am.end() : q.start] if am is not None else ""
    if am is None or not re.fullmatch(r"[\s\w,]*", gap) or len(gap) >= 60:
        return None
    after = sentence[q.end : q.end + 160]
    np = re.match(r"\s*([\w\s’'-]{0,40}?)(?=,|\band\b|\.|$)", after)
    role = "wounded" if am.group("what").lower() in ("injured", "wounded") else "killed"
    end = q.end + (np.end(1) if np else 0)
    return [_mention(sentence, q, role, _category(np.group(1) if np else ""), q.start, end, subset=True)]


def _subject_role(m: re.Match[str]) -> tuple[str, int]:
    """Role and end (in the text after the number) of "N ... were killed (and wounded)"."""
    verb, rest = m.group("verb").lower(), m.group("rest") or ""
    both = _COMBINED_AFTER.match(rest)
    combined = both is not None and (re.match(_KILL, verb) is not None) != (
        re.match(_WOUND, both.group().split()[-1]) is None)
    if combined:
        return "combined", m.end("verb") + both.end()
    return ("wounded" if re.match(_WOUND, verb) else "killed"), m.end("verb")


def _subject(sentence: str, q: Quantity, out: list[CasualtyMention]) -> list[CasualtyMention] | None:
    """The number is the subject: "at least 53 people were killed", "dozens dead and injured"."""
    after = sentence[q.end : q.end + 160]
    m = _SUBJ.match(after)
    if not m:
        return None
    np, verb, rest = m.group("np"), m.group("verb").lower(), m.group("rest")
    passive = re.search(rf"\b(?:{_AUX})\b", after[: m.start("verb")], re.I) is not None
    intransitive = re.match(r"(?:dead|died|slain|martyred|lost|deaths?|fatalities|injuries|hurt|suffered)", verb) is not None
    headline = len(np.split()) <= 2 and re.match(r"^\s*(?:in|as|after|when|during|,|$|and|by|on|at)", rest or "")
    person = not np.strip() or _PERSON_RE.search(np) is not None or re.fullmatch(r"\s*(?:others?|more)\s*", np) is not None
    if not (person and (passive or intransitive or headline)) or _NOT_SUBJECT.search(np):
        return None
    if re.search(r"\d", np) or re.search(rf"\b{NUMBER_PATTERN}\b", np, re.I):
        return None  # another number stands between: "four fighters and seven civilians were wounded"
    role, end = _subject_role(m)
    cat = _category(np)
    if not np.strip() or re.fullmatch(r"\s*(?:others?|more)\s*", np):
        cat = _carry_category(out, role)
    return [_mention(sentence, q, role, cat, q.start, q.end + end, extra=_EXTRA.search(after[: m.start("verb")]) is not None)]


def _object(sentence: str, q: Quantity, out: list[CasualtyMention]) -> list[CasualtyMention] | None:
    """The number is the object: "killed more than 50 men", "left 19 dead", "injured 18 others"."""
    after = sentence[q.end : q.end + 160]
    before = sentence[max(0, q.start - 60) : q.start]
    b = _OBJ_BEFORE.search(before)
    if not b:
        return None
    verb = b.group("verb").lower()
    start = q.start - (len(before) - b.start())
    if verb in ("left", "leaving", "leaves", "claimed"):
        tail = re.match(rf"^\s*(?:[\w’'-]+\s+){{0,5}}?(?P<v>{_KILL}|{_WOUND})\b(?P<c>\s*(?:and|or)\s+(?:{_WOUND}|{_KILL}))?", after, re.I)
        if not tail:
            return None
        role = "combined" if tail.group("c") else ("wounded" if re.match(_WOUND, tail.group("v"), re.I) else "killed")
        return [_mention(sentence, q, role, _category(tail.group()), start, q.end + tail.end())]
    first_words = " ".join(re.split(r"[.;]", after, maxsplit=1)[0].split()[:7])
    if not _PERSON_RE.search(first_words) and not re.match(r"^\s*(?:,|\.|$|in\b|and\b|on\b|at\b)", after):
        return None
    if re.match(r"^\s*(?:times|years|houses|vehicles)", after, re.I):
        return None
    role = "wounded" if re.match(r"injur|wound", verb) else "killed"
    npm = re.match(r"^\s*(?:of\s+)?((?:[\w’'-]+,?\s+){0,5}?(?:" + _PERSON + r")(?:\s+of\s+(?:the\s+)?[\w’'-]+){0,2})\b", after, re.I)
    cat = _category(npm.group(1)) if npm else ""
    if npm and re.fullmatch(r"\s*(?:others?|more)\s*", npm.group(1)):
        cat = _carry_category(out, role)
    return [_mention(sentence, q, role, cat, start, q.end + (npm.end() if npm else 0))]


def _adjectival(sentence: str, q: Quantity) -> list[CasualtyMention] | None:
    """"seventy-five wounded people had been brought in", "dozens more wounded"."""
    m = _ADJECTIVAL.match(sentence[q.end : q.end + 60])
    if not m:
        return None
    role = "wounded" if re.match(_WOUND, m.group("verb") or m.group("verb2"), re.I) else "killed"
    return [_mention(sentence, q, role, _category(m.group()), q.start, q.end + m.end(), extra=bool(m.group("more")))]


def _read_quantity(sentence: str, q: Quantity, out: list[CasualtyMention]) -> list[CasualtyMention] | None:
    for reader in (_share, _subset, _among):
        found = reader(sentence, q)
        if found:
            return found
    return _subject(sentence, q, out) or _object(sentence, q, out) or _adjectival(sentence, q)


def find_casualties(sentence: str) -> list[CasualtyMention]:
    """Casualty figures in one sentence (see the module docstring for the rules)."""
    out: list[CasualtyMention] = []
    used: list[tuple[int, int]] = []
    quantities = find_quantities(sentence)
    for q in quantities:
        if _overlaps(used, q.start, q.end) or _not_a_count(sentence, q):
            continue
        found = _read_quantity(sentence, q, out)
        if found:
            out.extend(found)
            used.append((found[0].start, found[0].end))
    _coordinated(sentence, quantities, out, used)
    _revised(sentence, out, used)
    _named_victims(sentence, out, used)
    _named_subjects(sentence, out, used)
    return sorted((_claimed(sentence, c) for c in out), key=lambda c: c.start)


def _coordinated(sentence: str, quantities: list[Quantity], out: list[CasualtyMention], used) -> None:
    """"141 civilians and 21 Taliban fighters were wounded", "killing two embassy employees
    and four Afghans": the parts form one group, added up by :mod:`.tolls`."""
    for q in quantities:
        if _overlaps(used, q.start, q.end):
            continue
        m = re.match(r"\s+(?P<np>[\w’'\s-]{1,40}?)\s*(?:,|\band\b)\s+(?:,?\s*and\s+)?", sentence[q.end :])
        if not m or not _PERSON_RE.search(m.group("np")):
            continue
        nxt = q.end + m.end()
        partner = next((c for c in out if c.start == nxt and not c.subset), None)
        if partner is None or not any(qq.start == nxt for qq in quantities):
            continue
        gid = hash((sentence, q.start))
        out[out.index(partner)] = dataclasses.replace(partner, group=gid)
        out.append(CasualtyMention(partner.role, q.low, q.best, q.high, _category(m.group("np")),
                                   sentence[q.start : partner.end], q.start, partner.end, q.vague, group=gid))
        used.append((q.start, q.end))
    for c in list(out):  # object lists: "killing two embassy employees and four Afghans"
        if c.group is not None or c.subset or c.role == "combined":
            continue
        m = _AND_MORE.match(sentence[c.end :])
        if not m:
            continue
        n = _count_of(m.group("n"))
        if n is None or n.best is None or _overlaps(used, c.end + m.start("n"), c.end + m.end("n")):
            continue
        gid = hash((sentence, c.start, "and"))
        end = c.end + m.end()
        out[out.index(c)] = dataclasses.replace(c, group=gid)
        out.append(CasualtyMention(c.role, n.low, n.best, n.high, _category(m.group("np")), sentence[c.end:end].strip(" ,"),
                                   c.end + len(sentence[c.end:end]) - len(sentence[c.end:end].lstrip(" ,")), end, group=gid))
        used.append((c.end, end))


def _revised(sentence: str, out: list[CasualtyMention], used) -> None:
    """Revised tolls: "the death toll rose to 34", "lowered ... to 34, from 48"."""
    for m in _REVISED.finditer(sentence):
        q = find_quantities(m.group("n"))
        if not q or _overlaps(used, m.start("n"), m.end("n")):
            continue
        kind = "old" if m.group("old") else "new"
        noun = re.search(r"toll|number\s+of\s+(?:people\s+|those\s+)?(\w+)", m.group(), re.I)
        what = (m.group("what") or "") + " " + ((noun.group(1) or "") if noun else "")
        role = "wounded" if re.search(r"\b(?:injur|wound)", what, re.I) else "killed"
        out.append(CasualtyMention(role, q[0].low, q[0].best, q[0].high, "", m.group(), m.start(), m.end(), revision=kind))
        used.append((m.start(), m.end()))


def _named_victims(sentence: str, out: list[CasualtyMention], used) -> None:
    """One victim per noun: "killed the provincial police chief", "a guard and a woman"."""
    for m in _NAMED_VICTIM.finditer(sentence):
        if _overlaps(used, m.start(), m.end()):
            continue
        n = 1 + len(re.findall(r"\band\b", m.group("more") or ""))
        role = "wounded" if re.match(r"wound|injur", m.group("verb"), re.I) else "killed"
        cat = "combatant" if re.search(r"police|commander|guard|army|soldier", m.group(), re.I) else ""
        if m.group("resp"):
            out.extend(CasualtyMention(role, 1, 1, 1, cat, m.group(), m.start(), m.end(), share_of=-1) for _ in range(n))
            continue
        extra = _AND_MORE.match(sentence[m.end() :])
        q = _count_of(extra.group("n")) if extra else None
        if q is not None and q.best is not None:  # "the minister ... and two other people"
            end = m.end() + extra.end()
            out.append(CasualtyMention(role, n + (q.low or 0), n + q.best, n + (q.high or q.best), cat,
                                       sentence[m.start():end], m.start(), end))
            used.append((m.start(), end))
        else:
            out.append(CasualtyMention(role, n, n, n, cat, m.group(), m.start(), m.end()))
            used.append((m.start(), m.end()))


def _count_of(words: str) -> Quantity | None:
    """The count a short phrase gives: "two", "at least 4", "a" (one)."""
    if re.fullmatch(r"an?|one", words.strip(), re.I):
        return Quantity(1, 1, 1, words, 0, len(words))
    q = find_quantities(words)
    return q[0] if q else None


def _named_subjects(sentence: str, out: list[CasualtyMention], used) -> None:
    """Named victims as the subject: "a security guard of the embassy and a woman had been killed"."""
    for m in _NAMED_SUBJECT.finditer(sentence):
        if _overlaps(used, m.start(), m.end()):
            continue
        n = 1 + len(re.findall(r"\band\b", m.group("np")))
        role = "wounded" if re.match(r"wound|injur", m.group("verb"), re.I) else "killed"
        out.append(CasualtyMention(role, n, n, n, _category(m.group("np")), m.group(), m.start(), m.end()))
        used.append((m.start(), m.end()))


def _claimed(sentence: str, c: CasualtyMention) -> CasualtyMention:
    """A toll the perpetrator claims ("saying it had killed 45") is propaganda: its
    category becomes ``"claimed"`` and it is noted, never counted."""
    if _CLAIMED_TOLL.search(sentence[max(0, c.start - 70) : c.start]):
        return dataclasses.replace(c, category="claimed")
    return c


_NOT_SUBJECT = re.compile(
    r"\b(?:and|or|but)\s*$|\b(?:killed|killing|injured|wounded|attacked|exploded|said|says|told|that|which|who|while|"
    r"when|after|before|because|operations?|houses|homes|vehicles|cars|shops|buildings|guns|weapons|landmines|bombs|"
    r"rockets|mortars|grenades|years?|inmates\s+escaped|families)\b",
    re.I,
)
_EXTRA = re.compile(r"\b(?:others?|more)\b|\balso\b", re.I)
_ADJECTIVAL = re.compile(
    rf"^\s+(?:(?P<more>more\s+|others?\s+)(?P<verb>wounded|injured|dead)\b|(?P<verb2>wounded|injured|dead)\s+(?:{_PERSON})\b)",
    re.I,
)
_AND_MORE = re.compile(
    r"(?:\s+of\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:province|city|district|[A-Z][\w’'-]*))?)?"
    r"(?:,\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3},)?,?\s+and\s+(?P<n>(?:at\s+least\s+|more\s+than\s+)?(?:\d[\d,]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|[a-z]+teen|twenty|thirty|forty|fifty)(?:[\s-]+\w+)?)\s+(?P<np>(?:other\s+|more\s+)?(?:[\w’'-]+\s+){0,3}?"
    rf"(?:{_PERSON}|guard|policeman|soldier|woman|man|child|person|driver|colleague)s?)\b",
    re.I,
)
_VICTIM_NOUN = (
    r"(?:guard|woman|man|child|boy|girl|policeman|soldier|official|governor|minister|commander|cleric|imam|"
    r"journalist|reporter|driver|worshipp?er|civilian|employee|diplomat|judge|doctor|teacher|student|member|chief)"
)
_NAMED_SUBJECT = re.compile(
    rf"\b(?P<np>(?:an?|the|one)\s+(?:[\w’'-]+\s+){{0,3}}?{_VICTIM_NOUN}(?:\s+of\s+(?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+){{0,2}}?)?"
    rf"(?:,?\s+and\s+(?:an?|the|his|her|one)\s+(?:[\w’'-]+\s+){{0,3}}?{_VICTIM_NOUN})+)\s+"
    r"(?:had\s+been|have\s+been|has\s+been|were|was|are)\s+(?:\w+ly\s+)?(?P<verb>killed|wounded|injured)\b",
    re.I,
)
_CLAIMED_TOLL = re.compile(
    r"\b(?:its|the\s+(?:militant\s+|jihadist\s+)?group['’]s|their)\s+(?:own\s+)?(?:statement|claim|account)\b[^.]{0,40}$"
    r"|\bsaying\s+(?:it|they)\s+had\b[^.]{0,30}$|\bwhich\s+(?:it|they)\s+(?:said|claimed)\s+(?:had\s+)?\w*\s*$"
    r"|\b(?:it|they|the\s+group)\s+(?:said|claimed)\s+(?:it|they)\s+(?:had\s+)?(?:killed|wounded|killed\s+or\s+wounded)\s*$"
    r"|\bclaimed\s+(?:to\s+have\s+)?(?:killed|wounded)\s*$",
    re.I,
)


_TOLL_NOUN = r"(?:(?:death|casualty|injury)\s+)?toll|number\s+of\s+(?:people\s+|those\s+)?(?:killed|dead|deaths|injured|wounded)"
_REVISED = re.compile(
    rf"(?:(?:(?P<what>death|injur\w*|wounded)\s+)?(?:{_TOLL_NOUN})(?:\s+(?:from|of|in)\s+[^.;]{{0,120}}?)?\s+(?:has\s+|had\s+|have\s+)?"
    r"(?:rose|risen|climbed|increased|jumped|reached|rises|climbs|stood\s+at|stands\s+at|touched|grew)\s+(?:to\s+)?"
    rf"|\b(?:lowered|reduced|revised\s+(?:down|up)?|cut|raised|increased|put|brought)\s+(?:the\s+)?(?:{_TOLL_NOUN})"
    r"(?:\s+(?:from|of|in)\s+[^.;]{0,120}?)?\s+(?:to|at)\s+"
    rf"|\b(?:raised|lowered|revised|put)\s+(?:to|at)\s+(?=\S+\s+(?:the\s+)?(?:{_TOLL_NOUN}))"
    r"|(?P<old>(?:revised|revising)\s+(?:down|up|downward|upward)\s+from\s+|(?:raising|revising|raised|revised)\s+(?:an?|the)\s+"
    r"(?:earlier|previous|initial)\s+(?:death\s+)?toll\s+of\s+|,?\s+from\s+(?=\S+(?:\s+\S+)?\s+(?:given|reported|announced)\s+"
    r"(?:earlier|before|previously|initially))))"
    rf"(?P<n>(?:at\s+least\s+|more\s+than\s+)?{NUMBER_PATTERN})",
    re.I,
)


def _carry_category(previous: list[CasualtyMention], role: str) -> str:
    """"one worshiper was killed and two others were injured": "others" are like the first."""
    for c in reversed(previous):
        if c.category and c.category != "perpetrator":
            return c.category
    return ""
