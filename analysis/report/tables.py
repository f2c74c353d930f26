"""Descriptive tables for the data section of the report (deterministic: sorted,
integer counts, no time stamps)."""

from __future__ import annotations

import pandas as pd

from .. import gazetteer

__all__ = [
    "casualty_totals",
    "coverage_table",
    "precision_table",
    "province_counts",
    "province_perpetrator_table",
    "rule_counts_table",
    "validation_table",
]


def validation_table(df: pd.DataFrame) -> pd.DataFrame:
    """One row per input file: rows read, accepted, quarantined and the file's SHA-256."""
    recs = df.attrs.get("validation") or []
    if isinstance(recs, dict):
        recs = [recs]
    rows = [
        {
            "file": str(r.get("source", "")).rsplit("/", 1)[-1],
            "rows_read": r.get("rows_read"),
            "rows_accepted": r.get("rows_accepted"),
            "rows_quarantined": r.get("rows_quarantined"),
            "sha256": str(r.get("sha256") or "")[:16],
        }
        for r in recs
    ]
    return pd.DataFrame(
        rows, columns=["file", "rows_read", "rows_accepted", "rows_quarantined", "sha256"]
    )


def rule_counts_table(df: pd.DataFrame) -> pd.DataFrame:
    """Validation failures per rule, summed over the input files (empty when none)."""
    recs = df.attrs.get("validation") or []
    if isinstance(recs, dict):
        recs = [recs]
    total: dict[str, int] = {}
    for r in recs:
        for rule, n in (r.get("rule_counts") or {}).items():
            total[rule] = total.get(rule, 0) + int(n)
    out = pd.DataFrame(
        sorted(total.items(), key=lambda kv: (-kv[1], kv[0])), columns=["rule", "rows"]
    )
    return out


def coverage_table(df: pd.DataFrame, freq: str = "YS") -> pd.DataFrame:
    """Incidents per period (by best date) and source dataset, with a total column.

    With ``freq="YS"`` the index is the calendar year (int); otherwise the period start.
    """
    if freq == "YS":
        period = df["date"].dt.year.rename("year")
    else:
        period = df["date"].dt.to_period(freq.rstrip("S") or "Y").dt.start_time.rename("period")
    tab = pd.crosstab(period, df["source_dataset"].fillna("unknown")).sort_index()
    tab.columns.name = None
    tab["total"] = tab.sum(axis=1)
    return tab.astype("int64")


def precision_table(df: pd.DataFrame) -> pd.DataFrame:
    """How precisely incidents are dated and located (counts and shares)."""
    from ..schema import DATE_PRECISIONS, GEO_PRECISIONS

    rows = []
    for col, vocab in (("date_precision", DATE_PRECISIONS), ("geo_precision", GEO_PRECISIONS)):
        if col not in df:
            continue
        vc = df[col].fillna("missing").value_counts()
        for v in [*vocab, "missing"]:
            if v in vc.index:
                rows.append({"field": col, "value": v, "incidents": int(vc[v])})
    out = pd.DataFrame(rows, columns=["field", "value", "incidents"])
    out["share"] = out["incidents"] / len(df) if len(df) else float("nan")
    return out


def province_perpetrator_table(df: pd.DataFrame) -> pd.DataFrame:
    """Incidents by province (rows) and perpetrator (columns), with totals; sorted by
    total (descending) then province name."""
    tab = pd.crosstab(df["province"].fillna("unknown"), df["perpetrator"].fillna("unknown"))
    tab.columns.name = None
    cols = sorted(tab.columns, key=lambda c: (-int(tab[c].sum()), c))
    tab = tab[cols]
    tab["total"] = tab.sum(axis=1)
    tab = tab.reset_index().sort_values(["total", "province"], ascending=[False, True])
    return tab.reset_index(drop=True).astype({c: "int64" for c in [*cols, "total"]})


def province_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Incidents and best-estimate deaths per province with its centroid (all 34
    provinces, zeros included), for maps."""
    prov = gazetteer.provinces()[["province", "province_code", "latitude", "longitude"]]
    g = df.groupby("province_code", observed=True)
    counts = g.size().rename("incidents")
    killed = (
        g["killed_best"].sum(min_count=1).rename("killed_best") if "killed_best" in df else None
    )
    out = prov.merge(counts, left_on="province_code", right_index=True, how="left")
    if killed is not None:
        out = out.merge(killed, left_on="province_code", right_index=True, how="left")
        out["killed_best"] = out["killed_best"].fillna(0).astype("int64")
    out["incidents"] = out["incidents"].fillna(0).astype("int64")
    return out.sort_values(["incidents", "province"], ascending=[False, True]).reset_index(
        drop=True
    )


def casualty_totals(df: pd.DataFrame) -> pd.DataFrame:
    """Killed and wounded summed over incidents at low / best / high, with the number
    of incidents whose figure is unknown (left out of the sums, not counted as 0)."""
    rows = []
    for what in ("killed", "wounded"):
        row = {"quantity": what}
        for s in ("low", "best", "high"):
            col = f"{what}_{s}"
            row[s] = int(df[col].sum()) if col in df else None
        col = f"{what}_best"
        row["incidents_unknown"] = int(df[col].isna().sum()) if col in df else None
        rows.append(row)
    return pd.DataFrame(rows, columns=["quantity", "low", "best", "high", "incidents_unknown"])
