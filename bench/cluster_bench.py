"""Throughput and p95 through the load balancer, for `./lbc cluster bench` (tools/cluster.sh).

    cluster_bench.py --prepare            signs SESSIONS client members in through the balancer (sessions live in
                                          PostgreSQL: they stay valid when the servers restart), prints their ids
    cluster_bench.py --measure LABEL      wrk through the balancer for DURATION s with CONNECTIONS connections,
                                          the session ids on stdin; prints one result line (JSON)
    cluster_bench.py --summary            the result lines on stdin: a table and the ratios to the first line

The workload rotates the members' sessions over three portal lists (/my/tenders, /my/missions, /my/reports) and
one RPC read (lbc.tender search_read over /web/dataset/call_kw, a read-only route in Odoo 19): what a member's
browser and an integration do most.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from urllib.parse import urlsplit

import psycopg2
import requests

LB = os.environ["LBC_CLUSTER_LB"]
PRIMARY = os.environ["LBC_CLUSTER_PRIMARY"]
PASSWORD = "pop-bench-password"  # bench/populate.py's
PATHS = ["/my/tenders", "/my/missions", "/my/reports"]
RPC = json.dumps(
    {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 1,
        "params": {
            "model": "lbc.tender",
            "method": "search_read",
            "args": [[["state", "in", ["published", "awarded"]]], ["name", "deadline", "state"]],
            "kwargs": {"limit": 80},
        },
    }
)

LUA = r"""
local sids = {%(sids)s}
local paths = {%(paths)s}
local rpc = [==[%(rpc)s]==]
local threads = {}
counter = 0
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
    local sid = sids[math.floor(counter / (#paths + 1)) %% #sids + 1]
    local slot = counter %% (#paths + 1)
    if slot == #paths then
        return wrk.format("POST", "/web/dataset/call_kw/lbc.tender/search_read",
            {["Cookie"] = "session_id=" .. sid, ["Content-Type"] = "application/json"}, rpc)
    end
    return wrk.format("GET", paths[slot + 1], {["Cookie"] = "session_id=" .. sid})
end

function response(status, headers, body)
    if status ~= 200 or string.find(body, 'name="login"', 1, true) then
        non200 = non200 + 1
    end
end

function done(summary, latency, requests)
    local bad = 0
    for _, thread in ipairs(threads) do
        bad = bad + thread:get("non200")
    end
    local e = summary.errors
    -- "read" errors are not failures: Odoo's prefork worker answers in HTTP/1.0 and closes the connection, the
    -- balancer closes the client's after the answer; wrk counts one and reconnects (bench/README.md, load.sh)
    io.write(string.format('RESULT {"requests": %%d, "rps": %%.2f, "p50_ms": %%.1f, "p95_ms": %%.1f, "p99_ms": %%.1f, '
        .. '"errors": %%d, "closed": %%d, "non200": %%d}\n',
        summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
        latency:percentile(95) / 1000, latency:percentile(99) / 1000,
        e.connect + e.write + e.timeout + e.status, e.read, bad))
end
"""


def prepare():
    count = int(os.environ.get("SESSIONS", "10"))
    with psycopg2.connect(PRIMARY) as cnx, cnx.cursor() as cr:
        cr.execute(
            """SELECT u.login FROM res_users u JOIN res_partner p ON p.id = u.partner_id
                 JOIN res_partner c ON c.id = p.parent_id
                WHERE c.name LIKE 'POP client %%' AND u.active ORDER BY u.id LIMIT %s""",
            (count,),
        )
        logins = [row[0] for row in cr.fetchall()]
    if not logins:
        sys.exit("no POP client member: bench/populate.py did not run")
    for login in logins:
        http = requests.Session()
        page = http.get(LB + "/web/login", timeout=60)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        http.post(
            LB + "/web/login", data={"login": login, "password": PASSWORD, "csrf_token": token}, timeout=60
        ).raise_for_status()
        final = []
        for path in PATHS:
            # the website redirects to the member's language prefix (/en/my/tenders): wrk asks the final URL
            resp = http.get(LB + path, timeout=60)
            url = urlsplit(resp.url)
            if resp.status_code != 200 or url.path.endswith("/web/login"):
                sys.exit(f"{login}: {path} answered {resp.status_code} ({resp.url})")
            final.append(url.path + (f"?{url.query}" if url.query else ""))
        if login == logins[0]:
            print("PATHS " + json.dumps(final))
        print(http.cookies["session_id"])


def measure(label):
    lines = [line.strip() for line in sys.stdin if line.strip()]
    paths = json.loads(lines[0][len("PATHS ") :])
    sids = lines[1:]
    duration = int(os.environ.get("DURATION", "30"))
    connections = int(os.environ.get("CONNECTIONS", "8"))
    # warm-up: every worker loads the registry and the pages' templates before the measure
    for sid in sids[:4]:
        for path in paths:
            requests.get(LB + path, cookies={"session_id": sid}, timeout=120)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(
            LUA
            % {
                "sids": ", ".join(f'"{s}"' for s in sids),
                "paths": ", ".join(f'"{p}"' for p in paths),
                "rpc": RPC,
            }
        )
    load_before = open("/proc/loadavg").read().split()[:3]
    try:
        out = subprocess.run(
            ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--timeout", "30s", "-s", lua.name, LB],
            capture_output=True,
            text=True,
            timeout=duration + 120,
            check=True,
        ).stdout
    finally:
        os.unlink(lua.name)
    line = next((row for row in out.splitlines() if row.startswith("RESULT ")), None)
    if line is None:
        sys.exit(f"wrk printed no result:\n{out}")
    result = json.loads(line[len("RESULT ") :])
    # what a member got: the answers that were the page (HAProxy's 503 when no server is up come back in
    # microseconds and would count as throughput)
    result.update(
        ok_rps=(result["requests"] - result["non200"]) / duration,
        label=label,
        duration=duration,
        connections=connections,
        load_before=" ".join(load_before),
        load_after=" ".join(open("/proc/loadavg").read().split()[:3]),
    )
    print(json.dumps(result))


def summary():
    rows = [json.loads(line) for line in sys.stdin if line.strip().startswith("{")]
    if not rows:
        sys.exit("no result")
    base = rows[0]
    head = f"{'configuration':32} {'pages/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'failed':>6}"
    print(head + "  ratio pages/s, p95")
    for r in rows:
        print(
            f"{r['label']:32} {r['ok_rps']:7.1f} {r['p50_ms']:8.0f} {r['p95_ms']:8.0f} {r['p99_ms']:8.0f} "
            f"{r['errors'] + r['non200']:6d}  {r['ok_rps'] / base['ok_rps']:.2f}, {r['p95_ms'] / base['p95_ms']:.2f}"
            f"   (load {r['load_before']} -> {r['load_after']})"
        )
    cores = os.cpu_count()
    print(
        f"{cores} cores for everything: PostgreSQL primary and replica, the web servers' workers, the cron host, "
        "HAProxy and wrk. A second server or the replica adds processes, not cores: the ratios above measure how the "
        "deployment shares the same 2 cores, not how it scales; more throughput needs the servers and the replica on "
        "cores of their own (other hosts)."
        if cores <= 2
        else f"{cores} cores"
    )


if __name__ == "__main__":
    {"--prepare": lambda: prepare(), "--measure": lambda: measure(sys.argv[2]), "--summary": lambda: summary()}[
        sys.argv[1]
    ]()
