"""A client reads the vigilance documents of a provider for as long as it contracts with it: the engagement's end
closes its checks and the record rule no longer lets the client read the documents (search, read, the file)."""

from datetime import date
from unittest.mock import patch

from odoo.exceptions import AccessError

from .common import LbcComplianceCommon


class TestComplianceClientAccess(LbcComplianceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.doc_a = cls._create_urssaf_document(cls.provider_a, "ABCD1234")
        cls.check = cls.env["lbc.compliance.check"]._lbc_start_engagement(
            cls.provider_a, cls.mission, cls.client_a, "2026-12-01", "2027-12-01"
        )

    def _providers(self, user):
        return self.env["lbc.compliance.check"].with_user(user).lbc_my_providers_compliance()

    def _readable(self, user, records):
        return records.with_user(user).search([("id", "in", records.ids)])

    def test_client_reads_no_longer_after_the_engagement(self):
        Doc = self.env["lbc.compliance.document"]
        self.assertEqual(self._readable(self.client_a_buyer, self.doc_a), self.doc_a)
        self.assertEqual(
            [p["id"] for p in self._providers(self.client_a_buyer)],
            [self.provider_a.id],
        )
        self.env["lbc.compliance.check"]._lbc_end_engagement(self.mission, "2027-01-15")
        self.assertTrue(self.check.engagement_closed)
        for user in (self.client_a_admin, self.client_a_buyer):
            with self.subTest(user=user.login):
                self.assertFalse(self._readable(user, self.doc_a))
                self.assertFalse(Doc.with_user(user).search([("partner_id", "=", self.provider_a.id)]))
                with self.assertRaises(AccessError):
                    self.doc_a.with_user(user).read(["file", "urssaf_security_code"])
                self.assertEqual(self._providers(user), [])
        # the provider still reads its own; LBC everything
        self.assertEqual(self._readable(self.provider_a_admin, self.doc_a), self.doc_a)
        self.assertEqual(self._readable(self.compliance_officer, self.doc_a), self.doc_a)

    def test_a_new_engagement_opens_them_again(self):
        self.env["lbc.compliance.check"]._lbc_end_engagement(self.mission, "2027-01-15")
        self.assertFalse(self._readable(self.client_a_buyer, self.doc_a))
        other = self.provider_b  # any record stands for another engagement of the same parties
        self.env["lbc.compliance.check"]._lbc_start_engagement(
            self.provider_a, other, self.client_a, "2027-02-01", "2027-06-30"
        )
        self.assertEqual(self._readable(self.client_a_buyer, self.doc_a), self.doc_a)

    def test_members_never_close_a_check(self):
        with self.assertRaises(AccessError):
            self.check.with_user(self.client_a_admin).write({"engagement_closed": True})
        with self.assertRaises(AccessError):
            self.check.with_user(self.provider_a_admin).write({"engagement_closed": False})
        self.assertFalse(self.check.engagement_closed)

    def test_the_daily_run_closes_engagements_past_their_end(self):
        """A mission that simply reaches its end date (nobody ends it by hand): the next daily run closes its
        checks and the client no longer reads the provider's documents; in batches, each committed, safe to
        re-run after running out of time."""
        other = self.env["res.partner"].create({"name": "Mission Beta"})
        running = self.Check._lbc_start_engagement(self.provider_a, other, self.client_a, "2026-11-01", "2027-06-30")
        Check = self.Check.sudo()
        patched = patch.object(type(Check), "_lbc_commit_progress", autospec=True)
        stats = {}
        self.assertTrue(Check._lbc_cron_close_engagements(date(2027, 6, 30), 1, stats))
        self.assertEqual(stats["closed"], 0, "an engagement ending today still runs today")
        with patched as commit:
            commit.return_value = 0  # out of time after the first batch
            self.assertFalse(Check._lbc_cron_close_engagements(date(2027, 12, 2), 1, stats))
        self.assertEqual([c.args[1:] for c in commit.call_args_list], [(1, 1)])
        self.assertEqual((running.engagement_closed, self.check.engagement_closed), (True, False))
        self.assertEqual(self._readable(self.client_a_buyer, self.doc_a), self.doc_a, "the mission still runs")
        with patched as commit:
            commit.return_value = float("inf")
            self.assertTrue(Check._lbc_cron_close_engagements(date(2027, 12, 2), 1, stats))
        self.assertEqual([c.args[1:] for c in commit.call_args_list], [(1, 0)])
        self.assertEqual(stats["closed"], 2)
        self.assertTrue(self.check.engagement_closed)
        self.assertFalse(self._readable(self.client_a_buyer, self.doc_a))
        self.assertEqual(self._providers(self.client_a_buyer), [])
        self.assertEqual(self.Check._cron_lbc_compliance(run_date="2027-12-03")["closed"], 0, "nothing left")

    def test_an_open_ended_engagement_stays_open(self):
        other = self.env["res.partner"].create({"name": "Mission Gamma"})
        open_ended = self.Check._lbc_start_engagement(self.provider_b, other, self.client_a, "2026-11-01", None)
        self.Check._cron_lbc_compliance(run_date="2030-01-01")
        self.assertFalse(open_ended.engagement_closed)
        self.assertTrue(self.check.engagement_closed)
