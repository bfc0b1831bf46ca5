"""19.0.1.1.0: LBC's products carry the taxes of each company's chart (services at 20 %, due on payment),
whatever the order in which the suite and the chart were installed."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    api.Environment(cr, SUPERUSER_ID, {})["product.template"]._lbc_set_company_taxes()
