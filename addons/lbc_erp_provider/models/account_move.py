from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    lbc_activity_report_id = fields.Many2one(
        "lbc.activity.report", string="Activity Report", readonly=True, copy=False, index=True
    )
    lbc_provider_id = fields.Many2one(
        related="lbc_activity_report_id.provider_id", store=True, string="LBC Provider", index=True
    )
    lbc_client_id = fields.Many2one(
        related="lbc_activity_report_id.client_id", store=True, string="LBC Client", index=True
    )
    lbc_invoice_kind = fields.Selection(
        [
            ("client_invoice", "LBC -> client"),
            ("provider_bill", "Provider -> LBC"),
            ("fee", "Management fee LBC -> provider"),
        ],
        string="LBC Invoice Kind",
        readonly=True,
        copy=False,
    )

    # one invoice of each kind per activity report, whatever replays or double clicks happen
    _lbc_once_per_report = models.UniqueIndex(
        "(lbc_activity_report_id, lbc_invoice_kind) WHERE lbc_activity_report_id IS NOT NULL "
        "AND move_type IN ('out_invoice', 'in_invoice')",
        "This activity report is already invoiced.",
    )
