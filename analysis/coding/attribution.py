"""Perpetrator and attribution cues.

:func:`find_groups` finds the armed groups a sentence names (ISKP under any of its
names, the Taliban, the Haqqani Network, TTP, al-Qaeda, Hizb-e-Islami).
:func:`find_attribution` reads the cues that say who did it and how sure the report
is, one :class:`AttributionCue` per cue:

==================================================  ============  ======================
cue                                                  attribution   perpetrator
==================================================  ============  ======================
"X claimed responsibility", "an attack claimed by X"  claimed       X
"Y attributed this attack to X", "Y blamed X"         attributed    X
"X carried out the attack", "X militants killed"      attributed    X
"joint operation by X and Y"                          attributed    "Taliban and/or ISKP"
"suspected X militants", "most of these attacks are   suspected     X (only if no other
carried out by X"                                                   cue: see below)
"X denied any involvement", "views the claim with     disputed      (keeps the claimed or
suspicion", "verify the claim"                                      attributed group)
"no individual or group has claimed responsibility",  unclaimed     unknown
"not clear which group"                               unknown       unknown
==================================================  ============  ======================

:func:`resolve_attribution` combines an incident's cues. A denial or doubt turns a
claim or attribution into ``disputed``. Following the bundled dataset's rules, a
general remark ("most of these attacks are carried out by ISKP") next to "no group
has claimed" leaves the incident ``unclaimed`` with an unknown perpetrator, and the
remark goes to the notes.
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
        r"Islamic\s+State[\s-]+Khorasan|\bKhora?san\s+Province\b|Wilayat\s+Khorasan|\bDaesh\b|\bDaish\b|\bISIS\b|\bISIL\b|"
        r"Islamic\s+State(?:\s+group)?|\bIS\b(?=\s+(?:group|militants|fighters|claimed))",
    ),
    ("Taliban", r"\bTaliban\b|\bTaleban\b|Islamic\s+Emirate"),
    ("al-Qaeda", r"\bal[- ]Qa[e']?ida\b|\bAl[- ]Qaeda\b"),
    ("Hizb-e-Islami", r"Hizb-?e-?Islami|Hezb-?e-?Islami"),
]
_GROUP_RE = [(name, re.compile(pat, re.I if name != "ISKP" else 0)) for name, pat in _GROUPS]


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
    unknown / joint), the group it names (or ``None``) and the exact span."""

    kind: str
    group: str | None
    text: str
    start: int
    end: int
    general: bool = False  # a remark about attacks in general, not this one


def _group_in(text: str) -> str | None:
    groups = find_groups(text)
    names = list(dict.fromkeys(g[0] for g in groups))
    if {"ISKP", "Taliban"} <= set(names) and re.search(r"\b(?:and|joint|together|with)\b", text):
        return "Taliban and/or ISKP"
    return names[0] if names else None


_NO_CLAIM = re.compile(
    r"\bno\s+(?:one|individual|group|organi[sz]ation|party)(?:\s+or\s+(?:group|individual|organi[sz]ation))?\s+"
    r"(?:has|had|have)?\s*(?:yet\s+|immediately\s+|so\s+far\s+)?(?:claimed|taken|accepted)\s+(?:responsibility|credit)"
    r"|\bnobody\s+(?:has\s+|had\s+)?claimed|\b(?:was|were|has\s+been|remains?)\s+(?:not\s+)?(?:yet\s+)?unclaimed\b"
    r"|\bno\s+claim\s+of\s+responsibility|\bhas\s+not\s+been\s+claimed",
    re.I,
)
_UNCLEAR = re.compile(r"\bnot\s+(?:yet\s+)?(?:clear|known)\s+(?:which|who|what)\s+(?:group|attacked|was\s+behind|carried)", re.I)
_CLAIM = re.compile(
    r"(?P<who>(?:[\w-]+\s+){0,6}?)(?:has\s+|had\s+|have\s+|later\s+|quickly\s+|swiftly\s+|also\s+)*(?:claimed|claims|claiming)\s+"
    r"(?:responsibility|credit)|(?:responsibility\s+(?:was|has\s+been)\s+claimed\s+by|\bclaimed\s+by)\s+(?P<by>(?:the\s+)?[\w-]+(?:\s+[\w-]+){0,5})",
    re.I,
)
_ATTRIBUTED = re.compile(
    r"(?:attributed|blamed|pinned)\s+(?:this|the|that|it|[\w\s]{0,30}?)\s*(?:attack|bombing|blast|explosion|killing|incident)?\s*(?:on|to)\s+(?P<g1>(?:the\s+)?[\w-]+(?:\s+[\w-]+){0,5})"
    r"|(?:blamed|blaming)\s+(?P<g2>(?:the\s+)?[\w-]+(?:\s+[\w-]+){0,4})\s+for"
    r"|(?P<g3>(?:the\s+)?[\w-]+(?:\s+[\w-]+){0,3})\s+(?:was|were|is|are)\s+(?:behind|responsible\s+for)\s+(?:the|this|that)",
    re.I,
)
_GENERAL = re.compile(
    r"\b(?:most|many|some)\s+(?:of\s+)?(?:these|such|the)\s+attacks\s+(?:are|were|have\s+been)\s+(?:carried\s+out|claimed|conducted|perpetrated)\s+by\s+(?P<g>(?:the\s+)?[\w-]+(?:\s+[\w()-]+){0,6})"
    r"|\b(?:has|have)\s+(?:claimed|carried\s+out)\s+similar\s+attacks",
    re.I,
)
_SUSPECTED = re.compile(
    r"\bsuspected\s+(?P<g1>[\w-]+(?:\s+[\w-]+){0,2})\s+(?:militants|fighters|insurgents|attackers|members|bombers?)"
    r"|\bhallmarks\s+of\s+(?P<g2>(?:the\s+)?[\w-]+(?:\s+[\w-]+){0,3})"
    r"|\bsuspected\s+(?:of\s+)?(?:being\s+)?(?:behind|responsible)\s+[\w\s]{0,20}?\b(?P<g3>[\w-]+)",
    re.I,
)
_DISPUTE = re.compile(
    r"\b(?:denied|denies|deny|denying|rejected|rejects|dismissed|dismissing)\s+(?:any\s+|all\s+)?(?:involvement|responsibility|role|the\s+claim|allegations|a\s+role|the\s+allegation|claims?|its\s+involvement|that\s+it)"
    r"|\bwith\s+suspicion\b|\bverify\s+the\s+(?:[\w-]+\s+)?claim\b|\bdoubts?\s+(?:about|over|on)\s+the\s+claim|\bcould\s+not\s+be\s+(?:independently\s+)?verified\b",
    re.I,
)
_JOINT = re.compile(r"\bjoint\s+(?:operation|attack|assault|offensive)\b|\bjointly\b|\bteamed\s+up\b|\bcooperation\s+between\b", re.I)
_AGENT = re.compile(
    r"(?P<who>(?:[\w-]+\s+){0,4}?(?:militants|fighters|gunmen|members|insurgents|attackers|bombers?|terrorists)?)\s*"
    r"(?:carried\s+out|conducted|launched|perpetrated|staged|killed|attacked|raided|plotted)\b",
    re.I,
)


def find_attribution(sentence: str) -> list[AttributionCue]:
    """Attribution cues in one sentence (see the module table)."""
    out: list[AttributionCue] = []
    for m in _NO_CLAIM.finditer(sentence):
        out.append(AttributionCue("unclaimed", None, m.group(), m.start(), m.end()))
    for m in _UNCLEAR.finditer(sentence):
        out.append(AttributionCue("unknown", None, m.group(), m.start(), m.end()))
    for m in _GENERAL.finditer(sentence):
        g = _group_in(m.group("g") or "") if m.group("g") else None
        out.append(AttributionCue("suspected", g, m.group(), m.start(), m.end(), general=True))
    taken = [(c.start, c.end) for c in out]
    for m in _CLAIM.finditer(sentence):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        who = m.group("by") or m.group("who") or ""
        g = _group_in(who)
        if g is None and not m.group("by"):
            # "Although the ISKP has claimed responsibility": the group precedes the verb
            g = _group_in(sentence[max(0, m.start() - 40) : m.end()])
        if g is not None:
            start = m.start() + (len(m.group("who") or "") - len((m.group("who") or "").lstrip()) if m.group("who") else 0)
            lead = re.match(r"\s*(?:(?:although|though|but|and|while|however|since|as|because|the)\s+)*", sentence[start : m.end()], re.I)
            start += lead.end() if lead else 0
            out.append(AttributionCue("claimed", g, sentence[start : m.end()], start, m.end()))
    for m in _ATTRIBUTED.finditer(sentence):
        g = _group_in(m.group("g1") or m.group("g2") or m.group("g3") or "")
        if g is not None:
            out.append(AttributionCue("attributed", g, m.group(), m.start(), m.end()))
    for m in _SUSPECTED.finditer(sentence):
        g = _group_in(m.group("g1") or m.group("g2") or m.group("g3") or "")
        if g is not None:
            out.append(AttributionCue("suspected", g, m.group(), m.start(), m.end()))
    for m in _DISPUTE.finditer(sentence):
        before = sentence[max(0, m.start() - 60) : m.start()]
        out.append(AttributionCue("disputed", _group_in(before), m.group(), m.start(), m.end()))
    for m in _JOINT.finditer(sentence):
        g = _group_in(sentence)
        if g == "Taliban and/or ISKP":
            out.append(AttributionCue("attributed", g, m.group(), m.start(), m.end()))
    if not any(c.kind in ("claimed", "attributed") for c in out):
        for m in _AGENT.finditer(sentence):
            g = _group_in(m.group("who") or "")
            who = m.group("who") or ""
            if g is not None and not re.search(r"\b(?:against|on|by|were|was|been|are|is|be)\s*$", who):
                out.append(AttributionCue("attributed", g, m.group().strip(), m.start(), m.end()))
                break
    return sorted(out, key=lambda c: c.start)


_STRENGTH = {"claimed": 5, "attributed": 4, "suspected": 3, "unclaimed": 2, "unknown": 1}


def resolve_attribution(cues: list[AttributionCue]) -> dict[str, object]:
    """Combine an incident's cues into ``perpetrator``, ``attribution``,
    ``evidence_perpetrator`` and ``notes`` (see the module docstring)."""
    notes: list[str] = []
    specific = [c for c in cues if not c.general]
    general = [c for c in cues if c.general]
    positive = [c for c in specific if c.kind in ("claimed", "attributed", "suspected") and c.group]
    disputes = [c for c in specific if c.kind == "disputed"]
    for c in general:
        notes.append(f"general remark, not coded: {c.text}")
    if positive:
        joint = [c for c in positive if c.group == "Taliban and/or ISKP"]
        top = max(positive, key=lambda c: (_STRENGTH[c.kind], c.group == "Taliban and/or ISKP"))
        group = joint[0].group if joint else top.group
        kind = top.kind
        denial = [d for d in disputes if d.group != group or d.group is None or joint]
        if disputes and (denial or kind in ("claimed", "attributed")):
            kind = "disputed"
            ev = [top, *disputes]
        else:
            ev = [top]
        return {
            "perpetrator": group,
            "attribution": kind,
            "evidence_perpetrator": " | ".join(dict.fromkeys(c.text for c in ev)),
            "notes": notes,
        }
    neg = [c for c in specific if c.kind in ("unclaimed", "unknown")]
    if neg:
        top = max(neg, key=lambda c: _STRENGTH[c.kind])
        return {"perpetrator": "unknown", "attribution": top.kind, "evidence_perpetrator": top.text, "notes": notes}
    if general and any(c.kind == "unclaimed" for c in specific):
        return {"perpetrator": "unknown", "attribution": "unclaimed", "evidence_perpetrator": None, "notes": notes}
    return {"perpetrator": "unknown", "attribution": "unknown", "evidence_perpetrator": None, "notes": notes}
