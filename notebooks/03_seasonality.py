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
# annual mean, from a negative-binomial model with a smooth trend chosen by AIC), an STL
# decomposition, and the share of attacks and deaths in the April–October fighting
# season against the share expected without seasonality. Whether there is a season at
# all is decided by a likelihood-ratio test of annual harmonics in that model, with the
# same trend with and without them.

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
from analysis.report.phrases import ratio_sentence, season_sentence, share_sentence, test_sentence
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
    peak = res.profile.set_index("month").loc[res.peak_month]
    if rep.trusted("Seasonal pattern", res, res.harmonic_lr_pvalue):
        rep.finding("season", season_sentence(
            "Incidents", res.harmonic_lr_pvalue, peak_month=res.peak_month,
            peak_ratio=(peak["rate_ratio"], peak["ci_low"], peak["ci_high"]),
            conf_level=res.conf_level,
        ))
    f = res.fighting.loc["incidents"]
    lo_m, hi_m = (month_name(m) for m in res.fighting_season)
    if rep.trusted("Fighting-season share", res, f["share"], f["ci_low"], f["ci_high"]):
        rep.finding("fighting_season", share_sentence(
            f"Share of a year's incidents in the {lo_m}–{hi_m} fighting season", f["share"],
            f["ci_low"], f["ci_high"], expected=f["expected_share"], conf_level=res.conf_level,
        ))
    if res.regime_lr_pvalue is not None and rep.trusted("Seasonality by regime", res, res.regime_lr_pvalue):
        rep.finding("regimes", test_sentence(
            f"a seasonal pattern that differs between the regimes split at {', '.join(regimes)}",
            res.regime_lr_pvalue, test="LR test",
        ))
    if res.regime_profiles is not None:
        rep.details("Month-of-year rate ratios by regime", res.regime_profiles)
    fig = res.plot_decomposition()
    fig.axes[-1].set_xlabel("month")
    rep.show(fig, "stl", "STL decomposition of log(1 + incidents per month)")
    rep.details("Fighting-season shares (incidents and deaths)", res.fighting.reset_index())
    rep.result(res, "seasonality_summary", "Seasonality: estimates and tests")
    rep.number("peak_month", month_name(res.peak_month), "Peak month")
    rep.number("trough_month", month_name(res.trough_month), "Trough month")
    rep.number("seasonal_strength", res.seasonal_strength, "Seasonal strength F_S", fmt="{:.2f}")
    rep.number("harmonic_lr_pvalue", res.harmonic_lr_pvalue, "LR test of annual harmonics, p", fmt="{:.3g}")
    rep.number("lr_pvalue", res.lr_pvalue, "LR test of month effects, p", fmt="{:.3g}")
    rep.number("kw_pvalue", res.kw_pvalue, "Kruskal-Wallis across months (detrended), p", fmt="{:.3g}")
    rep.number("fighting_share", f["share"], "Share of incidents in the fighting season", fmt="{:.2f}")

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
    if not ax.get_xlabel():
        ax.set_xlabel("date")
    rep.show(ax.figure, "ramadan", "Incidents per week with Ramadan periods shaded")
    rep.result(ram, "ramadan", "Ramadan effect (adjusted for month of year and trend)")
    rep.number("ramadan_irr", ram.irr, "Ramadan incidence-rate ratio", fmt="{:.2f}")
    if rep.trusted("Ramadan effect", ram, ram.irr, ram.ci_low, ram.ci_high,
                   ratio_interval=(ram.ci_low, ram.ci_high)):
        rep.finding("ramadan", ratio_sentence(
            "The daily rate of incidents during Ramadan (month of year and trend held fixed)",
            ram.irr, ram.ci_low, ram.ci_high, than="as on other days", conf_level=ram.conf_level,
        ))
