#!/usr/bin/env bash
# Lint: ruff (lint + format check) and pylint-odoo's mandatory checks, all pinned in requirements.txt.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${VENV:?run through ./lbc lint}"
cd "$ROOT"
rc=0
echo "lint: ruff check"
"$VENV/bin/ruff" check addons tests tools $( [ -d bench ] && echo bench ) || rc=1
echo "lint: ruff format --check"
"$VENV/bin/ruff" format --check addons tests tools $( [ -d bench ] && echo bench ) || rc=1
echo "lint: pylint-odoo (mandatory checks)"
PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}" "$VENV/bin/pylint" --rcfile=.pylintrc-mandatory addons/* || rc=1
[ $rc -eq 0 ] && echo "lint: clean"
exit $rc
