"""The cluster check of `./lbc cluster check` (tools/cluster.sh starts the cluster, then runs this script).

A provider member of bench/populate.py's data is driven through the load balancer (HAProxy, round robin, no
stickiness) with one session, as a browser or an RPC client would:

1. signs in (GET /web/login for the CSRF token, POST);
2. uploads a vigilance document (the public method `action_lbc_upload_compliance_document` over
   /web/dataset/call_kw), then downloads it from the *other* web server's own port: one filestore;
3. reads the portal lists, then tenders, bids and documents over RPC (search_read); the standby's own
   statistics are read before and 11 s after each step (pg_stat_database: transactions, rows fetched;
   pg_stat_user_tables: scans of the lbc_* tables), against an idle control step: the RPC reads went to the
   replica (asserted), the portal lists to wherever their routes send them (the replica once declared
   readonly=True; asserted with LBC_CLUSTER_EXPECT_PORTAL_REPLICA=1);
4. submits a bid (framework contract and labour-law acknowledgement first when missing, as a new provider
   must), then reads it back with requests sent straight to the other server's port;
5. stops one web server (SIGTERM to its process) while requests keep flowing through the balancer: every
   answer is a 200 with the member still signed in (no redirect to /web/login, no new login).

Exits non-zero at the first failed expectation. Environment (set by tools/cluster.sh): LBC_CLUSTER_LB,
LBC_CLUSTER_WEB1, LBC_CLUSTER_WEB2 (URLs), LBC_CLUSTER_PRIMARY, LBC_CLUSTER_REPLICA (libpq DSNs),
LBC_CLUSTER_RUN (the directory with web1.pid).
"""

import base64
import datetime
import os
import re
import signal
import sys
import threading
import time

import psycopg2
import requests

LB = os.environ["LBC_CLUSTER_LB"]
WEB = {"web1": os.environ["LBC_CLUSTER_WEB1"], "web2": os.environ["LBC_CLUSTER_WEB2"]}
PRIMARY = os.environ["LBC_CLUSTER_PRIMARY"]
REPLICA = os.environ["LBC_CLUSTER_REPLICA"]
RUN = os.environ["LBC_CLUSTER_RUN"]
PASSWORD = "pop-bench-password"  # bench/populate.py's
TIMEOUT = 60
PORTAL_LISTS = ["/my/tenders/search", "/my/bids", "/my/compliance", "/my/missions", "/my/reports?filterby=all"]
STARTED = time.monotonic()
FLUSH = 11


def say(msg):
    print(f"[{time.monotonic() - STARTED:6.1f}s] {msg}", flush=True)


def fail(msg):
    say(f"FAILED: {msg}")
    sys.exit(1)


def expect(cond, msg):
    if not cond:
        fail(msg)


class Member:
    """One member's session, sent to the balancer or to one server's own port."""

    def __init__(self, login):
        self.login = login
        self.http = requests.Session()
        self.last_server = None

    def get(self, path, base=LB, **kw):
        """GET, following the website's redirects (the language prefix) but never to the login form."""
        resp = self.http.get(base + path, timeout=TIMEOUT, **kw)
        self.last_server = resp.headers.get("X-Lbc-Server")
        return resp

    def sign_in(self):
        page = self.get("/web/login")
        expect(page.status_code == 200, f"GET /web/login answered {page.status_code}")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        resp = self.http.post(
            page.url,
            data={"login": self.login, "password": PASSWORD, "csrf_token": token},
            timeout=TIMEOUT,
            allow_redirects=False,
        )
        expect(resp.status_code in (302, 303), f"login of {self.login}: {resp.status_code}, no redirect")
        expect("/web/login" not in resp.headers.get("Location", ""), f"login of {self.login} refused")
        return resp.headers.get("X-Lbc-Server")

    def call(self, model, method, *args, base=LB, **kwargs):
        resp = self.http.post(
            f"{base}/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            },
            timeout=TIMEOUT,
        )
        self.last_server = resp.headers.get("X-Lbc-Server")
        expect(resp.status_code == 200, f"{model}.{method}: HTTP {resp.status_code}")
        body = resp.json()
        if "error" in body:
            data = body["error"].get("data", {})
            fail(f"{model}.{method}: {data.get('name')}: {data.get('message')}")
        return body["result"]

    def page(self, path, base=LB):
        resp = self.get(path, base=base)
        expect(resp.status_code == 200, f"GET {path} ({base}): {resp.status_code}")
        expect(
            "/web/login" not in resp.url and 'name="login"' not in resp.text,
            f"GET {path} ({base}): the login form instead of the page",
        )
        return resp


class Stats:
    """The database's counters in one server's own statistics, read on one connection kept open (each reading
    is one transaction of its own there): transactions and rows fetched (pg_stat_database), and the scans of
    the suite's tables (pg_stat_user_tables, lbc_*), which only the pages' and RPC calls' own reads touch (the
    balancer's health checks and Odoo's routing open transactions too, on no lbc table)."""

    def __init__(self, dsn):
        self.cnx = psycopg2.connect(dsn)
        self.cnx.autocommit = True

    def read(self):
        with self.cnx.cursor() as cr:
            cr.execute(
                """SELECT d.xact_commit + d.xact_rollback, d.tup_fetched,
                          (SELECT sum(seq_scan + coalesce(idx_scan, 0)) FROM pg_stat_user_tables
                            WHERE relname LIKE 'lbc\\_%'),
                          (SELECT sum(seq_tup_read + coalesce(idx_tup_fetch, 0)) FROM pg_stat_user_tables
                            WHERE relname LIKE 'lbc\\_%')
                     FROM pg_stat_database d WHERE d.datname = current_database()"""
            )
            return [int(v or 0) for v in cr.fetchone()]


def measured(label, action, replica, primary):
    """Runs `action` and returns the replica's and the primary's deltas (transactions, rows fetched, scans of
    lbc tables, rows read from them). PostgreSQL 15 flushes a busy backend's counters once it has been idle for
    up to 10 s: the counters are read again 11 s after the last request."""
    r0, p0 = replica.read(), primary.read()
    count = action() if action else 0
    time.sleep(FLUSH)
    r1, p1 = replica.read(), primary.read()
    delta_r = [b - a for a, b in zip(r0, r1, strict=True)]
    delta_p = [b - a for a, b in zip(p0, p1, strict=True)]
    delta_r[0] -= 1  # the first reading's own transaction
    delta_p[0] -= 1
    say(
        f"{label}: {count} requests\n"
        f"{'':10} replica: +{delta_r[0]} transactions, +{delta_r[1]} rows fetched, lbc tables: +{delta_r[2]} scans, "
        f"+{delta_r[3]} rows read\n"
        f"{'':10} primary: +{delta_p[0]} transactions, +{delta_p[1]} rows fetched, lbc tables: +{delta_p[2]} scans, "
        f"+{delta_p[3]} rows read"
    )
    return delta_r, delta_p


def pick_member():
    """A provider company of bench/populate.py and its admin (its first member)."""
    with psycopg2.connect(PRIMARY) as cnx, cnx.cursor() as cr:
        cr.execute(
            """SELECT c.id, u.login, p.id FROM res_partner c
                 JOIN res_partner p ON p.parent_id = c.id JOIN res_users u ON u.partner_id = p.id
                WHERE c.name LIKE 'POP provider %%' AND u.active
                ORDER BY c.id, u.id LIMIT 1"""
        )
        row = cr.fetchone()
    expect(row, "no POP provider in the database: bench/populate.py did not run")
    return row


def main():  # one scenario, step by step
    company_id, login, partner_id = pick_member()
    member = Member(login)

    # 1. sign in through the balancer
    server = member.sign_in()
    member.page("/my")
    say(f"1. {login} signed in through the balancer (answered by {server}), /my answered by {member.last_server}")

    # 2. a vigilance document uploaded through the balancer, downloaded from the other server
    content = b"%PDF-1.4\n%% cluster check " + str(time.time()).encode() + b"\n1 0 obj << /Type /Catalog >> endobj\n"
    content += b"trailer << /Root 1 0 R >>\n%%EOF\n"
    issue = (datetime.date.today() - datetime.timedelta(days=5)).isoformat()
    doc_id = member.call(
        "res.partner",
        "action_lbc_upload_compliance_document",
        [company_id],
        "kbis",
        "kbis-cluster-check.pdf",
        base64.b64encode(content).decode(),
        issue,
    )
    upload_server = member.last_server
    other = "web2" if upload_server == "web1" else "web1"
    t0 = time.monotonic()
    while True:  # /web/content is a read-only route: the replica answers, a few milliseconds behind the primary
        resp = member.get(f"/web/content/lbc.compliance.document/{doc_id}/file?download=true", base=WEB[other])
        if resp.status_code == 200 or time.monotonic() - t0 > 10:
            break
        time.sleep(0.05)
    lag = time.monotonic() - t0
    expect(resp.status_code == 200, f"the document {doc_id} from {other}: HTTP {resp.status_code}")
    expect(resp.content == content, f"the document {doc_id} from {other}: not the uploaded bytes")
    member.page(f"/my/compliance/{doc_id}", base=WEB[other])
    say(
        f"2. document {doc_id} uploaded through {upload_server}, its file (same bytes, from the shared filestore) "
        f"and its page served by {other}; visible there after {lag * 1000:.0f} ms (replication)"
    )

    # 3. the lists: portal pages and RPC reads, on the standby's own statistics
    def portal_lists():
        for path in PORTAL_LISTS * 2:
            member.page(path)
        return len(PORTAL_LISTS) * 2

    def rpc_reads():
        for _ in range(5):
            member.call("lbc.tender", "search_read", [("state", "=", "published")], ["name", "deadline"], limit=80)
            member.call("lbc.tender.bid", "search_read", [], ["tender_id", "state", "daily_rate"], limit=80)
            member.call("lbc.compliance.document", "search_read", [], ["type_id", "state", "expiry_date"], limit=80)
        return 15

    replica, primary = Stats(REPLICA), Stats(PRIMARY)
    time.sleep(FLUSH)  # the counters of the steps above flushed before the idle control
    idle_r, _idle_p = measured(f"3. idle control ({FLUSH} s, no request)", None, replica, primary)
    expect(idle_r[2] == 0, f"the replica's lbc tables were read with no request: +{idle_r[2]} scans")
    lists_r, lists_p = measured("3a. portal lists " + ", ".join(PORTAL_LISTS) + " (x2)", portal_lists, replica, primary)
    portal_on_replica = lists_r[2] > 0 and lists_r[2] >= lists_p[2]
    say(
        "3a. portal lists: "
        + (
            f"read from the replica ({lists_r[2]} scans of lbc tables there, {lists_p[2]} on the primary)"
            if portal_on_replica
            else f"read from the primary ({lists_p[2]} scans of lbc tables there, {lists_r[2]} on the replica): "
            "their routes are not declared readonly=True"
        )
    )
    if os.environ.get("LBC_CLUSTER_EXPECT_PORTAL_REPLICA") == "1":
        expect(portal_on_replica, "the portal lists did not read from the replica")
    rpc_r, rpc_p = measured("3b. RPC search_read of tenders, bids, documents (x5)", rpc_reads, replica, primary)
    expect(
        rpc_r[2] >= 15 and rpc_r[1] > 0,
        f"the RPC reads did not go to the replica ({rpc_r[2]} scans of lbc tables there, {rpc_p[2]} on the primary)",
    )
    say(f"3b. RPC reads from the replica: {rpc_r[2]} scans of lbc tables there, {rpc_p[2]} on the primary")

    # 4. a bid submitted through the balancer, read back from the other server
    company = member.call("res.partner", "read", [company_id], ["lbc_labour_law_ack_date"])[0]
    framework = member.call(
        "lbc.agreement", "search_read", [("kind", "=", "provider_framework"), ("is_current", "=", True)], ["id"]
    )
    if framework:
        member.call("lbc.agreement", "action_accept", [framework[0]["id"]])
    if not company["lbc_labour_law_ack_date"]:
        member.call("res.partner", "action_lbc_acknowledge_labour_law", [company_id])
    live = member.call(
        "lbc.tender.bid",
        "search_read",
        [("provider_id", "=", company_id), ("state", "not in", ("rejected", "withdrawn"))],
        ["tender_id"],
    )
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
    tenders = member.call(
        "lbc.tender",
        "search_read",
        [
            ("state", "=", "published"),
            ("deadline", ">", now),
            ("id", "not in", [b["tender_id"][0] for b in live]),
        ],
        ["name", "max_daily_rate", "date_start"],
        limit=1,
    )
    expect(tenders, "no published tender open to this provider (its deadline past?): populate the database again")
    tender = tenders[0]
    bid_id = member.call(
        "lbc.tender.bid",
        "create",
        {
            "tender_id": tender["id"],
            "provider_id": company_id,
            "consultant_id": partner_id,
            "daily_rate": min(600, tender["max_daily_rate"] or 600),
            "available_from": tender["date_start"],
            "labour_law_ack": True,
            "message": "Cluster check",
        },
    )
    member.call("lbc.tender.bid", "action_submit", [bid_id])
    bid_server = member.last_server
    other = "web2" if bid_server == "web1" else "web1"
    t0 = time.monotonic()
    while True:  # read() is a read-only RPC: the replica answers, a few milliseconds behind the primary
        rows = member.call("lbc.tender.bid", "read", [bid_id], ["state", "tender_id"], base=WEB[other])
        if rows and rows[0]["state"] == "submitted":
            break
        expect(time.monotonic() - t0 < 10, f"the bid {bid_id} not submitted on {other} after 10 s: {rows}")
        time.sleep(0.05)
    lag = time.monotonic() - t0
    member.page(f"/my/bids/{bid_id}", base=WEB[other])
    say(
        f"4. bid {bid_id} on {tender['name']} submitted through {bid_server}, read back from {other} "
        f"(RPC read and /my/bids/{bid_id}; seen after {lag * 1000:.0f} ms)"
    )

    # 5. one web server stopped mid-run: the requests keep going through the balancer, same session
    answers, errors, stop = [], [], threading.Event()

    def traffic():
        paths = ["/my/bids", "/my/tenders/search", f"/my/bids/{bid_id}", "/my"]
        i = 0
        while not stop.is_set():
            path = paths[i % len(paths)]
            i += 1
            sent = time.monotonic()
            try:
                resp = member.get(path)
            except requests.RequestException as exc:
                errors.append(f"{path}: {exc}")
                continue
            for hop in [*resp.history, resp]:  # the website's language redirect: each hop is a request
                answers.append((sent, path, hop.status_code, hop.headers.get("X-Lbc-Server"), time.monotonic() - sent))
            if resp.status_code != 200 or "/web/login" in resp.url or 'name="login"' in resp.text:
                errors.append(f"{path}: {resp.status_code} {resp.url}")

    with open(os.path.join(RUN, "web1.pid")) as f:
        web1_pid = int(f.read())
    runner = threading.Thread(target=traffic)
    runner.start()
    time.sleep(4)
    stopped_at = time.monotonic()
    os.kill(web1_pid, signal.SIGTERM)
    say(f"5. web1 (pid {web1_pid}) stopped with SIGTERM while the requests go on")
    time.sleep(8)
    stop.set()
    runner.join(TIMEOUT)
    before = [a for a in answers if a[0] < stopped_at]
    after = [a for a in answers if a[0] >= stopped_at]
    served = {s: sum(1 for a in before if a[3] == s) for s in ("web1", "web2")}
    expect(not errors, f"{len(errors)} failed requests after stopping web1: {errors[:5]}")
    expect(served["web1"] and served["web2"], f"round robin before the stop: {served}")
    expect(after and all(a[3] == "web2" for a in after[-5:]), "the last requests were not served by web2")
    member.page("/my")
    say(
        f"5. {len(before)} requests before the stop (web1 {served['web1']}, web2 {served['web2']}), "
        f"{len(after)} after (web2 {sum(1 for a in after if a[3] == 'web2')}), all 200, same session, no new login; "
        f"slowest page after the stop {max(a[4] for a in after):.2f} s, before {max(a[4] for a in before):.2f} s"
    )
    say("cluster check: OK")


if __name__ == "__main__":
    main()
