"""analysis.coding.frames: event frames, background attacks kept apart, the no-attack
filter, and linking that stays linear in the length of the report."""

from __future__ import annotations

import pandas as pd

from analysis.coding import draft_incidents
from analysis.coding.frames import LINK_STATS, LOOKBACK


def attacks(text: str, published: str) -> pd.DataFrame:
    df = draft_incidents(text, published=published)
    return df[df["kind"] == "attack"].reset_index(drop=True)


def test_an_earlier_attack_keeps_its_own_toll_and_date():
    text = (
        "KUNDUZ, Afghanistan (AP) — A suicide bomber struck a crowded mosque in the northern city of Kunduz "
        "on Friday, killing more than 40 worshippers, officials said.\n\n"
        "It came five days after a bombing claimed by the same group at a market in Baghlan province killed at "
        "least two people."
    )
    df = attacks(text, "2021-10-09")
    main = df[df["province"] == "Kunduz"].iloc[0]
    assert main["killed_low"] == 41 and main["date"] == pd.Timestamp("2021-10-08")
    back = df[df["province"] == "Baghlan"].iloc[0]
    assert back["killed_low"] == 2 and back["date"] == pd.Timestamp("2021-10-03")
    assert "earlier attack" in back["flags"]


def test_indirect_claim_and_speaker():
    text = (
        "KABUL (Reuters) - Islamic State said on Sunday that its fighters had opened fire on a bus in the west of "
        "Kabul on Saturday, killing seven passengers. A Taliban spokesman said three more were wounded."
    )
    (row,) = attacks(text, "2023-05-14").itertuples(index=False)
    assert (row.perpetrator, row.attribution) == ("ISKP", "claimed")
    assert row.date == pd.Timestamp("2023-05-13")


def test_anniversaries_trials_and_threats_make_no_attack_record():
    texts = [
        "Relatives gathered in Kabul on Monday to mark one year since a suicide bomber killed 30 people at a school.",
        "Four men accused of planning a bombing in Jalalabad that killed 12 people appeared before a court on Sunday.",
        "Islamic State threatened to attack Shiite mosques in Herat, a statement said on Tuesday.",
    ]
    for text in texts:
        assert attacks(text, "2024-06-03").empty, text


def test_linking_compares_a_bounded_number_of_frames_per_sentence():
    """1,000 sentences about 250 attacks: the unit-frame pairs compared grow linearly."""
    provinces = ["Kabul", "Herat", "Balkh", "Kandahar", "Nangarhar"]
    paragraphs = []
    for i in range(250):
        p = provinces[i % 5]
        paragraphs.append(
            f"In another attack, a bomb exploded in {p} province on Monday, killing {i % 9 + 2} people. "
            f"The blast also wounded {i % 7 + 3} others, officials said. "
            "No group has claimed responsibility for the attack. "
            "Residents said the area was crowded at the time."
        )
    text = "\n\n".join(paragraphs)
    draft_incidents(text, published="2024-06-04")
    assert LINK_STATS["sentences"] >= 1000
    assert LINK_STATS["pairs"] <= 3 * LOOKBACK * LINK_STATS["sentences"]
    half = "\n\n".join(paragraphs[:125])
    draft_incidents(half, published="2024-06-04")
    small = LINK_STATS["pairs"]
    draft_incidents(text, published="2024-06-04")
    assert LINK_STATS["pairs"] <= 2.2 * small  # doubling the text about doubles the work
