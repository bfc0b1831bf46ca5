from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lbc_fee_mode = fields.Selection(related="company_id.lbc_fee_mode", readonly=False)
    lbc_fee_value = fields.Float(related="company_id.lbc_fee_value", readonly=False)
    lbc_self_billing = fields.Boolean(related="company_id.lbc_self_billing", readonly=False)
    lbc_blocked_email_domains = fields.Char(
        string="Other Refused E-mail Domains",
        config_parameter="lbc_base.blocked_email_domains",
        help="Comma-separated domains refused for members' addresses, on top of the maintained lists of free "
        "mailbox providers and disposable-address services (e.g. a provider of personal mailboxes not listed yet).",
    )
