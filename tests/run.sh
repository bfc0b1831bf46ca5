#!/usr/bin/env bash
# ./lbc test: lint, then a fresh database with every lbc_* addon installed with its tests
# (Python tests and browser tours), then the repository checks; ends with "N passed, N failed".
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../tools/common.sh"
: "${VENV:?run through ./lbc test}"
DB="${LBC_TEST_DB:-lbc_test}"
OUT="$LBC_STATE/test"
mkdir -p "$OUT"
rm -f "$OUT"/*.log
export LBC_TEST_LOG_DIR="$OUT"
lint_rc=0
"$HERE/lint.sh" || lint_rc=$?

CONF="$(lbc_conf "$DB" "http_port = ${LBC_TEST_HTTP_PORT:-8169}")"
ADDONS="$(lbc_addons)"
TAGS="$(echo "$ADDONS" | sed 's/\([^,]*\)/\/\1/g')"
say "creating $DB with Odoo's addons the suite depends on, without their tests (log: $OUT/odoo-deps.log)"
lbc_create_db "$CONF" "$DB" "$OUT/odoo-deps.log"

say "installing $ADDONS with their tests (log: $OUT/odoo-tests.log)"
odoo_bin -c "$CONF" -d "$DB" -i "$ADDONS" --test-enable --test-tags "$TAGS" \
    --stop-after-init --log-level=test > "$OUT/odoo-tests.log" 2>&1
odoo_rc=$?

say "repository checks (log: $OUT/repo-tests.log)"
"$VENV/bin/python" -m unittest discover -s "$HERE" -p 'test_*.py' -t "$HERE/.." > "$OUT/repo-tests.log" 2>&1
repo_rc=$?

DEMO_DB="${LBC_DEMO_CHECK_DB:-lbc_demo_check}"
say "building the demo database as ./lbc run does (log: $OUT/demo.log)"
LBC_DB="$DEMO_DB" LBC_RESET=1 LBC_BUILD_ONLY=1 LBC_HTTP_PORT=8170 \
    "$LBC_ROOT/tools/run.sh" > "$OUT/demo.log" 2>&1
demo_rc=$?
[ $demo_rc -eq 0 ] || tail -n 20 "$OUT/demo.log" >&2

# the demo tells the story: each login of the README finds its lists filled (tag lbc_demo, never in the suite)
say "the demo story, logged in as each demo login (log: $OUT/demo-story.log)"
if [ $demo_rc -eq 0 ]; then
    odoo_bin -c "$LBC_STATE/run/odoo-$DEMO_DB.conf" -d "$DEMO_DB" --test-enable --test-tags lbc_demo \
        --stop-after-init --http-port="${LBC_DEMO_STORY_HTTP_PORT:-8171}" --log-level=test \
        > "$OUT/demo-story.log" 2>&1
    story_rc=$?
else
    echo "the demo database did not build: no story to check" > "$OUT/demo-story.log"
    story_rc=1
fi
dropdb --if-exists --force "$DEMO_DB" 2>/dev/null

exec "$VENV/bin/python" "$HERE/summarize.py" --odoo-log "$OUT/odoo-tests.log" --odoo-rc "$odoo_rc" \
    --odoo-log "$OUT/demo-story.log" --odoo-rc "$story_rc" \
    --unittest-log "$OUT/repo-tests.log" --unittest-rc "$repo_rc" --check "lint=$lint_rc" --check "demo=$demo_rc"
