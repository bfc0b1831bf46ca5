"""The portal pages of lbc_erp_client: referencing lists, suppliers, the validation of activity reports into
invoices, the client's dashboard and the referencing lists of the tender form."""

from odoo import fields
from odoo.addons.lbc_erp_client.tests.common import START, LbcErpCommon
from odoo.addons.lbc_tender.tests.common import LbcPortalPageMixin
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestPortalClient(HttpCase, LbcPortalPageMixin, LbcErpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tender = cls.mission.tender_id
        cls.bid = cls.mission.bid_id

    # ------------------------------------------------------------------ helpers
    def _approved_report(self, days):
        report = self._report(days=days)
        report.with_user(self.provider_a_consultant).action_submit()
        report.with_user(self.provider_approver).action_approve()
        return report

    # ------------------------------------------------------------------ pages and isolation
    def test_client_pages(self):
        self._login(self.client_a_buyer)
        report = self._approved_report(days=2)
        pages = {
            "/my/tenders": "/my/referencing",
            f"/my/tenders/{self.tender.id}": self.bid.provider_id.name,
            "/my/tenders/new": "Save and Publish",
            "/my/missions": self.mission.name,
            f"/my/missions/{self.mission.id}": f"/my/orders/{self.mission.sale_order_id.id}",
            "/my/reports": self.mission.name,
            f"/my/reports/{report.id}": "o_lbc_cra_validate",
            "/my/referencing": "Referencing Lists",
            "/my/suppliers": "Provider A",
            "/my/dashboard": "o_lbc_kpi_missions",
        }
        self._assert_pages(pages)

    def test_other_company_sees_nothing(self):
        report = self._report(days=2)
        ref_list = self.env["lbc.referencing.list"].with_user(self.client_a_admin).create({"name": "Secret list A"})
        self._login(self.client_b_admin)
        self._assert_redirected_away(f"/my/missions/{self.mission.id}", self.mission.name)
        self._assert_redirected_away(f"/my/reports/{report.id}", self.mission.name)
        self._assert_redirected_away(f"/my/referencing/{ref_list.id}", "Secret list A")
        for url in ("/my/referencing", "/my/suppliers", "/my/dashboard", "/my/reports?filterby=all"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertNotIn(self.mission.name, response.text, url)
            self.assertNotIn("Secret list A", response.text, url)
        with mute_logger("odoo.http"):
            self._post(f"/my/referencing/{ref_list.id}/add", {"provider_name": "Provider B"})
            self._post(f"/my/reports/{report.id}/validate")
        self.assertFalse(ref_list.provider_ids)
        self.assertEqual(report.state, "draft")

    def test_counters(self):
        self.env["lbc.referencing.list"].with_user(self.client_a_admin).create({"name": "Preferred"})
        counters = ["lbc_referencing_count", "lbc_report_count"]
        self._login(self.client_a_buyer)
        self._approved_report(days=1)
        values = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        self.assertEqual(values["lbc_referencing_count"], 1)
        self.assertEqual(values["lbc_report_count"], 1, "the client has one report to validate")
        self._login(self.provider_a_admin)
        values = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        self.assertEqual(values["lbc_referencing_count"], 0)
        self._login(self.client_b_admin)
        values = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        self.assertEqual(set(values.values()), {0})

    # ------------------------------------------------------------------ referencing lists
    def test_referencing_lists(self):
        self._login(self.client_a_admin)
        response = self._post("/my/referencing/new", {"name": "Preferred"})
        ref_list = self.env["lbc.referencing.list"].search([("name", "=", "Preferred")])
        self.assertEqual(ref_list.client_id, self.client_a)
        self.assertIn("The referencing list was created.", response.text)
        response = self._post(f"/my/referencing/{ref_list.id}/add", {"provider_name": "provider b"})
        self.assertEqual(ref_list.provider_ids, self.provider_b, self._error(response))
        self.assertIn("Provider B", response.text)
        response = self._post(f"/my/referencing/{ref_list.id}/add", {"provider_name": "Provider%"})
        self.assertIn("No validated provider is named exactly", response.text)
        self.assertIn('value="Provider%"', response.text)
        response = self._post(f"/my/referencing/{ref_list.id}/add", {"provider_name": "Client B"})
        self.assertIn("No validated provider is named exactly", response.text)
        response = self._post("/my/referencing/new", {"name": "Preferred"})
        self.assertIn("already has a list with this name", response.text)
        self.assertIn("Provider B", self.url_open("/my/suppliers").text)
        self._post(f"/my/referencing/{ref_list.id}/remove", {"provider_id": str(self.provider_b.id)})
        self.assertFalse(ref_list.provider_ids)
        # a member without the admin or publisher role cannot change the lists
        self._login(self.provider_a_admin)
        self._assert_redirected_away(f"/my/referencing/{ref_list.id}", "Preferred")

    def test_tender_restricted_to_referencing_lists(self):
        """The tender form of lbc_tender, extended: the referencing lists a tender is restricted to."""
        ref_list = self.env["lbc.referencing.list"].with_user(self.client_a_admin).create({"name": "Preferred"})
        ref_list.with_user(self.client_a_admin).action_add_provider("Provider B")
        self._login(self.client_a_buyer)
        response = self.url_open("/my/tenders/new")
        self.assertIn(f'id="reflist_{ref_list.id}"', response.text)
        data = self._tender_form(
            name="Restricted architect", audience="lists", referencing_list_ids=str(ref_list.id), publish="1"
        )
        self._post("/my/tenders/new", data)
        tender = self.env["lbc.tender"].search([("name", "=", "Restricted architect")])
        self.assertEqual((tender.state, tender.audience), ("published", "lists"))
        self.assertEqual(tender.referencing_list_ids, ref_list)
        response = self.url_open(f"/my/tenders/{tender.id}/edit")
        self.assertNotIn("o_lbc_tender_form", response.text, "a published tender is not edited")
        # provider B (on the list) finds it; provider A does not
        self._login(self.provider_b_admin)
        self.assertIn(tender.access_url, self.url_open("/my/tenders/search?search=Restricted").text)
        self._login(self.provider_a_admin)
        self.assertNotIn(tender.access_url, self.url_open("/my/tenders/search?search=Restricted").text)

    # ------------------------------------------------------------------ validation and dashboard
    def test_dashboard_numbers(self):
        report = self._approved_report(days=3)
        report.with_user(self.client_a_buyer).action_validate()
        self._login(self.client_a_buyer)
        response = self.url_open("/my/dashboard?month=2027-03")
        self.assertIn("1950.0", response.text, "spend of March with provider A")
        self.assertIn("Provider A", response.text)
        self._login(self.provider_a_admin)
        response = self.url_open("/my/dashboard?month=2027-03")
        self.assertIn("1950.0", response.text, "revenue of March")
        self.assertIn(self.provider_a_consultant.name, response.text, "days per consultant")

    def test_report_validated_into_invoices(self):
        report = self._approved_report(days=4)
        self._login(self.client_a_buyer)
        response = self._post(f"/my/reports/{report.id}/validate")
        self.assertEqual(report.state, "invoiced", self._error(response))
        self.assertIn("The report is validated", response.text)
        client_invoice = report.invoice_ids.filtered(lambda m: m.lbc_invoice_kind == "client_invoice")
        fee_invoice = report.invoice_ids.filtered(lambda m: m.lbc_invoice_kind == "fee")
        self.assertIn(f"/my/invoices/{client_invoice.id}", response.text)
        self.assertIn(client_invoice.name, self.url_open("/my/invoices").text)
        self._login(self.provider_a_admin)
        invoices_page = self.url_open("/my/invoices").text
        self.assertIn(fee_invoice.name, invoices_page)
        self.assertNotIn(client_invoice.name, invoices_page)
        self.assertEqual(fields.Date.to_date(report.period), START)

    def test_suppliers_show_vigilance_for_this_client(self):
        """Each provider's vigilance as this client's gate sees it: the documents the client requires count."""
        self._login(self.client_a_admin)
        page = self.url_open("/my/suppliers").text
        self.assertIn("o_lbc_supplier_compliance", page)
        self.assertNotIn("Professional liability insurance certificate: missing", page)
        self.client_a.with_user(self.client_a_admin).action_lbc_require_documents(["liability_insurance"])
        page = self.url_open("/my/suppliers").text
        self.assertIn("Professional liability insurance certificate: missing", page)
        self.assertIn("Incomplete", page)
