"""Columns a layout does not know are named, with the closest known name, in a warning,
in the ingest summary and by ``validate``; they are never dropped silently."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

import analysis
from analysis.cli import EXIT_OK, EXIT_UNUSABLE, app
from analysis.sources import detect_format, read_source
from analysis.sources.adapter import UnknownColumnWarning, closest_name, unknown_columns

from .._rows import frame, good_row
from ._sources import fixture


@pytest.fixture
def typo(tmp_path):
    """A canonical file whose ``geo_precision`` header is misspelt."""
    p = tmp_path / "typo.csv"
    frame(good_row(), good_row(incident_id="T-2")).rename(columns={"geo_precision": "geo_precison"}).to_csv(p, index=False)
    return p


def test_a_misspelt_header_is_named_with_the_closest_name(typo):
    with pytest.warns(UnknownColumnWarning, match="'geo_precison' \\(closest known name: 'geo_precision'\\)"):
        df = read_source(typo)
    assert df.attrs["ingest"].unknown_columns == {"geo_precison": "geo_precision"}
    assert "unknown column, not used: geo_precison (closest known name: geo_precision)" in str(df.attrs["ingest"])
    assert df["geo_precision"].isna().all()  # not used, and said so


def test_validate_refuses_it_naming_the_closest_name(typo):
    with pytest.raises(analysis.DataFileError, match="unknown columns geo_precison \\(did you mean geo_precision\\?\\)"):
        analysis.load_incidents(typo)
    res = CliRunner().invoke(app, ["validate", str(typo)])
    assert res.exit_code == EXIT_UNUSABLE and "did you mean geo_precision?" in res.output


def test_ingest_on_the_command_line_names_it(typo, tmp_path):
    res = CliRunner().invoke(app, ["ingest", str(typo), "-o", str(tmp_path / "o.csv")])
    assert res.exit_code == EXIT_OK, res.output
    assert "warning:" in res.output and "geo_precison" in res.output and "geo_precision" in res.output


def test_source_columns_outside_the_codebook_are_named():
    t = pd.read_csv(fixture("gtd_numeric.csv"), dtype=str, keep_default_na=False)
    with pytest.warns(UnknownColumnWarning, match="'nwond' \\(closest known name: 'nwound'\\)"):
        analysis.sources.ingest_frame(t.assign(nwond="3", region="6"))  # region is GTD's own


def test_a_nearly_recognised_layout_says_what_it_lacks():
    with pytest.raises(analysis.DataFileError, match="nearly a gtd layout, but lacks provstate \\(your file has provstat\\)"):
        detect_format(["eventid", "iyear", "imonth", "iday", "provstat", "gname", "nkill"])


def test_helpers():
    assert closest_name("Geo_Precison", ["geo_precision", "province"]) == "geo_precision"
    assert closest_name("zzz", ["geo_precision"]) is None
    assert unknown_columns(["row", "a", "b"], ["a"]) == {"b": None}
