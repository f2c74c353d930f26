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
# # Seasonality: is there a fighting season?
#
# The month-of-year profile of attacks (rate ratio of each calendar month against the
# annual mean, from a negative-binomial model with a smooth trend), an STL
# decomposition, the share of attacks and deaths in the April–October fighting season
# against the share expected without seasonality, and formal tests.

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
from analysis import config
from analysis.models.calendar_effects import ramadan_effect
from analysis.models.seasonality import seasonality
from analysis.report import open_section
from analysis.report.helpers import breaks_within, month_name
from analysis.series import incident_counts

df, rep = open_section(
    "03_seasonality", data_paths=data_paths, perpetrator=perpetrator, start=start, end=end,
    report_dir=report_dir, source=source,
)
with rep.cautions("Monthly counts"):
    counts = incident_counts(df, "MS", start=start, end=end)
    deaths = incident_counts(df, "MS", value="killed", start=start, end=end)["best"]
regimes = breaks_within(counts.index, [config.TALIBAN_TAKEOVER], min_periods=24)

# %% [markdown]
# > **Caveat.** If the data are a curated set of notable attacks (as the bundled
# > dataset is), the profile describes when *widely reported, mostly large* attacks
# > happened, not all violence: selection towards large attacks can shift or blur the
# > seasonal pattern of everyday violence.

# %%
res = None
if regimes:
    res = rep.attempt(
        "Seasonality model by regime", seasonality, counts, by_regime=regimes, deaths=deaths
    )
if res is None:
    res = rep.attempt("Seasonality model", seasonality, counts, deaths=deaths)

# %%
if res is not None:
    ax = res.plot()
    ax.set_xlabel("calendar month")
    rep.show(
        ax.figure, "profile",
        "Rate ratio of each calendar month against the annual mean (95% CI); "
        "shaded: fighting season",
    )
    if res.regime_profiles is not None:
        rep.table(res.regime_profiles, "regime_profiles", "Month-of-year rate ratios by regime.")
    fig = res.plot_decomposition()
    fig.axes[-1].set_xlabel("month")
    rep.show(fig, "stl", "STL decomposition of log(1 + incidents per month)")
    rep.table(res.fighting.reset_index(), "fighting_season", "Fighting-season shares.")
    rep.result(res, "seasonality_summary", "Seasonality: estimates")
    rep.number("peak_month", month_name(res.peak_month), "Peak month")
    rep.number("trough_month", month_name(res.trough_month), "Trough month")
    rep.number("seasonal_strength", res.seasonal_strength, "Seasonal strength F_S", fmt="{:.2f}")
    rep.number("lr_pvalue", res.lr_pvalue, "LR test of month effects, p", fmt="{:.3g}")
    rep.number("kw_pvalue", res.kw_pvalue, "Kruskal-Wallis across months (detrended), p", fmt="{:.3g}")
    f = res.fighting.loc["incidents"]
    rep.number(
        "fighting_share", f"{f['share']:.2f} (95% CI {f['ci_low']:.2f} to {f['ci_high']:.2f}; "
        f"no season {f['expected_share']:.2f})", "Share of incidents in Apr-Oct",
    )
    if res.regime_lr_pvalue is not None:
        rep.number(
            "regime_lr_pvalue", res.regime_lr_pvalue,
            "LR test: seasonal pattern differs between regimes, p", fmt="{:.3g}",
        )

# %% [markdown]
# ## Ramadan
#
# Ramadan moves about 11 days earlier each Gregorian year, so its effect can be
# separated from the month of the year: a negative-binomial model of daily counts with
# a Ramadan indicator, month-of-year effects and a trend (Hijri dates from
# `hijridate`).

# %%
ram = rep.attempt("Ramadan effect", ramadan_effect, df, start=start, end=end)
if ram is not None:
    ax = ram.plot()
    ax.set_title(f"Ramadan: incidence-rate ratio {ram.irr:.2f} (95% CI {ram.ci_low:.2f} to {ram.ci_high:.2f})")
    if not ax.get_xlabel():
        ax.set_xlabel("date")
    rep.show(ax.figure, "ramadan", "Incidents per week with Ramadan periods shaded")
    rep.result(ram, "ramadan", "Ramadan effect (adjusted for month of year and trend)")
    rep.number(
        "ramadan_irr", f"{ram.irr:.2f} (95% CI {ram.ci_low:.2f} to {ram.ci_high:.2f}; p {ram.p_value:.2g})",
        "Ramadan incidence-rate ratio",
    )
