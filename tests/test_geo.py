"""Geography: bundled boundaries, point location, province adjacency and population."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis import gazetteer
from analysis.errors import InputError
from analysis.geo import (
    country_polygons,
    locate,
    province_adjacency,
    province_polygons,
    province_population,
)
from analysis.geo.adjacency import adjacency_orders, shared_borders

CODES = sorted(p.code for p in gazetteer.PROVINCES)


def test_province_polygons_carry_the_corrected_codes():
    polys = province_polygons()
    assert list(polys.index) == CODES
    # Natural Earth labels these four polygons wrongly; each must hold its own capital
    capitals = {"AF-DAY": (66.04, 33.72), "AF-PAN": (69.72, 35.28), "AF-PIA": (69.22, 33.60), "AF-PKA": (68.78, 32.27)}
    where = locate([c[0] for c in capitals.values()], [c[1] for c in capitals.values()])
    assert list(where["province_code"]) == list(capitals)


def test_every_gazetteer_centroid_falls_in_its_province():
    table = gazetteer.provinces()
    where = locate(table["longitude"], table["latitude"])
    hits = (where["province_code"].to_numpy() == table["province_code"].to_numpy()).mean()
    assert hits >= 0.95, table.loc[where["province_code"].to_numpy() != table["province_code"].to_numpy(), "province"]
    assert (where["country"] == "AFG").all()


def test_adjacency_is_symmetric_and_gives_kabuls_true_neighbours():
    adj = province_adjacency()
    assert adj.shape == (34, 34)
    assert list(adj.index) == CODES and list(adj.columns) == CODES
    assert (adj.to_numpy() == adj.to_numpy().T).all()
    assert (np.diag(adj) == 0).all()
    kabul = sorted(adj.columns[adj.loc["AF-KAB"] == 1])
    assert kabul == ["AF-KAP", "AF-LAG", "AF-LOG", "AF-NAN", "AF-PAR", "AF-WAR"]
    assert sorted(adj.columns[adj.loc["AF-NIM"] == 1]) == ["AF-FRA", "AF-HEL"]
    assert adj.to_numpy().max() < 34  # connected
    # orders are shortest paths: order k has a neighbour of order k-1
    a = adj.to_numpy()
    for i in range(34):
        for j in range(34):
            if a[i, j] > 1:
                assert ((a[i] == a[i, j] - 1) & (a[:, j] == 1)).any()


def test_a_single_shared_point_is_not_a_border():
    lengths = shared_borders()
    adj = province_adjacency()
    positive = lengths.to_numpy()[lengths.to_numpy() > 0]
    # every contact is either a real border (>= 2 km) or far below it (a point)
    assert not ((positive > 1.0) & (positive < 2.0)).any()
    assert ((lengths.to_numpy() >= 2.0) == (adj.to_numpy() == 1)).all()
    with pytest.raises(InputError):
        province_adjacency(tolerance_km=1.5, min_shared_km=2.0)


def test_adjacency_orders_from_a_path():
    chain = pd.DataFrame(np.eye(4, k=1, dtype=bool), index=list("abcd"), columns=list("abcd"))
    orders = adjacency_orders(chain)
    assert orders.loc["a"].tolist() == [0, 1, 2, 3]
    assert (orders.to_numpy() == orders.to_numpy().T).all()


def test_locate_countries():
    # points of shared/geo/PROVENANCE.md, each well inside one country
    where = locate([71.143913, 74.0, 75.5, 72.0], [37.070563, 36.0, 38.5, 38.0])
    assert list(where["country"]) == ["AFG", "PAK", "CHN", "TJK"]
    assert where.loc[0, "province_code"] == "AF-BDS"
    assert where.loc[1:, "province_code"].isna().all()
    assert (where["country_km"] == 0).all()
    # the middle of the Arabian Sea is nobody's
    assert locate([62.0], [20.0])["country"].isna().all()


def test_points_near_a_coast_take_the_nearest_country():
    # Karachi's coast: a point about 3 km offshore is Pakistan's; 50 km offshore is nobody's
    where = locate([66.95, 66.6], [24.78, 24.4])
    assert where.loc[0, "country"] == "PAK" and 0 < where.loc[0, "country_km"] <= 5
    assert pd.isna(where.loc[1, "country"]) and np.isnan(where.loc[1, "country_km"])
    assert locate([66.95], [24.78], tolerance_km=0)["country"].isna().all()


def test_points_in_afghanistan_outside_every_province_take_the_nearest():
    import shapely

    # the 1:50m country and the 1:10m provinces do not coincide: slivers of the country
    # lie outside every province polygon
    provinces = province_polygons()
    union = shapely.union_all(list(provinces["geometry"]))
    slivers = shapely.get_parts(country_polygons().at["AFG", "geometry"].difference(union))
    pts = [g.representative_point() for g in sorted(slivers, key=lambda g: -g.area)[:20]]
    pts = [p for p in pts if union.distance(p) > 0]
    assert pts
    where = locate([p.x for p in pts], [p.y for p in pts])
    assert (where["country"] == "AFG").all()
    assert where["province_code"].notna().all()
    assert ((where["province_km"] > 0) & (where["province_km"] <= 5)).all()
    # the province given is the nearest one
    for p, code in zip(pts, where["province_code"], strict=True):
        nearest = provinces["geometry"].map(lambda g, p=p: g.distance(p)).idxmin()
        assert code == nearest


def test_locate_handles_missing_and_impossible_coordinates():
    where = locate([np.nan, 200.0, 69.17], [34.5, 34.5, np.nan])
    assert where["country"].isna().all() and where["province_code"].isna().all()
    with pytest.raises(InputError):
        locate([1.0, 2.0], [1.0])
    scalar = locate(69.17, 34.53)
    assert scalar.loc[0, "province_code"] == "AF-KAB" and scalar.loc[0, "province_km"] == 0


def test_province_population_is_cited_and_says_what_is_missing():
    pop = province_population()
    assert list(pop.index) == CODES
    assert pop.attrs["missing"] == ["AF-KAP"] and np.isnan(pop["AF-KAP"])
    assert pop.sum() == pytest.approx(1.0)
    assert pop.idxmax() == "AF-KAB"
    assert any("NSIA" in s for s in pop.attrs["sources"]) and "2021-22" in pop.attrs["year"]
    counts = province_population(fractions=False)
    assert counts["AF-HER"] == 2_187_000


def test_province_panel_has_every_province():
    data = analysis.simulate_incidents(n_years=1, seed=2)
    panel = analysis.incident_counts(data, "MS", by="province_code")
    assert list(panel.columns[:34]) == CODES
    assert int(panel.sum().sum()) == panel.attrs["incident_counts"]["n_counted"]
    assert str(panel.dtypes.iloc[0]) == "Int64"
    some = data[data["province_code"].isin(["AF-KAB", "AF-HER"])]
    small = analysis.incident_counts(some, "MS", by="province_code")
    assert small.shape[1] == 34 and (small.drop(columns=["AF-KAB", "AF-HER"]).sum() == 0).all()


def test_public_names():
    for name in ("locate", "province_adjacency", "province_population", "plot_province_map",
                 "fit_endemic_epidemic", "simulate_endemic_epidemic"):
        assert name in analysis.__all__
        assert callable(getattr(analysis, name))
