import json
from urllib.parse import quote

from dateutil.relativedelta import relativedelta

from odoo import fields, http
from odoo.addons.lbc_base.tests.common import LbcBaseCommon
from odoo.addons.lbc_erp_client.tests.common import START, LbcErpCommon
from odoo.addons.lbc_tender.tests.common import LbcTenderCommon
from odoo.exceptions import AccessDenied
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

COUNTERS = ["lbc_subscription_count", "lbc_deletion_pending_count"]


def _subscription_terms(env):
    """The current subscription terms (fixtures of other addons may have archived every agreement)."""
    Agreement = env["lbc.agreement"]
    return Agreement._lbc_current("subscription") or Agreement.create(
        {"name": "Portal Subscription Terms", "kind": "subscription", "version": 501, "body": "<p>Terms</p>"}
    )


@tagged("post_install", "-at_install")
class TestPortalLifecycle(HttpCase, LbcBaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.terms = _subscription_terms(cls.env)
        cls.monthly = cls.env.ref("lbc_erp_client.lbc_subscription_plan_pro_monthly")
        cls.yearly = cls.env.ref("lbc_erp_client.lbc_subscription_plan_business_yearly")
        cls.loner = cls._create_member(cls.env["res.partner"], "lifecycle_loner", False)

    # ------------------------------------------------------------------ helpers
    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _post(self, url, data=None, **kwargs):
        return self.url_open(url, data={"csrf_token": http.Request.csrf_token(self), **(data or {})}, **kwargs)

    def _counters(self):
        return self.make_jsonrpc_request("/my/counters", {"counters": COUNTERS})

    def _subscriptions(self, partner):
        return self.env["sale.subscription"].search([("partner_id", "=", partner.id), ("lbc_plan_id", "!=", False)])

    # ------------------------------------------------------------------ pages
    def test_pages_for_the_member(self):
        for user in (self.client_a_admin, self.client_a_buyer, self.loner):
            self._login(user)
            for url in ("/my", "/my/lbc/status", "/my/lbc/privacy", "/my/lbc/account"):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200, f"{url} for {user.login}")
            self.assertEqual(self._counters(), {"lbc_subscription_count": 0, "lbc_deletion_pending_count": 0})
        home = self.url_open("/my").text
        self.assertIn('href="/my/lbc/status"', home)
        self.assertIn('href="/my/lbc/privacy"', home)
        self.assertIn('href="/my/lbc/status"', self.url_open("/my/lbc/account").text)
        status = self.url_open("/my/lbc/status").text
        self.assertIn("Pro (monthly)", status)
        self.assertIn("Business (yearly)", status)
        self.assertIn("Instant tender alerts", status)
        self.assertIn(f"/report/pdf/lbc_base.lbc_agreement_document/{self.terms.id}", status)
        privacy = self.url_open("/my/lbc/privacy").text
        self.assertIn('href="/my/lbc/personal-data"', privacy)
        self.assertIn("36 months", privacy)
        self.assertIn("30 days", privacy)
        self.assertEqual(self.url_open("/my/lbc/personal-data").headers["Content-Type"], "application/zip")
        # a plain member sees that only its company's administrators subscribe
        self._login(self.client_a_buyer)
        self.assertIn("Only an administrator of Client A can subscribe", self.url_open("/my/lbc/status").text)

    def test_subscribe_then_cancel(self):
        # a plain member of the company: the model refuses, its message is shown
        self._login(self.client_a_buyer)
        response = self._post("/my/lbc/status/subscribe", {"plan_id": self.monthly.id, "accept_terms": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Only an administrator of Client A can subscribe for it.", response.text)
        self.assertFalse(self._subscriptions(self.client_a))
        # the administrator: the terms box is required
        self._login(self.client_a_admin)
        response = self._post("/my/lbc/status/subscribe", {"plan_id": self.monthly.id})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._subscriptions(self.client_a))
        response = self._post("/my/lbc/status/subscribe", {"plan_id": "x", "accept_terms": "1"})
        self.assertEqual(response.status_code, 400)
        response = self._post("/my/lbc/status/subscribe", {"plan_id": self.monthly.id, "accept_terms": "1"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/my/lbc/status?success=subscribed"), response.url)
        subscription = self._subscriptions(self.client_a)
        today = fields.Date.today()
        self.assertEqual(len(subscription), 1)
        self.assertEqual(
            (subscription.lbc_plan_id, subscription.lbc_state, subscription.lbc_term_start, subscription.lbc_term_end),
            (self.monthly, "active", today, today + relativedelta(months=1)),
        )
        self.assertEqual(subscription.lbc_user_id, self.client_a_admin)
        self.assertTrue(self.client_a.lbc_has_accepted("subscription"))
        invoice = subscription.invoice_ids
        self.assertEqual(len(invoice), 1, "one invoice for the first term")
        self.assertEqual((invoice.state, invoice.partner_id, invoice.amount_untaxed), ("posted", self.client_a, 49))
        page = response.text
        self.assertIn(f'href="/my/invoices/{invoice.id}"', page)
        self.assertIn("Next renewal", page)
        self.assertIn(f"/my/lbc/status/subscription/{subscription.id}/cancel", page)
        self.assertEqual(self._counters()["lbc_subscription_count"], 1)
        # the invoice link opens for the administrator
        self.assertEqual(self.url_open(f"/my/invoices/{invoice.id}").status_code, 200)
        # a second subscription is refused with the model's message
        response = self._post("/my/lbc/status/subscribe", {"plan_id": self.yearly.id, "accept_terms": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("already has a running subscription", response.text)
        # the plain member sees the company's subscription but cannot cancel it
        self._login(self.client_a_buyer)
        self.assertIn("Pro (monthly)", self.url_open("/my/lbc/status").text)
        self.assertEqual(self._counters()["lbc_subscription_count"], 1)
        response = self._post(f"/my/lbc/status/subscription/{subscription.id}/cancel", {"confirm": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Only the subscriber", response.text)
        self.assertEqual(subscription.lbc_state, "active")
        # the administrator cancels: confirmation required, then no renewal
        self._login(self.client_a_admin)
        response = self._post(f"/my/lbc/status/subscription/{subscription.id}/cancel")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(subscription.lbc_state, "active")
        response = self._post(f"/my/lbc/status/subscription/{subscription.id}/cancel", {"confirm": "1"})
        self.assertTrue(response.url.endswith("/my/lbc/status?success=cancelled"), response.url)
        self.env.invalidate_all()
        self.assertEqual(
            (subscription.lbc_state, subscription.lbc_cancel_date, subscription.lbc_term_end),
            ("cancelled", today, today + relativedelta(months=1)),
        )
        self.assertIn("not renewed", response.text)
        self.assertNotIn(f"/my/lbc/status/subscription/{subscription.id}/cancel", response.text)
        self.assertTrue(self.client_a_buyer.partner_id._lbc_has_feature("tender_alerts"), "the paid term runs")
        # at term: the subscription ends, no new invoice
        self.env["sale.subscription"]._lbc_renew_due(today=subscription.lbc_term_end)
        self.assertEqual(subscription.lbc_state, "expired")
        self.assertEqual(len(subscription.invoice_ids), 1, "a cancelled subscription is not renewed")
        self.assertEqual(self._counters()["lbc_subscription_count"], 0)

    def test_member_without_company_subscribes_for_itself(self):
        self._login(self.loner)
        self._post("/my/lbc/status/subscribe", {"plan_id": self.monthly.id, "accept_terms": "1"})
        subscription = self._subscriptions(self.loner.partner_id)
        self.assertEqual(len(subscription), 1)
        self.assertEqual(len(subscription.invoice_ids), 1)
        self.assertIn(subscription.invoice_ids.name, self.url_open("/my/lbc/status").text)

    @mute_logger("odoo.http")
    def test_other_company_subscription_invisible(self):
        subscription = self.env["sale.subscription"].browse(
            self.monthly.with_user(self.client_a_admin).action_subscribe(accept_terms=True)
        )
        invoice = subscription.invoice_ids
        self._login(self.client_b_admin)
        page = self.url_open("/my/lbc/status").text
        self.assertNotIn("Client A", page)
        self.assertNotIn(invoice.name, page)
        self.assertNotIn(f"/my/lbc/status/subscription/{subscription.id}/cancel", page)
        self.assertEqual(self._counters()["lbc_subscription_count"], 0)
        response = self._post(f"/my/lbc/status/subscription/{subscription.id}/cancel", {"confirm": "1"})
        self.assertTrue(response.url.rstrip("/").endswith("/my"), response.url)
        self.assertEqual(subscription.lbc_state, "active")
        response = self.url_open(f"/my/invoices/{invoice.id}")
        self.assertTrue(response.url.rstrip("/").endswith("/my"), response.url)
        self.assertNotIn(invoice.name, response.text)
        # client B subscribes for itself: client A's running subscription does not block it
        self._post("/my/lbc/status/subscribe", {"plan_id": self.yearly.id, "accept_terms": "1"})
        self.assertEqual(self._subscriptions(self.client_b).lbc_plan_id, self.yearly)
        self.assertEqual(self._subscriptions(self.client_a), subscription)

    # ------------------------------------------------------------------ account status
    def test_deletion_request_withdrawn_from_the_status_page(self):
        partner = self.client_a_buyer.partner_id
        self._login(self.client_a_buyer)
        self._post("/my/lbc/account/delete_request", {"confirm": "1"})
        self.assertTrue(partner.lbc_deletion_requested_date)
        page = self.url_open("/my/lbc/status").text
        self.assertIn("o_lbc_deletion_pending", page)
        self.assertIn("/my/lbc/status/withdraw_deletion", page)
        self.assertEqual(self._counters()["lbc_deletion_pending_count"], 1)
        response = self._post("/my/lbc/status/withdraw_deletion")
        self.assertTrue(response.url.endswith("/my/lbc/status?success=withdrawn"), response.url)
        self.env.invalidate_all()
        self.assertFalse(partner.lbc_deletion_requested_date)
        self.assertEqual(partner.lbc_account_state, "active")
        self.assertNotIn("o_lbc_deletion_pending", response.text)
        self.assertEqual(self._counters()["lbc_deletion_pending_count"], 0)

    def test_privacy_toggle(self):
        partner = self.client_a_buyer.partner_id
        self.assertFalse(partner.lbc_marketing_opt_out)
        self._login(self.client_a_buyer)
        response = self._post("/my/lbc/privacy", {"marketing_opt_out": "1"})
        self.assertTrue(response.url.endswith("/my/lbc/privacy?success=saved"), response.url)
        self.env.invalidate_all()
        self.assertTrue(partner.lbc_marketing_opt_out)
        self.assertRegex(response.text, r'id="lbc_marketing_opt_out"[^>]*checked')
        # another member's preferences are untouched
        self.assertFalse(self.client_a_admin.partner_id.lbc_marketing_opt_out)
        self._post("/my/lbc/privacy", {})
        self.env.invalidate_all()
        self.assertFalse(partner.lbc_marketing_opt_out)
        # CSRF stays on
        with mute_logger("odoo.http"):
            response = self.url_open("/my/lbc/privacy", data={"marketing_opt_out": "1"})
        self.assertEqual(response.status_code, 400)
        self.env.invalidate_all()
        self.assertFalse(partner.lbc_marketing_opt_out)

    @mute_logger("odoo.http", "odoo.addons.base.models.res_users")
    def test_suspended_member_refused(self):
        self._login(self.client_a_buyer)
        self.assertEqual(self.url_open("/my/lbc/status", allow_redirects=False).status_code, 200)
        self.client_a_buyer.partner_id.with_user(self.operator).action_lbc_suspend_member(reason="Spam", notice=False)
        response = self.url_open("/my/lbc/status", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
        with self.assertRaises(AccessDenied):
            self._login(self.client_a_buyer)


@tagged("post_install", "-at_install")
class TestPortalLifecycleMobile(HttpCase, LbcErpCommon):
    """Every member page fits a 375 px wide phone (no horizontal scrolling), for a client, a provider and a
    consultant: the lists and one record of each, with the test fixtures' records only."""

    browser_size = "375x667"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _subscription_terms(cls.env)
        # long names and e-mail addresses, as real ones can be
        cls.provider_a.name = "Conseil Informatique et Ingénierie des Systèmes d'Information du Grand Ouest"
        cls.provider_a_consultant.partner_id.write(
            {
                "name": "Jean-Christophe de La Fontaine-Martineau",
                "email": "jeanchristophe.delafontainemartineau@conseilinformatiquegrandouest.fr",
            }
        )
        plan = cls.env.ref("lbc_erp_client.lbc_subscription_plan_pro_monthly")
        plan.with_user(cls.client_a_admin).action_subscribe(accept_terms=True)
        # March: submitted, approved and validated (its invoices); April: the consultant's draft (editable grid)
        report = LbcErpCommon._report(cls, days=3)
        report.with_user(cls.provider_a_consultant).action_submit()
        report.with_user(cls.provider_approver).action_approve()
        report.with_user(cls.client_a_buyer).action_validate()
        cls.report = report
        cls.draft_report = LbcErpCommon._report(cls, days=2, month=START + relativedelta(months=1))
        # an open tender with a long title and provider A's bid on it
        cls.open_tender = LbcTenderCommon._published_tender(
            cls, name="Senior data engineer for the migration of the invoicing platform to a cloud data warehouse"
        )
        cls.open_bid = LbcTenderCommon._bid(cls, cls.open_tender, cls.provider_a_admin, cls.provider_a_consultant)
        cls.referencing = (
            cls.env["lbc.referencing.list"]
            .with_user(cls.client_a_admin)
            .create({"name": "Preferred providers", "client_id": cls.client_a.id})
        )
        cls.referencing.sudo().provider_ids = cls.provider_a
        # the social network: connections, a conversation, a group, an article
        Profile = cls.env["lbc.profile"]
        users = (cls.client_a_admin, cls.provider_a_admin, cls.provider_a_consultant)
        for user in users:
            Profile._lbc_get_or_create(user.partner_id).write({"headline": f"{user.name}, member of the platform"})
        Connection = cls.env["lbc.connection"]
        for user_a, user_b in (
            (cls.client_a_admin, cls.provider_a_admin),
            (cls.provider_a_consultant, cls.client_a_admin),
        ):
            connection_id = Connection.with_user(user_a).lbc_request_connection(user_b.partner_id.id)
            Connection.browse(connection_id).with_user(user_b).action_accept()
        cls.conversation_id = (
            cls.env["lbc.conversation"]
            .with_user(cls.client_a_admin)
            .lbc_start_conversation(
                [cls.provider_a_admin.partner_id.id, cls.provider_a_consultant.partner_id.id],
                "Hello both, shall we meet about the data platform next week?",
                subject="Data platform",
            )
        )
        cls.group_id = (
            cls.env["lbc.social.group"]
            .with_user(cls.provider_a_consultant)
            .lbc_create_group("Data engineering", "Spark, Python and the cloud", "public")
        )
        article = (
            cls.env["lbc.article"]
            .with_user(cls.provider_a_consultant)
            .create({"name": "Spark on a budget", "body": "<p>Tips</p>"})
        )
        article.action_publish()

    def _pages(self):
        mission = self.mission
        invoices = self.report.invoice_ids
        common = [
            "/my",
            "/my/lbc/account",
            "/my/lbc/status",
            "/my/lbc/privacy",
            "/my/company",
            "/my/company/members",
            "/my/agreements",
            "/my/dashboard",
            "/my/missions",
            f"/my/missions/{mission.id}",
            "/my/reports",
            f"/my/reports/{self.report.id}",
            "/my/profile",
            "/my/network",
            "/my/network/search",
            "/my/conversations",
            f"/my/conversations/{self.conversation_id}",
            "/my/groups",
            f"/my/groups/{self.group_id}",
            "/my/articles",
            "/my/articles/new",
        ]
        # LBC's invoice to the client, the management-fee invoice to the provider
        client_invoice, provider_invoice = (
            invoices.filtered(lambda m, p=partner: m.move_type == "out_invoice" and m.commercial_partner_id == p)
            for partner in (self.client_a, self.provider_a)
        )
        return {
            "client_a_admin": [
                *common,
                "/my/tenders",
                "/my/tenders/new",
                f"/my/tenders/{self.open_tender.id}",
                f"/my/tenders/{mission.tender_id.id}",
                "/my/bids",
                f"/my/bids/{mission.bid_id.id}",
                "/my/referencing",
                f"/my/referencing/{self.referencing.id}",
                "/my/suppliers",
                f"/my/companies/{self.client_a.id}",
                f"/my/companies/{self.provider_a.id}",
                f"/my/agreements/{self.main_contract.id}",
                "/my/invoices",
                f"/my/invoices/{client_invoice[:1].id}",
                "/my/orders",
                f"/my/orders/{mission.sale_order_id.id}",
            ],
            "provider_a_admin": [
                *common,
                "/my/assignments",
                "/my/self-billing",
                "/my/clients",
                "/my/company/skills",
                "/my/tenders/search",
                f"/my/tenders/{self.open_tender.id}",
                "/my/bids",
                f"/my/bids/{self.open_bid.id}",
                "/my/compliance",
                f"/my/compliance/{self.provider_a.lbc_compliance_document_ids[:1].id}",
                f"/my/companies/{self.provider_a.id}",
                f"/my/companies/{self.client_a.id}",
                f"/my/agreements/{self.framework.id}",
                "/my/invoices",
                f"/my/invoices/{provider_invoice[:1].id}",
                "/my/purchase",
                f"/my/purchase/{mission.purchase_order_id.id}",
            ],
            "provider_a_consultant": [
                *common,
                "/my/tenders/search",
                f"/my/tenders/{self.open_tender.id}",
                "/my/bids",
                f"/my/bids/{self.open_bid.id}",
                f"/my/reports/{self.draft_report.id}",
                "/my/compliance",
                f"/my/compliance/{self.provider_a.lbc_compliance_document_ids[:1].id}",
                f"/my/agreements/{self.framework.id}",
                "/my/invoices",
                "/my/purchase",
            ],
        }

    def test_fixture(self):
        invoices = self.report.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        self.assertEqual(invoices.commercial_partner_id, self.client_a | self.provider_a)
        self.assertTrue(self.provider_a.lbc_compliance_document_ids)

    def test_pages_answer(self):
        """Every page of the tour opens for its member (so that the tour checks the page, not a redirect)."""
        for login, urls in self._pages().items():
            self.authenticate(login, login)
            for url in urls:
                with self.subTest(login=login, url=url):
                    response = self.url_open(url)
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(response.url, self.base_url() + url, "no redirect")

    def test_tour_375px(self):
        for login, urls in self._pages().items():
            with self.subTest(login=login):
                cookies = {"lbc_mobile_urls": quote(json.dumps(urls))}
                self.start_tour("/my", "lbc_portal_lifecycle_tour", login=login, cookies=cookies, timeout=600)

    @mute_logger("odoo.http", "odoo.tests.common")
    def test_tour_reports_the_page_too_wide(self):
        """The control: the same tour fails on a page made wider than the screen, and names that page only."""
        self.env["ir.ui.view"].create(
            {
                "name": "Test: a block wider than a phone",
                "type": "qweb",
                "inherit_id": self.env.ref("lbc_portal.portal_lbc_account").id,
                "arch": '<xpath expr="//div[hasclass(\'o_lbc_account\')]/h3" position="after">'
                '<div class="o_test_too_wide" style="width: 900px">wide</div></xpath>',
            }
        )
        cookies = {"lbc_mobile_urls": quote(json.dumps(["/my", "/my/lbc/account", "/my/lbc/privacy"]))}
        # assertLogs captures (and keeps out of the run's error count) the browser's error lines of this module
        with self.assertLogs(__name__, level="ERROR") as logs, self.assertRaises(AssertionError):
            self.start_tour("/my", "lbc_portal_lifecycle_tour", login="provider_a_consultant", cookies=cookies)
        output = "\n".join(logs.output)
        self.assertIn("1 page(s) scroll horizontally at 375px", output)
        self.assertIn("/my/lbc/account: ", output)
        self.assertIn("div.o_test_too_wide", output)
        self.assertNotIn("/my/lbc/privacy: ", output)
