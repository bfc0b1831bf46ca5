"""19.0.1.0.1: the LinkedIn preset (noupdate) signs in through the authorization-code flow."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    provider = env.ref("lbc_portal.auth_oauth_provider_linkedin", raise_if_not_found=False)
    if provider and not provider.lbc_code_flow and not provider.enabled:  # an enabled one is LBC's to switch
        provider.write({"lbc_code_flow": True, "lbc_token_endpoint": "https://www.linkedin.com/oauth/v2/accessToken"})
