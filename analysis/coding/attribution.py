"""Perpetrator and attribution cues.

:func:`find_groups` finds the armed groups a sentence names (ISKP under any of its
names, the Taliban, the Haqqani Network, TTP, al-Qaeda, Hizb-e-Islami).
:func:`find_attribution` reads the cues that say who did it and how sure the report
is, one :class:`AttributionCue` per cue:

===================================================  ============  =====================
cue                                                   attribution   perpetrator
===================================================  ============  =====================
"X claimed responsibility", "X claimed the attack",   claimed       X
"an attack claimed by X", "X said its fighters
carried out the raid", "X said it was behind it",
"X fighters carried out the attack, the group said"
"Y attributed this attack to X", "Y blamed X",        attributed    X
"X carried out the attack", "X militants stormed"
"joint operation by X and Y"                          attributed    "Taliban and/or ISKP"
"suspected X militants"                               suspected     X
"X denied any involvement" (a denial by X),           disputed      --
"views the claim with suspicion" (a doubt)
"no group has claimed", "no immediate claim"          unclaimed     unknown
"not clear which group"                               unknown       unknown
"most of these attacks are carried out by X",         (a general remark: noted, not coded)
"X has claimed similar attacks"
===================================================  ============  =====================

"The group", "the militant group" and "the same group" stand for the group named last
before the sentence (``context``). Who *speaks* is not who acted: "a Taliban spokesman
said ..." names no perpetrator; only a group that is the subject of an attack verb, or
that claims, is one.

:func:`resolve_attribution` combines an event's cues by the codebook's rules: a claim
stays ``claimed`` when a rival group denies any role, and becomes ``disputed`` when an
authority doubts it or blames another group; blame split between the Taliban and ISKP
(a joint operation, or each blamed by someone) is ``Taliban and/or ISKP``, disputed; an
attribution the accused group denies is disputed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["AttributionCue", "find_attribution", "find_groups", "resolve_attribution"]

_GROUPS: list[tuple[str, str]] = [
    ("TTP", r"Tehri[kq]-?[ei]?-?\s*Taliban(?:\s+Pakistan)?|Pakistani\s+Taliban|\bTTP\b"),
    ("Haqqani Network", r"Haqqani\s+[Nn]etwork"),
    (
        "ISKP",
        r"\bIS-?KP\b|\bISIS-?K\b|\bIS-?K\b|\bISIL-?K\b|Islamic\s+State[\s-]+(?:in\s+|of\s+)?(?:the\s+)?Khora?s[ae]n(?:\s+Province)?|"
        r"Islamic\s+State[\s-]+Khorasan|\bKhora?san\s+(?:Province|branch)\b|Wilayat\s+Khorasan|\bDaesh\b|\bDaish\b|\bISIS\b|\bISIL\b|"
        r"\bIsis\b|Islamic\s+State(?:\s+group)?|\bIS\b",
    ),
    ("Taliban", r"\bTaliban\b|\bTaleban\b|Islamic\s+Emirate"),
    ("al-Qaeda", r"\bal[- ]Qa[e']?ida\b|\bAl[- ]Qaeda\b"),
    ("Hizb-e-Islami", r"Hizb-?e-?Islami|Hezb-?e-?Islami"),
]
_GROUP_RE = [(name, re.compile(pat, re.I if name != "ISKP" else 0)) for name, pat in _GROUPS]
_ANY_GROUP = "|".join(f"(?:{p})" for _, p in _GROUPS)
_THE_GROUP = re.compile(
    r"\b(?:the|this|that)\s+(?:same\s+)?(?:militant\s+|jihadist\s+|extremist\s+|terrorist\s+|armed\s+)?group\b"
    r"|\bthe\s+(?:jihadists|militants|extremists)\b",
    re.I,
)
_JOINT_GROUP = "Taliban and/or ISKP"


def find_groups(text: str) -> list[tuple[str, int, int]]:
    """Named armed groups in ``text``: (canonical name, start, end), in order."""
    out: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []
    for name, pat in _GROUP_RE:
        for m in pat.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            out.append((name, m.start(), m.end()))
    return sorted(out, key=lambda g: g[1])


@dataclass(frozen=True)
class AttributionCue:
    """One cue: its kind (claimed / attributed / suspected / disputed / unclaimed /
    unknown), the group it names (or ``None``) and the exact span."""

    kind: str
    group: str | None
    text: str
    start: int
    end: int
    general: bool = False  # a remark about attacks in general, not this one


def _group_in(text: str, context: str | None = None) -> str | None:
    names = list(dict.fromkeys(g[0] for g in find_groups(text)))
    if {"ISKP", "Taliban"} <= set(names) and re.search(r"\b(?:and|joint|together|with)\b", text):
        return _JOINT_GROUP
    if names:
        return names[0]
    return context if context and _THE_GROUP.search(text) else None


_ATTACK_OBJ = (
    r"(?:the\s+|this\s+|that\s+|both\s+|either\s+|its\s+|[A-Z]\w+day'?s\s+|yesterday'?s\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:attacks?|bombings?|blasts?|explosions?|assault|raid|strike|shooting|killing|ambush|siege|massacre)"
)
_NO_CLAIM = re.compile(
    r"\bno\s+(?:one|individual|group|organi[sz]ation|party)(?:\s+or\s+(?:group|individual|organi[sz]ation))?\s+"
    r"(?:has\s+|had\s+|have\s+)?(?:yet\s+|immediately\s+|so\s+far\s+|ever\s+)?(?:claimed|taken|accepted|said\s+it\s+was\s+behind|"
    r"said\s+it\s+carried)"
    r"|\bnobody\s+(?:has\s+|had\s+)?claimed|\b(?:was|were|has\s+been|remains?)\s+(?:not\s+)?(?:yet\s+)?unclaimed\b"
    r"|\bno\s+(?:immediate\s+)?claim\s+of\s+responsibility|\bhas\s+not\s+been\s+claimed|\bnot\s+claimed\b"
    r"|\bthere\s+(?:was|has\s+been)\s+no\s+(?:immediate\s+)?claim\b",
    re.I,
)
_UNCLEAR = re.compile(
    r"\bnot\s+(?:yet\s+)?(?:clear|known)\s+(?:which|who|what)\s+(?:group|attacked|was\s+behind|carried)"
    r"|\bdid\s+not\s+know\s+who\s+was\s+(?:responsible|behind)",
    re.I,
)
_CLAIM = re.compile(
    r"(?P<who>(?:[\w’'-]+\s+){0,7}?)(?:has\s+|had\s+|have\s+|later\s+|quickly\s+|swiftly\s+|also\s+|since\s+)*"
    rf"(?:claimed|claims|claiming)\s+(?:responsibility|credit|{_ATTACK_OBJ})"
    r"|(?P<who2>(?:[\w’'-]+\s+){0,7}?)(?:took|takes|has\s+taken|had\s+taken)\s+(?:responsibility|credit)"
    r"|(?:responsibility\s+(?:was|has\s+been)\s+claimed\s+by|\bclaimed\s+by)\s+(?P<by>(?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+){0,5})",
    re.I,
)
# indirect speech: "X said (on Friday) (that) its fighters carried out ...", "X said it was behind"
_OWN_VERB = (
    r"(?:had\s+|has\s+|have\s+)?(?:carried\s+out|conducted|detonated|set\s+off|attacked|stormed|blew|planted|targeted|"
    r"shot|fired|opened\s+fire|launched|killed|struck|sent|bombed|raided|ambushed|blew\s+up)"
)
_SAID_OWN = re.compile(
    r"(?P<who>(?:[\w’'-]+\s+){0,7}?)(?:said|says|announced|stated|declared|claimed)\b(?P<mid>[^.;]{0,70}?)"
    r"\b(?:(?:its|their|the\s+group['’]s)\s+(?:[\w-]+\s+){0,2}(?:fighters?|members?|militants?|men|bombers?|attackers?|"
    rf"mujahideen|suicide\s+bombers?)\s+(?:[\w-]+\s+){{0,2}}?{_OWN_VERB}"
    rf"|(?:one\s+of\s+(?:its|their)\s+\w+|(?:a|one)\s+(?:member|fighter|militant)\s+of\s+the\s+group)\s+(?:[\w-]+\s+){{0,2}}?{_OWN_VERB}"
    r"|(?:it|they)\s+(?:was|were|had\s+been)\s+(?:behind|responsible)"
    rf"|(?:it|they)\s+{_OWN_VERB})",
    re.I,
)
_GROUP_SAID = re.compile(r",\s*(?:the\s+(?:militant\s+|jihadist\s+)?group|it|they)\s+said\b|\bthe\s+group\s+said\s+in\s+a\s+statement", re.I)
_ATTRIBUTED = re.compile(
    r"(?:attributed|blamed|pinned)\s+(?:this|the|that|it|[\w\s]{0,30}?)\s*(?:attack|bombing|blast|explosion|killing|incident)?\s*(?:on|to)\s+(?P<g1>(?:the\s+)?[\w-]+(?:\s+[\w-]+){0,5})"
    r"|(?:blamed|blaming|accused|accusing|pointed\s+(?:the\s+finger\s+)?at|pointed\s+to)\s+(?P<g2>(?:the\s+)?[\w’'-]+(?:\s+[\w-]+){0,4})"
    r"|(?P<g3>(?:the\s+)?[\w-]+(?:\s+[\w-]+){0,3})\s+(?:was|were|is|are)\s+(?:behind|responsible\s+for)\s+(?:the|this|that|it)",
    re.I,
)
_GENERAL = re.compile(
    r"\b(?:most|many|some)\s+(?:of\s+)?(?:these|such|the)\s+attacks\s+(?:are|were|have\s+been)\s+(?:carried\s+out|claimed|conducted|perpetrated)\s+by\s+(?P<g>(?:the\s+)?[\w-]+(?:\s+[\w()-]+){0,6})"
    r"|\b(?:has|have|had)\s+(?:\w+ly\s+)?(?:claimed|carried\s+out)\s+(?:similar|earlier|previous|past|other|several|many|a\s+number\s+of|such)\s+(?:\w+\s+)?attacks"
    r"|\b(?:has|have|had)\s+(?:frequently|often|repeatedly|regularly|previously|long|in\s+the\s+past)\s+(?:targeted|attacked|struck)"
    r"|\b(?:frequently|often|repeatedly|regularly)\s+(?:targets|targeted|attacks)\b"
    r"|\b(?:noted|known)\s+(?:as|for)\s+(?:having\s+)?(?:targeting|attacking|claiming)",
    re.I,
)
_SUSPECTED = re.compile(
    r"\bsuspected\s+(?P<g1>[\w-]+(?:\s+[\w-]+){0,2})\s+(?:militants|fighters|insurgents|attackers|members|bombers?|gunmen)"
    r"|\bhallmarks\s+of\s+(?P<g2>(?:the\s+)?[\w-]+(?:\s+[\w-]+){0,3})"
    r"|\bsuspected\s+(?:of\s+)?(?:being\s+)?(?:behind|responsible)\s+[\w\s]{0,20}?\b(?P<g3>[\w-]+)",
    re.I,
)
_DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|rejected|rejects|dismissed|dismissing|disavowed)\s+(?:any\s+|all\s+)?(?:involvement|responsibility|role|the\s+claim|allegations|a\s+role|the\s+allegation|claims?|its\s+involvement|that\s+it|the\s+accusation|any\s+part|part|firing|carrying|being)"
    r"|\b(?:said|says)\s+(?:they|it)\s+(?:were|was|had)\s+not\s+involved|\bhad\s+nothing\s+to\s+do\s+with\b|\bhad\s+no\s+(?:part|role)\s+in\b|\bwere\s+not\s+involved\b"
    r"|\bdisavowed\b",
    re.I,
)
_DOUBT = re.compile(
    r"\bwith\s+suspicion\b|\bverify\s+the\s+(?:[\w-]+\s+)?claim\b|\bdoubts?\s+(?:about|over|on)\s+the\s+claim|\bcould\s+not\s+be\s+(?:independently\s+)?verified\b",
    re.I,
)
_JOINT = re.compile(r"\bjoint\s+(?:operation|attack|assault|offensive)\b|\bjointly\b|\bteamed\s+up\b|\bcooperation\s+between\b", re.I)
_AGENT = re.compile(
    rf"(?P<g>{_ANY_GROUP})(?:[’']s?)?\s+(?:(?:[\w-]+\s+){{0,2}}(?:militants|fighters|gunmen|members|insurgents|attackers|bombers?|terrorists|loyalists|jihadists|operatives)\s+)?"
    r"(?:have\s+|had\s+|has\s+)?(?:carried\s+out|conducted|launched|perpetrated|staged|killed|attacked|raided|plotted|stormed|"
    r"set\s+off|detonated|fired|targeted|struck|ambushed|shot)\b",
)


def _cue(kind: str, group: str | None, sentence: str, start: int, end: int, general: bool = False) -> AttributionCue:
    return AttributionCue(kind, group, sentence[start:end], start, end, general)


def _claims(sentence: str, context: str | None) -> list[AttributionCue]:
    out = []
    for m in _CLAIM.finditer(sentence):
        who = m.group("by") or m.group("who") or m.group("who2") or ""
        g = _group_in(who, context)
        if g is None and not m.group("by"):  # "Although the ISKP has claimed ...": the group precedes
            g = _group_in(sentence[max(0, m.start() - 60) : m.end()], context)
        if g is not None:
            lead = re.match(r"\s*(?:(?:although|though|but|and|while|however|since|as|because|the|later|a)\s+)*", m.group(), re.I)
            out.append(_cue("claimed", g, sentence, m.start() + (lead.end() if lead else 0), m.end()))
    for m in _SAID_OWN.finditer(sentence):
        g = _group_in(m.group("who"), context)
        if g is not None and not re.search(r"\b(?:officials?|ministry|police|governor|government)\b", m.group("who"), re.I):
            out.append(_cue("claimed", g, sentence, m.start("who") + len(m.group("who")) - len(m.group("who").lstrip()), m.end()))
    return out


def _blame(sentence: str, context: str | None) -> list[AttributionCue]:
    out = []
    for m in _ATTRIBUTED.finditer(sentence):
        g = _group_in(m.group("g1") or m.group("g2") or m.group("g3") or "", context)
        if g is not None:
            out.append(_cue("attributed", g, sentence, m.start(), m.end()))
    for m in _SUSPECTED.finditer(sentence):
        g = _group_in(m.group("g1") or m.group("g2") or m.group("g3") or "")
        if g is not None:
            out.append(_cue("suspected", g, sentence, m.start(), m.end()))
    for m in _JOINT.finditer(sentence):
        if _group_in(sentence) == _JOINT_GROUP:
            out.append(_cue("attributed", _JOINT_GROUP, sentence, m.start(), m.end()))
    if not out:
        m = _AGENT.search(sentence)
        if m is not None and not re.search(r"\b(?:by|against|on)\s+(?:the\s+)?$", sentence[: m.start()]):
            kind = "claimed" if _GROUP_SAID.search(sentence[m.end() :]) else "attributed"
            out.append(_cue(kind, _group_in(m.group("g")), sentence, m.start(), m.end()))
    return out


def _contests(sentence: str, context: str | None) -> list[AttributionCue]:
    out = []
    for m in _DENIAL.finditer(sentence):
        before = sentence[max(0, m.start() - 60) : m.start()]
        groups = find_groups(before)
        g = groups[-1][0] if groups else (context if re.search(r"\b(?:insurgents|militants|they|the\s+group)\b", before, re.I) else None)
        out.append(_cue("denied", g, sentence, m.start(), m.end()))
    for m in _DOUBT.finditer(sentence):
        out.append(_cue("disputed", None, sentence, m.start(), m.end()))
    return out


def find_attribution(sentence: str, context: str | None = None) -> list[AttributionCue]:
    """Attribution cues in one sentence (see the module table); ``context`` is the group
    named last before it, for "the group" and "the militants"."""
    out = [_cue("unclaimed", None, sentence, m.start(), m.end()) for m in _NO_CLAIM.finditer(sentence)]
    out += [_cue("unknown", None, sentence, m.start(), m.end()) for m in _UNCLEAR.finditer(sentence)]
    for m in _GENERAL.finditer(sentence):
        g = _group_in(m.group("g")) if m.group("g") else None
        out.append(_cue("suspected", g, sentence, m.start(), m.end(), general=True))
    general = [(c.start, c.end) for c in out if c.general]
    for c in _claims(sentence, context) + _blame(sentence, context):
        if not any(c.start < e and s < c.end for s, e in general) and not any(
            o.kind == c.kind and o.group == c.group and o.start < c.end and c.start < o.end for o in out
        ):
            out.append(c)
    out += _contests(sentence, context)
    return sorted(out, key=lambda c: c.start)


_STRENGTH = {"claimed": 5, "attributed": 4, "suspected": 3, "unclaimed": 2, "unknown": 1}


def _result(group: str, kind: str, cues: list[AttributionCue], notes: list[str]) -> dict[str, object]:
    return {"perpetrator": group, "attribution": kind,
            "evidence_perpetrator": " | ".join(dict.fromkeys(c.text for c in cues)) or None, "notes": notes}


def resolve_attribution(cues: list[AttributionCue]) -> dict[str, object]:
    """Combine an event's cues into ``perpetrator``, ``attribution``,
    ``evidence_perpetrator`` and ``notes`` (see the module docstring)."""
    specific = [c for c in cues if not c.general]
    notes = [f"general remark, not coded: {c.text}" for c in cues if c.general]
    claims = [c for c in specific if c.kind == "claimed" and c.group]
    blames = [c for c in specific if c.kind == "attributed" and c.group]
    denials = [c for c in specific if c.kind == "denied"]
    doubts = [c for c in specific if c.kind == "disputed"]
    named = {c.group for c in claims + blames}
    if _JOINT_GROUP in named or ({"Taliban", "ISKP"} <= named and not claims):
        ev = [c for c in claims + blames if c.group in (_JOINT_GROUP, "Taliban", "ISKP")] + denials
        return _result(_JOINT_GROUP, "disputed", ev, notes)
    if claims or blames:
        top = claims[0] if claims else blames[0]
        others = [c for c in blames if c.group != top.group]
        own_denial = [d for d in denials if d.group == top.group and not claims]
        contest = doubts + others + own_denial
        kind = "disputed" if contest else ("claimed" if claims else "attributed")
        return _result(top.group, kind, [top, *contest], notes)
    suspects = [c for c in specific if c.kind == "suspected" and c.group]
    if suspects:
        return _result(suspects[0].group, "suspected", suspects[:1], notes)
    neg = [c for c in specific if c.kind in ("unclaimed", "unknown")]
    if neg:
        top = max(neg, key=lambda c: _STRENGTH[c.kind])
        return _result("unknown", top.kind, [top], notes)
    return _result("unknown", "unknown", [], notes)
