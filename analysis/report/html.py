"""One self-contained HTML page from the executed notebooks.

The page shows the notebooks' Markdown cells and the items they displayed through
:class:`analysis.report.Section` (figures, tables, computed prose, caveat notes), with
every code cell hidden. Figures are inline PNGs (``data:`` URIs), the style sheet is
inline, and there is no script and no external resource, so the file can be mailed or
opened offline. A table of contents links to every section and sub-section.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import mistune
import nbformat

__all__ = ["render_report"]

_CSS = """
:root { --fg:#1b1b1b; --muted:#5a5a5a; --rule:#d9d9d9; --accent:#0072B2; --note:#fff6e0; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
       color:var(--fg); background:#fff; }
.layout { display:flex; align-items:flex-start; }
nav.toc { position:sticky; top:0; flex:0 0 260px; max-height:100vh; overflow:auto; padding:1.2rem 1rem;
          border-right:1px solid var(--rule); font-size:13.5px; background:#fafafa; }
nav.toc ol { padding-left:1.1rem; margin:.2rem 0; }
nav.toc a { color:var(--fg); text-decoration:none; }
nav.toc a:hover { color:var(--accent); text-decoration:underline; }
main { flex:1 1 auto; max-width:980px; padding:1.5rem 2.2rem 4rem; }
h1 { font-size:1.8rem; margin:.2rem 0 .6rem; }
h2 { font-size:1.45rem; margin-top:2.6rem; padding-top:.6rem; border-top:2px solid var(--rule); }
h3 { font-size:1.15rem; margin-top:1.8rem; }
h4 { font-size:1rem; }
figure { margin:1.2rem 0 1.6rem; }
figure img { max-width:100%; height:auto; display:block; border:1px solid #eee; }
figcaption { font-size:12.5px; color:var(--muted); margin-top:.3rem; }
figcaption a { color:var(--accent); }
table.analysis-table, .meta table { border-collapse:collapse; font-size:13px; margin:.6rem 0 1.2rem; }
table.analysis-table th, table.analysis-table td, .meta th, .meta td
  { border-bottom:1px solid var(--rule); padding:.25rem .6rem; text-align:right; }
table.analysis-table th { background:#f3f3f3; }
.meta th { text-align:left; } .meta td { text-align:left; }
.table-wrap { overflow-x:auto; }
.table-caption { font-size:12.5px; color:var(--muted); }
.table-note { font-size:12px; color:var(--muted); }
.note, blockquote { background:var(--note); border-left:4px solid #E69F00; padding:.5rem .9rem;
  margin:1rem 0; }
blockquote p { margin:.3rem 0; }
.meta { font-size:13px; color:var(--muted); }
code { font-size:90%; background:#f3f3f3; padding:0 .2em; border-radius:3px; }
.error { background:#fde8e8; border-left:4px solid #D55E00; padding:.5rem .9rem; white-space:pre-wrap; }
.finding { border-left:4px solid var(--accent); background:#eef6fb; padding:.45rem .9rem; margin:1rem 0; }
.finding p { margin:.2rem 0; }
.key-findings { border:1px solid var(--rule); border-radius:6px; padding:.6rem 1.2rem 1rem; margin:1rem 0 1.5rem; }
.key-findings h2 { border-top:none; margin-top:.6rem; padding-top:0; }
.key-findings li { margin:.35rem 0; }
.key-findings .where { font-size:12.5px; color:var(--muted); }
details.raw { margin:.4rem 0 1.4rem; font-size:13px; }
details.raw summary { cursor:pointer; color:var(--accent); }
details.raw pre { background:#f7f7f7; padding:.6rem; overflow-x:auto; font-size:12px; }
@media print { details.raw { display:none; } }
@media print { nav.toc { display:none; } main { max-width:none; } }
@media (max-width:800px) { .layout { display:block; } nav.toc { position:static; max-height:none; } }
"""


def _slug(text: str, used: set[str]) -> str:
    plain = re.sub(r"<[^>]+>", "", text)
    base = re.sub(r"[^a-z0-9]+", "-", html.unescape(plain).lower()).strip("-") or "section"
    slug, i = base, 2
    while slug in used:
        slug, i = f"{base}-{i}", i + 1
    used.add(slug)
    return slug


class _Renderer(mistune.HTMLRenderer):
    """Markdown renderer that shifts heading levels, gives ids and records the TOC."""

    def __init__(self, toc: list[tuple[int, str, str]], used: set[str], shift: int = 1):
        super().__init__(escape=True)  # raw HTML in text is shown, never run
        self.toc, self.used, self.shift = toc, used, shift

    def heading(self, text: str, level: int, **attrs: Any) -> str:
        level = min(level + self.shift, 6)
        slug = _slug(text, self.used)
        self.toc.append((level, slug, re.sub(r"<[^>]+>", "", text)))
        return f'<h{level} id="{slug}">{text}</h{level}>\n'


def _markdown(toc, used):
    return mistune.create_markdown(
        renderer=_Renderer(toc, used), plugins=["table", "strikethrough"]
    )


def _output_html(out: Mapping[str, Any], md, counter: list[int]) -> str:
    """HTML for one notebook output ('' for outputs the report leaves out)."""
    kind = out.get("output_type")
    if kind == "error":
        text = "\n".join(out.get("traceback", []))
        text = re.sub(r"\x1b\[[0-9;]*m", "", text)
        return f"<div class='error'>{html.escape(text)}</div>"
    if kind not in ("display_data", "execute_result"):
        return ""  # streams: logs, warnings, progress bars
    data = out.get("data", {})
    meta = out.get("metadata", {}).get("analysis", {})
    k = meta.get("kind")
    if k == "figure" or (k is None and "image/png" in data):
        counter[0] += 1
        name = meta.get("name")
        alt = html.escape(meta.get("caption") or data.get("text/plain", "figure"), quote=True)
        links = ""
        if name:
            links = (
                f" &middot; <a href='figures/{name}.png'>PNG</a>"
                f" &middot; <a href='figures/{name}.svg'>SVG</a>"
            )
        return (
            f"<figure id='fig-{counter[0]}'><img alt=\"{alt}\" "
            f"src='data:image/png;base64,{data['image/png']}'>"
            f"<figcaption>Figure {counter[0]}{links}</figcaption></figure>\n"
        )
    if k == "table":
        cap = meta.get("caption") or ""
        name = meta.get("name")
        link = f" (<a href='tables/{name}.csv'>CSV</a>)" if name else ""
        caption = f"<p class='table-caption'>{html.escape(cap)}{link}</p>" if cap or link else ""
        return f"{caption}<div class='table-wrap'>{data.get('text/html', '')}</div>\n"
    if k == "finding":
        anchor = html.escape(meta.get("anchor", ""), quote=True)
        return f"<div class='finding' id='{anchor}'>{md(data.get('text/markdown', ''))}</div>\n"
    if k == "details":
        title = html.escape(meta.get("title") or "Details")
        if meta.get("format") == "html" and "text/html" in data:
            inner = f"<div class='table-wrap'>{data['text/html']}</div>"
        else:
            inner = f"<pre>{html.escape(data.get('text/plain', ''))}</pre>"
        return f"<details class='raw'><summary>{title}</summary>{inner}</details>\n"
    if k in ("text", "note"):
        body = md(data.get("text/markdown", ""))
        return f"<div class='note'>{body}</div>\n" if k == "note" else body
    if "text/html" in data:
        return f"<div class='table-wrap'>{data['text/html']}</div>\n"
    if "text/markdown" in data:
        return md(data["text/markdown"])
    return ""  # bare text/plain reprs are notebook chatter


def _notebook_html(nb, md, counter: list[int]) -> str:
    parts = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & {
            "remove",
            "remove-cell",
            "parameters",
            "injected-parameters",
            "papermill-error-cell-tag",
        }:
            continue
        if cell.cell_type == "markdown":
            parts.append(md(cell.source))
        elif cell.cell_type == "code" and "remove-output" not in tags:
            parts.extend(_output_html(o, md, counter) for o in cell.get("outputs", []))
    return "".join(parts)


def _findings(nb) -> list[tuple[str, str]]:
    """(anchor, markdown text) of every finding a notebook recorded, in order."""
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []) if cell.cell_type == "code" else []:
            meta = o.get("metadata", {}).get("analysis", {})
            if meta.get("kind") == "finding":
                out.append((meta.get("anchor", ""), o.get("data", {}).get("text/markdown", "")))
    return out


def _key_findings_html(findings: Sequence[tuple[str, str, str]], md) -> str:
    """The "Key findings" list: one line per finding, linking to where it is made."""
    if not findings:
        return ""
    items = []
    for anchor, text, title in findings:
        body = re.sub(r"^<p>|</p>\s*$", "", md(text).strip())
        items.append(
            f"<li>{body} <a class='where' href='#{html.escape(anchor, quote=True)}'>"
            f"({html.escape(title)})</a></li>"
        )
    return (
        "<section class='key-findings' id='key-findings'><h2>Key findings</h2>"
        "<p class='meta'>Each line is computed from the fitted models on these data; its "
        "interval is the model's uncertainty. The link leads to the analysis behind it.</p>"
        f"<ul>{''.join(items)}</ul></section>"
    )


def _toc_html(toc: Sequence[tuple[int, str, str]]) -> str:
    out, depth = ["<nav class='toc'><strong>Contents</strong>"], 1
    base = min((lvl for lvl, _, _ in toc), default=2)
    out.append("<ol>")
    open_items = [False]
    for lvl, slug, text in toc:
        lvl = lvl - base + 1
        if lvl > 3:
            continue
        while depth < lvl:
            out.append("<ol>")
            open_items.append(False)
            depth += 1
        while depth > lvl:
            if open_items[-1]:
                out.append("</li>")
            out.append("</ol>")
            open_items.pop()
            depth -= 1
        if open_items[-1]:
            out.append("</li>")
        out.append(f"<li><a href='#{slug}'>{html.escape(text)}</a>")
        open_items[-1] = True
    while depth >= 1:
        if open_items[-1]:
            out.append("</li>")
        out.append("</ol>")
        open_items.pop()
        depth -= 1
    out.append("</nav>")
    return "".join(out)


def _meta_html(manifest: Mapping[str, Any]) -> str:
    p = manifest.get("parameters", {})
    rows = [
        (
            "Data",
            "; ".join(
                f"{Path(k).name} (sha256 {v[:12]}…)"
                for k, v in manifest.get("inputs", {}).get("data", {}).items()
            ),
        ),
        ("Perpetrator", p.get("perpetrator") or "all"),
        ("Window", f"{p.get('start') or 'first incident'} to {p.get('end') or 'last incident'}"),
        ("Frequency, seed", f"{p.get('freq')}, {p.get('seed')}"),
        (
            "Code",
            f"git {str((manifest.get('git') or {}).get('commit') or 'unknown')[:12]}"
            + (" (uncommitted changes)" if (manifest.get("git") or {}).get("dirty") else "")
            + f"; analysis {manifest.get('versions', {}).get('afghan-violence-analysis', '?')}",
        ),
        ("Built", str(manifest.get("built_at", ""))),
    ]
    body = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows
    )
    return (
        "<div class='meta'><table>" + body + "</table>"
        "<p>Everything here can be rebuilt with the files and parameters in "
        "<a href='manifest.json'>manifest.json</a>; figures are also in <code>figures/</code> "
        "(PNG and SVG) and tables in <code>tables/</code> (CSV).</p></div>"
    )


def render_report(
    notebooks: Sequence[str | Path],
    out_file: str | Path,
    *,
    manifest: Mapping[str, Any] | None = None,
    title: str = "Insurgent and terrorist violence in Afghanistan: analysis report",
) -> Path:
    """Write the self-contained HTML report for executed ``notebooks`` (in order).

    Returns the path written. Figures are embedded; code cells are not shown.
    """
    toc: list[tuple[int, str, str]] = []
    used: set[str] = set()
    md = _markdown(toc, used)
    counter = [0]
    body = []
    findings: list[tuple[str, str, str]] = []  # (anchor, text, section title)
    for path in notebooks:
        nb = nbformat.read(str(path), as_version=4)
        first = len(toc)
        body.append(f"<section class='notebook' data-source='{html.escape(Path(path).name)}'>")
        body.append(_notebook_html(nb, md, counter))
        body.append("</section>")
        section = toc[first][2] if len(toc) > first else Path(path).stem
        findings += [(a, t, section) for a, t in _findings(nb)]
    meta = _meta_html(manifest or {}) + _key_findings_html(findings, _markdown([], set()))
    if findings:
        toc.insert(0, (min((lvl for lvl, _, _ in toc), default=2), "key-findings", "Key findings"))
    doc = (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<div class='layout'>{_toc_html(toc)}<main><h1>{html.escape(title)}</h1>{meta}"
        + "".join(body)
        + "</main></div></body></html>\n"
    )
    out_file = Path(out_file)
    out_file.write_text(doc, encoding="utf-8")
    return out_file
