"""LinkedIn moves from LBC's hand-written authorization-code flow to auth_oidc's OpenID Connect (its record is
noupdate: its settings are written here); the client secret LBC entered is kept."""

from odoo import SUPERUSER_ID, api
from odoo.tools.sql import column_exists

OIDC_SETTINGS = {
    "flow": "id_token_code",
    "token_endpoint": "https://www.linkedin.com/oauth/v2/accessToken",
    "validation_endpoint": "https://api.linkedin.com/v2/userinfo",
    "jwks_uri": "https://www.linkedin.com/oauth/openid/jwks",
    "token_map": "sub:user_id",
    "scope": "openid profile email",
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    provider = env.ref("lbc_portal.auth_oauth_provider_linkedin", raise_if_not_found=False)
    if not provider:
        return
    values = dict(OIDC_SETTINGS)
    if column_exists(cr, "auth_oauth_provider", "lbc_client_secret"):
        cr.execute("SELECT lbc_client_secret FROM auth_oauth_provider WHERE id = %s", [provider.id])
        secret = (cr.fetchone() or [None])[0]
        if secret and not provider.client_secret:
            values["client_secret"] = secret
    provider.write(values)
