"""19.0.1.3.0: the overseas departments and collectivities are France (l10n_fr's country codes): member companies
there are no longer "established abroad" (their French vigilance documents and SIREN apply)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    codes = [code for code in env["res.company"]._get_france_country_codes() if code != "FR"]
    partners = env["res.partner"].with_context(active_test=False).search([("country_id.code", "in", codes)])
    env.add_to_compute(env["res.partner"]._fields["lbc_is_foreign"], partners)
    env.add_to_compute(env["res.partner"]._fields["lbc_siren"], partners)
    partners.flush_recordset()
