import io
import json
import re
import zipfile

from odoo.tests import HttpCase, new_test_user, tagged

from .common import english_website


@tagged("post_install", "-at_install")
class TestLifecycleHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        english_website(cls.env)
        cls.member_user = new_test_user(
            cls.env, "lbc_http_member", groups="base.group_portal", name="Http Member", email="http.member@example.com"
        )
        cls.other_user = new_test_user(
            cls.env, "lbc_http_other", groups="base.group_portal", name="Http Other", email="http.other@example.com"
        )
        cls.operator = new_test_user(cls.env, "lbc_http_operator", groups="lbc_base.group_operator")

    def test_security_txt(self):
        response = self.url_open("/.well-known/security.txt")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("text/plain"))
        self.assertIn("Contact: mailto:security@lbc.example", response.text)
        self.assertIn("Expires: ", response.text)

    def test_personal_data_download(self):
        self.authenticate("lbc_http_member", "lbc_http_member")
        response = self.url_open("/my/lbc/personal-data")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/zip")
        data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))
        self.assertEqual(data["profile"]["email"], "http.member@example.com")
        self.assertNotIn("http.other@example.com", json.dumps(data))
        # another member's data: not found for a member
        response = self.url_open(f"/my/lbc/personal-data?partner_id={self.other_user.partner_id.id}")
        self.assertEqual(response.status_code, 404)
        # the heirs-by-court-decision flag blocks any export
        self.member_user.partner_id.with_user(self.operator).action_lbc_record_death()
        self.authenticate("lbc_http_operator", "lbc_http_operator")
        response = self.url_open(f"/my/lbc/personal-data?partner_id={self.member_user.partner_id.id}")
        self.assertEqual(response.status_code, 403)
        response = self.url_open(f"/my/lbc/personal-data?partner_id={self.other_user.partner_id.id}")
        self.assertEqual(response.status_code, 200, "LBC exports a member's data on its request")

    def test_suspended_member_refused_in_portal(self):
        self.authenticate("lbc_http_member", "lbc_http_member")
        response = self.url_open("/my", allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.member_user.partner_id.with_user(self.operator).action_lbc_suspend_member(reason="Spam", notice=False)
        response = self.url_open("/my", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
        response = self.url_open("/my/lbc/personal-data", allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)

    def test_vulnerability_report_form(self):
        page = self.url_open("/security/report")
        self.assertEqual(page.status_code, 200)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            "/security/report",
            data={"csrf_token": token, "subject": "Open redirect", "description": "On /web/login?redirect=..."},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        report = self.env["lbc.security.report"].search([("name", "=", "Open redirect")])
        self.assertEqual(len(report), 1)
        # CSRF is on: a post without the token is refused
        response = self.url_open("/security/report", data={"subject": "No token", "description": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.env["lbc.security.report"].search([("name", "=", "No token")]))

    def test_unsubscribe_link(self):
        """The unsubscribe link of a digest, without signing in: a GET only asks (mail scanners follow links),
        the confirmation sets the objection; a link altered or for someone else does nothing."""
        partner = self.member_user.partner_id
        path = partner._lbc_unsubscribe_url().split("/", 3)[-1]
        response = self.url_open(f"/{path}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_lbc_unsubscribe", response.text)
        self.assertFalse(partner.lbc_marketing_opt_out, "a GET changes nothing")
        token = re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)
        other_path = f"lbc/unsubscribe/{self.other_user.partner_id.id}/{path.rsplit('/', 1)[-1]}"
        response = self.url_open(f"/{other_path}", data={"csrf_token": token})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.other_user.partner_id.lbc_marketing_opt_out)
        response = self.url_open(f"/{path}", data={"csrf_token": token})
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_lbc_unsubscribed", response.text)
        self.assertTrue(partner.lbc_marketing_opt_out)
