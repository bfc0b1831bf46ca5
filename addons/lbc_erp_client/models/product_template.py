from odoo import api, models
from odoo.addons.lbc_tender.models.product_template import SERVICE_SALE_TAX


class ProductTemplate(models.Model):
    _inherit = "product.template"

    @api.model
    def _lbc_product_taxes(self):
        # the subscription plans' products: services LBC sells
        plans = self.env["lbc.subscription.plan"].sudo().with_context(active_test=False).search([])
        return [*super()._lbc_product_taxes(), (plans.product_id.product_tmpl_id, SERVICE_SALE_TAX, None)]
