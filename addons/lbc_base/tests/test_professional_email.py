from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestProfessionalEmail(TransactionCase):
    """The professional e-mail rule of res.users: maintained lists, LBC's own domains, every signup path."""

    def test_professional_addresses_pass(self):
        Users = self.env["res.users"]
        self.assertEqual(Users._lbc_check_professional_email(" Jane.Doe@Nexa-Conseil.fr "), "jane.doe@nexa-conseil.fr")
        self.assertEqual(Users._lbc_check_professional_email("a@sub.acme-corp.example"), "a@sub.acme-corp.example")

    def test_free_mail_refused(self):
        Users = self.env["res.users"]
        for email in ("someone@gmail.com", "x@orange.fr", "x@wanadoo.fr", "x@proton.me", "X@Hotmail.FR"):
            with self.assertRaisesRegex(UserError, "personal e-mail provider"):
                Users._lbc_check_professional_email(email)

    def test_disposable_refused(self):
        Users = self.env["res.users"]
        for email in ("someone@mailinator.com", "x@yopmail.com", "x@0-mail.com"):
            with self.assertRaisesRegex(UserError, "disposable e-mail address service"):
                Users._lbc_check_professional_email(email)

    def test_invalid_refused(self):
        Users = self.env["res.users"]
        for email in ("", None, "no-at-sign", "a@"):
            with self.assertRaisesRegex(UserError, "not a valid e-mail address"):
                Users._lbc_check_professional_email(email)

    def test_lbc_adds_domains_in_settings(self):
        Users = self.env["res.users"]
        Users._lbc_check_professional_email("x@perso-mail.fr")
        settings = self.env["res.config.settings"].create(
            {"lbc_blocked_email_domains": "Perso-Mail.fr; @other.example"}
        )
        settings.execute()
        with self.assertRaisesRegex(UserError, "personal e-mail provider"):
            Users._lbc_check_professional_email("x@perso-mail.fr")
        with self.assertRaisesRegex(UserError, "personal e-mail provider"):
            Users._lbc_check_professional_email("x@mail.other.example")
        Users._lbc_check_professional_email("x@nexa-conseil.fr")

    def test_signup_paths_refuse_free_mail(self):
        """Odoo's signup (form, invitation link, OAuth) creates its accounts through `_signup_create_user`."""
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        Users = self.env["res.users"].sudo()
        with self.assertRaisesRegex(UserError, "personal e-mail provider"):
            Users.signup({"name": "Free", "login": "free.member@gmail.com", "password": "Pass-word-2026"})
        self.assertFalse(Users.search([("login", "=", "free.member@gmail.com")]))
        # an invitation of a partner under a disposable address: the account is not created either
        partner = self.env["res.partner"].create({"name": "Invited", "email": "invited@yopmail.com"})
        partner.sudo().signup_prepare()
        token = partner.sudo()._generate_signup_token()
        with self.assertRaisesRegex(UserError, "disposable"):
            Users.signup({"login": "invited@yopmail.com", "password": "Pass-word-2026"}, token)
        self.assertFalse(partner.user_ids)
        login, _password = Users.signup({"name": "Pro", "login": "Pro.Member@nexa-conseil.fr", "password": "x" * 12})
        self.assertEqual(login, "pro.member@nexa-conseil.fr")
        self.assertTrue(Users.search([("login", "=", "pro.member@nexa-conseil.fr")]))
