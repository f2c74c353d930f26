"""Evaluate drafts against hand-coded incidents (the bundled dataset's seed reports).

A draft (``kind == "attack"``) and a coded incident *match* when their date windows
overlap and they agree on enough else: the score adds 2 for the same province, 1 for
each of the six casualty fields (killed/wounded low/best/high) equal to the figures
the coder took from that report, 1 for the same target type and 1 for the same
attack type; pairs scoring at least 3 are matched greedily, best first, one to one.

Reported: incident precision (matched drafts / drafts) and recall (matched coded
incidents / coded incidents, all and "primary" only), and, over matched pairs, the
share with exactly the coded casualty ranges, with the coded date inside the draft's
window, with the same province, and with the same perpetrator and attribution.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .draft import draft_incidents

__all__ = ["SEED_PUBLISHED", "DraftEvaluation", "evaluate_drafts", "evaluate_seeds"]

CASUALTY_FIELDS = ("killed_low", "killed_best", "killed_high", "wounded_low", "wounded_best", "wounded_high")

#: Publication dates of the seed reports that the reports themselves do not print in
#: a form the drafter reads: seed 002 says "three days ago (Friday, December 2nd)",
#: so it was published on Monday 5 December 2022. The others print no usable date
#: (seed 001 prints its own, which the drafter reads).
SEED_PUBLISHED = {"002_cd875d34d6ffdbd4.txt": dt.date(2022, 12, 5)}


@dataclass(frozen=True)
class DraftEvaluation:
    """Figures of one evaluation; ``pairs`` lists the matched (draft, coded) ids."""

    n_drafts: int
    n_coded: int
    n_coded_primary: int
    n_matched: int
    n_matched_primary: int
    casualties_exact: float
    date_in_window: float
    province_equal: float
    perpetrator_equal: float
    attribution_equal: float
    pairs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.n_matched / self.n_drafts if self.n_drafts else float("nan")

    @property
    def recall(self) -> float:
        return self.n_matched / self.n_coded if self.n_coded else float("nan")

    @property
    def recall_primary(self) -> float:
        return self.n_matched_primary / self.n_coded_primary if self.n_coded_primary else float("nan")

    def as_dict(self) -> dict[str, float | int]:
        return {
            "drafts": self.n_drafts,
            "coded_incidents": self.n_coded,
            "matched": self.n_matched,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "recall_primary": round(self.recall_primary, 3),
            "casualties_exact": round(self.casualties_exact, 3),
            "date_in_window": round(self.date_in_window, 3),
            "province_equal": round(self.province_equal, 3),
            "perpetrator_equal": round(self.perpetrator_equal, 3),
            "attribution_equal": round(self.attribution_equal, 3),
        }


def _eq(a: object, b: object) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if pd.isna(a) or pd.isna(b):
        return False
    return a == b


def evaluate_drafts(drafts: pd.DataFrame, coded: pd.DataFrame) -> DraftEvaluation:
    """Match ``drafts`` (attack rows) to ``coded`` and compute the figures.

    ``coded`` has, per incident: ``incident_id``, ``role`` (primary / mention),
    ``date``, ``date_earliest``, ``date_latest``, ``province``, ``perpetrator``,
    ``attribution``, ``attack_type``, ``target_type`` and the casualty fields *as
    coded from the report evaluated* (from ``data/incident_sources.csv``).
    """
    d = drafts[drafts["kind"] == "attack"].reset_index(drop=True)
    c = coded.reset_index(drop=True)
    cands: list[tuple[float, int, int]] = []
    for i, a in d.iterrows():
        for j, b in c.iterrows():
            if not (a["date_earliest"] <= b["date_latest"] and b["date_earliest"] <= a["date_latest"]):
                continue
            score = 2.0 * _eq(a["province"], b["province"])
            score += sum(_eq(a[f], b[f]) for f in CASUALTY_FIELDS if not (pd.isna(b[f])))
            score += _eq(a["target_type"], b["target_type"]) + _eq(a["attack_type"], b["attack_type"])
            if score >= 3:
                cands.append((score, i, j))
    cands.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_d: set[int] = set()
    used_c: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, i, j in cands:
        if i in used_d or j in used_c:
            continue
        used_d.add(i)
        used_c.add(j)
        pairs.append((i, j))

    def share(fn) -> float:
        return sum(fn(d.loc[i], c.loc[j]) for i, j in pairs) / len(pairs) if pairs else float("nan")

    return DraftEvaluation(
        n_drafts=len(d),
        n_coded=len(c),
        n_coded_primary=int((c["role"] == "primary").sum()),
        n_matched=len(pairs),
        n_matched_primary=sum(c.loc[j, "role"] == "primary" for _, j in pairs),
        casualties_exact=share(lambda a, b: all(_eq(a[f], b[f]) for f in CASUALTY_FIELDS)),
        date_in_window=share(lambda a, b: a["date_earliest"] <= b["date"] <= a["date_latest"]),
        province_equal=share(lambda a, b: _eq(a["province"], b["province"])),
        perpetrator_equal=share(lambda a, b: _eq(a["perpetrator"], b["perpetrator"])),
        attribution_equal=share(lambda a, b: _eq(a["attribution"], b["attribution"])),
        pairs=[(d.loc[i, "incident_id"], c.loc[j, "incident_id"]) for i, j in pairs],
    )


def coded_for_report(incidents: pd.DataFrame, sources: pd.DataFrame, report: str) -> pd.DataFrame:
    """The coded incidents of one report, with that report's own casualty figures."""
    rows = sources[sources["source_ref"].astype(str).str.endswith(report)]
    keep = ["incident_id", "date", "date_earliest", "date_latest", "province", "perpetrator",
            "attribution", "attack_type", "target_type"]
    merged = rows[["incident_id", "role", *CASUALTY_FIELDS]].merge(incidents[keep], on="incident_id", how="left")
    for col in ("date", "date_earliest", "date_latest"):
        merged[col] = pd.to_datetime(merged[col])
    for col in CASUALTY_FIELDS:
        merged[col] = pd.array(pd.to_numeric(merged[col]), dtype="Int64")
    return merged.drop_duplicates("incident_id")


def evaluate_seeds(seeds_dir: str | Path, incidents: pd.DataFrame, sources: pd.DataFrame) -> tuple[DraftEvaluation, pd.DataFrame]:
    """Draft every seed report and evaluate against the coded incidents.

    Returns the pooled evaluation and a per-report table of the same figures.
    """
    seeds = sorted(Path(seeds_dir).glob("*.txt"))
    drafts, coded, per_report = [], [], []
    for p in seeds:
        d = draft_incidents(p.read_text(encoding="utf-8"), published=SEED_PUBLISHED.get(p.name), source=p.name)
        c = coded_for_report(incidents, sources, p.name)
        e = evaluate_drafts(d, c)
        per_report.append({"report": p.name, **e.as_dict()})
        drafts.append(d)
        coded.append(c)
    # pool by evaluating each report separately and adding up (no cross-report matches)
    tot = [evaluate_drafts(d, c) for d, c in zip(drafts, coded, strict=True)]
    n_m = sum(e.n_matched for e in tot)

    def pooled(attr: str) -> float:
        vals = [getattr(e, attr) * e.n_matched for e in tot if e.n_matched]
        return sum(vals) / n_m if n_m else float("nan")

    pooled_eval = DraftEvaluation(
        n_drafts=sum(e.n_drafts for e in tot),
        n_coded=sum(e.n_coded for e in tot),
        n_coded_primary=sum(e.n_coded_primary for e in tot),
        n_matched=n_m,
        n_matched_primary=sum(e.n_matched_primary for e in tot),
        casualties_exact=pooled("casualties_exact"),
        date_in_window=pooled("date_in_window"),
        province_equal=pooled("province_equal"),
        perpetrator_equal=pooled("perpetrator_equal"),
        attribution_equal=pooled("attribution_equal"),
        pairs=[p for e in tot for p in e.pairs],
    )
    return pooled_eval, pd.DataFrame(per_report)
