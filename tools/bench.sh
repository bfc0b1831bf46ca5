#!/usr/bin/env bash
# ./lbc bench: the benchmarks of bench/ (run by hand, never by the tests), from a fresh clone.
#   ./lbc bench db [ADDONS]        a new scratch database $LBC_BENCH_DB (default lbc_bench) with ADDONS
#                                  (comma-separated lbc addons, default all) and their Odoo dependencies; no demo
#   ./lbc bench SCRIPT.py [ARGS]   an Odoo shell on $LBC_BENCH_DB with SCRIPT on its standard input (scripts that
#                                  run inside Odoo: populate.py, bench_*.py); BENCH_* variables pass through
#   ./lbc bench serve [OPTIONS]    the Odoo server on $LBC_BENCH_DB (port $LBC_BENCH_PORT, default 9269)
#   ./lbc bench load               the load test of bench/load.sh (wrk; its variables: see the script)
#   ./lbc bench python ARGS        the suite's Python (scripts that drive a server from outside: portal_lists.py)
#   ./lbc bench conf               prints the path of $LBC_BENCH_DB's configuration file
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
: "${VENV:?run through ./lbc bench}"
DB="${LBC_BENCH_DB:-lbc_bench}"
PORT="${LBC_BENCH_PORT:-9269}"
CONF="$(lbc_conf "$DB" "http_port = $PORT")"
LOG="$LBC_STATE/run/bench-$DB.log"

need_db() {
    psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 \
        || die "no database $DB: create it first with ./lbc bench db [ADDONS] (LBC_BENCH_DB names it)"
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
    db)
        addons="${1:-$(lbc_addons)}"
        # shellcheck disable=SC2086  # one argument per addon; stops on a name that is not an lbc addon
        odoo_deps="$(lbc_odoo_deps ${addons//,/ })" || exit 2
        say "creating the scratch database $DB with $addons, no demo (log: $LOG)"
        lbc_create_db "$CONF" "$DB" "$LOG" "" "$odoo_deps"
        odoo_bin -c "$CONF" -d "$DB" -i "$addons" --stop-after-init --log-level=warn >> "$LOG" 2>&1 \
            || { tail -n 40 "$LOG" >&2; die "installing $addons in $DB failed (log: $LOG)"; }
        say "database $DB ready (configuration: $CONF)"
        ;;
    *.py)
        [ -f "$cmd" ] || die "no script $cmd"
        need_db
        exec "$VENV/bin/python" -u "$ODOO_PATH/odoo-bin" shell -c "$CONF" -d "$DB" --log-level=warn "$@" < "$cmd"
        ;;
    serve) need_db; exec "$VENV/bin/python" "$ODOO_PATH/odoo-bin" -c "$CONF" -d "$DB" "$@" ;;
    load) exec "$LBC_ROOT/bench/load.sh" "$@" ;;
    python) exec "$VENV/bin/python" "$@" ;;
    conf) printf '%s\n' "$CONF" ;;
    *) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
