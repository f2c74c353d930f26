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
# # Space: provinces and the endemic–epidemic model
#
# Where the incidents happened, and whether violence in a province carries over from
# its own last week or spills over from its neighbours. The endemic–epidemic model
# (R surveillance's `hhh4`) splits each province's expected weekly count into an
# endemic part (the province's own level, with trend and season), an autoregressive
# part (its own count the week before) and a neighbourhood part (its neighbours'
# counts the week before). Neighbours are provinces that share a border (Natural Earth polygons).

# %% tags=["parameters"]
data_paths = None  # list of incident files (None: the bundled dataset)
perpetrator = None  # e.g. "ISKP" (None: all perpetrators)
start = None  # first date analysed, e.g. "2016-01-01" (None: first incident)
end = None  # last date analysed (None: last incident)
freq = "MS"  # period of the report's count series (this section uses spatial_freq)
seed = 20211015  # random seed for everything stochastic
n_sims = 200  # Monte Carlo size (simulations from the fitted model)
report_dir = None  # set by the report build (None: show only, save nothing)
source = None  # data description for captions (None: derived from data_paths)
spatial_freq = "W"  # period of the province panel the model is fitted to
trend = True  # a log-linear time trend in the endemic part
harmonics = 1  # sine-cosine pairs of the endemic season
min_pairs = 10  # fewest counts that follow a count (same province, or a neighbour) to fit
top_provinces = 3  # provinces shown one by one

# %%
import numpy as np
import pandas as pd

from analysis._periods import unit_name
from analysis.gazetteer import code_to_name
from analysis.geo import province_adjacency
from analysis.maps import plot_province_map
from analysis.models.spatial import fit_endemic_epidemic
from analysis.report import open_section
from analysis.report.phrases import components_sentence
from analysis.series import incident_counts

df, rep = open_section(
    "06_spatial", data_paths=data_paths, perpetrator=perpetrator, start=start, end=end,
    report_dir=report_dir, source=source,
)
adjacency = province_adjacency()

# %% [markdown]
# ## Incidents by province

# %%
by_province = df["province_code"].value_counts().reindex(adjacency.index, fill_value=0)
ax = plot_province_map(
    by_province, title="Incidents by province", label=f"incidents, {rep.period}", labels=8,
)
rep.show(ax.figure, "province_map", "Incidents per province over the selected window (Natural Earth boundaries).")
no_province = int(df["province_code"].isna().sum())
top = by_province.sort_values(ascending=False)
rep.number("provinces_with_incidents", int((by_province > 0).sum()), "Provinces with at least one incident")
rep.number("top_province", f"{code_to_name(top.index[0])} ({int(top.iloc[0])})", "Province with most incidents")
rep.text(
    f"{int((by_province > 0).sum())} of 34 provinces had at least one incident; "
    f"{code_to_name(top.index[0])} had the most ({int(top.iloc[0])} of {len(df)}, "
    f"{top.iloc[0] / max(len(df), 1):.0%})."
    + (f" {no_province} incidents have no province and are not mapped." if no_province else "")
)

# %% [markdown]
# ## Can the data support the model?
#
# The autoregressive part is learnt from counts that follow a count in the same
# province one period earlier, the neighbourhood part from counts that follow one in a
# neighbouring province. With too few of either, the model is not fitted.

# %%
with rep.cautions("Province panel"):
    panel = incident_counts(df, spatial_freq, by="province_code", start=start, end=end)
    panel = panel.reindex(columns=adjacency.index, fill_value=0)
y = panel.fillna(0).astype(int).to_numpy()
neighbour_lag = y[:-1] @ (adjacency.to_numpy() == 1)
ar_pairs = int(((y[1:] > 0) & (y[:-1] > 0)).sum())
ne_pairs = int(((y[1:] > 0) & (neighbour_lag > 0)).sum())
rep.number("ar_pairs", ar_pairs, "Province-periods with a count after a count in the same province")
rep.number("ne_pairs", ne_pairs, "Province-periods with a count after a count in a neighbouring province")
supported = min(ar_pairs, ne_pairs) >= min_pairs and len(panel) >= 3
if not supported:
    rep.not_estimable(
        "Endemic–epidemic model",
        f"Over {len(panel)} periods ({spatial_freq}), only {ar_pairs} province-period(s) had "
        f"incidents after incidents in the same province the period before, and {ne_pairs} "
        f"after incidents in a neighbouring province; the model needs at least {min_pairs} of "
        "each to tell carry-over and spill-over from chance.",
    )

# %% [markdown]
# ## The endemic–epidemic fit

# %%
fit = None
if not supported:
    rep.text("Not fitted: the data do not support the model (see above).")
else:
    # every province its own endemic level (absorbing population and reporting
    # differences); provinces without any count would have a level of minus infinity
    active = panel.columns[panel.iloc[1:].fillna(0).sum() > 0]
    left_out = [code_to_name(c) for c in panel.columns if c not in active]
    rep.text(
        f"The model is fitted to the {len(active)} provinces with at least one incident "
        f"after the first {spatial_freq} period, each with its own endemic level"
        + (f"; left out (no incidents): {', '.join(left_out)}." if left_out else ".")
    )
    period = {"W": 52, "MS": 12, "QS": 4}.get(spatial_freq.split("-")[0], 52)
    fit = rep.attempt(
        "Endemic–epidemic model", fit_endemic_epidemic, panel[active],
        neighbours=adjacency.loc[active, active], unit_intercepts=True, trend=trend,
        harmonics=harmonics, period=period,
    )
trusted = fit is not None and fit.converged
if fit is not None:
    rep.result(
        fit, "endemic_epidemic",
        "Endemic–epidemic model: coefficients (ar, ne and the endemic terms on the log scale)",
    )
    shares = fit.decompose().shares()
    for part, value in shares.items():
        rep.number(f"share_{part}", value, f"Share of the fitted mean: {part}", fmt="{:.1%}")
    coef = np.exp(fit.to_frame().loc[["ar", "ne"], ["estimate", "ci_low", "ci_high"]])
    if not trusted:
        rep.not_estimable(
            "Carry-over and spill-over rates",
            "the fit did not converge to a point with a usable covariance, so its "
            "intervals are NaN; the shares below describe the fitted mean only.",
        )
    elif rep.trusted("Carry-over and spill-over rates", fit, *coef.to_numpy().ravel()):
        rep.finding("components", components_sentence(
            shares, tuple(coef.loc["ar"]), tuple(coef.loc["ne"]),
            unit=unit_name(spatial_freq),
            conf_level=fit.conf_level,
        ))

# %% [markdown]
# ## How the mean splits, nationally and in the top provinces

# %%
if fit is None:
    rep.text("No fit, so no decomposition (see above).")
else:
    ax = fit.plot()
    ax.set_title("Fitted mean, all provinces: endemic, own last period, neighbours")
    rep.show(ax.figure, "decomposition", "Stacked fitted mean by component, all provinces; dots: observed counts.")
    for code in [c for c in top.index[:top_provinces] if c in fit.counts.columns]:
        part = fit.decompose(code)
        ax = part.plot()
        ax.set_title(f"Fitted mean: {code_to_name(code)}")
        s = part.shares()
        rep.show(
            ax.figure, f"decomposition_{code.lower()}",
            f"{code_to_name(code)}: endemic {s['endemic']:.0%}, own last period "
            f"{s['autoregressive']:.0%}, neighbours {s['neighbourhood']:.0%} of the fitted mean.",
        )

# %%
if fit is not None:
    endemic_share = fit.component_shares()["endemic"]
    ax = plot_province_map(
        endemic_share, title="Endemic share of the fitted mean", label="share of fitted mean",
        labels=6, fmt="{:.0%}", vmin=0.0, vmax=1.0,
    )
    rep.show(ax.figure, "endemic_share_map", "Share of each province's fitted mean that is endemic (the rest carries over or spills over).")

# %% [markdown]
# ## Simulations from the fit
#
# Panels simulated from the fitted model, from the first observed period on: do they
# reproduce the observed totals?

# %%
if not trusted:
    rep.text("No simulations: there is no fit that can be trusted (see above).")
else:
    sims = fit.simulate(n_sims, seed=seed)
    ax = sims.plot()
    rep.show(ax.figure, "simulations", f"Observed totals and the 90% band of {n_sims} simulated panels.")
    totals = sims.paths.sum(axis=(1, 2))
    observed = float(panel.iloc[1:].sum().sum())
    inside = (totals >= observed).mean()
    rep.number("simulated_share_above_observed", inside, "Share of simulations with a total at or above the observed", fmt="{:.0%}")
    rep.text(
        f"The observed total after the first period ({observed:.0f}) is exceeded or matched by "
        f"{inside:.0%} of the {n_sims} simulated panels (median {pd.Series(totals).median():.0f})."
    )
