"""The province choropleth."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import analysis
from analysis.errors import InputError


def test_province_map_shades_by_value_and_labels_the_largest():
    values = {"Kabul": 40, "AF-NAN": 10, "Helmand": 5}
    ax = analysis.plot_province_map(values, title="Incidents", label="incidents", labels=2)
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["Kabul\n40", "Nangarhar\n10"]
    assert ax.get_title() == "Incidents" and ax.get_xlabel() and ax.get_ylabel()
    faces = ax.collections[-1].get_facecolors()
    assert len(faces) == 34
    # the largest value is the darkest; provinces without a value are the no-data grey
    lum = faces[:, :3].sum(axis=1)
    codes = list(analysis.geo.province_polygons().index)
    assert lum[codes.index("AF-KAB")] == lum.min()
    assert np.allclose(faces[codes.index("AF-HER"), :3], [0xE6 / 255] * 3)
    plt.close("all")


def test_province_map_draws_on_given_axes_and_rejects_unknown_places():
    _, ax = plt.subplots()
    assert analysis.plot_province_map({"AF-KAB": 0.5}, ax=ax, labels=False, fmt="{:.0%}") is ax
    assert not ax.texts
    with pytest.raises(InputError, match="Atlantis"):
        analysis.plot_province_map({"Atlantis": 1})
    plt.close("all")
