import re

from odoo import http
from odoo.addons.lbc_base.tests.common import english_website
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

PASSWORD = "Pass-word-2026"


@tagged("post_install", "-at_install")
class TestEmailChange(HttpCase):
    """A member changes its address: the new one is confirmed by a link sent to it before it takes effect."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        english_website(cls.env)
        cls.member = new_test_user(
            cls.env, "mover@old-company.example", password=PASSWORD, groups="base.group_portal", name="Mover"
        )
        cls.member.email = "mover@old-company.example"
        cls.other = new_test_user(cls.env, "other@new-company.example", groups="base.group_portal", name="Other")

    def _post(self, url, data=None):
        return self.url_open(url, data=dict(data or {}, csrf_token=http.Request.csrf_token(self)))

    def _confirmation_token(self, new_email):
        mail = self.env["mail.mail"].search([("email_to", "=", new_email)], order="id desc", limit=1)
        self.assertTrue(mail, "the confirmation link is sent to the new address")
        match = re.search(r"/my/lbc/account/email/confirm\?token=([A-Za-z0-9_\-]+)", mail.body_html)
        self.assertTrue(match)
        return match.group(1)

    def test_change_confirmed_by_the_new_address(self):
        self.authenticate(self.member.login, PASSWORD)
        response = self._post("/my/lbc/account/email", {"new_email": "Mover@New-Company.example"})
        self.assertIn("success=email_sent", response.url)
        self.assertEqual(self.member.login, "mover@old-company.example", "nothing changes before the link")
        token = self._confirmation_token("mover@new-company.example")
        # a direct write is still refused to the member
        with self.assertRaises(UserError):
            self.member.with_user(self.member).write({"email": "mover@new-company.example"})
        response = self.url_open(f"/my/lbc/account/email/confirm?token={token}")
        self.assertIn("success=email_changed", response.url, "the member stays signed in")
        self.assertEqual(self.member.login, "mover@new-company.example")
        self.assertEqual(self.member.email, "mover@new-company.example")
        # the link works once
        response = self.url_open(f"/my/lbc/account/email/confirm?token={token}")
        self.assertEqual(response.status_code, 400)
        self.assertIn("already used", response.text)
        self.assertEqual(
            self.xmlrpc_common.authenticate(self.env.cr.dbname, self.member.login, PASSWORD, {}), self.member.id
        )

    def test_refusals(self):
        Users = self.env["res.users"]
        member = self.member.with_user(self.member)
        with self.assertRaisesRegex(UserError, "personal e-mail provider"):
            member.action_lbc_request_email_change("mover@gmail.com")
        with self.assertRaisesRegex(UserError, "disposable"):
            member.action_lbc_request_email_change("mover@mailinator.com")
        with self.assertRaisesRegex(UserError, "another account"):
            member.action_lbc_request_email_change("other@new-company.example")
        with self.assertRaises(AccessError):
            self.other.with_user(self.member).action_lbc_request_email_change("x@new-company.example")
        # a link for another member, a tampered or expired one: refused
        member.action_lbc_request_email_change("mover2@new-company.example")
        token = self._confirmation_token("mover2@new-company.example")
        with self.assertRaisesRegex(UserError, "less than 5 minutes ago"):
            member.action_lbc_request_email_change("mover3@new-company.example")
        with self.assertRaisesRegex(UserError, "another account"):
            Users.browse(self.other.id).with_user(self.other)._lbc_confirm_email_change(token)
        with self.assertRaisesRegex(UserError, "not valid"):
            member._lbc_confirm_email_change(token[:-3] + "abc")
        self.assertEqual(self.member.login, "mover@old-company.example")
        self.authenticate(self.member.login, PASSWORD)
        response = self._post("/my/lbc/account/email", {"new_email": "mover@yahoo.fr"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("personal e-mail provider", response.text)

    def test_portal_address_form_does_not_change_the_address(self):
        """Odoo's /my/account form writes the partner in sudo: the e-mail is refused there."""
        self.authenticate(self.member.login, PASSWORD)
        partner = self.member.partner_id
        response = self._post(
            "/my/address/submit",
            {
                "partner_id": str(partner.id),
                "name": "Mover",
                "email": "mover@elsewhere.example",
                "street": "1 rue X",
                "city": "Paris",
                "zip": "75001",
                "country_id": str(self.env.ref("base.fr").id),
                "address_type": "billing",
                "use_delivery_as_billing": "true",
            },
        )
        self.assertIn("My LBC account", response.text)
        self.assertEqual(partner.email, "mover@old-company.example")
