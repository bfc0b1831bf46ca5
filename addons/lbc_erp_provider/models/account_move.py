from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import html2plaintext

LBC_INVOICE_KINDS = [
    ("client_invoice", "LBC -> client"),
    ("provider_bill", "Provider -> LBC"),
    ("fee", "Management fee LBC -> provider"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    lbc_invoice_kind = fields.Selection(LBC_INVOICE_KINDS, string="LBC Invoice Kind", readonly=True, copy=False)
    lbc_self_billing_mandate_ref = fields.Char(
        string="Self-billing Mandate",
        readonly=True,
        copy=False,
        help="The reference of the provider's self-billing mandate this invoice was issued under: it stays on the "
        "invoice when the mandate is revoked later.",
    )
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

    # --- French legal mentions (PDF and structured data) --------------------------------
    def _lbc_is_self_billed(self):
        """A provider's invoice LBC issues on its behalf under the self-billing mandate (type 389 / 261)."""
        self.ensure_one()
        return self.move_type in ("in_invoice", "in_refund") and self.journal_id.is_self_billing

    def _lbc_seller_buyer(self):
        """(seller, buyer) commercial partners of the document as the law sees them: on a self-billed invoice the
        provider sells and LBC buys, whoever issues it."""
        self.ensure_one()
        company_partner = self.company_id.partner_id
        if self.is_purchase_document():
            return self.commercial_partner_id, company_partner
        return company_partner, self.commercial_partner_id

    def _lbc_legal_notes(self):
        """The mentions every French B2B invoice carries, by Factur-X note subject code: late-payment penalties
        (PMD), the fixed recovery indemnity (PMT), the early-payment discount or its absence (AAB). LBC's
        settings, French defaults."""
        self.ensure_one()
        company = self.company_id
        term = self.invoice_payment_term_id
        discount = html2plaintext(term.note) if term.early_discount and term.note else company.lbc_early_discount_note
        return {
            "PMD": company.lbc_late_penalty_note or "",
            "PMT": self.env["res.company"]._lbc_recovery_note(company),
            "AAB": discount or "",
        }

    def _lbc_self_billing_mention(self):
        """'Autofacturation' and the mandate's reference, on a self-billed invoice (CGI art. 242 nonies A)."""
        self.ensure_one()
        if not self._lbc_is_self_billed():
            return ""
        reference = self.lbc_self_billing_mandate_ref or self.commercial_partner_id.lbc_self_billing_mandate_ref
        return self.env._(
            "Autofacturation: invoice issued by %(company)s in the name and on behalf of %(provider)s, under the "
            "self-billing mandate %(reference)s.",
            company=self.company_id.name,
            provider=self.commercial_partner_id.name,
            reference=reference or "-",
        )

    def _lbc_party_identity(self, partner):
        """How a party is named on the invoice: LBC with its full legal mention; a member company with its name,
        SIREN, SIRET and VAT number."""
        self.ensure_one()
        partner = partner.commercial_partner_id
        if partner == self.company_id.partner_id:
            return self.company_id._lbc_legal_mention()
        registry = (partner.company_registry or "").replace(" ", "")
        parts = [partner.name]
        if partner.country_id.code == "FR" and registry.isdigit() and len(registry) in (9, 14):
            parts.append(f"SIREN {registry[:9]}")
            if len(registry) == 14:
                parts.append(f"SIRET {registry}")
        if partner.vat:
            parts.append(self.env._("VAT %(vat)s", vat=partner.vat))
        return " – ".join(parts)

    def _lbc_billing_period(self):
        """(first day, last day) of the months these activity reports cover, or (False, False)."""
        self.ensure_one()
        periods = self.invoice_line_ids.lbc_activity_report_id.mapped("period")
        if not periods:
            return False, False
        last = max(periods)
        return min(periods), last + relativedelta(months=1, days=-1)


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
