"""Abuse: a cron killed in the middle of a batch, then run again, ends exactly as an uninterrupted run: no
duplicate check, reminder or e-mail, nothing skipped (the invoicing run: lbc_erp_client's test_abuse_cron).

The kill is simulated in the test's transaction: each commit of the cron (its _commit_progress) releases a
savepoint and opens the next one; at the chosen commit the cron raises instead, and the open savepoint (the
batch in progress) is rolled back, as PostgreSQL does when a worker dies before committing.
"""

from odoo import fields
from odoo.addons.lbc_compliance.tests.common import FRENCH_CODES
from odoo.addons.lbc_compliance.tests.cron_kill import KillableRun
from odoo.tests import TransactionCase, tagged

N_PROVIDERS = 12
BATCH = 4


@tagged("post_install", "-at_install")
class TestAbuseComplianceCronKilled(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        Partner = cls.env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True)
        cls.client = Partner.create({"name": "Kill client", "is_company": True, "lbc_is_client": True})
        cls.providers = Partner.create(
            [
                {
                    "name": f"Kill provider {i}",
                    "is_company": True,
                    "lbc_is_provider": True,
                    "country_id": cls.env.ref("base.fr").id,
                    "email": f"kill-{i}@example.com",
                }
                for i in range(N_PROVIDERS)
            ]
        )
        # one provider in three: URSSAF expired yesterday (its check fails); one in three: Kbis expiring in 7
        # days (reminder); the others compliant. One check due today for each.
        cls.env.cr.execute(
            """
            WITH p AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM res_partner WHERE id = ANY(%(ids)s)),
                 t AS (SELECT id, code, validity_months AS m FROM lbc_compliance_document_type
                        WHERE code = ANY(%(codes)s)),
                 d AS (
                    SELECT p.id AS partner_id, t.id AS type_id, t.m,
                           CASE WHEN p.i %% 3 = 0 AND t.code = 'urssaf'
                                    THEN (%(today)s::date - 1 - make_interval(months => t.m))::date
                                WHEN p.i %% 3 = 1 AND t.code = 'kbis'
                                    THEN (%(today)s::date + 7 - make_interval(months => t.m))::date
                                ELSE %(today)s::date - 10 END AS issue
                      FROM p CROSS JOIN t)
            INSERT INTO lbc_compliance_document (partner_id, type_id, issue_date, expiry_date, state, is_current,
                   file_name, file_mimetype, file_size, verification_method, verified_by_id, verified_date,
                   create_uid, write_uid, create_date, write_date)
            SELECT partner_id, type_id, issue, (issue + make_interval(months => m))::date, 'verified', true,
                   'kill.pdf', 'application/pdf', 1000, 'manual', 1, now(), 1, 1, now(), now()
              FROM d
            """,
            {"ids": cls.providers.ids, "codes": list(FRENCH_CODES), "today": cls.today},
        )
        cls.env.cr.execute(
            """
            INSERT INTO lbc_compliance_check (partner_id, client_id, res_model, res_id, engagement_name,
                   engagement_date_start, engagement_date_end, sequence, date_due, state,
                   create_uid, write_uid, create_date, write_date)
            SELECT id, %(client)s, 'res.partner', id, 'Kill mission ' || id, %(today)s,
                   %(today)s::date + 365, 0, %(today)s, 'due', 1, 1, now(), now()
              FROM res_partner WHERE id = ANY(%(ids)s)
            """,
            {"ids": cls.providers.ids, "client": cls.client.id, "today": cls.today},
        )
        cls.env.invalidate_all()
        cls.providers._lbc_compliance_recompute()

    def _snapshot(self):
        """What the cron did to our providers, by natural keys (lists, so that duplicates show)."""
        self.env.invalidate_all()
        docs = self.env["lbc.compliance.document"].search([("partner_id", "in", self.providers.ids)], order="id")
        checks = self.env["lbc.compliance.check"].search([("partner_id", "in", self.providers.ids)])
        reminders = self.env["lbc.compliance.reminder"].search([("document_id", "in", docs.ids)])

        def mails(records):
            messages = self.env["mail.message"].search(
                [("model", "=", records._name), ("res_id", "in", records.ids), ("message_type", "!=", "notification")]
            )
            return sorted(
                (records.browse(m.res_id).partner_id.id, records.browse(m.res_id)._name, m.subject or "")
                for m in messages
            )

        return {
            "documents": [(d.id, d.state) for d in docs],
            "reminders": sorted((r.document_id.id, r.days_before, r.sent, str(r.date_sent)) for r in reminders),
            "checks": sorted((c.partner_id.id, c.sequence, c.state, str(c.date_due)) for c in checks),
            "activities": sorted((c.partner_id.id, c.sequence, len(c.activity_ids)) for c in checks if c.activity_ids),
            "mails": mails(docs) + mails(checks),
            "partners": sorted((p.id, p.lbc_compliance_state) for p in self.providers),
        }

    def test_killed_at_every_commit_then_rerun(self):
        run = KillableRun(self.env, "lbc.compliance.check", "_lbc_commit_progress")
        Check = self.env["lbc.compliance.check"]

        def cron():
            Check._cron_lbc_compliance(run_date=self.today, batch_size=BATCH)

        with self.env.cr.savepoint() as clean:
            commits = run(cron)
            expected = self._snapshot()
            clean.rollback()
        self.env.invalidate_all()
        # the uninterrupted run did what the data asks
        third = N_PROVIDERS // 3
        self.assertEqual(sum(state == "expired" for _id, state in expected["documents"]), third)
        self.assertEqual(len([c for c in expected["checks"] if c[1] == 0 and c[2] == "failed"]), third)
        self.assertEqual(len([c for c in expected["checks"] if c[1] == 0 and c[2] == "passed"]), N_PROVIDERS - third)
        self.assertEqual(len([c for c in expected["checks"] if c[1] == 1 and c[2] == "due"]), N_PROVIDERS)
        self.assertEqual(len({r[0] for r in expected["reminders"] if r[2]}), third)
        self.assertEqual(len(expected["activities"]), third)
        self.assertGreaterEqual(commits, 4, "several batches: the kill points mean something")
        for kill_at in range(1, commits + 1):
            with self.subTest(kill_at=kill_at), self.env.cr.savepoint() as scenario:
                reached = run(cron, kill_at=kill_at)
                self.assertEqual(reached, kill_at, "the run was killed where asked")
                run(cron)
                self.assertEqual(self._snapshot(), expected, f"killed at commit {kill_at}, then run again")
                scenario.rollback()
            self.env.invalidate_all()
