"""How a notebook hands its figures, tables and key numbers to the report.

A notebook creates one :class:`Section` and routes everything the report should show
through it::

    rep = Section("02_frequency", out=report_dir, data=df, source=source)
    rep.show(fig, "monthly_counts", "Incidents per month and the fitted mean.")
    rep.table(result.to_frame(), "irr", "Incidence-rate ratios.")
    rep.number("iskp_irr_trend", 1.12, "Yearly trend IRR", fmt="{:.2f}")
    rep.finding("trend", "Attacks rose by 12% a year (95% CI 4% to 21%).")
    rep.details("Model output", result)

:meth:`Section.finding` records a key finding: it is shown where it is made and, with a
link back to it, in the "Key findings" list at the top of the report.
:meth:`Section.details` puts raw model output (a result's summary and table, any table
or text) in a collapsed block, so the report reads as findings, figures and their
explanations, with the printouts one click away.

In Jupyter (``out=None``) each call just displays its item. During a report build
(``out`` is the build directory) it also writes the item to disk:

* figures as ``figures/<section>-<name>.png`` and ``.svg`` (SVG without a date stamp
  and with a fixed id salt, so the same figure gives the same bytes);
* tables as ``tables/<section>-<name>.csv`` (sorted as given, floats to 10 significant
  digits, no index unless it is named);
* numbers to ``numbers/<section>.json``, from which the build writes ``summary.md``.

Every displayed item carries ``metadata["analysis"]`` (kind, name, caption), which the
HTML renderer (:mod:`analysis.report.html`) uses to lay the report out. Nothing here
reads a clock, so identical inputs give identical files.
"""

from __future__ import annotations

import base64
import io
import json
import math
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError
from ..io import write_csv, write_text
from .estimable import Estimability

__all__ = ["FigureStyleError", "Section", "date_range_text", "open_section"]

#: Environment variable a build can use instead of the ``report_dir`` parameter.
OUT_ENV = "ANALYSIS_REPORT_OUT"
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


class FigureStyleError(InputError):
    """A figure lacks a title or an axis label; every report figure needs them."""


def date_range_text(df: pd.DataFrame | None, start=None, end=None) -> str:
    """``"1 Jan 2015 to 31 Dec 2025"``: the requested window, else the data's dates."""
    lo = pd.Timestamp(start) if start is not None else None
    hi = pd.Timestamp(end) if end is not None else None
    if df is not None and len(df) and "date" in df:
        lo = lo if lo is not None else df["date"].min()
        hi = hi if hi is not None else df["date"].max()
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return "no dated incidents"
    return f"{lo:%-d %b %Y} to {hi:%-d %b %Y}"


def _check_name(name: str) -> str:
    if not _NAME_RE.match(name):
        raise ValueError(
            f"item name {name!r} must be lower-case letters, digits, '_' or '-' "
            "(it becomes a file name)"
        )
    return name


def _check_figure(fig, name: str) -> None:
    """Raise :class:`FigureStyleError` unless the figure has a title and axis labels."""
    axes = [ax for ax in fig.get_axes() if ax.get_visible() and ax.get_label() != "<colorbar>"]
    axes = [ax for ax in axes if ax.axison]
    has_suptitle = fig._suptitle is not None and fig._suptitle.get_text().strip()
    if not has_suptitle and not any(ax.get_title().strip() for ax in axes):
        raise FigureStyleError(
            f"figure {name!r} has no title: call ax.set_title(...) or fig.suptitle(...)"
        )
    # Panels that share an axis label only one of them, so the rule is per figure:
    # a single-panel figure needs both labels, a multi-panel figure at least one of each.
    panels = [ax for ax in axes if ax.name in ("rectilinear", "polar")]
    for which in ("x", "y"):
        labels = [getattr(ax, f"get_{which}label")().strip() for ax in panels]
        if panels and not any(labels):
            raise FigureStyleError(
                f"figure {name!r} has no {which} axis label; label every axis with its "
                "quantity and unit, e.g. 'incidents per month'"
            )


class Section(Estimability):
    """One report section (one notebook): displays items and, in a build, saves them.

    Parameters
    ----------
    section : str
        Section id, the notebook's stem, e.g. ``"02_frequency"``. Prefixes file names.
    out : str or Path, optional
        The build directory. ``None`` falls back to the ``ANALYSIS_REPORT_OUT``
        environment variable; when neither is set nothing is written (interactive use).
    data : DataFrame, optional
        The incident frame the section analyses; gives the date range in captions.
    source : str, optional
        What the data is, for captions ("bundled curated dataset", a file name, ...).
    start, end : date-like, optional
        The requested analysis window; overrides the data's own range in captions.
    """

    def __init__(
        self,
        section: str,
        *,
        out: str | Path | None = None,
        data: pd.DataFrame | None = None,
        source: str | None = None,
        start=None,
        end=None,
    ) -> None:
        self.section = _check_name(section)
        out = out if out is not None else os.environ.get(OUT_ENV) or None
        self.out = Path(out) if out is not None else None
        self.source = source or "user-supplied data"
        self.period = date_range_text(data, start, end)
        self._numbers: list[dict[str, Any]] = []
        self._findings: list[dict[str, str]] = []
        self._skipped: list[dict[str, str]] = []
        self._cautions: set[str] = set()
        self._estimation: list[str] = []
        self._names: set[str] = set()
        if self.out is not None:
            for sub in ("figures", "tables", "numbers"):
                (self.out / sub).mkdir(parents=True, exist_ok=True)
            self._write_numbers()

    # ------------------------------------------------------------------ helpers
    @property
    def saving(self) -> bool:
        """True during a report build (items are written to ``out``)."""
        return self.out is not None

    def caption(self, text: str) -> str:
        """``text`` followed by the source and date range."""
        text = text.strip()
        if text and not text.endswith((".", "!", "?")):
            text += "."
        return f"{text} Source: {self.source}; {self.period}.".strip()

    def _unique(self, kind: str, name: str) -> str:
        key = f"{kind}:{_check_name(name)}"
        if key in self._names:
            raise ValueError(f"{kind} name {name!r} is used twice in section {self.section!r}")
        self._names.add(key)
        return f"{self.section}-{name}"

    @staticmethod
    def _publish(data: dict[str, Any], meta: dict[str, Any]) -> None:
        try:
            from IPython.core.interactiveshell import InteractiveShell
            from IPython.display import publish_display_data
        except ImportError:  # pragma: no cover - IPython ships with ipykernel
            return
        if not InteractiveShell.initialized():  # a plain script: nothing to display to
            return
        publish_display_data(data, metadata={"analysis": meta})

    # ------------------------------------------------------------------ items
    def show(self, fig, name: str, caption: str, *, close: bool = True) -> None:
        """Caption, check, save (PNG and SVG) and display a matplotlib figure.

        The caption (with source and date range appended) is drawn under the axes, so
        the exported files carry it too. Raises :class:`FigureStyleError` when the
        figure has no title or an axis has no label.
        """
        import matplotlib.pyplot as plt

        stem = self._unique("figure", name)
        _check_figure(fig, name)
        full = self.caption(caption)
        # Put the caption under everything already drawn (tick labels, axis labels).
        bbox = fig.get_tightbbox(fig.canvas.get_renderer())
        y = min(0.0, bbox.y0 / fig.get_figheight()) - 0.02
        x = max(0.0, bbox.x0 / fig.get_figwidth())
        fig.text(x, y, full, ha="left", va="top", fontsize=8, color="#444444", wrap=True)
        # the tight box once, for both files ("tight" would draw the figure again for each)
        tight = fig.get_tightbbox(fig.canvas.get_renderer()).padded(plt.rcParams["savefig.pad_inches"])
        png = io.BytesIO()
        fig.savefig(png, format="png", bbox_inches=tight, metadata={"Software": None})
        if self.saving:
            (self.out / "figures" / f"{stem}.png").write_bytes(png.getvalue())
            with plt.rc_context({"svg.hashsalt": stem, "svg.fonttype": "none"}):
                fig.savefig(
                    self.out / "figures" / f"{stem}.svg",
                    format="svg",
                    bbox_inches=tight,
                    metadata={"Date": None, "Creator": None},
                )
        title = fig._suptitle.get_text() if fig._suptitle is not None else ""
        title = title or next((ax.get_title() for ax in fig.get_axes() if ax.get_title()), "")
        if close:
            plt.close(fig)
        self._publish(
            {"image/png": base64.b64encode(png.getvalue()).decode("ascii"), "text/plain": full},
            {"kind": "figure", "name": stem, "title": title, "caption": full},
        )

    def table(
        self,
        df: pd.DataFrame,
        name: str,
        caption: str = "",
        *,
        index: bool | None = None,
        max_rows: int = 40,
        digits: int = 4,
        display: pd.DataFrame | None = None,
    ) -> None:
        """Save a table as CSV and display it (the first ``max_rows`` rows).

        ``index`` defaults to writing the index only when it is named (or a MultiIndex).
        ``display``, when given, is what the report shows instead (e.g. a few key
        columns); the CSV always holds the full ``df``.
        """
        stem = self._unique("table", name)
        if isinstance(df, pd.Series):
            df = df.to_frame()
        if index is None:
            index = any(n is not None for n in df.index.names)
        if self.saving:
            path = self.out / "tables" / f"{stem}.csv"
            write_csv(df, path, index=index, float_format="%.10g", date_format="%Y-%m-%d")
        full_rows = len(df)
        if display is not None:
            df = display.to_frame() if isinstance(display, pd.Series) else display
        shown = df.head(max_rows)
        html = shown.to_html(
            index=index,
            border=0,
            classes="analysis-table",
            na_rep="",
            float_format=lambda x: f"{x:.{digits}g}",
        )
        if len(df) > len(shown) or display is not None:
            html += (
                f"<p class='table-note'>Shown: {len(shown)} of {full_rows} rows"
                f"{', key columns' if display is not None else ''}; all in tables/{stem}.csv</p>"
            )
        full = caption.strip()
        self._publish(
            {"text/html": html, "text/plain": shown.to_string(index=index)},
            {"kind": "table", "name": stem, "caption": full},
        )

    def number(self, key: str, value, label: str, *, fmt: str = "{}", show: bool = False) -> None:
        """Record a key number for ``summary.md`` (and display it when ``show``)."""
        _check_name(key)
        if any(n["key"] == key for n in self._numbers):
            raise ValueError(f"number {key!r} is recorded twice in section {self.section!r}")
        if hasattr(value, "item"):
            value = value.item()
        if isinstance(value, float) and not math.isfinite(value):
            text = "not available"
        elif value is None or (not isinstance(value, str) and pd.isna(value)):
            text = "not available"
            value = None
        else:
            text = fmt.format(value)
        self._numbers.append({"key": key, "label": label, "value": value, "text": text})
        self._write_numbers()
        if show:
            self.text(f"**{label}:** {text}")

    def numbers(self) -> list[dict[str, Any]]:
        """The numbers recorded so far (key, label, value, text)."""
        return list(self._numbers)

    def text(self, markdown: str) -> None:
        """Display computed prose (Markdown); it appears in the report like a Markdown cell."""
        self._publish(
            {"text/markdown": markdown, "text/plain": markdown},
            {"kind": "text"},
        )

    def note(self, markdown: str) -> None:
        """A highlighted caveat box (e.g. about data selection)."""
        self._publish({"text/markdown": markdown, "text/plain": markdown}, {"kind": "note"})

    def result(self, res, name: str, caption: str = "") -> None:
        """Save a model result's ``to_frame()`` as a table and show its full summary in a
        collapsed details block (the printout is for checking, not for reading first)."""
        stem = self._unique("table", name)
        if self.saving:
            write_csv(res.to_frame(), self.out / "tables" / f"{stem}.csv", index=True,
                      float_format="%.10g", date_format="%Y-%m-%d")
        title = caption or getattr(res, "title", "") or "Model output"
        self._publish(
            {"text/plain": res.summary()},
            {"kind": "details", "title": f"{title}: full model output", "name": stem, "format": "text"},
        )

    def details(self, title: str, content, *, name: str | None = None) -> None:
        """Show ``content`` collapsed under ``title``: a Result (its summary), a DataFrame
        (as a table) or text (shown preformatted). With ``name``, a table (or a result's
        ``to_frame()``) is also saved as ``tables/<section>-<name>.csv``."""
        stem = self._unique("table", name) if name is not None else None
        if hasattr(content, "summary") and callable(content.summary):
            data, fmt = {"text/plain": content.summary()}, "text"
            frame = content.to_frame() if stem else None
        elif isinstance(content, pd.DataFrame | pd.Series):
            frame = content.to_frame() if isinstance(content, pd.Series) else content
            data = {
                "text/html": frame.to_html(border=0, classes="analysis-table", na_rep="",
                                           float_format=lambda x: f"{x:.4g}"),
                "text/plain": frame.to_string(),
            }
            fmt = "html"
        else:
            data, fmt, frame = {"text/plain": str(content)}, "text", None
        if stem and frame is not None and self.saving:
            index = any(n is not None for n in frame.index.names)
            write_csv(frame, self.out / "tables" / f"{stem}.csv", index=index,
                      float_format="%.10g", date_format="%Y-%m-%d")
        meta = {"kind": "details", "title": title, "format": fmt}
        if stem:
            meta["name"] = stem
        self._publish(data, meta)

    def finding(self, key: str, text: str) -> None:
        """Record and show a key finding: one sentence computed from results.

        The report lists every section's findings at the top, each linking back here.
        """
        _check_name(key)
        if any(f["key"] == key for f in self._findings):
            raise ValueError(f"finding {key!r} is recorded twice in section {self.section!r}")
        anchor = f"finding-{self.section}-{key}"
        self._findings.append({"key": key, "text": text, "anchor": anchor})
        self._write_numbers()
        self._publish(
            {"text/markdown": text, "text/plain": text},
            {"kind": "finding", "anchor": anchor, "key": key},
        )

    def findings(self) -> list[dict[str, str]]:
        """The findings recorded so far (key, text, anchor)."""
        return list(self._findings)

    # ------------------------------------------------------------------ disk
    def _write_numbers(self) -> None:
        if not self.saving:
            return
        path = self.out / "numbers" / f"{self.section}.json"
        write_text(
            json.dumps(
                {
                    "section": self.section,
                    "numbers": self._numbers,
                    "findings": self._findings,
                    "skipped": self._skipped,
                },
                indent=1,
                default=str,
            )
            + "\n",
            path,
        )


def open_section(
    section: str,
    *,
    data_paths=None,
    perpetrator: str | None = None,
    start=None,
    end=None,
    report_dir=None,
    source: str | None = None,
) -> tuple[pd.DataFrame, Section]:
    """The first lines of every report notebook: house style, data, and the section.

    Returns the selected incident frame (:func:`analysis.report.load_report_data`) and
    the :class:`Section` that captions, saves and displays the notebook's items. During a
    build (``report_dir`` set) invalid rows are quarantined into
    ``report_dir/quarantine/``; interactively they raise
    :class:`analysis.IncidentValidationError`.
    """
    from ..plotting import use_house_style
    from .inputs import load_report_data, source_label

    use_house_style()
    # In a build, invalid rows are set aside (and counted in the data section) exactly
    # as the build's own check did; interactively they raise, with the row-level report.
    quarantine = Path(report_dir) / "quarantine" if report_dir is not None else None
    df = load_report_data(
        data_paths, perpetrator=perpetrator, start=start, end=end, quarantine_dir=quarantine
    )
    rep = Section(
        section,
        out=report_dir,
        data=df,
        source=source or source_label(data_paths),
        start=start,
        end=end,
    )
    return df, rep


def read_numbers(out: str | Path, sections: Sequence[str]) -> list[dict[str, Any]]:
    """The numbers each section recorded, in section order."""
    rows = []
    for s in sections:
        p = Path(out) / "numbers" / f"{s}.json"
        if p.exists():
            rows.append(json.loads(p.read_text(encoding="utf-8")))
    return rows
