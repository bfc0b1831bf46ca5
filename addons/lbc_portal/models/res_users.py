"""LinkedIn (OpenID Connect through OCA's auth_oidc) on LBC's terms: sign-in of linked members, LBC's signup of
a new member, link and unlink from My account.

The member acts on its own user only (`_lbc_linkedin_check_self`); the OAuth fields are not writable by
portal users, hence the `sudo()` after that check. The portal controller (controllers/portal_account.py)
sends the member to LinkedIn with a signed, session-bound, short-lived state and calls
`_lbc_linkedin_link` when LinkedIn sends it back to `/auth_oauth/signin`.

An identity linked to no account is never turned into an account by Odoo's OAuth signup (`_auth_oauth_signin`),
which would skip LBC's signup rules: it is offered LBC's signup page instead (`_lbc_oauth_signup_offer`,
`_lbc_oauth_signup`: terms accepted first, professional e-mail, verified address or activation e-mail).
"""

import base64
import logging
import time
from urllib.parse import urlsplit

import requests
from jose.exceptions import JOSEError

from odoo import api, models
from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.http import request
from odoo.tools import clean_context
from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.misc import hmac

_logger = logging.getLogger(__name__)

LINKEDIN_PROVIDER_XMLID = "lbc_portal.auth_oauth_provider_linkedin"
LINKEDIN_LINK_SCOPE = "lbc_portal.linkedin_link"
# Where a provider's confirmed identity waits, in the visitor's session, for LBC's signup page; for how long
OAUTH_SIGNUP_SESSION_KEY = "lbc_oauth_signup"
OAUTH_SIGNUP_TTL = 900
PICTURE_MAX_BYTES = 5 * 1024 * 1024


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _lbc_linkedin_provider(self):
        """LBC's preset LinkedIn provider, or an empty recordset when it was deleted.

        sudo: members may not read OAuth providers; callers use its id, its public settings (client id,
        endpoints, scope: they are sent to the browser in the sign-in link anyway) and whether it is enabled.
        """
        provider = self.env.ref(LINKEDIN_PROVIDER_XMLID, raise_if_not_found=False)
        return (provider or self.env["auth.oauth.provider"]).sudo()

    @api.model
    def _lbc_linkedin_link_signature(self, db, user_id, token):
        """Signature of a link request of user `user_id` (the state sent to LinkedIn and back), bound to the
        database, the provider and `token` (a CSRF token of the member's session, which carries the expiry)."""
        provider = self._lbc_linkedin_provider()
        # sudo: tools.misc.hmac reads the database secret (a system parameter)
        return hmac(self.sudo().env, LINKEDIN_LINK_SCOPE, (db, provider.id, user_id, token))

    @api.model
    def _lbc_oidc_claims(self, provider, params):
        """The claims of the id_token that `provider` (an allowed OpenID Connect provider: LinkedIn) returns for
        the authorization code of `params`, checked by auth_oidc (PKCE, signature against the provider's keys,
        audience, expiry), with `user_id` (the `sub`) and `access_token`.

        Raises AccessDenied (logged) when the provider is not allowed, refuses the code or the id_token is not
        valid. sudo: the exchange reads the client secret (system administrators only), as a sign-in does.
        """
        provider = provider.sudo()
        if not (provider.enabled and provider.flow == "id_token_code"):
            raise AccessDenied()
        Users = self.sudo()
        try:
            access_token, id_token = Users._auth_oauth_get_tokens_auth_code_flow(provider, params)
            if not (access_token and id_token):
                raise AccessDenied()
            claims = provider._parse_id_token(id_token, access_token)
        except AccessDenied:
            raise
        except (requests.RequestException, JOSEError) as error:
            _logger.warning("OpenID Connect provider %s did not confirm the identity: %s", provider.name, error)
            raise AccessDenied() from None
        if not claims.get("sub"):
            raise AccessDenied()
        claims["user_id"] = str(claims["sub"])
        claims["access_token"] = access_token
        return claims

    @api.model
    def auth_oauth(self, provider, params):
        """auth_oidc's sign-in: a provider that refuses the code, cannot be reached or sends an id_token that does
        not pass the checks is a refusal (AccessDenied, logged as a warning), not a server error."""
        try:
            return super().auth_oauth(provider, params)
        except (requests.RequestException, JOSEError) as error:
            _logger.warning("OAuth provider %s did not confirm the identity: %s", provider, error)
            raise AccessDenied() from None

    @api.model
    def _auth_oauth_signin(self, provider, validation, params):
        """An OAuth provider (LinkedIn, or any other LBC enables) signs in the member whose account is linked to
        the identity, and nobody else.

        Odoo would sign up an unknown identity at once (a new account named after the provider's profile): that
        would skip LBC's signup steps, so its `no_user_creation` switch is forced on here (whatever the request's
        context) and nothing is created. An identity of an OpenID Connect provider (its id_token checked by
        auth_oidc) is offered LBC's signup instead (`_lbc_oauth_signup_offer`); any other is refused.
        """
        login = super(ResUsers, self.with_context(no_user_creation=True))._auth_oauth_signin(
            provider, validation, params
        )
        if not login:
            oauth_provider = self.env["auth.oauth.provider"].sudo().browse(provider)
            if oauth_provider.flow == "id_token_code":
                self._lbc_oauth_signup_offer(oauth_provider, validation, params)
            _logger.info(
                "OAuth sign-in: identity %s of provider %s is linked to no LBC account",
                validation.get("user_id"),
                provider,
            )
            raise AccessDenied(self.env._("No LBC account is linked to this LinkedIn account."))
        return login

    @api.model
    def _lbc_oauth_signup_offer(self, provider, validation, params):
        """Keep the checked identity in the browser's session (server-side) for LBC's signup page
        (/web/signup/oauth), where the visitor accepts the terms and chooses what to import before any account
        exists. Outside a web request nothing is kept."""
        if not request:
            return
        request.session[OAUTH_SIGNUP_SESSION_KEY] = {
            "p": provider.id,
            "sub": str(validation["user_id"]),
            "email": validation.get("email") or "",
            "email_verified": validation.get("email_verified") is True,
            "name": validation.get("name") or "",
            "picture": validation.get("picture") or "",
            "headline": validation.get("headline") or "",
            "access_token": params.get("access_token") or "",
            "exp": int(time.time()) + OAUTH_SIGNUP_TTL,
        }

    @api.model
    def _lbc_oauth_signup(self, pending, accept_terms, import_profile):
        """Create the account of a new member from the identity a provider confirmed (`pending`, kept by
        `_lbc_oauth_signup_offer` in the session) through LBC's steps: the terms accepted first, a professional
        e-mail address, an identity and an address nobody holds. The provider's verified e-mail counts as
        confirmed (the account is open at once); an unverified one goes through the activation e-mail. The name,
        picture and headline are imported only with the member's consent (`import_profile`), else the name is
        the address's. Returns the new user; UserError says why not.
        """
        if not isinstance(pending, dict) or int(pending.get("exp") or 0) < time.time():
            raise UserError(self.env._("Your sign-in with LinkedIn has expired: please start again."))
        if not accept_terms:
            raise UserError(self.env._("Please read and accept the terms of use to create your account."))
        provider = self.env["auth.oauth.provider"].sudo().browse(pending.get("p")).exists()
        if not provider.enabled:
            raise UserError(self.env._("LinkedIn sign-in is not available."))
        if self._get_signup_invitation_scope() != "b2c":
            raise UserError(self.env._("Sign up is not allowed on this database: ask LBC for an invitation."))
        email = self._lbc_check_professional_email(pending.get("email"))
        # sudo: the visitor is not signed in; whether the identity or the address is taken (archived accounts too)
        Users = self.sudo().with_context(active_test=False)
        if Users.search_count([("oauth_provider_id", "=", provider.id), ("oauth_uid", "=", pending["sub"])], limit=1):
            raise UserError(self.env._("This LinkedIn account is already linked to an LBC account: sign in with it."))
        if self._lbc_login_taken(email) or Users.search_count([("email", "=ilike", email)], limit=1):
            raise UserError(
                self.env._(
                    "An LBC account already uses %(email)s: sign in with it, then link LinkedIn from My account.",
                    email=email,
                )
            )
        name = (pending.get("name") or "").strip() if import_profile else ""
        values = {
            "login": email,
            "email": email,
            "name": name or email.split("@")[0],
            "oauth_provider_id": provider.id,
            "oauth_uid": pending["sub"],
            "oauth_access_token": pending.get("access_token") or False,
        }
        # sudo: the visitor creates its own account, from Odoo's portal template (clean context: no default_*)
        Users = self.sudo().with_context(clean_context(self.env.context))
        if pending.get("email_verified"):
            # the provider confirmed the address: the account is open, no activation e-mail
            user = Users._create_user_from_template(values)
        else:
            # lbc_base: an uninvited signup is pending until the activation link sent to the address is followed
            user = Users._signup_create_user(values)
        terms = self.env["lbc.agreement"]._lbc_current("terms")
        if terms:
            # the acceptance is logged as the new user itself (its own rights, its IP address)
            terms.with_user(user).action_accept()
        if import_profile:
            user._lbc_oauth_import_profile(pending)
        user.partner_id.message_post(
            body=self.env._("Account created through %(provider)s sign-in.", provider=provider.name),
            subtype_xmlid="mail.mt_note",
        )
        return user

    def _lbc_oauth_import_profile(self, pending):
        """Import the picture (LinkedIn's image servers only, an image of at most 5 MB) and the headline of the
        identity into the new member's profile; a picture that cannot be fetched is skipped (logged)."""
        self.ensure_one()
        picture = pending.get("picture") or ""
        host = urlsplit(picture).hostname or ""
        if picture.startswith("https://") and (host == "licdn.com" or host.endswith(".licdn.com")):
            try:
                response = requests.get(picture, timeout=10, allow_redirects=False)
                response.raise_for_status()
                content = response.content
                if len(content) > PICTURE_MAX_BYTES or not guess_mimetype(content).startswith("image/"):
                    raise ValueError("not an image of at most 5 MB")
                # sudo: the member's own new partner
                self.partner_id.sudo().image_1920 = base64.b64encode(content)
            except (requests.RequestException, ValueError) as error:
                _logger.info("LinkedIn picture of user %s not imported: %s", self.id, error)
        headline = (pending.get("headline") or "").strip()[:200]
        if headline and "lbc.profile" in self.env:
            profile = self.env["lbc.profile"].sudo().search([("partner_id", "=", self.partner_id.id)], limit=1)
            if profile:
                profile.headline = headline

    def _check_credentials(self, credential, env):
        """Every sign-in method ends here, LinkedIn's (auth_oauth's `oauth_token`) included: whatever method
        accepted the credential, a suspended, deactivated or anonymised member is refused (lbc_base's check runs
        in the password path only when auth_oauth's override comes after it)."""
        auth_info = super()._check_credentials(credential, env)
        self._lbc_check_account_can_sign_in()
        return auth_info

    def _lbc_linkedin_check_self(self):
        self.ensure_one()
        if self != self.env.user:
            raise AccessError(self.env._("You can only link or unlink your own LinkedIn account."))

    def _lbc_linkedin_is_linked(self):
        self.ensure_one()
        provider = self._lbc_linkedin_provider()
        # sudo: the user's own OAuth link (provider and LinkedIn id), read only to say whether it is linked
        user = self.sudo()
        return bool(provider) and user.oauth_provider_id == provider and bool(user.oauth_uid)

    def _lbc_has_password(self):
        """Whether the user can sign in with a password (members who signed up through LinkedIn have none)."""
        self.ensure_one()
        self.env.cr.execute("SELECT COALESCE(password, '') != '' FROM res_users WHERE id = %s", [self.id])
        row = self.env.cr.fetchone()
        return bool(row and row[0])

    def _lbc_linkedin_link(self, params):
        """Link the LinkedIn identity of the authorization code in `params` (LinkedIn's answer) to this user, the
        member signed in: the code is exchanged and the id_token checked (`_lbc_oidc_claims`).

        Raises AccessDenied when LinkedIn does not confirm the identity, UserError when LinkedIn sign-in is off
        or when the identity is already linked to another account (nothing is changed then).
        """
        self._lbc_linkedin_check_self()
        provider = self._lbc_linkedin_provider()
        if not provider.enabled:
            raise UserError(self.env._("LinkedIn sign-in is not available."))
        try:
            validation = self.env["res.users"]._lbc_oidc_claims(provider, params)
        except AccessDenied:
            _logger.info("LinkedIn did not confirm the link request of user %s", self.id)
            raise AccessDenied(self.env._("LinkedIn did not confirm your identity: nothing was changed.")) from None
        oauth_uid = str(validation["user_id"])
        # sudo: whether another account (archived ones too: the DB constraint counts them) holds this identity
        taken = (
            self.sudo()
            .with_context(active_test=False)
            .search_count(
                [("oauth_provider_id", "=", provider.id), ("oauth_uid", "=", oauth_uid), ("id", "!=", self.id)],
                limit=1,
            )
        )
        if taken:
            _logger.info("LinkedIn link refused to user %s: the identity is linked to another account", self.id)
            raise UserError(
                self.env._(
                    "This LinkedIn account is already linked to another LBC account: nothing was changed. "
                    "Sign in with that account to unlink it first, or contact LBC."
                )
            )
        # sudo: portal users may not write their OAuth fields; the member links its own user (checked above)
        self.sudo().write({"oauth_provider_id": provider.id, "oauth_uid": oauth_uid})
        self.partner_id.sudo().message_post(  # sudo: a note on the member's own partner
            body=self.env._("LinkedIn sign-in linked to the account."), subtype_xmlid="mail.mt_note"
        )

    def _lbc_linkedin_unlink(self):
        """Unlink LinkedIn sign-in from this user, the member signed in; refused without a password."""
        self._lbc_linkedin_check_self()
        if not self._lbc_linkedin_is_linked():
            raise UserError(self.env._("Your account is not linked to LinkedIn."))
        if not self._lbc_has_password():
            raise UserError(
                self.env._(
                    "You signed up through LinkedIn and have no password yet: set a password first, "
                    "otherwise you could no longer sign in."
                )
            )
        # sudo: portal users may not write their OAuth fields; the member unlinks its own user (checked above).
        # Clearing the access token ends the sessions opened through LinkedIn (it is part of the session token).
        self.sudo().write({"oauth_provider_id": False, "oauth_uid": False, "oauth_access_token": False})
        self.partner_id.sudo().message_post(  # sudo: a note on the member's own partner
            body=self.env._("LinkedIn sign-in unlinked from the account."), subtype_xmlid="mail.mt_note"
        )
