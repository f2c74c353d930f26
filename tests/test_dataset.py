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

DATA = config.DATA_DIR
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


# ------------------------------------------------------------------ second-coder audit guards
_WD_ABBR = r"(Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_DAY_MONTH_YEAR = re.compile(
    _WD_ABBR + r",?\s*\(?\s*(\d{1,2})(?:st|nd|rd|th)?\s+([A-Z][a-z]+)\.?,?\s+(\d{4})"
)
_MONTH_DAY_YEAR = re.compile(
    _WD_ABBR + r",?\s*\(?\s*([A-Z][a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})"
)


def _written_weekday_dates(text: str):
    """Yield (match, stated weekday prefix, date) for 'Friday 20 October 2017'-like phrases."""
    for rx, order in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
        for m in rx.finditer(text):
            wd, a, b, year = m.groups()
            day, month = (a, b) if order == "dmy" else (b, a)
            mon = _MONTHS.get(month[:3].lower())
            if mon is None:
                continue
            yield m.group(0), wd, pd.Timestamp(int(year), mon, int(day))


def test_written_dates_name_their_true_weekday(incidents, sources):
    """Every 'Weekday D Month YYYY' written in notes, source rows or the codebook is right."""
    texts = [("README", (DATA / "README.md").read_text(encoding="utf-8"))]
    texts += list(zip(incidents["incident_id"], incidents["notes"], strict=True))
    texts += [
        (f"{r.incident_id}/{r.source_ref}", str(r.date_as_reported)) for r in sources.itertuples()
    ]
    checked = 0
    for name, text in texts:
        for phrase, wd, day in _written_weekday_dates(text):
            assert day.day_name().lower().startswith(wd.lower()), (name, phrase, day.day_name())
            checked += 1
    assert checked > 30


def _reference_date(published: str, url_date: str, url: str) -> pd.Timestamp | None:
    """The publication date a report's relative clues are read against (codebook R4)."""
    m = re.match(r"(\d{4}-\d{2}-\d{2})", published or "")
    if m:
        return pd.Timestamp(m.group(1))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", url_date or ""):
        return pd.Timestamp(url_date)
    m = re.search(r"(?<!\d)(20\d\d)(\d\d)(\d\d)(?!\d)", url or "")
    if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
        return pd.Timestamp(f"{m.group(1)}-{m.group(2)}-{m.group(3)}")
    m = re.search(r"date=(\d\d)-(\d\d)-(20\d\d)", url or "")
    if m:
        return pd.Timestamp(f"{m.group(3)}-{m.group(2)}-{m.group(1)}")
    return None


def _resolve_relative(clue: str, ref: pd.Timestamp) -> pd.Timestamp | None:
    """'yesterday' / 'today' / a weekday: the latest such day on or before ``ref``."""
    clue = clue.lower()
    if "yesterday" in clue or "previous day" in clue:
        return ref - pd.Timedelta(days=1)
    if re.search(r"\btoday\b", clue):
        return ref
    m = re.search("|".join(WEEKDAYS), clue)
    if m is None:
        return None
    back = (ref.day_of_week - WEEKDAYS.index(m.group(0))) % 7
    return ref - pd.Timedelta(days=back)


def test_relative_dates_resolve_inside_the_window(shared_dir, incidents, sources):
    """A report's weekday / 'yesterday', read against its publication date (or the date in its
    URL), falls inside the incident's window: the right week, not only the right weekday."""
    reports = pd.read_csv(
        shared_dir / "reports" / "reports.csv", dtype=str, keep_default_na=False
    ).set_index("report_id")
    by_id = incidents.set_index("incident_id")
    checked = 0
    for r in sources[sources["role"] == "primary"].itertuples():
        if r.source_ref in reports.index:
            rep = reports.loc[r.source_ref]
            ref = _reference_date(rep["published"], rep["url_date"], rep["url"])
        else:
            ref = _reference_date(str(r.published), "", "")
        if ref is None:
            continue
        day = _resolve_relative(str(r.date_as_reported), ref)
        if day is None:
            continue
        lo, hi = by_id.at[r.incident_id, "date_earliest"], by_id.at[r.incident_id, "date_latest"]
        assert lo <= day <= hi, (r.incident_id, r.source_ref, r.date_as_reported, ref, day)
        checked += 1
    assert checked > 50


def test_date_precision_is_the_narrowest_class_and_wide_dates_are_midpoints(incidents):
    """precision = the smallest class covering the window; a wider-than-a-day window's date is
    its middle, rounded down (codebook, `date`)."""
    from analysis.schema import DATE_PRECISIONS, MAX_WINDOW_DAYS

    for row in incidents.itertuples():
        width = (row.date_latest - row.date_earliest).days
        narrowest = next(
            p for p in DATE_PRECISIONS if MAX_WINDOW_DAYS[p] is None or width <= MAX_WINDOW_DAYS[p]
        )
        assert row.date_precision == narrowest, (row.incident_id, width, row.date_precision)
        if row.date_precision != "day":
            mid = row.date_earliest + pd.Timedelta(days=width // 2)
            assert row.date == mid, (row.incident_id, row.date, mid)


# Incidents whose single day rests on no dated source, with the documented reason.
_YEAR_FROM_CLUES = {"CUR-0068": "R087: Thursday + 14 Oct + Taliban police chief -> 2021 (R4)"}


def test_day_dates_rest_on_a_dated_source(shared_dir, incidents, sources):
    """No guessed years: a `day` incident has a source with a publication date, a date in its
    URL, or a year written in its date phrase (or is listed above with the reason)."""
    reports = pd.read_csv(
        shared_dir / "reports" / "reports.csv", dtype=str, keep_default_na=False
    ).set_index("report_id")
    for iid in incidents.loc[incidents["date_precision"] == "day", "incident_id"]:
        anchored = False
        for r in sources[sources["incident_id"] == iid].itertuples():
            if r.source_ref in reports.index:
                rep = reports.loc[r.source_ref]
                ref = _reference_date(rep["published"], rep["url_date"], rep["url"])
                phrase = rep["incident_date_as_reported"]
            else:
                ref, phrase = _reference_date(str(r.published), "", ""), str(r.date_as_reported)
            if ref is not None or re.search(r"\b(19|20)\d\d\b", phrase):
                anchored = True
        assert anchored or iid in _YEAR_FROM_CLUES, f"{iid}: the year rests on no dated source"


def test_corpus_citations_are_carried_over(shared_dir, incidents, sources):
    """Publication dates follow the corpus (`published`, else 'date unknown (URL date ...)'),
    the report's own phrases are unchanged, and `sources` lists exactly the linked reports."""
    reports = pd.read_csv(
        shared_dir / "reports" / "reports.csv", dtype=str, keep_default_na=False
    ).set_index("report_id")
    for r in sources[sources["source_ref"].str.match(REPORT_REF.pattern)].itertuples():
        rep = reports.loc[r.source_ref]
        if rep["published"] != "unknown":
            expected = rep["published"]
        elif rep["url_date"]:
            expected = f"date unknown (URL date {rep['url_date']})"
        else:
            expected = "date unknown"
        assert r.published == expected, (r.incident_id, r.source_ref, r.published, expected)
        if r.role == "primary":
            for col, field in (
                ("date_as_reported", "incident_date_as_reported"),
                ("perpetrator_as_reported", "perpetrator_as_reported"),
            ):
                assert (getattr(r, col) if pd.notna(getattr(r, col)) else "") == rep[field], (
                    r.incident_id,
                    r.source_ref,
                    col,
                )
    for row in incidents.itertuples():
        linked = sources[sources["incident_id"] == row.incident_id]
        cited = [f"{s.outlet}, {s.published}, {s.title_or_url}" for s in linked.itertuples()]
        assert sorted(row.sources.split(" | ")) == sorted(cited), row.incident_id


_NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|twenty)\b", re.I
)
_VAGUE = {"dozens": 24, "scores": 40, "tens": 20}


def test_vague_words_are_not_coded_next_to_a_number(sources):
    """'dozens' / 'scores' / 'tens' count (24 / 40 / 20) only when the report gives no number
    for the same count (R3): seed 002's 'dozens dead and injured' next to UNAMA's 19, R028's
    'tens' next to the ministry's eight."""
    checked = 0
    for r in sources.itertuples():
        for stem in STEMS:
            phrase = getattr(r, f"{stem}_as_reported")
            phrase = phrase if isinstance(phrase, str) else ""
            words = [w for w in _VAGUE if re.search(rf"\b{w}\b", phrase, re.I)]
            rest = re.sub(r"\b(dozens|scores|tens)\b", "", phrase, flags=re.I)
            if not words or not _NUMBER.search(rest):
                continue
            coded = {getattr(r, f"{stem}_{p}") for p in ("low", "best", "high")}
            for w in words:
                assert _VAGUE[w] not in coded, (r.incident_id, r.source_ref, stem, phrase)
            checked += 1
    assert checked >= 2


def test_civilian_and_combatant_shares_fit_the_toll(incidents, sources):
    """civilians + combatants <= killed_high; when a report says that all its dead were
    soldiers, police or Taliban fighters ('four Taliban forces', 'eight soldiers'), or all
    civilians ('at least eight civilians'), the matching share is coded."""
    civ = incidents["civilians_killed_best"]
    comb = incidents["combatants_killed_best"]
    high = incidents["killed_high"]
    assert high[civ.notna() | comb.notna()].notna().all()
    assert ((civ.fillna(0) + comb.fillna(0)) <= high.fillna(0)).all()
    only = {
        "combatants_killed_best": re.compile(
            r"^(at least )?\w+ (Taliban( forces| fighters)?|soldiers|members of the security "
            r"forces)(\s*\([^;]*\))?$"
        ),
        "civilians_killed_best": re.compile(
            r"^(at least |more than )?\w+ civilians(\s*\([^;]*\))?$", re.I
        ),
    }
    by_id = incidents.set_index("incident_id")
    checked = 0
    for r in sources[sources["role"] == "primary"].itertuples():
        phrase = r.killed_as_reported if isinstance(r.killed_as_reported, str) else ""
        for col, rx in only.items():
            if rx.match(phrase) and pd.notna(r.killed_best):
                assert pd.notna(by_id.at[r.incident_id, col]), (r.incident_id, col, phrase)
                checked += 1
    assert checked >= 9


_EXPLOSIVES = re.compile(r"bomb|blast|explo|suicide", re.I)


def test_armed_assaults_report_no_explosives(shared_dir, incidents, sources):
    """`armed_assault` means gunmen with no explosives reported: none of the incident's
    primary reports speaks of a bomb, blast, explosion or suicide attacker in its URL or in the
    seed paragraphs cited (otherwise it is a `complex_attack`)."""
    reports = pd.read_csv(
        shared_dir / "reports" / "reports.csv", dtype=str, keep_default_na=False
    ).set_index("report_id")
    armed = set(incidents.loc[incidents["attack_type"] == "armed_assault", "incident_id"])
    assert armed
    primary = sources[sources["incident_id"].isin(armed) & (sources["role"] == "primary")]
    for r in primary.itertuples():
        if r.source_ref in reports.index:
            text = reports.at[r.source_ref, "url"]
        else:
            paras = _paragraphs(shared_dir / r.source_ref)
            text = " ".join(paras[int(p) - 1] for p in PARA.findall(r.evidence))
        assert not _EXPLOSIVES.search(text), (r.incident_id, r.source_ref)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


def test_notes_paraphrase_the_seeds(shared_dir, incidents, totals):
    """No run of eight words from a seed report appears in any note (paraphrase only)."""
    n = 8
    grams: set[tuple[str, ...]] = set()
    for path in (shared_dir / "seeds").glob("*.txt"):
        w = _words(path.read_text(encoding="utf-8"))
        grams.update(tuple(w[i : i + n]) for i in range(len(w) - n + 1))
    assert grams
    notes = list(zip(incidents["incident_id"], incidents["notes"], strict=True))
    notes += list(zip(totals["total_id"], totals["notes"].fillna(""), strict=True))
    for name, text in notes:
        w = _words(text)
        copied = [
            " ".join(w[i : i + n]) for i in range(len(w) - n + 1) if tuple(w[i : i + n]) in grams
        ]
        assert not copied, (name, copied[:2])
