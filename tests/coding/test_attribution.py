"""analysis.coding.attribution and analysis.coding.classify."""

from __future__ import annotations

import pytest

from analysis.coding.attribution import find_attribution, find_groups, resolve_attribution
from analysis.coding.classify import attack_type, statement_kind, target_type


def code(*sentences: str) -> tuple[str, str]:
    cues = [c for s in sentences for c in find_attribution(s)]
    r = resolve_attribution(cues)
    return r["perpetrator"], r["attribution"]


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (["The Islamic State group claimed responsibility for the bombing."], ("ISKP", "claimed")),
        (["Two bombers killed 33 worshippers, in an attack claimed by ISIS."], ("ISKP", "claimed")),
        (["The Taliban attributed this attack to the ISKP."], ("ISKP", "attributed")),
        (["It was a joint operation by ISIS and Taliban fighters.",
          "The Taliban had denied any involvement in the attack."], ("Taliban and/or ISKP", "disputed")),
        (["Although the ISKP has claimed responsibility for this attack, Pakistan views the claim with suspicion."],
         ("ISKP", "disputed")),
        (["No individual or group has claimed responsibility for this attack, but most of these attacks are carried out by ISKP."],
         ("unknown", "unclaimed")),
        (["As of yet, it is not clear which group attacked the outpost."], ("unknown", "unknown")),
        (["Four Taliban forces were killed and three others were wounded."], ("unknown", "unknown")),
        (["Suspected Haqqani Network militants stormed the compound."], ("Haqqani Network", "suspected")),
    ],
)
def test_attribution(sentences, expected):
    assert code(*sentences) == expected


def test_group_names():
    names = [g for g, _, _ in find_groups("Tehrik-i-Taliban Pakistan, the Taleban, Daesh, IS-K and the Haqqani Network")]
    assert names == ["TTP", "Taliban", "ISKP", "ISKP", "Haqqani Network"]


def test_general_remark_is_noted_not_coded():
    cues = find_attribution("Most of these attacks are carried out by the Islamic State in Khurasan Province (ISKP).")
    r = resolve_attribution(cues)
    assert r["perpetrator"] == "unknown" and "general remark" in r["notes"][0]


@pytest.mark.parametrize(
    ("text", "attack"),
    [
        ("A suicide bomber blew himself up at the gate.", "suicide_bombing"),
        ("A car bomb exploded near the police headquarters.", "vehicle_bomb"),
        ("An IED planted on the road struck a van.", "bombing"),
        ("Gunmen opened fire on the bus.", "armed_assault"),
        ("The attackers planned to assassinate the ambassador; shots were fired.", "assassination"),
        ("Suicide attackers approached the mosque, then a gun battle with guards followed.", "complex_attack"),
        ("Officials met on Tuesday.", "unknown"),
    ],
)
def test_attack_types(text, attack):
    assert attack_type(text)[0] == attack


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("A blast targeted a madrassa in Aybak.", "education"),
        ("Gunmen attacked a Taliban outpost in Herat.", "security_forces"),
        ("An armed attack on the Pakistani embassy.", "diplomatic"),
        ("Worshippers were killed at a mosque.", "religious"),
        ("A roadside bomb struck a minibus carrying labourers.", "transport"),
        ("A bomb planted near the shop of a trader exploded.", "business"),
        ("Gunmen raided a downtown hotel hosting foreigners.", "business"),
        ("The office of Hizb-e-Islami witnessed an armed attack.", "political"),
    ],
)
def test_target_types(text, target):
    assert target_type(text)[0] == target


@pytest.mark.parametrize(
    ("text", "has_cas", "kind"),
    [
        ("Only in the last two months, at least 96 people have been killed in ISKP attacks.", True, "aggregate"),
        ("Taliban forces have arrested 12 operatives of the Islamic State.", False, "counter_terrorism"),
        ("About 1,400 operations had been conducted against ISIS since March.", False, "counter_terrorism"),
        ("After the shooting, its forces arrived at the site, arresting a suspect with two guns.", False, "attack"),
        ("A blast killed six people on Saturday.", True, "attack"),
        ("The minister visited Dushanbe.", False, ""),
    ],
)
def test_statement_kind(text, has_cas, kind):
    assert statement_kind(text, has_casualties=has_cas) == kind
