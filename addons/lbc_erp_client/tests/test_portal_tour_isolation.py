"""The isolation tour of the member pages: in a real browser, a member of client B opens the pages of company
A's records (tender, bid, mission, activity report, orders, invoice, vigilance document). Each page must refuse
(403/404) or send back to /my, and no name of company A may show anywhere on the page it lands on."""

import json
from urllib.parse import quote

from odoo.addons.lbc_erp_client.tests.common import LbcErpCommon
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestPortalTourIsolation(HttpCase, LbcErpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client_b_member = cls._create_member(cls.client_b, "client_b_member", "buyer")
        # company A's records: the active mission (tender, bid, orders) and a validated, invoiced report
        report = LbcErpCommon._report(cls, days=3)
        report.with_user(cls.provider_a_consultant).action_submit()
        report.with_user(cls.provider_approver).action_approve()
        report.with_user(cls.client_a_buyer).action_validate()
        cls.report = report
        cls.draft_tender = (
            cls.env["lbc.tender"]
            .with_user(cls.client_a_buyer)
            .create(cls._tender_vals(name="Confidential migration of Client A"))
            .sudo()
        )
        cls.documents = cls.env["lbc.compliance.document"].search([("partner_id", "=", cls.provider_a.id)])
        mission = cls.mission
        cls.invoice = report.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")[:1]
        cls.pages = [
            f"/my/tenders/{mission.tender_id.id}",
            f"/my/tenders/{cls.draft_tender.id}",
            f"/my/bids/{mission.bid_id.id}",
            f"/my/missions/{mission.id}",
            f"/my/reports/{report.id}",
            f"/my/orders/{mission.sale_order_id.id}",
            f"/my/purchase/{mission.purchase_order_id.id}",
            f"/my/invoices/{cls.invoice.id}",
            f"/my/compliance/{cls.documents[:1].id}",
        ]
        # every name of company A a page could leak: companies, members, records
        members = (cls.client_a | cls.provider_a).child_ids.filtered(lambda p: not p.is_company)
        names = [cls.client_a.name, cls.provider_a.name, *members.mapped("name")]
        names += [mission.name, mission.tender_id.name, cls.draft_tender.name, report.display_name]
        names += [mission.sale_order_id.name, mission.purchase_order_id.name, *report.invoice_ids.mapped("name")]
        names += cls.documents.mapped("file_name")
        cls.forbidden = sorted({name for name in names if name and len(name) > 3})

    def test_fixture(self):
        self.assertTrue(self.documents and self.invoice and self.report.invoice_ids)
        self.assertIn("Client A", self.forbidden)
        self.assertIn("Provider A", self.forbidden)

    @mute_logger("odoo.http")
    def test_isolation_tour(self):
        # the names go to the tour in a cookie (a redirect to /my would drop a query string)
        cookies = {"lbc_forbidden": quote(json.dumps(self.forbidden))}
        for url in self.pages:
            with self.subTest(url=url):
                self.start_tour(url, "lbc_erp_client_isolation_tour", login="client_b_member", cookies=cookies)

    @mute_logger("odoo.http", "odoo.tests.common")
    def test_tour_detects_a_leak(self):
        """The control: the same tour fails, naming the leak, on a page that shows company A's names (to its own
        member)."""
        cookies = {"lbc_forbidden": quote(json.dumps(self.forbidden))}
        # assertLogs captures (and keeps out of the run's error count) the browser's error lines of this module
        with self.assertLogs(__name__, level="ERROR") as logs, self.assertRaises(AssertionError):
            self.start_tour(
                f"/my/tenders/{self.draft_tender.id}",
                "lbc_erp_client_isolation_tour",
                login="client_a_buyer",
                cookies=cookies,
            )
        self.assertTrue(
            any(
                "opened for a member of another company" in line
                and "shows company A's names" in line
                and self.draft_tender.name in line
                for line in logs.output
            ),
            logs.output,
        )
