import re

from odoo.addons.lbc_base.tests.common import LbcBaseCommon, LbcPortalPageMixin
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPortalAccount(HttpCase, LbcPortalPageMixin, LbcBaseCommon):
    """Signup and My account; the company and agreements pages are tested in lbc_base, the vigilance documents
    in lbc_compliance."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Agreement = cls.env["lbc.agreement"]
        Agreement.search([]).write({"active": False})
        cls.terms = Agreement.create({"name": "Tour Terms", "kind": "terms", "version": 401, "body": "<p>Terms</p>"})
        cls.framework = Agreement.create(
            {
                "name": "Tour Framework Contract",
                "kind": "provider_framework",
                "version": 401,
                "body": "<p>Framework body</p>",
            }
        )
        cls.main_contract = Agreement.create(
            {"name": "Tour Main Contract", "kind": "client_main", "version": 401, "body": "<p>Main</p>"}
        )
        cls.provider_b = cls._create_company("Provider B", provider=True)
        cls.provider_b_admin = cls._create_member(cls.provider_b, "provider_b_admin", "company_manager", ["admin"])
        cls.loner = cls._create_member(cls.env["res.partner"], "loner", False)
        cls.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        cls.env["website"].search([]).write({"auth_signup_uninvited": "b2c"})

    # ------------------------------------------------------------------ pages and access
    def test_pages_for_the_member(self):
        self._login(self.provider_a_admin)
        for url in ("/my", "/my/lbc/account"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
        self.assertIn('href="/my/lbc/account"', self.url_open("/my").text)
        # anonymous visitors are sent to the login page
        self.authenticate(None, None)
        self.assertIn("/web/login", self.url_open("/my/lbc/account").url)

    # ------------------------------------------------------------------ signup
    def test_signup_refuses_freemail(self):
        self.authenticate(None, None)
        data = {
            "name": "Free Mail",
            "login": "someone@gmail.com",
            "password": "Pass-word-2026",
            "confirm_password": "Pass-word-2026",
            "lbc_accept_terms": "1",
        }
        response = self._post("/web/signup", data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("personal e-mail provider", response.text)
        self.assertIn('value="someone@gmail.com"', response.text, "what was typed is kept")
        self.assertFalse(self.env["res.users"].search([("login", "=", "someone@gmail.com")]))
        # without the terms: refused too
        response = self._post("/web/signup", dict(data, login="someone@pro-company.example", lbc_accept_terms=""))
        self.assertIn("accept the terms of use", response.text)
        self.assertFalse(self.env["res.users"].search([("login", "=", "someone@pro-company.example")]))

    def test_signup_logs_the_terms(self):
        self.authenticate(None, None)
        self._post(
            "/web/signup",
            {
                "name": "Pro Member",
                "login": "pro@pro-company.example",
                "password": "Pass-word-2026",
                "confirm_password": "Pass-word-2026",
                "lbc_accept_terms": "1",
            },
        )
        user = self.env["res.users"].search([("login", "=", "pro@pro-company.example")])
        self.assertTrue(user.has_group("base.group_portal"))
        acceptance = self.env["lbc.agreement.acceptance"].search([("user_id", "=", user.id)])
        self.assertEqual(acceptance.agreement_id, self.terms)
        self.assertTrue(user.partner_id.lbc_has_accepted("terms"))

    # ------------------------------------------------------------------ account
    def test_account_profile_and_deletion_request(self):
        self._login(self.provider_a_consultant)
        response = self._post("/my/lbc/account/profile", {"lbc_profile_type": "buyer"})
        self.assertEqual(response.status_code, 400, "a client profile in a provider company is refused")
        self._post("/my/lbc/account/profile", {"lbc_profile_type": "sales_manager"})
        self.assertEqual(self.provider_a_consultant.partner_id.lbc_profile_type, "sales_manager")
        response = self._post("/my/lbc/account/delete_request", {"reason": "Leaving"})
        self.assertEqual(response.status_code, 400, "the confirmation box is required")
        self.assertFalse(self.provider_a_consultant.partner_id.lbc_deletion_requested_date)
        self._post("/my/lbc/account/delete_request", {"reason": "Leaving", "confirm": "1"})
        partner = self.provider_a_consultant.partner_id
        self.assertTrue(partner.lbc_deletion_requested_date, "the lifecycle takes the request (48 hours)")
        self.assertTrue(partner.message_ids.filtered(lambda m: "Leaving" in (m.body or "")))

    # ------------------------------------------------------------------ labour law (lbc_tender's, from My company)

    # ------------------------------------------------------------------ the browser journey
    def test_account_tour(self):
        self.start_tour("/web/signup?redirect=/my/company", "lbc_portal_signup_tour", login=None)
        user = self.env["res.users"].search([("login", "=", "tina@tour-provider.example")])
        self.assertTrue(user)
        self.assertEqual(user.partner_id.lbc_account_state, "pending", "the account awaits its activation link")
        mail = self.env["mail.mail"].search([("email_to", "ilike", user.login)], order="id desc", limit=1)
        token = re.search(r"/web/activate\?token=([A-Za-z0-9_\-]+)", mail.body_html).group(1)
        self.start_tour(f"/web/activate?token={token}", "lbc_portal_account_tour", login=None)
        self.assertEqual(user.partner_id.lbc_account_state, "active")
        self.assertTrue(user.partner_id.lbc_has_accepted("terms"))
