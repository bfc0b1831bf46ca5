from datetime import timedelta

from odoo import fields
from odoo.addons.lbc_base.tests.common import english_website
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPublicTerms(HttpCase):
    """The agreements are readable before signup: current and older versions, PDF, linked from the signup form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        english_website(cls.env)
        cls.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        cls.env["website"].search([]).write({"auth_signup_uninvited": "b2c"})
        Agreement = cls.env["lbc.agreement"]
        today = fields.Date.today()
        cls.old = Agreement.create(
            {
                "name": "Visitor Terms",
                "kind": "terms",
                "version": 8801,
                "date": today - timedelta(days=30),
                "body": "<p>Old text.</p>",
            }
        )
        cls.current = Agreement.create(
            {
                "name": "Visitor Terms",
                "kind": "terms",
                "version": 8802,
                "date": today - timedelta(days=1),
                "body": "<p>Current text.</p>",
            }
        )
        cls.future = Agreement.create(
            {
                "name": "Visitor Terms",
                "kind": "terms",
                "version": 8803,
                "date": today + timedelta(days=30),
                "body": "<p>Future text.</p>",
            }
        )

    def test_visitor_reads_current_and_older_versions(self):
        self.authenticate(None, None)
        response = self.url_open("/legal/terms/terms")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Current text.", response.text)
        self.assertIn("current version", response.text)
        self.assertIn("/legal/terms/terms/v8801", response.text, "older versions are listed")
        self.assertNotIn("/legal/terms/terms/v8803", response.text, "a version not in force yet is not published")
        response = self.url_open("/legal/terms/terms/v8801")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Old text.", response.text)
        self.assertIn("replaced by version 8802", response.text)
        self.assertEqual(self.url_open("/legal/terms/terms/v8803").status_code, 404)
        self.assertEqual(self.url_open("/legal/terms/terms/v8803/pdf").status_code, 404)
        self.assertEqual(self.url_open("/legal/terms/nothing/v1").status_code, 404)
        # archived versions are not published either
        self.old.active = False
        self.assertEqual(self.url_open("/legal/terms/terms/v8801").status_code, 404)

    def test_pdf(self):
        self.authenticate(None, None)
        response = self.url_open("/legal/terms/terms/v8802/pdf", timeout=60)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn("Visitor%20Terms%20-%20v8802.pdf", response.headers["Content-Disposition"])
        # under the test runner Odoo's report engine returns the page it would print (wkhtmltopdf is exercised by
        # lbc_base's TestAgreementPdf): the version asked for, not another one
        self.assertIn(b"Current text.", response.content)
        self.assertNotIn(b"Old text.", response.content)

    def test_signup_form_links_the_public_terms(self):
        self.authenticate(None, None)
        response = self.url_open("/web/signup")
        self.assertEqual(response.status_code, 200)
        self.assertIn('href="/legal/terms/terms"', response.text)
        self.assertIn("version 8802", response.text)
        self.assertIn("of age and able to contract", response.text)
        self.assertIn('href="/legal/terms/provider_framework"', response.text)

    def test_shipped_terms_are_public(self):
        """A fresh platform (no demo) publishes the terms it ships."""
        shipped = self.env.ref("lbc_base.agreement_client_main_v1")
        if self.env["lbc.agreement"]._lbc_current("client_main") == shipped:
            self.authenticate(None, None)
            response = self.url_open("/legal/terms/client_main")
            self.assertEqual(response.status_code, 200)
            self.assertIn("Client Main Contract", response.text)


@tagged("post_install", "-at_install")
class TestNewVersionBanner(HttpCase):
    """A new version in force: the member sees a banner on /my and My account until it accepts it."""

    def test_banner_until_accepted(self):
        english_website(self.env)
        member = new_test_user(self.env, "banner_member", groups="base.group_portal", name="Banner Member")
        Agreement = self.env["lbc.agreement"]
        Agreement.search([("kind", "=", "terms")]).write({"active": False})
        old = Agreement.create(
            {"name": "Banner Terms", "kind": "terms", "version": 8901, "date": "2020-01-01", "body": "<p>v1</p>"}
        )
        old.with_user(member).action_accept()
        self.authenticate(member.login, member.login)
        self.assertNotIn("o_lbc_agreements_banner", self.url_open("/my").text)
        new = Agreement.create({"name": "Banner Terms", "kind": "terms", "version": 8902, "body": "<p>v2</p>"})
        for url in ("/my", "/my/lbc/account"):
            response = self.url_open(url)
            self.assertIn("o_lbc_agreements_banner", response.text, url)
            self.assertIn(f"/my/agreements/{new.id}", response.text, url)
        new.with_user(member).action_accept()
        self.assertNotIn("o_lbc_agreements_banner", self.url_open("/my").text)
