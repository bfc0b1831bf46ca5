"""The company page between the parties of the marketplace (lbc_tender's part of lbc_base's /my/companies/<id>):
a client opens the page of a provider that bid on its tender once the bids are open (never a sealed bid before the
deadline) or that works on its mission; a provider opens the page of a client whose tender it can see, bid on or
works for; nobody else, on the page, over RPC and through the records themselves. The mission's page shows the
provider LBC's fee terms, and LBC's purchase order prints them."""

import io
from unittest.mock import patch

import pypdf

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import LbcPortalPageMixin, LbcTenderCommon


@tagged("post_install", "-at_install")
class TestCompanyPage(HttpCase, LbcPortalPageMixin, LbcTenderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider_a.lbc_description = "Provider A: Odoo experts since 2010"
        cls.provider_b.lbc_description = "Provider B: sealed newcomers"
        cls.client_a.lbc_description = "Client A builds bridges"
        cls.client_b.lbc_description = "Client B keeps to itself"
        # client A's tender won by provider A, contracted into a mission
        cls.tender = LbcTenderCommon._published_tender(cls, name="Contracted tender")
        cls.bid = LbcTenderCommon._bid(cls, cls.tender, cls.provider_a_admin, consultant=cls.provider_a_consultant)
        LbcTenderCommon._pass_deadline(cls, cls.tender)
        cls.bid.with_user(cls.client_a_buyer).action_select()
        LbcTenderCommon._make_compliant(cls, cls.provider_a)
        LbcTenderCommon._verify_signatory(cls, cls.provider_a)
        cls.bid.with_user(cls.operator).action_approve()
        cls.mission = cls.bid.with_user(cls.operator).action_contract().sudo()

    def setUp(self):
        super().setUp()
        # client A's sealed tender, provider B's bid on it (deadline not past)
        self.sealed_tender = self._published_tender(name="Sealed tender", sealed=True)
        self.sealed_bid = self._bid(self.sealed_tender, self.provider_b_admin)

    # ------------------------------------------------------------------ helpers
    def _page(self, user, company):
        return self.env["res.partner"].with_user(user).lbc_read_company_page(company.id)

    def _assert_visible(self, user, company, text):
        page = self._page(user, company)
        self.assertEqual(page["name"], company.name)
        self.assertEqual(company.with_user(user).read(["name"])[0]["name"], company.name)
        self._login(user)
        response = self.url_open(f"/my/companies/{company.id}")
        self.assertEqual(response.status_code, 200, f"{user.login} -> {company.name}")
        self.assertIn(text, response.text)
        self.assertEqual(self._rpc(company)["name"], company.name)
        return response

    def _assert_refused(self, user, company, secret):
        tag = f"{user.login} -> {company.name}"
        with self.assertRaises(AccessError, msg=tag):
            self._page(user, company)
        with self.assertRaises(AccessError, msg=tag):
            company.with_user(user).read(["name", "lbc_description"])
        Partner = self.env["res.partner"].with_user(user)
        self.assertFalse(Partner.search([("id", "=", company.id)]), tag)
        self.assertFalse(Partner.search([("id", "=", company.id), ("lbc_page_visible", "=", True)]), tag)
        self._login(user)
        self._assert_redirected_away(f"/my/companies/{company.id}", secret)
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException, msg=tag):
            self._rpc(company)

    def _rpc(self, company):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw/res.partner/lbc_read_company_page",
            {"model": "res.partner", "method": "lbc_read_company_page", "args": [company.id], "kwargs": {}},
        )

    # ------------------------------------------------------------------ access
    def test_own_company(self):
        response = self._assert_visible(self.provider_a_consultant, self.provider_a, "Odoo experts since 2010")
        self.assertIn("Compliant", response.text, "the vigilance status of a provider")
        self.assertIn("Manage my company", response.text)

    def test_sealed_bid_before_and_after_the_deadline(self):
        # before the deadline the client does not know who bid: provider B's page stays closed to it
        for user in (self.client_a_buyer, self.client_a_admin):
            self._assert_refused(user, self.provider_b, "sealed newcomers")
        # the bidder sees the client of the tender it bid on
        self._assert_visible(self.provider_b_admin, self.client_a, "Client A builds bridges")
        # after the deadline the bid is open: the client opens the bidder's page, from the bid's page too
        self._pass_deadline(self.sealed_tender)
        response = self._assert_visible(self.client_a_buyer, self.provider_b, "sealed newcomers")
        self.assertIn(self.sealed_bid.access_url, response.text, "the bids between the two companies")
        bid_page = self.url_open(self.sealed_bid.access_url)
        self.assertIn(f'href="/my/companies/{self.provider_b.id}"', bid_page.text)
        tender_page = self.url_open(self.sealed_tender.access_url)
        self.assertIn(f'href="/my/companies/{self.provider_b.id}"', tender_page.text)

    def test_withdrawn_bid_opens_nothing(self):
        self.sealed_bid.with_user(self.provider_b_admin).action_withdraw()
        self._pass_deadline(self.sealed_tender)
        self._assert_refused(self.client_a_buyer, self.provider_b, "sealed newcomers")

    def test_mission_parties(self):
        response = self._assert_visible(self.client_a_buyer, self.provider_a, "Odoo experts since 2010")
        self.assertIn(self.mission.access_url, response.text, "the missions between the two companies")
        self.assertIn("Compliant", response.text)
        response = self._assert_visible(self.provider_a_consultant, self.client_a, "Client A builds bridges")
        self.assertIn(self.mission.access_url, response.text)
        mission_page = self.url_open(self.mission.access_url).text
        self.assertIn(f'href="/my/companies/{self.client_a.id}"', mission_page)
        self.assertIn(f'href="/my/companies/{self.provider_a.id}"', mission_page)

    def test_provider_sees_the_clients_of_the_tenders_it_sees(self):
        # provider B has not bid on the contracted tender: client A's published sealed tender is enough
        self.sealed_bid.with_user(self.provider_b_admin).action_withdraw()
        self._assert_visible(self.provider_b_admin, self.client_a, "Client A builds bridges")
        tender_page = self.url_open(self.sealed_tender.access_url)
        self.assertIn(f'href="/my/companies/{self.client_a.id}"', tender_page.text)
        # a provider without access to the marketplace (framework contract not accepted) sees no client
        provider_c = self._create_company("Provider C", provider=True)
        provider_c_admin = self._create_member(provider_c, "provider_c_admin", "company_manager", ["admin"])
        self._validate(provider_c)
        self._assert_refused(provider_c_admin, self.client_a, "builds bridges")

    def test_unrelated_companies_refused(self):
        # client B has no tender, bid nor mission with anybody
        for user in (self.provider_a_admin, self.provider_a_consultant, self.provider_b_admin):
            self._assert_refused(user, self.client_b, "keeps to itself")
        for provider in (self.provider_a, self.provider_b):
            self._assert_refused(self.client_b_admin, provider, "Provider")
        # a client never sees another client, a provider another provider
        self._assert_refused(self.client_a_buyer, self.client_b, "keeps to itself")
        self._assert_refused(self.provider_a_admin, self.provider_b, "sealed newcomers")

    def test_tour_client_opens_provider_page(self):
        self._pass_deadline(self.sealed_tender)
        self.start_tour(self.mission.access_url, "lbc_tender_company_page_tour", login="client_a_buyer")

    # ------------------------------------------------------------------ fee terms
    def test_fee_terms_on_the_mission_page(self):
        self.assertEqual((self.mission.fee_mode, self.mission.fee_value), ("percent", 5.0))
        self._login(self.provider_a_admin)
        page = self.url_open(self.mission.access_url).text
        self.assertIn("o_lbc_mission_fee_terms", page)
        self.assertIn("5.00", page)
        self.assertIn("of the invoiced amount", page)
        # the client does not see the provider's fee terms
        self._login(self.client_a_buyer)
        self.assertNotIn("o_lbc_mission_fee_terms", self.url_open(self.mission.access_url).text)

    def test_fee_terms_on_the_purchase_order(self):
        order = self.mission.purchase_order_id
        self.assertTrue(order)
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html("purchase.action_report_purchase_order", order.ids)[0].decode()
        self.assertIn("LBC management fee:", html)
        self.assertIn("5.00", html)
        self.assertIn("of the invoiced amount", html)
        # a fee per day, in the provider's language (French)
        self.mission.write({"fee_mode": "per_day", "fee_value": 12.5})
        self.provider_a.lang = "fr_FR"
        html = Report._render_qweb_html("purchase.action_report_purchase_order", order.ids)[0].decode()
        self.assertIn("Frais de gestion LBC", html)
        self.assertIn("12,50", html)
        self.assertIn("par jour facturé", html)
        # the real PDF: wkhtmltopdf prints the page that carries them (this wkhtmltopdf draws the text as
        # outlines, so the page given to it is checked, and the PDF it returns)
        printed = []
        run = type(Report)._run_wkhtmltopdf

        def spy(report, bodies, *args, **kwargs):
            printed.extend(str(body) for body in bodies)
            return run(report, bodies, *args, **kwargs)

        with patch.object(type(Report), "_run_wkhtmltopdf", autospec=True, side_effect=spy):
            pdf, kind = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
                "purchase.action_report_purchase_order", order.ids
            )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(len(pypdf.PdfReader(io.BytesIO(pdf)).pages), 1)
        self.assertEqual(len(printed), 1)
        self.assertIn("Frais de gestion LBC", printed[0])
        self.assertIn("12,50", printed[0])
