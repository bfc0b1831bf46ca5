"""Member portal, account side: signup, OAuth (LinkedIn), my LBC account.

The company and agreements pages are lbc_base's (controllers/portal_company.py), the vigilance documents
lbc_compliance's. Every page acts with the member's own rights: the business methods of lbc_base check who
may do what. `sudo()` appears only after an explicit check, with a comment.
"""

import base64
import hashlib
import json
import logging
import secrets
import time
from urllib.parse import quote_plus, urlencode

from odoo import http
from odoo.addons.auth_oauth.controllers.main import OAuthController, OAuthLogin
from odoo.addons.auth_signup.controllers.main import AuthSignupHome
from odoo.addons.auth_signup.models.res_partner import SignupError
from odoo.addons.lbc_base.controllers.portal import LbcPortal
from odoo.exceptions import AccessDenied, UserError
from odoo.http import request
from odoo.tools import consteq

from ..models.res_users import OAUTH_SIGNUP_SESSION_KEY

_logger = logging.getLogger(__name__)

CLIENT_PROFILES = ("project_manager", "buyer", "purchasing_director")
PROVIDER_PROFILES = ("consultant", "sales_manager", "company_manager", "freelancer")
# Seconds a member has to come back from LinkedIn when it links its account (the state expires then)
LINKEDIN_LINK_TTL = 600


class LbcAuthSignupHome(AuthSignupHome):
    """Odoo's b2c signup (`/web/signup`), for professionals: no free-mail address, terms accepted."""

    def get_auth_signup_qcontext(self):
        qcontext = super().get_auth_signup_qcontext()
        qcontext["lbc_accept_terms"] = bool(request.params.get("lbc_accept_terms"))
        # the current terms are public (readable by the public user); shown as a link next to the checkbox
        qcontext["lbc_terms"] = request.env["lbc.agreement"]._lbc_current("terms")
        return qcontext

    def _prepare_signup_values(self, qcontext):
        token = qcontext.get("token")
        if not token:
            # uninvited signup (b2c): a professional address only (res.users checks it again on every signup path)
            request.env["res.users"]._lbc_check_professional_email(qcontext.get("login"))
        if not request.env["res.users"]._lbc_signup_token_user(token) and not qcontext.get("lbc_accept_terms"):
            # a new account (not a password reset through a signup link): the terms are accepted first
            raise UserError(request.env._("Please read and accept the terms of use to create your account."))
        return super()._prepare_signup_values(qcontext)

    @http.route()
    def web_auth_signup(self, *args, **kw):
        """The signup form (b2c) creates the account without opening it (res.users: activation by e-mail) and
        sends the member to "check your e-mail"; invitations (a signup token) keep Odoo's flow, which signs in."""
        qcontext = self.get_auth_signup_qcontext()
        if (
            request.httprequest.method != "POST"
            or qcontext.get("token")
            or "error" in qcontext
            or not qcontext.get("signup_enabled")
        ):
            return super().web_auth_signup(*args, **kw)
        try:
            self.do_signup(qcontext, do_login=False)
        except UserError as error:
            qcontext["error"] = error.args[0]
        except (SignupError, AssertionError) as error:
            if request.env["res.users"]._lbc_login_taken(qcontext.get("login")):
                qcontext["error"] = request.env._("Another user is already registered using this email address.")
            else:
                _logger.warning("%s", error)
                qcontext["error"] = request.env._("Could not create a new account.")
        else:
            return request.redirect("/web/activate/sent?" + urlencode({"login": qcontext.get("login") or ""}))
        response = request.render("auth_signup.signup", qcontext)
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
        return response

    def _signup_with_values(self, token, values, do_login):
        Users = request.env["res.users"]
        login = values.get("login")
        # a signup link of an existing account (a password reset) only changes the password
        existing = Users._lbc_signup_token_user(token)
        # no sign-in here: an account awaiting activation cannot sign in (Odoo's would fail on it)
        result = super()._signup_with_values(token, values, False)
        user = existing
        if not user:
            # sudo: the public user looks up the account it has just created, by the login it typed
            user = Users.sudo().search(Users._get_login_domain(login), order=Users._get_login_order(), limit=1)
            terms = request.env["lbc.agreement"]._lbc_current("terms")
            if user and terms:
                # the acceptance is logged as the new user itself (its own rights, its IP address)
                terms.with_user(user).action_accept()
        if do_login and user and user.lbc_account_state != "pending":
            # an invited member (its signup link proved its address) is signed in, as Odoo does
            credential = {"login": user.login, "password": values.get("password"), "type": "password"}
            request.session.authenticate(request.env, credential)
        return result

    # ------------------------------------------------------------------ activation by e-mail
    def _lbc_activation_render(self, template, values, status=200):
        response = request.render(template, values, status=status)
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
        return response

    # auth='public' is safe: the page only repeats the address the visitor typed and offers the resend form
    @http.route(
        "/web/activate/sent", type="http", auth="public", website=True, sitemap=False, methods=["GET"], readonly=True
    )
    def lbc_activation_sent(self, login=None, **kw):
        return self._lbc_activation_render("lbc_portal.activation_sent", {"login": login or ""})

    # auth='public' is safe: CSRF on, captcha, the model sends only to a pending account with exactly this login,
    # at most once every few minutes, and the page says the same whether such an account exists or not
    @http.route(
        "/web/activate/resend",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["GET", "POST"],
        captcha="password_reset",
    )
    def lbc_activation_resend(self, login=None, **kw):
        values = {"login": login or "", "resend": True}
        if request.httprequest.method == "POST":
            try:
                request.env["res.users"]._lbc_activation_resend(login)
            except UserError as error:
                values["error"] = error.args[0]
                return self._lbc_activation_render("lbc_portal.activation_sent", values, status=429)
            values["message"] = request.env._(
                "If an account awaiting activation is registered with %(login)s, a new activation link is on its way.",
                login=login,
            )
        return self._lbc_activation_render("lbc_portal.activation_sent", values)

    # auth='public' is safe: the signed token is the proof (res.users._lbc_activate checks its signature, expiry,
    # type and single use); the GET only shows a button, the POST (CSRF on) activates
    @http.route("/web/activate", type="http", auth="public", website=True, sitemap=False, methods=["GET", "POST"])
    def lbc_activate(self, token=None, **kw):
        Users = request.env["res.users"]
        if request.httprequest.method == "POST":
            status, user = Users._lbc_activate(token)
        else:
            status, partner = Users._lbc_activation_token_status(token)
            user = partner.user_ids[:1]
        values = {
            "status": status,
            "token": token,
            "login": user.login if status in ("expired", "used", "activated") else "",
        }
        return self._lbc_activation_render(
            "lbc_portal.activation_page", values, status=200 if status in ("valid", "activated", "used") else 400
        )


def _oauth_redirect_uri():
    """The redirect URI of the authorization requests, as auth_oauth's `OAuthLogin.list_providers` builds it
    (auth_oidc's code exchange sends the same one)."""
    return request.httprequest.url_root + "auth_oauth/signin"


class LbcOAuthLogin(OAuthLogin):
    """The login page: never Odoo.com's sign-in button, no client secret in the page's values, LBC's refusals
    explained. auth_oidc (OpenIDLogin) builds the OpenID Connect links (code, PKCE, nonce)."""

    def list_providers(self):
        providers = super().list_providers()
        odoo_com = request.env.ref("auth_oauth.provider_openerp", raise_if_not_found=False)
        for provider in providers:
            # auth_oauth reads every field of the providers (sudo): the secret stays out of the page's values
            provider.pop("client_secret", None)
        return [provider for provider in providers if not odoo_com or provider.get("id") != odoo_com.id]

    def _lbc_oauth_error(self, code):
        """The login page's message for an OAuth refusal `code` (`oauth_error`), None for any other."""
        if code == "3":
            name = request.env["auth.oauth.provider"]._lbc_oauth_allowed_name(request.params.get("oauth_provider"))
            return request.env._(
                "%(provider)s did not confirm your identity: you are not signed in. Please try again, or sign in "
                "with your e-mail address and password.",
                provider=name or request.env._("The sign-in provider"),
            )
        return None

    @http.route()
    def web_login(self, *args, **kw):
        response = super().web_login(*args, **kw)
        code = request.params.get("oauth_error")
        error = self._lbc_oauth_error(code) if getattr(response, "is_qweb", False) else None
        if error:
            response.qcontext["error"] = error
        return response


class LbcOAuthController(OAuthController):
    """LinkedIn comes back to Odoo's `/auth_oauth/signin` to sign in, to sign up and to link an account.

    A link request (started on My account, `portal_lbc_linkedin_link`) carries `lbc_link` in its state: it is
    completed here for the member signed in, who lands back on My account. Any other state is auth_oidc's
    sign-in (code exchanged, id_token checked); an identity linked to no account is kept in the session by
    res.users (`_lbc_oauth_signup_offer`) and the visitor goes on to LBC's signup page.
    """

    @http.route()
    def signin(self, **kw):
        state = self._lbc_linkedin_link_state(kw)
        if state is not None:
            return self._lbc_linkedin_link_finish(state, kw)
        request.session.pop(OAUTH_SIGNUP_SESSION_KEY, None)
        response = super().signin(**kw)
        if request.session.get(OAUTH_SIGNUP_SESSION_KEY):
            return request.redirect("/web/signup/oauth", 303)
        if "oauth_error=3" in (getattr(response, "location", None) or "") and isinstance(
            state := self._lbc_state(kw), dict
        ):
            response.location += "&" + urlencode({"oauth_provider": state.get("p")})
        return response

    @staticmethod
    def _lbc_state(kw):
        try:
            return json.loads(kw.get("state") or "")
        except ValueError:
            return None

    # auth='public' is safe: it shows and completes only the identity the provider confirmed to this browser
    # (kept in its server-side session by res.users._lbc_oauth_signup_offer, expiring); CSRF on; the model checks
    # the terms, the professional address and that nobody holds the identity or the address
    @http.route("/web/signup/oauth", type="http", auth="public", website=True, sitemap=False, methods=["GET", "POST"])
    def lbc_oauth_signup(self, **kw):
        pending = request.session.get(OAUTH_SIGNUP_SESSION_KEY)
        if not pending:
            return request.redirect("/web/login")
        values = {
            "pending": pending,
            "lbc_terms": request.env["lbc.agreement"]._lbc_current("terms"),
            "lbc_accept_terms": bool(kw.get("lbc_accept_terms")),
            "lbc_import_profile": bool(kw.get("lbc_import_profile")),
        }
        if request.httprequest.method == "POST":
            Users = request.env["res.users"]
            try:
                with request.env.cr.savepoint():
                    user = Users._lbc_oauth_signup(pending, values["lbc_accept_terms"], values["lbc_import_profile"])
            except UserError as error:
                values["error"] = error.args[0]
            else:
                request.session.pop(OAUTH_SIGNUP_SESSION_KEY, None)
                if user.lbc_account_state == "pending":
                    return request.redirect("/web/activate/sent?" + urlencode({"login": user.login}))
                credential = {"login": user.login, "token": pending.get("access_token"), "type": "oauth_token"}
                request.session.authenticate(request.env, credential)
                return request.redirect("/my")
        response = request.render("lbc_portal.oauth_signup", values, status=400 if values.get("error") else 200)
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
        return response

    @staticmethod
    def _lbc_linkedin_link_state(kw):
        """The state of a link request, or None for anything else (left to Odoo's sign-in)."""
        try:
            state = json.loads(kw.get("state") or "")
        except ValueError:
            return None
        return state if isinstance(state, dict) and "lbc_link" in state else None

    @staticmethod
    def _lbc_linkedin_back(code, success=False):
        return request.redirect(f"/my/lbc/account?{'success' if success else 'error'}={code}")

    def _lbc_linkedin_state_error(self, user, state):
        """Why the link request `state` may not link `user`, the member signed in (None: it may)."""
        provider = user._lbc_linkedin_provider()
        if not provider.enabled:
            return "linkedin_unavailable"
        link = state["lbc_link"]
        if not isinstance(link, dict):
            return "linkedin_forged"
        user_id, token, signature = link.get("u"), link.get("t"), link.get("s")
        if not (isinstance(user_id, int) and isinstance(token, str) and isinstance(signature, str)):
            return "linkedin_forged"
        if state.get("d") != request.db or state.get("p") != provider.id:
            return "linkedin_forged"
        expected = user._lbc_linkedin_link_signature(request.db, user_id, token)
        if not consteq(expected, signature):
            return "linkedin_forged"
        if user_id != user.id:
            return "linkedin_other_user"
        max_ts = token.rpartition("o")[2]
        if not max_ts.isdigit() or int(max_ts) < time.time():
            return "linkedin_expired"
        # the token is a CSRF token of the session that started the request: another browser's is refused
        if not request.validate_csrf(token):
            return "linkedin_forged"
        return None

    def _lbc_linkedin_link_finish(self, state, kw):
        uid = request.session.uid
        if not uid:
            # the member is not signed in (any more): My account sends it to the login page, then shows why
            return self._lbc_linkedin_back("linkedin_expired")
        # the route is auth="none": act as the member signed in, with its own rights
        request.update_env(user=uid)
        user = request.env["res.users"].browse(uid)
        error = self._lbc_linkedin_state_error(user, state)
        if error:
            _logger.info("LinkedIn link request refused to user %s: %s", uid, error)
            return self._lbc_linkedin_back(error)
        try:
            with request.env.cr.savepoint():
                user._lbc_linkedin_link(kw)
        except AccessDenied:
            return self._lbc_linkedin_back("linkedin_denied")
        except UserError:
            return self._lbc_linkedin_back("linkedin_taken")
        return self._lbc_linkedin_back("linkedin_linked", success=True)


class LbcPortalAccount(LbcPortal):
    # ------------------------------------------------------------------ my LBC account
    @http.route()
    def home(self, **kw):
        """/my: a banner for the agreements in force the member (or its company) has not accepted yet, e.g. a new
        version (the members who accepted the previous one are also told by e-mail)."""
        response = super().home(**kw)
        if getattr(response, "is_qweb", False):
            response.qcontext["lbc_agreements_to_accept"] = request.env["res.users"]._lbc_agreements_to_accept()
        return response

    def _lbc_profile_types(self):
        company = self._lbc_company()
        selection = request.env["res.partner"]._fields["lbc_profile_type"]._description_selection(request.env)
        allowed = set()
        if not company or company.lbc_is_client:
            allowed.update(CLIENT_PROFILES)
        if not company or company.lbc_is_provider:
            allowed.update(PROVIDER_PROFILES)
        return [(key, label) for key, label in selection if key in allowed]

    def _lbc_account_render(self, error=None, success=None, status=200):
        user = self._lbc_user()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "lbc_account",
                "member": self._lbc_member(),
                "company": self._lbc_company(),
                # as the member: the roles it holds in its company (lbc.company.role's record rule)
                "company_roles": request.env["lbc.company.role"].search([("member_id", "=", self._lbc_member().id)]),
                "profile_types": self._lbc_profile_types(),
                "error": error,
                "success": success,
                "lbc_agreements_to_accept": request.env["res.users"]._lbc_agreements_to_accept(),
                "linkedin_enabled": bool(user._lbc_linkedin_provider().enabled),
                "linkedin_linked": user._lbc_linkedin_is_linked(),
                "has_password": user._lbc_has_password(),
                "set_password_url": "/web/reset_password?" + urlencode({"login": request.env.user.login}),
            }
        )
        return request.render("lbc_portal.portal_lbc_account", values, status=status)

    def _lbc_account_errors(self):
        """Refusals shown on My account after a redirect (LinkedIn's return): a fixed message per code."""
        again = request.env._("Nothing was changed; you can start again from this page.")
        return {
            "linkedin_unavailable": request.env._("LinkedIn sign-in is not available."),
            "linkedin_forged": request.env._(
                "This LinkedIn link request is not valid: it was not started from this page in this browser. %s",
                again,
            ),
            "linkedin_expired": request.env._(
                "This LinkedIn link request has expired (it must be completed within %(minutes)s minutes, while "
                "you are signed in). %(again)s",
                minutes=LINKEDIN_LINK_TTL // 60,
                again=again,
            ),
            "linkedin_other_user": request.env._(
                "This LinkedIn link request was started by another LBC account, not by the one signed in. %s", again
            ),
            "linkedin_denied": request.env._("LinkedIn did not confirm your identity. %s", again),
            "linkedin_taken": request.env._(
                "This LinkedIn account is already linked to another LBC account: nothing was changed. "
                "Sign in with that account to unlink it first, or contact LBC."
            ),
        }

    @http.route("/my/lbc/account", type="http", auth="user", website=True, methods=["GET"], readonly=True)
    def portal_lbc_account(self, success=None, error=None, **kw):
        messages = {
            "profile": request.env._("Your profile type is saved."),
            "delete": request.env._(
                "Your account will be deactivated within 48 hours; you can ask LBC to reactivate it for 30 days, "
                "then your personal data are anonymised."
            ),
            "email_sent": request.env._(
                "A confirmation link is sent to your new address: your address changes once you follow it."
            ),
            "email_changed": request.env._("Your e-mail address is changed: sign in with it from now on."),
            "linkedin_linked": request.env._("Your LinkedIn account is linked: you can now sign in with LinkedIn."),
            "linkedin_unlinked": request.env._(
                "Your LinkedIn account is unlinked: sign in with your e-mail address and password."
            ),
        }
        error_message = self._lbc_account_errors().get(error)
        return self._lbc_account_render(
            success=messages.get(success), error=error_message, status=400 if error_message else 200
        )

    @http.route("/my/lbc/account/linkedin/link", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_linkedin_link(self, **kw):
        """Send the member to LinkedIn with a state that asks to link LinkedIn to its own account.

        The state (Odoo's {d, p, r} plus `lbc_link`) names the member, carries a CSRF token of this session
        that expires after LINKEDIN_LINK_TTL seconds, and is signed with the database secret; LinkedIn sends it
        back to `/auth_oauth/signin` (LbcOAuthController), which checks all three before linking.
        """
        user = self._lbc_user()
        provider = user._lbc_linkedin_provider()
        if not provider.enabled:
            return self._lbc_account_render(error=self._lbc_account_errors()["linkedin_unavailable"], status=400)
        token = request.csrf_token(time_limit=LINKEDIN_LINK_TTL)
        url_root = request.httprequest.url_root
        state = {
            "d": request.db,
            "p": provider.id,
            "r": quote_plus(url_root + "my/lbc/account"),
            "lbc_link": {"u": user.id, "t": token, "s": user._lbc_linkedin_link_signature(request.db, user.id, token)},
        }
        # the same authorisation request as auth_oidc's sign-in links (OpenIDLogin.list_providers): a code, PKCE
        # with the provider's verifier (the code exchange sends it), a nonce
        challenge = base64.urlsafe_b64encode(hashlib.sha256(provider.code_verifier.encode("ascii")).digest())
        params = {
            "response_type": "code",
            "code_challenge": challenge.rstrip(b"=").decode(),
            "code_challenge_method": "S256",
            "nonce": secrets.token_urlsafe(),
            "client_id": provider.client_id,
            "redirect_uri": _oauth_redirect_uri(),
            "scope": provider.scope,
            "state": json.dumps(state),
        }
        return request.redirect(f"{provider.auth_endpoint}?{urlencode(params)}", local=False)

    @http.route("/my/lbc/account/linkedin/unlink", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_linkedin_unlink(self, **kw):
        """Unlink LinkedIn from the member's own account (never another's: no id is taken from the form)."""
        user = self._lbc_user()
        ok, result = self._lbc_call(user._lbc_linkedin_unlink)
        if not ok:
            return self._lbc_account_render(error=result, status=400)
        # the LinkedIn access token is part of the session token: keep this session signed in (as Odoo does
        # after a password change), the sessions opened through LinkedIn end
        request.env.flush_all()
        request.session.session_token = request.env.user._compute_session_token(request.session.sid)
        return request.redirect("/my/lbc/account?success=linkedin_unlinked")

    @http.route("/my/lbc/account/email", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_account_email(self, new_email=None, **kw):
        """Ask to change the e-mail address: the model sends a confirmation link to the new address."""
        user = self._lbc_user()
        ok, result = self._lbc_call(user.action_lbc_request_email_change, (new_email or "").strip())
        if not ok:
            return self._lbc_account_render(error=result, status=400)
        return request.redirect("/my/lbc/account?success=email_sent")

    @http.route("/my/lbc/account/email/confirm", type="http", auth="user", website=True, methods=["GET"])
    def portal_lbc_account_email_confirm(self, token=None, **kw):
        """The confirmation link of a new address, followed while signed in: the address changes."""
        user = self._lbc_user()
        ok, result = self._lbc_call(user._lbc_confirm_email_change, token)
        if not ok:
            return self._lbc_account_render(error=result, status=400)
        # the login is part of the session token: keep this session signed in (as after a password change)
        request.env.flush_all()
        request.session.session_token = request.env.user._compute_session_token(request.session.sid)
        return request.redirect("/my/lbc/account?success=email_changed")

    @http.route("/my/lbc/account/profile", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_account_profile(self, lbc_profile_type=None, **kw):
        if lbc_profile_type not in dict(self._lbc_profile_types()):
            return self._lbc_account_render(
                error=request.env._("Please choose a profile type from the list."), status=400
            )
        member = self._lbc_member()
        # as the member: the model checks it is its own account and the profile matches its company's kind
        ok, result = self._lbc_call(member.action_lbc_set_profile_type, lbc_profile_type)
        if not ok:
            return self._lbc_account_render(error=result, status=400)
        return request.redirect("/my/lbc/account?success=profile")

    @http.route("/my/lbc/account/delete_request", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_account_delete_request(self, reason=None, confirm=None, **kw):
        """My account → Delete my account: the lifecycle deactivates the account within 48 hours (reactivable
        on request for 30 days, then anonymised); refused with the reason while a running contract needs it."""
        if not confirm:
            return self._lbc_account_render(
                error=request.env._("Tick the confirmation box to delete your account."), status=400
            )
        member = self._lbc_member()
        ok, result = self._lbc_call(member.action_lbc_request_deletion)
        if not ok:
            return self._lbc_account_render(error=result, status=400)
        if reason and reason.strip():
            member.sudo().message_post(  # sudo: a note on the member's own partner only
                body=request.env._("Reason given for the deletion: %(reason)s", reason=reason.strip()),
                subtype_xmlid="mail.mt_note",
            )
        return request.redirect("/my/lbc/account?success=delete")
