"""Odoo's sending queue (the invoices' legal documents) spread over two runners at once (issue #20): the validated
reports of the invoicing runners' fixture are invoiced (their documents queued), then two threads, each with its
own real cursor, run the queue's cron method in small batches; every invoice is claimed once and taken off the
queue once, each runner commits each of its batches. The fixture is left inert afterwards (see the invoicing test)."""

from odoo import api
from odoo.addons.lbc_base.tests.common import LbcRunnersMixin
from odoo.tests import TransactionCase, tagged

from . import test_invoicing_runners as invoicing  # the module, not its class: its tests run once


@tagged("post_install", "-at_install")
class TestLegalDocumentsRunners(LbcRunnersMixin, TransactionCase):
    def _fixture(self):
        ids = invoicing.TestInvoicingRunners._fixture(self)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            reports = env["lbc.activity.report"].browse(ids["reports"])
            reports._lbc_invoice()
            moves = reports.invoice_ids.filtered(lambda move: move.state == "posted" and move.sending_data)
            cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point
        ids["moves"] = moves.ids
        return ids

    def _run_runners(self, n_runners, job_count):
        """n_runners threads run the sending queue's cron method at once; returns, per runner, the batches it
        claimed and committed (invoices)."""
        claims, _commits = self._lbc_run_runners(
            n_runners, lambda env: env["account.move"]._cron_account_move_send(job_count=job_count)
        )
        return claims

    def test_two_runners_make_each_legal_document_once(self):
        ids = self._fixture()
        try:
            self.assertTrue(ids["moves"])
            claims = self._run_runners(2, job_count=3)
            self.assertEqual(len(claims), 2, f"both runners took batches: {claims}")
            for runner, batches in claims.items():
                self.assertTrue(all(1 <= len(batch) <= 3 for batch in batches), f"{runner} committed each batch")
            claimed = [move_id for batches in claims.values() for batch in batches for move_id in batch.ids]
            self.assertEqual(len(claimed), len(set(claimed)), "no invoice claimed twice")
            self.assertLessEqual(set(ids["moves"]), set(claimed), "every queued invoice claimed")
            with self.registry.cursor() as cr:  # what the runners committed, from another transaction
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                for move in env["account.move"].browse(ids["moves"]):
                    self.assertFalse(move.sending_data, f"{move.name}: taken off the queue")
                    # the fixture's company has no complete legal identity: the sending records its error on the
                    # invoice instead of the PDF (the documents themselves are tested in test_facturx); what counts
                    # here is that no invoice is processed twice
                    pdfs = env["ir.attachment"].search_count(
                        [
                            ("res_model", "=", "account.move"),
                            ("res_id", "=", move.id),
                            ("res_field", "=", "invoice_pdf_report_file"),
                        ]
                    )
                    self.assertLessEqual(pdfs, 1, f"{move.name}: one legal PDF at most")
        finally:
            invoicing.TestInvoicingRunners._make_inert(self, ids)

    def test_two_cron_jobs(self):
        crons = self.env["account.move"]._lbc_send_runner_crons()
        self.assertEqual(len(crons), 2)
        self.assertIn(self.env.ref("lbc_erp_client.ir_cron_account_move_send_2"), crons)
