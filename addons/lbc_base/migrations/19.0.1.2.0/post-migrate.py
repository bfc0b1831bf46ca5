"""19.0.1.2.0: version 1 of the agreements is data (it was demo data). On a database that had them from the demo,
or gets them from this update, the French text is written as on a new installation, unless members accepted them
already (an accepted version is never changed)."""

from odoo import SUPERUSER_ID, api
from odoo.tools import convert_file

XMLIDS = ("agreement_terms_v1", "agreement_provider_framework_v1", "agreement_client_main_v1")


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    agreements = [env.ref(f"lbc_base.{xmlid}", raise_if_not_found=False) for xmlid in XMLIDS]
    if not all(agreements) or any(agreement.acceptance_ids for agreement in agreements):
        return
    if "fr_FR" not in dict(env["res.lang"].get_installed()):
        return
    convert_file(env, "lbc_base", "data/lbc_agreement_data.xml", {}, mode="init", noupdate=True)
