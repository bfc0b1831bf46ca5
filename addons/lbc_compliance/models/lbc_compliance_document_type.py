from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LbcComplianceDocumentType(models.Model):
    _name = "lbc.compliance.document.type"
    _description = "Vigilance Document Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Technical code other addons and integrations use (e.g. urssaf, kbis).")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True, help="What the provider must upload, shown next to the upload field.")
    applies_to = fields.Selection(
        [
            ("french", "Providers established in France"),
            ("foreign", "Providers established abroad"),
            ("both", "All providers"),
            ("client", "Providers of the clients that require it"),
        ],
        required=True,
        default="french",
    )
    validity_months = fields.Integer(
        string="Validity (months)",
        default=6,
        help="The document expires this many months after its issue date. 0: no expiry from the issue date "
        "(it is still re-checked at every six-monthly check).",
    )
    validity_days = fields.Integer(
        string="Extra Validity (days)",
        default=0,
        help="Added to the months above (e.g. for a validity counted in days).",
    )
    blocking = fields.Boolean(
        string="Blocks Contracting",
        default=True,
        help="A missing, unverified or expired document of this type blocks selection approval and contracting.",
    )
    reminder_days_first = fields.Integer(
        string="First Reminder (days before expiry)",
        default=30,
    )
    reminder_days_second = fields.Integer(
        string="Second Reminder (days before expiry)",
        default=7,
    )
    requires_urssaf_code = fields.Boolean(
        string="URSSAF Security Code",
        help="The document carries a security code that LBC checks online on urssaf.fr.",
    )

    _code_uniq = models.Constraint("UNIQUE(code)", "A vigilance document type with this code already exists.")

    @api.constrains("validity_months", "validity_days", "reminder_days_first", "reminder_days_second")
    def _check_delays(self):
        for doc_type in self:
            if (
                min(
                    doc_type.validity_months,
                    doc_type.validity_days,
                    doc_type.reminder_days_first,
                    doc_type.reminder_days_second,
                )
                < 0
            ):
                raise ValidationError(self.env._("Validity and reminder delays cannot be negative."))

    def _lbc_expiry_date(self, issue_date):
        """The expiry date of a document of this type issued on `issue_date` (False: no expiry)."""
        self.ensure_one()
        if not issue_date or not (self.validity_months or self.validity_days):
            return False
        return issue_date + relativedelta(months=self.validity_months, days=self.validity_days)

    def _lbc_validity_label(self):
        """The validity rule in words (e.g. "12 months after its issue date")."""
        self.ensure_one()
        if self.validity_months and self.validity_days:
            return self.env._(
                "%(months)s months and %(days)s days after its issue date",
                months=self.validity_months,
                days=self.validity_days,
            )
        if self.validity_months:
            return self.env._("%(months)s months after its issue date", months=self.validity_months)
        if self.validity_days:
            return self.env._("%(days)s days after its issue date", days=self.validity_days)
        return self.env._("No expiry: checked again at every six-monthly check")

    def _lbc_reminder_delays(self):
        self.ensure_one()
        return sorted({d for d in (self.reminder_days_first, self.reminder_days_second) if d > 0}, reverse=True)

    @api.model
    def _lbc_required_types(self, foreign, client=None):
        """The active types a provider must hold: the French set or the foreign one, and for the missions of
        `client` (a client company) the extra types that client requires."""
        types = self.sudo().search([("applies_to", "in", ("both", "foreign" if foreign else "french"))])
        if client:
            types |= client.sudo().lbc_required_document_type_ids.filtered("active")
        return types

    @api.model
    def _lbc_uploadable_types(self, foreign):
        """What a provider may upload: its set, and the types some clients require for their missions."""
        return self._lbc_required_types(foreign) | self.sudo().search([("applies_to", "=", "client")])
