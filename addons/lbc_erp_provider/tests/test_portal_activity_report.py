"""The portal pages of lbc_erp_provider: the activity reports (CRA calendar) of a mission, their approval,
the provider's dashboard."""

from datetime import timedelta

from odoo.addons.lbc_erp_provider.tests.common import START, LbcErpCommon
from odoo.addons.lbc_tender.tests.common import LbcPortalPageMixin
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestPortalActivityReport(HttpCase, LbcPortalPageMixin, LbcErpCommon):
    # ------------------------------------------------------------------ pages and isolation
    def test_provider_pages(self):
        report = self._report(days=2)
        self._login(self.provider_a_consultant)
        response = self.url_open(f"/my/missions/{self.mission.id}")
        self.assertIn("o_lbc_month_link", response.text, "the consultant fills its months from the mission")
        self.assertIn(report.access_url, response.text)
        self._login(self.provider_a_admin)
        pages = {
            f"/my/missions/{self.mission.id}": report.access_url,
            "/my/reports?filterby=all": self.mission.name,
            f"/my/reports/{report.id}": "o_lbc_cra_grid",
            "/my/dashboard": "o_lbc_marketplace_chart",
        }
        self._assert_pages(pages)

    def test_other_company_sees_nothing(self):
        report = self._report(days=2)
        self._login(self.provider_b_admin)
        self._assert_redirected_away(f"/my/reports/{report.id}", self.mission.name)
        self._assert_redirected_away(f"/my/missions/{self.mission.id}/report/2027-03", self.mission.name)
        for url in ("/my/reports?filterby=all", "/my/dashboard"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertNotIn(self.mission.name, response.text, url)
        with mute_logger("odoo.http"):
            self._post(f"/my/reports/{report.id}/save", {"qty_2027-03-01": "1"})
        self.assertEqual(report.days_total, 2)

    def test_counters(self):
        report = self._report(days=1)
        report.with_user(self.provider_a_consultant).action_submit()
        self._login(self.provider_approver)
        values = self.make_jsonrpc_request("/my/counters", {"counters": ["lbc_report_count", "lbc_mission_count"]})
        self.assertEqual(values["lbc_mission_count"], 1)
        self.assertEqual(values["lbc_report_count"], 1, "the approver has one report to approve")
        self._login(self.client_a_buyer)
        values = self.make_jsonrpc_request("/my/counters", {"counters": ["lbc_report_count"]})
        self.assertEqual(values["lbc_report_count"], 0, "submitted reports are the provider's business")
        self._login(self.client_b_admin)
        values = self.make_jsonrpc_request("/my/counters", {"counters": ["lbc_report_count"]})
        self.assertEqual(values["lbc_report_count"], 0)

    # ------------------------------------------------------------------ activity report grid
    def test_report_grid_errors_keep_input(self):
        self._login(self.provider_a_consultant)
        response = self.url_open(f"/my/missions/{self.mission.id}/report/2027-03")
        report = self.env["lbc.activity.report"].search([("mission_id", "=", self.mission.id)])
        self.assertEqual(len(report), 1)
        self.assertTrue(response.url.endswith(f"/my/reports/{report.id}"))
        self.assertIn('data-date="2027-03-29"', response.text)
        self.assertIn("Lundi de Pâques", response.text)
        self.assertIn("o_lbc_cra_save", response.text, "the consultant edits its draft")
        # a Saturday without the worked off-day flag: refused, what was typed stays
        response = self._post(
            f"/my/reports/{report.id}/save",
            {"qty_2027-03-01": "1", "qty_2027-03-06": "0.5", "comment_2027-03-01": "Kick-off"},
        )
        self.assertIn("tick", response.text.lower())
        self.assertIn('value="Kick-off"', response.text)
        self.assertFalse(report.line_ids)
        response = self._post(
            f"/my/reports/{report.id}/save",
            {"qty_2027-03-01": "1", "qty_2027-03-06": "0.5", "off_2027-03-06": "1", "comment_2027-03-01": "Kick-off"},
        )
        self.assertIn("Your days are saved.", response.text)
        self.assertEqual(report.days_total, 1.5)
        self.assertEqual(report.line_ids.filtered("worked_off_day").date, START + timedelta(days=5))
        # clearing a day removes its line
        self._post(f"/my/reports/{report.id}/save", {"qty_2027-03-01": "1"})
        self.assertEqual(report.days_total, 1)
        # a month outside the mission is not created
        response = self.url_open(f"/my/missions/{self.mission.id}/report/2026-01")
        self.assertIn("outside the mission", response.text)
        # another consultant cannot open it
        self._login(self.other_consultant)
        self._assert_redirected_away(f"/my/reports/{report.id}", "Kick-off")

    def test_report_send_back_with_reason(self):
        report = self._report(days=2)
        report.with_user(self.provider_a_consultant).action_submit()
        self._login(self.provider_approver)
        response = self._post(f"/my/reports/{report.id}/reject", {"reason": " "})
        self.assertIn("Please give a reason", response.text)
        self._post(f"/my/reports/{report.id}/reject", {"reason": "Missing Friday"})
        self.assertEqual((report.state, report.rejection_reason), ("draft", "Missing Friday"))
        # the consultant cannot approve its own report
        report.with_user(self.provider_a_consultant).action_submit()
        self._login(self.provider_a_consultant)
        response = self._post(f"/my/reports/{report.id}/approve")
        self.assertIn("Only a report approver", response.text)
        self.assertEqual(report.state, "submitted")

    def test_dashboard_provider(self):
        self._report(days=3)
        self._login(self.provider_a_admin)
        response = self.url_open("/my/dashboard?month=2027-03")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.provider_a_consultant.name, response.text, "days per consultant")
        self.assertIn("o_lbc_kpi_days", response.text)

    # ------------------------------------------------------------------ query counts
    def test_query_counts(self):
        self._report(days=2)
        # LBC's site footer (lbc_portal) reads the legal notices' company data (its partner and country): +2 on
        # the pages that did not read them already; fewer queries without it pass
        # (the tender and mission lists are pinned in lbc_tender)
        cases = [(self.provider_a_consultant, "/my/reports?filterby=all", 16)]
        self._assert_query_counts(cases)

    # ------------------------------------------------------------------ tours
    def test_tour_report_submit_approve(self):
        self.start_tour(
            f"/my/missions/{self.mission.id}/report/2027-03",
            "lbc_erp_provider_cra_tour",
            login="provider_a_consultant",
        )
        report = self.env["lbc.activity.report"].search([("mission_id", "=", self.mission.id)])
        self.assertEqual((report.state, report.days_total), ("submitted", 4.5))
        self._login(self.provider_approver)
        response = self._post(f"/my/reports/{report.id}/approve")
        self.assertEqual(report.state, "approved", self._error(response))
