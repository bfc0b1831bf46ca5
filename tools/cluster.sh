#!/usr/bin/env bash
# ./lbc cluster: the suite deployed as on several hosts, on this machine's loopback (127.0.0.1 only), bounded
# in time and stopped on exit (trap):
#   - a PostgreSQL 15 primary and a streaming hot-standby replica (a second cluster made by pg_basebackup -R
#     with a replication slot), each with its own data directory and port;
#   - two Odoo web servers (--workers, proxy_mode, max_cron_threads = 0) whose read-only routes go to the
#     replica (db_replica_host / db_replica_port);
#   - one cron-only Odoo host (--no-http, the only one with a cron thread);
#   - sessions in PostgreSQL (OCA session_db, a server-wide module) and one filestore (data_dir) for all;
#   - HAProxy in front: round robin, no stickiness, health check /web/health.
# The database: the suite installed (no demo) and bench/populate.py's marketplace (BENCH_SCALE, default 0.05);
# built once in the primary, which is kept between runs (the replica is made again each run).
#
#   ./lbc cluster check        start it all, run bench/cluster_check.py through the balancer, stop (the smoke run)
#   ./lbc cluster bench        throughput and p95 (wrk through HAProxy): one server, two servers, two servers +
#                              the replica, same data, one run; printed as ratios
#   ./lbc cluster              check, then bench
#   ./lbc cluster up [SECONDS] start it all and keep it up SECONDS (default 600) for a look by hand, then stop
#
# Environment: LBC_CLUSTER_DIR (default /var/tmp/lbc-cluster: the PostgreSQL data directories, the filestore,
# the logs), LBC_CLUSTER_RESET=1 (rebuild the database), LBC_CLUSTER_SRC (a database of the machine's own
# PostgreSQL with every lbc addon installed, copied instead of installing the suite again; its filestore in
# $LBC_STATE/run/data/filestore/<name>), BENCH_SCALE (0.05), LBC_CLUSTER_PG_PORT (5440; the replica the next
# port), LBC_CLUSTER_PORT (8460: web servers 8460, 8461, their websocket ports 8462, 8463, HAProxy 8465),
# DURATION (bench: seconds per configuration, default 30), CONNECTIONS (bench: 8), SESSIONS (bench: 10).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
: "${VENV:?run through ./lbc cluster}"

DIR="${LBC_CLUSTER_DIR:-/var/tmp/lbc-cluster}"
DB=lbc_cluster
SESSION_DB=lbc_cluster_sessions
PGBIN="/usr/lib/postgresql/$PG_VERSION/bin"
PG1=${LBC_CLUSTER_PG_PORT:-5440}
PG2=$((PG1 + 1))
BASE=${LBC_CLUSTER_PORT:-8460}
WEB1=$BASE WEB2=$((BASE + 1)) WS1=$((BASE + 2)) WS2=$((BASE + 3)) LB=$((BASE + 5))
SLOT=lbc_replica
SCALE=${BENCH_SCALE:-0.05}
RUN="$DIR/run"
PIDS=()
PG_STARTED=()

cmd="${1:-all}"
[ $# -gt 0 ] && shift
case "$cmd" in
    check | bench | all | up) ;;
    *) sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
STARTED=$(date +%s)

# --- Debian packages: HAProxy, wrk (the benchmark) --------------------------------------------------------------
missing=()
for p in haproxy wrk; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    say "installing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || { $sudo apt-get update -qq >/dev/null \
            && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" \
                >/dev/null; } \
        || die "apt-get install ${missing[*]} failed"
fi

# PostgreSQL refuses to run as root: its clusters belong to the postgres user when we are root
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}
pg_stop() { # DATADIR
    [ -f "$1/postmaster.pid" ] && as_pg timeout 60 "$PGBIN/pg_ctl" -D "$1" -m fast -w stop >/dev/null 2>&1 || true
}

cleanup() {
    local rc=$? pid
    trap - EXIT INT TERM
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        timeout 20 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
    done
    local d
    for d in "${PG_STARTED[@]}"; do pg_stop "$d"; done
    say "cluster stopped (logs in $RUN), $(($(date +%s) - STARTED)) s in all"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$DIR" "$RUN"
[ "$(id -u)" -eq 0 ] && chown postgres: "$DIR"
rm -f "$RUN"/*.log "$RUN"/*.pid

# --- PostgreSQL: the primary (kept between runs: it holds the database) ---------------------------------------
export PGHOST=127.0.0.1 PGPORT=$PG1 PGUSER=lbc
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
if [ -n "${LBC_CLUSTER_RESET:-}" ]; then
    pg_stop "$DIR/primary"
    rm -rf "$DIR/primary" "$DIR/data"
fi
for d in primary replica; do
    pg_stop "$DIR/$d" # left by a run that was killed -9
done
if [ ! -f "$DIR/primary/PG_VERSION" ]; then
    say "creating the primary PostgreSQL cluster in $DIR/primary (port $PG1)"
    rm -rf "$DIR/primary"
    as_pg "$PGBIN/initdb" -D "$DIR/primary" -U lbc --auth=trust -E UTF8 --locale=C.UTF-8 >"$RUN/initdb.log" 2>&1 \
        || { cat "$RUN/initdb.log" >&2; die "initdb failed"; }
    # streaming replication: wal_level replica and wal senders are the defaults of PostgreSQL 15; trust on
    # loopback only (initdb --auth=trust writes "host replication all 127.0.0.1/32 trust")
    cat >>"$DIR/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
max_connections = 200
shared_buffers = 256MB
max_wal_senders = 4
max_replication_slots = 4
hot_standby = on
EOF
fi
sed -i "/^port = /d" "$DIR/primary/postgresql.conf"
echo "port = $PG1" >>"$DIR/primary/postgresql.conf"
as_pg "$PGBIN/pg_ctl" -D "$DIR/primary" -l "$DIR/primary.log" -w -t 60 start >/dev/null \
    || { tail -20 "$DIR/primary.log" >&2; die "the primary did not start (port $PG1 taken?)"; }
PG_STARTED+=("$DIR/primary")

# --- the database: the suite installed, populated -------------------------------------------------------------
CONF_BUILD="$RUN/odoo-build.conf"
odoo_conf() { # FILE [key = value...]: the configuration every Odoo process here shares, then its own lines
    local file="$1"
    shift
    {
        echo "[options]"
        echo "addons_path = $ODOO_PATH/addons,$LBC_ROOT/addons"
        echo "data_dir = $DIR/data"
        echo "db_host = 127.0.0.1"
        echo "db_port = $PG1"
        echo "db_user = lbc"
        echo "db_name = $DB"
        echo "dbfilter = ^$DB\$"
        echo "list_db = False"
        echo "http_interface = 127.0.0.1"
        echo "log_level = warn"
        printf '%s\n' "$@"
    } >"$file"
}
odoo_conf "$CONF_BUILD" "http_port = $WEB1" "max_cron_threads = 0"
if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    rm -rf "$DIR/data/filestore/$DB"
    mkdir -p "$DIR/data/filestore"
    if [ -n "${LBC_CLUSTER_SRC:-}" ]; then
        say "copying $LBC_CLUSTER_SRC (machine's PostgreSQL) into the primary as $DB"
        createdb "$DB"
        env -u PGHOST -u PGPORT -u PGUSER pg_dump -Fc "$LBC_CLUSTER_SRC" | pg_restore --no-owner -d "$DB" \
            || die "copying $LBC_CLUSTER_SRC failed"
        if [ -d "$LBC_STATE/run/data/filestore/$LBC_CLUSTER_SRC" ]; then
            cp -a "$LBC_STATE/run/data/filestore/$LBC_CLUSTER_SRC" "$DIR/data/filestore/$DB"
        fi
    else
        say "installing the suite into $DB on the primary (Odoo's addons, then every lbc addon; once)"
        lbc_create_db "$CONF_BUILD" "$DB" "$RUN/build.log"
        odoo_bin -c "$CONF_BUILD" -d "$DB" -i "$(lbc_addons)" --stop-after-init >>"$RUN/build.log" 2>&1 \
            || { tail -n 40 "$RUN/build.log" >&2; die "installing the suite failed (log: $RUN/build.log)"; }
    fi
    say "populating $DB (bench/populate.py, BENCH_SCALE=$SCALE)"
    BENCH_SCALE=$SCALE odoo_bin shell -c "$CONF_BUILD" -d "$DB" --no-http <"$LBC_ROOT/bench/populate.py" \
        >"$RUN/populate.log" 2>&1 || { tail -n 30 "$RUN/populate.log" >&2; die "bench/populate.py failed"; }
    # wkhtmltopdf fetches the assets from a local worker, not through the balancer
    psql_q -d "$DB" -c "INSERT INTO ir_config_parameter (key, value) VALUES ('report.url', 'http://127.0.0.1:$WEB1')
        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
fi
psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$SESSION_DB'" | grep -q 1 || createdb "$SESSION_DB"

# --- the replica: pg_basebackup -R with a replication slot, a hot standby -------------------------------------
rm -rf "$DIR/replica"
psql_q -d postgres -tAc "SELECT pg_drop_replication_slot('$SLOT') FROM pg_replication_slots WHERE slot_name = '$SLOT'" \
    >/dev/null
say "making the hot-standby replica (pg_basebackup -R, slot $SLOT, port $PG2)"
as_pg timeout 600 "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PG1" -U lbc -D "$DIR/replica" -R -C -S "$SLOT" -X stream -c fast \
    >"$RUN/basebackup.log" 2>&1 || { cat "$RUN/basebackup.log" >&2; die "pg_basebackup failed"; }
sed -i "/^port = /d" "$DIR/replica/postgresql.conf"
echo "port = $PG2" >>"$DIR/replica/postgresql.conf"
as_pg "$PGBIN/pg_ctl" -D "$DIR/replica" -l "$DIR/replica.log" -w -t 60 start >/dev/null \
    || { tail -20 "$DIR/replica.log" >&2; die "the replica did not start"; }
PG_STARTED+=("$DIR/replica")
[ "$(psql -p "$PG2" -d postgres -tAc 'SELECT pg_is_in_recovery()')" = t ] || die "the replica is not in recovery"
for _ in $(seq 30); do
    state=$(psql -d postgres -tAc "SELECT state FROM pg_stat_replication LIMIT 1")
    [ "$state" = streaming ] && break
    sleep 1
done
[ "$state" = streaming ] || die "the replica is not streaming (pg_stat_replication: '$state')"
say "replica streaming from the primary (slot $SLOT)"

# --- Odoo: two web servers, one cron host ---------------------------------------------------------------------
# The venv's pkg_resources does not see the normalized dist-info of zope.interface / zope.event: gevent's
# plugin loading fails and the prefork server respawns its websocket process in a loop (bench/README.md,
# load.sh). Metadata-only shims on the servers' PYTHONPATH, as bench/load.sh does.
SHIM_DIR="$RUN/shim"
mkdir -p "$SHIM_DIR"
for dist in zope.interface zope.event; do
    version=$("$VENV/bin/python" -c "import importlib.metadata as m; print(m.version('$dist'))")
    mkdir -p "$SHIM_DIR/$dist-$version.dist-info"
    printf 'Metadata-Version: 2.1\nName: %s\nVersion: %s\n' "$dist" "$version" \
        >"$SHIM_DIR/$dist-$version.dist-info/METADATA"
done
export SESSION_DB_URI="postgresql://lbc@127.0.0.1:$PG1/$SESSION_DB"
COMMON=("server_wide_modules = base,rpc,web,session_db" "proxy_mode = True" "limit_time_real = 240"
    "limit_time_cpu = 120" "db_maxconn = 16")
REPLICA=("db_replica_host = 127.0.0.1" "db_replica_port = $PG2")

start_odoo() { # NAME CONF [odoo options...]: starts it in the background, its pid in $RUN/NAME.pid
    local name="$1" conf="$2"
    shift 2
    PYTHONPATH="$SHIM_DIR" "$VENV/bin/python" "$ODOO_PATH/odoo-bin" -c "$conf" "$@" >"$RUN/$name.log" 2>&1 &
    PIDS+=($!)
    echo $! >"$RUN/$name.pid"
}
wait_http() { # PORT NAME
    local i
    for i in $(seq 120); do
        curl -fs -o /dev/null --max-time 5 "http://127.0.0.1:$1/web/health" && return 0
        sleep 1
    done
    tail -20 "$RUN/$2.log" >&2
    die "$2 did not answer on port $1 within 120 s"
}
stop_odoo() { # NAME
    local pid
    pid=$(cat "$RUN/$1.pid")
    kill "$pid" 2>/dev/null || true
    timeout 30 tail --pid="$pid" -f /dev/null || kill -9 "$pid" 2>/dev/null || true
}
web_conf() { # N PORT WS_PORT with|without (replica)
    local conf="$RUN/odoo-web$1.conf"
    local extra=()
    [ "$4" = with ] && extra=("${REPLICA[@]}")
    odoo_conf "$conf" "${COMMON[@]}" "${extra[@]}" "http_port = $2" "gevent_port = $3" "workers = 2" \
        "max_cron_threads = 0"
    printf '%s' "$conf"
}
start_web() { # N with|without
    local port=$WEB1 ws=$WS1
    [ "$1" = 2 ] && port=$WEB2 ws=$WS2
    start_odoo "web$1" "$(web_conf "$1" "$port" "$ws" "$2")"
}
start_cron() {
    local conf="$RUN/odoo-cron.conf"
    # no HTTP at all: only the cron thread (the web hosts have none)
    odoo_conf "$conf" "${COMMON[@]}" "workers = 0" "max_cron_threads = 1"
    start_odoo cron "$conf" --no-http
}

# --- HAProxy: round robin, no stickiness -----------------------------------------------------------------------
start_haproxy() { # SERVER_COUNT
    local cfg="$RUN/haproxy.cfg"
    cat >"$cfg" <<EOF
global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 120s
    timeout server 240s
    timeout http-request 30s
    # a server that refuses the connection (stopped) or drops it: the request goes to the other one
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout
    # a health check waits behind the requests in a busy worker's queue: a short timeout marks both servers down
    # under load (HAProxy then answers 503 at once); 2 cores saturated queue a request for seconds
    timeout check 10s
    default-server inter 2s fall 3 rise 2
    option http-server-close
    option forwardfor
frontend lbc
    bind 127.0.0.1:$LB
    http-request set-header X-Forwarded-Proto http
    http-request set-header X-Forwarded-Host %[req.hdr(host)]
    use_backend lbc_websocket if { path_beg /websocket }
    default_backend lbc_web
backend lbc_web
    balance roundrobin
    option httpchk
    http-check send meth GET uri /web/health ver HTTP/1.1 hdr Host 127.0.0.1
    # which server answered (for the check): not a stickiness cookie, HAProxy ignores it on the way in
    http-response set-header X-Lbc-Server %s
    server web1 127.0.0.1:$WEB1 check
EOF
    [ "$1" = 2 ] && echo "    server web2 127.0.0.1:$WEB2 check" >>"$cfg"
    cat >>"$cfg" <<EOF
backend lbc_websocket
    balance roundrobin
    timeout tunnel 1h
    server ws1 127.0.0.1:$WS1 check
EOF
    [ "$1" = 2 ] && echo "    server ws2 127.0.0.1:$WS2 check" >>"$cfg"
    haproxy -c -q -f "$cfg" || die "invalid HAProxy configuration $cfg"
    haproxy -db -f "$cfg" >"$RUN/haproxy.log" 2>&1 &
    PIDS+=($!)
    echo $! >"$RUN/haproxy.pid"
    local i
    for i in $(seq 30); do
        curl -fs -o /dev/null --max-time 5 "http://127.0.0.1:$LB/web/health" && return 0
        sleep 1
    done
    die "HAProxy did not answer on port $LB"
}

start_all() { # SERVERS(1|2) with|without
    start_web 1 "$2"
    [ "$1" = 2 ] && start_web 2 "$2"
    wait_http "$WEB1" web1
    [ "$1" = 2 ] && wait_http "$WEB2" web2
    start_haproxy "$1"
}
stop_web() {
    stop_odoo haproxy
    stop_odoo web1
    [ -f "$RUN/web2.pid" ] && stop_odoo web2
    rm -f "$RUN/web2.pid"
}

CHECK_ENV=(LBC_CLUSTER_LB="http://127.0.0.1:$LB" LBC_CLUSTER_WEB1="http://127.0.0.1:$WEB1"
    LBC_CLUSTER_WEB2="http://127.0.0.1:$WEB2" LBC_CLUSTER_PRIMARY="host=127.0.0.1 port=$PG1 user=lbc dbname=$DB"
    LBC_CLUSTER_REPLICA="host=127.0.0.1 port=$PG2 user=lbc dbname=$DB" LBC_CLUSTER_RUN="$RUN")

say "starting the cron host, two web servers (2 workers each, replica for reads) and HAProxy on 127.0.0.1:$LB"
start_cron
start_all 2 with
say "cluster up in $(($(date +%s) - STARTED)) s: http://127.0.0.1:$LB (web servers $WEB1, $WEB2; primary $PG1," \
    "replica $PG2)"

case "$cmd" in
    up)
        seconds="${1:-600}"
        say "up for $seconds s (Ctrl-C stops it)"
        sleep "$seconds" &
        wait $!
        ;;
    check | all)
        t0=$(date +%s)
        env "${CHECK_ENV[@]}" "$VENV/bin/python" -u "$LBC_ROOT/bench/cluster_check.py"
        say "cluster check passed in $(($(date +%s) - t0)) s ($(($(date +%s) - STARTED)) s with the start)"
        ;;&
    bench | all)
        [ -f "$RUN/web2.pid" ] || { start_web 2 with; wait_http "$WEB2" web2; }
        env "${CHECK_ENV[@]}" DURATION="${DURATION:-30}" CONNECTIONS="${CONNECTIONS:-8}" SESSIONS="${SESSIONS:-10}" \
            "$VENV/bin/python" -u "$LBC_ROOT/bench/cluster_bench.py" --prepare >"$RUN/sessions.txt"
        results=()
        for phase in "1 without" "2 without" "2 with"; do
            read -r n replica <<<"$phase"
            stop_web
            start_all "$n" "$replica"
            label="$n server(s), replica: $replica"
            say "measuring: $label"
            results+=("$(env "${CHECK_ENV[@]}" DURATION="${DURATION:-30}" CONNECTIONS="${CONNECTIONS:-8}" \
                "$VENV/bin/python" -u "$LBC_ROOT/bench/cluster_bench.py" --measure "$label" <"$RUN/sessions.txt")")
            echo "${results[-1]}"
        done
        printf '%s\n' "${results[@]}" | env "${CHECK_ENV[@]}" "$VENV/bin/python" "$LBC_ROOT/bench/cluster_bench.py" \
            --summary
        ;;
esac
