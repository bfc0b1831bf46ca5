"""19.0.1.2.0: the self-billing mandate's text ships as a versioned agreement (data/lbc_agreement_data.xml). The
record is created by the update; its French translation is a <function> of a noupdate block, which only an
installation runs: run it here."""

from odoo import SUPERUSER_ID, api
from odoo.tools.misc import file_open


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    mandate = env.ref("lbc_erp_provider.agreement_self_billing_mandate_v1", raise_if_not_found=False)
    if mandate and not mandate.acceptance_ids:
        with file_open("lbc_erp_provider/data/agreements/self_billing_mandate_v1.fr.html") as body:
            mandate._lbc_translate("fr_FR", "Mandat d'autofacturation", body.read())
