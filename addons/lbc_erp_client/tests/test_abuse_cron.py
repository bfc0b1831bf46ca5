"""Abuse: the invoicing run killed in the middle of a batch, then run again, ends exactly as an uninterrupted
run: no duplicate invoice, nothing skipped (see lbc_compliance's test_abuse_cron for the simulated kill)."""

from datetime import timedelta
from unittest.mock import patch

from odoo.addons.lbc_compliance.tests.cron_kill import KillableRun
from odoo.addons.lbc_erp_client.tests.common import START, LbcErpCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestAbuseInvoicingCronKilled(LbcErpCommon):
    def test_killed_invoicing_run_then_rerun(self):
        # three missions (the run claims a mission with all its reports: one report each, one batch each)
        consultants = (self.provider_a_consultant, self.other_consultant, self.provider_a_consultant)
        missions = [self.mission] + [
            self._active_mission(self.provider_a, self.provider_a_admin, consultant, rate=rate)
            for consultant, rate in zip(consultants[1:], (600, 550), strict=True)
        ]
        reports = self.env["lbc.activity.report"]
        # the consultant of two missions reports them in two months (at most one day a date across its missions)
        months = (START, START, (START + timedelta(days=31)).replace(day=1))
        for mission, consultant, month in zip(missions, consultants, months, strict=True):
            report = self._report(mission=mission, consultant=consultant, days=2, month=month)
            report.with_user(consultant).action_submit()
            report.with_user(self.provider_approver).action_approve()
            report.with_user(self.client_a_buyer)._lbc_validate(invoice=False)
            reports |= report
        self.assertEqual(set(reports.mapped("state")), {"validated"})
        Report = self.env["lbc.activity.report"]
        original = type(Report)._lbc_invoice_batch

        def one_per_batch(records, limit=None, set_aside=None, claim=False):
            return original(records, limit=1, set_aside=set_aside, claim=claim)

        run = KillableRun(self.env, "ir.cron", "_commit_progress")
        with patch.object(type(Report), "_lbc_invoice_batch", one_per_batch):
            # killed after the second mission's report is invoiced, before its commit
            self.assertEqual(run(Report._cron_invoice_validated, kill_at=2), 2)
            self.env.invalidate_all()
            self.assertEqual(reports.mapped("state").count("invoiced"), 1, "the first batch was committed")
            run(Report._cron_invoice_validated)
        self.env.invalidate_all()
        self.assertEqual(set(reports.mapped("state")), {"invoiced"}, "nothing skipped")
        for report in reports:
            kinds = sorted(report.invoice_ids.mapped("lbc_invoice_kind"))
            self.assertEqual(len(kinds), len(set(kinds)), f"one move of each kind for {report.display_name}")
            self.assertIn("client_invoice", kinds)
        client_invoices = reports.invoice_ids.filtered(lambda m: m.lbc_invoice_kind == "client_invoice")
        self.assertEqual(len(client_invoices), 3)
        for mission in missions:
            self.assertEqual(sum(mission.sale_order_id.order_line.mapped("qty_invoiced")), 2, mission.display_name)
