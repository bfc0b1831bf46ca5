from odoo import api, models
from odoo.addons.lbc_tender.models.product_template import SERVICE_SALE_TAX


class ProductTemplate(models.Model):
    _inherit = "product.template"

    @api.model
    def _lbc_product_taxes(self):
        # the management fee LBC invoices to the providers: a service LBC sells
        fee = self.env.ref("lbc_erp_provider.product_lbc_management_fee", raise_if_not_found=False)
        return super()._lbc_product_taxes() + ([(fee.product_tmpl_id, SERVICE_SALE_TAX, None)] if fee else [])
