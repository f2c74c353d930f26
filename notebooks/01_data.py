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
# # Data: coverage, validation and geography
#
# What the analysed incident table holds: where it comes from, how well it passed
# validation, how it is spread over time, provinces and perpetrators, and how
# precisely incidents are dated and located.

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
boundaries = None  # optional GeoJSON of province boundaries for the map

# %%
from analysis import plotting
from analysis.gazetteer import code_to_name
from analysis.maps import plot_province_map
from analysis.report import open_section, tables
from analysis.report.phrases import province_sentence, toll_sentence

df, rep = open_section(
    "01_data", data_paths=data_paths, perpetrator=perpetrator, start=start, end=end,
    report_dir=report_dir, source=source,
)
rep.number("incidents", len(df), "Incidents analysed")
rep.number("first_date", f"{df['date'].min():%Y-%m-%d}", "First incident")
rep.number("last_date", f"{df['date'].max():%Y-%m-%d}", "Last incident")

# %% [markdown]
# ## Validation
#
# Every input file is checked against the canonical schema; rows that break a rule
# are set aside (quarantined) with the rule they broke, never silently dropped.

# %%
rep.table(tables.validation_table(df), "validation", "Rows read, accepted and quarantined per file.")
rules = tables.rule_counts_table(df)
if len(rules):
    rep.table(rules, "validation_rules", "Validation failures per rule.")
rep.number(
    "rows_quarantined", sum(r["rows_quarantined"] for r in df.attrs["validation"]),
    "Rows quarantined by validation",
)

# %% [markdown]
# ## Coverage by source and time

# %%
cov = tables.coverage_table(df, "YS")
ax = plotting.stacked_bars(
    cov.drop(columns="total"), title="Incidents per year by source",
    ylabel="incidents per year", xlabel="year",
)
rep.show(ax.figure, "coverage_by_year", "Incidents per calendar year by source dataset.")
rep.details("Incidents per year (best date) and source dataset", cov, name="coverage_by_year")

# %%
prec = tables.precision_table(df)
rep.details("How precisely incidents are dated and located", prec, name="precision")
day_share = prec.query("field == 'date_precision' and value == 'day'")["share"].sum()
rep.number("share_day_precision", day_share, "Share of incidents dated to the day", fmt="{:.1%}")
quarantined = sum(r["rows_quarantined"] for r in df.attrs["validation"])
rep.finding(
    "selection",
    f"The analysis covers {len(df):,} incidents ({perpetrator or 'all perpetrators'}) from "
    f"{rep.period}; {day_share:.0%} are dated to the day, and validation set aside "
    f"{quarantined:,} input row{'' if quarantined == 1 else 's'}.",
)

# %% [markdown]
# ## Perpetrators and provinces

# %%
by_perp = tables.coverage_table(df.assign(source_dataset=df["perpetrator"]), "YS")
ax = plotting.stacked_bars(
    by_perp.drop(columns="total"), title="Incidents per year by perpetrator",
    ylabel="incidents per year", xlabel="year",
)
rep.show(ax.figure, "perpetrator_by_year", "Incidents per calendar year by attributed perpetrator.")
rep.details(
    "Incidents by province and perpetrator", tables.province_perpetrator_table(df),
    name="province_perpetrator",
)

# %%
prov = tables.province_counts(df)
if boundaries:
    ax = plotting.province_bubble_map(
        prov, boundaries=boundaries, title="Incidents by province (centroids)"
    )
    caption = ("Bubble area proportional to incidents, placed at province centroids "
               "(gazetteer), on the supplied boundaries")
else:
    ax = plot_province_map(
        prov.set_index("province_code")["incidents"], title="Incidents by province",
        label="incidents", labels=8,
    )
    caption = "Incidents per province over the selected window (Natural Earth boundaries)"
rep.show(ax.figure, "province_map", caption)
n_with = int((prov["incidents"] > 0).sum())
rep.number("provinces_with_incidents", n_with, "Provinces with incidents")
top = prov.iloc[0]
rep.finding("provinces", province_sentence(
    n_with, len(prov), code_to_name(top["province_code"]), int(top["incidents"]), len(df),
    missing=int(df["province_code"].isna().sum()),
))

# %% [markdown]
# ## Casualties
#
# Casualty figures are kept as low / best / high; unknown figures are left out of
# the sums (never counted as zero).

# %%
cas = tables.casualty_totals(df)
rep.table(cas, "casualty_totals", "Killed and wounded summed over incidents.")
k = cas.set_index("quantity").loc["killed"]
rep.number(
    "killed_total", f"{k['best']:,} (range {k['low']:,} to {k['high']:,})",
    "People killed, best estimate (low to high)",
)
rep.finding("killed", toll_sentence(
    "people killed", k["best"], k["low"], k["high"], unknown=int(k["incidents_unknown"]),
))
