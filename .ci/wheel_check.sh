#!/usr/bin/env bash
# The package as a user gets it: build the wheel, install it without -e into a fresh
# virtual environment, and from a folder outside the checkout load the bundled data and
# build the default report.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$repo/.venv/bin/python" -m pip wheel --no-deps --quiet -w "$work/dist" "$repo"
wheel="$(ls "$work"/dist/*.whl)"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "$wheel[report,calendar]"
mkdir "$work/elsewhere"
cd "$work/elsewhere"
"$work/venv/bin/python" - <<'PY'
import analysis
df = analysis.load_incidents()
assert len(df) >= 70, len(df)
assert "site-packages" in analysis.__file__, analysis.__file__
print(f"wheel check: {len(df)} bundled incidents from {analysis.__file__}")
PY
"$work/venv/bin/python" -m analysis report
test -s reports/report.html
echo "wheel check: report built in $(pwd)/reports"
