"""Recognise the same incident across sources, keeping every source record.

Two records are *candidates* when they come from different datasets, lie in the same
country and province (records without a province are only compared with records
without one), and their date windows overlap once each is widened by
``date_tolerance_days``. Candidates are found by sorting on (province, window start)
and scanning forward, so the cost grows with the number of overlapping pairs, not with
n squared. Records whose window is wider than a month (year or unknown precision) are
too vague to identify an incident and are never linked.

A candidate pair is *compatible* when the perpetrators can be the same group and the
killed ranges can describe the same toll; its **match score** is a weighted mean of
five agreements, each in [0, 1]:

.. math::

    s = 0.35\\,s_{date} + 0.25\\,s_{killed} + 0.20\\,s_{perp} + 0.10\\,s_{place} + 0.10\\,s_{attack}

* :math:`s_{date} = o / \\min(\\ell_a, \\ell_b) \\cdot c`, where :math:`o` is the
  overlap of the widened windows in days, :math:`\\ell` their lengths, and
  :math:`c` = 1, 0.85, 0.7 as the wider window is at most 3, 9 or 33 days;
* :math:`s_{killed}` = 1 if the killed ranges [low, high] overlap, 0.5 if they overlap
  only after widening each by 25 % + 1 or if either is unknown; incompatible otherwise;
* :math:`s_{perp}` = 1 same group, 0.75 nested ("Taliban and/or ISKP" with either,
  "Islamic State" with ISKP, "Haqqani Network" with Taliban), 0.5 if either is
  unknown; incompatible otherwise;
* :math:`s_{place}` from the distance of the coordinates: 1 (<= 5 km), 0.75 (<= 25 km),
  0.5 (<= 75 km or unknown), 0.2 beyond;
* :math:`s_{attack}` = 1 same attack type, 0.75 both bombings, 0.5 unknown, 0.25 else.

Pairs with :math:`s \\ge` ``min_score`` are linked greedily, best score first, and a
group never holds two records of the same dataset (each dataset records an incident
once). See ``docs/sources.md`` for the reconciliation rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from ..schema import COLUMNS, COUNT_COLUMNS

__all__ = ["MATCH_COLUMNS", "merge_sources"]

#: Columns the merge adds to the raw view.
MATCH_COLUMNS = ("group_id", "group_size", "match_score")
#: Extra columns of the reconciled view.
RECONCILED_COLUMNS = ("group_id", "n_records", "match_score", "source_datasets", "member_ids")

WEIGHTS = {"date": 0.35, "killed": 0.25, "perpetrator": 0.20, "place": 0.10, "attack": 0.10}
_PREC_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
_GEO_RANK = {"exact": 0, "place": 1, "district": 2, "province": 3, "country": 4}
#: Order in which a group's lead record is chosen among equally precise records.
SOURCE_PRIORITY = ("curated", "ucdp", "acled", "gtd", "rand", "other", "simulated")
_NESTED = {
    frozenset({"Taliban and/or ISKP", "Taliban"}),
    frozenset({"Taliban and/or ISKP", "ISKP"}),
    frozenset({"Islamic State", "ISKP"}),
    frozenset({"Haqqani Network", "Taliban"}),
}
_BOMBINGS = {"bombing", "suicide_bombing", "vehicle_bomb"}
_MAX_LINK_WINDOW_DAYS = 31


def _concat(frames) -> pd.DataFrame:
    if isinstance(frames, pd.DataFrame):
        parts = [frames]
    elif isinstance(frames, Mapping):
        parts = list(frames.values())
    elif isinstance(frames, Sequence):
        parts = list(frames)
    else:
        raise InputError("frames must be a DataFrame, a sequence of DataFrames or a mapping of them")
    if not parts:
        raise InputError("merge_sources needs at least one frame")
    for k, p in enumerate(parts):
        missing = [c for c in COLUMNS if c not in p.columns]
        if missing:
            raise InputError(
                f"frame {k} is not a canonical incident table (missing {', '.join(missing[:5])}); "
                "read it with analysis.read_source first"
            )
    df = pd.concat([p[list(COLUMNS)] for p in parts], ignore_index=True)
    dup = df["incident_id"].duplicated(keep=False)
    if dup.any():
        shown = ", ".join(df.loc[dup, "incident_id"].astype(str).unique()[:5])
        raise InputError(
            f"incident_id must be unique across the frames ({shown} ...); the same file was "
            "probably passed twice"
        )
    return df


def _days(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype="datetime64[D]").astype("int64")


def _candidate_pairs(block: np.ndarray, start: np.ndarray, end: np.ndarray, tol: int) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j), i before j in (block, start) order, whose widened windows overlap."""
    order = np.lexsort((start, block))
    b, s, e = block[order], start[order], end[order]
    span = int(max(1, (e.max() - s.min()) + 4 * tol + 10)) if len(s) else 1
    key = b.astype("int64") * span + (s - s.min())
    limit = b.astype("int64") * span + (e - s.min()) + 2 * tol
    hi = np.searchsorted(key, limit, side="right")
    counts = np.maximum(hi - np.arange(len(key)) - 1, 0)
    total = int(counts.sum())
    ii = np.repeat(np.arange(len(key)), counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    jj = ii + 1 + offsets
    return order[ii], order[jj]


def _interval(df: pd.DataFrame, stem: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    best = df[f"{stem}_best"].astype("Float64")
    lo = df[f"{stem}_low"].astype("Float64").fillna(best)
    hi = df[f"{stem}_high"].astype("Float64")
    # a missing high with a known best (ACLED's conservative count) is open upwards
    hi = hi.where(hi.notna() | best.isna(), np.inf).fillna(best)
    return lo.to_numpy("float64", na_value=np.nan), best.to_numpy("float64", na_value=np.nan), hi.to_numpy("float64", na_value=np.nan)


def _perp_score(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.zeros(len(a))
    same = a == b
    unknown = (a == "unknown") | (b == "unknown")
    nested = np.array([frozenset((x, y)) in _NESTED for x, y in zip(a, b, strict=True)], dtype=bool) if len(a) else np.zeros(0, bool)
    out[nested] = 0.75
    out[unknown] = 0.5
    out[same] = 1.0
    # "other" groups: the same only if the raw names agree, which the canonical value hides
    out[same & (a == "other")] = 0.5
    return out


def _haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def score_pairs(df: pd.DataFrame, i: np.ndarray, j: np.ndarray, *, date_tolerance_days: int = 1) -> pd.DataFrame:
    """Component scores and the match score of candidate pairs (rows ``i``, ``j`` of ``df``).

    Returns a frame with ``i``, ``j``, ``date``, ``killed``, ``perpetrator``, ``place``,
    ``attack``, ``score`` and ``compatible`` (False when perpetrators or killed ranges
    exclude the same incident).
    """
    tol = date_tolerance_days
    s = _days(df["date_earliest"]) - tol
    e = _days(df["date_latest"]) + tol
    overlap = np.minimum(e[i], e[j]) - np.maximum(s[i], s[j]) + 1
    la, lb = e[i] - s[i] + 1, e[j] - s[j] + 1
    wider = np.maximum(la, lb)
    coarse = np.where(wider <= 3, 1.0, np.where(wider <= 9, 0.85, 0.7))
    s_date = np.clip(overlap / np.minimum(la, lb), 0, 1) * coarse

    lo, _, hi = _interval(df, "killed")
    known = ~np.isnan(lo[i]) & ~np.isnan(lo[j])
    exact = known & (lo[i] <= hi[j]) & (lo[j] <= hi[i])
    loose = known & (lo[i] <= hi[j] * 1.25 + 1) & (lo[j] <= hi[i] * 1.25 + 1)
    s_killed = np.where(~known, 0.5, np.where(exact, 1.0, np.where(loose, 0.5, 0.0)))

    perp = df["perpetrator"].to_numpy(dtype=object)
    s_perp = _perp_score(perp[i], perp[j])

    lat, lon = df["latitude"].to_numpy("float64"), df["longitude"].to_numpy("float64")
    dist = _haversine_km(lat[i], lon[i], lat[j], lon[j])
    s_place = np.where(np.isnan(dist), 0.5, np.where(dist <= 5, 1.0, np.where(dist <= 25, 0.75, np.where(dist <= 75, 0.5, 0.2))))

    atk = df["attack_type"].astype("object").where(df["attack_type"].notna(), "unknown").to_numpy(dtype=object)
    a_i, a_j = atk[i], atk[j]
    unk = (a_i == "unknown") | (a_j == "unknown")
    both_bomb = np.isin(a_i, list(_BOMBINGS)) & np.isin(a_j, list(_BOMBINGS))
    s_attack = np.where(unk, 0.5, np.where(a_i == a_j, 1.0, np.where(both_bomb, 0.75, 0.25)))

    score = (
        WEIGHTS["date"] * s_date
        + WEIGHTS["killed"] * s_killed
        + WEIGHTS["perpetrator"] * s_perp
        + WEIGHTS["place"] * s_place
        + WEIGHTS["attack"] * s_attack
    )
    compatible = (s_killed > 0) & (s_perp > 0) & (overlap > 0)
    return pd.DataFrame(
        {"i": i, "j": j, "date": s_date, "killed": s_killed, "perpetrator": s_perp,
         "place": s_place, "attack": s_attack, "score": score, "compatible": compatible}
    )  # fmt: skip


def _link(n: int, pairs: pd.DataFrame, datasets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Greedy linking, best score first; a group holds at most one record per dataset."""
    parent = np.arange(n)
    members_ds: dict[int, set] = {}
    best = np.full(n, np.nan)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    order = np.lexsort((pairs["j"].to_numpy(), pairs["i"].to_numpy(), -pairs["score"].to_numpy()))
    ii, jj, sc = pairs["i"].to_numpy()[order], pairs["j"].to_numpy()[order], pairs["score"].to_numpy()[order]
    for a, b, s in zip(ii.tolist(), jj.tolist(), sc.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        da = members_ds.get(ra, {datasets[ra]})
        db = members_ds.get(rb, {datasets[rb]})
        if da & db:
            continue
        parent[rb] = ra
        members_ds[ra] = da | db
        members_ds.pop(rb, None)
        for x in (a, b):
            if not best[x] >= s:
                best[x] = s
    roots = np.array([find(x) for x in range(n)])
    return roots, best


def merge_sources(
    frames,
    *,
    view: str = "reconciled",
    min_score: float = 0.6,
    date_tolerance_days: int = 1,
) -> pd.DataFrame:
    """Link records of several sources that describe the same incident.

    Parameters
    ----------
    frames : DataFrame, sequence of DataFrames, or mapping name -> DataFrame
        Canonical incident tables (from :func:`analysis.read_source` or
        :func:`analysis.load_incidents`). ``incident_id`` must be unique across them.
    view : {"reconciled", "raw"}
        ``"raw"``: every source record, unchanged, plus ``group_id``, ``group_size`` and
        ``match_score`` (the best score of the record's accepted links; missing for a
        record linked to nothing). ``"reconciled"``: one row per group, in the canonical
        columns plus ``group_id``, ``n_records``, ``match_score`` (the lowest of the
        members' best link scores), ``source_datasets`` and ``member_ids``.
    min_score : float
        Smallest match score that links two records (see the module docstring).
    date_tolerance_days : int
        Each date window is widened by this many days on both sides before comparing
        (reporting delays, time zones).

    Returns
    -------
    pandas.DataFrame
        The chosen view. ``attrs["merge"]`` holds the counts of records, groups,
        candidate pairs and links; ``attrs["pairs"]`` the scored candidate pairs (by
        ``incident_id``).

    Notes
    -----
    Reconciliation of a group: killed (and wounded) ``low`` is the smallest member low,
    ``high`` the largest member high (a member's best stands in for a missing low or
    high), and ``best`` the median of the members' best figures, rounded half up. Date,
    place, attack and target come from the *lead* record: the most precise date, then
    the most precise place, then ``SOURCE_PRIORITY``. The perpetrator is the lead's
    unless it is unknown, "other" or "Taliban and/or ISKP" and another member names a
    single group.
    """
    if view not in ("reconciled", "raw"):
        raise InputError(f"view must be 'reconciled' or 'raw', not {view!r}")
    if not 0 <= min_score <= 1:
        raise InputError(f"min_score must be between 0 and 1, not {min_score}")
    df = _concat(frames)
    n = len(df)
    datasets = df["source_dataset"].astype("str").to_numpy(dtype=object)
    i, j = _candidates(df, datasets, date_tolerance_days)
    pairs = score_pairs(df, i, j, date_tolerance_days=date_tolerance_days)
    linked = pairs[pairs["compatible"] & (pairs["score"] >= min_score)]
    roots, best = _link(n, linked, datasets)
    group_id, n_groups = _group_ids(roots, _days(df["date_earliest"]))
    sizes = pd.Series(roots).value_counts()
    info = {
        "records": n,
        "groups": n_groups,
        "linked_groups": int((sizes > 1).sum()),
        "candidate_pairs": len(pairs),
        "links": n - n_groups,
        "min_score": min_score,
        "date_tolerance_days": date_tolerance_days,
    }
    raw = df.copy()
    raw["group_id"] = group_id.to_numpy()
    raw["group_size"] = pd.Series(roots).map(sizes).to_numpy().astype("int64")
    raw["match_score"] = best
    out = raw if view == "raw" else _reconcile(raw)
    out.attrs["merge"] = info
    out.attrs["pairs"] = _pair_table(pairs, linked, df["incident_id"])
    return out


def _candidates(df: pd.DataFrame, datasets: np.ndarray, tol: int) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs: records of different datasets in the same country and province
    whose widened windows overlap; records with a window wider than a month are never
    candidates."""
    n = len(df)
    province = df["province_code"].astype("object").where(df["province_code"].notna(), df["province"].astype("object"))
    block_key = df["country"].astype("str").fillna("?") + "|" + province.fillna("").astype("str")
    block = pd.factorize(block_key)[0]
    start, end = _days(df["date_earliest"]), _days(df["date_latest"])
    vague = (end - start) > _MAX_LINK_WINDOW_DAYS
    block = np.where(vague, -1 - np.arange(n), block)  # vague records get a block of their own
    i, j = _candidate_pairs(block, start, end, tol) if n else (np.zeros(0, int), np.zeros(0, int))
    cross = datasets[i] != datasets[j]
    return i[cross], j[cross]


def _group_ids(roots: np.ndarray, start: np.ndarray) -> tuple[pd.Series, int]:
    """Group ids ``G000001`` ..., numbered by the group's earliest date, and their number."""
    first_date = pd.Series(start).groupby(roots).transform("min").to_numpy()
    order = np.lexsort((roots, first_date))
    _, first_pos = np.unique(roots[order], return_index=True)
    rank_of_root = dict(zip(roots[order][np.sort(first_pos)].tolist(), range(1, len(first_pos) + 1), strict=True))
    width = max(6, len(str(len(first_pos))))
    return pd.Series([f"G{rank_of_root[r]:0{width}d}" for r in roots.tolist()], dtype="str"), len(first_pos)


def _pair_table(pairs: pd.DataFrame, linked: pd.DataFrame, incident_ids: pd.Series) -> pd.DataFrame:
    """The scored candidate pairs by ``incident_id``, and whether each was linked."""
    ids = incident_ids.astype("str").to_numpy(dtype=object)
    return pairs.assign(
        incident_id_a=ids[pairs["i"].to_numpy()] if len(pairs) else [],
        incident_id_b=ids[pairs["j"].to_numpy()] if len(pairs) else [],
        linked=pairs.index.isin(linked.index),
    ).drop(columns=["i", "j"])


def _reconcile(raw: pd.DataFrame) -> pd.DataFrame:
    work = raw.assign(
        _prec=raw["date_precision"].map(_PREC_RANK).fillna(9).astype(int),
        _geo=raw["geo_precision"].map(_GEO_RANK).fillna(9).astype(int),
        _src=raw["source_dataset"].map({s: k for k, s in enumerate(SOURCE_PRIORITY)}).fillna(99).astype(int),
    ).sort_values(["group_id", "_prec", "_geo", "_src", "incident_id"], kind="stable")
    g = work.groupby("group_id", sort=True)
    lead = g.head(1).set_index("group_id")
    out = lead[list(COLUMNS)].copy()

    # perpetrator: a member naming a single group beats an unknown/ambiguous lead
    vague = {"unknown", "other", "Taliban and/or ISKP"}
    specific = work[~work["perpetrator"].isin(vague)].groupby("group_id").head(1).set_index("group_id")
    take = out["perpetrator"].isin(vague) & out.index.isin(specific.index)
    idx = out.index[take]
    out.loc[idx, "perpetrator"] = specific.loc[idx, "perpetrator"]
    out.loc[idx, "attribution"] = specific.loc[idx, "attribution"]

    for stem in ("killed", "wounded"):
        best = work[f"{stem}_best"].astype("Float64")
        lo = work[f"{stem}_low"].astype("Float64").fillna(best)
        hi = work[f"{stem}_high"].astype("Float64").fillna(best)
        key = work["group_id"]
        med = best.groupby(key).median()
        out[f"{stem}_low"] = lo.groupby(key).min().reindex(out.index).round().astype("Int64")
        out[f"{stem}_high"] = hi.groupby(key).max().reindex(out.index).round().astype("Int64")
        out[f"{stem}_best"] = np.floor(med.reindex(out.index) + 0.5).astype("Int64")
    n_records = g.size()
    multi = n_records > 1
    members = g["incident_id"].agg("; ".join)
    datasets = g["source_dataset"].agg(lambda s: "; ".join(dict.fromkeys(s)))
    sources = g["sources"].agg(lambda s: " | ".join(dict.fromkeys(s.dropna())))
    out["incident_id"] = np.where(multi.reindex(out.index).to_numpy(), out.index.to_numpy(), out["incident_id"].to_numpy())
    out["source_dataset"] = out["source_dataset"].where(~multi, "other")
    out["source_event_id"] = out["source_event_id"].where(~multi, members)
    out["sources"] = out["sources"].where(~multi, sources)
    out["notes"] = out["notes"].where(~multi, "merged: " + members)
    out = out.reset_index()
    out["n_records"] = n_records.to_numpy()
    out["match_score"] = g["match_score"].min().to_numpy()
    out["source_datasets"] = datasets.to_numpy()
    out["member_ids"] = members.to_numpy()
    for c in COUNT_COLUMNS:
        out[c] = out[c].astype("Int64")
    out = out.sort_values(["date", "group_id"], kind="stable").reset_index(drop=True)
    return out[list(COLUMNS) + list(RECONCILED_COLUMNS)]
