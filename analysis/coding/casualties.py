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

_KILL = r"(?:killed|dead|died|slain|martyred|lost\s+(?:their|his|her)\s+li(?:ves|fe)|deaths?|fatalities)"
_WOUND = r"(?:injured|wounded|hurt|injuries|wounds)"
_AUX = r"(?:were|was|have\s+been|has\s+been|had\s+been|are|is|got|been|being|to\s+have\s+been|reportedly|reported|believed|confirmed|also|later|all|both)"

_PERSON = (
    r"people|persons?|civilians?|others?|men|women|children|child|kids|babies|students?|worshipp?ers?|"
    r"members?|fighters?|forces|soldiers?|policem[ae]n|police|officers?|guards?|bodyguards?|personnel|"
    r"troops|militants?|attackers?|assailants?|gunm[ae]n|bombers?|insurgents?|terrorists?|staff|"
    r"employees|workers|journalists?|reporters?|passengers|residents|villagers|victims|officials?|"
    r"girls|boys|Hazaras?|Shi[i’']+tes?|Sikhs?|Hindus?|pilgrims|relatives|family|"
    r"Taliban|Taleban|commanders?|diplomats?|foreigners|nationals|citizens|teachers|doctors|"
    r"worshiper|Afghans|individuals|security|militiam[ae]n|recruits|cadets|mourners|spectators|"
    r"fans|athletes|shoppers|labou?rers|prisoners|inmates|patients|nurses|engineers|deminers"
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


def find_casualties(sentence: str) -> list[CasualtyMention]:
    """Casualty figures in one sentence (see the module docstring for the rules)."""
    out: list[CasualtyMention] = []
    used: list[tuple[int, int]] = []
    quantities = find_quantities(sentence)
    for q in quantities:
        if any(q.start < e and s < q.end for s, e in used):
            continue
        after = sentence[q.end : q.end + 160]
        before = sentence[max(0, q.start - 60) : q.start]
        if _NOT_COUNT_AFTER.match(after) or _TIME_UNIT_AFTER.match(after):
            continue
        if _is_year(q) and not re.match(rf"^\s+(?:{_PERSON})\b", after, re.I):
            continue
        if re.search(r"(?:\b(?:No\.|number|ID|district|Resolution|page|route|highway)|#)\s*:?\s*$", before, re.I):
            continue
        # "44 of the 50 victims were (believed to be) civilians"
        m = _SHARE.match(after)
        if m:
            total = find_quantities(m.group("total"))
            if total and total[0].value is not None:
                what = m.group("what").lower()
                role = "wounded" if what in ("injured", "wounded") else "killed"
                cat = _category(m.group("rest")) or "civilian"
                cm = re.search(r"\b(?:civilians?|children|women|combatants|soldiers|fighters|members|police\w*)\b", m.group("rest"), re.I)
                end = q.end + (m.start("rest") + cm.end() if cm else m.end("what"))
                out.append(
                    CasualtyMention(
                        role, total[0].low, total[0].best, total[0].high, cat,
                        sentence[q.start:end], q.start, end, share_of=None,
                    )
                )
                out.append(
                    CasualtyMention(
                        role, q.low, q.best, q.high, cat, sentence[q.start:end], q.start, end,
                        subset=True, share_of=total[0].value,
                    )
                )
                used.append((q.start, end))
                continue
        # "20 children are among the dead"
        m = _SUBSET.match(after)
        if m:
            what = sentence[q.end : q.end + m.end()].lower()
            role = "wounded" if re.search(r"injured|wounded\s*$", what) else "killed"
            end = q.end + m.end()
            out.append(
                CasualtyMention(role, q.low, q.best, q.high, _category(m.group("np")), sentence[q.start:end],
                                q.start, end, q.vague, subset=True)
            )
            used.append((q.start, end))
            continue
        # "Among the dead were 73 civilians and 23 Taliban members"
        am = None
        for a in _AMONG.finditer(sentence[: q.start]):
            am = a
        if am is not None and re.fullmatch(r"[\s\w,]*", sentence[am.end() : q.start]) and len(sentence[am.end() : q.start]) < 60:
            np = re.match(r"\s*([\w\s’'-]{0,40}?)(?=,|\band\b|\.|$)", after)
            role = "wounded" if am.group("what").lower() in ("injured", "wounded") else "killed"
            npt = np.group(1) if np else ""
            end = q.end + (np.end(1) if np else 0)
            out.append(
                CasualtyMention(role, q.low, q.best, q.high, _category(npt) or "", sentence[q.start:end],
                                q.start, end, q.vague, subset=True)
            )
            used.append((q.start, end))
            continue
        # subject: "at least 53 people were killed", "dozens dead and injured"
        m = _SUBJ.match(after)
        if m:
            np, verb, rest = m.group("np"), m.group("verb").lower(), m.group("rest")
            between = after[: m.start("verb")]
            passive = re.search(rf"\b(?:{_AUX})\b", between, re.I) is not None
            intransitive = re.match(r"(?:dead|died|slain|martyred|lost|deaths?|fatalities|injuries|hurt)", verb) is not None
            short_headline = len(np.split()) <= 2 and re.match(r"^\s*(?:in|as|after|when|during|,|$|and|by|on|at)", rest or "")
            person = not np.strip() or _PERSON_RE.search(np) is not None
            clean_np = not re.search(r"\b(?:and|or|but)\s*$", np) and not re.search(
                r"\b(?:killed|killing|injured|wounded|attacked|exploded|said|says|told|that|which|who|while|when|after|before|because|operations?|houses|homes|vehicles|cars|shops|buildings|guns|weapons|landmines|bombs|rockets|mortars|grenades|years?)\b",
                np, re.I,
            )
            if person and clean_np and (passive or intransitive or short_headline) and not re.search(r"\d", np):
                if verb.startswith(("death", "fatal")) and np.strip():
                    pass
                combined = _COMBINED_AFTER.match(rest or "") is not None and (
                    re.match(_KILL, verb) is not None
                ) != (re.match(_WOUND, _COMBINED_AFTER.match(rest).group().split()[-1]) is None)
                role = "combined" if combined else ("wounded" if re.match(_WOUND, verb) else "killed")
                end = q.end + m.end("verb")
                if combined:
                    end = q.end + m.end("verb") + _COMBINED_AFTER.match(rest).end()
                cat = _category(np)
                if not np.strip() or re.fullmatch(r"\s*others?\s*", np):
                    cat = _carry_category(out, role)
                out.append(
                    CasualtyMention(role, q.low, q.best, q.high, cat, sentence[q.start:end], q.start, end, q.vague)
                )
                used.append((q.start, end))
                continue
        # object: "killed more than 50 men, women and children", "injured 18 others"
        b = _OBJ_BEFORE.search(before)
        if b:
            np = re.match(r"^\s*(?:of\s+)?(?P<np>(?:[\w’'()-]+,?\s+){0,6}?[\w’'()-]+)?(?=$|[\s,.;])", after)
            npt = (np.group("np") or "") if np else ""
            verb = b.group("verb").lower()
            first_words = " ".join(re.split(r"[.;]", after, maxsplit=1)[0].split()[:7]) or npt
            if verb in ("left", "leaving", "leaves", "claimed"):
                tail = re.match(rf"^\s*(?:[\w’'-]+\s+){{0,5}}?(?P<v>{_KILL}|{_WOUND})\b(?P<c>\s*(?:and|or)\s+(?:{_WOUND}|{_KILL}))?", after, re.I)
                if not tail:
                    continue
                role = "combined" if tail.group("c") else ("wounded" if re.match(_WOUND, tail.group("v"), re.I) else "killed")
                end = q.end + tail.end()
                start = q.start - (len(before) - b.start())
                out.append(CasualtyMention(role, q.low, q.best, q.high, _category(tail.group()), sentence[start:end], start, end, q.vague))
                used.append((start, end))
                continue
            if not _PERSON_RE.search(first_words) and not re.match(r"^\s*(?:,|\.|$|in\b|and\b|on\b|at\b)", after):
                continue
            if re.match(r"^\s*(?:times|years|houses|vehicles)", after, re.I):
                continue
            role = "wounded" if re.match(r"injur|wound", verb) else "killed"
            npm = re.match(r"^\s*(?:of\s+)?((?:[\w’'-]+,?\s+){0,5}?(?:" + _PERSON + r")(?:\s+of\s+(?:the\s+)?[\w’'-]+)?)\b", after, re.I)
            end = q.end + (npm.end() if npm else 0)
            start = q.start - (len(before) - b.start())
            cat = _category(npm.group(1)) if npm else ""
            if npm and re.fullmatch(r"\s*others?\s*", npm.group(1)):
                cat = _carry_category(out, role)
            out.append(CasualtyMention(role, q.low, q.best, q.high, cat, sentence[start:end], start, end, q.vague))
            used.append((start, end))
            continue
    # coordinated subjects: "141 civilians and 21 Taliban fighters were wounded"
    for q in quantities:
        if any(q.start < e and s < q.end for s, e in used):
            continue
        m = re.match(r"\s+(?P<np>[\w’'\s-]{1,40}?)\s*(?:,|\band\b)\s+", sentence[q.end :])
        if not m or not _PERSON_RE.search(m.group("np")):
            continue
        nxt = q.end + m.end()
        partner = next((c for c in out if c.start == nxt and not c.subset), None)
        if partner is None or not any(qq.start == nxt for qq in quantities):
            continue
        out.remove(partner)
        gid = hash((sentence, q.start))
        out.append(dataclasses.replace(partner, group=gid))
        out.append(
            CasualtyMention(partner.role, q.low, q.best, q.high, _category(m.group("np")),
                            sentence[q.start : partner.end], q.start, partner.end, q.vague, group=gid)
        )
        used.append((q.start, q.end))
    # revised tolls: "the death toll rose to 34", "revised down from 48", "an earlier toll of five"
    for m in _REVISED.finditer(sentence):
        q = find_quantities(m.group("n"))
        if not q or any(m.start("n") < e and s < m.end("n") for s, e in used):
            continue
        kind = "old" if m.group("old") else "new"
        role = "wounded" if m.group("what") and re.match(r"(?:injur|wound)", m.group("what"), re.I) else "killed"
        out.append(CasualtyMention(role, q[0].low, q[0].best, q[0].high, "", m.group(), m.start(), m.end(), revision=kind))
        used.append((m.start(), m.end()))
    # one named victim per noun: "killed the provincial police chief"
    for m in _NAMED_VICTIM.finditer(sentence):
        if any(m.start() < e and s < m.end() for s, e in used):
            continue
        n = 1 + len(re.findall(r"\band\b", m.group("more") or ""))
        role = "wounded" if re.match(r"wound|injur", m.group("verb"), re.I) else "killed"
        cat = "combatant" if re.search(r"police|commander|guard|army|soldier", m.group(), re.I) else ""
        if m.group("resp"):
            for _ in range(n):
                out.append(CasualtyMention(role, 1, 1, 1, cat, m.group(), m.start(), m.end(), subset=False, share_of=-1))
        else:
            out.append(CasualtyMention(role, n, n, n, cat, m.group(), m.start(), m.end()))
    return sorted(out, key=lambda c: c.start)


_REVISED = re.compile(
    rf"(?:(?:(?P<what>death|injur\w*|wounded)\s+)?toll\s+(?:has\s+|had\s+)?(?:rose|risen|climbed|increased|jumped|reached|rises|climbs|stood\s+at|stands\s+at)\s+(?:to\s+)?"
    rf"|(?P<old>(?:revised|revising)\s+(?:down|up|downward|upward)\s+from\s+|(?:raising|revising|raised|revised)\s+(?:an?|the)\s+(?:earlier|previous|initial)\s+(?:death\s+)?toll\s+of\s+))"
    rf"(?P<n>(?:at\s+least\s+|more\s+than\s+)?{NUMBER_PATTERN})",
    re.I,
)


def _carry_category(previous: list[CasualtyMention], role: str) -> str:
    """"one worshiper was killed and two others were injured": "others" are like the first."""
    for c in reversed(previous):
        if c.category and c.category != "perpetrator":
            return c.category
    return ""
