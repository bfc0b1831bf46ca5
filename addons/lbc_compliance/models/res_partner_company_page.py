from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _lbc_company_page_values(self):
        """lbc_base's company page, with the provider's vigilance status (Code du travail L.8222-1)."""
        values = super()._lbc_company_page_values()
        state = self.lbc_compliance_state if self.lbc_is_provider else False
        values.update(
            {
                "lbc_compliance_state": state or False,
                "compliance_label": dict(self._fields["lbc_compliance_state"]._description_selection(self.env)).get(
                    state, False
                ),
            }
        )
        return values
