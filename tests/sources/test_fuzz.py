"""Property: whatever the cells hold, an ingest never crashes, loses no row, and its
totals add up (rows in = mapped + quarantined; killed in = mapped + quarantined)."""

from __future__ import annotations

import csv

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.sources import ingest_frame

from ._sources import fixture

JUNK = st.one_of(
    st.sampled_from(["", "-", "0", "3", "2.5", "-9", "abc", "Kandahr", "Unknown", "1e3", " 7 ", "NaN", "\r", "12 March 2020",
                     "2020-02-30", "31/12/2019", "Taliban", "IS", "Taleban", "Afghanistan", "Atlantis", "0", "99"]),
    st.text(max_size=6),
)  # fmt: skip


def _template(name: str) -> pd.DataFrame:
    with open(fixture(name), newline="") as fh:
        rows = list(csv.reader(fh))
    return pd.DataFrame(rows[1:], columns=rows[0])


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(["gtd_numeric.csv", "acled.csv", "ucdp_ged.csv", "rand.csv"]),
    cells=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 60), JUNK), min_size=1, max_size=12),
)
def test_junk_never_crashes_and_balances(name, cells):
    df = _template(name)
    for r, c, v in cells:
        df.iat[r % len(df), c % df.shape[1]] = v
    out = ingest_frame(df, source=name)
    s = out.summary
    assert s.rows_in == len(df) == s.rows_mapped + s.rows_quarantined
    assert s.totals_agree, s.summary()
    assert out.quarantined["reasons"].notna().all()
    assert sorted(out.quarantined["row"]) == sorted(set(out.quarantined["row"]))  # each row once
    assert set(out.quarantined["row"]) <= set(range(1, len(df) + 1))
