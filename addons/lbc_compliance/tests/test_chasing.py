from datetime import timedelta

from dateutil.relativedelta import relativedelta

from .common import LbcComplianceCommon


class TestChasing(LbcComplianceCommon):
    """Reminders with a direct upload link, sent once at 30 and 7 days; escalation; expiry told at once."""

    def _mails(self, record, subject):
        return self.env["mail.message"].search(
            [
                ("model", "=", record._name),
                ("res_id", "=", record.id),
                ("subject", "ilike", subject),
                ("subtype_id", "=", self.env.ref("mail.mt_comment").id),
            ]
        )

    def _officer_activities(self, doc):
        return doc.activity_ids.filtered(lambda a: a.user_id.has_group("lbc_base.group_compliance_officer"))

    def test_reminders_link_once_and_escalation(self):
        doc = self._make_compliant(self.provider_a, codes=("urssaf",))
        expiry = doc.expiry_date
        for _run in range(2):
            self.Check._cron_lbc_compliance(run_date=expiry - timedelta(days=30))
        mail = self._mails(doc, "expires on")
        self.assertEqual(len(mail), 1, "sent once")
        self.assertEqual(mail.partner_ids, self.provider_a_admin.partner_id, "to the provider's admins")
        self.assertIn("/my/compliance?upload=urssaf#lbc_upload", mail.body, "a direct upload link")
        self.assertFalse(self._officer_activities(doc), "no escalation at the first reminder")
        for _run in range(2):
            self.Check._cron_lbc_compliance(run_date=expiry - timedelta(days=7))
        self.assertEqual(len(self._mails(doc, "expires on")), 2, "the second reminder, once")
        activity = self._officer_activities(doc)
        self.assertEqual(len(activity), 1, "escalated to the compliance officer at the last reminder")
        self.assertIn("no renewal uploaded yet", activity.summary)
        self.assertEqual(activity.date_deadline, expiry - timedelta(days=7))

    def test_no_reminder_once_renewal_uploaded(self):
        doc = self._make_compliant(self.provider_a, codes=("kbis",))
        self._upload(self.provider_a, "kbis", self.today)
        self.Check._cron_lbc_compliance(run_date=doc.expiry_date - timedelta(days=7))
        self.assertFalse(self._mails(doc, "expires on"))
        self.assertFalse(self._officer_activities(doc))

    def test_expiry_tells_clients_and_lbc_at_once(self):
        docs = self._make_compliant(self.provider_a)
        kbis = docs.filtered(lambda d: d.type_id.code == "kbis")
        # a running engagement with client A (no six-monthly check due on the expiry day), none with client B
        start = self.today
        self.Check._lbc_start_engagement(
            self.provider_a, self.mission, self.client_a, start, start + relativedelta(years=1)
        )
        old = self.env["res.partner"].create({"name": "Mission Ended"})
        self.Check._lbc_start_engagement(self.provider_a, old, self.client_b, start, start + timedelta(days=5))
        self.Check._cron_lbc_compliance(run_date=start)
        day = kbis.expiry_date + timedelta(days=1)
        for _run in range(2):
            self.Check._cron_lbc_compliance(run_date=day)
        self.assertEqual(kbis.state, "expired")
        mail = self._mails(kbis, "expired on")
        self.assertEqual(len(mail), 1, "told once, on the day it expires")
        self.assertIn(self.provider_a_admin.partner_id, mail.partner_ids)
        self.assertIn(self.client_a_admin.partner_id, mail.partner_ids, "the client of the running engagement")
        self.assertIn(self.env.company.partner_id, mail.partner_ids, "LBC")
        self.assertNotIn(self.client_b_admin.partner_id, mail.partner_ids, "an ended engagement's client is not")
        self.assertIn("/my/compliance?upload=kbis", mail.body)
        activity = self._officer_activities(kbis).filtered(lambda a: "Expired" in a.summary)
        self.assertEqual(len(activity), 1)
        self.assertIn("Client A", activity.summary)
        # no six-monthly check was due that day: the client heard of it anyway
        self.assertFalse(
            self.Check.search([("partner_id", "=", self.provider_a.id), ("date_checked", "=", day)]),
        )

    def test_superseded_or_unverified_expiry_is_not_announced(self):
        submitted = self._upload(self.provider_b, "kbis", self.today - timedelta(days=80))
        self.Check._cron_lbc_compliance(run_date=submitted.expiry_date + timedelta(days=1))
        self.assertEqual(submitted.state, "expired")
        self.assertFalse(self._mails(submitted, "expired on"), "it never counted: nothing to announce")
