from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _post_load_data(self, template_code, company, template_data):
        """A chart loaded after the suite (one-command install: Odoo loads the chart once every module is installed;
        a company added later) gives LBC's products its taxes."""
        result = super()._post_load_data(template_code, company, template_data)
        self.env["product.template"]._lbc_set_company_taxes(company or self.env.company)
        return result
