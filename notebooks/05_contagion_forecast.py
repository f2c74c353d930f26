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
# # Contagion and forecasts
#
# Does one attack make further attacks more likely, for how long, and does one
# group's violence provoke the other's? A Hawkes self-exciting process separates a
# background rate from triggered events; fitting it with a constant background and
# with a background that has a smooth trend (chosen by AIC) and a season shows how much
# apparent contagion is really trend and season. Forecast models are compared by a
# rolling-origin backtest (mean CRPS over all origins, with the coverage of their 50%
# and 90% intervals), and the next periods are forecast with the model that scores best.
#
# Ties: many incidents share a date. Event times are jittered uniformly within each
# incident's date window, and estimates are pooled over several jitter draws.

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
horizon = 3  # periods ahead to forecast
backtest_periods = 24  # how many of the last periods the backtest forecasts

# %%
from analysis._periods import unit_name
from analysis.models.forecast import backtest, forecast
from analysis.models.hawkes import fit_hawkes, fit_hawkes_bivariate
from analysis.report import open_section
from analysis.report.helpers import last_origins, two_streams
from analysis.report.phrases import (
    branching_sentence,
    coverage_sentence,
    forecast_sentence,
    test_sentence,
)
from analysis.series import incident_counts

df, rep = open_section(
    "05_contagion_forecast", data_paths=data_paths, perpetrator=perpetrator, start=start,
    end=end, report_dir=report_dir, source=source,
)
with rep.cautions("Count series"):
    counts = incident_counts(df, freq, start=start, end=end)
unit = unit_name(freq)

# %% [markdown]
# ## Self-excitation

# %%
fits = {}
for bg in ("constant", "trend_seasonal"):
    fits[bg] = rep.attempt(
        f"Hawkes model ({bg.replace('_', ' ')} background)", fit_hawkes, df,
        background=bg, start=start, end=end, seed=seed, progress=False,
    )
for bg, h in fits.items():
    if h is None:
        continue
    rep.result(h, f"hawkes_{bg}", f"Hawkes process, {bg.replace('_', ' ')} background")
    rep.number(f"branching_{bg}", h.branching, f"Branching ratio, {bg.replace('_', ' ')} background", fmt="{:.2f}")
    rep.number(f"ks_pvalue_{bg}", h.ks_pvalue, f"Time-rescaling KS p, {bg.replace('_', ' ')} background", fmt="{:.2f}")
h, const = fits.get("trend_seasonal"), fits.get("constant")
if rep.trusted("Self-excitation (trend and seasonal background)", h, h and h.branching):
    text = branching_sentence(
        h.branching, *h.branching_ci, background="a smooth trend and a season",
        mean_delay=h.mean_delay,
    )
    if const is not None and const.estimable:
        lo, hi = const.branching_ci
        text += (f" With a constant background the ratio would be {const.branching:.2f} "
                 f"(95% CI {lo:.2f} to {hi:.2f}).")
    rep.finding("branching", text)

# %%
h = h or const
if h is not None:
    ax = h.plot()
    rep.show(
        ax.figure, "hawkes_qq",
        f"Time-rescaling QQ plot of the Hawkes model ({h.background.replace('_', ' ')} background); "
        "points on the diagonal mean a good fit",
    )

# %% [markdown]
# ## ISKP and Taliban: cross-excitation
#
# A bivariate Hawkes process with a trend-and-seasonal background per group and a
# shared decay. The likelihood-ratio test compares it with the model in which neither
# group's attacks raise the other's rate.

# %%
streams = two_streams(df, "ISKP", "Taliban")
if streams is None:
    rep.not_estimable(
        "Cross-excitation between ISKP and the Taliban",
        "fewer than 10 incidents of ISKP or of the Taliban in this selection.",
    )
else:
    biv = rep.attempt(
        "Bivariate Hawkes model", fit_hawkes_bivariate, *streams, names=("ISKP", "Taliban"),
        start=start, end=end, seed=seed,
    )
    if biv is not None:
        ax = biv.plot()
        ax.set_xlabel("triggered stream")
        ax.set_ylabel("triggering stream")
        rep.show(
            ax.figure, "excitation",
            "Expected offspring of one event of the row stream in the column stream (95% CI)",
        )
        rep.result(biv, "bivariate_hawkes", "Bivariate Hawkes process: excitation matrix")
        rep.number("cross_excitation_p", biv.lr_pvalue,
                   "LR test of no ISKP-Taliban cross-excitation, p", fmt="{:.3g}")
        if rep.trusted("Cross-excitation between ISKP and the Taliban", biv, biv.lr_pvalue):
            rep.finding("cross_excitation", test_sentence(
                "cross-excitation between ISKP and Taliban attacks", biv.lr_pvalue,
                test="LR test",
            ))

# %% [markdown]
# ## Backtest
#
# Rolling-origin evaluation over the last periods: at each origin every model is refitted
# on the data up to it and forecasts the next period. Scores are the CRPS and the log
# score (lower is better), against naive baselines (last value, same month last year,
# historical mean); PIT histograms are flat for calibrated forecasts, and a calibrated
# model's 50% and 90% intervals hold about 50% and 90% of the observed counts.

# %%
bt = rep.attempt(
    "Backtest", backtest, df, start=last_origins(counts.index, backtest_periods), horizon=1,
    freq=freq, seed=seed, model_kw={"hawkes": {"n_sims": 2}}, progress=False,
)
if bt is not None:
    ax = bt.plot(kind="scores")
    ax.set_xlabel("model")
    rep.show(ax.figure, "backtest_crps", "Mean CRPS of one-step-ahead forecasts by model")
    ax = bt.plot(kind="pit")
    rep.show(ax.figure, "backtest_pit", "Randomised PIT histograms of one-step-ahead forecasts")
    rep.details("Backtest scores and interval coverage by model", bt.to_frame().reset_index(),
                name="backtest_scores")
    if len(bt.failures):
        rep.details("Model fits that failed at some origins", bt.failures, name="backtest_failures")
    b = bt.scores().xs(1, level="step").loc[bt.best_model]
    rep.number("backtest_best_model", bt.best_model, "Best one-step model by mean CRPS")
    rep.number("backtest_coverage_90", b["coverage_90"], "Its 90% interval coverage", fmt="{:.0%}")
    rep.number("backtest_origins", int(bt.table["origin"].nunique()), "Backtest origins")
    rep.finding("backtest", coverage_sentence(
        bt.best_model, b["crps"], b["coverage_90"], b["coverage_50"], int(b["n"])
    ))

# %% [markdown]
# ## Forecast
#
# The predictive distribution of incidents per period for the next periods, from the
# model the backtest found best (the negative-binomial trend-seasonal model when there
# is no backtest).

# %%
model = bt.best_model if bt is not None else "negbin"
fc = rep.attempt(
    f"Forecast ({model})", forecast, df if model == "hawkes" else counts, horizon=horizon,
    model=model, freq=freq, seed=seed,
)
if fc is not None:
    ax = fc.plot()
    ax.set_xlabel(unit)
    ax.set_ylabel(f"incidents per {unit}")
    rep.show(
        ax.figure, "forecast",
        f"Observed incidents per {unit} and the {model} forecast with 50% and 90% intervals",
    )
    rep.details(f"Forecast ({model}): mean, sd and quantiles", fc.table.reset_index(), name="forecast")
    nxt = fc.table.iloc[0]
    rep.number("forecast_next", nxt["mean"], f"Forecast incidents next {unit} ({model})", fmt="{:.1f}")
    rep.finding("forecast", forecast_sentence(
        f"Incidents in the {unit} of {fc.table.index[0]:%B %Y}", nxt["mean"], nxt["q0.05"],
        nxt["q0.95"], model=model,
    ))
