from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lbc_legal_form = fields.Char(related="company_id.lbc_legal_form", readonly=False)
    lbc_share_capital = fields.Monetary(related="company_id.lbc_share_capital", readonly=False)
    lbc_rcs_city = fields.Char(related="company_id.lbc_rcs_city", readonly=False)
    lbc_late_penalty_note = fields.Text(related="company_id.lbc_late_penalty_note", readonly=False)
    lbc_recovery_indemnity = fields.Monetary(related="company_id.lbc_recovery_indemnity", readonly=False)
    lbc_early_discount_note = fields.Text(related="company_id.lbc_early_discount_note", readonly=False)
