from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    lbc_fee_mode = fields.Selection(
        [("per_day", "Fixed amount per invoiced day"), ("percent", "Percentage of the invoiced amount")],
        string="Default Fee Mode",
        default="percent",
        required=True,
    )
    lbc_fee_value = fields.Float(
        string="Default Fee Value",
        default=5.0,
        digits=(16, 2),
        help="Euros per invoiced day, or a percentage of the invoiced amount, per the fee mode.",
    )
    lbc_self_billing = fields.Boolean(
        string="Self-billing",
        default=True,
        help="LBC issues the providers' bills on their behalf when they signed the self-billing mandate.",
    )

    @api.constrains("lbc_fee_mode", "lbc_fee_value")
    def _check_lbc_fee_value(self):
        for company in self:
            if company.lbc_fee_value < 0:
                raise ValidationError(self.env._("The management fee cannot be negative."))
            if company.lbc_fee_mode == "percent" and company.lbc_fee_value > 100:
                raise ValidationError(self.env._("A percentage fee cannot exceed 100 %."))
