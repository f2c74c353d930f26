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
# negative-binomial count model of incidents per period with a smooth trend (a natural
# cubic spline whose degrees of freedom, from none to one per year, are chosen by AIC),
# annual harmonics and a regime step at the Taliban takeover (15 August 2021, when the
# series covers enough periods on both sides). The change of the trend over the window
# is read from the fitted spline with its delta-method interval. Change points are found
# by PELT with a negative-binomial cost around a seasonal baseline; the penalty is
# calibrated by simulation from the fitted no-break model, so that a series like this
# one without a break shows a false one with probability 5%, and every change date
# comes with an interval.

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
from analysis.report.phrases import breaks_sentence, change_sentence, ratio_sentence
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
fit = rep.attempt("Negative-binomial count model", fit_frequency, counts, breaks=breaks, seed=seed)
if fit is None:
    fit = rep.attempt(
        "Poisson count model", fit_frequency, counts, breaks=breaks, family="poisson", seed=seed
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
    rep.details("Count model: dispersion, seasonality and residual tests", fit.tests)
    tr = fit.trend_ratio().iloc[0]
    span = f"from {tr['start']:%b %Y} to {tr['end']:%b %Y}"
    rep.number("trend_ratio", tr["ratio"], f"Trend: rate ratio {span}", fmt="{:.3f}")
    if not fit.spec.trend.names:
        rep.finding(
            "trend",
            f"Incidents per {unit} show no trend {span}: the model of lowest AIC has a "
            "constant level (a trend does not improve the fit enough to be kept).",
        )
    elif rep.trusted("Trend", fit, tr["ratio"], tr["ci_low"], tr["ci_high"],
                     ratio_interval=(tr["ci_low"], tr["ci_high"])):
        rep.finding("trend", change_sentence(
            f"Incidents per {unit}", tr["ratio"], tr["ci_low"], tr["ci_high"], per=span,
            conf_level=fit.conf_level,
        ))
    for _, r in fit.regime_effects().iterrows():
        key = f"regime_{r['date']:%Y%m%d}"
        rep.number(key, r["irr"], f"Regime step from {r['date']:%Y-%m-%d}: rate ratio after/before", fmt="{:.3f}")
        if rep.trusted(f"Step at {r['date']:%-d %B %Y}", fit, r["irr"], r["irr_low"], r["irr_high"],
                       ratio_interval=(r["irr_low"], r["irr_high"])):
            rep.finding(key, ratio_sentence(
                f"From {r['date']:%-d %B %Y}, the rate of incidents per {unit} (trend and "
                "season held fixed)", r["irr"], r["irr_low"], r["irr_high"], than="as before",
                conf_level=fit.conf_level,
            ))
    rep.number("dispersion_alpha", fit.alpha, "Negative-binomial dispersion alpha", fmt="{:.3g}")

# %% [markdown]
# ## Change points
#
# PELT segments the series into periods of constant level around the seasonal
# baseline; each segment's rate has a 95% confidence interval and each change date an
# interval from a parametric bootstrap.

# %%
cp = rep.attempt("Change points", change_points, counts, seed=seed)
if cp is not None:
    ax = cp.plot()
    ax.set_xlabel(unit)
    ax.set_ylabel(f"incidents per {unit}")
    rep.show(ax.figure, "change_points", f"Incidents per {unit} with PELT segments and their rates")
    rep.details("Segments between change points (rate per period)", cp.segments.reset_index(),
                name="segments")
    rep.result(cp, "change_points", "Change points")
    rep.number(
        "change_points", ", ".join(f"{d:%Y-%m}" for d in cp.dates) or "none",
        f"Change points (PELT, {cp.cost} cost, {cp.penalty_rule} penalty)",
    )
    loc = cp.locations
    intervals = None if loc is None else list(zip(loc["date_low"], loc["date_high"], strict=True))
    rep.finding("change_points", breaks_sentence(f"Incidents per {unit}", cp.dates, intervals))
