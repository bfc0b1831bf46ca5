"""Warm latency and query count of the portal lists, ours against Odoo's (run by hand, see README.md).

    python bench/portal_lists.py --url http://127.0.0.1:9269 --log /tmp/server.log --members /tmp/setup.out [-n 20]

Needs a running Odoo on loopback (one process, `--workers=0`, `--log-level=info`: its werkzeug lines carry
`<query count> <query time> <remaining time>` per request, read from --log) on a database prepared by
populate.py and portal_lists_setup.py, whose output (the `BENCH_MEMBER <key> <login>` lines) is --members.
Logs in the four members (client and provider with many and with few records), requests each list page
3 times to warm up, then N times; prints per page the median client-side latency, the median server time, the
query count and the page size, then the ratio of our lists against /my/purchase and /my/invoices (goal <= 1.0).
"""

import argparse
import os
import re
import statistics
import sys
import time

import requests

PASSWORD = "pop-bench-password"
OURS = {
    "client": ["/my/tenders", "/my/missions", "/my/reports?filterby=all"],
    "provider": ["/my/bids", "/my/tenders/search", "/my/compliance", "/my/missions", "/my/reports?filterby=all"],
}
ODOO = {"client": ["/my/purchase", "/my/invoices", "/my/orders"], "provider": []}
LOG_LINE = re.compile(r'"GET (\S+) HTTP/[\d.]+" (\d{3}) - (\d+) ([\d.]+) ([\d.]+)')


class ServerLog:
    """Follows the server log; returns the perf fields of the werkzeug line of a GET."""

    def __init__(self, path):
        self.file = open(path, encoding="utf-8", errors="replace")
        self.file.seek(0, 2)

    def perf(self, path):
        for _attempt in range(50):
            for line in self.file.readlines():
                match = LOG_LINE.search(line)
                if match and match.group(1) == path:
                    return int(match.group(3)), float(match.group(4)) + float(match.group(5))
            time.sleep(0.02)
        return None, None


def login(url, user):
    session = requests.Session()
    page = session.get(f"{url}/web/login", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{url}/web/login",
        data={"login": user, "password": PASSWORD, "csrf_token": token, "redirect": "/my"},
        timeout=30,
    )
    if "/web/login" in response.url or response.status_code != 200:
        sys.exit(f"login of {user} failed ({response.status_code} {response.url})")
    return session


def measure(url, log, session, path, n):
    for _i in range(3):
        session.get(f"{url}{path}", timeout=60)
    log.file.seek(0, 2)
    latencies, server, queries, size, rows = [], [], set(), 0, 0
    for _i in range(n):
        started = time.perf_counter()
        response = session.get(f"{url}{path}", timeout=60, allow_redirects=False)
        latencies.append(time.perf_counter() - started)
        if response.status_code != 200:
            sys.exit(f"{path}: HTTP {response.status_code}")
        size = len(response.content)
        rows = max(0, response.text.count("<tr") - 1)  # the header row
        count, seconds = log.perf(path)
        if count is not None:
            queries.add(count)
            server.append(seconds)
    return {
        "median_ms": statistics.median(latencies) * 1000,
        "server_ms": statistics.median(server) * 1000 if server else float("nan"),
        "queries": "/".join(str(q) for q in sorted(queries)) or "?",
        "bytes": size,
        "rows": rows,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:9269")
    parser.add_argument("--log", required=True)
    parser.add_argument("--members", required=True, help="output of portal_lists_setup.py")
    parser.add_argument("-n", type=int, default=20)
    args = parser.parse_args()
    members = {}
    with open(args.members, encoding="utf-8") as members_file:
        for line in members_file:
            if line.startswith("BENCH_MEMBER "):
                _tag, key, user = line.split()
                members[key] = user
    log = ServerLog(args.log)
    results = {}
    print("load average (1, 5, 15 min) at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"{'member':<14} {'page':<26} {'median ms':>9} {'server ms':>9} {'queries':>7} {'rows':>5} {'bytes':>8}")
    for key in ("client_few", "client_many", "provider_few", "provider_many"):
        kind, size = key.split("_")
        session = login(args.url, members[key])
        for path in OURS[kind] + ODOO[kind]:
            result = results[key, path] = measure(args.url, log, session, path, args.n)
            print(
                f"{key:<14} {path:<26} {result['median_ms']:9.1f} {result['server_ms']:9.1f} "
                f"{result['queries']:>7} {result['rows']:5d} {result['bytes']:8d}",
                flush=True,
            )
    print("\nratio of the median latency of our lists to Odoo's (same company size; goal <= 1.0)")
    for size in ("few", "many"):
        for reference in ("/my/purchase", "/my/invoices"):
            base = results[f"client_{size}", reference]["median_ms"]
            for kind in ("client", "provider"):
                for path in OURS[kind]:
                    ratio = results[f"{kind}_{size}", path]["median_ms"] / base
                    print(f"{size:<5} {kind:<9} {path:<26} / {reference:<13} {ratio:5.2f}")
    print("load average (1, 5, 15 min) at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
