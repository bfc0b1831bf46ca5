import re
from datetime import timedelta
from unittest.mock import patch

from odoo import fields, http
from odoo.addons.lbc_base.tests.common import english_website
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

PASSWORD = "Pass-word-2026"


@tagged("post_install", "-at_install")
class TestSignupActivation(HttpCase):
    """The whole signup as a visitor: form, activation e-mail, link, sign-in and RPC before / after."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        english_website(cls.env)
        cls.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        cls.env["ir.config_parameter"].sudo().set_param("auth_signup.reset_password", "True")
        cls.env["website"].search([]).write({"auth_signup_uninvited": "b2c"})
        cls.terms = cls.env["lbc.agreement"]._lbc_current("terms")

    def _post(self, url, data=None):
        return self.url_open(url, data=dict(data or {}, csrf_token=http.Request.csrf_token(self)))

    def _signup(self, login, name="Pro Member", **extra):
        self.authenticate(None, None)
        data = {
            "name": name,
            "login": login,
            "password": PASSWORD,
            "confirm_password": PASSWORD,
            "lbc_accept_terms": "1",
            **extra,
        }
        return self._post("/web/signup", data)

    def _user(self, login):
        return self.env["res.users"].search([("login", "=", login)])

    def _activation_mails(self, user):
        return self.env["mail.mail"].search([("email_to", "ilike", user.email)], order="id")

    def _token(self, mail):
        match = re.search(r"/web/activate\?token=([A-Za-z0-9_\-]+)", mail.body_html)
        self.assertTrue(match, "the activation e-mail carries the link")
        return match.group(1)

    def _web_login(self, login, password=PASSWORD):
        self.authenticate(None, None)
        return self._post("/web/login", {"login": login, "password": password, "redirect": "/my"})

    def _rpc_uid(self, login, password=PASSWORD):
        return self.xmlrpc_common.authenticate(self.env.cr.dbname, login, password, {})

    @mute_logger("odoo.addons.base.models.res_users", "odoo.addons.lbc_base.models.res_users")
    def test_signup_activation_link_then_sign_in(self):
        response = self._signup("jane.doe@nexa-conseil.example")
        self.assertEqual(response.status_code, 200)
        self.assertIn("/web/activate/sent", response.url)
        self.assertIn("We sent an activation link to", response.text)
        self.assertIn("jane.doe@nexa-conseil.example", response.text)
        user = self._user("jane.doe@nexa-conseil.example")
        self.assertTrue(user, "the account is created")
        self.assertEqual(user.partner_id.lbc_account_state, "pending", "... but not opened")
        if self.terms:
            self.assertTrue(user.partner_id.lbc_has_accepted("terms"), "the terms accepted on the form are logged")
        mails = self._activation_mails(user)
        self.assertEqual(len(mails), 1, "one activation e-mail")
        self.assertIn("Activate your LBC account", mails.subject)
        token = self._token(mails)

        # before the link: no web sign-in, no RPC
        response = self._web_login(user.login)
        self.assertIn("not activated yet", response.text)
        self.assertNotIn("/my", response.url.replace("redirect=%2Fmy", ""))
        self.assertFalse(self._rpc_uid(user.login))
        # a wrong password does not say the account exists
        self.assertNotIn("not activated yet", self._web_login(user.login, "Wrong-pass-2026").text)

        # the link: the page asks to confirm, the POST activates
        self.authenticate(None, None)
        response = self.url_open(f"/web/activate?token={token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Activate my account", response.text)
        self.assertEqual(user.partner_id.lbc_account_state, "pending", "a GET (a mail scanner) activates nothing")
        response = self._post("/web/activate", {"token": token})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your account is activated", response.text)
        user.partner_id.invalidate_recordset()
        self.assertEqual(user.partner_id.lbc_account_state, "active")

        # after: web sign-in and RPC work
        self.assertEqual(self._rpc_uid(user.login), user.id)
        response = self._web_login(user.login)
        self.assertNotIn("not activated yet", response.text)
        self.assertIn("/my", response.url)

        # the link again: already used
        self.authenticate(None, None)
        response = self._post("/web/activate", {"token": token})
        self.assertIn("already used", response.text)
        self.assertEqual(self.url_open(f"/web/activate?token={token}").status_code, 200)

    def test_tampered_and_expired_links(self):
        self._signup("tom.lee@nexa-conseil.example", name="Tom Lee")
        user = self._user("tom.lee@nexa-conseil.example")
        token = self._token(self._activation_mails(user))
        self.authenticate(None, None)
        for forged in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "garbage", "", "A" * 5000):
            response = self._post("/web/activate", {"token": forged})
            self.assertEqual(response.status_code, 400, forged[:20])
            self.assertIn("is not valid", response.text)
        self.assertEqual(user.partner_id.lbc_account_state, "pending")
        # a link past its validity
        partner = user.partner_id.sudo()
        expired = partner._generate_signup_token(expiration=-1)
        response = self._post("/web/activate", {"token": expired})
        self.assertEqual(response.status_code, 400)
        self.assertIn("has expired", response.text)
        self.assertEqual(user.partner_id.lbc_account_state, "pending")
        # a password-reset link is not an activation link, and an activation token does not sign anybody up
        partner.signup_prepare(signup_type="reset")
        reset = partner._generate_signup_token()
        status, _user = self.env["res.users"]._lbc_activation_token_status(reset)
        self.assertEqual(status, "invalid")

    def test_resend_rate_limit_and_no_disclosure(self):
        self._signup("ann.roe@nexa-conseil.example", name="Ann Roe")
        user = self._user("ann.roe@nexa-conseil.example")
        self.assertEqual(len(self._activation_mails(user)), 1)
        self.authenticate(None, None)
        response = self._post("/web/activate/resend", {"login": user.login})
        self.assertEqual(response.status_code, 429, "a new e-mail only a few minutes after the previous one")
        self.assertIn("less than 5 minutes ago", response.text)
        self.assertEqual(len(self._activation_mails(user)), 1)
        user.partner_id.sudo()._lbc_workflow_write(
            {"lbc_activation_sent_date": fields.Datetime.now() - timedelta(minutes=6)}
        )
        response = self._post("/web/activate/resend", {"login": user.login})
        self.assertEqual(response.status_code, 200)
        self.assertIn("a new activation link is on its way", response.text)
        mails = self._activation_mails(user)
        self.assertEqual(len(mails), 2)
        # the new link works (the old one too, until one of them is followed)
        self.assertEqual(self.env["res.users"]._lbc_activation_token_status(self._token(mails[-1]))[0], "valid")
        # an unknown or active address gets the same answer, and no e-mail
        count = self.env["mail.mail"].search_count([])
        for login in ("nobody@nexa-conseil.example", "admin"):
            response = self._post("/web/activate/resend", {"login": login})
            self.assertEqual(response.status_code, 200)
            self.assertIn("a new activation link is on its way", response.text)
        self.assertEqual(self.env["mail.mail"].search_count([]), count)

    @mute_logger("odoo.addons.base.models.res_users")
    def test_lost_password_activates_with_the_new_password(self):
        self._signup("lost.key@nexa-conseil.example", name="Lost Key")
        user = self._user("lost.key@nexa-conseil.example")
        self.authenticate(None, None)
        self._post("/web/reset_password", {"login": user.login})
        partner = user.partner_id.sudo()
        self.assertEqual(partner.signup_type, "reset", "the reset link is sent")
        token = partner._generate_signup_token()
        new_password = "New-pass-word-2026"
        response = self._post(
            "/web/reset_password", {"token": token, "password": new_password, "confirm_password": new_password}
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("accept the terms", response.text, "a password reset asks for no new acceptance")
        partner.invalidate_recordset()
        self.assertEqual(partner.lbc_account_state, "active", "the reset link proved the address")
        self.assertEqual(self._rpc_uid(user.login, new_password), user.id)

    def test_free_mail_and_disposable_refused(self):
        for login, message in (
            ("someone@gmail.com", "personal e-mail provider"),
            ("someone@yopmail.com", "disposable e-mail address service"),
            ("not-an-address", "not a valid e-mail address"),
        ):
            response = self._signup(login)
            self.assertEqual(response.status_code, 200)
            self.assertIn(message, response.text, login)
            self.assertNotIn("/web/activate/sent", response.url)
            self.assertFalse(self._user(login), login)

    def test_existing_accounts_stay_active(self):
        """Only new signups await activation: accounts made otherwise (back office, data) are active."""
        user = self.env["res.users"].create({"name": "Back Office", "login": "bo@nexa-conseil.example"})
        self.assertEqual(user.partner_id.lbc_account_state, "active")
        self.assertEqual(self.env.ref("base.user_admin").partner_id.lbc_account_state, "active")
        self.assertFalse(self.env["res.partner"].search_count([("lbc_account_state", "=", "pending")]))


@tagged("post_install", "-at_install")
class TestPublicFormsCaptcha(HttpCase):
    """The public forms go through Odoo's `captcha=` route check: refused when the captcha provider says no."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        english_website(cls.env)
        cls.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        cls.env["website"].search([]).write({"auth_signup_uninvited": "b2c"})

    def _post(self, url, data):
        return self.url_open(url, data=dict(data, csrf_token=http.Request.csrf_token(self)))

    def test_captcha_refusal_blocks_the_forms(self):
        IrHttp = self.env.registry["ir.http"]
        signup = {
            "name": "Robot",
            "login": "robot@nexa-conseil.example",
            "password": PASSWORD,
            "confirm_password": PASSWORD,
            "lbc_accept_terms": "1",
        }
        forms = (
            ("/web/signup", signup),
            ("/web/reset_password", {"login": "admin"}),
            ("/web/activate/resend", {"login": "robot@nexa-conseil.example"}),
            ("/security/report", {"subject": "XSS", "description": "x" * 40, "email": "r@nexa-conseil.example"}),
        )
        reports = self.env["lbc.security.report"].sudo().search_count([])
        with (
            patch.object(IrHttp, "_verify_recaptcha_token", lambda self, ip, token, action=False: "wrong_token"),
            mute_logger("odoo.http"),
        ):
            for url, data in forms:
                self.authenticate(None, None)
                response = self._post(url, data)
                self.assertNotEqual(response.status_code, 200, url)
                self.assertIn("reCaptcha token is invalid", response.text, url)
        self.assertFalse(self.env["res.users"].search([("login", "=", "robot@nexa-conseil.example")]))
        self.assertEqual(self.env["lbc.security.report"].sudo().search_count([]), reports)
        # no keys entered (LBC's default): the forms work without a captcha
        self.authenticate(None, None)
        response = self._post("/web/signup", signup)
        self.assertIn("/web/activate/sent", response.url)
