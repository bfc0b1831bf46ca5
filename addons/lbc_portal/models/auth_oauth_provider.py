"""OAuth 2 authorization-code flow for the providers that support nothing else (LinkedIn).

Odoo's `auth_oauth` uses the implicit flow: the provider sends the access token back to the browser
(`response_type=token`). A provider with `lbc_code_flow` is asked for a code instead (`response_type=code`),
which `/auth_oauth/signin` (controllers/portal_account.py) exchanges server-side for the access token
(`_lbc_oauth_exchange_code`, with the client secret); then Odoo's own sign-in goes on with that token.
Providers without `lbc_code_flow` keep Odoo's implicit flow, untouched.
"""

import logging

import requests

from odoo import api, fields, models
from odoo.exceptions import AccessDenied, ValidationError

_logger = logging.getLogger(__name__)

# Seconds to wait for the provider's token endpoint (as Odoo's _auth_oauth_rpc for the userinfo endpoint)
TOKEN_TIMEOUT = 10


class AuthOauthProvider(models.Model):
    _inherit = "auth.oauth.provider"

    lbc_code_flow = fields.Boolean(
        string="Authorization-code Flow",
        help="Ask the provider for an authorization code (response_type=code) and exchange it server-side, with "
        "the client secret, for the access token. Needed by LinkedIn, which does not support the implicit flow "
        "(response_type=token) that Odoo uses otherwise.",
    )
    lbc_token_endpoint = fields.Char(
        string="Token URL",
        help="Where the authorization code is exchanged for the access token "
        "(LinkedIn: https://www.linkedin.com/oauth/v2/accessToken).",
    )
    lbc_client_secret = fields.Char(
        string="Client Secret",
        groups="base.group_system",
        copy=False,
        help="The secret of LBC's application at the provider, sent with the authorization code only.",
    )

    @api.constrains("lbc_code_flow", "lbc_token_endpoint", "enabled", "client_id", "lbc_client_secret")
    def _check_lbc_code_flow(self):
        # sudo: the client secret is readable by system administrators only; only whether it is set is checked
        for provider in self.sudo():
            if not provider.lbc_code_flow:
                continue
            if not provider.lbc_token_endpoint:
                raise ValidationError(
                    self.env._("%(provider)s: the authorization-code flow needs a token URL.", provider=provider.name)
                )
            if provider.enabled and not (provider.client_id and provider.lbc_client_secret):
                raise ValidationError(
                    self.env._(
                        "%(provider)s: enter the client id and the client secret before allowing it "
                        "(the authorization-code flow needs both).",
                        provider=provider.name,
                    )
                )

    @api.model
    def _lbc_oauth_signin_provider(self, provider_id):
        """The provider a sign-in request names (`p` of its state), or an empty recordset.

        sudo: sign-in runs before anybody is signed in (auth_oauth reads its providers as superuser too); the
        callers read which flow it uses and whether it is allowed, and exchange its code.
        """
        if type(provider_id) is not int:
            return self.browse()
        return self.sudo().browse(provider_id).exists()

    @api.model
    def _lbc_oauth_allowed_name(self, provider_id):
        """The name of the allowed provider whose id is `provider_id` (text from the URL), or an empty string.

        sudo: nobody is signed in on the login page; the names of the allowed providers are on their buttons.
        """
        providers = self.sudo().search([("enabled", "=", True)])
        return providers.filtered(lambda provider: str(provider.id) == provider_id).name or ""

    def _lbc_oauth_response_type(self):
        """What the authorization request asks for: a code (authorization-code flow) or a token (implicit)."""
        self.ensure_one()
        return "code" if self.lbc_code_flow else "token"

    def _lbc_oauth_exchange_code(self, code, redirect_uri):
        """Exchange the authorization `code` for an access token at the provider's token endpoint.

        `redirect_uri` must be the one of the authorization request. Returns the access token; raises
        AccessDenied when the provider refuses the code or cannot be reached (logged as a warning: the cause is
        on the provider's side or in its settings, the member only has to try again).
        """
        self.ensure_one()
        # sudo: the client secret is readable by system administrators only; the sign-in runs as nobody
        provider = self.sudo()
        if not (provider.lbc_token_endpoint and provider.client_id and provider.lbc_client_secret):
            _logger.warning(
                "OAuth provider %s (id %s): no token URL, client id or client secret, the authorization code "
                "cannot be exchanged",
                provider.name,
                provider.id,
            )
            raise AccessDenied()
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": provider.client_id,
            "client_secret": provider.lbc_client_secret,
        }
        try:
            response = requests.post(
                provider.lbc_token_endpoint, data=data, headers={"Accept": "application/json"}, timeout=TOKEN_TIMEOUT
            )
        except requests.RequestException as error:
            _logger.warning("OAuth provider %s: the token URL could not be reached: %s", provider.name, error)
            raise AccessDenied() from None
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            payload = {}
        access_token = payload.get("access_token")
        if not response.ok or not access_token or not isinstance(access_token, str):
            _logger.warning(
                "OAuth provider %s refused the authorization code (HTTP %s): %s %s",
                provider.name,
                response.status_code,
                payload.get("error") or "no access token",
                payload.get("error_description") or "",
            )
            raise AccessDenied()
        return access_token
