"""Member portal, account side: signup, my LBC account, company, agreements, vigilance documents.

Every page acts with the member's own rights: the business methods of lbc_base / lbc_compliance /
lbc_tender check who may do what. `sudo()` appears only after an explicit check, with a comment.
"""

import base64
import json
import logging
import time
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit, urlunsplit

from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fr import siret as stdnum_siret
from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.addons.auth_oauth.controllers.main import OAuthController, OAuthLogin
from odoo.addons.auth_signup.controllers.main import AuthSignupHome
from odoo.addons.auth_signup.models.res_partner import SignupError
from odoo.addons.lbc_base.controllers.portal import LbcPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.web.controllers.utils import ensure_db
from odoo.exceptions import AccessDenied, AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import consteq, email_normalize

_logger = logging.getLogger(__name__)

COMPANY_FORM_FIELDS = ("name", "company_registry", "vat", "street", "zip", "city", "phone", "email", "website")
CLIENT_PROFILES = ("project_manager", "buyer", "purchasing_director")
PROVIDER_PROFILES = ("consultant", "sales_manager", "company_manager", "freelancer")
# Seconds a member has to come back from LinkedIn when it links its account (the state expires then)
LINKEDIN_LINK_TTL = 600
# What a provider answers instead of a code when the member cancels on its page (not worth a warning)
OAUTH_CANCELLED_ERRORS = ("user_cancelled_login", "user_cancelled_authorize", "access_denied")


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
    @http.route("/web/activate/sent", type="http", auth="public", website=True, sitemap=False, methods=["GET"])
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
    (the code exchange must send the same one)."""
    return request.httprequest.url_root + "auth_oauth/signin"


def _oauth_with_response_type(url, response_type):
    """The authorization request `url` asking for `response_type` instead, everything else kept."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query = [(key, response_type if key == "response_type" else value) for key, value in query]
    return urlunsplit(parts._replace(query=urlencode(query)))


class LbcOAuthLogin(OAuthLogin):
    """The login page: code-flow providers (LinkedIn) are asked for a code, LBC's refusals are explained."""

    def list_providers(self):
        providers = super().list_providers()
        for provider in providers:
            # auth_oauth reads every field of the providers (sudo): the secret stays out of the page's values
            provider.pop("lbc_client_secret", None)
            if provider.get("lbc_code_flow") and provider.get("auth_link"):
                # Odoo's authorization request (client id, redirect URI, scope, state) asking for a code
                provider["auth_link"] = _oauth_with_response_type(provider["auth_link"], "code")
        return providers

    def _lbc_oauth_error(self, code):
        """The login page's message for LBC's sign-in refusal `code` (`oauth_error`), None for any other."""
        if code == "lbc_linkedin_no_account":
            return request.env._(
                "No LBC account is linked to this LinkedIn account: sign up with your professional e-mail, then "
                "link LinkedIn from My account."
            )
        if code == "lbc_failed":
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
            if code == "lbc_linkedin_no_account":
                # shown next to the message when free signup is on (views/auth_oauth_templates.xml)
                response.qcontext["lbc_oauth_signup_url"] = "/web/signup"
        return response


class LbcOAuthController(OAuthController):
    """LinkedIn comes back to Odoo's `/auth_oauth/signin` both to sign in and to link an account.

    A link request (started on My account, `portal_lbc_linkedin_link`) carries `lbc_link` in its state: it is
    completed here for the member signed in, who lands back on My account; any other state is a sign-in.
    Providers with the authorization-code flow (`lbc_code_flow`: LinkedIn) send a code, exchanged here for the
    access token before Odoo's sign-in (or the link) goes on with it; the others keep Odoo's implicit flow.
    """

    @http.route()
    def signin(self, **kw):
        state = self._lbc_linkedin_link_state(kw)
        if state is not None:
            return self._lbc_linkedin_link_finish(state, kw)
        provider = self._lbc_oauth_code_flow_provider(kw)
        if provider:
            # authorization-code flow: Odoo's sign-in goes on with the access token the code is exchanged for
            kw, refusal = self._lbc_oauth_code_signin_params(provider, kw)
            if refusal:
                return self._lbc_oauth_refused(refusal, provider)
        # otherwise Odoo's implicit flow (the access token comes in the URL), untouched
        return super().signin(**kw)

    @staticmethod
    def _lbc_oauth_code_flow_provider(kw):
        """The code-flow provider named by the state, or None (the request is left to Odoo's sign-in)."""
        try:
            state = json.loads(kw.get("state") or "")
        except ValueError:
            return None
        if not isinstance(state, dict):
            return None
        dbname, provider_id = state.get("d"), state.get("p")
        if not isinstance(dbname, str) or type(provider_id) is not int or not http.db_filter([dbname]):
            return None
        # as Odoo's sign-in: the session works on the state's database (redirects to this same URL otherwise)
        ensure_db(db=dbname)
        provider = request.env["auth.oauth.provider"]._lbc_oauth_signin_provider(provider_id)
        return provider if provider.lbc_code_flow else None

    @staticmethod
    def _lbc_oauth_access_token(provider, kw):
        """The access token of the provider's answer `kw`: exchanged for its code (code flow), as sent otherwise.

        Raises AccessDenied (logged) when a code-flow provider sent no code or refused it. A code-flow
        provider's access token never comes from the URL: only one obtained with LBC's secret is used.
        """
        if not provider.lbc_code_flow:
            return kw.get("access_token")
        if not provider.enabled:
            _logger.warning("OAuth provider %s is not allowed: its answer is ignored", provider.name)
            raise AccessDenied()
        code = kw.get("code")
        if not code:
            error = kw.get("error") or "no authorization code"
            _logger.log(
                logging.INFO if error in OAUTH_CANCELLED_ERRORS else logging.WARNING,
                "OAuth provider %s sent no authorization code: %s %s",
                provider.name,
                error,
                kw.get("error_description") or "",
            )
            raise AccessDenied()
        return provider._lbc_oauth_exchange_code(code, _oauth_redirect_uri())

    @staticmethod
    def _lbc_oauth_refused(code, provider):
        """Back to the login page with LBC's message `code` (LbcOAuthLogin._lbc_oauth_error)."""
        redirect = request.redirect(
            "/web/login?" + urlencode({"oauth_error": code, "oauth_provider": provider.id}), 303
        )
        redirect.autocorrect_location_header = False
        return redirect

    def _lbc_oauth_code_signin_params(self, provider, kw):
        """Odoo's sign-in parameters for the code-flow provider's answer `kw`: its code exchanged for the access
        token (`res.users.auth_oauth` then asks userinfo and signs in the linked account).

        Returns (params, None), or (None, refusal code) for the login page (LbcOAuthLogin._lbc_oauth_error).
        """
        try:
            access_token = self._lbc_oauth_access_token(provider, kw)
        except AccessDenied:
            return None, "lbc_failed"
        Users = request.env["res.users"]
        if provider == Users._lbc_linkedin_provider():
            # LinkedIn signs in linked members only (res.users._auth_oauth_signin refuses anybody else), but Odoo's
            # sign-in shows one generic message for every refusal: LinkedIn is asked who the member is first, so
            # that an identity linked to no account is told how to join (Odoo's sign-in asks LinkedIn again).
            try:
                linked = Users._lbc_oauth_identity_has_account(provider.id, access_token)
            except AccessDenied:
                return None, "lbc_failed"
            if not linked:
                return None, "lbc_linkedin_no_account"
        params = {key: value for key, value in kw.items() if key != "code"}
        params["access_token"] = access_token
        return params, None

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
            access_token = self._lbc_oauth_access_token(user._lbc_linkedin_provider(), kw)
        except AccessDenied:
            return self._lbc_linkedin_back("linkedin_denied")
        try:
            with request.env.cr.savepoint():
                user._lbc_linkedin_link(access_token)
        except AccessDenied:
            return self._lbc_linkedin_back("linkedin_denied")
        except UserError:
            return self._lbc_linkedin_back("linkedin_taken")
        return self._lbc_linkedin_back("linkedin_linked", success=True)


class LbcPortalAccount(LbcPortal):
    # ------------------------------------------------------------------ helpers

    def _lbc_is_admin(self, company=None):
        company = company or self._lbc_company()
        return bool(company) and request.env.user._lbc_has_role("admin", company)

    def _lbc_relevant_kinds(self, company=None):
        return request.env["res.users"]._lbc_relevant_agreement_kinds(company)

    def _lbc_is_accepted(self, agreement):
        holder = self._lbc_member() if agreement.kind == "terms" else self._lbc_company()
        return bool(holder) and holder.lbc_has_accepted(agreement.kind)

    def _lbc_agreements_to_accept(self):
        return request.env["res.users"]._lbc_agreements_to_accept()

    # ------------------------------------------------------------------ gate

    @http.route("/my/company/acknowledge_labour_law", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_acknowledge_labour_law(self, redirect=None, **kw):
        company = self._lbc_company()
        if not company:
            return request.redirect("/my/company")
        ok, result = self._lbc_call(company.action_lbc_acknowledge_labour_law)
        if not ok:
            return self._lbc_company_render(error=result)
        target = redirect if redirect and redirect.startswith("/my") else "/my/company"
        return request.redirect(target)

    # ------------------------------------------------------------------ /my home
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        company = self._lbc_company()
        if "lbc_join_request_count" in counters:
            count = 0
            if company and self._lbc_is_admin(company):
                count = request.env["lbc.join.request"].search_count(
                    [("member_company_id", "=", company.id), ("state", "=", "pending")]
                )
            values["lbc_join_request_count"] = count
        if "lbc_compliance_document_count" in counters:
            count = 0
            if company.lbc_is_provider:
                count = request.env["lbc.compliance.document"].search_count(
                    [("partner_id", "=", company.id), ("is_current", "=", True)]
                )
            values["lbc_compliance_document_count"] = count
        if "lbc_agreement_count" in counters:
            values["lbc_agreement_count"] = len(self._lbc_agreements_to_accept())
        return values

    # ------------------------------------------------------------------ my LBC account
    @http.route()
    def home(self, **kw):
        """/my: a banner for the agreements in force the member (or its company) has not accepted yet, e.g. a new
        version (the members who accepted the previous one are also told by e-mail)."""
        response = super().home(**kw)
        if getattr(response, "is_qweb", False):
            response.qcontext["lbc_agreements_to_accept"] = self._lbc_agreements_to_accept()
        return response

    def _validate_address_values(self, address_values, partner_sudo, *args, **kwargs):
        """Odoo's address form (/my/account) writes the member's partner in sudo, e-mail included: a member's own
        address changes only from My LBC account, once the new address is confirmed."""
        invalid, missing, messages = super()._validate_address_values(address_values, partner_sudo, *args, **kwargs)
        member = request.env.user.partner_id
        new_email = address_values.get("email")
        if (
            partner_sudo == member
            and request.env.user.share
            and new_email is not None
            and email_normalize(new_email or "") != email_normalize(member.email or "")
        ):
            invalid.add("email")
            messages.append(
                request.env._(
                    "Change your e-mail address from My LBC account: the new address is confirmed by a link sent to "
                    "it before it takes effect."
                )
            )
        return invalid, missing, messages

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
                "profile_types": self._lbc_profile_types(),
                "error": error,
                "success": success,
                "lbc_agreements_to_accept": self._lbc_agreements_to_accept(),
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

    @http.route("/my/lbc/account", type="http", auth="user", website=True, methods=["GET"])
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
        # the same authorisation request as the sign-in links (auth_oauth's OAuthLogin.list_providers, which asks
        # code-flow providers for a code: LbcOAuthLogin)
        params = {
            "response_type": provider._lbc_oauth_response_type(),
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

    # ------------------------------------------------------------------ company
    def _lbc_company_values(self, company):
        values = {"company": company, "is_admin": self._lbc_is_admin(company)}
        if not company:
            return values
        members = company.child_ids.filtered(lambda p: not p.is_company and p.type == "contact")
        roles = request.env["lbc.company.role"].search([("member_company_id", "=", company.id)])
        values.update(
            {
                "members": members,
                "roles_by_member": {m.id: roles.filtered(lambda r, m=m: r.member_id == m) for m in members},
                "role_selection": request.env["lbc.company.role"]._fields["role"]._description_selection(request.env),
                "state_label": dict(company._fields["lbc_state"]._description_selection(request.env)).get(
                    company.lbc_state
                ),
                "gate_missing": self._lbc_gate_missing(needs=("validated", "agreements", "labour_law")),
            }
        )
        if values["is_admin"]:
            join_requests = request.env["lbc.join.request"].search(
                [("member_company_id", "=", company.id), ("state", "=", "pending")]
            )
            # sudo: the admin reads the requests it may answer (found above with its own rights); the
            # requester is not yet a member of the company, so its name is read with sudo
            values["join_requests"] = join_requests.sudo()
        return values

    def _lbc_company_render(self, error=None, success=None, form=None, status=200, join_results=None, search=None):
        company = self._lbc_company()
        values = self._prepare_portal_layout_values()
        values.update(self._lbc_company_values(company))
        member = self._lbc_member()
        values.update(
            {
                "page_name": "lbc_company",
                "member": member,
                "error": error,
                "success": success,
                "form": form or {},
                "countries": request.env["res.country"].search([]),
                "france": request.env.ref("base.fr"),
                "join_results": join_results,
                "join_search": search or "",
                # sudo: the member's own pending requests (found with its rights); the company it asked to join
                # is not readable by it yet, and only its name is shown
                "my_join_requests": request.env["lbc.join.request"]
                .search([("member_id", "=", member.id), ("state", "=", "pending")])
                .sudo(),
            }
        )
        if not form and company:
            values["form"] = {name: company[name] or "" for name in COMPANY_FORM_FIELDS}
            values["form"].update(
                {
                    "country_id": company.country_id.id,
                    "lbc_is_client": company.lbc_is_client,
                    "lbc_is_provider": company.lbc_is_provider,
                    "lbc_description": company.lbc_description or "",
                }
            )
        return request.render("lbc_portal.portal_lbc_company", values, status=status)

    def _lbc_company_form_vals(self, post):
        vals = {name: (post.get(name) or "").strip() for name in COMPANY_FORM_FIELDS}
        vals = {name: value for name, value in vals.items() if value}
        vals["lbc_is_client"] = bool(post.get("lbc_is_client"))
        vals["lbc_is_provider"] = bool(post.get("lbc_is_provider"))
        if post.get("lbc_description") is not None:
            vals["lbc_description"] = post["lbc_description"].strip()
        country_id = post.get("country_id")
        if country_id and str(country_id).isdigit():
            vals["country_id"] = int(country_id)
        return vals

    def _lbc_company_messages(self):
        return {
            "created": request.env._(
                "Your company is created: complete its address, then submit it for validation by LBC."
            ),
            "updated": request.env._("The company is saved."),
            "submitted": request.env._("The company is submitted: LBC will review it and let you know."),
            "join_requested": request.env._("Your request is sent to the company's administrators."),
            "join_cancelled": request.env._("Your request is cancelled."),
            "accepted": request.env._("The member joined the company."),
            "refused": request.env._("The request is refused; the member is told why."),
            "granted": request.env._("The role is granted."),
            "revoked": request.env._("The role is revoked."),
            "left": request.env._("You left the company."),
        }

    @http.route("/my/company", type="http", auth="user", website=True, methods=["GET"])
    def portal_lbc_company(self, success=None, join_search=None, **kw):
        join_results = None
        search = (join_search or "").strip()
        if search and not self._lbc_company():
            join_results = self._lbc_search_companies(search)
        return self._lbc_company_render(
            success=self._lbc_company_messages().get(success), join_results=join_results, search=search
        )

    def _lbc_search_companies(self, search):
        """Member companies matching an exact SIRET or an exact name (case-insensitive)."""
        siret = search.replace(" ", "").replace(".", "").replace("-", "")
        domain = [("is_company", "=", True), ("lbc_state", "in", ("draft", "submitted", "validated"))]
        if siret.isdigit():
            domain.append(("company_registry", "=", siret))
        else:
            domain.append(("name", "=ilike", search))
        # sudo: a member without a company cannot read other companies; the search is a fixed exact match
        # (never a user-chosen domain nor a partial match: no way to list the members of the platform) and the
        # template shows only the name and city needed to pick the company
        return request.env["res.partner"].sudo().search(domain, limit=5)

    @http.route("/my/company/siret_check", type="jsonrpc", auth="user", website=True, readonly=True)
    def portal_lbc_siret_check(self, siret=None, **kw):
        """Live check of a SIRET as the member types it (the server checks it again on save)."""
        value = (siret or "").replace(" ", "").replace(".", "").replace("-", "")
        if not value:
            return {"valid": False, "message": ""}
        try:
            stdnum_siret.validate(value)
        except StdnumValidationError:
            if not value.isdigit() or len(value) != 14:
                message = request.env._("A SIRET has 14 digits (%(count)s typed).", count=len(value))
            else:
                message = request.env._("This SIRET is not valid: check the digits (the check digit does not match).")
            return {"valid": False, "message": message}
        # sudo: only tells whether this exact SIRET (public registry data) is already on the platform
        taken = (
            request.env["res.partner"]
            .sudo()
            .search_count([("lbc_state", "!=", False), ("company_registry", "=", value)], limit=1)
        )
        if taken:
            return {
                "valid": False,
                "message": request.env._(
                    "This SIRET is already registered on the platform: ask to join the company instead."
                ),
            }
        return {"valid": True, "message": request.env._("Valid SIRET (SIREN %(siren)s).", siren=value[:9])}

    @http.route("/my/company/create", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_company_create(self, **post):
        vals = self._lbc_company_form_vals(post)
        if not vals.get("name"):
            return self._lbc_company_render(
                error=request.env._("Please give the company's name."), form=post, status=400
            )
        if (
            vals.get("company_registry")
            and vals.get("country_id", request.env.ref("base.fr").id) == request.env.ref("base.fr").id
        ):
            if not stdnum_siret.is_valid(vals["company_registry"].replace(" ", "")):
                return self._lbc_company_render(
                    error=request.env._(
                        "The SIRET %(siret)s is not valid: a SIRET has 14 digits and a valid check digit.",
                        siret=vals["company_registry"],
                    ),
                    form=post,
                    status=400,
                )
        vals.setdefault("country_id", request.env.ref("base.fr").id)
        # as the member: lbc_create_company checks the fields a member may set, the SIRET, and its company
        ok, result = self._lbc_call(request.env["res.partner"].lbc_create_company, vals)
        if not ok:
            return self._lbc_company_render(error=result, form=post, status=400)
        return request.redirect("/my/company?success=created")

    @http.route("/my/company/join", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_company_join(self, company_id=None, **post):
        if not str(company_id or "").isdigit():
            return self._lbc_company_render(error=request.env._("Please choose a company."), status=400)
        ok, result = self._lbc_call(request.env["res.partner"].action_lbc_request_join, int(company_id))
        if not ok:
            return self._lbc_company_render(error=result, status=400)
        return request.redirect("/my/company?success=join_requested")

    def _lbc_record(self, model, record_id):
        """The record if the member may read it, else 404 (ids of other companies are not disclosed)."""
        record = request.env[model].browse(int(record_id)).exists()
        if not record or not record.has_access("read"):
            raise NotFound()
        return record

    @http.route(
        "/my/company/join/<int:join_id>/<string:decision>",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_lbc_join_decide(self, join_id, decision, reason=None, **post):
        """accept / refuse (company admins) or cancel (the requesting member): the actions check who."""
        join_request = self._lbc_record("lbc.join.request", join_id)
        if decision == "accept":
            ok, result = self._lbc_call(join_request.action_accept)
        elif decision == "refuse":
            ok, result = self._lbc_call(join_request.action_refuse, reason=reason)
        elif decision == "cancel":
            ok, result = self._lbc_call(join_request.action_cancel)
        else:
            raise NotFound()
        if not ok:
            return self._lbc_company_render(error=result, status=403)
        success = {"accept": "accepted", "refuse": "refused", "cancel": "join_cancelled"}[decision]
        return request.redirect(f"/my/company?success={success}")

    @http.route("/my/company/update", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_company_update(self, **post):
        company = self._lbc_company()
        if not company:
            return request.redirect("/my/company")
        vals = self._lbc_company_form_vals(post)
        # fields left empty are cleared, except the kind checkboxes which must stay explicit
        for name in COMPANY_FORM_FIELDS:
            vals.setdefault(name, False)
        # as the member: action_lbc_update checks it administers the company and which fields it may change
        ok, result = self._lbc_call(company.action_lbc_update, vals)
        if not ok:
            return self._lbc_company_render(error=result, form=post, status=400)
        return request.redirect("/my/company?success=updated")

    @http.route("/my/company/submit", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_company_submit(self, **post):
        company = self._lbc_company()
        if not company:
            return request.redirect("/my/company")
        ok, result = self._lbc_call(company.action_lbc_submit)
        if not ok:
            return self._lbc_company_render(error=result, status=400)
        return request.redirect("/my/company?success=submitted")

    @http.route("/my/company/leave", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_company_leave(self, **post):
        member = self._lbc_member()
        if not member.parent_id:
            return request.redirect("/my/company")
        ok, result = self._lbc_call(member.action_lbc_leave_company)
        if not ok:
            return self._lbc_company_render(error=result, status=400)
        return request.redirect("/my/company?success=left")

    @http.route("/my/company/member/<int:member_id>/grant", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_role_grant(self, member_id, role=None, **post):
        member = self._lbc_record("res.partner", member_id)
        company = self._lbc_company()
        if not company or member.parent_id != company:
            raise NotFound()
        ok, result = self._lbc_call(member.action_lbc_grant_role, role)
        if not ok:
            return self._lbc_company_render(error=result, status=403)
        return request.redirect("/my/company?success=granted")

    @http.route("/my/company/role/<int:role_id>/revoke", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_role_revoke(self, role_id, **post):
        role = self._lbc_record("lbc.company.role", role_id)
        ok, result = self._lbc_call(role.action_revoke)
        if not ok:
            return self._lbc_company_render(error=result, status=403)
        return request.redirect("/my/company?success=revoked")

    # ------------------------------------------------------------------ agreements
    def _lbc_agreement_searchbar(self):
        return {
            "sortings": {
                "kind": {"label": request.env._("Kind"), "order": "kind, version desc"},
                "date": {"label": request.env._("Effective Date"), "order": "date desc, id desc"},
                "name": {"label": request.env._("Name"), "order": "name"},
            },
            "filters": {
                "all": {"label": request.env._("All")},
                "to_accept": {"label": request.env._("To accept")},
                "accepted": {"label": request.env._("Accepted")},
            },
            "inputs": {
                "name": {"input": "name", "label": request.env._("Search in Name")},
            },
        }

    @http.route(["/my/agreements", "/my/agreements/page/<int:page>"], type="http", auth="user", website=True)
    def portal_lbc_agreements(self, page=1, sortby="kind", filterby="all", search=None, search_in="name", **kw):
        searchbar = self._lbc_agreement_searchbar()
        sortby = sortby if sortby in searchbar["sortings"] else "kind"
        filterby = filterby if filterby in searchbar["filters"] else "all"
        Agreement = request.env["lbc.agreement"]
        domain = [("kind", "in", self._lbc_relevant_kinds()), ("is_current", "=", True)]
        if search:
            domain.append(("name", "ilike", search))
        agreements = Agreement.search(domain, order=searchbar["sortings"][sortby]["order"])
        accepted = {a.id: self._lbc_is_accepted(a) for a in agreements}
        if filterby == "to_accept":
            agreements = agreements.filtered(lambda a: not accepted[a.id])
        elif filterby == "accepted":
            agreements = agreements.filtered(lambda a: accepted[a.id])
        pager = portal_pager(
            url="/my/agreements",
            total=len(agreements),
            page=page,
            step=self._items_per_page,
            url_args={"sortby": sortby, "filterby": filterby, "search": search, "search_in": search_in},
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "lbc_agreements",
                "agreements": agreements[pager["offset"] : pager["offset"] + self._items_per_page],
                "accepted": accepted,
                "pager": pager,
                "default_url": "/my/agreements",
                "searchbar_sortings": searchbar["sortings"],
                "searchbar_filters": searchbar["filters"],
                "searchbar_inputs": searchbar["inputs"],
                "sortby": sortby,
                "filterby": filterby,
                "search": search,
                "search_in": search_in,
            }
        )
        return request.render("lbc_portal.portal_lbc_agreements", values)

    def _lbc_agreement_render(self, agreement, error=None, success=None, status=200):
        company = self._lbc_company()
        user = request.env.user
        can_accept = agreement.kind == "terms" or (
            bool(company) and (user._lbc_has_role(("admin", "signatory"), company, verified=True))
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "lbc_agreement",
                "agreement": agreement,
                "is_accepted": self._lbc_is_accepted(agreement),
                "can_accept": can_accept,
                "company": company,
                "error": error,
                "success": success,
                "report_url": f"/report/pdf/lbc_base.lbc_agreement_document/{agreement.id}?download=1",
            }
        )
        return request.render("lbc_portal.portal_lbc_agreement", values, status=status)

    def _lbc_agreement(self, agreement_id):
        try:
            # as the member: active agreements are readable by portal users, archived ones are not
            self._document_check_access("lbc.agreement", agreement_id)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        agreement = request.env["lbc.agreement"].browse(agreement_id)
        if agreement.kind not in self._lbc_relevant_kinds():
            raise NotFound()
        return agreement

    @http.route("/my/agreements/<int:agreement_id>", type="http", auth="user", website=True, methods=["GET"])
    def portal_lbc_agreement(self, agreement_id, success=None, **kw):
        agreement = self._lbc_agreement(agreement_id)
        return self._lbc_agreement_render(
            agreement, success=request.env._("Thank you: the acceptance is recorded.") if success else None
        )

    @http.route("/my/agreements/<int:agreement_id>/accept", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_agreement_accept(self, agreement_id, **post):
        agreement = self._lbc_agreement(agreement_id)
        ok, result = self._lbc_call(agreement.action_accept)
        if not ok:
            return self._lbc_agreement_render(agreement, error=result, status=403)
        return request.redirect(f"/my/agreements/{agreement.id}?success=1")

    # ------------------------------------------------------------------ vigilance documents
    def _lbc_compliance_searchbar(self):
        return {
            "sortings": {
                "type": {"label": request.env._("Document Type"), "order": "type_id, issue_date desc, id desc"},
                "issue_date": {"label": request.env._("Issue Date"), "order": "issue_date desc, id desc"},
                "expiry_date": {"label": request.env._("Expiry Date"), "order": "expiry_date, id desc"},
            },
            "filters": {
                "current": {"label": request.env._("Current"), "domain": [("is_current", "=", True)]},
                "to_review": {"label": request.env._("Awaiting review"), "domain": [("state", "=", "submitted")]},
                "problems": {
                    "label": request.env._("Rejected or expired"),
                    "domain": [("state", "in", ("rejected", "expired"))],
                },
                "all": {"label": request.env._("All (history)"), "domain": []},
            },
            "inputs": {
                "type": {"input": "type", "label": request.env._("Search in Type")},
            },
        }

    def _lbc_compliance_render(
        self,
        page=1,
        sortby="type",
        filterby="current",
        search=None,
        search_in="type",
        error=None,
        success=None,
        form=None,
        status=200,
    ):
        company = self._lbc_company()
        if not company.lbc_is_provider:
            return self._lbc_gate_render(
                [
                    {
                        "text": request.env._("Vigilance documents are asked of provider companies only."),
                        "url": "/my/company",
                        "label": request.env._("My company"),
                    }
                ]
                if company
                else self._lbc_gate_missing(needs=("company",)),
                title=request.env._("Vigilance documents"),
            )
        searchbar = self._lbc_compliance_searchbar()
        sortby = sortby if sortby in searchbar["sortings"] else "type"
        filterby = filterby if filterby in searchbar["filters"] else "current"
        Document = request.env["lbc.compliance.document"]
        domain = [("partner_id", "=", company.id)] + searchbar["filters"][filterby]["domain"]
        if search:
            domain.append(("type_id.name", "ilike", search))
        total = Document.search_count(domain)
        pager = portal_pager(
            url="/my/compliance",
            total=total,
            page=page,
            step=self._items_per_page,
            url_args={"sortby": sortby, "filterby": filterby, "search": search, "search_in": search_in},
        )
        documents = Document.search(
            domain,
            order=searchbar["sortings"][sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "lbc_compliance",
                "company": company,
                "is_admin": self._lbc_is_admin(company),
                "documents": documents,
                "document_types": request.env["lbc.compliance.document.type"]._lbc_required_types(
                    company.lbc_is_foreign
                ),
                "state_label": dict(company._fields["lbc_compliance_state"]._description_selection(request.env)).get(
                    company.lbc_compliance_state
                ),
                "pager": pager,
                "default_url": "/my/compliance",
                "searchbar_sortings": searchbar["sortings"],
                "searchbar_filters": searchbar["filters"],
                "searchbar_inputs": searchbar["inputs"],
                "sortby": sortby,
                "filterby": filterby,
                "search": search,
                "search_in": search_in,
                "error": error,
                "success": success,
                "form": form or {},
                "today": fields.Date.context_today(request.env.user),
            }
        )
        return request.render("lbc_portal.portal_lbc_compliance", values, status=status)

    @http.route(["/my/compliance", "/my/compliance/page/<int:page>"], type="http", auth="user", website=True)
    def portal_lbc_compliance(
        self, page=1, sortby="type", filterby="current", search=None, search_in="type", success=None, **kw
    ):
        return self._lbc_compliance_render(
            page=page,
            sortby=sortby,
            filterby=filterby,
            search=search,
            search_in=search_in,
            success=request.env._("The document is uploaded: LBC will verify it.") if success else None,
        )

    @http.route("/my/compliance/upload", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_compliance_upload(self, type_code=None, issue_date=None, urssaf_code=None, file=None, **post):
        company = self._lbc_company()
        form = {"type_code": type_code, "issue_date": issue_date, "urssaf_code": urssaf_code}
        if not company.lbc_is_provider:
            return self._lbc_compliance_render()
        filename = getattr(file, "filename", None) or ""
        datas = base64.b64encode(file.read()) if filename else b""
        try:
            issue = fields.Date.to_date(issue_date) if issue_date else False
        except ValueError:
            return self._lbc_compliance_render(
                error=request.env._("The issue date %(date)s is not a date.", date=issue_date), form=form, status=400
            )
        # as the member: the upload action checks the member administers the provider and the file's content
        ok, result = self._lbc_call(
            company.action_lbc_upload_compliance_document,
            type_code,
            filename,
            datas,
            issue,
            urssaf_code=(urssaf_code or "").strip() or None,
        )
        if not ok:
            return self._lbc_compliance_render(error=result, form=form, status=400)
        return request.redirect("/my/compliance?success=1")

    @http.route("/my/compliance/<int:document_id>", type="http", auth="user", website=True, methods=["GET"])
    def portal_lbc_compliance_document(self, document_id, **kw):
        try:
            # as the member: the record rule limits documents to its company (and the clients it works with)
            self._document_check_access("lbc.compliance.document", document_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        document = request.env["lbc.compliance.document"].browse(document_id)
        if document.partner_id != self._lbc_company():
            # a client reads its providers' documents elsewhere (the mission pages), not on this page
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "lbc_compliance_document", "document": document})
        return request.render("lbc_portal.portal_lbc_compliance_document", values)
