"""merge_sources: recovers known duplicates in simulated multi-source data, keeps every
record, reconciles by the documented rule, and scales by blocking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import gazetteer
from analysis.schema import COLUMNS
from analysis.sources import merge_sources, read_source
from analysis.sources.merge import score_pairs

from ._sources import fixture


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for c in COLUMNS:
        if c not in df:
            df[c] = None
    for c in ("date", "date_earliest", "date_latest"):
        df[c] = pd.to_datetime(df[c])
    for c in ("killed_low", "killed_best", "killed_high", "wounded_low", "wounded_best", "wounded_high",
              "civilians_killed_best", "combatants_killed_best"):  # fmt: skip
        df[c] = df[c].astype("Int64")
    for c in ("latitude", "longitude"):
        df[c] = df[c].astype("float64")
    return df[list(COLUMNS)]


def _rec(iid, ds, day, *, prov="AF-KAB", perp="ISKP", low=None, best=None, high=None, end=None, prec="day", attack="bombing"):
    name = gazetteer.code_to_name(prov)
    return dict(incident_id=iid, source_dataset=ds, date=day, date_earliest=day, date_latest=end or day,
                date_precision=prec, country="AFG", province=name, province_code=prov, perpetrator=perp,
                attribution="attributed", attack_type=attack, killed_low=low, killed_best=best,
                killed_high=high, sources=ds)  # fmt: skip


def simulate(n_incidents: int, seed: int = 7):
    """Incidents seen by 1-3 datasets with date jitter and casualty noise; truth returned."""
    rng = np.random.default_rng(seed)
    codes = [p.code for p in gazetteer.PROVINCES]
    rows, truth = [], {}
    base = pd.Timestamp("2016-01-01")
    for k in range(n_incidents):
        day = base + pd.Timedelta(days=int(rng.integers(0, 1500)))
        prov = codes[rng.integers(0, len(codes))]
        perp = rng.choice(["ISKP", "Taliban", "unknown"], p=[0.3, 0.5, 0.2])
        killed = int(rng.negative_binomial(2, 0.2))
        seen = rng.choice(["gtd", "acled", "ucdp"], size=int(rng.integers(1, 4)), replace=False)
        for ds in seen:
            jitter = int(rng.integers(-1, 2)) if ds != "gtd" else 0
            d = day + pd.Timedelta(days=jitter)
            noisy = max(0, killed + int(rng.integers(-1, 2)))
            rec = _rec(f"{ds}-{k}", ds, d, prov=prov, perp=perp if rng.random() > 0.1 else "unknown",
                       low=noisy, best=noisy, high=noisy if ds != "acled" else None)  # fmt: skip
            rows.append(rec)
            truth[rec["incident_id"]] = k
    return _frame(rows), truth


def test_recovers_simulated_duplicates():
    df, truth = simulate(600)
    raw = merge_sources([df[df.source_dataset == s] for s in ("gtd", "acled", "ucdp")], view="raw")
    assert len(raw) == len(df)  # nothing deleted
    assert set(raw["incident_id"]) == set(df["incident_id"])
    true_group = raw["incident_id"].map(truth)
    # pairwise precision and recall over same-group pairs
    def pairs(labels):
        out = set()
        for _, ids in raw.groupby(labels)["incident_id"]:
            ids = sorted(ids)
            out |= {(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]}
        return out
    found, true = pairs(raw["group_id"]), pairs(true_group)
    precision = len(found & true) / len(found)
    recall = len(found & true) / len(true)
    assert precision > 0.97, precision
    assert recall > 0.85, recall
    # a group never holds two records of one dataset
    assert not raw.groupby("group_id")["source_dataset"].apply(lambda s: s.duplicated().any()).any()
    info = raw.attrs["merge"]
    assert info["records"] == len(df) and info["candidate_pairs"] < len(df) * 10  # blocking, not n^2


def test_reconciled_rule_and_provenance():
    df = _frame([
        _rec("gtd-1", "gtd", "2020-05-01", low=10, best=10, high=10),
        _rec("acled-1", "acled", "2020-05-01", low=8, best=8, high=None),
        _rec("ucdp-1", "ucdp", "2020-05-02", low=9, best=12, high=15),
        _rec("gtd-2", "gtd", "2020-05-20", prov="AF-KAN", perp="Taliban", low=1, best=1, high=1),
    ])  # fmt: skip
    rec = merge_sources(df)
    assert len(rec) == 2
    g = rec[rec["n_records"] == 3].iloc[0]
    assert (g.killed_low, g.killed_best, g.killed_high) == (8, 10, 15)  # min low, median best, max high
    assert g.member_ids == "gtd-1; acled-1; ucdp-1" or set(g.member_ids.split("; ")) == {"gtd-1", "acled-1", "ucdp-1"}
    assert set(g.source_datasets.split("; ")) == {"gtd", "acled", "ucdp"}
    assert g.source_dataset == "other" and g.incident_id == g.group_id
    single = rec[rec["n_records"] == 1].iloc[0]
    assert single.incident_id == "gtd-2" and pd.isna(single.match_score)
    raw = merge_sources(df, view="raw")
    pd.testing.assert_frame_equal(raw[list(COLUMNS)], df)  # the raw view is the records, untouched
    assert raw.loc[raw.incident_id == "gtd-2", "group_size"].item() == 1


def test_incompatible_records_are_not_linked():
    df = _frame([
        _rec("gtd-1", "gtd", "2020-05-01", perp="ISKP", low=10, best=10, high=10),
        _rec("acled-1", "acled", "2020-05-01", perp="Taliban", low=10, best=10),  # other group
        _rec("ucdp-1", "ucdp", "2020-05-01", perp="ISKP", low=80, best=90, high=100),  # other toll
        _rec("acled-2", "acled", "2020-05-01", prov="AF-NAN", perp="ISKP", low=10, best=10),  # other province
        _rec("ucdp-2", "ucdp", "2020-03-01", end="2020-12-31", prec="year", low=10, best=10, high=10),  # vague
    ])  # fmt: skip
    raw = merge_sources(df, view="raw")
    assert (raw["group_size"] == 1).all()


def test_ambiguous_perpetrator_resolved_by_a_specific_member():
    df = _frame([
        _rec("acled-1", "acled", "2021-08-26", perp="Taliban and/or ISKP", low=170, best=170),
        _rec("gtd-1", "gtd", "2021-08-26", perp="ISKP", low=170, best=183, high=185),
    ])  # fmt: skip
    rec = merge_sources(df)
    assert len(rec) == 1 and rec.loc[0, "perpetrator"] == "ISKP"
    assert (rec.loc[0, "killed_low"], rec.loc[0, "killed_best"], rec.loc[0, "killed_high"]) == (170, 177, 185)


def test_score_golden_value():
    df = _frame([
        _rec("a", "gtd", "2020-05-01", low=10, best=10, high=10, attack="suicide_bombing"),
        _rec("b", "acled", "2020-05-02", perp="unknown", low=10, best=10, attack="bombing"),
    ])  # fmt: skip
    s = score_pairs(df, np.array([0]), np.array([1]), date_tolerance_days=1).iloc[0]
    # windows [Apr 30, May 2] and [May 1, May 3]: overlap 2 of 3 days, both narrow
    assert s["date"] == pytest.approx(2 / 3)
    assert (s["killed"], s["perpetrator"], s["place"], s["attack"]) == (1.0, 0.5, 0.5, 0.75)
    assert s["score"] == pytest.approx(0.35 * 2 / 3 + 0.25 + 0.2 * 0.5 + 0.1 * 0.5 + 0.1 * 0.75)


def test_bad_arguments():
    df = read_source(fixture("gtd_numeric.csv"))
    with pytest.raises(ValueError, match="view"):
        merge_sources(df, view="both")
    with pytest.raises(ValueError, match="unique"):
        merge_sources([df, df])
    with pytest.raises(ValueError, match="canonical"):
        merge_sources([df.drop(columns=["perpetrator"])])


@pytest.mark.realdata
@pytest.mark.filterwarnings("ignore::analysis.sources.adapter.UnknownColumnWarning")  # the extract's x_ columns
def test_real_gtd_and_ucdp_merge_keeps_every_record(realdata, tmp_path):
    gtd = read_source(realdata("gtd_2012_2015_afg.csv"), quarantine=tmp_path / "g.csv")
    ucdp = read_source(realdata("ucdp_ged231_sample1000.csv"), quarantine=tmp_path / "u.csv")
    raw = merge_sources([gtd, ucdp], view="raw")
    assert len(raw) == len(gtd) + len(ucdp)
    assert raw["incident_id"].is_unique
    rec = merge_sources([gtd, ucdp])
    assert rec["n_records"].sum() == len(raw)
    assert len(rec) == raw["group_id"].nunique()
    linked = rec[rec["n_records"] > 1]
    assert (linked["match_score"] >= 0.6).all()
    assert (linked["source_datasets"] == "gtd; ucdp").all() or set(linked["source_datasets"]) <= {"gtd; ucdp", "ucdp; gtd"}
