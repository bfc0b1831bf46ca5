from odoo import api, fields, models
from odoo.tools import format_amount

DEFAULT_PENALTY_NOTE = (
    "En cas de retard de paiement, des pénalités de retard sont exigibles de plein droit, au taux d'intérêt "
    "appliqué par la Banque centrale européenne à son opération de refinancement la plus récente majoré de "
    "10 points (article L.441-10 du Code de commerce)."
)
DEFAULT_DISCOUNT_NOTE = "Pas d'escompte pour paiement anticipé."


class ResCompany(models.Model):
    _inherit = "res.company"

    # the legal mentions of a French B2B invoice (Code de commerce L.441-9 and R.123-237, CGI art. 242 nonies A)
    lbc_legal_form = fields.Char(string="Legal Form", default="SAS", help="e.g. SAS, SARL, SA.")
    lbc_share_capital = fields.Monetary(string="Share Capital (Invoices)", currency_field="currency_id")
    lbc_rcs_city = fields.Char(
        string="RCS (Registry Court)", help="The city of the trade and companies register (RCS), e.g. Paris."
    )
    lbc_late_penalty_note = fields.Text(
        string="Late-payment Penalties",
        default=DEFAULT_PENALTY_NOTE,
        help="The rate of the late-payment penalties, on every invoice and in its structured data (note PMD).",
    )
    lbc_recovery_indemnity = fields.Monetary(
        string="Fixed Recovery Indemnity",
        currency_field="currency_id",
        default=40.0,
        help="The fixed indemnity for recovery costs owed by a late professional payer (40 € by law, D.441-5).",
    )
    lbc_early_discount_note = fields.Text(
        string="Early-payment Discount",
        default=DEFAULT_DISCOUNT_NOTE,
        help="The discount for early payment, or its absence (note AAB), unless the payment term grants one.",
    )

    def _lbc_siren(self):
        self.ensure_one()
        registry = (self.company_registry or "").replace(" ", "")
        return registry[:9] if self.country_code == "FR" and len(registry) in (9, 14) else ""

    def _lbc_legal_mention(self):
        """One line naming the seller as the law requires: name, legal form and capital, RCS and SIREN, SIRET,
        VAT number."""
        self.ensure_one()
        parts = [self.name]
        if self.lbc_legal_form:
            parts.append(
                self.env._(
                    "%(form)s with a share capital of %(capital)s",
                    form=self.lbc_legal_form,
                    capital=format_amount(self.env, self.lbc_share_capital, self.currency_id),
                )
                if self.lbc_share_capital
                else self.lbc_legal_form
            )
        siren = self._lbc_siren()
        if siren:
            parts.append(f"RCS {self.lbc_rcs_city} {siren}" if self.lbc_rcs_city else f"SIREN {siren}")
        if len((self.company_registry or "").replace(" ", "")) == 14:
            parts.append(f"SIRET {self.company_registry}")
        if self.vat:
            parts.append(self.env._("VAT %(vat)s", vat=self.vat))
        return " – ".join(parts)

    @api.model
    def _lbc_recovery_note(self, company):
        return self.env._(
            "A fixed indemnity of %(amount)s for recovery costs is due for any late payment (articles L.441-10 and "
            "D.441-5 of the French Code de commerce).",
            amount=format_amount(self.env, company.lbc_recovery_indemnity, company.currency_id),
        )
