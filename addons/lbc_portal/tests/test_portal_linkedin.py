import html
import json
import logging
import re
from unittest.mock import patch
from urllib.parse import parse_qsl, quote_plus, unquote_plus, urlencode, urlsplit

import requests

from odoo import http
from odoo.addons.lbc_base.tests.common import LbcBaseCommon
from odoo.addons.lbc_portal.controllers import portal_account
from odoo.addons.lbc_portal.models import auth_oauth_provider
from odoo.exceptions import AccessDenied, AccessError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

LINKEDIN_AUTHORIZE = "https://www.linkedin.com/oauth/v2/authorization"
LINKEDIN_TOKEN = "https://www.linkedin.com/oauth/v2/accessToken"
LINKEDIN_USERINFO = "https://api.linkedin.com/v2/userinfo"
NO_ACCOUNT = (
    "No LBC account is linked to this LinkedIn account: sign up with your professional e-mail, then link LinkedIn "
    "from My account."
)
NOT_CONFIRMED = (
    "LinkedIn did not confirm your identity: you are not signed in. Please try again, or sign in with your e-mail "
    "address and password."
)


def _token_response(status, payload):
    """What LinkedIn's token endpoint answers (a real requests.Response)."""
    response = requests.Response()
    response.status_code = status
    response.headers["Content-Type"] = "application/json"
    response._content = json.dumps(payload).encode()
    return response


@tagged("post_install", "-at_install")
class TestPortalLinkedin(HttpCase, LbcBaseCommon):
    """LinkedIn sign-in (authorization-code flow) and My account's link / unlink, through the real routes;
    LinkedIn's token endpoint (`requests.post`) and userinfo (`_auth_oauth_rpc`) are patched."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.linkedin = cls.env.ref("lbc_portal.auth_oauth_provider_linkedin")
        cls.linkedin.write({"enabled": True, "client_id": "lbc-test-client", "lbc_client_secret": "lbc-test-secret"})
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

        # LinkedIn's token endpoint: code "code-<x>" -> access token "token-<x>"; any other code is refused
        self.token_calls = []
        self.token_failure = None  # an exception the token endpoint "raises" (network error)

        def fake_post(url, data=None, headers=None, timeout=None, **kwargs):
            self.token_calls.append({"url": url, "data": dict(data or {}), "timeout": timeout})
            if self.token_failure:
                raise self.token_failure
            code = (data or {}).get("code") or ""
            if not code.startswith("code-"):
                return _token_response(
                    400,
                    {
                        "error": "invalid_request",
                        "error_description": "Unable to retrieve access token: authorization code expired.",
                    },
                )
            token = code.replace("code-", "token-", 1)
            return _token_response(200, {"access_token": token, "expires_in": 5183999, "scope": "openid,profile,email"})

        patcher = patch.object(auth_oauth_provider.requests, "post", fake_post)
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
        self.assertEqual(f"{location.scheme}://{location.netloc}{location.path}", LINKEDIN_AUTHORIZE)
        params = dict(parse_qsl(location.query))
        self.assertEqual(params["response_type"], "code", "LinkedIn supports the authorization-code flow only")
        self.assertEqual(params["client_id"], "lbc-test-client")
        self.assertEqual(params["redirect_uri"], f"{self.base_url()}/auth_oauth/signin")
        self.assertEqual(params["scope"], "openid profile email")
        return params["state"]

    def _linkedin_returns(self, state, code=None, **params):
        """LinkedIn sends the browser back to Odoo's OAuth return route with an authorization code."""
        query = urlencode({**({"code": code} if code else {}), **params, "state": state})
        return self.url_open(f"/auth_oauth/signin?{query}")

    def _signin_state(self, provider=None, **extra):
        """The state of Odoo's own "Sign in with LinkedIn" link (auth_oauth's OAuthLogin.get_state)."""
        redirect = quote_plus(f"{self.base_url()}/my/lbc/account")
        return json.dumps({"d": self.env.cr.dbname, "p": (provider or self.linkedin).id, "r": redirect, **extra})

    def _assert_exchanged(self, code):
        """The code was exchanged once, server-side, with the redirect URI of the request and LBC's secret."""
        self.assertEqual(
            self.token_calls,
            [
                {
                    "url": LINKEDIN_TOKEN,
                    "data": {
                        "grant_type": "authorization_code",
                        "code": code,
                        "redirect_uri": f"{self.base_url()}/auth_oauth/signin",
                        "client_id": "lbc-test-client",
                        "client_secret": "lbc-test-secret",
                    },
                    "timeout": auth_oauth_provider.TOKEN_TIMEOUT,
                }
            ],
        )

    @staticmethod
    def _login_links(page):
        """The sign-in links of the login page, by authorization URL: their query parameters."""
        links = {}
        for href in re.findall(r'href="(https://[^"]+)"', page):
            url = urlsplit(html.unescape(href))
            links[f"{url.scheme}://{url.netloc}{url.path}"] = dict(parse_qsl(url.query))
        return links

    def _users_count(self):
        return self.env["res.users"].with_context(active_test=False).search_count([])

    def _assert_signin_refused(self, response, code, text):
        """Back on the login page with LBC's message (`text`: the alert's words), nobody signed in."""
        url = urlsplit(response.url)
        self.assertEqual(url.path, "/web/login")
        self.assertEqual(dict(parse_qsl(url.query))["oauth_error"], code)
        alert = re.search(r'<p class="alert alert-danger"[^>]*>(.*?)</p>', response.text, re.S)
        self.assertTrue(alert, "the login page shows the refusal")
        self.assertEqual(" ".join(re.sub(r"<[^>]+>", " ", alert.group(1)).split()), text)
        self.assertFalse(self._session_uid(), "nobody is signed in")
        return alert.group(1)

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
        response = self._linkedin_returns(state, "code-consultant")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/my/lbc/account?success=linkedin_linked"), response.url)
        self._assert_exchanged("code-consultant")
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
        response = self._linkedin_returns(self._signin_state(), "code-consultant")
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
                response = self._linkedin_returns(json.dumps(forged), "code-consultant")
                self._assert_refused(response, "linkedin_forged", self.consultant)
        self.assertEqual((self.token_calls, self.rpc_calls), ([], []), "LinkedIn is not even asked")
        # a genuine state of the same member, started in another browser session: refused in this one
        self._login(self.consultant)
        response = self._linkedin_returns(json.dumps(state), "code-consultant")
        self._assert_refused(response, "linkedin_forged", self.consultant)
        self.assertIn("not started from this page in this browser", self._message(response))
        self.assertEqual((self.token_calls, self.rpc_calls), ([], []))

    def test_expired_state_refused(self):
        self._login(self.consultant)
        with patch.object(portal_account, "LINKEDIN_LINK_TTL", -1):
            state = self._start_link()
        response = self._linkedin_returns(state, "code-consultant")
        self._assert_refused(response, "linkedin_expired", self.consultant)
        self.assertIn("has expired", self._message(response))
        self.assertEqual((self.token_calls, self.rpc_calls), ([], []))

    def test_state_of_another_member_refused(self):
        self._login(self.provider_a_admin)
        state = self._start_link()
        self._login(self.consultant)
        response = self._linkedin_returns(state, "code-consultant")
        self._assert_refused(response, "linkedin_other_user", self.consultant)
        self.assertIn("started by another LBC account", self._message(response))
        self.assertEqual(self._oauth(self.provider_a_admin), (self.env["auth.oauth.provider"], False, None))
        # signed out: the link is not completed for anybody, the login page leads back to My account
        self._login(self.provider_a_admin)
        state = self._start_link()
        self.logout()
        response = self._linkedin_returns(state, "code-admin")
        self.assertIn("/web/login", response.url)
        self.assertEqual(self._oauth(self.provider_a_admin), (self.env["auth.oauth.provider"], False, None))
        self.assertEqual((self.token_calls, self.rpc_calls), ([], []))

    def test_identity_linked_to_another_member_refused(self):
        self.provider_a_admin.write({"oauth_provider_id": self.linkedin.id, "oauth_uid": "li-consultant"})
        self._login(self.consultant)
        response = self._linkedin_returns(self._start_link(), "code-consultant")
        self._assert_refused(response, "linkedin_taken", self.consultant)
        self.assertIn("already linked to another LBC account", self._message(response))
        self.assertEqual(self._oauth(self.provider_a_admin)[:2], (self.linkedin, "li-consultant"))
        # an archived account keeps its identity too (the database refuses two holders)
        self.provider_a_admin.write({"oauth_uid": "li-admin"})
        self.provider_a_admin.action_archive()
        self.identities["token-admin-again"] = {"sub": "li-admin"}
        response = self._linkedin_returns(self._start_link(), "code-admin-again")
        self._assert_refused(response, "linkedin_taken", self.consultant)

    def test_token_refused_by_linkedin(self):
        self._login(self.consultant)
        response = self._linkedin_returns(self._start_link(), "code-unknown")
        self._assert_refused(response, "linkedin_denied", self.consultant)
        self.assertEqual(self.rpc_calls, [(LINKEDIN_USERINFO, "token-unknown")])

    def test_unlink(self):
        self.consultant.write({"oauth_provider_id": self.linkedin.id, "oauth_uid": "li-consultant"})
        # signed in through LinkedIn: the access token is stored, and is part of the session token
        response = self._linkedin_returns(self._signin_state(), "code-consultant")
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
        response = self._linkedin_returns(self._signin_state(), "code-only")
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

    # ------------------------------------------------------------------ sign-in: authorization-code flow
    def test_login_page_asks_linkedin_for_a_code(self):
        odoo_com = self.env.ref("auth_oauth.provider_openerp")
        odoo_com.write({"enabled": True, "client_id": "odoo-test-client"})
        page = self.url_open("/web/login?redirect=/my/lbc/account").text
        links = self._login_links(page)
        linkedin = links[LINKEDIN_AUTHORIZE]
        self.assertEqual(linkedin["response_type"], "code")
        self.assertEqual(linkedin["client_id"], "lbc-test-client")
        self.assertEqual(linkedin["redirect_uri"], f"{self.base_url()}/auth_oauth/signin")
        self.assertEqual(linkedin["scope"], "openid profile email")
        # Odoo's state (auth_oauth's OAuthLogin.get_state), unchanged
        state = json.loads(linkedin["state"])
        self.assertEqual(sorted(state), ["d", "p", "r"])
        self.assertEqual((state["d"], state["p"]), (self.env.cr.dbname, self.linkedin.id))
        self.assertEqual(unquote_plus(state["r"]), f"{self.base_url()}/my/lbc/account")
        # another provider keeps Odoo's implicit flow; the secret never reaches the page
        self.assertEqual(links[odoo_com.auth_endpoint]["response_type"], "token")
        self.assertEqual(links[odoo_com.auth_endpoint]["client_id"], "odoo-test-client")
        self.assertNotIn("lbc-test-secret", page)
        # LinkedIn off: no LinkedIn link
        self.linkedin.enabled = False
        self.assertNotIn(LINKEDIN_AUTHORIZE, self._login_links(self.url_open("/web/login").text))

    def test_sign_in_with_a_code(self):
        self.consultant.write({"oauth_provider_id": self.linkedin.id, "oauth_uid": "li-consultant"})
        response = self._linkedin_returns(self._signin_state(), "code-consultant")
        self.assertTrue(response.url.endswith("/my/lbc/account"), response.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._session_uid(), self.consultant.id)
        self._assert_exchanged("code-consultant")
        # LBC asks LinkedIn who the member is (to refuse unknown identities clearly), then Odoo's sign-in does
        self.assertEqual(self.rpc_calls, [(LINKEDIN_USERINFO, "token-consultant")] * 2)
        self.assertEqual(self._oauth(self.consultant), (self.linkedin, "li-consultant", "token-consultant"))

    def test_failing_exchange_refused(self):
        self.consultant.write({"oauth_provider_id": self.linkedin.id, "oauth_uid": "li-consultant"})
        users = self._users_count()
        cases = [
            ("code refused by LinkedIn (HTTP 400)", {"code": "expired-code"}, None, logging.WARNING),
            ("LinkedIn unreachable", {"code": "code-consultant"}, requests.ConnectionError("refused"), logging.WARNING),
            ("LinkedIn too slow", {"code": "code-consultant"}, requests.Timeout("read timed out"), logging.WARNING),
            (
                "cancelled on LinkedIn",
                {"error": "user_cancelled_login", "error_description": "The user cancelled LinkedIn login"},
                None,
                logging.INFO,
            ),
            # a token obtained elsewhere (another application's): only tokens LBC exchanged itself are used
            ("access token in the URL", {"access_token": "token-consultant"}, None, logging.WARNING),
        ]
        for label, params, failure, level in cases:
            with self.subTest(label):
                self.token_calls, self.token_failure = [], failure
                with self.assertLogs("odoo.addons.lbc_portal", level=logging.INFO) as logs:
                    response = self._linkedin_returns(self._signin_state(), **params)
                self._assert_signin_refused(response, "lbc_failed", NOT_CONFIRMED)
                self.assertEqual(max(record.levelno for record in logs.records), level, logs.output)
                self.assertEqual(len(self.token_calls), 1 if "code" in params else 0)
                self.assertNotIn("lbc-test-secret", "".join(logs.output))
        self.assertEqual(self.rpc_calls, [], "LinkedIn's userinfo is not asked")
        # the code is exchanged, but LinkedIn's userinfo does not confirm the token
        self.token_calls, self.token_failure = [], None
        with self.assertLogs("odoo.addons.lbc_portal.models.res_users", level=logging.WARNING):
            response = self._linkedin_returns(self._signin_state(), "code-unknown")
        self._assert_signin_refused(response, "lbc_failed", NOT_CONFIRMED)
        self.assertEqual(self.rpc_calls, [(LINKEDIN_USERINFO, "token-unknown")])
        self.rpc_calls.clear()
        self.assertEqual(self._users_count(), users, "nobody is created")
        self.assertEqual(self._oauth(self.consultant)[2], None, "nobody is signed in")
        # a link request whose code LinkedIn refuses: nothing is linked
        self._login(self.provider_a_admin)
        for failure in (None, requests.ConnectionError("refused")):
            with self.subTest(link=str(failure)):
                self.token_calls, self.token_failure = [], failure
                with self.assertLogs("odoo.addons.lbc_portal.models.auth_oauth_provider", level=logging.WARNING):
                    response = self._linkedin_returns(self._start_link(), "expired-code")
                self._assert_refused(response, "linkedin_denied", self.provider_a_admin)
                self.assertEqual(len(self.token_calls), 1)
        self.assertEqual(self.rpc_calls, [])

    def test_unknown_identity_refused(self):
        self.identities["token-stranger"] = {
            "sub": "li-stranger",
            "name": "Jane Stranger",
            "email": "jane.stranger@acme-corp.example",
            "email_verified": True,
        }
        users = self._users_count()
        with self.assertLogs("odoo.addons.lbc_portal.models.res_users", level=logging.INFO):
            response = self._linkedin_returns(self._signin_state(), "code-stranger")
        alert = self._assert_signin_refused(response, "lbc_linkedin_no_account", f"{NO_ACCOUNT} Sign up")
        self.assertIn('href="/web/signup"', alert)
        self._assert_exchanged("code-stranger")
        self.assertEqual(self._users_count(), users, "no account is created")
        Partner = self.env["res.partner"].with_context(active_test=False)
        self.assertFalse(Partner.search_count([("email", "=", "jane.stranger@acme-corp.example")]))
        # an archived account does not sign in either, and is not replaced by a new one
        self.provider_a_admin.write({"oauth_provider_id": self.linkedin.id, "oauth_uid": "li-admin"})
        self.provider_a_admin.action_archive()
        response = self._linkedin_returns(self._signin_state(), "code-admin")
        self._assert_signin_refused(response, "lbc_linkedin_no_account", f"{NO_ACCOUNT} Sign up")
        self.assertEqual(self._users_count(), users)
        # Odoo's sign-in itself never signs up a LinkedIn identity, whatever the context or an invitation says
        invited = self.env["res.partner"].create({"name": "Jane Stranger", "email": "jane.stranger@acme-corp.example"})
        Users = self.env["res.users"].with_context(no_user_creation=False)
        for token in (None, invited._generate_signup_token()):
            with self.subTest(invitation=bool(token)):
                state = {"d": self.env.cr.dbname, "p": self.linkedin.id, **({"t": token} if token else {})}
                with self.assertRaises(AccessDenied), mute_logger("odoo.addons.lbc_portal.models.res_users"):
                    Users._auth_oauth_signin(
                        self.linkedin.id,
                        {"user_id": "li-stranger", "email": "jane.stranger@acme-corp.example"},
                        {"access_token": "token-stranger", "state": json.dumps(state)},
                    )
                self.assertEqual(self._users_count(), users)
        # nor does any other provider LBC might enable (Odoo's own odoo.com provider here)
        other = self.env.ref("auth_oauth.provider_openerp")
        with self.assertRaises(AccessDenied), mute_logger("odoo.addons.lbc_portal.models.res_users"):
            Users._auth_oauth_signin(
                other.id,
                {"user_id": "odoo-stranger", "email": "jane.stranger@acme-corp.example"},
                {"access_token": "token-odoo", "state": json.dumps({"d": self.env.cr.dbname, "p": other.id})},
            )
        self.assertEqual(self._users_count(), users)
        # nor through the implicit flow, if LBC ever switched LinkedIn back to it (Odoo's generic refusal then)
        self.linkedin.lbc_code_flow = False
        response = self._linkedin_returns(self._signin_state(), access_token="token-stranger")
        self.assertEqual(dict(parse_qsl(urlsplit(response.url).query)).get("oauth_error"), "3")
        self.assertFalse(self._session_uid())
        self.assertEqual(self._users_count(), users)

    def test_anonymisation_forgets_the_linkedin_identity(self):
        """An anonymised member's LinkedIn identity is erased: the person can link it to a new account."""
        member = self.provider_a_consultant
        member.write({"oauth_provider_id": self.linkedin.id, "oauth_uid": "li-consultant", "oauth_access_token": "x"})
        member.partner_id._lbc_anonymise()
        user = member.sudo().with_context(active_test=False)
        self.assertEqual(
            (user.oauth_provider_id, user.oauth_uid, user.oauth_access_token),
            (self.env["auth.oauth.provider"], False, False),
        )
        self.client_b_admin.write({"oauth_provider_id": self.linkedin.id, "oauth_uid": "li-consultant"})

    def test_other_providers_keep_the_implicit_flow(self):
        google = self.env.ref("auth_oauth.provider_google")
        google.write({"enabled": True, "client_id": "google-test-client"})
        self.client_a_admin.write({"oauth_provider_id": google.id, "oauth_uid": "g-admin"})
        self.identities["token-google"] = {"sub": "g-admin", "email": "client_a_admin@example.com"}
        link = self._login_links(self.url_open("/web/login").text)[google.auth_endpoint]
        self.assertEqual(link["response_type"], "token")
        query = urlencode({"access_token": "token-google", "token_type": "Bearer", "state": self._signin_state(google)})
        response = self.url_open(f"/auth_oauth/signin?{query}")
        self.assertTrue(response.url.endswith("/my/lbc/account"), response.url)
        self.assertEqual(self._session_uid(), self.client_a_admin.id)
        self.assertEqual(self.rpc_calls, [(google.validation_endpoint, "token-google")])
        self.assertEqual(self.token_calls, [], "no code exchange")

    def test_provider_settings(self):
        self.assertTrue(self.linkedin.lbc_code_flow)
        self.assertEqual(self.linkedin.lbc_token_endpoint, LINKEDIN_TOKEN)
        self.assertEqual(self.linkedin._fields["lbc_client_secret"].groups, "base.group_system")
        arch = self.env["auth.oauth.provider"].get_view(view_type="form")["arch"]
        for name in ("lbc_code_flow", "lbc_token_endpoint", "lbc_client_secret"):
            self.assertIn(f'name="{name}"', arch)
        with self.assertRaisesRegex(ValidationError, "client secret"), self.env.cr.savepoint():
            self.linkedin.lbc_client_secret = False
        with self.assertRaisesRegex(ValidationError, "token URL"), self.env.cr.savepoint():
            self.linkedin.lbc_token_endpoint = False
        # not allowed yet: the secret may come later
        self.linkedin.write({"enabled": False, "lbc_client_secret": False})
        self.assertFalse(self.linkedin.enabled)
