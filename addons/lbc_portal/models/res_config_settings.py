from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lbc_legal_publisher = fields.Char(related="website_id.lbc_legal_publisher", readonly=False)
    lbc_legal_address = fields.Char(related="website_id.lbc_legal_address", readonly=False)
    lbc_legal_siren = fields.Char(related="website_id.lbc_legal_siren", readonly=False)
    lbc_legal_capital = fields.Char(related="website_id.lbc_legal_capital", readonly=False)
    lbc_legal_director = fields.Char(related="website_id.lbc_legal_director", readonly=False)
    lbc_legal_host = fields.Text(related="website_id.lbc_legal_host", readonly=False)
    lbc_legal_email = fields.Char(related="website_id.lbc_legal_email", readonly=False)
    lbc_legal_phone = fields.Char(related="website_id.lbc_legal_phone", readonly=False)
