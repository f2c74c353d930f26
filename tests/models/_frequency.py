"""Simulated incidents with known frequency parameters, for the frequency tests."""

from __future__ import annotations

import warnings

import analysis


def monthly(df, **kw):
    """Monthly incident counts, without the wide-date-window warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", analysis.WideDateWindowWarning)
        return analysis.incident_counts(df, "MS", **kw)


def simulated():
    """Twenty years of NB2 monthly counts: trend 0.05 a year, seasonal amplitude 0.4
    peaking in July, a step of -0.6 from 2008, dispersion 0.08. ``(incidents, counts)``."""
    df = analysis.simulate_incidents(n_years=20, start="1995-01-01", base_rate=40, trend=0.05,
                                     seasonal_amplitude=0.4, peak_month=7,
                                     breaks={"2008-01-01": -0.6}, dispersion=0.08, seed=21)
    return df, monthly(df)
