from odoo import api, fields, models
from odoo.tools import SQL

from .account_move_send import LBC_LEGAL_DOCUMENTS

# the jobs of Odoo's sending queue (the legal documents): Odoo's own and LBC's second runner
SEND_RUNNER_CRONS = ("account.ir_cron_account_move_send", "lbc_erp_client.ir_cron_account_move_send_2")


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
        for xmlid in SEND_RUNNER_CRONS:
            cron = self.env.ref(xmlid, raise_if_not_found=False)
            if cron:
                cron._trigger()

    @api.model
    def _cron_account_move_send(self, job_count=10):
        """Odoo's sending queue (the legal documents LBC queues when posting, the invoices sent in the background),
        spread over runners (issue #20). Odoo's method searches a batch, locks it (`try_lock_for_update`) but
        ignores which rows it could lock and makes the documents of the whole batch, and it has one job, which
        Odoo runs on one cron host at a time: a second host shares nothing. Here each batch of `job_count`
        invoices is claimed (`ir.cron._lbc_claim`, `SELECT ... FOR NO KEY UPDATE SKIP LOCKED`, still queued on
        the newest row) and committed, in Odoo's order, by the jobs of `_lbc_send_runner_crons` (Odoo's and
        `ir_cron_account_move_send_2`), each on its own invoices. An invoice left queued by a retryable error
        (Odoo keeps its sending data) is not claimed again by the same run: the next run retries it, as Odoo's."""
        domain = [("sending_data", "!=", False), ("state", "=", "posted")]
        Cron, handled = self.env["ir.cron"], set()

        def batch():
            claim_domain = [*domain, ("id", "not in", list(handled))] if handled else domain
            moves = Cron._lbc_claim(
                self,
                claim_domain,
                limit=job_count,
                order=("date", "invoice_date", "sequence_number", "id"),
                recheck=SQL("sending_data IS NOT NULL AND state = 'posted'"),
            )
            if moves:
                self.env["account.move.send"]._generate_and_send_invoices(moves, from_cron=True)
            claimed.update(moves.ids)
            return len(moves)

        claimed = set()

        def commit(done, left):
            handled.update(claimed)
            claimed.clear()
            return Cron._commit_progress(done, remaining=left)

        def on_retry():
            claimed.clear()

        Cron._lbc_run_claimed_batches(
            batch, remaining=lambda: self.search_count(domain), on_retry=on_retry, commit=commit
        )

    @api.model
    def _lbc_send_runner_crons(self):
        """The jobs of Odoo's sending queue: Odoo runs one job on one cron host at a time, so the queue has one job
        per runner (`account.ir_cron_account_move_send`, `lbc_erp_client.ir_cron_account_move_send_2`)."""
        return (
            self.env["ir.cron"]
            .sudo()
            .search([("model_id.model", "=", "account.move"), ("code", "=", "model._cron_account_move_send()")])
        )

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
