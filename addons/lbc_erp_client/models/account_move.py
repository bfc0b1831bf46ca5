from odoo import fields, models

from .account_move_send import LBC_LEGAL_DOCUMENTS


class AccountMove(models.Model):
    _inherit = "account.move"

    # the term an LBC subscription invoice (OCA's subscription_id) bills: one invoice per subscription and term
    lbc_subscription_term_start = fields.Date(string="Subscription Term", readonly=True, copy=False)

    _lbc_subscription_term_uniq = models.UniqueIndex(
        "(subscription_id, lbc_subscription_term_start) WHERE lbc_subscription_term_start IS NOT NULL "
        "AND state != 'cancel'",
        "This subscription term is already invoiced.",
    )

    def _lbc_needs_legal_documents(self):
        """The documents LBC issues: its customer invoices and credit notes, and the providers' invoices it issues
        on their behalf under the self-billing mandate."""
        self.ensure_one()
        return self.state == "posted" and (
            self.move_type in ("out_invoice", "out_refund") or (self.lbc_invoice_kind and self._lbc_is_self_billed())
        )

    def _lbc_queue_legal_documents(self):
        """Queue the legal documents of these posted invoices in Odoo's sending queue: its cron makes them in the
        background, in batches with progress (a PDF/A-3 with the Factur-X XML and its XMP metadata, and the XML
        on its own), and stores them on the invoice; nothing is sent (LBC's members get them in the portal)."""
        moves = self.filtered(lambda move: move._lbc_needs_legal_documents() and not move.invoice_pdf_report_id)
        if not moves:
            return
        moves.sending_data = {
            "lbc_legal_documents": True,
            "author_user_id": self.env.user.id,
            "author_partner_id": self.env.user.partner_id.id,
        }
        self.env.ref("account.ir_cron_account_move_send")._trigger()

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._lbc_queue_legal_documents()
        return posted

    def _is_exportable_as_self_invoice(self):
        # LBC's self-billed invoices are exported in Factur-X (type 389 / 261), whatever the provider's own format
        if self.state == "posted" and self.lbc_invoice_kind and self._lbc_is_self_billed():
            return True
        return super()._is_exportable_as_self_invoice()

    def _lbc_legal_documents(self):
        """The stored legal PDF of each invoice ({move: attachment}); those not made yet are made now, the legal way
        (for the accountants' export, which runs in the background)."""
        missing = self.filtered(lambda move: move._lbc_needs_legal_documents() and not move.invoice_pdf_report_id)
        if missing:
            self.env["account.move.send"]._generate_and_send_invoices(missing, **LBC_LEGAL_DOCUMENTS)
        return {move: move.invoice_pdf_report_id for move in self if move.invoice_pdf_report_id}
