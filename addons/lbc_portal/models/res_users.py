"""Members link or unlink their LinkedIn sign-in from My account (auth_oauth's preset LinkedIn provider).

The member acts on its own user only (`_lbc_linkedin_check_self`); the OAuth fields are not writable by
portal users, hence the `sudo()` after that check. The portal controller (controllers/portal_account.py)
sends the member to LinkedIn with a signed, session-bound, short-lived state and calls
`_lbc_linkedin_link` when LinkedIn sends it back to `/auth_oauth/signin`.

LinkedIn signs in linked members only (`_auth_oauth_signin`): an identity linked to no account is refused,
never turned into a new account by Odoo's OAuth signup, which would skip LBC's signup rules (professional
e-mail, terms of use accepted and logged).
"""

import logging

from odoo import api, models
from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.tools.misc import hmac

_logger = logging.getLogger(__name__)

LINKEDIN_PROVIDER_XMLID = "lbc_portal.auth_oauth_provider_linkedin"
LINKEDIN_LINK_SCOPE = "lbc_portal.linkedin_link"


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
    def _lbc_oauth_identity_has_account(self, provider_id, access_token):
        """Whether the identity behind `access_token` (asked to the provider's userinfo, as Odoo's sign-in does)
        is linked to an active account (the lookup of Odoo's `_auth_oauth_signin`).

        Raises AccessDenied (logged as a warning) when the provider does not confirm the token.
        sudo: sign-in runs before anybody is signed in (as auth_oauth's, as superuser); only whether somebody
        holds the identity is returned.
        """
        users = self.sudo().with_context(active_test=True)
        try:
            validation = users._auth_oauth_validate(provider_id, access_token)
        except Exception as error:  # auth_oauth raises a bare Exception with the provider's error
            provider = users.env["auth.oauth.provider"].browse(provider_id)
            _logger.warning("OAuth provider %s did not confirm the access token: %s", provider.name, error)
            raise AccessDenied() from None
        oauth_uid = validation["user_id"]
        domain = [("oauth_uid", "=", oauth_uid), ("oauth_provider_id", "=", provider_id)]
        if users.search_count(domain, limit=1):
            return True
        _logger.info(
            "OAuth sign-in refused: identity %s of provider %s is linked to no account", oauth_uid, provider_id
        )
        return False

    @api.model
    def _auth_oauth_signin(self, provider, validation, params):
        """An OAuth provider (LinkedIn, or any other LBC enables) signs in the member whose account is linked to
        the identity, and nobody else.

        Odoo would sign up an unknown identity (a new account named after the provider's profile, even from an
        invitation): that would skip LBC's signup rules, so its `no_user_creation` switch is forced on here
        (whatever the request's context) and the identity is refused, nothing created. Members sign up on
        /web/signup, then link LinkedIn from My account.
        """
        login = super(ResUsers, self.with_context(no_user_creation=True))._auth_oauth_signin(
            provider, validation, params
        )
        if not login:
            _logger.info(
                "OAuth sign-in refused: identity %s of provider %s is linked to no LBC account",
                validation.get("user_id"),
                provider,
            )
            raise AccessDenied(self.env._("No LBC account is linked to this LinkedIn account."))
        return login

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

    def _lbc_linkedin_link(self, access_token):
        """Link the LinkedIn identity behind `access_token` to this user, the member signed in.

        Raises AccessDenied when LinkedIn does not confirm the token, UserError when LinkedIn sign-in is off
        or when the identity is already linked to another account (nothing is changed then).
        """
        self._lbc_linkedin_check_self()
        provider = self._lbc_linkedin_provider()
        if not provider.enabled:
            raise UserError(self.env._("LinkedIn sign-in is not available."))
        if not access_token:
            raise AccessDenied(self.env._("LinkedIn did not confirm your identity: nothing was changed."))
        try:
            # Odoo's own validation (auth_oauth): calls LinkedIn's userinfo endpoint, returns its `sub` as user_id;
            # sudo: it reads the provider's endpoints, as auth_oauth's sign-in does (as superuser)
            validation = self.env["res.users"].sudo()._auth_oauth_validate(provider.id, access_token)
        except AccessDenied:
            raise
        except Exception as error:  # auth_oauth raises a bare Exception with the provider's error
            _logger.info("LinkedIn did not validate the link request of user %s: %s", self.id, error)
            raise AccessDenied(self.env._("LinkedIn did not confirm your identity: nothing was changed.")) from error
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
