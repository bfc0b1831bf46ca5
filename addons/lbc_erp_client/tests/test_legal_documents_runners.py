"""Odoo's sending queue (the invoices' legal documents) spread over two runners at once (issue #20): the validated
reports of the invoicing runners' fixture are invoiced (their documents queued), then two threads, each with its
own real cursor, run the queue's cron method in small batches; every invoice is claimed once and taken off the
queue once, each runner commits each of its batches. The fixture is left inert afterwards (see the invoicing test)."""

import threading
import traceback
from unittest.mock import patch

from odoo import api
from odoo.orm.environments import Transaction
from odoo.tests import TransactionCase, tagged

from . import test_invoicing_runners as invoicing  # the module, not its class: its tests run once


@tagged("post_install", "-at_install")
class TestLegalDocumentsRunners(TransactionCase):
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
        barrier = threading.Barrier(n_runners, timeout=60)
        claims, errors, pending = {}, [], {}
        Cron = type(self.env["ir.cron"])
        claim, commit = Cron._lbc_claim, Cron._commit_progress

        def recorded_claim(cron, records, domain, **kwargs):
            claimed = claim(cron, records, domain, **kwargs)
            pending[threading.current_thread().name] = claimed.ids
            return claimed

        def recorded_commit(cron, processed=0, **kwargs):
            name = threading.current_thread().name
            claims.setdefault(name, []).append(pending.pop(name, []))
            return commit(cron, processed, **kwargs)

        def run():
            try:
                with self.registry.cursor() as cr:
                    # the test holds the registry's loading lock: give the cursor its transaction directly
                    cr.transaction = Transaction(self.registry)
                    env = api.Environment(cr, api.SUPERUSER_ID, {})
                    barrier.wait()
                    env["account.move"]._cron_account_move_send(job_count=job_count)
                    cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point
            except Exception as error:  # reported by the test
                errors.append(f"{type(error).__name__}: {error} {traceback.format_exc()}")

        with (
            # a new cursor's environment asks Registry(dbname) for the registry, whose lock the test holds
            patch("odoo.orm.environments.Registry", lambda dbname: self.registry),
            patch.object(Cron, "_lbc_claim", recorded_claim),
            patch.object(Cron, "_commit_progress", recorded_commit),
        ):
            threads = [threading.Thread(target=run, name=f"runner-{n}") for n in range(n_runners)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(300)
        self.assertEqual(errors, [], "no runner failed")
        return claims

    def test_two_runners_make_each_legal_document_once(self):
        ids = self._fixture()
        try:
            self.assertTrue(ids["moves"])
            claims = self._run_runners(2, job_count=3)
            self.assertEqual(len(claims), 2, f"both runners took batches: {claims}")
            for runner, batches in claims.items():
                self.assertTrue(all(1 <= len(batch) <= 3 for batch in batches), f"{runner} committed each batch")
            claimed = [move_id for batches in claims.values() for batch in batches for move_id in batch]
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
