from __future__ import annotations

import pytest

from analysis import gazetteer
from analysis.gazetteer import UnknownPlaceError, lookup_place, province_code, province_name


def test_34_provinces_with_unique_iso_codes():
    t = gazetteer.provinces()
    assert len(t) == 34
    assert t["province_code"].is_unique and t["province"].is_unique
    assert t["province_code"].str.match(r"^AF-[A-Z]{3}$").all()
    lat_lo, lat_hi, lon_lo, lon_hi = gazetteer.AFGHANISTAN_BBOX
    assert t["latitude"].between(lat_lo, lat_hi).all()
    assert t["longitude"].between(lon_lo, lon_hi).all()


def test_every_canonical_name_and_variant_round_trips():
    for p in gazetteer.PROVINCES:
        assert province_code(p.name) == p.code
        assert province_name(p.code) == p.name
        for v in p.variants:
            assert province_code(v) == p.code, v
            assert province_name(v.upper()) == p.name


def test_no_variant_maps_to_two_provinces():
    seen: dict[str, str] = {}
    for p in gazetteer.PROVINCES:
        for v in (p.name, *p.variants):
            key = gazetteer.normalise_name(v)
            assert seen.setdefault(key, p.code) == p.code, (v, seen[key], p.code)


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("Sar-e Pul", "AF-SAR"), ("Sari Pul", "AF-SAR"), ("Sar-i-Pul", "AF-SAR"), ("Saripul", "AF-SAR"),
        ("Helmand", "AF-HEL"), ("Hilmand", "AF-HEL"), ("Paktia", "AF-PIA"), ("Paktya", "AF-PIA"),
        ("Panjshir", "AF-PAN"), ("Panjsher", "AF-PAN"), ("Nimruz", "AF-NIM"), ("Nimroz", "AF-NIM"),
        ("Daykundi", "AF-DAY"), ("Dai Kundi", "AF-DAY"), ("Uruzgan", "AF-URU"), ("Oruzgan", "AF-URU"),
        ("Jowzjan", "AF-JOW"), ("Jawzjan", "AF-JOW"), ("Kunar", "AF-KNR"), ("Konar", "AF-KNR"),
        ("Nuristan", "AF-NUR"), ("Nooristan", "AF-NUR"), ("Kandahar province", "AF-KAN"),
        ("  kandahar   PROVINCE ", "AF-KAN"), ("Kandahār", "AF-KAN"), ("sar-e-pul.", "AF-SAR"),
        ("Paktika", "AF-PKA"), ("Kabul", "AF-KAB"),
    ],
)
def test_real_world_spellings(spelling, code):
    assert province_code(spelling) == code


def test_unknown_name_error_suggests_close_matches():
    with pytest.raises(UnknownPlaceError) as err:
        province_code("Kandahr")
    assert "Kandahar" in str(err.value)
    assert err.value.suggestions[0] == "Kandahar"
    with pytest.raises(KeyError):
        province_code("Atlantis")
    with pytest.raises(ValueError, match="unknown Afghan province"):
        province_code("")


def test_places_resolve_to_their_province():
    assert lookup_place("Jalalabad") == {"name": "Jalalabad", "kind": "city", "province": "Nangarhar"}
    assert lookup_place("Sayad")["province"] == "Sar-e Pul"
    assert lookup_place("Hilmand")["kind"] == "province"
    assert lookup_place("Gotham") is None


def test_public_api_is_small_and_resolves():
    import analysis

    listed = set(analysis.__all__) - {"__version__", "gazetteer"}
    assert listed == set(analysis._PUBLIC)
    for name in analysis.__all__:
        assert getattr(analysis, name) is not None
    for name in analysis._ALSO:
        assert getattr(analysis, name) is not None

