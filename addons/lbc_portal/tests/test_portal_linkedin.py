import base64
import hashlib
import html
import json
import re
import time
import uuid
from unittest.mock import patch
from urllib.parse import parse_qsl, quote_plus, unquote_plus, urlencode, urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwk, jwt

from odoo import http
from odoo.addons.lbc_base.tests.common import LbcBaseCommon
from odoo.addons.lbc_portal.controllers import portal_account
from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

LINKEDIN_AUTHORIZE = "https://www.linkedin.com/oauth/v2/authorization"
LINKEDIN_TOKEN = "https://www.linkedin.com/oauth/v2/accessToken"
LINKEDIN_USERINFO = "https://api.linkedin.com/v2/userinfo"
LINKEDIN_JWKS = "https://www.linkedin.com/oauth/openid/jwks"
PICTURE_URL = "https://media.licdn.com/dms/image/jane.jpg"
# a 1x1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
NOT_CONFIRMED = (
    "LinkedIn did not confirm your identity: you are not signed in. Please try again, or sign in with your e-mail "
    "address and password."
)


def _response(status, payload=None, content=None):
    """What an endpoint answers (a real requests.Response)."""
    response = requests.Response()
    response.status_code = status
    response.headers["Content-Type"] = "application/json" if content is None else "image/png"
    response._content = json.dumps(payload).encode() if content is None else content
    return response


def _rsa_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@tagged("post_install", "-at_install")
class TestPortalLinkedin(HttpCase, LbcBaseCommon):
    """LinkedIn through OpenID Connect (OCA's auth_oidc): sign-in, LBC's signup of a new member, My account's
    link / unlink, through the real routes. LinkedIn's token endpoint (`requests.post`: signed id_tokens) and its
    JWKS and image servers (`requests.get`) are patched; the id_token's signature is really checked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.linkedin = cls.env.ref("lbc_portal.auth_oauth_provider_linkedin")
        cls.linkedin.write({"enabled": True, "client_id": "lbc-test-client", "client_secret": "lbc-test-secret"})
        cls.consultant = cls.provider_a_consultant
        cls.signing_key = _rsa_key()
        cls.kid = f"lbc-test-{uuid.uuid4().hex}"
        public = jwk.construct(cls.signing_key, "RS256").public_key().to_dict()
        cls.jwks = {"keys": [{**public, "kid": cls.kid, "use": "sig", "alg": "RS256"}]}
        # code "code-<x>" -> the id_token of identities[<x>] (the claims of LinkedIn's OpenID id_token)
        cls.identities = {
            "consultant": {
                "sub": "li-consultant",
                "name": "Provider A Consultant",
                "email": "provider_a_consultant@example.com",
                "email_verified": True,
            },
            "admin": {"sub": "li-admin", "name": "Provider A Admin", "email": "provider_a_admin@example.com"},
            "jane": {
                "sub": "li-jane",
                "name": "Jane Newcomer",
                "given_name": "Jane",
                "family_name": "Newcomer",
                "picture": PICTURE_URL,
                "email": "jane.newcomer@acme-corp.example",
                "email_verified": True,
                "locale": {"country": "FR", "language": "fr"},
            },
        }

    def setUp(self):
        super().setUp()
        self.identities = {key: dict(value) for key, value in self.identities.items()}
        self.token_calls = []
        self.token_failure = None  # an exception the token endpoint "raises" (network error)
        self.get_calls = []

        def fake_post(url, data=None, auth=None, timeout=None, **kwargs):
            self.token_calls.append({"url": url, "data": dict(data or {}), "auth": auth})
            if self.token_failure:
                raise self.token_failure
            code = (data or {}).get("code") or ""
            name, _sep, variant = code.removeprefix("code-").partition("-")
            if not code.startswith("code-") or name not in self.identities:
                return _response(400, {"error": "invalid_request", "error_description": "authorization code expired"})
            return _response(200, {"access_token": f"token-{name}", "id_token": self._id_token(name, variant)})

        def fake_get(url, timeout=None, **kwargs):
            self.get_calls.append(url)
            if url == LINKEDIN_JWKS:
                return _response(200, self.jwks)
            if url == PICTURE_URL:
                return _response(200, content=PNG)
            return _response(404, {})

        for name, fake in (("post", fake_post), ("get", fake_get)):
            patcher = patch.object(requests, name, fake)
            patcher.start()
            self.addCleanup(patcher.stop)

    def _id_token(self, name, variant=""):
        """LinkedIn's id_token for identities[name], signed with LinkedIn's key (the JWKS); `variant`: "forged"
        (signed with another key), "tampered" (claims changed after signing), "expired", "audience"."""
        now = int(time.time())
        claims = {
            "iss": "https://www.linkedin.com/oauth",
            "aud": "other-client" if variant == "audience" else "lbc-test-client",
            "iat": now - 60,
            "exp": now - 30 if variant == "expired" else now + 3600,
            **self.identities[name],
        }
        key = _rsa_key() if variant == "forged" else self.signing_key
        token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
        if variant == "tampered":
            head, _payload, signature = token.split(".")
            claims["sub"] = "li-consultant"
            payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
            token = f"{head}.{payload}.{signature}"
        return token

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
        self._assert_oidc_request(params)
        return params["state"]

    def _assert_oidc_request(self, params):
        """An OpenID Connect authorization request: a code, PKCE (S256 of the provider's verifier), a nonce."""
        self.assertEqual(params["response_type"], "code")
        self.assertEqual(params["client_id"], "lbc-test-client")
        self.assertEqual(params["redirect_uri"], f"{self.base_url()}/auth_oauth/signin")
        self.assertEqual(params["scope"], "openid profile email")
        self.assertEqual(params["code_challenge_method"], "S256")
        verifier = self.linkedin.sudo().code_verifier

        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        self.assertEqual(params["code_challenge"], challenge)
        self.assertTrue(params["nonce"])

    def _linkedin_returns(self, state, code=None, **params):
        """LinkedIn sends the browser back to Odoo's OAuth return route with an authorization code."""
        query = urlencode({**({"code": code} if code else {}), **params, "state": state})
        return self.url_open(f"/auth_oauth/signin?{query}")

    def _signin_state(self, provider=None, **extra):
        """The state of Odoo's own "Sign in with LinkedIn" link (auth_oauth's OAuthLogin.get_state)."""
        redirect = quote_plus(f"{self.base_url()}/my/lbc/account")
        return json.dumps({"d": self.env.cr.dbname, "p": (provider or self.linkedin).id, "r": redirect, **extra})

    def _assert_exchanged(self, code):
        """The code was exchanged once, server-side, with the PKCE verifier, the redirect URI and LBC's secret."""
        self.assertEqual(
            self.token_calls,
            [
                {
                    "url": LINKEDIN_TOKEN,
                    "data": {
                        "client_id": "lbc-test-client",
                        "grant_type": "authorization_code",
                        "code": code,
                        "code_verifier": self.linkedin.sudo().code_verifier,
                        "redirect_uri": f"{self.base_url()}/auth_oauth/signin",
                    },
                    "auth": ("lbc-test-client", "lbc-test-secret"),
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

    def _assert_signin_refused(self, response, text=NOT_CONFIRMED):
        """Back on the login page with LBC's message (`text`: the alert's words), nobody signed in."""
        url = urlsplit(response.url)
        self.assertEqual(url.path, "/web/login")
        self.assertEqual(dict(parse_qsl(url.query))["oauth_error"], "3")
        alert = re.search(r'<p class="alert alert-danger"[^>]*>(.*?)</p>', response.text, re.S)
        self.assertTrue(alert, "the login page shows the refusal")
        self.assertEqual(" ".join(re.sub(r"<[^>]+>", " ", alert.group(1)).split()), text)
        self.assertFalse(self._session_uid(), "nobody is signed in")

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
        self.assertEqual(self.token_calls, [], "LinkedIn is not even asked")
        # a genuine state of the same member, started in another browser session: refused in this one
        self._login(self.consultant)
        response = self._linkedin_returns(json.dumps(state), "code-consultant")
        self._assert_refused(response, "linkedin_forged", self.consultant)
        self.assertIn("not started from this page in this browser", self._message(response))
        self.assertEqual(self.token_calls, [])

    def test_expired_state_refused(self):
        self._login(self.consultant)
        with patch.object(portal_account, "LINKEDIN_LINK_TTL", -1):
            state = self._start_link()
        response = self._linkedin_returns(state, "code-consultant")
        self._assert_refused(response, "linkedin_expired", self.consultant)
        self.assertIn("has expired", self._message(response))
        self.assertEqual(self.token_calls, [])

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
        self.assertEqual(self.token_calls, [])

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
        response = self._linkedin_returns(self._start_link(), "code-admin")
        self._assert_refused(response, "linkedin_taken", self.consultant)

    def test_link_refused_when_linkedin_does_not_confirm(self):
        self._login(self.consultant)
        cases = {
            "code refused": ("expired-code", None),
            "LinkedIn unreachable": ("code-consultant", requests.ConnectionError("refused")),
            "id_token signed with another key": ("code-consultant-forged", None),
            "id_token's claims changed after signing": ("code-consultant-tampered", None),
        }
        for label, (code, failure) in cases.items():
            with self.subTest(label):
                self.token_calls, self.token_failure = [], failure
                with mute_logger("odoo.addons.lbc_portal.models.res_users"):
                    response = self._linkedin_returns(self._start_link(), code)
                self._assert_refused(response, "linkedin_denied", self.consultant)
                self.assertEqual(len(self.token_calls), 1)

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
        self.identities["only"] = {"sub": "li-only", "email": "linkedin_only@example.com", "email_verified": True}
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

    # ------------------------------------------------------------------ sign-in (auth_oidc)
    def test_login_page_offers_linkedin_openid_connect(self):
        page = self.url_open("/web/login?redirect=/my/lbc/account").text
        links = self._login_links(page)
        linkedin = links[LINKEDIN_AUTHORIZE]
        self._assert_oidc_request(linkedin)
        state = json.loads(linkedin["state"])
        self.assertEqual((state["d"], state["p"]), (self.env.cr.dbname, self.linkedin.id))
        self.assertEqual(unquote_plus(state["r"]), f"{self.base_url()}/my/lbc/account")
        self.assertNotIn("lbc-test-secret", page)
        # Odoo.com's sign-in never shows, even if an administrator allows it
        odoo_com = self.env.ref("auth_oauth.provider_openerp")
        odoo_com.write({"enabled": True, "client_id": "odoo-test-client"})
        page = self.url_open("/web/login").text
        self.assertNotIn(odoo_com.auth_endpoint, self._login_links(page))
        self.assertIn(LINKEDIN_AUTHORIZE, self._login_links(page))
        # LinkedIn off: no LinkedIn link
        self.linkedin.enabled = False
        self.assertNotIn(LINKEDIN_AUTHORIZE, self._login_links(self.url_open("/web/login").text))

    def test_sign_in(self):
        self.consultant.write({"oauth_provider_id": self.linkedin.id, "oauth_uid": "li-consultant"})
        response = self._linkedin_returns(self._signin_state(), "code-consultant")
        self.assertTrue(response.url.endswith("/my/lbc/account"), response.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._session_uid(), self.consultant.id)
        self._assert_exchanged("code-consultant")
        self.assertEqual(self._oauth(self.consultant), (self.linkedin, "li-consultant", "token-consultant"))

    def test_invalid_id_token_refused(self):
        """auth_oidc checks the id_token: another key's signature, claims changed after signing, an expired token,
        another application's token; a refused code or LinkedIn out of reach: nobody is signed in."""
        self.consultant.write({"oauth_provider_id": self.linkedin.id, "oauth_uid": "li-consultant"})
        # Jane's identity re-signed as the consultant's: the "tampered" variant claims the consultant's sub
        cases = {
            "signed with another key": ("code-consultant-forged", None),
            "claims changed after signing": ("code-jane-tampered", None),
            "expired": ("code-consultant-expired", None),
            "another application's": ("code-consultant-audience", None),
            "code refused": ("expired-code", None),
            "LinkedIn unreachable": ("code-consultant", requests.ConnectionError("refused")),
        }
        users = self._users_count()
        for label, (code, failure) in cases.items():
            with self.subTest(label):
                self.token_calls, self.token_failure = [], failure
                with mute_logger("odoo.addons.auth_oauth.controllers.main", "odoo.addons.lbc_portal.models.res_users"):
                    response = self._linkedin_returns(self._signin_state(), code)
                self._assert_signin_refused(response)
                self.assertEqual(len(self.token_calls), 1)
        self.assertEqual(self._oauth(self.consultant)[2], None, "nobody was signed in")
        self.assertEqual(self._users_count(), users, "nobody is created")

    def test_access_token_in_the_url_is_not_used(self):
        """The implicit flow's answer (an access token in the URL, obtained elsewhere) signs nobody in."""
        self.consultant.write({"oauth_provider_id": self.linkedin.id, "oauth_uid": "li-consultant"})
        with mute_logger("odoo.addons.auth_oauth.controllers.main", "odoo.addons.lbc_portal.models.res_users"):
            response = self._linkedin_returns(
                self._signin_state(), access_token="token-consultant", id_token=self._id_token("consultant")
            )
        self._assert_signin_refused(response)
        self.assertEqual(self.token_calls[0]["data"]["code"], None)

    # ------------------------------------------------------------------ signup of a new member
    def _signup_page(self, name="jane", variant=""):
        """Sign in with LinkedIn as an identity linked to no account: LBC's signup page."""
        code = f"code-{name}" + (f"-{variant}" if variant else "")
        with mute_logger("odoo.addons.lbc_portal.models.res_users"):
            response = self._linkedin_returns(self._signin_state(), code)
        self.assertEqual(urlsplit(response.url).path, "/web/signup/oauth", response.url)
        self.assertFalse(self._session_uid(), "not signed in before the account exists")
        return response

    def _jane(self):
        return self.env["res.users"].with_context(active_test=False).search([("oauth_uid", "=", "li-jane")])

    def test_signup_new_member_verified_email(self):
        users = self._users_count()
        page = self._signup_page()
        self.assertIn("jane.newcomer@acme-corp.example", page.text)
        self.assertEqual(self._users_count(), users, "no account before the terms are accepted")
        # the terms first
        response = self._post("/web/signup/oauth", {"lbc_import_profile": "1"}, csrf=self._csrf(page.text))
        self.assertEqual(response.status_code, 400)
        self.assertIn("accept the terms of use", self._message(response))
        self.assertEqual(self._users_count(), users)
        response = self._post(
            "/web/signup/oauth", {"lbc_import_profile": "1", "lbc_accept_terms": "1"}, csrf=self._csrf(page.text)
        )
        self.assertEqual(urlsplit(response.url).path, "/my", response.url)
        jane = self._jane()
        self.assertEqual(len(jane), 1)
        self.assertEqual(self._session_uid(), jane.id, "signed in: LinkedIn verified the address")
        self.assertEqual((jane.login, jane.email), ("jane.newcomer@acme-corp.example",) * 2)
        self.assertEqual(jane.name, "Jane Newcomer", "the name imported with the member's consent")
        self.assertEqual(base64.b64decode(jane.partner_id.image_1920), PNG, "the picture imported")
        self.assertEqual(jane.partner_id.lbc_account_state, "active", "no activation e-mail needed")
        self.assertFalse(self.env["mail.mail"].search([("email_to", "ilike", jane.email)]))
        self.assertTrue(jane.share, "a portal member")
        self.assertEqual(self._oauth(jane), (self.linkedin, "li-jane", "token-jane"))
        terms = self.env["lbc.agreement"]._lbc_current("terms")
        if terms:
            self.assertTrue(jane.partner_id.with_user(jane).lbc_has_accepted("terms"), "the terms are logged")
        # the identity now signs in, and the page is gone
        self.opener.cookies.clear()
        response = self._linkedin_returns(self._signin_state(), "code-jane")
        self.assertEqual(self._session_uid(), jane.id)
        self.assertEqual(self._users_count(), users + 1)
        self.assertEqual(urlsplit(self.url_open("/web/signup/oauth").url).path, "/web/login")

    def test_signup_without_consent_imports_nothing(self):
        page = self._signup_page()
        self._post("/web/signup/oauth", {"lbc_accept_terms": "1"}, csrf=self._csrf(page.text))
        jane = self._jane()
        self.assertEqual(jane.name, "jane.newcomer")
        self.assertFalse(jane.partner_id.image_1920 and base64.b64decode(jane.partner_id.image_1920) == PNG)
        self.assertNotIn(PICTURE_URL, self.get_calls)

    def test_signup_unverified_email_goes_through_activation(self):
        self.identities["jane"]["email_verified"] = False
        page = self._signup_page()
        self.assertIn("not verified by LinkedIn", page.text)
        response = self._post("/web/signup/oauth", {"lbc_accept_terms": "1"}, csrf=self._csrf(page.text))
        self.assertEqual(urlsplit(response.url).path, "/web/activate/sent")
        jane = self._jane()
        self.assertEqual(jane.partner_id.lbc_account_state, "pending")
        self.assertFalse(self._session_uid(), "not signed in before the activation link is followed")
        self.assertTrue(self.env["mail.mail"].search([("email_to", "ilike", jane.email)]), "activation e-mail")
        # LinkedIn does not open it either
        self.opener.cookies.clear()
        with mute_logger("odoo.addons.auth_oauth.controllers.main", "odoo.addons.lbc_base.models.res_users"):
            self._linkedin_returns(self._signin_state(), "code-jane")
        self.assertFalse(self._session_uid())

    def test_signup_refusals(self):
        users = self._users_count()
        # a free-mail address
        self.identities["jane"]["email"] = "jane.newcomer@gmail.com"
        page = self._signup_page()
        response = self._post("/web/signup/oauth", {"lbc_accept_terms": "1"}, csrf=self._csrf(page.text))
        self.assertEqual(response.status_code, 400)
        self.assertIn("personal e-mail provider", self._message(response))
        # an address an account already uses
        self.identities["jane"]["email"] = self.client_a_admin.email
        page = self._signup_page()
        response = self._post("/web/signup/oauth", {"lbc_accept_terms": "1"}, csrf=self._csrf(page.text))
        self.assertEqual(response.status_code, 400)
        self.assertIn("already uses", self._message(response))
        self.assertFalse(self._session_uid())
        # CSRF stays on
        response = self.url_open("/web/signup/oauth", data={"lbc_accept_terms": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._users_count(), users)
        # the model: an identity somebody holds (linked meanwhile), an expired offer, LinkedIn off
        Users = self.env["res.users"]
        pending = {"p": self.linkedin.id, "sub": "li-consultant", "email": "x@acme-corp.example", "exp": 2**40}
        self.consultant.write({"oauth_provider_id": self.linkedin.id, "oauth_uid": "li-consultant"})
        with self.assertRaisesRegex(UserError, "already linked"):
            Users._lbc_oauth_signup(pending, True, False)
        with self.assertRaisesRegex(UserError, "expired"):
            Users._lbc_oauth_signup({**pending, "sub": "li-x", "exp": 1}, True, False)
        self.linkedin.enabled = False
        with self.assertRaisesRegex(UserError, "not available"):
            Users._lbc_oauth_signup({**pending, "sub": "li-x"}, True, False)
        self.assertEqual(self._users_count(), users)

    def test_signup_without_linkedin_identity(self):
        """The page offers nothing without an identity LinkedIn confirmed to this browser, and Odoo's sign-in
        never signs up by itself, whatever the context or an invitation says."""
        self.assertEqual(urlsplit(self.url_open("/web/signup/oauth").url).path, "/web/login")
        users = self._users_count()
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

    def test_provider_settings(self):
        self.assertEqual(self.linkedin.flow, "id_token_code")
        self.assertEqual(self.linkedin.token_endpoint, LINKEDIN_TOKEN)
        self.assertEqual(self.linkedin.jwks_uri, LINKEDIN_JWKS)
        self.assertEqual(self.linkedin.validation_endpoint, LINKEDIN_USERINFO)
        self.assertEqual(self.linkedin.scope, "openid profile email")
        self.assertEqual(self.linkedin._fields["client_secret"].groups, "base.group_system")
        self.assertNotIn("lbc_code_flow", self.linkedin._fields, "the hand-written flow is gone")
