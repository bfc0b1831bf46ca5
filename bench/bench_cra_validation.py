"""Benchmark: the queries of one CRA validation against Odoo core creating the same three documents (issue #15).

Run by hand with `odoo-bin shell` on a scratch database holding the lbc addons (it adds data and commits):

    BENCH_ROUNDS=5 odoo-bin shell -c <conf> -d <db> < bench/bench_cra_validation.py

A client validating a report (`action_validate`, as the client's report approver) makes, once and only once,
the client invoice (from the client's sale order, its days delivered), the provider's self-billed invoice (from
LBC's purchase order, its days received) and the management-fee invoice, all posted, their legal documents
queued. The core baseline, in the same database and the same run: Odoo making the same three posted documents
its own way: `sale.order._create_invoices()` after delivering the days, the vendor bill of the purchase order
(`action_create_invoice()`) after receiving them, and a customer invoice of the fee product. Queries are counted
by the cursor (`sql_log_count`), caches emptied before each measure, after a warm-up round of each; the median
of BENCH_ROUNDS rounds is printed with the ratio. The floor is printed too: the same three documents created and
posted as plain invoices, without orders (what no real flow does: nothing delivered, received nor linked).
BENCH_PROFILE=1 prints the most frequent query shapes of each measure.
"""

import collections
import logging
import os
import re
import statistics
import time
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.addons.lbc_base.tests.common import make_siret

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
PROFILE = os.environ.get("BENCH_PROFILE") == "1"
env = env  # noqa: F821 - provided by odoo-bin shell
ctx = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
Partner = env["res.partner"].with_context(**ctx)
stamp = int(time.time()) % 100000 * 10000
fr = env.ref("base.fr").id
month = date(2027, 1, 1)
company = env.company
if not company.vat:
    company.partner_id.write({"street": "10 rue de la Paix", "zip": "75002", "city": "Paris", "country_id": fr})
    company.write({"vat": "FR44732829320", "company_registry": "73282932000074"})
# the working days of metropolitan France (the clients' place of work), from the working calendar of the region
working = (
    env["resource.calendar"]
    ._lbc_calendar_for(company.partner_id)
    ._lbc_working_days(month, month + relativedelta(months=1, days=-1))
)


def missions(count):
    """`count` active missions of one client and one self-billing provider (a consultant each), each with its
    signed orders."""
    client, provider = Partner.create(
        [
            {
                "name": f"Bench CRA {kind} {stamp}",
                "is_company": True,
                f"lbc_is_{kind}": True,
                "company_registry": make_siret(stamp + offset),
                "country_id": fr,
                "lbc_state": "validated",
                "lbc_self_billing_mandate": kind == "provider",
                "lbc_self_billing_mandate_date": month,
            }
            for kind, offset in (("client", 1), ("provider", 2))
        ]
    )
    consultants = Partner.create(
        [{"name": f"Bench CRA Consultant {stamp} {i}", "parent_id": provider.id} for i in range(count)]
    )
    records = (
        env["lbc.mission"]
        .with_context(**ctx)
        .create(
            [
                {
                    "client_id": client.id,
                    "provider_id": provider.id,
                    "consultant_id": consultants[i].id,
                    "date_start": month,
                    "date_end": month + relativedelta(months=12, days=-1),
                    "daily_rate": 650,
                    "duration_days": 220,
                    "fee_mode": "percent",
                    "fee_value": 5.0,
                    "name": f"BENCH-CRA/{stamp}/{i}",
                }
                for i in range(count)
            ]
        )
    )
    for mission, sale, purchase in zip(
        records, records._lbc_create_sale_order(), records._lbc_create_purchase_order(), strict=True
    ):
        mission.write({"sale_order_id": sale.id, "purchase_order_id": purchase.id})
    records.sale_order_id.action_confirm()
    return records


def approved_report(mission):
    return (
        env["lbc.activity.report"]
        .with_context(**ctx)
        .create(
            {
                "mission_id": mission.id,
                "consultant_id": mission.consultant_id.id,
                "period": month,
                "state": "approved",
                "line_ids": [Command.create({"date": d, "quantity": 1.0}) for d in working[:18]],
            }
        )
    )


class QueryShapes(logging.Handler):
    """With BENCH_PROFILE=1: the queries of a measure by shape (statement and table), most frequent first."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.shapes = collections.Counter()

    def emit(self, record):
        if "query:" not in str(record.msg):
            return
        query = str(record.args[-1])
        self.shapes[re.sub(r"\s+", " ", query)[:110]] += 1


def count(function, profile=False):
    env.invalidate_all()
    env.registry.clear_cache()
    handler, logger = QueryShapes(), logging.getLogger("odoo.sql_db")
    if profile:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
    before = env.cr.sql_log_count
    function()
    env.flush_all()
    queries = env.cr.sql_log_count - before
    if profile:
        logger.removeHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = True
        for shape, times in handler.shapes.most_common(40):
            print(f"{times:4d}  {shape}")
    return queries


def lbc_validation(mission):
    report = approved_report(mission)
    env.cr.commit()
    return count(lambda: report._lbc_validate(), profile=PROFILE)


def core_documents(mission):
    """Odoo's own way to the same three posted documents."""
    mission = mission.sudo()
    sale, purchase = mission.sale_order_id, mission.purchase_order_id
    env.cr.commit()

    def run():
        sale.order_line.qty_delivered = 18
        invoice = sale._create_invoices(final=True)
        purchase.order_line.qty_received = 18
        bill_action = purchase.action_create_invoice()
        bill = env["account.move"].browse(bill_action["res_id"])
        bill.invoice_date = date.today()
        fee = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": mission.provider_id.id,
                "invoice_date": date.today(),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": env.ref("lbc_erp_provider.product_lbc_management_fee").id,
                            "quantity": 1,
                            "price_unit": 585.0,
                        }
                    )
                ],
            }
        )
        (invoice | bill | fee).action_post()

    return count(run, profile=PROFILE)


def plain_documents(mission):
    """The floor: the same three documents created and posted as plain invoices (no order, no link)."""
    mission = mission.sudo()
    product = env.ref("lbc_tender.product_lbc_service_day")
    fee_product = env.ref("lbc_erp_provider.product_lbc_management_fee")
    env.cr.commit()

    def run():
        moves = env["account.move"].create(
            [
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": date.today(),
                    "invoice_line_ids": [Command.create({"product_id": item.id, "quantity": qty, "price_unit": price})],
                }
                for move_type, partner, item, qty, price in (
                    ("out_invoice", mission.client_id, product, 18, 650.0),
                    ("in_invoice", mission.provider_id, product, 18, 650.0),
                    ("out_invoice", mission.provider_id, fee_product, 1, 585.0),
                )
            ]
        )
        moves.action_post()

    return count(run)


all_missions = missions(2 * (ROUNDS + 1))
lbc_counts = [lbc_validation(mission) for mission in all_missions[: ROUNDS + 1]][1:]  # the first warms up
core_counts = [core_documents(mission) for mission in all_missions[ROUNDS + 1 :]][1:]
plain_counts = [plain_documents(all_missions[0]) for _round in range(ROUNDS + 1)][1:]
env.cr.commit()
lbc_median, core_median = statistics.median(lbc_counts), statistics.median(core_counts)
print(f"CRA validation (3 posted documents, legal documents queued): queries {lbc_counts}, median {lbc_median}")
print(f"core, the same 3 posted documents: queries {core_counts}, median {core_median}")
print(f"ratio LBC / core: {lbc_median / core_median:.2f} (goal <= 1.2)")
plain_median = statistics.median(plain_counts)
print(f"floor, the same 3 documents as plain posted invoices (no order): queries {plain_counts}, median {plain_median}")
print(f"ratio LBC / plain invoices: {lbc_median / plain_median:.2f}")
