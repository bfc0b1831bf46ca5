"""A company's page (/my/companies/<id>, res.partner.lbc_read_company_page): a member opens its own company's page;
another company's page is refused on the page (404), over RPC, and the company's record is not readable (the
marketplace's counterparties are tested in lbc_tender)."""

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import LbcBaseCommon, LbcPortalPageMixin


@tagged("post_install", "-at_install")
class TestCompanyPage(HttpCase, LbcPortalPageMixin, LbcBaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._validate(cls.client_a, cls.client_b)
        cls.client_a.lbc_description = "We build bridges\nand tunnels"
        cls.client_b.lbc_description = "Client B's secret plans"

    def _rpc(self, company):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw/res.partner/lbc_read_company_page",
            {"model": "res.partner", "method": "lbc_read_company_page", "args": [company.id], "kwargs": {}},
        )

    def test_own_company(self):
        Partner = self.env["res.partner"].with_user(self.client_a_buyer)
        page = Partner.lbc_read_company_page(self.client_a.id)
        self.assertEqual(page["name"], "Client A")
        self.assertEqual(page["lbc_siren"], self.client_a.company_registry[:9])
        self.assertEqual(page["lbc_state"], "validated")
        self.assertEqual(page["state_label"], "Validated")
        self.assertTrue(page["is_mine"])
        self.assertTrue(self.client_a.with_user(self.client_a_buyer).lbc_page_visible)
        self.assertEqual(Partner.search([("lbc_page_visible", "=", True)]), self.client_a)
        # the page, and the link to it from My company
        self._login(self.client_a_buyer)
        response = self.url_open(f"/my/companies/{self.client_a.id}")
        self.assertEqual(response.status_code, 200)
        for text in ("Client A", self.client_a.company_registry[:9], "We build bridges", "Validated", "Paris"):
            self.assertIn(text, response.text)
        self.assertIn(f"/my/companies/{self.client_a.id}", self.url_open("/my/company").text)
        # over RPC, as the member
        self.assertEqual(self._rpc(self.client_a)["name"], "Client A")

    def test_other_company_refused(self):
        Partner = self.env["res.partner"].with_user(self.client_a_buyer)
        for company in (self.client_b, self.provider_a):
            with self.assertRaises(AccessError):
                Partner.lbc_read_company_page(company.id)
            with self.assertRaises(AccessError):
                company.with_user(self.client_a_buyer).read(["name", "lbc_description"])
            self.assertFalse(company.with_user(self.client_a_buyer).lbc_page_visible)
        # a member's (not a company's) partner, a missing id, garbage: refused alike
        for value in (self.client_a_admin.partner_id.id, 999999999, "1 or 1=1"):
            with self.assertRaises(AccessError):
                Partner.lbc_read_company_page(value)
        self._login(self.client_a_buyer)
        self._assert_redirected_away(f"/my/companies/{self.client_b.id}", "secret plans")
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self._rpc(self.client_b)

    def test_member_without_company(self):
        loner = self._create_member(self.env["res.partner"], "company_page_loner", False)
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(loner).lbc_read_company_page(self.client_a.id)

    def test_operator_sees_every_member_company(self):
        page = self.env["res.partner"].with_user(self.operator).lbc_read_company_page(self.client_b.id)
        self.assertEqual(page["name"], "Client B")
        self.assertFalse(page["is_mine"])
