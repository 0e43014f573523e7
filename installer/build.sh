#!/usr/bin/env bash
# Build the one-folder app: dist/cspdesk/cspdesk (cspdesk.exe on Windows).
# Usage: installer/build.sh [PYTHON]   (default: .venv/bin/python, which has the build extra)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${1:-${PYTHON:-.venv/bin/python}}"
if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
    "$PYTHON" -m pip install -q -e '.[build]'
fi
DIST="${CSPDESK_DIST:-dist}"
WORK="${CSPDESK_BUILD:-build/pyinstaller}"
start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$WORK" installer/cspdesk.spec
end=$(date +%s)
echo "Built $DIST/cspdesk in $((end - start)) s, $(du -sh "$DIST/cspdesk" | cut -f1)"
