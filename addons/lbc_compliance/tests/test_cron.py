from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo.exceptions import UserError

from .common import LbcComplianceCommon


class TestComplianceCron(LbcComplianceCommon):
    def _messages(self, record, subject):
        return self.env["mail.message"].search(
            [
                ("model", "=", record._name),
                ("res_id", "=", record.id),
                ("subject", "ilike", subject),
                ("subtype_id", "=", self.env.ref("mail.mt_comment").id),
            ]
        )

    def test_engagement_checks_and_rerun(self):
        self._make_compliant(self.provider_a)
        start = self.today
        end = start + relativedelta(months=13)
        check = self.Check._lbc_start_engagement(self.provider_a, self.mission, self.client_a, start, end)
        self.assertEqual(check.date_due, start)
        self.assertEqual((check.res_model, check.res_id), ("res.partner", self.mission.id))
        self.assertEqual(check.engagement_ref, self.mission)
        self.assertEqual(check.state, "due")
        self.assertEqual(
            self.Check._lbc_start_engagement(self.provider_a, self.mission, self.client_a, start, end),
            check,
            "idempotent",
        )

        for _run in range(2):
            self.Check._cron_lbc_compliance(run_date=start)
        checks = self.Check._lbc_engagement_checks(self.mission)
        self.assertEqual(len(checks), 2, "the contracting check and the next one, no duplicate")
        self.assertEqual(check.state, "passed")
        self.assertEqual(len(check.document_ids), 5, "snapshot of the documents relied on")
        self.assertIn("URSSAF attestation of social declarations: verified, valid until", check.result_note)
        second = checks - check
        self.assertEqual(second.date_due, start + relativedelta(months=6))
        self.assertEqual(second.state, "due")

        # six months later: the documents issued 10 days before have expired -> the check fails
        for _run in range(2):
            self.Check._cron_lbc_compliance(run_date=second.date_due)
        self.assertEqual(second.state, "failed")
        self.assertIn("expired on", second.result_note)
        self.assertEqual(self.provider_a.lbc_compliance_state, "expired")
        # the third check would be due after the end (start + 12 months <= end: planned), not the fourth
        checks = self.Check._lbc_engagement_checks(self.mission)
        self.assertEqual(sorted(checks.mapped("sequence")), [0, 1, 2])
        self.Check._cron_lbc_compliance(run_date=start + relativedelta(months=12))
        self.assertEqual(len(self.Check._lbc_engagement_checks(self.mission)), 3, "no check after the end date")

        mail = self._messages(second, "Vigilance check failed")
        self.assertEqual(len(mail), 1, "notified once")
        self.assertIn(self.provider_a_admin.partner_id, mail.partner_ids)
        self.assertIn(self.client_a_admin.partner_id, mail.partner_ids)
        self.assertIn(self.env.company.partner_id, mail.partner_ids)
        self.assertEqual(len(second.activity_ids), 1)
        self.assertTrue(second.activity_ids.user_id.has_group("lbc_base.group_compliance_officer"))

    def test_expired_document_fails_due_check(self):
        docs = self._make_compliant(self.provider_a)
        self.assertEqual(self.provider_a.lbc_compliance_state, "compliant")
        kbis = docs.filtered(lambda d: d.type_id.code == "kbis")
        due = kbis.expiry_date + timedelta(days=1)
        check = self.Check._lbc_start_engagement(
            self.provider_a, self.mission, self.client_a, due, due + relativedelta(months=3)
        )
        self.Check._cron_lbc_compliance(run_date=due)
        self.assertEqual(kbis.state, "expired")
        self.assertEqual(kbis.expired_date, due)
        self.assertEqual(self.provider_a.lbc_compliance_state, "expired")
        self.assertEqual(check.state, "failed")
        self.assertEqual(check.result_note, f"Kbis extract: expired on {kbis.expiry_date}")
        self.assertNotIn(kbis, check.document_ids)
        self.assertEqual(len(check.document_ids), 4)
        self.assertFalse(
            self.Check._lbc_engagement_checks(self.mission) - check, "the engagement ends before the next check"
        )
        # the provider renews, the officer runs the check again
        self._make_compliant(self.provider_a, self.today, codes=("kbis",))
        with self.assertRaises(UserError):
            check.with_user(self.provider_a_admin).action_recheck()
        check.with_user(self.compliance_officer).action_recheck()
        self.assertEqual(check.state, "passed")

    def test_reminders_sent_once(self):
        docs = self._make_compliant(self.provider_a, codes=("urssaf",))
        expiry = docs.expiry_date
        for _run in range(2):
            self.Check._cron_lbc_compliance(run_date=expiry - timedelta(days=31))
        self.assertFalse(docs.reminder_ids)
        for _run in range(2):
            self.Check._cron_lbc_compliance(run_date=expiry - timedelta(days=30))
        self.assertEqual(docs.reminder_ids.mapped("days_before"), [30])
        self.Check._cron_lbc_compliance(run_date=expiry - timedelta(days=20))
        self.assertEqual(len(docs.reminder_ids), 1)
        for _run in range(2):
            self.Check._cron_lbc_compliance(run_date=expiry - timedelta(days=7))
        self.assertEqual(sorted(docs.reminder_ids.mapped("days_before")), [7, 30])
        self.assertEqual(len(self._messages(docs, "expires on")), 2, "one e-mail per reminder delay")

    def test_late_verification_sends_closest_reminder_only(self):
        kbis = self._upload(self.provider_b, "kbis", self.today - timedelta(days=85))
        kbis.with_user(self.compliance_officer).action_verify()
        self.Check._cron_lbc_compliance(run_date=self.today)
        self.Check._cron_lbc_compliance(run_date=self.today + timedelta(days=1))
        self.assertEqual(len(self._messages(kbis, "expires on")), 1)
        self.assertEqual(sorted(kbis.reminder_ids.mapped("days_before")), [7, 30])
        self.assertEqual(kbis.reminder_ids.filtered("sent").days_before, 7)

    def test_state_moves_with_the_calendar(self):
        self._make_compliant(self.provider_a)
        self.assertEqual(self.provider_a.lbc_compliance_state, "compliant")
        kbis_expiry = min(self.provider_a.lbc_compliance_current_document_ids.mapped("expiry_date"))
        self.Check._cron_lbc_compliance(run_date=kbis_expiry - timedelta(days=20))
        self.assertEqual(self.provider_a.lbc_compliance_state, "expiring")

    def test_end_engagement_early(self):
        self._make_compliant(self.provider_a)
        start = self.today
        check = self.Check._lbc_start_engagement(
            self.provider_a, self.mission, self.client_a, start, start + relativedelta(years=2)
        )
        self.Check._cron_lbc_compliance(run_date=start)
        planned = self.Check._lbc_engagement_checks(self.mission) - check
        self.assertEqual(planned.state, "due")
        self.Check._lbc_end_engagement(self.mission, start + relativedelta(months=2))
        self.assertEqual(planned.state, "cancelled")
        self.assertEqual(check.engagement_date_end, start + relativedelta(months=2))
        self.Check._cron_lbc_compliance(run_date=start + relativedelta(months=7))
        self.assertEqual(len(self.Check._lbc_engagement_checks(self.mission)), 2, "nothing new after the end")
        with self.assertRaisesRegex(UserError, "ends before it starts"):
            self.Check._lbc_start_engagement(
                self.provider_b, self.mission, self.client_a, start, start - timedelta(days=1)
            )
        with self.assertRaisesRegex(UserError, "only through its actions"):
            check.with_user(self.compliance_officer).write({"state": "passed"})
