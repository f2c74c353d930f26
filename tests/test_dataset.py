"""Guards on the bundled dataset (data/*.csv) and its link to the report corpus.

The curated tables are hand-coded from the seed reports and ../shared/reports/reports.csv
(see data/README.md). These tests check that every incident validates and cites its
evidence, that each incident's range spans every linked report's own figures by the
codebook's rule, and, when ../shared is present, that every report in the corpus is
either coded into an incident or listed with the reason it was not.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import config, load_incidents
from analysis.schema import COLUMNS, PERPETRATORS

DATA = config.PROJECT_DIR / "data"
SEED_REF = re.compile(r"^seeds/\d{3}_[0-9a-f]{16}\.txt$")
REPORT_REF = re.compile(r"^R\d{3}$")
PARA = re.compile(r"¶(\d+)")
STEMS = ("killed", "wounded")
ROLES = {"primary", "mention"}


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def incidents() -> pd.DataFrame:
    return load_incidents()


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    s = _read("incident_sources.csv")
    for stem in STEMS:
        for part in ("low", "best", "high"):
            s[f"{stem}_{part}"] = pd.to_numeric(s[f"{stem}_{part}"]).astype("Int64")
    return s


@pytest.fixture(scope="module")
def totals() -> pd.DataFrame:
    return _read("reported_totals.csv")


@pytest.fixture(scope="module")
def uncoded() -> pd.DataFrame:
    return _read("uncoded_reports.csv")


# ------------------------------------------------------------------ incidents.csv
def test_bundled_file_validates_and_is_curated(incidents):
    assert len(incidents) > 0
    assert list(incidents.columns) == list(COLUMNS)
    assert incidents.attrs["validation"]["rows_quarantined"] == 0
    assert (incidents["source_dataset"] == "curated").all()
    assert incidents["incident_id"].str.fullmatch(r"CUR-\d{4}").all()


def test_every_incident_cites_evidence(incidents, sources):
    for row in incidents.itertuples():
        assert isinstance(row.evidence, str) and row.evidence.strip(), row.incident_id
        assert isinstance(row.sources, str) and row.sources.strip(), row.incident_id
        assert isinstance(row.notes, str) and len(row.notes) > 40, row.incident_id
        refs = sources.loc[sources["incident_id"] == row.incident_id, "source_ref"]
        assert len(refs) > 0, f"{row.incident_id} has no source rows"
        for ref in refs:
            assert ref in row.evidence, f"{row.incident_id}: {ref} not cited in evidence"
        # each seed citation points to paragraphs
        for ref in refs[refs.str.startswith("seeds/")]:
            assert re.search(re.escape(ref) + r" ¶\d+", row.evidence), (row.incident_id, ref)


def test_coordinates_are_province_centroids(incidents):
    from analysis.gazetteer import centroid

    for row in incidents.itertuples():
        assert row.geo_precision == "province"
        assert (row.latitude, row.longitude) == pytest.approx(centroid(row.province))


def test_unknown_perpetrator_is_never_claimed(incidents):
    assert incidents["perpetrator"].isin(PERPETRATORS).all()
    unknown = incidents[incidents["perpetrator"] == "unknown"]
    assert unknown["attribution"].isin(["unclaimed", "unknown"]).all()


# ------------------------------------------------------------------ incident_sources.csv
def test_sources_link_to_incidents(incidents, sources):
    assert set(sources["incident_id"]) <= set(incidents["incident_id"])
    assert set(sources["role"]) <= ROLES
    primary = sources[sources["role"] == "primary"]
    assert set(primary["incident_id"]) == set(incidents["incident_id"]), (
        "incident without a primary source"
    )
    ok_ref = sources["source_ref"].str.fullmatch(SEED_REF.pattern) | sources[
        "source_ref"
    ].str.fullmatch(REPORT_REF.pattern)
    assert ok_ref.all(), sources.loc[~ok_ref, "source_ref"].tolist()
    assert not sources.duplicated(["incident_id", "source_ref"]).any()
    # a mention carries no figures of its own
    mentions = sources[sources["role"] == "mention"]
    figs = [f"{s}_{p}" for s in STEMS for p in ("low", "best", "high")]
    assert mentions[figs].isna().all().all()


def test_each_report_figures_are_ordered(sources):
    for stem in STEMS:
        lo, best, hi = (sources[f"{stem}_{p}"] for p in ("low", "best", "high"))
        both = lo.notna() & hi.notna()
        assert (lo[both] <= hi[both]).all()
        b = best.notna() & lo.notna() & hi.notna()
        assert ((lo[b] <= best[b]) & (best[b] <= hi[b])).all()
        assert (lo.dropna() >= 0).all()


def _upper_median(values: list[int]) -> int:
    v = sorted(values)
    return v[len(v) // 2]


def test_incident_ranges_span_every_report(incidents, sources):
    """low = min of the reports' lows, high = max of their highs, best = upper median of bests."""
    by_id = incidents.set_index("incident_id")
    for iid, group in sources.groupby("incident_id"):
        row = by_id.loc[iid]
        for stem in STEMS:
            lows = group[f"{stem}_low"].dropna().tolist()
            highs = group[f"{stem}_high"].dropna().tolist()
            bests = group[f"{stem}_best"].dropna().tolist()
            if not lows:
                assert pd.isna(row[f"{stem}_low"]), (iid, stem)
                continue
            assert all(row[f"{stem}_low"] <= x for x in lows), (iid, stem)
            assert all(row[f"{stem}_high"] >= x for x in highs), (iid, stem)
            assert row[f"{stem}_low"] == min(lows), (iid, stem)
            assert row[f"{stem}_high"] == max(highs), (iid, stem)
            assert row[f"{stem}_best"] == _upper_median(bests), (iid, stem)


def test_attack_precedes_its_dated_reports(incidents, sources):
    """No incident window starts after the publication of a report that describes it."""
    by_id = incidents.set_index("incident_id")
    pub = pd.to_datetime(
        sources["published"].str.extract(r"^(\d{4}-\d{2}-\d{2})")[0], errors="coerce"
    )
    for iid, p in zip(sources["incident_id"], pub, strict=True):
        if pd.notna(p):
            assert by_id.loc[iid, "date_earliest"] <= p, iid
            assert by_id.loc[iid, "date"] <= p, iid


# ------------------------------------------------------------------ other tables
def test_uncoded_reports_have_reasons(uncoded, sources):
    assert set(uncoded.columns) >= {"report_id", "reason", "detail"}
    assert uncoded["report_id"].str.fullmatch(REPORT_REF.pattern).all()
    assert (
        uncoded["reason"]
        .isin(["not_an_attack", "outside_afghanistan", "duplicate", "insufficient"])
        .all()
    )
    assert uncoded["detail"].str.len().gt(20).all()
    assert not set(uncoded["report_id"]) & set(
        sources.loc[sources["role"] == "primary", "source_ref"]
    )


def test_reported_totals_are_well_formed(totals):
    assert totals["total_id"].is_unique
    assert (
        totals["kind"]
        .isin(["aggregate_toll", "counter_terrorism", "strength_estimate", "incident_count"])
        .all()
    )
    assert totals["source_ref"].str.fullmatch(SEED_REF.pattern).all()
    assert totals["evidence"].str.contains("¶").all()
    lo, best, hi = (pd.to_numeric(totals[c]) for c in ("value_low", "value_best", "value_high"))
    assert (lo.isna() | best.isna() | (lo <= best)).all()
    assert (best.isna() | hi.isna() | (best <= hi)).all()
    start, end = pd.to_datetime(totals["period_start"]), pd.to_datetime(totals["period_end"])
    assert (start.isna() | end.isna() | (start <= end)).all()


# ------------------------------------------------------------------ against ../shared
def _paragraphs(path: Path) -> list[str]:
    """The codebook's paragraphs: the non-blank lines of a seed file, numbered from 1."""
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def test_every_report_is_coded_or_explained(shared_dir, sources, uncoded):
    reports = pd.read_csv(shared_dir / "reports" / "reports.csv", dtype=str, keep_default_na=False)
    corpus = set(reports["report_id"])
    primary = sources[
        (sources["role"] == "primary") & sources["source_ref"].str.match(REPORT_REF.pattern)
    ]
    linked = primary["source_ref"].value_counts()
    listed = set(uncoded["report_id"])
    assert set(linked.index) <= corpus, set(linked.index) - corpus
    assert listed <= corpus
    assert (
        not set(sources["source_ref"][sources["source_ref"].str.match(REPORT_REF.pattern)]) - corpus
    )
    missing = corpus - set(linked.index) - listed
    assert not missing, f"reports neither coded nor explained: {sorted(missing)}"
    assert not set(linked.index) & listed
    # a report is coded into one incident, unless it covers several attacks itself
    several = reports.set_index("report_id")["province"].str.contains(";")
    for rid, n in linked.items():
        assert n == 1 or several[rid], f"{rid} is the primary source of {n} incidents"


def test_corpus_fields_are_carried_over_verbatim(shared_dir, sources):
    reports = pd.read_csv(shared_dir / "reports" / "reports.csv", dtype=str, keep_default_na=False)
    rep = reports.set_index("report_id")
    text_cols = [
        "source_ref",
        "outlet",
        "title_or_url",
        "killed_as_reported",
        "wounded_as_reported",
    ]
    coded = sources["source_ref"].str.match(REPORT_REF.pattern) & (sources["role"] == "primary")
    rows = sources.loc[coded, text_cols].fillna("")
    for r in rows.itertuples():
        assert r.title_or_url == rep.at[r.source_ref, "url"]
        assert r.outlet == rep.at[r.source_ref, "outlet"]
        assert r.killed_as_reported == rep.at[r.source_ref, "killed_as_reported"]
        assert r.wounded_as_reported == rep.at[r.source_ref, "wounded_as_reported"]


def test_every_seed_is_cited_at_a_real_paragraph(shared_dir, sources, totals):
    seeds = sorted((shared_dir / "seeds").glob("*.txt"))
    assert seeds
    cited: dict[str, set[int]] = {}
    seed_rows = sources[sources["source_ref"].str.startswith("seeds/")]
    for ref, ev in [
        *zip(seed_rows["source_ref"], seed_rows["evidence"], strict=True),
        *zip(totals["source_ref"], totals["evidence"], strict=True),
    ]:
        cited.setdefault(ref, set()).update(int(p) for p in PARA.findall(ev))
    for path in seeds:
        ref = f"seeds/{path.name}"
        assert cited.get(ref), f"{ref} is not cited"
        n = len(_paragraphs(path))
        assert max(cited[ref]) <= n, f"{ref}: cites ¶{max(cited[ref])} of {n}"


def test_seed_figures_appear_in_cited_paragraphs(shared_dir, sources):
    """A coded seed figure must be written in one of the paragraphs it cites."""
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
    numeric = re.compile(r"\d|\b(one|two|three|four|five|six)\b")
    seed_rows = sources[
        sources["source_ref"].str.startswith("seeds/") & (sources["role"] == "primary")
    ]
    for r in seed_rows.itertuples():
        paras = _paragraphs(shared_dir / r.source_ref)
        text = " ".join(paras[int(p) - 1] for p in PARA.findall(r.evidence)).lower()
        for stem in STEMS:
            best = getattr(r, f"{stem}_best")
            phrase = getattr(r, f"{stem}_as_reported")
            if pd.isna(best) or not numeric.search(str(phrase)):
                continue  # a count of named victims ("the provincial police chief") has no numeral
            best = int(best)
            variants = {
                str(best),
                words.get(best, str(best)),
                str(best - 1),
            }  # "more than N" -> N + 1
            assert any(re.search(rf"\b{re.escape(v)}\b", text) for v in variants), (
                r.incident_id,
                stem,
                best,
            )


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def test_day_dates_fall_on_the_reported_weekday(incidents, sources):
    """For a single-day incident, the first weekday each report names is the date's weekday."""
    one_day = incidents[incidents["date_earliest"] == incidents["date_latest"]].set_index(
        "incident_id"
    )
    rows = sources[(sources["role"] == "primary") & sources["incident_id"].isin(one_day.index)]
    checked = 0
    for r in rows.itertuples():
        m = re.search("|".join(WEEKDAYS), str(r.date_as_reported).lower())
        if m is None:
            continue
        assert one_day.at[r.incident_id, "date"].day_name().lower() == m.group(0), (
            r.incident_id,
            r.source_ref,
            r.date_as_reported,
        )
        checked += 1
    assert checked > 30
