from odoo import fields, models


class LbcComplianceReminder(models.Model):
    _name = "lbc.compliance.reminder"
    _description = "Vigilance Document Expiry Reminder"
    _order = "date_sent desc, id desc"

    document_id = fields.Many2one("lbc.compliance.document", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(related="document_id.partner_id", store=True, string="Provider")
    days_before = fields.Integer(required=True, help="The reminder delay (days before expiry) this record stands for.")
    date_sent = fields.Date(required=True)
    sent = fields.Boolean(
        default=True,
        help="Unset when a closer reminder was sent the same day instead (each delay is used at most once).",
    )

    _document_days_uniq = models.UniqueIndex(
        "(document_id, days_before)", "This reminder was already sent for this document."
    )
