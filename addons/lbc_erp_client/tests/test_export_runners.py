"""The accountants' exports spread over two runners at once (issue #20): two threads, each with its own real
cursor (its own PostgreSQL transaction), run the cron's method on the same queued exports; every export is claimed
and produced once (one file, one notice), each runner commits each of its exports. The fixture is committed
(separate transactions are the point) and removed afterwards."""

from odoo import api
from odoo.addons.lbc_base.tests.common import LbcRunnersMixin
from odoo.tests import TransactionCase, tagged

N_EXPORTS = 6


@tagged("post_install", "-at_install")
class TestExportRunners(LbcRunnersMixin, TransactionCase):
    def _fixture(self):
        """N_EXPORTS queued CSV registers of a period without invoices (each export is a whole file), committed."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            exports = env["lbc.invoice.export"].create(
                [
                    {"export_format": "csv", "date_from": f"1990-{month:02d}-01", "date_to": f"1990-{month:02d}-28"}
                    for month in range(1, N_EXPORTS + 1)
                ]
            )
            cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point
            return exports.ids

    def _remove(self, ids):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            exports = env["lbc.invoice.export"].browse(ids).exists()
            exports.attachment_id.unlink()
            exports.unlink()
            cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point

    def _run_runners(self, n_runners):
        """n_runners threads run the exports cron's method at once; returns, per runner, the batches it claimed
        and committed (exports)."""
        claims, _commits = self._lbc_run_runners(n_runners, lambda env: env["lbc.invoice.export"]._cron_run_exports())
        return claims

    def test_two_runners_produce_each_export_once(self):
        ids = self._fixture()
        try:
            claims = self._run_runners(2)
            self.assertEqual(len(claims), 2, f"both runners produced exports: {claims}")
            for runner, batches in claims.items():
                self.assertTrue(all(len(batch) == 1 for batch in batches), f"{runner}: one export per commit")
            claimed = [export_id for batches in claims.values() for batch in batches for export_id in batch.ids]
            self.assertEqual(len(claimed), len(set(claimed)), "no export claimed twice")
            self.assertLessEqual(set(ids), set(claimed), "every export claimed")
            with self.registry.cursor() as cr:  # what the runners committed, from another transaction
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                exports = env["lbc.invoice.export"].browse(ids)
                self.assertEqual(set(exports.mapped("state")), {"done"}, exports.mapped("error"))
                for export in exports:
                    files = env["ir.attachment"].search([("res_model", "=", export._name), ("res_id", "=", export.id)])
                    self.assertEqual(files, export.attachment_id, "one file per export")
                    ready = export.message_ids.filtered(lambda m: "is ready" in (m.body or ""))
                    self.assertEqual(len(ready), 1, "the requester told once")
        finally:
            self._remove(ids)

    def test_two_cron_jobs(self):
        crons = self.env["lbc.invoice.export"]._lbc_export_runner_crons()
        self.assertEqual(len(crons), 2)
        self.assertIn(self.env.ref("lbc_erp_client.ir_cron_run_exports_2"), crons)
