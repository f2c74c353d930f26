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
# with a trend-and-seasonal background shows how much apparent contagion is really
# trend and season. Forecasts of the next periods come with predictive intervals and
# are judged by rolling-origin backtests against naive baselines.
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
from analysis.series import incident_counts

df, rep = open_section(
    "05_contagion_forecast", data_paths=data_paths, perpetrator=perpetrator, start=start,
    end=end, report_dir=report_dir, source=source,
)

# %% [markdown]
# ## Self-excitation

# %%
fits = {}
for bg in ("constant", "trend_seasonal"):
    fits[bg] = rep.attempt(
        f"Hawkes model ({bg.replace('_', ' ')} background)", fit_hawkes, df,
        background=bg, seed=seed, progress=False,
    )
for bg, h in fits.items():
    if h is None:
        continue
    rep.result(h, f"hawkes_{bg}", f"Hawkes process, {bg.replace('_', ' ')} background")
    lo, hi = h.branching_ci
    rep.number(
        f"branching_{bg}", f"{h.branching:.2f} (95% CI {lo:.2f} to {hi:.2f}); "
        f"time-rescaling KS p {h.ks_pvalue:.2f}", f"Branching ratio, {bg.replace('_', ' ')} background",
    )

# %%
h = fits.get("trend_seasonal") or fits.get("constant")
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
# The bivariate model has constant backgrounds, so a trend or season shared by both
# groups can show up as excitation; read it together with the univariate results.

# %%
streams = two_streams(df, "ISKP", "Taliban")
if streams is None:
    rep.text("Fewer than 10 incidents of ISKP or of the Taliban in this selection: no bivariate model.")
else:
    biv = rep.attempt(
        "Bivariate Hawkes model", fit_hawkes_bivariate, *streams, names=("ISKP", "Taliban"),
        seed=seed,
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
        rep.number(
            "cross_excitation_p", biv.lr_pvalue,
            "LR test of no ISKP-Taliban cross-excitation, p", fmt="{:.3g}",
        )

# %% [markdown]
# ## Forecasts
#
# Predictive distributions of incidents per period for the next periods, from the
# negative-binomial trend-seasonal count model and from the Hawkes model simulated
# forward from the observed history.

# %%
with rep.cautions("Count series"):
    counts = incident_counts(df, freq, start=start, end=end)
unit = unit_name(freq)
for model in ("negbin", "hawkes"):
    fc = rep.attempt(
        f"Forecast ({model})", forecast, df, horizon=horizon, model=model, freq=freq, seed=seed
    )
    if fc is None:
        continue
    ax = fc.plot()
    ax.set_xlabel(unit)
    ax.set_ylabel(f"incidents per {unit}")
    rep.show(
        ax.figure, f"forecast_{model}",
        f"Observed incidents per {unit} and the {model} forecast with 50% and 90% intervals",
    )
    rep.table(fc.table.reset_index(), f"forecast_{model}", f"Forecast ({model}): mean, sd and quantiles.")
    nxt = fc.table.iloc[0]
    rep.number(
        f"forecast_next_{model}",
        f"{nxt['mean']:.1f} (90% interval {nxt['q0.05']:g} to {nxt['q0.95']:g})",
        f"Forecast incidents next {unit} ({fc.table.index[0]:%Y-%m}), {model}",
    )

# %% [markdown]
# ## Backtest
#
# Rolling-origin evaluation over the last periods: at each origin every model is refitted
# on the data up to it and forecasts the next period. Scores are the CRPS and the log
# score (lower is better), against naive baselines (last value, same month last year,
# historical mean); PIT histograms are flat for calibrated forecasts.

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
    rep.table(bt.to_frame().reset_index(), "backtest_scores", "Backtest scores by model.")
    if len(bt.failures):
        rep.table(bt.failures, "backtest_failures", "Model fits that failed at some origins.")
    s1 = bt.scores().xs(1, level="step")
    rep.number(
        "backtest_best_crps", f"{s1['crps'].idxmin()} (CRPS {s1['crps'].min():.3f})",
        "Best one-step model by CRPS",
    )
    rep.number(
        "backtest_origins", int(bt.table["origin"].nunique()), "Backtest origins"
    )
