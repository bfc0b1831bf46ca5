"""The invoicing run spread over two runners at once (issue #20): two threads, each with its own real cursor (its
own PostgreSQL transaction), run the cron's method on the same validated reports, in small batches; every report
is invoiced exactly once (one line of each kind), nothing is skipped, each runner commits each of its batches.
The fixture is committed (separate transactions are the point) and left inert afterwards: every report invoiced,
the partners archived, nothing left in the sending queue."""

import time
from datetime import date
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import Command, api
from odoo.addons.lbc_base.tests.common import LbcRunnersMixin, make_siret
from odoo.addons.lbc_erp_client.models import lbc_activity_report as runner_module
from odoo.orm.environments import Transaction
from odoo.tests import TransactionCase, tagged

N_CLIENTS, N_PROVIDERS, N_REPORTS = 3, 4, 12
MONTH = date(2031, 9, 1)  # a Monday, no public holiday in its first days


@tagged("post_install", "-at_install")
class TestInvoicingRunners(LbcRunnersMixin, TransactionCase):
    def _fixture(self, second_month=0):
        """Clients, providers (half under a self-billing mandate) and N_REPORTS missions with their signed orders
        and their validated report, committed; with `second_month`, that many missions also have their next
        month's report validated (two reports of one mission waiting at once)."""
        seed = int(time.time() * 1000) % 10000 * 100 + 50
        with self.registry.cursor() as cr:
            ctx = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
            env = api.Environment(cr, api.SUPERUSER_ID, ctx)
            Partner = env["res.partner"]
            fr = env.ref("base.fr").id
            common = {"is_company": True, "country_id": fr, "lbc_state": "validated"}
            clients = Partner.create(
                [
                    {
                        **common,
                        "name": f"Spread Client {i}",
                        "lbc_is_client": True,
                        "company_registry": make_siret(seed + i),
                    }
                    for i in range(N_CLIENTS)
                ]
            )
            providers = Partner.create(
                [
                    {
                        **common,
                        "name": f"Spread Provider {i}",
                        "lbc_is_provider": True,
                        "company_registry": make_siret(seed + 20 + i),
                        "lbc_self_billing_mandate": i % 2 == 0,
                    }
                    for i in range(N_PROVIDERS)
                ]
            )
            pairs = [(clients[i % N_CLIENTS], providers[i % N_PROVIDERS]) for i in range(N_REPORTS)]
            consultants = Partner.create(
                [{"name": f"Spread Consultant {i}", "parent_id": p.id} for i, (_c, p) in enumerate(pairs)]
            )
            missions = env["lbc.mission"].create(
                [
                    {
                        "client_id": client.id,
                        "provider_id": provider.id,
                        "consultant_id": consultant.id,
                        "date_start": MONTH,
                        "date_end": MONTH + relativedelta(months=6, days=-1),
                        "daily_rate": 500 + 10 * i,
                        "duration_days": 100,
                        "fee_mode": "per_day" if i % 2 else "percent",
                        "fee_value": 5.0,
                        "name": f"SPREAD/{seed}/{i}",
                    }
                    for i, ((client, provider), consultant) in enumerate(zip(pairs, consultants, strict=True))
                ]
            )
            for mission, sale, purchase in zip(
                missions, missions._lbc_create_sale_order(), missions._lbc_create_purchase_order(), strict=True
            ):
                mission.write({"sale_order_id": sale.id, "purchase_order_id": purchase.id})
            missions.sale_order_id.action_confirm()
            reports = env["lbc.activity.report"].create(
                [
                    {
                        "mission_id": mission.id,
                        "consultant_id": mission.consultant_id.id,
                        "period": MONTH,
                        "state": "validated",
                        "validated_by_id": env.uid,
                        "line_ids": [
                            Command.create({"date": MONTH + relativedelta(days=d), "quantity": 1.0})
                            for d in range(3 + i % 3)
                        ],
                    }
                    for i, mission in enumerate(missions)
                ]
            )
            if second_month:
                reports |= env[
                    "lbc.activity.report"
                ].create(
                    [
                        {
                            "mission_id": mission.id,
                            "consultant_id": mission.consultant_id.id,
                            "period": MONTH + relativedelta(months=1),
                            "state": "validated",
                            "validated_by_id": env.uid,
                            "line_ids": [
                                Command.create({"date": MONTH + relativedelta(months=1, days=d), "quantity": 1.0})
                                for d in (0, 1)  # 1 and 2 October 2031: a Wednesday and a Thursday
                            ],
                        }
                        for mission in missions[:second_month]
                    ]
                )
            cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point
            return {"reports": reports.ids, "partners": (clients | providers | consultants).ids}

    def _make_inert(self, ids):
        """Whatever the outcome, leave nothing for the other tests to pick up."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            reports = env["lbc.activity.report"].browse(ids["reports"])
            moves = reports.invoice_ids | env["account.move"].search([("partner_id", "in", ids["partners"])])
            cr.execute("UPDATE account_move SET sending_data = NULL WHERE id = ANY(%s)", [moves.ids])
            cr.execute(
                "UPDATE lbc_activity_report SET validated_by_id = NULL WHERE id = ANY(%s) AND state = 'validated'",
                [reports.ids],
            )
            env["res.partner"].browse(ids["partners"]).write({"active": False})
            cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point

    def _run_runners(self, n_runners, batch):
        """n_runners threads run the invoicing cron's method at once; returns, per runner, the batches it claimed
        (reports) and the number of its commits."""
        return self._lbc_run_runners(
            n_runners,
            lambda env: env["lbc.activity.report"]._cron_invoice_validated(),
            "lbc.activity.report",
            "_lbc_claim_invoiceable",
            extra_patches=[patch.object(runner_module, "INVOICE_BATCH", batch)],
        )

    def test_two_runners_invoice_each_report_once(self):
        ids = self._fixture()
        try:
            claims, commits = self._run_runners(2, batch=2)
            self.assertEqual(len(claims), 2, f"both runners took batches: {claims}")
            for runner, batches in claims.items():
                self.assertTrue(all(1 <= len(batch) <= 2 for batch in batches), f"{runner} committed each batch")
                self.assertEqual(commits[runner], len(batches))
            claimed = [report_id for batches in claims.values() for batch in batches for report_id in batch.ids]
            self.assertCountEqual(claimed, ids["reports"], "each report claimed once, none skipped")
            with self.registry.cursor() as cr:  # what the runners committed, from another transaction
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                reports = env["lbc.activity.report"].browse(ids["reports"])
                self.assertEqual(set(reports.mapped("state")), {"invoiced"}, "nothing skipped")
                lines = env["account.move.line"].search([("lbc_activity_report_id", "in", reports.ids)])
                self.assertEqual(len(lines), 3 * N_REPORTS, "three lines per report, no double")
                for report in reports:
                    kinds = sorted(
                        lines.filtered(lambda line, r=report: line.lbc_activity_report_id == r).mapped(
                            "lbc_invoice_kind"
                        )
                    )
                    self.assertEqual(kinds, ["client_invoice", "fee", "provider_bill"], report.display_name)
                    sale_line = report.mission_id._lbc_sale_line()
                    self.assertEqual(sale_line.qty_delivered, report.days_total, "days delivered once")
                    self.assertEqual(sale_line.qty_invoiced, report.days_total, "days invoiced once")
                client_invoices = lines.move_id.filtered(lambda m: m.lbc_invoice_kind == "client_invoice")
                self.assertEqual(set(client_invoices.mapped("state")), {"posted"})
                names = lines.move_id.filtered(lambda m: m.state == "posted").mapped("name")
                self.assertEqual(len(names), len(set(names)), "no invoice number given twice")
        finally:
            self._make_inert(ids)

    def test_claim_skips_the_batch_another_runner_holds(self):
        ids = self._fixture()
        try:
            with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
                for cr in (cr_a, cr_b):
                    cr.transaction = Transaction(self.registry)
                env_a = api.Environment(cr_a, api.SUPERUSER_ID, {})
                env_b = api.Environment(cr_b, api.SUPERUSER_ID, {})
                mine = set(ids["reports"])
                self.assertTrue(env_a["lbc.activity.report"]._lbc_read_committed())
                first = env_a["lbc.activity.report"]._lbc_claim_invoiceable(limit=5) & env_a[
                    "lbc.activity.report"
                ].browse(ids["reports"])
                self.assertTrue(first)
                self.assertTrue(env_b["lbc.activity.report"]._lbc_read_committed())
                other = env_b["lbc.activity.report"]._lbc_claim_invoiceable()
                self.assertFalse(set(first.ids) & set(other.ids), "the held batch is skipped, not waited for")
                self.assertEqual(set(other.ids) & mine, mine - set(first.ids), "the rest is claimed")
                cr_b.rollback()
                # runner A invoices and commits its batch: a later claim, in READ COMMITTED, no longer sees it
                first._lbc_invoice()
                cr_a.commit()  # pylint: disable=invalid-commit  # separate transactions are the point
                self.assertTrue(env_b["lbc.activity.report"]._lbc_read_committed())
                again = env_b["lbc.activity.report"]._lbc_claim_invoiceable()
                self.assertEqual(set(again.ids) & mine, mine - set(first.ids))
                cr_b.rollback()
        finally:
            with self.registry.cursor() as cr:  # the rest invoiced too, then inert
                api.Environment(cr, api.SUPERUSER_ID, {})["lbc.activity.report"].browse(ids["reports"])._lbc_invoice()
                cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point
            self._make_inert(ids)

    def test_a_mission_is_claimed_whole(self):
        """Two validated months of one mission add their days to the same order lines: one runner takes both, the
        other skips the mission; run at once, the delivered and received days are the sum of both months."""
        ids = self._fixture(second_month=N_REPORTS)
        try:
            with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
                for cr in (cr_a, cr_b):
                    cr.transaction = Transaction(self.registry)
                env_a = api.Environment(cr_a, api.SUPERUSER_ID, {})
                env_b = api.Environment(cr_b, api.SUPERUSER_ID, {})
                mine = env_a["lbc.activity.report"].browse(ids["reports"])
                self.assertTrue(env_a["lbc.activity.report"]._lbc_read_committed())
                first = env_a["lbc.activity.report"]._lbc_claim_invoiceable(limit=3) & mine
                self.assertTrue(first)
                self.assertEqual(len(first), 2 * len(first.mission_id), "each claimed mission with both months")
                self.assertTrue(env_b["lbc.activity.report"]._lbc_read_committed())
                other = env_b["lbc.activity.report"]._lbc_claim_invoiceable() & env_b["lbc.activity.report"].browse(
                    ids["reports"]
                )
                self.assertFalse(set(first.mission_id.ids) & set(other.mission_id.ids), "no mission in both")
                cr_a.rollback()
                cr_b.rollback()
            self._run_runners(2, batch=2)
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                reports = env["lbc.activity.report"].browse(ids["reports"])
                self.assertEqual(set(reports.mapped("state")), {"invoiced"})
                for mission in reports.mission_id:
                    days = sum(reports.filtered(lambda r, m=mission: r.mission_id == m).mapped("days_total"))
                    self.assertEqual(sum(mission.sale_order_id.order_line.mapped("qty_delivered")), days)
                    self.assertEqual(sum(mission.purchase_order_id.order_line.mapped("qty_received")), days)
        finally:
            self._make_inert(ids)

    def test_two_cron_jobs(self):
        """Odoo runs a job on one cron host at a time: the run has two jobs, run at once by two cron hosts."""
        crons = self.env["lbc.activity.report"]._lbc_invoicing_runner_crons()
        self.assertEqual(len(crons), 2)
        self.assertIn(self.env.ref("lbc_erp_client.ir_cron_invoice_validated_2"), crons)
