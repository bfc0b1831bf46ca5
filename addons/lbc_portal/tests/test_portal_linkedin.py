import json
import re
from unittest.mock import patch
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit

from odoo import http
from odoo.addons.lbc_base.tests.common import LbcBaseCommon
from odoo.addons.lbc_portal.controllers import portal_account
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

LINKEDIN_USERINFO = "https://api.linkedin.com/v2/userinfo"


@tagged("post_install", "-at_install")
class TestPortalLinkedin(HttpCase, LbcBaseCommon):
    """My account: link or unlink LinkedIn sign-in, through the real routes; LinkedIn's userinfo is patched."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.linkedin = cls.env.ref("lbc_portal.auth_oauth_provider_linkedin")
        cls.linkedin.write({"enabled": True, "client_id": "lbc-test-client"})
        cls.consultant = cls.provider_a_consultant
        # access token -> what LinkedIn's OpenID userinfo endpoint answers for it
        cls.identities = {
            "token-consultant": {
                "sub": "li-consultant",
                "name": "Provider A Consultant",
                "given_name": "Provider",
                "family_name": "Consultant",
                "email": "provider_a_consultant@example.com",
                "email_verified": True,
                "locale": {"country": "FR", "language": "fr"},
            },
            "token-admin": {"sub": "li-admin", "name": "Provider A Admin", "email": "provider_a_admin@example.com"},
        }

    def setUp(self):
        super().setUp()
        self.rpc_calls = []
        self.identities = dict(self.identities)

        def fake_rpc(users, endpoint, access_token):
            self.rpc_calls.append((endpoint, access_token))
            if access_token not in self.identities:
                return {"error": "invalid_token"}
            return dict(self.identities[access_token])

        patcher = patch.object(self.registry["res.users"], "_auth_oauth_rpc", fake_rpc)
        patcher.start()
        self.addCleanup(patcher.stop)

    # ------------------------------------------------------------------ helpers
    def _login(self, user):
        self.authenticate(user.login, user.login)

    @staticmethod
    def _csrf(page):
        """The CSRF token of the page's forms (the session may have changed since `authenticate`)."""
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def _post(self, url, data=None, csrf=None, **kwargs):
        token = csrf or http.Request.csrf_token(self)
        return self.url_open(url, data={"csrf_token": token, **(data or {})}, **kwargs)

    @staticmethod
    def _message(response, kind="error"):
        found = re.search(rf'o_lbc_{kind}"[^>]*>([^<]*)<', response.text)
        return found and found.group(1)

    def _oauth(self, user):
        self.env.invalidate_all()
        self.env.cr.execute("SELECT oauth_access_token FROM res_users WHERE id = %s", [user.id])
        [token] = self.env.cr.fetchone()
        return user.oauth_provider_id, user.oauth_uid, token

    def _start_link(self, csrf=None):
        """Press "Link my LinkedIn account": the state sent to LinkedIn."""
        response = self._post("/my/lbc/account/linkedin/link", csrf=csrf, allow_redirects=False)
        self.assertEqual(response.status_code, 303, response.text[:300])
        location = urlsplit(response.headers["Location"])
        self.assertEqual(
            f"{location.scheme}://{location.netloc}{location.path}", "https://www.linkedin.com/oauth/v2/authorization"
        )
        params = dict(parse_qsl(location.query))
        self.assertEqual(params["client_id"], "lbc-test-client")
        self.assertEqual(params["redirect_uri"], f"{self.base_url()}/auth_oauth/signin")
        self.assertEqual(params["scope"], "openid profile email")
        return params["state"]

    def _linkedin_returns(self, state, access_token):
        """LinkedIn sends the browser back to Odoo's OAuth return route."""
        query = urlencode({"access_token": access_token, "token_type": "Bearer", "expires_in": 3600, "state": state})
        return self.url_open(f"/auth_oauth/signin?{query}")

    def _signin_state(self):
        """The state of Odoo's own "Sign in with LinkedIn" link (auth_oauth's OAuthLogin.get_state)."""
        redirect = quote_plus(f"{self.base_url()}/my/lbc/account")
        return json.dumps({"d": self.env.cr.dbname, "p": self.linkedin.id, "r": redirect})

    def _session_uid(self):
        """Who the browser's session is signed in as (read from the session store, as the server does)."""
        sids = {cookie.value for cookie in self.opener.cookies if cookie.name == "session_id"}
        self.assertEqual(len(sids), 1)
        return http.root.session_store.get(sids.pop()).uid

    def _assert_refused(self, response, code, user):
        self.assertTrue(response.url.endswith(f"/my/lbc/account?error={code}"), response.url)
        self.assertEqual(response.status_code, 400)
        self.assertTrue(self._message(response), "the refusal is explained on My account")
        self.assertNotIn("o_lbc_linkedin_linked", response.text)
        self.assertEqual(self._oauth(user), (self.env["auth.oauth.provider"], False, None), "nothing is linked")

    # ------------------------------------------------------------------ page
    def test_page_when_linkedin_is_off(self):
        self.linkedin.enabled = False
        self._login(self.consultant)
        page = self.url_open("/my/lbc/account").text
        self.assertIn("LinkedIn sign-in is not available.", page)
        self.assertNotIn("/my/lbc/account/linkedin/link", page)
        response = self._post("/my/lbc/account/linkedin/link", allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._message(response), "LinkedIn sign-in is not available.")
        self.assertNotIn("Location", response.headers)

    def test_link_then_sign_in_with_linkedin(self):
        self._login(self.consultant)
        page = self.url_open("/my/lbc/account").text
        self.assertIn("Link my LinkedIn account", page)
        self.assertNotIn("Linked to LinkedIn", page)
        state = self._start_link()
        decoded = json.loads(state)
        self.assertEqual((decoded["d"], decoded["p"]), (self.env.cr.dbname, self.linkedin.id))
        self.assertEqual(decoded["lbc_link"]["u"], self.consultant.id)
        response = self._linkedin_returns(state, "token-consultant")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/my/lbc/account?success=linkedin_linked"), response.url)
        self.assertEqual(
            self._message(response, "success"), "Your LinkedIn account is linked: you can now sign in with LinkedIn."
        )
        self.assertIn("Linked to LinkedIn", response.text)
        self.assertIn("o_lbc_linkedin_unlink", response.text)
        self.assertEqual(self.rpc_calls, [(LINKEDIN_USERINFO, "token-consultant")])
        self.assertEqual(self._oauth(self.consultant), (self.linkedin, "li-consultant", None))
        self.assertTrue(
            self.consultant.partner_id.message_ids.filtered(
                lambda m: "LinkedIn sign-in linked to the account." in m.body
            ),
            "a note on the member",
        )
        # the member still is the one signed in
        self.assertEqual(self._session_uid(), self.consultant.id)
        # later, signed out, "Sign in with LinkedIn" on the login page opens the member's account
        self.logout()
        response = self._linkedin_returns(self._signin_state(), "token-consultant")
        self.assertTrue(response.url.endswith("/my/lbc/account"), response.url)
        self.assertEqual(self._session_uid(), self.consultant.id)
        self.assertIn("Linked to LinkedIn", response.text)
        self.assertEqual(self._oauth(self.consultant), (self.linkedin, "li-consultant", "token-consultant"))

    def test_forged_state_refused(self):
        self._login(self.consultant)
        state = json.loads(self._start_link())
        link = state["lbc_link"]
        forgeries = {
            "another user's id": {**state, "lbc_link": {**link, "u": self.provider_a_admin.id}},
            "no signature": {**state, "lbc_link": {"u": link["u"], "t": link["t"]}},
            "a made-up signature": {**state, "lbc_link": {**link, "s": "0" * 64}},
            "another provider": {**state, "p": self.env.ref("auth_oauth.provider_openerp").id},
            "not a link object": {**state, "lbc_link": "1"},
        }
        for label, forged in forgeries.items():
            with self.subTest(label):
                response = self._linkedin_returns(json.dumps(forged), "token-consultant")
                self._assert_refused(response, "linkedin_forged", self.consultant)
        self.assertEqual(self.rpc_calls, [], "LinkedIn is not even asked")
        # a genuine state of the same member, started in another browser session: refused in this one
        self._login(self.consultant)
        response = self._linkedin_returns(json.dumps(state), "token-consultant")
        self._assert_refused(response, "linkedin_forged", self.consultant)
        self.assertIn("not started from this page in this browser", self._message(response))
        self.assertEqual(self.rpc_calls, [])

    def test_expired_state_refused(self):
        self._login(self.consultant)
        with patch.object(portal_account, "LINKEDIN_LINK_TTL", -1):
            state = self._start_link()
        response = self._linkedin_returns(state, "token-consultant")
        self._assert_refused(response, "linkedin_expired", self.consultant)
        self.assertIn("has expired", self._message(response))
        self.assertEqual(self.rpc_calls, [])

    def test_state_of_another_member_refused(self):
        self._login(self.provider_a_admin)
        state = self._start_link()
        self._login(self.consultant)
        response = self._linkedin_returns(state, "token-consultant")
        self._assert_refused(response, "linkedin_other_user", self.consultant)
        self.assertIn("started by another LBC account", self._message(response))
        self.assertEqual(self._oauth(self.provider_a_admin), (self.env["auth.oauth.provider"], False, None))
        # signed out: the link is not completed for anybody, the login page leads back to My account
        self._login(self.provider_a_admin)
        state = self._start_link()
        self.logout()
        response = self._linkedin_returns(state, "token-admin")
        self.assertIn("/web/login", response.url)
        self.assertEqual(self._oauth(self.provider_a_admin), (self.env["auth.oauth.provider"], False, None))
        self.assertEqual(self.rpc_calls, [])

    def test_identity_linked_to_another_member_refused(self):
        self.provider_a_admin.write({"oauth_provider_id": self.linkedin.id, "oauth_uid": "li-consultant"})
        self._login(self.consultant)
        response = self._linkedin_returns(self._start_link(), "token-consultant")
        self._assert_refused(response, "linkedin_taken", self.consultant)
        self.assertIn("already linked to another LBC account", self._message(response))
        self.assertEqual(self._oauth(self.provider_a_admin)[:2], (self.linkedin, "li-consultant"))
        # an archived account keeps its identity too (the database refuses two holders)
        self.provider_a_admin.write({"oauth_uid": "li-admin"})
        self.provider_a_admin.action_archive()
        self.identities["token-admin-again"] = {"sub": "li-admin"}
        response = self._linkedin_returns(self._start_link(), "token-admin-again")
        self._assert_refused(response, "linkedin_taken", self.consultant)

    def test_token_refused_by_linkedin(self):
        self._login(self.consultant)
        response = self._linkedin_returns(self._start_link(), "token-unknown")
        self._assert_refused(response, "linkedin_denied", self.consultant)
        self.assertEqual(self.rpc_calls, [(LINKEDIN_USERINFO, "token-unknown")])

    def test_unlink(self):
        self.consultant.write({"oauth_provider_id": self.linkedin.id, "oauth_uid": "li-consultant"})
        # signed in through LinkedIn: the access token is stored, and is part of the session token
        response = self._linkedin_returns(self._signin_state(), "token-consultant")
        self.assertEqual(self._session_uid(), self.consultant.id)
        self.assertEqual(self._oauth(self.consultant)[2], "token-consultant")
        response = self._post("/my/lbc/account/linkedin/unlink", csrf=self._csrf(response.text))
        self.assertTrue(response.url.endswith("/my/lbc/account?success=linkedin_unlinked"), response.url)
        self.assertEqual(self._oauth(self.consultant), (self.env["auth.oauth.provider"], False, None))
        self.assertIn("Link my LinkedIn account", response.text)
        self.assertNotIn("Linked to LinkedIn", response.text)
        self.assertTrue(
            self.consultant.partner_id.message_ids.filtered(
                lambda m: "LinkedIn sign-in unlinked from the account." in m.body
            ),
            "a note on the member",
        )
        # this session stays signed in
        response = self.url_open("/my/lbc/account")
        self.assertTrue(response.url.endswith("/my/lbc/account"), response.url)
        self.assertEqual(self._session_uid(), self.consultant.id)
        # nothing to unlink any more
        response = self._post("/my/lbc/account/linkedin/unlink", csrf=self._csrf(response.text))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._message(response), "Your account is not linked to LinkedIn.")

    def test_unlink_without_password_refused(self):
        # a member who signed up through LinkedIn: no password
        member = self._create_member(self.provider_a, "linkedin_only", "consultant")
        member.write({"oauth_provider_id": self.linkedin.id, "oauth_uid": "li-only"})
        self.env.cr.execute("UPDATE res_users SET password = NULL WHERE id = %s", [member.id])
        self.identities["token-only"] = {"sub": "li-only", "email": "linkedin_only@example.com"}
        response = self._linkedin_returns(self._signin_state(), "token-only")
        self.assertEqual(self._session_uid(), member.id)
        page = response.text
        self.assertIn("Linked to LinkedIn", page)
        self.assertNotIn("o_lbc_linkedin_unlink", page)
        self.assertIn('href="/web/reset_password?login=linkedin_only"', page)
        response = self._post("/my/lbc/account/linkedin/unlink", csrf=self._csrf(page))
        self.assertEqual(response.status_code, 400)
        self.assertIn("set a password first", self._message(response))
        self.assertIn("o_lbc_set_password", response.text)
        self.assertEqual(self._oauth(member), (self.linkedin, "li-only", "token-only"))

    @mute_logger("odoo.http")
    def test_member_cannot_unlink_another(self):
        self.consultant.write({"oauth_provider_id": self.linkedin.id, "oauth_uid": "li-consultant"})
        self._login(self.provider_a_admin)
        response = self._post("/my/lbc/account/linkedin/unlink", {"user_id": self.consultant.id})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._message(response), "Your account is not linked to LinkedIn.")
        self.assertEqual(self._oauth(self.consultant)[:2], (self.linkedin, "li-consultant"))
        # the business method acts on the user signed in only
        with self.assertRaises(AccessError):
            self.consultant.with_user(self.provider_a_admin)._lbc_linkedin_unlink()
        # CSRF stays on: the member's own unlink needs the form's token
        self._login(self.consultant)
        response = self.url_open("/my/lbc/account/linkedin/unlink", data={"x": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._oauth(self.consultant)[:2], (self.linkedin, "li-consultant"))
