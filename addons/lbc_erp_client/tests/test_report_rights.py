from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError

from .common import LbcErpCommon


class TestReportRights(LbcErpCommon):
    def test_who_sees_which_report(self):
        report = self._report(days=2)
        Report = self.env["lbc.activity.report"]
        self.assertEqual(Report.with_user(self.provider_a_consultant).search([]), report)
        self.assertFalse(Report.with_user(self.other_consultant).search([]), "another consultant sees nothing")
        with self.assertRaises(AccessError):
            report.with_user(self.other_consultant).read(["days_total"])
        self.assertEqual(Report.with_user(self.provider_approver).search([]), report, "the provider's approver")
        self.assertFalse(Report.with_user(self.client_a_buyer).search([]), "the client waits for the approval")
        self.assertFalse(Report.with_user(self.provider_b_admin).search([]))
        report.with_user(self.provider_a_consultant).action_submit()
        report.with_user(self.provider_approver).action_approve()
        self.assertEqual(Report.with_user(self.client_a_buyer).search([]), report)
        self.assertFalse(Report.with_user(self.client_b_admin).search([]))
        with self.assertRaises(AccessError):
            report.with_user(self.client_b_admin).read(["days_total"])
        with self.assertRaises(AccessError):
            report.with_user(self.client_a_buyer).write({"line_ids": [(5, 0, 0)]})

    def test_who_does_what(self):
        report = self._report(days=2)
        with self.assertRaises(AccessError):
            report.with_user(self.other_consultant).action_submit()
        report.with_user(self.provider_a_consultant).action_submit()
        with self.assertRaises(AccessError):
            report.with_user(self.provider_a_consultant).action_approve()
        with self.assertRaises(AccessError):
            report.with_user(self.client_a_buyer).action_approve()
        report.with_user(self.provider_approver).action_approve()
        with self.assertRaises(AccessError):
            report.with_user(self.provider_approver).action_validate()
        with self.assertRaises(AccessError):
            report.with_user(self.client_b_admin).action_validate()
        self.assertEqual(report.state, "approved")
        self.assertFalse(report.invoice_ids)
        with self.assertRaisesRegex(AccessError, "can be changed only through its actions"):
            report.with_user(self.provider_a_consultant).write({"state": "validated"})

    def test_invoices_visible_to_their_parties(self):
        report = self._report(days=2)
        report.with_user(self.provider_a_consultant).action_submit()
        report.with_user(self.provider_approver).action_approve()
        report.with_user(self.client_a_buyer).action_validate()
        invoices = report.invoice_ids
        client_invoice = invoices.filtered(lambda m: m.lbc_invoice_kind == "client_invoice")
        fee = invoices.filtered(lambda m: m.lbc_invoice_kind == "fee")
        Move = self.env["account.move"]
        self.assertIn(client_invoice, Move.with_user(self.client_a_admin).search([]))
        self.assertNotIn(fee, Move.with_user(self.client_a_admin).search([]))
        self.assertIn(fee, Move.with_user(self.provider_a_admin).search([]))
        self.assertNotIn(client_invoice, Move.with_user(self.provider_a_admin).search([]))
        self.assertFalse(Move.with_user(self.client_b_admin).search([("id", "in", invoices.ids)]))

    def test_referencing_list_audience(self):
        referencing = (
            self.env["lbc.referencing.list"]
            .with_user(self.client_a_admin)
            .create({"name": "Preferred", "client_id": self.client_a.id, "provider_ids": [(6, 0, self.provider_b.ids)]})
        )
        with self.assertRaises(AccessError):
            self.env["lbc.referencing.list"].with_user(self.client_b_admin).create(
                {"name": "Mine", "client_id": self.client_a.id}
            )
        self.assertFalse(self.env["lbc.referencing.list"].with_user(self.client_b_admin).search([]))
        tender = (
            self.env["lbc.tender"]
            .with_user(self.client_a_buyer)
            .create(
                self._tender_vals(
                    audience="lists",
                    referencing_list_ids=[(6, 0, referencing.ids)],
                    deadline=fields.Datetime.now() + timedelta(days=3),
                )
            )
        )
        tender.with_user(self.client_a_buyer).action_publish()
        self.assertEqual(tender.sudo().audience_provider_ids, self.provider_b)
        Tender = self.env["lbc.tender"]
        self.assertEqual(Tender.with_user(self.provider_b_admin).search([("id", "=", tender.id)]), tender)
        self.assertFalse(Tender.with_user(self.provider_a_admin).search([("id", "=", tender.id)]))
        with self.assertRaises(AccessError):
            tender.with_user(self.provider_a_admin).read(["name"])
