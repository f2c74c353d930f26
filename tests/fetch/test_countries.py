"""--country: names, ISO codes and Gleditsch-Ward numbers, as each API filters them."""

from __future__ import annotations

import pytest

from analysis.errors import InputError
from analysis.fetch.countries import resolve_country


@pytest.mark.parametrize("value", ["Afghanistan", "afghanistan", "AFG", " Afghanistan "])
def test_names_and_iso3_resolve_for_both_sources(value):
    for source in ("ucdp", "acled"):
        c = resolve_country(value, source)
        assert (c.key, c.name, c.gw, c.iso_numeric) == ("AFG", "Afghanistan", 700, 4)


def test_a_number_is_a_gleditsch_ward_number_for_ucdp_and_an_iso_code_for_acled():
    assert resolve_country(700, "ucdp").iso3 == "AFG"
    assert resolve_country("4", "acled").iso3 == "AFG"
    assert resolve_country("770", "ucdp").name == "Pakistan"
    assert resolve_country("586", "acled").name == "Pakistan"
    other = resolve_country("500", "ucdp")  # outside the table: passed on as it is
    assert (other.key, other.gw, other.name) == ("gw:500", 500, None)


def test_a_name_outside_the_table_goes_to_acled_as_written_but_ucdp_needs_a_number():
    assert resolve_country("Nigeria", "acled").name == "Nigeria"
    with pytest.raises(InputError, match="give the number"):
        resolve_country("Nigeria", "ucdp")
    with pytest.raises(InputError, match="empty"):
        resolve_country(" ", "acled")
