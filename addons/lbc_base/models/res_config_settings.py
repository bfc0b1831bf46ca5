from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lbc_fee_mode = fields.Selection(related="company_id.lbc_fee_mode", readonly=False)
    lbc_fee_value = fields.Float(related="company_id.lbc_fee_value", readonly=False)
    lbc_self_billing = fields.Boolean(related="company_id.lbc_self_billing", readonly=False)
