"""Attack type, target type, and what kind of statement a sentence makes.

:func:`attack_type` and :func:`target_type` map the words of an incident's sentences
to the schema's vocabularies (first rule that matches wins, in the order listed).
:func:`statement_kind` labels a sentence as an ``"attack"`` (a specific violent
event), an ``"aggregate"`` (a total over a period: "at least 96 people have been
killed in the last two months"), ``"counter_terrorism"`` (arrests, raids and
operations against militants), or ``""`` (none of these).
"""

from __future__ import annotations

import re

__all__ = ["attack_type", "is_event_sentence", "statement_kind", "target_type"]


def _word(text: str, m: re.Match[str]) -> str:
    """The match widened to whole words ("assassinat" -> "assassinate")."""
    start, end = m.start(), m.end()
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end]

_ATTACK_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("complex_attack", re.compile(r"\bcomplex\s+attack|\bsuicide\s+attackers?\b[^.]{0,200}\b(?:gun\s*battle|gunmen|armed)|\b(?:gun\s*battle|armed\s+attack)[^.]{0,200}\bsuicide\s+attackers?\b|\bexploded\s+a\s+mosque|\bblast\s+and\s+gunfire|\bbombing\s+and\s+(?:an\s+)?assault", re.I)),
    ("vehicle_bomb", re.compile(r"\bcar[\s-]+bomb|\bvehicle[\s-]+(?:borne|bomb)|\bVBIED\b|\btruck[\s-]+bomb|\bcar\s+bombings?\b|\bbomb-laden\s+(?:car|vehicle|truck)", re.I)),
    ("suicide_bombing", re.compile(r"\bsuicide\s+(?:bomb|attack|blast|explosion|vest|bomber)|\bblew\s+(?:him|her)self\s+up\b|\bsuicide\s+attackers?\b", re.I)),
    ("assassination", re.compile(r"\bassassinat|\btargeted\s+killing|\bassassins\b", re.I)),
    ("indirect_fire", re.compile(r"\brockets?\b|\bmortars?\b", re.I)),
    ("hostage_taking", re.compile(r"\bhostages?\b|\bkidnapp|\babduct", re.I)),
    ("bombing", re.compile(r"\bexplosions?\b|\bblasts?\b|\bbomb(?:s|ing|ings)?\b|\bIEDs?\b|\bimprovised\s+explosive|\bexplosive\s+device|\blandmines?\b|\bmagnetic\s+mine|\bsticky\s+bomb|\bgrenades?\b|\bexploded\b", re.I)),
    ("armed_assault", re.compile(r"\barmed\s+attack|\bgunm[ae]n\b|\bshooting\b|\bshot\s+(?:at|dead)|\bopened\s+fire|\barmed\s+(?:attackers|men|individuals|forces)|\bgun\s*battle|\bstormed\b|\braided\b|\boverr[au]n|\bmassacre|\bfirefight|\bambush", re.I)),
    ("arson", re.compile(r"\btorch(?:ed|ing)\b|\bset\s+(?:fire|ablaze)|\barson\b", re.I)),
]

_TARGET_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("diplomatic", re.compile(r"\bembass(?:y|ies)\b|\bconsulate\b|\bdiplomat|\bambassador", re.I)),
    ("education", re.compile(r"\bschool\b|\bacademy\b|\beducation(?:al)?\s+cent(?:er|re)|\buniversity\b|\bmadr[a]?s+a|\bmadarassa|\bstudents?\b|\bclassroom|\btuition\s+cent", re.I)),
    ("political", re.compile(r"\bHizb-?e-?Islami\b|\bHezb-?e-?Islami\b|\bparty\s+office|\bpolitical\s+(?:party|leader|rally)|\bpolitician|\belection|\bcampaign\s+rally|\bparliament(?:arian)?\b|\blawmaker", re.I)),
    ("religious", re.compile(r"\bmosques?\b|\bshrine\b|\bworshipp?ers?\b|\bprayers?\b|\btemple\b|\bgurdwara|\bchurch\b|\bimam\b|\bcleric\b|\bSufi\b", re.I)),
    ("security_forces", re.compile(r"\boutposts?\b|\bcheckpoints?\b|\bpolice\b|\bsoldiers?\b|\barmy\b|\bsecurity\s+(?:forces|personnel|post)|\bmilitary\b|\bTaliban\s+(?:forces|fighters|members|officials?)\b|\bmembers\s+of\s+the\s+Taliban|\bcorps\b|\bALP\b|\bpolice\s+chief|\bbase\b", re.I)),
    ("government", re.compile(r"\bgovernor\b|\bministry\b|\bminister\b|\bgovernment\s+(?:office|building|officials?)|\bmunicipal|\bcourt\b|\bjudges?\b|\bofficials?\b", re.I)),
    ("media", re.compile(r"\bjournalists?\b|\breporters?\b|\bTV\s+station|\bradio\s+station|\bmedia\s+(?:office|outlet)", re.I)),
    ("aid_health", re.compile(r"\bhospital\b|\bclinic\b|\bNGO\b|\baid\s+(?:workers?|agency|group)|\bpolio\b|\bvaccinat|\bdeminers?\b|\bRed\s+Cross", re.I)),
    ("business", re.compile(r"\bhotel\b|\bshops?\b|\bbank\b|\bmarket\b|\bbazaar\b|\brestaurant\b|\bwedding\s+hall|\bbusiness", re.I)),
    ("transport", re.compile(r"\bminibus\b|\bbus\b|\bvans?\b|\bairport\b|\bconvoy\b|\bvehicle\s+carrying|\bpassengers\b", re.I)),
    ("civilians", re.compile(r"\bcivilians?\b|\bvillag(?:e|ers)\b|\bresidents\b|\bHazaras?\b|\bSikhs?\b|\bHindus?\b|\bShi(?:i|’|')?tes?\b|\bwomen\b|\bchildren\b", re.I)),
]


_STRONG_ATTACKS = ("complex_attack", "vehicle_bomb", "suicide_bombing", "assassination")


def attack_type(text: str | list[str]) -> tuple[str, str | None]:
    """(attack type, evidence span); ("unknown", None) when nothing matches.

    ``text`` may be the list of an incident's sentences (heading first). A specific
    type (complex attack, vehicle bomb, suicide bombing, assassination) named
    anywhere wins; otherwise the first sentence that names a type decides, so that a
    later aside ("the recent explosions ...") does not override the report's framing.
    """
    sents = [text] if isinstance(text, str) else list(text)
    whole = " ".join(sents)
    for name, pat in _ATTACK_RULES:
        if name in _STRONG_ATTACKS:
            m = pat.search(whole)
            if m:
                return name, _word(whole, m)
    for s in sents:
        for name, pat in _ATTACK_RULES:
            m = pat.search(s)
            if m:
                return name, _word(s, m)
    return "unknown", None


_TARGET_TRIGGER = re.compile(
    r"\b(?:targeted|targeting|attack(?:ed|s)?|planted|outside|inside|near|stormed|raided|struck|hit|hitting|striking|attempt\s+on|blast\s+at|bombing\s+(?:at|of)|assault\s+on)\b",
    re.I,
)


def target_type(text: str | list[str]) -> tuple[str, str | None]:
    """(target type, evidence span); ("unknown", None) when nothing matches.

    The target is read first where the report says what was hit: within a few words
    after "targeted", "attack(ed) (on)", "planted near", "outside", "inside",
    "stormed", "raided", "attempt on". Failing that, the first sentence naming a
    target decides (rules in the module's order).
    """
    sents = [text] if isinstance(text, str) else list(text)
    for s in sents:
        for t in _TARGET_TRIGGER.finditer(s):
            window = s[t.end() : t.end() + 60]
            hits = []
            for name, pat in _TARGET_RULES:
                m = pat.search(window)
                if m:
                    hits.append((m.start(), name, _word(window, m)))
            if hits:
                _, name, span = min(hits)
                return name, span
    for s in sents:
        for name, pat in _TARGET_RULES:
            for m in pat.finditer(s):
                if _SPEAKER.search(s[max(0, m.start() - 30) : m.start()]) or _SAID.match(s[m.end() : m.end() + 25]):
                    continue  # "a spokesman for the provincial police said": the source, not the target
                return name, _word(s, m)
    return "unknown", None


_SPEAKER = re.compile(r"\b(?:spokes(?:man|woman|person)|official|officials|head|chief|source|sources)\s+(?:for|of|from|in)\s+(?:the\s+)?[\w\s'-]*$", re.I)
_SAID = re.compile(r"^[\w\s'-]{0,15}?\b(?:said|says|told|reported|added|confirmed|announced)\b", re.I)


_EVENT = re.compile(
    r"\b(?:attack(?:s|ed|ers?)?|blasts?|explosions?|explosives?|bomb(?:s|ing|ings|er|ers)?|shooting|shot|set\s+off|blew\s+up|"
    r"gunm[ae]n|massacre|assassinat\w*|raid(?:ed)?|stormed|ambush(?:ed)?|overr[au]n\w*|killed|killing|"
    r"injured|wounded|dead|died|IED|landmine|grenades?|opened\s+fire|gun\s*battle|detonated|exploded|rockets?|mortars?|"
    r"gunfight|gunbattle|siege)\b",
    re.I,
)
_PERIOD = re.compile(
    r"\b(?:in|over|during|within)\s+the\s+(?:last|past|previous)\s+(?:[\w-]+\s+)?(?:days?|weeks?|months?|years?)\b"
    r"|\bsince\s+(?:the\s+)?(?:start|beginning)\s+of\b|\bso\s+far\s+this\s+year\b|\bthis\s+year\s+alone\b"
    r"|\bin\s+\d{4}\s+alone\b|\bin\s+recent\s+(?:months|years|weeks)\b",
    re.I,
)
_PLURAL_ATTACKS = re.compile(
    r"\b(?:in|by|from)\s+(?:[\w-]+\s+){0,2}(?:attacks|bombings|blasts|explosions|incidents|operations)\b"
    r"|\bthese\s+(?:attacks|incidents)\b|\bthe\s+(?:past|last)\s+\d+\s+months\b",
    re.I,
)
_CT = re.compile(
    r"\b(?:arrest(?:ed|ing|s)?|captur(?:ed|ing|e)|detain(?:ed|ing|s)?|imprison(?:ed)?|apprehend(?:ed)?)\b[^.]{0,80}?"
    r"\b(?:militants?|members|operatives|fighters|suspects?|commanders?|IS-?K|ISIS|ISKP|Daesh|network)\b"
    r"|\b(?:operations?|raids?|campaign|offensive|crackdown)\s+(?:had\s+been\s+|have\s+been\s+|was\s+|were\s+)?"
    r"(?:conducted\s+|carried\s+out\s+|launched\s+)?(?:against|on)\s+(?:one\s+of\s+)?(?:the\s+)?(?:[\w-]+\s+){0,3}"
    r"(?:hideouts?|IS-?K|ISIS|ISKP|Daesh|militants|network|group|insurgents|cells?|Islamic\s+State)\b"
    r"|\b(?:military|counter-?terrorism|security)\s+(?:campaign|operation)\b"
    r"|\b(?:wipe\s+out|eliminate|eliminated|neutrali[sz]ed)\s+(?:the\s+)?(?:group|militants|fighters|cell)",
    re.I,
)
_CT_FOLLOWUP = re.compile(
    r"\bafter\s+the\s+(?:shooting|attack|blast|explosion)|\bperpetrators\s+of\s+this\s+attack|\bat\s+the\s+site\b|\bsuspect\s+with\b",
    re.I,
)


def is_event_sentence(text: str) -> bool:
    """True when the sentence speaks of violence (an attack word or a casualty verb)."""
    return _EVENT.search(text) is not None


def statement_kind(text: str, *, has_casualties: bool = False) -> str:
    """"aggregate", "counter_terrorism", "attack" or "" for one sentence."""
    if _CT.search(text) and not _CT_FOLLOWUP.search(text):
        return "counter_terrorism"
    if has_casualties and (_PERIOD.search(text) or _PLURAL_ATTACKS.search(text)):
        return "aggregate"
    if is_event_sentence(text):
        return "attack"
    return ""
