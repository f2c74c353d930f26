"""Open a report in headless Chromium and check that every image rendered.

No Selenium or DevTools client is needed: a copy of the page gets a small script that,
after the load event, counts the images and those that failed to decode
(``naturalWidth == 0``) and writes the counts into the DOM; Chromium's ``--dump-dom``
prints the DOM, and ``--screenshot`` saves a PNG of the top of the page to look at.

``python -m analysis.report.browser reports/report.html --screenshot shot.png``
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..errors import AnalysisError

__all__ = ["BrowserCheckError", "check_report", "find_chromium"]

_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
)
_PROBE = """
<script>
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var broken = imgs.filter(function (i) { return !i.complete || i.naturalWidth === 0; });
  var out = document.createElement('pre');
  out.id = 'image-check';
  out.textContent = JSON.stringify({
    images: imgs.length, broken: broken.length,
    broken_alt: broken.map(function (i) { return (i.alt || '').slice(0, 80); }),
    headings: document.querySelectorAll('h2, h3').length,
    toc_links: document.querySelectorAll('nav.toc a').length,
    toc_targets_missing: Array.prototype.slice.call(document.querySelectorAll('nav.toc a'))
      .filter(function (a) { return !document.getElementById(a.getAttribute('href').slice(1)); }).length,
    title: document.title
  });
  document.body.appendChild(out);
});
</script>
"""


class BrowserCheckError(AnalysisError, RuntimeError):
    """Chromium is missing or did not produce the expected output."""


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome executable, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def check_report(
    html_file: str | Path,
    *,
    screenshot: str | Path | None = None,
    window: tuple[int, int] = (1280, 1800),
    timeout: float = 120.0,
) -> dict:
    """Render ``html_file`` in headless Chromium; return image and heading counts.

    Returns a dict with ``images``, ``broken`` (images that did not decode),
    ``broken_alt``, ``headings``, ``toc_links``, ``toc_targets_missing`` and
    ``title``. Writes a PNG screenshot when ``screenshot`` is given.
    """
    exe = find_chromium()
    if exe is None:
        raise BrowserCheckError("no chromium executable found (apt-get install chromium)")
    html_file = Path(html_file).resolve()
    with tempfile.TemporaryDirectory(prefix="report-browser-") as tmp:
        tmp = Path(tmp)
        probe = tmp / "probe.html"
        text = html_file.read_text(encoding="utf-8")
        probe.write_text(text.replace("</body>", _PROBE + "</body>", 1), encoding="utf-8")
        base = [
            exe,
            *_FLAGS,
            f"--user-data-dir={tmp / 'profile'}",
            f"--window-size={window[0]},{window[1]}",
        ]
        dom = subprocess.run(
            [*base, "--virtual-time-budget=10000", "--dump-dom", probe.as_uri()],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        m = re.search(r'<pre id="image-check">(.*?)</pre>', dom.stdout, re.S)
        if not m:
            raise BrowserCheckError(
                f"chromium did not report the image check (exit {dom.returncode}): "
                f"{dom.stderr.strip()[-500:]}"
            )
        result = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&"))
        if screenshot is not None:
            shot = Path(screenshot).resolve()
            shot.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [*base, f"--screenshot={shot}", html_file.as_uri()],
                capture_output=True,
                text=True,
                timeout=timeout,
            )
            if not shot.exists():
                raise BrowserCheckError(f"chromium wrote no screenshot to {shot}")
            result["screenshot"] = str(shot)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("html", type=Path)
    ap.add_argument("--screenshot", type=Path)
    args = ap.parse_args(argv)
    res = check_report(args.html, screenshot=args.screenshot)
    print(json.dumps(res, indent=1))
    return 1 if res["broken"] or not res["images"] else 0


if __name__ == "__main__":
    sys.exit(main())
