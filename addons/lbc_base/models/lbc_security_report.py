from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize

DEFAULT_SECURITY_CONTACT = "security@lbc.example"
DEFAULT_REPORTS_PER_HOUR = 5


class LbcRateLimitError(UserError):
    """Too many reports from one address."""


class LbcSecurityReport(models.Model):
    _name = "lbc.security.report"
    _description = "Vulnerability Report"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"

    name = fields.Char(string="Subject", required=True)
    description = fields.Text(required=True)
    reporter_email = fields.Char(string="Reporter E-mail")
    ip_address = fields.Char(string="IP Address", readonly=True, index=True)
    state = fields.Selection(
        [("new", "New"), ("triaged", "Triaged"), ("fixed", "Fixed"), ("rejected", "Not a Vulnerability")],
        default="new",
        required=True,
        tracking=True,
    )

    @api.model
    def _lbc_security_contact(self):
        """The address of `lbc_base.security_contact` (a `mailto:` URI or a bare address)."""
        value = self.env["ir.config_parameter"].sudo().get_param("lbc_base.security_contact") or ""
        return value.removeprefix("mailto:") or DEFAULT_SECURITY_CONTACT

    @api.model
    def _lbc_max_per_hour(self):
        value = self.env["ir.config_parameter"].sudo().get_param("lbc_base.security_reports_per_hour")
        return int(value) if value and value.isdigit() else DEFAULT_REPORTS_PER_HOUR

    @api.model
    def _lbc_submit(self, ip_address, subject, description, email=None):
        """Record a report from the public form and e-mail the security contact. At most N reports an hour
        from one IP address (the stored reports are the counter)."""
        subject, description = (subject or "").strip(), (description or "").strip()
        if not subject or not description:
            raise UserError(self.env._("Please describe the vulnerability (a subject and a description)."))
        since = fields.Datetime.now() - relativedelta(hours=1)
        recent = self.sudo().search_count([("ip_address", "=", ip_address), ("create_date", ">=", since)])
        if recent >= self._lbc_max_per_hour():
            raise LbcRateLimitError(self.env._("Too many reports from your address: please try again in an hour."))
        report = self.sudo().create(
            {
                "name": subject[:200],
                "description": description[:20000],
                "reporter_email": email_normalize(email or "") or False,
                "ip_address": ip_address,
            }
        )
        self.env["mail.mail"].sudo().create(
            {
                "subject": self.env._("[Security] %(subject)s", subject=report.name),
                "email_to": self._lbc_security_contact(),
                "reply_to": report.reporter_email or False,
                "body_html": self.env._(
                    "A vulnerability report was received (reference %(ref)s). Read it in the back-office.",
                    ref=report.id,
                ),
                "model": self._name,
                "res_id": report.id,
            }
        )
        return report
