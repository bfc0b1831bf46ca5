from odoo import api, fields, models

LBC_INVOICE_KINDS = [
    ("client_invoice", "LBC -> client"),
    ("provider_bill", "Provider -> LBC"),
    ("fee", "Management fee LBC -> provider"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    lbc_invoice_kind = fields.Selection(LBC_INVOICE_KINDS, string="LBC Invoice Kind", readonly=True, copy=False)
    lbc_activity_report_ids = fields.Many2many(
        "lbc.activity.report",
        string="Activity Reports",
        compute="_compute_lbc_activity_report_ids",
        search="_search_lbc_activity_report_ids",
        help="The activity reports this document invoices: one line per report. The invoicing run groups the "
        "reports of one client (or one provider) in one document, as Odoo's consolidated billing does.",
    )

    @api.depends("invoice_line_ids.lbc_activity_report_id")
    def _compute_lbc_activity_report_ids(self):
        for move in self:
            move.lbc_activity_report_ids = move.invoice_line_ids.lbc_activity_report_id

    def _search_lbc_activity_report_ids(self, operator, value):
        return [("invoice_line_ids.lbc_activity_report_id", operator, value)]


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    lbc_activity_report_id = fields.Many2one(
        "lbc.activity.report", string="Activity Report", readonly=True, copy=False, index="btree_not_null"
    )
    lbc_invoice_kind = fields.Selection(related="move_id.lbc_invoice_kind", store=True)
    lbc_provider_id = fields.Many2one(
        related="lbc_activity_report_id.provider_id", store=True, string="LBC Provider", index="btree_not_null"
    )
    lbc_client_id = fields.Many2one(
        related="lbc_activity_report_id.client_id", store=True, string="LBC Client", index="btree_not_null"
    )

    lbc_credited = fields.Boolean(
        string="Credited",
        readonly=True,
        copy=False,
        help="This line of an activity report was credited (or is the credit note line): LBC reopened the report.",
    )

    # one live invoice line of each kind per activity report, whatever replays, double clicks or concurrent runs
    # happen; a report credited by LBC (lbc_credited on its lines and on the credit notes' lines) can be invoiced
    # again once corrected
    _lbc_once_per_report = models.UniqueIndex(
        "(lbc_activity_report_id, lbc_invoice_kind) WHERE lbc_activity_report_id IS NOT NULL "
        "AND lbc_credited IS NOT TRUE",
        "This activity report is already invoiced.",
    )
