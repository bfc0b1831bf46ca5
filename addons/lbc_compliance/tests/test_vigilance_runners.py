"""The daily vigilance run spread over two runners at once (issue #20): two threads, each with its own real cursor
(its own PostgreSQL transaction), run the cron's method on the same documents and checks, in small batches; every
document is expired or reminded once and every check is run once, each runner commits each of its batches. The
fixture is committed (separate transactions are the point) and left inert afterwards: the documents expired, the
checks cancelled, the partners archived."""

import time
from datetime import timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import api, fields
from odoo.addons.lbc_base.tests.common import LbcRunnersMixin, make_siret
from odoo.tests import TransactionCase, tagged

N_PROVIDERS = 6
PDF = "JVBERi0xLjQKJSVFT0YK"  # %PDF-1.4 %%EOF


@tagged("post_install", "-at_install")
class TestVigilanceRunners(LbcRunnersMixin, TransactionCase):
    def _fixture(self, today):
        """N_PROVIDERS providers, each with a verified Kbis extract expired yesterday (to expire), a verified
        URSSAF attestation expiring in 5 days (to remind) and a check due today for a client (to run), committed."""
        seed = int(time.time() * 1000) % 10000 * 100 + 90
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True})
            Partner, Doc = env["res.partner"], env["lbc.compliance.document"]
            common = {"is_company": True, "country_id": env.ref("base.fr").id, "lbc_state": "validated"}
            client = Partner.create(
                {**common, "name": f"Vigil Client {seed}", "lbc_is_client": True, "company_registry": make_siret(seed)}
            )
            providers = Partner.create(
                [
                    {
                        **common,
                        "name": f"Vigil Provider {seed} {i}",
                        "email": f"vigil-{seed}-{i}@example.com",
                        "lbc_is_provider": True,
                        "company_registry": make_siret(seed + 1 + i),
                    }
                    for i in range(N_PROVIDERS)
                ]
            )
            kbis, urssaf = (env.ref(f"lbc_compliance.document_type_{code}") for code in ("kbis", "urssaf"))
            to_expire = Doc.create(
                [
                    {"partner_id": p.id, "type_id": kbis.id, "file": PDF, "file_name": "k.pdf", "issue_date": today}
                    for p in providers
                ]
            )
            to_remind = Doc.create(
                [
                    {"partner_id": p.id, "type_id": urssaf.id, "file": PDF, "file_name": "u.pdf", "issue_date": today}
                    for p in providers
                ]
            )
            # verified as the fixture of a committed run (the verification workflow is tested elsewhere)
            env.flush_all()
            for docs, expiry in ((to_expire, today - timedelta(days=1)), (to_remind, today + timedelta(days=5))):
                cr.execute(
                    "UPDATE lbc_compliance_document SET state = 'verified', is_current = true, expiry_date = %s"
                    " WHERE id = ANY(%s)",
                    [expiry, docs.ids],
                )
            env.invalidate_all()
            Check = env["lbc.compliance.check"]
            checks = Check.browse()
            for provider in providers:
                checks |= Check._lbc_start_engagement(
                    provider, provider, client, today, today + relativedelta(months=3)
                )
            cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point
            return {
                "to_expire": to_expire.ids,
                "to_remind": to_remind.ids,
                "delays": len(urssaf._lbc_reminder_delays()),
                "checks": checks.ids,
                "partners": (client | providers).ids,
            }

    def _make_inert(self, ids):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            cr.execute(
                "UPDATE lbc_compliance_document SET state = 'expired' WHERE id = ANY(%s)",
                [ids["to_expire"] + ids["to_remind"]],
            )
            cr.execute(
                "UPDATE lbc_compliance_check SET state = 'cancelled' WHERE partner_id = ANY(%s)", [ids["partners"]]
            )
            env["res.partner"].browse(ids["partners"]).write({"active": False})
            cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point

    def _run_runners(self, n_runners, batch, today):
        """n_runners threads run the vigilance cron's method at once; returns, per runner, the batches it claimed
        and committed (documents, providers or checks) and the number of its commits."""
        Check = type(self.env["lbc.compliance.check"])

        def committing_progress(check, processed, remaining):
            # as in a cron job: each batch is committed (ir.cron._commit_progress commits outside a cron)
            return check.env["ir.cron"]._commit_progress(processed, remaining=remaining)

        return self._lbc_run_runners(
            n_runners,
            lambda env: env["lbc.compliance.check"]._cron_lbc_compliance(run_date=today, batch_size=batch),
            extra_patches=[patch.object(Check, "_lbc_commit_progress", committing_progress)],
        )

    def test_two_runners_handle_each_document_and_check_once(self):
        today = fields.Date.today()
        ids = self._fixture(today)
        try:
            claims, commits = self._run_runners(2, batch=2, today=today)
            self.assertEqual(len(claims), 2, f"both runners took batches: {claims}")
            for runner, batches in claims.items():
                self.assertTrue(all(len(batch) <= 2 for batch in batches), f"{runner}: batches of 2")
                self.assertGreaterEqual(commits[runner], 1)
            committed = [batch for batches in claims.values() for batch in batches]
            docs = [i for batch in committed if batch._name == "lbc.compliance.document" for i in batch.ids]
            checks = [i for batch in committed if batch._name == "lbc.compliance.check" for i in batch.ids]
            for doc_id in ids["to_expire"] + ids["to_remind"]:
                self.assertEqual(docs.count(doc_id), 1, f"document {doc_id} claimed once")
            for check_id in ids["checks"]:
                self.assertEqual(checks.count(check_id), 1, f"check {check_id} claimed once")
            with self.registry.cursor() as cr:  # what the runners committed, from another transaction
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                Doc = env["lbc.compliance.document"]
                expired = Doc.browse(ids["to_expire"])
                self.assertEqual(set(expired.mapped("state")), {"expired"})
                self.assertEqual(set(expired.mapped("expired_date")), {today})
                reminders = env["lbc.compliance.reminder"].search([("document_id", "in", ids["to_remind"])])
                self.assertEqual(len(reminders), ids["delays"] * N_PROVIDERS, "each reminder recorded once")
                comment = env.ref("mail.mt_comment")
                for doc in Doc.browse(ids["to_remind"]):
                    posted = env["mail.message"].search_count(
                        [("model", "=", doc._name), ("res_id", "=", doc.id), ("subtype_id", "=", comment.id)]
                    )
                    self.assertEqual(posted, 1, f"{doc.display_name}: reminded once")
                ran = env["lbc.compliance.check"].browse(ids["checks"])
                self.assertEqual(set(ran.mapped("date_checked")), {today})
                self.assertFalse(ran.filtered(lambda c: c.state == "due"), "every check run")
                for check in ran:
                    self.assertLessEqual(len(check.message_ids.filtered(lambda m: m.subtype_id == comment)), 1)
                    self.assertLessEqual(len(check.activity_ids), 1, "one follow-up at most")
        finally:
            self._make_inert(ids)

    def test_two_cron_jobs(self):
        crons = self.env["lbc.compliance.check"]._lbc_vigilance_runner_crons()
        self.assertEqual(len(crons), 2)
        self.assertIn(self.env.ref("lbc_compliance.ir_cron_lbc_compliance_2"), crons)
