#!/usr/bin/env bash
# Lint: every hook of .pre-commit-config.yaml on every file (ruff, pylint-odoo's mandatory checks, OCA's
# odoo-pre-commit-hooks on manifests, XML and .po files, prettier on XML and JavaScript), all pinned in the
# repository. Fixers leave their fixes in the working tree and the run fails, as a git hook would.
# ./lbc lint --fix: the same, then again: the second run says whether anything is left that needs a hand.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${VENV:?run through ./lbc lint}"
cd "$ROOT"
export PATH="$VENV/bin:$ROOT/node_modules/.bin:$PATH"
export PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}"
export PRE_COMMIT_HOME="$LBC_STATE/pre-commit"
git rev-parse --git-dir >/dev/null 2>&1 || { echo "lint: not a git checkout: pre-commit needs one" >&2; exit 1; }
if [ "${1:-}" = --fix ]; then
    "$VENV/bin/pre-commit" run --all-files >/dev/null 2>&1
fi
echo "lint: pre-commit run --all-files (hooks of .pre-commit-config.yaml)"
if "$VENV/bin/pre-commit" run --all-files --show-diff-on-failure --color=never; then
    echo "lint: clean"
    exit 0
fi
echo "lint: failed (./lbc lint --fix applies what the fixers can, and says what is left)" >&2
exit 1
