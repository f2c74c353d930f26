"""Toll groups -> killed and wounded as low / best / high, by the codebook's rules.

:func:`combine_casualties` reconciles the casualty mentions of one event frame
(:mod:`.casualties`) into the schema's fields by the coding rules of
``data/README.md``:

* coordinated groups add up: "141 civilians and 21 Taliban fighters were wounded" is
  162; so do figures that say they are in addition ("13 to 14 other guests",
  "four Afghans ... also died") to an earlier figure of the same role;
* a vague word ("dozens") only counts when no number is given;
* a report that contradicts itself gives the range of its figures: ``low`` is the
  smallest, ``high`` the largest, ``best`` the first figure the report gives (its
  headline figure) -- "at least 17 (hospital); seven (Taliban)" is 7 / 17 / 17;
* a revised figure is best, the figure it replaced stays in the range: "34 (revised
  down from 48)" is 34 / 34 / 48; "the toll rose to eight ..., raising an earlier
  toll of five" is 5 / 8 / 8;
* "44 of the 50 victims were civilians" gives 50 killed, of whom 44 civilians;
* "20 children are among the dead" is a subset, never added to the total; a subset
  larger than the total widens ``high`` (19 killed, "20 children among the dead":
  19 / 19 / 20);
* attackers killed are not victims, and tolls the perpetrator claims are propaganda:
  both are noted, not counted;
* "dozens dead and injured" with no separate figures leaves both counts unknown
  (lower bound 1 killed) and is noted.
"""

from __future__ import annotations

import dataclasses
import re

from .casualties import CasualtyMention

__all__ = ["combine_casualties"]

#: Figures that are never victims: the attackers' own dead, and tolls the perpetrator claims.
_NOT_VICTIMS = ("perpetrator", "claimed")


def _sum_groups(mentions: list[CasualtyMention]) -> list[CasualtyMention]:
    """Coordinated parts ("141 civilians and 21 Taliban fighters") add up to one
    figure, kept at the place of the first part (mentions stay in report order)."""
    out: list[CasualtyMention | int] = []
    groups: dict[tuple[str, int], list[CasualtyMention]] = {}
    for c in mentions:
        if c.group is None:
            out.append(c)
            continue
        key = (c.role, c.group)
        if key not in groups:
            groups[key] = []
            out.append(len(groups) - 1)
        groups[key].append(c)
    keys = list(groups)
    result: list[CasualtyMention] = []
    for item in out:
        if isinstance(item, CasualtyMention):
            result.append(item)
            continue
        parts = groups[keys[item]]

        def total(attr: str, parts=parts) -> int | None:
            vals = [getattr(p, attr) for p in parts]
            return None if any(v is None for v in vals) else sum(vals)

        cats = {p.category for p in parts}
        result.append(
            dataclasses.replace(
                max(parts, key=lambda p: p.end - p.start), low=total("low"), best=total("best"),
                high=total("high"), category=cats.pop() if len(cats) == 1 else "", group=None,
                text=" | ".join(dict.fromkeys(p.text for p in sorted(parts, key=lambda p: p.start))),
            )
        )
    return result


def _add_extras(mentions: list[CasualtyMention]) -> list[CasualtyMention]:
    """A figure "in addition" ("13 to 14 other guests", "four Afghans also died") adds
    to the figure of the same role read just before it; the first figure of its role
    stands alone."""
    out: list[CasualtyMention] = []
    for c in mentions:
        prev = next((o for o in reversed(out) if not o.subset and not o.revision and o.category not in _NOT_VICTIMS), None)
        if c.extra and not c.subset and c.category not in _NOT_VICTIMS and prev is not None and not prev.vague:
            def add(a, b):
                return None if a is None or b is None else a + b
            out[out.index(prev)] = dataclasses.replace(
                prev, low=add(prev.low, c.low), best=add(prev.best, c.best), high=add(prev.high, c.high),
                category=prev.category if prev.category == c.category else "", text=f"{prev.text} | {c.text}",
            )
            continue
        out.append(c)
    return out


def _range(mentions: list[CasualtyMention]) -> tuple[int | None, int | None, int | None, list[CasualtyMention]]:
    mentions = _add_extras(_sum_groups(mentions))
    totals = [c for c in mentions if not c.subset and c.category not in _NOT_VICTIMS]
    exact = [c for c in totals if not c.vague]
    use = exact or totals
    if not use:
        return None, None, None, []
    subsets = [c for c in mentions if c.subset and c.category not in _NOT_VICTIMS and not c.vague]
    lows = [c.low for c in use if c.low is not None]
    highs = [c.high for c in use] + [c.best for c in subsets]
    low = min(lows) if lows else None
    high = None if any(h is None for h in highs) else max(highs)  # type: ignore[type-var]
    revised = [c for c in use if c.revision == "new" and c.best is not None]
    best = (revised[-1].best if revised else None) or next(
        (c.best for c in use if c.best is not None and c.revision != "old"), None
    )
    if best is not None:
        if low is not None:
            best = max(best, low)
        if high is not None:
            best = min(best, high)
    return low, best, high, use


def combine_casualties(mentions: list[CasualtyMention]) -> dict[str, object]:
    """Reconcile an incident's casualty mentions into schema fields.

    Returns a dict with ``killed_low/best/high``, ``wounded_low/best/high``,
    ``civilians_killed_best``, ``combatants_killed_best``, ``evidence_killed``,
    ``evidence_wounded`` (the spans used, joined by " | ") and ``notes``.
    """
    notes: list[str] = []
    killed = [c for c in mentions if c.role == "killed"]
    wounded = [c for c in mentions if c.role == "wounded"]
    combined = [c for c in mentions if c.role == "combined"]
    kl, kb, kh, kuse = _range(killed)
    wl, wb, wh, wuse = _range(wounded)
    out: dict[str, object] = {}
    if kb is None and kl is None and combined:
        notes.append("killed and wounded reported together (" + "; ".join(c.text for c in combined) + "): counts unknown")
        kl, kb, kh, kuse = 1, None, None, combined
    if wb is None and wl is None and combined and kuse is not combined:
        total = [c for c in combined if not c.vague]
        if total and kb is not None and total[0].best is not None and total[0].best >= kb:
            notes.append(f"killed and wounded reported together ({total[0].text})")
    civ = [c for c in killed if c.category == "civilian"]
    comb = [c for c in killed if c.category == "combatant"]
    shares = [c for c in killed if c.subset and c.share_of is not None]
    breakdown = [c for c in killed if c.subset and c.share_of is None]
    civilians = combatants = None
    if shares:
        civilians = shares[0].best if shares[0].category == "civilian" else None
    elif breakdown:
        civ_parts = [c.best for c in breakdown if c.category == "civilian" and c.best is not None]
        comb_parts = [c.best for c in breakdown if c.category == "combatant" and c.best is not None]
        if civ_parts and not [c for c in breakdown if re.search(r"children|women|students|girls|boys", c.text, re.I)]:
            civilians = sum(civ_parts)
        if comb_parts:
            combatants = sum(comb_parts)
        for c in breakdown:
            notes.append(f"subset of the dead: {c.text}")
    else:
        kt = [c for c in kuse if c.role == "killed"]
        if kt and kb is not None:
            if all(c.category == "civilian" for c in kt) and civ:
                civilians = kb
            elif all(c.category == "combatant" for c in kt) and comb:
                combatants = kb
    perps = [c for c in mentions if c.category == "perpetrator" and c.role == "killed"]
    for c in perps:
        notes.append(f"attackers killed, not counted: {c.text}")
    for c in mentions:
        if c.category == "claimed":
            notes.append(f"toll claimed by the perpetrator, not counted: {c.text}")
    if kh is not None:
        if civilians is not None and civilians > kh:
            civilians = None
        if combatants is not None and (combatants + (civilians or 0)) > kh:
            combatants = None
    out.update(
        killed_low=kl, killed_best=kb, killed_high=kh,
        wounded_low=wl, wounded_best=wb, wounded_high=wh,
        civilians_killed_best=civilians, combatants_killed_best=combatants,
        evidence_killed=" | ".join(dict.fromkeys(c.text for c in kuse)) or None,
        evidence_wounded=" | ".join(dict.fromkeys(c.text for c in wuse)) or None,
        evidence_civilians=" | ".join(dict.fromkeys(c.text for c in (shares or breakdown or (civ if civilians is not None else []) or (comb if combatants is not None else [])))) or None,
        notes=notes,
    )
    return out
