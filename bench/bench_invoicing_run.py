"""Benchmark: LBC's background invoicing run over 1,000 validated activity reports (issues #5 and #9).

Run by hand with `odoo-bin shell` on a scratch database holding the lbc addons (it adds data and commits):

    BENCH_REPORTS=5000 BENCH_CLIENTS=300 BENCH_PROVIDERS=600 \\
        odoo-bin shell -c <conf> -d <db> < bench/bench_invoicing_run.py

The data is one month of a platform at the scale of `bench/populate.py` (5,000 missions of 300 clients and
600 providers, 60,000 reports a year): BENCH_REPORTS missions (one consultant each) spread at random (fixed
seed) over BENCH_CLIENTS clients and BENCH_PROVIDERS providers, half of the providers with a self-billing
mandate, half of the missions with a fee per day, each with its validated report of the month. The run is the
cron's own loop: batches of 1,000 reports (INVOICE_BATCH), taken provider by provider, a commit after each;
the time of each batch is printed. Each report gets a line in three documents (client invoice, provider bill,
management-fee invoice), grouped as Odoo's consolidated billing groups orders (one client invoice per client,
one bill and one fee invoice per provider, per batch), so the number of documents depends on the spread:
BENCH_REPORTS=1000 BENCH_CLIENTS=1000 BENCH_PROVIDERS=1000 is the worst case (about one client and one provider
per report: three documents per report).

The core baseline, measured in the same run: Odoo creating and posting as many plain customer invoices as the
run made documents, each with as many lines (same product and taxes) as its document, in batches of 50, i.e.
what core invoicing costs for the same accounting documents.
"""

import os
import random
import time
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.addons.lbc_base.tests.common import make_siret

N_REPORTS = int(os.environ.get("BENCH_REPORTS", "5000"))
N_CLIENTS = int(os.environ.get("BENCH_CLIENTS", "300"))
N_PROVIDERS = int(os.environ.get("BENCH_PROVIDERS", "600"))
env = env  # noqa: F821 - provided by odoo-bin shell
Partner = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
month = date(2027, 1, 1)
rng = random.Random(42)


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
Mission = env["lbc.mission"].with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
missions = Mission.create(
    [
        {
            "client_id": client.id,
            "provider_id": provider.id,
            "consultant_id": consultant.id,
            "date_start": month,
            "date_end": month + relativedelta(months=12, days=-1),
            "daily_rate": rng.choice([450, 550, 600, 650, 800]),
            "duration_days": 220,
            "fee_mode": "per_day" if i % 2 else "percent",
            "fee_value": 5.0,
            "name": f"BENCH/{stamp}/{i}",
        }
        for i, ((client, provider), consultant) in enumerate(zip(pairs, consultants, strict=True))
    ]
)
for chunk in range(0, len(missions), 500):
    batch = missions[chunk : chunk + 500]
    for mission, sale, purchase in zip(
        batch, batch._lbc_create_sale_order(), batch._lbc_create_purchase_order(), strict=True
    ):
        mission.write({"sale_order_id": sale.id, "purchase_order_id": purchase.id})
missions.sale_order_id.action_confirm()  # the clients sign: missions active, purchase orders confirmed
Report = env["lbc.activity.report"].with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
# the working days of the clients' place of work (metropolitan France), from the region's working calendar
working = (
    env["resource.calendar"]
    ._lbc_calendar_for(missions[:1].client_id)
    ._lbc_working_days(month, month + relativedelta(months=1, days=-1))
)
reports = Report.create(
    [
        {
            "mission_id": mission.id,
            "consultant_id": mission.consultant_id.id,
            "period": month,
            "state": "validated",
            "validated_by_id": env.uid,  # the invoicing run takes the reports a client validated
            "line_ids": [Command.create({"date": d, "quantity": 1.0}) for d in working[: rng.randint(10, 20)]],
        }
        for mission in missions
    ]
)
env.cr.commit()
print(
    f"setup: {len(clients)} clients, {len(providers)} providers, {len(missions)} missions, "
    f"{len(reports)} validated reports in {time.perf_counter() - t0:.1f}s"
)


def cpu_seconds():
    """CPU time spent so far by this Odoo process and by its PostgreSQL backend (same machine, read from /proc):
    unlike the elapsed time, it does not depend on what else runs on the machine (others' load slows both)."""
    env.cr.execute("SELECT pg_backend_pid()")
    try:
        with open(f"/proc/{env.cr.fetchone()[0]}/stat") as stat:
            utime, stime = stat.read().rsplit(")", 1)[1].split()[11:13]
        backend = (int(utime) + int(stime)) / os.sysconf("SC_CLK_TCK")
    except OSError:  # PostgreSQL on another machine: the Odoo side only
        backend = 0.0
    return time.process_time() + backend


# the cron's own loop (`_cron_invoice_validated`): batches of INVOICE_BATCH reports, a commit after each
t1, cpu1 = time.perf_counter(), cpu_seconds()
Report = env["lbc.activity.report"]
from odoo.addons.lbc_erp_client.models.lbc_activity_report import INVOICE_BATCH  # noqa: E402

batch_times, set_aside = [], set()
while True:
    tb = time.perf_counter()
    done = Report._lbc_invoice_batch(limit=INVOICE_BATCH, set_aside=set_aside)
    env.cr.commit()
    env.invalidate_all()
    if not done:
        break
    batch_times.append((done, time.perf_counter() - tb))
    print(f"  batch {len(batch_times)}: {done} reports invoiced in {batch_times[-1][1]:.1f}s")
elapsed, cpu_run = time.perf_counter() - t1, cpu_seconds() - cpu1
moves = env["account.move"].search([("lbc_activity_report_ids", "in", reports.ids)])
lines = env["account.move.line"].search_count([("lbc_activity_report_id", "in", reports.ids)])
invoiced = sum(r.state == "invoiced" for r in reports)
slowest = max(batch_times, key=lambda b: b[1] / b[0])
print(
    f"invoicing run: {invoiced}/{len(reports)} reports invoiced, {lines} invoice lines in {len(moves)} documents "
    f"({len(moves.filtered(lambda m: m.lbc_invoice_kind == 'client_invoice'))} client invoices) in {elapsed:.1f}s: "
    f"{len(reports) / elapsed:.1f} reports/s, {1000 * elapsed / len(reports):.1f}s per 1,000 reports, slowest batch "
    f"{1000 * slowest[1] / slowest[0]:.1f}s per 1,000 (goal: 1,000 reports < 60 s)"
)

product = env.ref("lbc_tender.product_lbc_service_day")
t2, cpu2 = time.perf_counter(), cpu_seconds()
line_counts = [len(move.invoice_line_ids) for move in moves]
n_core = len(line_counts)
for chunk in range(0, n_core, 50):
    core = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": clients[i % len(clients)].id,
                "invoice_date": date.today(),
                "invoice_line_ids": [
                    Command.create({"product_id": product.id, "quantity": 15, "price_unit": 600})
                    for _line in range(line_counts[i])
                ],
            }
            for i in range(chunk, min(chunk + 50, n_core))
        ]
    )
    core.action_post()
    env.cr.commit()
core_elapsed, cpu_core = time.perf_counter() - t2, cpu_seconds() - cpu2
print(f"core baseline: {n_core} customer invoices ({sum(line_counts)} lines) created and posted in {core_elapsed:.1f}s")
print(f"ratio LBC run / core for the same number of documents: {elapsed / core_elapsed:.2f}")
print(
    f"CPU time (Odoo process + its PostgreSQL backend): run {cpu_run:.1f}s, core {cpu_core:.1f}s, "
    f"ratio {cpu_run / cpu_core:.2f}"
)
