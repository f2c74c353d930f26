"""analysis.coding.casualties: casualty phrases, non-casualty numbers, and the
reconciliation rules of the codebook (data/README.md)."""

from __future__ import annotations

import pytest

from analysis.coding.casualties import find_casualties
from analysis.coding.tolls import combine_casualties


def triples(sentence: str) -> list[tuple[str, int | None, int | None, int | None]]:
    return [(c.role, c.low, c.best, c.high) for c in find_casualties(sentence) if not c.subset]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("At least 53 people were killed and 110 others were wounded.", [("killed", 53, 53, 53), ("wounded", 110, 110, 110)]),
        ("The militants killed more than 50 men, women and children in the district.", [("killed", 51, 51, 51)]),
        ("Officials said six civilians were injured in the blast.", [("wounded", 6, 6, 6)]),
        ("The explosion left dozens dead and injured.", [("combined", 24, 24, 24)]),
        ("The raid killed nearly 1,100 others, the spokesman said.", [("killed", 1100, 1100, 1100)]),
        ("Fifty-three people died and twelve were hurt.", [("killed", 53, 53, 53), ("wounded", 12, 12, 12)]),
        ("The attack killed five members of the Taliban and injured 18 others.", [("killed", 5, 5, 5), ("wounded", 18, 18, 18)]),
        ("One worshipper was killed and two others were injured.", [("killed", 1, 1, 1), ("wounded", 2, 2, 2)]),
        ("A guard of the embassy, named in reports, was injured.", []),
        ("One of the security guards of the embassy, named Ali Khan, was injured.", [("wounded", 1, 1, 1)]),
        ("50 Killed in Massacre in Northern Province", [("killed", 50, 50, 50)]),
        ("A bomb killed a policeman and wounded three civilians.", [("wounded", 3, 3, 3), ("killed", 1, 1, 1)]),
    ],
)
def test_phrases(sentence, expected):
    assert sorted(triples(sentence)) == sorted(expected)


@pytest.mark.parametrize(
    "sentence",
    [
        "The group set up a bomb-making school for 300 children, residents said.",
        "His 19-year-old son was recruited in 2015 at the local mosque.",
        "About 1,400 operations had been conducted against the group since March, removing over 1,600.",
        "Fighters torched 30 houses some 120km away after 16 years of war.",
        "The blast happened around 4:00 p.m. near Media ID: 55380507.",
        "Two suicide bombers throwing grenades entered the hall.",
        "Up to 6,000 militants, including family members, operate in the country.",
        "The four-day operation captured 12 militants and large weapons caches.",
    ],
)
def test_numbers_that_are_not_casualties(sentence):
    assert triples(sentence) == []


def test_share_of_victims_gives_total_and_civilians():
    cs = find_casualties("He said 44 of the 50 victims were believed to be civilians.")
    out = combine_casualties(cs)
    assert (out["killed_low"], out["killed_best"], out["killed_high"]) == (50, 50, 50)
    assert out["civilians_killed_best"] == 44
    assert out["evidence_civilians"] == "44 of the 50 victims were believed to be civilians"


def test_coordinated_parts_are_added():
    out = combine_casualties(find_casualties("In addition, 141 civilians and 21 Taliban fighters were wounded."))
    assert out["wounded_best"] == 162


def test_breakdown_among_the_dead():
    cs = find_casualties("At least 96 people have been killed. Among the dead were 73 civilians and 23 Taliban members.")
    out = combine_casualties(cs)
    assert out["killed_best"] == 96
    assert out["civilians_killed_best"] == 73 and out["combatants_killed_best"] == 23


def test_contradiction_gives_range_and_first_figure_is_best():
    # "at least 17 (hospital officials); seven (Taliban officials)" -> 7 / 17 / 17 in the codebook
    cs = find_casualties("Hospital officials said at least 17 people were killed.") + find_casualties(
        "Taliban officials said seven people were killed."
    )
    out = combine_casualties(cs)
    assert (out["killed_low"], out["killed_best"], out["killed_high"]) == (7, 17, 17)


def test_subset_larger_than_total_widens_high_only():
    cs = find_casualties("The UN said 19 people were killed and 23 others were injured.") + find_casualties(
        "It is reported that 20 children are among the dead."
    )
    out = combine_casualties(cs)
    assert (out["killed_low"], out["killed_best"], out["killed_high"]) == (19, 19, 20)
    assert out["wounded_best"] == 23


def test_vague_only_when_no_number():
    cs = find_casualties("The blast left dozens dead and injured.") + find_casualties("The UN said 19 people were killed.")
    assert combine_casualties(cs)["killed_best"] == 19
    only = combine_casualties(find_casualties("The blast left dozens dead and injured."))
    assert only["killed_best"] is None and only["killed_low"] == 1 and "together" in only["notes"][0]


def test_attackers_killed_are_not_victims():
    cs = find_casualties("Three attackers were killed by the guards.")
    out = combine_casualties(cs)
    assert out["killed_best"] is None
    assert any("attackers" in n for n in out["notes"])


def test_respectively_gives_one_victim_each():
    cs = find_casualties("Car bombings killed the provincial police chief and the deputy governor, respectively.")
    assert [(c.role, c.best, c.share_of) for c in cs] == [("killed", 1, -1), ("killed", 1, -1)]


@pytest.mark.parametrize(
    ("text", "triple"),
    [
        ("Eight people were killed in the attack, raising an earlier toll of five.", (5, 8, 8)),
        ("The death toll rose to 34, officials said, revised down from 48.", (34, 34, 48)),
        ("At first 20 people were reported killed. The toll has risen to at least 40.", (20, 40, 40)),
    ],
)
def test_revised_figure_is_best(text, triple):
    out = combine_casualties(find_casualties(text))
    assert (out["killed_low"], out["killed_best"], out["killed_high"]) == triple
