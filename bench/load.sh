#!/bin/bash
# Load test of the portal lists with wrk, one Odoo server against two (run by hand, see README.md).
#
#   DURATION=60 SRC_DB=lbc_bench_l ./lbc bench load
#
# On a copy (DB, default lbc_bench_l_load) of a database populated by bench/populate.py (SRC_DB), with the
# production settings of bench/odoo.prod.conf (WORKERS workers per server, default 2; no cron thread, so that
# no job runs during the measure), loopback only:
#   1. one server on PORT1: SESSIONS client members log in (GET /web/login for the CSRF token, POST, the
#      session cookie kept); wrk drives /my/tenders, /my/missions, /my/reports in turn with the members'
#      sessions, CONNECTIONS connections for DURATION seconds; prints p50, p95, p99, errors (socket errors and
#      any answer other than 200) and requests/s;
#   2. two servers (PORT1, PORT2) on the same PostgreSQL and the same session store, the connections split
#      between them (two wrk processes at once); prints the summed requests/s and the ratio two / one.
# Everything is bounded in time (wrk -d, timeouts) and the servers are killed on exit (trap).
set -euo pipefail

DURATION=${DURATION:-300}
CONNECTIONS=${CONNECTIONS:-100}
WORKERS=${WORKERS:-2}
SESSIONS=${SESSIONS:-20}
SRC_DB=${SRC_DB:-lbc_bench_l}
DB=${DB:-lbc_bench_l_load}
PORT1=${PORT1:-9271}
PORT2=${PORT2:-9272}
GEVENT1=${GEVENT1:-9273}
GEVENT2=${GEVENT2:-9274}
PASSWORD=${PASSWORD:-pop-bench-password}
WRK_THREADS=${WRK_THREADS:-2}

cd "$(dirname "$0")/.."
# shellcheck source=/dev/null
source tools/common.sh
: "${VENV:?run through ./lbc bench load}"
DATA_DIR="$LBC_STATE/run/data"
WORK=$(mktemp -d /tmp/lbc_bench_load.XXXXXX)
PIDS=()

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    sleep 2
    for pid in "${PIDS[@]}"; do
        kill -9 "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

if ! command -v wrk >/dev/null; then
    say "installing wrk (Debian package)"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null \
        || { $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null; } \
        || die "cannot install wrk"
fi

say "copying $SRC_DB to $DB"
dropdb --if-exists --force "$DB"
createdb -T "$SRC_DB" "$DB"
rm -rf "$DATA_DIR/filestore/$DB"
[ -d "$DATA_DIR/filestore/$SRC_DB" ] && cp -r "$DATA_DIR/filestore/$SRC_DB" "$DATA_DIR/filestore/$DB"

# conf PORT GEVENT_PORT: the production template with this machine's values (local PostgreSQL socket). Odoo
# reads its file with RawConfigParser, without inline comments: the "value ; comment" lines are cut here.
conf() {
    local file="$WORK/odoo-$1.conf"
    sed -e '/^[^;]/s/[[:space:]]\+;.*$//' -e "/^db_host *=/d" \
        -e "s#@ODOO_PATH@#$ODOO_PATH#" -e "s#@LBC_ROOT@#$LBC_ROOT#" \
        -e "s#^data_dir *=.*#data_dir = $DATA_DIR#" -e "s#^db_name *=.*#db_name = $DB#" \
        -e "s#^dbfilter *=.*#dbfilter = ^$DB\$#" -e "s#^http_port *=.*#http_port = $1#" \
        -e "s#^gevent_port *=.*#gevent_port = $2#" -e "s#^workers *=.*#workers = $WORKERS#" \
        -e "s#^max_cron_threads *=.*#max_cron_threads = 0#" \
        bench/odoo.prod.conf > "$file"
    printf '%s' "$file"
}

# The venv's pkg_resources (setuptools < 70) does not see the normalized dist-info of zope.interface and zope.event
# (zope_interface-*.dist-info): gevent's plugin loading raises DistributionNotFound, and Odoo's prefork server
# respawns its gevent (websocket) process in a loop, about once a second, burning the CPU being measured.
# Metadata-only shims on PYTHONPATH, for the servers started here (the venv is not touched); SHIM=0 to measure
# without.
SHIM_DIR="$WORK/shim"
mkdir -p "$SHIM_DIR"
if [ "${SHIM:-1}" = 1 ]; then
    for dist in zope.interface zope.event; do
        version=$("$VENV/bin/python" -c "import importlib.metadata as m; print(m.version('$dist'))")
        mkdir -p "$SHIM_DIR/$dist-$version.dist-info"
        printf 'Metadata-Version: 2.1\nName: %s\nVersion: %s\n' "$dist" "$version" \
            > "$SHIM_DIR/$dist-$version.dist-info/METADATA"
    done
fi

start_server() { # PORT GEVENT_PORT
    PYTHONPATH="$SHIM_DIR" "$VENV/bin/python" "$ODOO_PATH/odoo-bin" -c "$(conf "$1" "$2")" > "$WORK/server-$1.log" 2>&1 &
    PIDS+=($!)
    local i
    for i in $(seq 1 90); do
        curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$1/web/login" && return 0
        sleep 1
    done
    tail -20 "$WORK/server-$1.log" >&2
    die "the server on port $1 did not answer within 90 s"
}

stop_servers() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        timeout 30 tail --pid="$pid" -f /dev/null || kill -9 "$pid" 2>/dev/null || true
    done
    PIDS=()
}

login() { # PORT LOGIN -> prints the session id
    local jar="$WORK/jar-$2" token
    token=$(curl -s --max-time 30 -c "$jar" -b "$jar" "http://127.0.0.1:$1/web/login" \
        | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
    curl -s --max-time 30 -o /dev/null -c "$jar" -b "$jar" --data-urlencode "login=$2" \
        --data-urlencode "password=$PASSWORD" --data-urlencode "csrf_token=$token" \
        "http://127.0.0.1:$1/web/login"
    awk '$6 == "session_id" {print $7}' "$jar"
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

say "starting one server on port $PORT1 ($WORKERS workers)"
start_server "$PORT1" "$GEVENT1"

# the members' sessions, each checked on the three pages (200, no redirect to the login)
mapfile -t LOGINS < <(psql -d "$DB" -Atc "SELECT u.login FROM res_users u JOIN res_partner p ON p.id = u.partner_id
    JOIN res_partner c ON c.id = p.parent_id WHERE c.name LIKE 'POP client %' AND u.active ORDER BY u.id
    LIMIT $SESSIONS")
[ ${#LOGINS[@]} -gt 0 ] || die "no POP client member in $DB: run bench/populate.py on $SRC_DB first"
SIDS=()
for user in "${LOGINS[@]}"; do
    sid=$(login "$PORT1" "$user")
    for path in /my/tenders /my/missions /my/reports; do
        code=$(curl -s -o /dev/null --max-time 60 -w '%{http_code}' -b "session_id=$sid" "http://127.0.0.1:$PORT1$path")
        [ "$code" = 200 ] || die "$user: $path answered $code"
    done
    SIDS+=("$sid")
done
say "${#SIDS[@]} members logged in"

LUA="$WORK/rotate.lua"
{
    printf 'local sids = {'
    printf '"%s",' "${SIDS[@]}"
    printf '}\n'
    cat <<'EOF'
local paths = {"/my/tenders", "/my/missions", "/my/reports"}
local threads = {}
counter = 0 -- globals: thread:get() reads them in done()
non200 = 0

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    counter = id * 7919
end

function request()
    counter = counter + 1
    local path = paths[counter % #paths + 1]
    local sid = sids[math.floor(counter / #paths) % #sids + 1]
    return wrk.format("GET", path, {["Cookie"] = "session_id=" .. sid})
end

function response(status, headers, body)
    if status ~= 200 then
        non200 = non200 + 1
    end
end

function done(summary, latency, requests)
    local bad = 0
    for _, thread in ipairs(threads) do
        bad = bad + thread:get("non200")
    end
    local e = summary.errors
    io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f errors=%d"
        .. " (connect %d, read %d, write %d, timeout %d) non200=%d\n",
        summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
        latency:percentile(95) / 1000, latency:percentile(99) / 1000,
        e.connect + e.read + e.write + e.timeout, e.connect, e.read, e.write, e.timeout, bad))
end
EOF
} > "$LUA"

run_wrk() { # PORT CONNECTIONS
    timeout $((DURATION + 60)) wrk -t "$WRK_THREADS" -c "$2" -d "${DURATION}s" --timeout 30s --latency -s "$LUA" \
        "http://127.0.0.1:$1" | grep '^RESULT'
}

echo "== one server ($WORKERS workers), $CONNECTIONS connections, ${DURATION}s; load average before: $(loadavg)"
ONE=$(run_wrk "$PORT1" "$CONNECTIONS")
echo "one server:  $ONE"
echo "load average after: $(loadavg)"

say "starting a second server on port $PORT2 ($WORKERS workers)"
start_server "$PORT2" "$GEVENT2"
code=$(curl -s -o /dev/null --max-time 60 -w '%{http_code}' -b "session_id=${SIDS[0]}" "http://127.0.0.1:$PORT2/my/tenders")
[ "$code" = 200 ] || die "the second server does not accept the sessions of the first ($code)"

echo "== two servers ($WORKERS workers each), $CONNECTIONS connections split, ${DURATION}s; load average before: $(loadavg)"
run_wrk "$PORT1" $((CONNECTIONS / 2)) > "$WORK/wrk1.out" &
W1=$!
run_wrk "$PORT2" $((CONNECTIONS - CONNECTIONS / 2)) > "$WORK/wrk2.out" &
W2=$!
wait $W1 $W2
echo "server 1:    $(cat "$WORK/wrk1.out")"
echo "server 2:    $(cat "$WORK/wrk2.out")"
echo "load average after: $(loadavg)"
echo "gevent process restarts (server 1, server 2): $(grep -c DistributionNotFound "$WORK/server-$PORT1.log" || true)," \
    "$(grep -c DistributionNotFound "$WORK/server-$PORT2.log" || true)"
stop_servers

rps() { sed -n 's/.* rps=\([0-9.]*\).*/\1/p' <<< "$1"; }
ONE_RPS=$(rps "$ONE")
TWO_RPS=$(awk -v a="$(rps "$(cat "$WORK/wrk1.out")")" -v b="$(rps "$(cat "$WORK/wrk2.out")")" 'BEGIN {print a + b}')
awk -v one="$ONE_RPS" -v two="$TWO_RPS" -v cores="$(nproc)" 'BEGIN {
    printf "throughput: one server %.1f req/s, two servers %.1f req/s, ratio %.2f (goal >= 1.7 with the cores for it; %d cores here)\n",
        one, two, two / one, cores }'
