"""Sign-in providers: LinkedIn is an OpenID Connect provider of OCA's `auth_oidc` (authorization code + PKCE,
the id_token's signature, audience and expiry checked against LinkedIn's published keys)."""

from odoo import api, fields, models


class AuthOauthProvider(models.Model):
    _inherit = "auth.oauth.provider"

    # auth_oidc's secret of LBC's application at the provider: system administrators only (auth_oauth's login
    # page reads every field of the providers as superuser, LbcOAuthLogin drops it from the page's values)
    client_secret = fields.Char(groups="base.group_system", copy=False)

    @api.model
    def _lbc_oauth_allowed_name(self, provider_id):
        """The name of the allowed provider whose id is `provider_id` (text from the URL), or an empty string.

        sudo: nobody is signed in on the login page; the names of the allowed providers are on their buttons.
        """
        providers = self.sudo().search([("enabled", "=", True)])
        return providers.filtered(lambda provider: str(provider.id) == provider_id).name or ""
