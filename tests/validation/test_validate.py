"""validate_incidents on frames: whatever the cells hold, every row comes back either
valid or quarantined with a documented reason."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis
from analysis.schema import COLUMNS

from .._rows import frame, good_row

_cells = st.one_of(
    st.just(""),
    st.text(alphabet=string.printable, max_size=12),
    st.integers(-1000, 10**6).map(str),
    st.sampled_from(["2022-09-30", "1969-12-31", "2200-01-01", "ISKP", "Taliban", "AFG", "Kabul", "AF-KAB", "day", "claimed", "curated", "nan", "-"]),
)


@st.composite
def malformed_frames(draw):
    n = draw(st.integers(0, 6))
    rows = []
    for i in range(n):
        row = good_row(incident_id=f"P{i}")
        for col in draw(st.lists(st.sampled_from(COLUMNS), max_size=6, unique=True)):
            row[col] = draw(_cells)
        rows.append(row)
    return frame(*rows) if rows else frame(good_row()).iloc[0:0]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(malformed_frames())
def test_random_malformed_frames_never_lose_rows(df):
    out = analysis.validate_incidents(df)
    assert out.n_read == len(df)
    assert len(out.valid) + len(out.quarantined) == len(df)
    # every quarantined row has a reason, and every reason is a documented rule
    assert out.quarantined["reasons"].notna().all()
    from analysis.schema import RULES

    assert set(out.report["rule"]) <= set(RULES)
    # valid rows really are valid: validating them again quarantines nothing
    if len(out.valid):
        again = analysis.validate_incidents(out.valid)
        assert again.n_quarantined == 0
