"""The reference executor of the rule table: the pandera schema
(:class:`analysis.schema.IncidentSchema`), run lazily so that every failure of every row
is found at once.

An executor takes the typed canonical frame from
:func:`~analysis.validation.coercion.coerce_incidents` and returns its failures, one
line per (row, column, rule): ``_index`` (the frame's index label), ``column``, ``rule``
(a key of :data:`analysis.schema.RULES`) and ``value`` (the offending value).
"""

from __future__ import annotations

import functools

import pandas as pd
import pandera.pandas as pa

from ..schema import ROW_RULES, IncidentSchema, empty_incidents

__all__ = ["FAILURE_COLUMNS", "failures", "pandera_failures", "schema"]

_PANDERA_RULE_NAMES = {"not_nullable": "not_null", "field_uniqueness": "unique"}
#: The row rules of the schema and the column each one is reported on.
DATAFRAME_RULE_COLUMNS = {name: rule.column for name, rule in ROW_RULES.items()}
FAILURE_COLUMNS = ["_index", "column", "rule", "value"]


@functools.cache
def schema(unique: bool = True):
    """The pandera schema, with or without the ``incident_id`` uniqueness rule.

    Built once and validated against an empty frame, so that pandera's lazily
    registered backends exist before any thread uses the schema.
    """
    built = IncidentSchema
    if not unique:
        built = built.update_column("incident_id", unique=False)
    built.validate(empty_incidents())
    return built


def failures(typed: pd.DataFrame, *, unique: bool = True) -> pd.DataFrame:
    """Every (row, column, rule) of ``typed`` that the schema rejects (empty if none).

    ``unique=False`` leaves out the one rule that is not row by row (``incident_id``
    unique), for a caller that checks it across parts of a larger table.
    """
    try:
        schema(unique).validate(typed, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return pandera_failures(exc, typed)
    return pd.DataFrame(columns=FAILURE_COLUMNS)


def _whole_column_failures(out: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """A whole-column failure (no row index; cannot happen after coercion) stands for
    every row."""
    schema_level = out["_index"].isna()
    if not schema_level.any():
        return out
    whole = out[schema_level]
    every_row = pd.DataFrame({"_index": index})
    spread = [
        whole.iloc[[i]].merge(every_row, how="cross", suffixes=("_x", "")).drop(columns="_index_x")
        for i in range(len(whole))
    ]
    return pd.concat([out[~schema_level], *spread], ignore_index=True)


def pandera_failures(exc: pa.errors.SchemaErrors, data: pd.DataFrame) -> pd.DataFrame:
    """Turn pandera's failure cases into one line per (row, column, rule).

    Pandera reports a row-wise dataframe check once per column of the failing row;
    those are folded into one line on the rule's own column, which shows that column's
    value.
    """
    fc = exc.failure_cases
    rule = fc["check"].astype("str").str.split("(", n=1).str[0].replace(_PANDERA_RULE_NAMES)
    column = fc["column"].astype("object")
    is_df_rule = rule.isin(list(DATAFRAME_RULE_COLUMNS))
    column = column.where(~is_df_rule, rule.map(DATAFRAME_RULE_COLUMNS))
    out = pd.DataFrame({"_index": fc["index"], "column": column.fillna(""), "rule": rule, "value": fc["failure_case"]})
    out = _whole_column_failures(out, data.index)
    out = out.drop_duplicates(subset=["_index", "column", "rule"])
    df_rows = out["rule"].isin(list(DATAFRAME_RULE_COLUMNS))
    if df_rows.any():
        sub = out[df_rows]
        out.loc[df_rows, "value"] = [data.at[i, c] for i, c in zip(sub["_index"], sub["column"], strict=True)]
    out["_index"] = out["_index"].astype("int64")
    return out
