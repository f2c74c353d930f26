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
# # Attack frequency and change points
#
# Did attacks rise or fall, by how much, and when did the pattern change? A
# negative-binomial count model of incidents per period with a log-linear trend,
# annual harmonics and a regime effect for the Taliban takeover (15 August 2021,
# when the series covers enough periods on both sides), and change points found by
# PELT with an exact negative-binomial cost.

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

# %%
from analysis import config, plotting
from analysis._periods import unit_name
from analysis.models.changepoints import change_points
from analysis.models.frequency import fit_frequency
from analysis.report import open_section
from analysis.report.helpers import breaks_within
from analysis.series import incident_counts

df, rep = open_section(
    "02_frequency", data_paths=data_paths, perpetrator=perpetrator, start=start, end=end,
    report_dir=report_dir, source=source,
)
with rep.cautions("Count series"):
    counts = incident_counts(df, freq, start=start, end=end)
breaks = breaks_within(counts.index, [config.TALIBAN_TAKEOVER], min_periods=12)
unit = unit_name(freq)

# %% [markdown]
# > **Caveat.** With a curated set of notable attacks (the bundled dataset), counts
# > measure *reported notable attacks*; a trend can reflect changes in reporting and in
# > what was selected as much as changes in violence.

# %%
ax = plotting.cumulative_counts(
    df, by="perpetrator", title="Cumulative incidents by perpetrator",
    ylabel="incidents since the start (cumulative)",
)
rep.show(ax.figure, "cumulative_by_perpetrator", "Cumulative incidents by attributed perpetrator")

# %%
fit = rep.attempt("Negative-binomial count model", fit_frequency, counts, breaks=breaks)
if fit is None:
    fit = rep.attempt(
        "Poisson count model", fit_frequency, counts, breaks=breaks, family="poisson"
    )
if fit is not None:
    ax = fit.plot()
    ax.set_title(f"Incidents per {unit}: observed and fitted")
    ax.set_xlabel(unit)
    ax.set_ylabel(f"incidents per {unit}")
    rep.show(
        ax.figure, "fitted",
        f"Observed incidents per {unit}, fitted {fit.family} mean and 95% prediction band",
    )
    rep.result(fit, "frequency_model", "Count model: coefficients (IRR = incidence-rate ratio)")
    rep.table(fit.tests.reset_index(), "frequency_tests", "Dispersion, seasonality and residual tests.")
    irr = fit.irr()
    t = irr.loc["trend"]
    rep.number(
        "trend_irr", f"{t['irr']:.3f} (95% CI {t['irr_low']:.3f} to {t['irr_high']:.3f})",
        "Trend: incidence-rate ratio per year",
    )
    for b in breaks:
        r = irr.loc[f"regime {b}"]
        rep.number(
            f"regime_irr_{b.replace('-', '')}",
            f"{r['irr']:.3f} (95% CI {r['irr_low']:.3f} to {r['irr_high']:.3f})",
            f"Regime effect from {b}: rate ratio after/before",
        )
    rep.number("dispersion_alpha", fit.alpha, "Negative-binomial dispersion alpha", fmt="{:.3g}")

# %% [markdown]
# ## Change points
#
# PELT with the exact negative-binomial cost (dispersion estimated, so that
# overdispersed counts are not cut into many short segments) and the BIC penalty finds
# the periods where the attack rate shifted; each segment's rate has a 95% confidence
# interval.

# %%
cp = rep.attempt("Change points", change_points, counts, cost="negbin", penalty="bic")
if cp is not None:
    ax = cp.plot()
    ax.set_xlabel(unit)
    ax.set_ylabel(f"incidents per {unit}")
    rep.show(ax.figure, "change_points", f"Incidents per {unit} with PELT segments and their rates")
    rep.table(cp.segments.reset_index(), "segments", "Segments between change points (rate per period).")
    rep.number(
        "change_points", ", ".join(f"{d:%Y-%m}" for d in cp.dates) or "none",
        "Change points (PELT, negative-binomial cost, BIC penalty)",
    )
