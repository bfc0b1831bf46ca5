"""Benchmark: LBC's invoicing run spread over runners (issue #20): the same 5,000 validated reports invoiced by
one runner, then by two at once, in one run; prints both times, the ratio, and checks that every report is
invoiced exactly once (no double, no skip).

Run by hand on a scratch database holding the lbc addons (it adds data and commits):

    BENCH_REPORTS=5000 BENCH_CLIENTS=300 BENCH_PROVIDERS=600 ./lbc bench bench/bench_invoicing_runners.py

Data: as `bench_invoicing_run.py` (BENCH_REPORTS missions of BENCH_CLIENTS clients and BENCH_PROVIDERS
providers, random with seed 42), with two months of reports per mission: January, invoiced by one runner, then
February, invoiced by two runners at once (February's reports are made invoiceable once January is done).
A runner is a separate `odoo-bin shell` process running the cron's own method (`_cron_invoice_validated`:
batches of INVOICE_BATCH claimed with `FOR UPDATE SKIP LOCKED`, a commit after each), as a cron host would; the
runners boot first, then start together (a file barrier), and the time is from the first start to the last end.
"""

import os
import subprocess
import sys
import tempfile
import time
from datetime import date

from dateutil.relativedelta import relativedelta

import odoo
from odoo import Command
from odoo.addons.lbc_base.tests.common import make_siret

N_REPORTS = int(os.environ.get("BENCH_REPORTS", "5000"))
N_CLIENTS = int(os.environ.get("BENCH_CLIENTS", "300"))
N_PROVIDERS = int(os.environ.get("BENCH_PROVIDERS", "600"))
RUNNERS = [int(n) for n in os.environ.get("BENCH_RUNNERS", "1,2").split(",")]
BATCH = os.environ.get("BENCH_BATCH", "")  # default: the cron's INVOICE_BATCH
env = env  # noqa: F821 - provided by odoo-bin shell
ctx = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
Partner = env["res.partner"].with_context(**ctx)
# a first month invoiced by one runner, not measured (the first invoicing of each partner and order does more), then
# one month per measured run
months = [date(2027, 1, 1) + relativedelta(months=i) for i in range(len(RUNNERS) + 1)]
import random  # noqa: E402

rng = random.Random(42)


def load():
    return os.getloadavg()


t0 = time.perf_counter()
stamp = int(time.time()) % 100000 * 10000
fr = env.ref("base.fr").id
clients = Partner.create(
    [
        {
            "name": f"Bench Client {stamp + i}",
            "is_company": True,
            "lbc_is_client": True,
            "company_registry": make_siret(stamp + i),
            "country_id": fr,
            "lbc_state": "validated",
        }
        for i in range(N_CLIENTS)
    ]
)
providers = Partner.create(
    [
        {
            "name": f"Bench Provider {stamp + i}",
            "is_company": True,
            "lbc_is_provider": True,
            "company_registry": make_siret(stamp + 5000 + i),
            "country_id": fr,
            "lbc_state": "validated",
            "lbc_self_billing_mandate": i % 2 == 0,
        }
        for i in range(N_PROVIDERS)
    ]
)
pairs = [(rng.choice(clients), rng.choice(providers)) for _i in range(N_REPORTS)]
consultants = Partner.create(
    [{"name": f"Bench Consultant {i}", "parent_id": provider.id} for i, (_c, provider) in enumerate(pairs)]
)
missions = (
    env["lbc.mission"]
    .with_context(**ctx)
    .create(
        [
            {
                "client_id": client.id,
                "provider_id": provider.id,
                "consultant_id": consultant.id,
                "date_start": months[0],
                "date_end": months[0] + relativedelta(months=12, days=-1),
                "daily_rate": rng.choice([450, 550, 600, 650, 800]),
                "duration_days": 220,
                "fee_mode": "per_day" if i % 2 else "percent",
                "fee_value": 5.0,
                "name": f"BENCH/{stamp}/{i}",
            }
            for i, ((client, provider), consultant) in enumerate(zip(pairs, consultants, strict=True))
        ]
    )
)
for chunk in range(0, len(missions), 500):
    batch = missions[chunk : chunk + 500]
    for mission, sale, purchase in zip(
        batch, batch._lbc_create_sale_order(), batch._lbc_create_purchase_order(), strict=True
    ):
        mission.write({"sale_order_id": sale.id, "purchase_order_id": purchase.id})
missions.sale_order_id.action_confirm()
Report = env["lbc.activity.report"].with_context(**ctx)
calendar = env["resource.calendar"]._lbc_calendar_for(missions[:1].client_id)
sets = []
for index, month in enumerate(months):
    working = calendar._lbc_working_days(month, month + relativedelta(months=1, days=-1))
    sets.append(
        Report.create(
            [
                {
                    "mission_id": mission.id,
                    "consultant_id": mission.consultant_id.id,
                    "period": month,
                    "state": "validated",
                    # only the first month is invoiceable now: the next one when its run starts
                    "validated_by_id": env.uid if index == 0 else False,
                    "line_ids": [Command.create({"date": d, "quantity": 1.0}) for d in working[: rng.randint(10, 20)]],
                }
                for mission in missions
            ]
        )
    )
env.cr.commit()
print(
    f"setup: {len(clients)} clients, {len(providers)} providers, {len(missions)} missions, "
    f"{len(months)} x {N_REPORTS} validated reports in {time.perf_counter() - t0:.1f}s"
)

WORKER = """
import os, time
from odoo.addons.lbc_erp_client.models import lbc_activity_report as module
Report = env["lbc.activity.report"]
cls = type(Report)
original = cls._lbc_invoice_batch
stats = {"reports": 0, "batches": 0}
def counted(self, limit=None, set_aside=None, claim=False):
    tb = time.perf_counter()
    done = original(self, limit=limit, set_aside=set_aside, claim=claim)
    if done:
        stats["reports"] += done
        stats["batches"] += 1
        print(f"  runner {os.environ['BENCH_NAME']}: batch of {done} in {time.perf_counter() - tb:.1f}s", flush=True)
    return done
cls._lbc_invoice_batch = counted
if os.environ.get("BENCH_BATCH"):
    module.INVOICE_BATCH = int(os.environ["BENCH_BATCH"])
env.cr.commit()
open(os.environ["BENCH_READY"], "w").close()
while not os.path.exists(os.environ["BENCH_GO"]):
    time.sleep(0.02)
start = time.time()
Report._cron_invoice_validated()
end = time.time()
print(f"RESULT {start} {end} {stats['reports']} {stats['batches']}", flush=True)
"""


def run(month_reports, n_runners, label=""):
    """Make these reports invoiceable and have n_runners processes run the invoicing cron at once."""
    env.cr.execute(
        "UPDATE lbc_activity_report SET validated_by_id = %s WHERE id IN %s", (env.uid, tuple(month_reports.ids))
    )
    env.cr.commit()
    tmp = tempfile.mkdtemp(prefix="lbc-runners-")
    go = os.path.join(tmp, "go")
    procs = []
    for n in range(n_runners):
        ready = os.path.join(tmp, f"ready{n}")
        cmd = [sys.executable, "-u", sys.argv[0], "shell", "-c", odoo.tools.config["config"], "-d", env.cr.dbname]
        cmd += ["--log-level=warn", "--max-cron-threads=0", "--no-http"]
        environ = dict(os.environ, BENCH_NAME=str(n + 1), BENCH_READY=ready, BENCH_GO=go)
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=environ)
        proc.stdin.write(WORKER)
        proc.stdin.close()
        procs.append((proc, ready))
    while not all(os.path.exists(ready) for _proc, ready in procs):
        if any(proc.poll() is not None for proc, _ready in procs):
            raise RuntimeError("a runner died while booting")
        time.sleep(0.1)
    before = load()
    open(go, "w").close()
    results = []
    for proc, _ready in procs:
        out = proc.stdout.read()
        proc.wait()
        for line in out.splitlines():
            if line.startswith("RESULT"):
                results.append([float(x) for x in line.split()[1:]])
            elif line.strip():
                print(line)
        if proc.returncode:
            raise RuntimeError(f"a runner failed: {proc.returncode}")
    elapsed = max(r[1] for r in results) - min(r[0] for r in results)
    env.invalidate_all()
    claimed = [int(r[2]) for r in results]
    # exactly once: every report invoiced, one line of each kind per report, the runners' claims add up
    invoiced = sum(r.state == "invoiced" for r in month_reports)
    env.cr.execute(
        """SELECT count(*), count(DISTINCT (lbc_activity_report_id, lbc_invoice_kind)),
                  count(DISTINCT lbc_activity_report_id)
             FROM account_move_line WHERE lbc_activity_report_id IN %s""",
        (tuple(month_reports.ids),),
    )
    lines, distinct_lines, reports_with_lines = env.cr.fetchone()
    ok = invoiced == len(month_reports) == reports_with_lines == sum(claimed) and lines == distinct_lines
    print(
        f"{label}{n_runners} runner(s): {invoiced}/{len(month_reports)} reports invoiced in {elapsed:.1f}s "
        f"({len(month_reports) / elapsed:.1f} reports/s, {1000 * elapsed / len(month_reports):.1f}s per 1,000); "
        f"claimed per runner {claimed}; {lines} invoice lines, {lines - distinct_lines} doubles, "
        f"{len(month_reports) - reports_with_lines} skipped; load average {before[0]:.2f} before, {load()[0]:.2f} after"
    )
    if not ok:
        raise AssertionError("invoiced twice or skipped: see the counts above")
    return elapsed


print(f"batches of {BATCH or 'INVOICE_BATCH'} reports")
run(sets[0], 1, label="warm-up (first month, not measured), ")
times = {n: run(reports, n) for reports, n in zip(sets[1:], RUNNERS, strict=True)}
if 1 in times:
    for n, elapsed in times.items():
        if n != 1:
            print(f"ratio 1 runner / {n} runners: {times[1] / elapsed:.2f} (speed-up of the invoicing run)")
