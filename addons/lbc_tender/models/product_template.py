from odoo import api, models

# French VAT at 20 % on services, due on payment, as the French chart names it; the charts' fiscal positions map
# it (intra-EU B2B: reverse charge; outside the EU: not subject to French VAT)
SERVICE_SALE_TAX = "tva_normale_encaissement"
SERVICE_PURCHASE_TAX = "tva_acq_encaissement"


class ProductTemplate(models.Model):
    _inherit = "product.template"

    @api.model
    def _lbc_product_taxes(self):
        """LBC's own products and the taxes they carry, as xml ids of the chart of accounts (without the company
        prefix): [(product templates, sale tax, purchase tax)]. A chart without them falls back on the company's
        default taxes."""
        day = self.env.ref("lbc_tender.product_lbc_service_day", raise_if_not_found=False)
        return [(day.product_tmpl_id, SERVICE_SALE_TAX, SERVICE_PURCHASE_TAX)] if day else []

    @api.model
    def _lbc_set_company_taxes(self, companies=None, templates=None):
        """Give LBC's products (or those of `templates` among them) the taxes of each company with a chart of
        accounts (all of them by default), whatever was installed first: the suite's install, an update, a chart
        loaded later (one-command install, a company added later). The taxes of the other companies are kept;
        the company's own are replaced."""
        companies = (companies or self.env["res.company"].search([])).sudo().filtered("chart_template")
        ChartTemplate = self.env["account.chart.template"].sudo()
        for company in companies:
            chart = ChartTemplate.with_company(company)
            for products, sale_code, purchase_code in self._lbc_product_taxes():
                products = products.sudo()
                if templates is not None:
                    products &= templates.sudo()
                if not products:
                    continue
                sale_tax = chart.ref(sale_code, raise_if_not_found=False) or company.account_sale_tax_id
                purchase_tax = purchase_code and (
                    chart.ref(purchase_code, raise_if_not_found=False) or company.account_purchase_tax_id
                )
                for product in products:
                    vals = {}
                    if product.sale_ok and sale_tax:
                        kept = product.taxes_id.filtered(lambda t, c=company: t.company_id != c)
                        vals["taxes_id"] = [(6, 0, (kept | sale_tax).ids)]
                    if product.purchase_ok and purchase_tax:
                        kept = product.supplier_taxes_id.filtered(lambda t, c=company: t.company_id != c)
                        vals["supplier_taxes_id"] = [(6, 0, (kept | purchase_tax).ids)]
                    if vals:
                        product.write(vals)
