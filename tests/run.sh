#!/usr/bin/env bash
# ./lbc test: lint; each lbc addon below the top one installed alone with its dependencies and its own
# tests; a fresh database with every lbc_* addon installed with its tests (Python tests and browser
# tours), the coverage of the suite's Python code printed; the repository checks; the cluster check (./lbc
# cluster check, on a copy of that database); the suite installed in one command on a new French database (its
# taxes); the demo database and its story. Ends with "N passed, N failed".
# ./lbc test ADDON...: only ADDONs' tests, on a fresh database with ADDONs and their dependencies.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../tools/common.sh"
: "${VENV:?run through ./lbc test}"
DB="${LBC_TEST_DB:-lbc_test}"
PORT="${LBC_TEST_HTTP_PORT:-8169}"
# logs: ~/.cache/lbc/test, or test-<db> for another LBC_TEST_DB (two runs side by side keep their logs)
OUT="$LBC_STATE/test"
[ "$DB" = lbc_test ] || OUT="$LBC_STATE/test-$DB"
mkdir -p "$OUT"
rm -f "$OUT"/*.log "$OUT/durations.txt"
export LBC_TEST_LOG_DIR="$OUT"

# Databases holding only Odoo's addons (and LBC's French company), built once per run and copied for
# every database that needs the same Odoo addons: each is built on a copy of the previous one it extends.
TEMPLATES=()
TEMPLATE_DEPS=()
TEMPLATE=""

lines() { tr , '\n' <<<"$1" | LC_ALL=C sort -u; }
installed() { psql -d "$1" -tAc "SELECT name FROM ir_module_module WHERE state = 'installed'" | LC_ALL=C sort; }

# odoo_template DEPS: sets TEMPLATE to a database where Odoo's addons DEPS (comma-separated) are installed
odoo_template() {
    local deps="$1" i n best=-1 best_n=-1 name log conf missing start=$SECONDS
    for i in "${!TEMPLATES[@]}"; do
        [ "${TEMPLATE_DEPS[$i]}" = "$deps" ] && { TEMPLATE="${TEMPLATES[$i]}"; return 0; }
        if [ -z "$(LC_ALL=C comm -23 <(lines "${TEMPLATE_DEPS[$i]}") <(lines "$deps"))" ]; then
            n="$(lines "${TEMPLATE_DEPS[$i]}" | wc -l)"
            [ "$n" -gt "$best_n" ] && { best=$i; best_n=$n; }
        fi
    done
    if [ "$best" -ge 0 ]; then
        missing="$(LC_ALL=C comm -23 <(lines "$deps") <(installed "${TEMPLATES[$best]}") | paste -sd,)"
        if [ -z "$missing" ]; then  # already there (installed with those it has)
            TEMPLATES+=("${TEMPLATES[$best]}")
            TEMPLATE_DEPS+=("$deps")
            TEMPLATE="${TEMPLATES[$best]}"
            return 0
        fi
    fi
    name="${DB}_tmpl${#TEMPLATES[@]}"
    log="$OUT/odoo-deps-$name.log"
    conf="$(lbc_conf "$name")"
    if [ "$best" -ge 0 ]; then
        say "database $name: a copy of ${TEMPLATES[$best]} with Odoo's $missing, no tests (log: $log)"
        lbc_clone_db "${TEMPLATES[$best]}" "$name"
        odoo_bin -c "$conf" -d "$name" -i "$missing" --stop-after-init --log-level=warn > "$log" 2>&1 \
            || { tail -n 40 "$log" >&2; die "installing Odoo's addons in $name failed (log: $log)"; }
    else
        say "database $name with Odoo's $deps, no tests (log: $log)"
        LBC_ODOO_TEMPLATE="" lbc_create_db "$conf" "$name" "$log" "" "$deps"
    fi
    say "database $name built in $((SECONDS - start)) s"
    TEMPLATES+=("$name")
    TEMPLATE_DEPS+=("$deps")
    TEMPLATE="$name"
}

drop_templates() {
    local name
    for name in $(printf '%s\n' "${TEMPLATES[@]}" | sort -u); do
        lbc_drop_db "$name"
        rm -f "$LBC_STATE/run/odoo-$name.conf"
    done
}

# install_with_tests DB LOG ADDONS: DB, a copy of the template of the Odoo addons ADDONS (comma-separated)
# need, with ADDONS installed (and the lbc addons below them, without their tests) and ADDONS' tests run
install_with_tests() {
    local db="$1" log="$2" addons="$3" conf
    # shellcheck disable=SC2086  # one argument per addon
    odoo_template "$(lbc_odoo_deps ${addons//,/ })"
    lbc_clone_db "$TEMPLATE" "$db"
    conf="$(lbc_conf "$db" "http_port = $PORT")"
    local run=(odoo_bin)
    # LBC_COVERAGE_FILE: measure the suite's Python code (not its tests) while the tests run
    [ -z "${LBC_COVERAGE_FILE:-}" ] || run=("$VENV/bin/python" -m coverage run --data-file="$LBC_COVERAGE_FILE"
        --source="$LBC_ROOT/addons" --omit="*/tests/*" "$ODOO_PATH/odoo-bin")
    "${run[@]}" -c "$conf" -d "$db" -i "$addons" --test-enable --test-tags "$(sed 's#\([^,]\+\)#/\1#g' <<<"$addons")" \
        --stop-after-init --log-level=test > "$log" 2>&1
}

# tests_ran LOG: "N tests" from Odoo's report line
tests_ran() { grep -o 'error(s) of [0-9]* tests' "$1" | tail -n 1 | grep -o '[0-9]* tests' || echo "no report"; }

timed() {  # timed LABEL SECONDS [LOG]
    printf '%-28s %5d s  %s\n' "$1" "$2" "$([ -z "${3:-}" ] || tests_ran "$3")" | tee -a "$OUT/durations.txt" | sed 's/^/lbc: /' >&2
}

if [ $# -gt 0 ]; then
    ADDONS="$(IFS=,; echo "$*")"
    # shellcheck disable=SC2086  # one argument per addon; stops on a name that is not an lbc addon
    "$VENV/bin/python" "$LBC_ROOT/tools/addons.py" odoo-deps ${ADDONS//,/ } > /dev/null || exit 2
    say "installing $ADDONS in $DB with their tests only (log: $OUT/odoo-tests.log)"
    start=$SECONDS
    install_with_tests "$DB" "$OUT/odoo-tests.log" "$ADDONS"
    odoo_rc=$?
    timed "$ADDONS" $((SECONDS - start)) "$OUT/odoo-tests.log"
    drop_templates
    exec "$VENV/bin/python" "$HERE/summarize.py" --odoo-log "$OUT/odoo-tests.log" --odoo-rc "$odoo_rc"
fi

lint_rc=0
"$HERE/lint.sh" || lint_rc=$?

# Every addon passes its own tests installed alone with its dependencies (no upper addon, no website):
# one database per addon, its tests only; the top addon alone is the full run below.
ALONE_DB="${DB}_alone"
alone_args=()
for addon in $("$VENV/bin/python" "$LBC_ROOT/tools/addons.py" alone | tr , ' '); do
    log="$OUT/alone-$addon.log"
    say "$addon alone with its dependencies, its tests only (log: $log)"
    start=$SECONDS
    install_with_tests "$ALONE_DB" "$log" "$addon"
    rc=$?
    timed "$addon alone" $((SECONDS - start)) "$log"
    alone_args+=(--odoo-log "$log" --odoo-rc "$rc")
    [ $rc -eq 0 ] && lbc_drop_db "$ALONE_DB"  # a failing one is kept to look into, until the next run
done

ADDONS="$(lbc_addons)"
say "installing $ADDONS in $DB with their tests (log: $OUT/odoo-tests.log)"
start=$SECONDS
rm -f "$OUT/coverage.data"
LBC_COVERAGE_FILE="$OUT/coverage.data" install_with_tests "$DB" "$OUT/odoo-tests.log" "$ADDONS"
odoo_rc=$?
timed "every addon" $((SECONDS - start)) "$OUT/odoo-tests.log"
FULL_TEMPLATE="$TEMPLATE"
"$VENV/bin/python" "$HERE/coverage_summary.py" "$OUT/coverage.data" "$LBC_ROOT/addons" "$OUT/coverage.txt" >&2 \
    || say "no coverage measured (see $OUT/odoo-tests.log)"

say "repository checks (log: $OUT/repo-tests.log)"
"$VENV/bin/python" -m unittest discover -s "$HERE" -p 'test_*.py' -t "$HERE/.." > "$OUT/repo-tests.log" 2>&1
repo_rc=$?

# The suite deployed as on several hosts (./lbc cluster check): the database just tested, copied into a
# PostgreSQL primary with a hot-standby replica, two web servers behind HAProxy, a cron host; a member driven
# through the balancer (about 3 minutes: the copy, the start, the check). LBC_TEST_CLUSTER=0 skips it.
cluster_rc=0
if [ "${LBC_TEST_CLUSTER:-1}" != 0 ]; then
    say "the cluster check (./lbc cluster check on a copy of $DB; log: $OUT/cluster.log)"
    start=$SECONDS
    LBC_CLUSTER_SRC="$DB" LBC_CLUSTER_RESET=1 LBC_CLUSTER_EXPECT_PORTAL_REPLICA=1 LBC_CLUSTER_DIR="${LBC_TEST_CLUSTER_DIR:-/var/tmp/lbc-cluster-test}" \
        "$LBC_ROOT/tools/cluster.sh" check > "$OUT/cluster.log" 2>&1
    cluster_rc=$?
    [ $cluster_rc -eq 0 ] || tail -n 20 "$OUT/cluster.log" >&2
    timed "cluster check" $((SECONDS - start))
fi

# An integrator installs the suite in one command on a new French database: the French chart is then loaded in
# the same run as the suite's products, after some of them. Their taxes must be right there too (issue 15).
ONE_DB="${DB}_one"
say "the suite installed in one command on a new French database (log: $OUT/one-command.log)"
start=$SECONDS
lbc_drop_db "$ONE_DB"
one_conf="$(lbc_conf "$ONE_DB" "http_port = $PORT")"
{
    odoo_bin db -c "$one_conf" init "$ONE_DB" --country FR \
        && odoo_bin -c "$one_conf" -d "$ONE_DB" -i "$ADDONS" --test-enable \
            --test-tags /lbc_erp_client:TestSuiteTaxes.test_install_left_the_taxes --stop-after-init --log-level=test
} > "$OUT/one-command.log" 2>&1
one_rc=$?
timed "one-command install" $((SECONDS - start)) "$OUT/one-command.log"
[ $one_rc -eq 0 ] && lbc_drop_db "$ONE_DB"

DEMO_DB="${LBC_DEMO_CHECK_DB:-lbc_demo_check}"
say "building the demo database as ./lbc run does (log: $OUT/demo.log)"
start=$SECONDS
LBC_DB="$DEMO_DB" LBC_RESET=1 LBC_BUILD_ONLY=1 LBC_HTTP_PORT=8170 LBC_ODOO_TEMPLATE="$FULL_TEMPLATE" \
    "$LBC_ROOT/tools/run.sh" > "$OUT/demo.log" 2>&1
demo_rc=$?
[ $demo_rc -eq 0 ] || tail -n 20 "$OUT/demo.log" >&2
timed "demo database" $((SECONDS - start))
drop_templates

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

say "durations ($OUT/durations.txt):"
sed 's/^/    /' "$OUT/durations.txt" >&2
exec "$VENV/bin/python" "$HERE/summarize.py" "${alone_args[@]}" \
    --odoo-log "$OUT/odoo-tests.log" --odoo-rc "$odoo_rc" \
    --odoo-log "$OUT/one-command.log" --odoo-rc "$one_rc" \
    --odoo-log "$OUT/demo-story.log" --odoo-rc "$story_rc" \
    --unittest-log "$OUT/repo-tests.log" --unittest-rc "$repo_rc" --check "lint=$lint_rc" --check "demo=$demo_rc" \
    --check "cluster=$cluster_rc"
