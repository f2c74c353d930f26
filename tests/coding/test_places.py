"""analysis.coding.places: gazetteer matching with districts, cities and localities."""

from __future__ import annotations

import pytest

from analysis.coding.places import best_place, find_places


@pytest.mark.parametrize(
    ("text", "province", "district", "place"),
    [
        ("an explosion in the first district of Jalalabad city, the capital of Nangarhar province",
         "Nangarhar", "Jalalabad", "Police District 1, Jalalabad"),
        ("in the remote Sayad district of northern Sar-e Pul province on Saturday", "Sar-e Pul", "Sayad", None),
        ("in the remote Sayad district of northern Sari Pul province", "Sar-e Pul", "Sayad", None),
        ("This attack took place in Chaharbagh Firuza area of Injil district.", "Herat", "Injil", "Chaharbagh Firuza"),
        ("a mosque in the western city of Herat", "Herat", "Herat", None),
        ("outside the Russian Embassy in the Afghan capital", "Kabul", "Kabul", None),
        ("the 8th security district of Kabul city", "Kabul", "Kabul", "Police District 8, Kabul"),
        ("a blast in Hilmand province", "Helmand", None, None),
        ("a blast in Aybak city, the capital of northern Samangan province", "Samangan", "Aybak", None),
    ],
)
def test_places(text, province, district, place):
    bp = best_place(find_places(text))
    assert bp is not None
    assert (bp["province"], bp["district"], bp["place"]) == (province, district, place)
    ev = bp["evidence"]
    assert text[ev.start : ev.end] == ev.text


def test_foreign_and_vague_places_give_nothing():
    assert best_place(find_places("talks in Dushanbe, the capital of Tajikistan, and Islamabad")) is None
    assert best_place(find_places("fighting in northern Afghanistan")) is None


def test_most_mentioned_province_wins():
    ps = find_places("An attack in Kunar. Officials in Kunar and in Kabul said the Kunar toll rose.")
    assert best_place(ps)["province"] == "Kunar"
