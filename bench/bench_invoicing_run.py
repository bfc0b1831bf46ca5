"""Benchmark: LBC's background invoicing run over 1,000 validated activity reports (issue #5).

Run by hand with `odoo-bin shell` on a scratch database holding the lbc addons (it adds data and commits):

    BENCH_REPORTS=1000 odoo-bin shell -c <conf> -d <db> < bench/bench_invoicing_run.py

Each report gives three documents (client invoice from the sale order, provider bill from the purchase
order, management-fee invoice), all posted except the draft bills of providers without a self-billing
mandate. The core baseline, measured in the same run: Odoo creating and posting the same number of plain
customer invoices (one line, same product and taxes), i.e. the floor of what core invoicing costs.
"""

import os
import time
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command

N_REPORTS = int(os.environ.get("BENCH_REPORTS", "1000"))
MONTHS = 10
env = env  # noqa: F821 - provided by odoo-bin shell
Partner = env["res.partner"]
start_month = date(2027, 1, 1)


def siret(seed):
    from stdnum import luhn

    siren8 = f"{600000000 + seed * 7919:09d}"[-8:]
    siren = siren8 + luhn.calc_check_digit(siren8)
    base = siren + "0002"
    return base + luhn.calc_check_digit(base)


t0 = time.perf_counter()
stamp = int(time.time()) % 100000
client = Partner.create(
    {
        "name": f"Bench Client {stamp}",
        "is_company": True,
        "lbc_is_client": True,
        "company_registry": siret(stamp),
        "country_id": env.ref("base.fr").id,
        "lbc_state": "validated",
    }
)
provider = Partner.create(
    {
        "name": f"Bench Provider {stamp}",
        "is_company": True,
        "lbc_is_provider": True,
        "company_registry": siret(stamp + 1),
        "country_id": env.ref("base.fr").id,
        "lbc_state": "validated",
        "lbc_self_billing_mandate": True,
    }
)
n_missions = max(1, N_REPORTS // MONTHS)
consultants = Partner.create([{"name": f"Bench Consultant {i}", "parent_id": provider.id} for i in range(n_missions)])
Mission = env["lbc.mission"].with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
missions = Mission.create(
    [
        {
            "client_id": client.id,
            "provider_id": provider.id,
            "consultant_id": c.id,
            "date_start": start_month,
            "date_end": start_month + relativedelta(months=MONTHS) - relativedelta(days=1),
            "daily_rate": 600,
            "duration_days": 220,
            "fee_mode": "percent",
            "fee_value": 5.0,
            "name": f"BENCH/{stamp}/{i}",
        }
        for i, c in enumerate(consultants)
    ]
)
for mission in missions:
    mission.sale_order_id = mission._lbc_create_sale_order()
    mission.purchase_order_id = mission._lbc_create_purchase_order()
missions.sale_order_id.action_confirm()  # the client signs: missions active, purchase orders confirmed
Report = env["lbc.activity.report"].with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
holidays = {}
values = []
for mission in missions:
    for month in range(MONTHS):
        period = start_month + relativedelta(months=month)
        from odoo.addons.lbc_erp_provider.models.lbc_activity_report import french_holidays

        off = holidays.setdefault(period.year, french_holidays(period.year))
        days = [period + relativedelta(days=d) for d in range(28)]
        days = [d for d in days if d.weekday() < 5 and d not in off][:15]
        values.append(
            {
                "mission_id": mission.id,
                "consultant_id": mission.consultant_id.id,
                "period": period,
                "state": "validated",
                "line_ids": [Command.create({"date": d, "quantity": 1.0}) for d in days],
            }
        )
reports = Report.create(values[:N_REPORTS])
env.cr.commit()
print(f"setup: {len(missions)} missions, {len(reports)} validated reports in {time.perf_counter() - t0:.1f}s")

# the cron's own loop (`_cron_invoice_validated`): batches of 50 reports, a commit after each
t1 = time.perf_counter()
Report = env["lbc.activity.report"]
while Report._lbc_invoice_batch(limit=50):
    env.cr.commit()
    env.invalidate_all()
elapsed = time.perf_counter() - t1
moves = env["account.move"].search_count([("lbc_activity_report_id", "in", reports.ids)])
print(
    f"invoicing run: {len(reports)} reports, {moves} invoices and bills in {elapsed:.1f}s "
    f"({len(reports) / elapsed:.1f} reports/s; goal: 1,000 reports < 60 s)"
)

product = env.ref("lbc_tender.product_lbc_service_day")
t2 = time.perf_counter()
for chunk in range(0, len(reports), 50):
    core = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": client.id,
                "invoice_date": date.today(),
                "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 15, "price_unit": 600})],
            }
            for _i in range(min(50, len(reports) - chunk))
        ]
    )
    core.action_post()
    env.cr.commit()
core_elapsed = time.perf_counter() - t2
print(f"core baseline: {len(reports)} plain customer invoices created and posted in {core_elapsed:.1f}s")
print(f"ratio LBC run per report (3 documents) / core per invoice: {elapsed / core_elapsed:.2f}")
