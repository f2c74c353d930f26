# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Casualty severity and trends
#
# How deadly are attacks, is that changing, and how likely is another mass-casualty
# attack? The tail of the deaths-per-attack distribution is fitted by the method of
# Clauset, Shalizi & Newman (2009): a discrete power law above a threshold x_min
# chosen by the minimum Kolmogorov–Smirnov distance, with a bootstrap goodness-of-fit
# test and likelihood-ratio tests against other heavy tails. Every casualty figure is
# uncertain, so each statistic is computed on the low, best and high counts: a
# conclusion that changes within that band is flagged.

# %% tags=["parameters"]
data_paths = None  # list of incident files (None: the bundled dataset)
perpetrator = None  # e.g. "ISKP" (None: all perpetrators)
start = None  # first date analysed, e.g. "2016-01-01" (None: first incident)
end = None  # last date analysed (None: last incident)
freq = "MS"  # period of the count series
seed = 20211015  # random seed for everything stochastic
n_sims = 200  # Monte Carlo size (bootstrap replicates, simulations)
report_dir = None  # set by the report build (None: show only, save nothing)
source = None  # data description for captions (None: derived from data_paths)
large_size = 100  # deaths that define a "large" attack for the probability estimate

# %%
import pandas as pd

from analysis.models.lethality import casualty_trend
from analysis.models.severity import fit_severity, large_event_probability
from analysis.report import open_section
from analysis.report.helpers import deadly_sizes, severity_band, slug
from analysis.report.phrases import change_sentence, share_sentence, tail_sentence

df, rep = open_section(
    "04_severity", data_paths=data_paths, perpetrator=perpetrator, start=start, end=end,
    report_dir=report_dir, source=source,
)
sizes, n_unknown, n_zero = deadly_sizes(df, "killed_best")
rep.text(
    f"{len(sizes):,} incidents killed at least one person (best estimate); {n_zero:,} killed "
    f"nobody and {n_unknown:,} have no known death toll (left out)."
)
rep.number("deadly_incidents", len(sizes), "Incidents with at least one death (best estimate)")

# %% [markdown]
# ## Tail of deaths per attack

# %%
tail = rep.attempt(
    "Power-law tail fit", fit_severity, sizes, n_sims=n_sims, seed=seed, progress=False
)
if tail is not None:
    ax = tail.plot()
    ax.set(title="Deaths per attack: empirical CCDF and fitted tails",
           xlabel="people killed in one attack (best estimate)",
           ylabel="share of attacks with at least x deaths")
    rep.show(ax.figure, "ccdf", "Complementary CDF of deaths per attack, log-log, with fitted tails")
    a = tail.to_frame().loc["alpha"]
    if rep.trusted("Power-law exponent", tail, tail.alpha):
        rep.finding("tail", tail_sentence(
            "Deaths per attack", tail.alpha, a["ci_low"], a["ci_high"], x_min=tail.x_min,
            n_tail=tail.n_tail, gof_p=tail.gof_p, conf_level=tail.conf_level,
            reliable=tail.reliable,
        ))
    rep.result(tail, "tail_fit", "Power-law tail: estimates (bootstrap intervals)")
    rep.details("Likelihood-ratio tests against other tails", tail.comparisons, name="tail_comparisons")
    rep.number("tail_alpha", tail.alpha, "Power-law exponent alpha", fmt="{:.2f}")
    rep.number("tail_gof_p", tail.gof_p, "Power-law goodness-of-fit p (bootstrap)", fmt="{:.2f}")

# %% [markdown]
# ### Low / best / high band
#
# The tail fit repeated on the low, best and high death tolls: a verdict on the power
# law that changes within this band is flagged.

# %%
band = rep.attempt(
    "Tail fit across the low/best/high band", severity_band, df, fit_severity,
    n_sims=max(n_sims // 4, 0), seed=seed, progress=False,
)
if band is not None:
    rep.details("The tail fit on low, best and high death tolls", band, name="tail_band")
    rep.number(
        "tail_alpha_band", f"{band['alpha'].min():.2f} to {band['alpha'].max():.2f}",
        "Power-law alpha across low/best/high tolls",
    )
    if not band["conclusion_stable"].all():
        rep.note("**The power-law verdict changes within the low/best/high band.**")

# %% [markdown]
# ## Probability of a large attack
#
# The probability of at least one attack with `large_size` or more deaths among as
# many attacks as the data hold, following Clauset & Woodard (2013): the tail model is
# refitted on bootstrap resamples and the probability computed under each model.

# %%
big = rep.attempt(
    f"Probability of an attack killing {large_size} or more", large_event_probability,
    sizes, large_size, n_sims=n_sims, seed=seed, progress=False,
)
if big is not None:
    ax = big.plot()
    ax.set_title(f"Probability of at least one attack with {large_size}+ deaths")
    ax.set_xlabel("tail model")
    rep.show(
        ax.figure, "large_event",
        f"Bootstrap distribution of P(at least one attack >= {large_size} deaths); bar: estimate",
    )
    rep.result(big, "large_event", "Probability of a large attack under each tail model")
    pl = big.table.loc["power_law"]
    rep.number("p_large_attack", pl["estimate"], f"P(at least one attack with {large_size}+ deaths), power law", fmt="{:.2f}")
    if rep.trusted("Probability of a large attack", big, pl["estimate"], pl["ci_low"], pl["ci_high"]):
        rep.finding("large_attack", share_sentence(
            f"Probability of at least one attack killing {large_size} or more among "
            f"{big.n_events:,} attacks (power-law tail, bootstrap interval)", pl["estimate"],
            pl["ci_low"], pl["ci_high"], conf_level=big.conf_level,
        ))

# %% [markdown]
# ## Lethality over time
#
# Killed per attack by year from a negative-binomial model of deaths per incident with
# a linear time trend, a Mann–Kendall test on the yearly median, and the share of
# mass-casualty attacks (10 or more killed), each on the low, best and high counts.

# %%
by = "perpetrator" if perpetrator is None else None
trend = rep.attempt(
    "Lethality trend", casualty_trend, df, freq="YS", by=by, n_sims=n_sims, seed=seed
)
if trend is not None:
    ax = trend.plot()
    ax.set(title="Killed per attack by year (best; band: low to high)", xlabel="year",
           ylabel="people killed per attack")
    rep.show(ax.figure, "lethality", "Killed per attack per year: observed (points), NB trend (line)")
    rep.details("Lethality trend tests (low, best and high counts)", trend.tests, name="lethality_tests")
    rep.details("Killed per attack and mass-casualty share by year", trend.periods, name="lethality_periods")
    if len(trend.unstable):
        rep.note(
            "**Some lethality conclusions change within the low/best/high band:** "
            + "; ".join(sorted(set(trend.unstable["group"] + ": " + trend.unstable["test"])))
        )
    best = trend.tests.query("band == 'best' and test.str.startswith('killed per attack')")
    for r in best.itertuples():
        rep.number(f"lethality_rr_{slug(r.group)}", r.estimate,
                   f"Killed per attack, rate ratio per year ({r.group})", fmt="{:.2f}")
        what = f"Deaths per attack ({r.group})" if by else "Deaths per attack"
        reason = next((n for n in trend.notes if n.startswith(f"{r.group} / best")), "")
        if not all(map(pd.notna, (r.estimate, r.ci_low, r.ci_high))):
            rep.not_estimable(what, reason.split(": ", 1)[-1] or "no finite interval")
        elif rep.trusted(what, trend, ratio_interval=(r.ci_low, r.ci_high)):
            rep.finding(f"lethality_{slug(r.group)}", change_sentence(
                what, r.estimate, r.ci_low, r.ci_high, per="a year", conf_level=trend.conf_level,
            ))
