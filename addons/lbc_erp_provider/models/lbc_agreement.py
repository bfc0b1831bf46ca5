from odoo import fields, models
from odoo.exceptions import UserError


class LbcAgreement(models.Model):
    _inherit = "lbc.agreement"

    # the text of the self-billing mandate (CGI art. 289 I-2): versioned as the other agreements, signed from the
    # provider's self-billing page (res.partner.action_lbc_sign_self_billing_mandate), never a gate of the platform
    kind = fields.Selection(
        selection_add=[("self_billing_mandate", "Self-billing Mandate")],
        ondelete={"self_billing_mandate": "cascade"},
    )

    def action_accept(self):
        """Accepting the mandate's text is signing the mandate for one's provider company: the acceptance log
        (lbc_base) and the company's mandate (its date, version and signatory) are written together."""
        if self.kind != "self_billing_mandate":
            return super().action_accept()
        self.ensure_one()
        company = self.env.user.partner_id.parent_id
        if not company:
            raise UserError(self.env._("Join or create a company before accepting %(name)s.", name=self.name))
        company._lbc_check_mandate_signatory()
        if company.lbc_self_billing_mandate:
            raise UserError(
                self.env._("%(company)s has already signed the self-billing mandate.", company=company.name)
            )
        acceptance_id = super().action_accept()
        company._lbc_sign_self_billing_mandate(self)
        return acceptance_id
