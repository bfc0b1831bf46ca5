import re
from datetime import timedelta
from unittest.mock import patch

from odoo import fields, http
from odoo.addons.lbc_erp_client.tests.common import START, LbcErpCommon
from odoo.addons.lbc_tender.tests.common import PDF
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestPortalMarketplace(HttpCase, LbcErpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tender = cls.mission.tender_id
        cls.bid = cls.mission.bid_id

    # ------------------------------------------------------------------ helpers
    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _post(self, url, data=None, files=None):
        return self.url_open(url, data={"csrf_token": http.Request.csrf_token(self), **(data or {})}, files=files)

    @staticmethod
    def _error(response):
        found = re.search(r'o_lbc_error"[^>]*>([^<]*)<', response.text)
        return found and found.group(1)

    def _assert_redirected_away(self, url, secret):
        with mute_logger("odoo.http"):
            response = self.url_open(url)
        self.assertNotIn(response.status_code, (500,), url)
        self.assertTrue(
            response.status_code in (403, 404) or response.url.rstrip("/").endswith("/my"),
            f"{url} must not open for another company ({response.status_code} {response.url})",
        )
        self.assertNotIn(secret, response.text, f"{url} leaks {secret}")

    def _draft_tender(self, **vals):
        return self.env["lbc.tender"].with_user(self.client_a_buyer).create(self._tender_vals(**vals)).sudo()

    # ------------------------------------------------------------------ pages and isolation
    def test_client_pages(self):
        self._login(self.client_a_buyer)
        report = self._report(days=2)
        report.with_user(self.provider_a_consultant).action_submit()
        report.with_user(self.provider_approver).action_approve()
        pages = {
            "/my/tenders": self.tender.name,
            f"/my/tenders/{self.tender.id}": self.bid.provider_id.name,
            "/my/tenders/new": "Save and Publish",
            "/my/missions": self.mission.name,
            f"/my/missions/{self.mission.id}": f"/my/orders/{self.mission.sale_order_id.id}",
            "/my/reports": self.mission.name,
            f"/my/reports/{report.id}": "o_lbc_cra_validate",
            f"/my/bids/{self.bid.id}": self.bid.consultant_id.name,
            "/my/referencing": "Referencing Lists",
            "/my/suppliers": "Provider A",
            "/my/dashboard": "o_lbc_marketplace_chart",
        }
        for url, expected in pages.items():
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(expected, response.text, url)

    def test_provider_pages(self):
        self._login(self.provider_a_admin)
        tender = self._published_tender(name="Open data engineer")
        pages = {
            "/my/tenders/search": "Open data engineer",
            f"/my/tenders/{tender.id}": "o_lbc_bid_new",
            f"/my/tenders/{tender.id}/bid": "labour_law_ack",
            "/my/bids": self.tender.name,
            f"/my/bids/{self.bid.id}": self.bid.consultant_id.name,
            "/my/missions": self.mission.name,
            f"/my/missions/{self.mission.id}": self.mission.consultant_id.name,
            "/my/dashboard": "o_lbc_marketplace_chart",
        }
        for url, expected in pages.items():
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(expected, response.text, url)
        # the client's own pages are not the provider's
        self.assertNotIn(self.tender.name, self.url_open("/my/tenders").text)

    def test_other_company_sees_nothing(self):
        report = self._report(days=2)
        ref_list = self.env["lbc.referencing.list"].with_user(self.client_a_admin).create({"name": "Secret list A"})
        draft = self._draft_tender(name="Confidential draft of A")
        self._login(self.client_b_admin)
        self._assert_redirected_away(f"/my/tenders/{draft.id}", "Confidential draft of A")
        self._assert_redirected_away(f"/my/tenders/{draft.id}/edit", "Confidential draft of A")
        self._assert_redirected_away(f"/my/missions/{self.mission.id}", self.mission.name)
        self._assert_redirected_away(f"/my/reports/{report.id}", self.mission.name)
        self._assert_redirected_away(f"/my/bids/{self.bid.id}", self.bid.consultant_id.name)
        self._assert_redirected_away(f"/my/referencing/{ref_list.id}", "Secret list A")
        for url in ("/my/tenders", "/my/missions", "/my/reports?filterby=all", "/my/suppliers", "/my/dashboard"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertNotIn(self.mission.name, response.text, url)
            self.assertNotIn("Confidential draft of A", response.text, url)
        # a provider of another company: no bid, mission or report of provider A
        self._login(self.provider_b_admin)
        self._assert_redirected_away(f"/my/bids/{self.bid.id}", self.bid.consultant_id.name)
        self._assert_redirected_away(f"/my/missions/{self.mission.id}", self.mission.name)
        self._assert_redirected_away(f"/my/reports/{report.id}", self.mission.name)
        self._assert_redirected_away(f"/my/tenders/{draft.id}", "Confidential draft of A")
        self.assertNotIn("Confidential draft of A", self.url_open("/my/tenders/search").text)
        # and actions are refused the same way
        with mute_logger("odoo.http"):
            self._post(f"/my/tenders/{draft.id}/publish")
            self._post(f"/my/bids/{self.bid.id}/withdraw")
        self.assertEqual(draft.state, "draft")
        self.assertEqual(self.bid.state, "contracted")

    def test_counters(self):
        report = self._report(days=1)
        report.with_user(self.provider_a_consultant).action_submit()
        counters = ["lbc_tender_count", "lbc_bid_count", "lbc_mission_count", "lbc_report_count"]
        self._login(self.provider_approver)
        values = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        self.assertEqual(values["lbc_mission_count"], 1)
        self.assertEqual(values["lbc_report_count"], 1, "the approver has one report to approve")
        self.assertEqual(values["lbc_bid_count"], 1)
        self.assertEqual(values["lbc_tender_count"], 0)
        self._login(self.client_a_buyer)
        values = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        self.assertEqual(values["lbc_tender_count"], 1)
        self.assertEqual(values["lbc_report_count"], 0, "submitted reports are the provider's business")
        self._login(self.client_b_admin)
        values = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        self.assertEqual(set(values.values()), {0})

    # ------------------------------------------------------------------ tender forms
    def test_tender_form_errors_keep_input(self):
        self._login(self.client_a_buyer)
        response = self._post(
            "/my/tenders/new",
            {
                "name": "Data architect",
                "description": "",
                "date_start": "2030-01-10",
                "duration_days": "abc",
                "deadline": "2030-01-01T12:00",
                "remote_policy": "remote",
                "audience": "all",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Describe the mission.", response.text)
        self.assertIn("Give the duration in days", response.text)
        self.assertIn('value="Data architect"', response.text)
        self.assertFalse(self.env["lbc.tender"].search([("name", "=", "Data architect")]))
        # the model's own checks come back as messages too (start before the deadline)
        response = self._post(
            "/my/tenders/new",
            {
                "name": "Data architect",
                "description": "Design the lake",
                "date_start": "2029-12-01",
                "duration_days": "10",
                "deadline": "2030-01-01T12:00",
                "max_daily_rate": "800",
                "show_max_rate": "1",
                "remote_policy": "remote",
                "audience": "all",
            },
        )
        self.assertIn("cannot start before the bid deadline", response.text)
        self.assertFalse(self.env["lbc.tender"].search([("name", "=", "Data architect")]))

    def test_tender_create_edit_publish_cancel(self):
        self._login(self.client_a_buyer)
        data = {
            "name": "Data architect",
            "description": "Design the lake",
            "skill_ids": str(self.python.id),
            "date_start": "2030-02-01",
            "duration_days": "10",
            "deadline": "2030-01-01T12:00",
            "max_daily_rate": "800",
            "show_max_rate": "1",
            "remote_policy": "remote",
            "audience": "all",
        }
        response = self._post("/my/tenders/new", data)
        tender = self.env["lbc.tender"].search([("name", "=", "Data architect")])
        self.assertEqual(tender.state, "draft")
        self.assertTrue(response.url.endswith(f"/my/tenders/{tender.id}?msg=created"))
        self.assertEqual(tender.client_id, self.client_a)
        self.assertEqual(tender.skill_ids, self.python)
        self.assertEqual(tender.remote_policy, "remote")
        self._post(f"/my/tenders/{tender.id}/edit", {**data, "name": "Data architect (lake)", "publish": "1"})
        self.assertEqual(tender.name, "Data architect (lake)")
        self.assertEqual(tender.state, "published")
        # cancelling needs the publisher role: the admin of client A has it, client B nothing
        response = self._post(f"/my/tenders/{tender.id}/cancel", {"reason": "Budget cut"})
        self.assertEqual(tender.state, "cancelled")
        self.assertEqual(tender.cancel_reason, "Budget cut")

    def test_publish_refused_with_message(self):
        tender = self._draft_tender(name="Tender without rights")
        self.env["lbc.company.role"].search(
            [("member_id", "=", self.client_a_buyer.partner_id.id), ("role", "=", "tender_publisher")]
        ).unlink()
        self._login(self.client_a_buyer)
        response = self._post(f"/my/tenders/{tender.id}/publish")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Only a tender publisher", response.text)
        self.assertEqual(tender.state, "draft")

    # ------------------------------------------------------------------ bids
    def test_bid_form(self):
        tender = self._published_tender(name="Bid form tender", sealed=False)
        self._login(self.provider_b_admin)
        data = {
            "consultant_id": str(self.provider_b_admin.partner_id.id),
            "daily_rate": "640",
            "available_from": tender.date_start.isoformat(),
            "message": "Ready",
            "labour_law_ack": "1",
        }
        response = self._post(
            f"/my/tenders/{tender.id}/bid", data, files={"cv_files": ("cv.txt", b"just text", "text/plain")}
        )
        self.assertIn("is not a PDF, PNG or JPEG", response.text)
        self.assertIn('value="640"', response.text)
        response = self._post(f"/my/tenders/{tender.id}/bid", {**data, "labour_law_ack": ""})
        self.assertIn("Tick the labour-law acknowledgement", response.text)
        response = self._post(
            f"/my/tenders/{tender.id}/bid", {**data, "consultant_id": str(self.provider_a_consultant.partner_id.id)}
        )
        self.assertIn("among your company", response.text)
        self.assertFalse(self.env["lbc.tender.bid"].search([("tender_id", "=", tender.id)]))
        with patch("odoo.addons.lbc_portal.controllers.portal_marketplace.CV_MAX_SIZE", 100):
            response = self._post(
                f"/my/tenders/{tender.id}/bid",
                data,
                files={"cv_files": ("big.pdf", PDF + b" " * 200, "application/pdf")},
            )
        self.assertIn("is larger than", response.text)
        response = self._post(
            f"/my/tenders/{tender.id}/bid", data, files={"cv_files": ("cv.pdf", PDF, "application/pdf")}
        )
        bid = self.env["lbc.tender.bid"].search([("tender_id", "=", tender.id)])
        self.assertEqual(bid.state, "submitted", self._error(response))
        self.assertEqual(bid.daily_rate, 640)
        self.assertEqual(bid.attachment_ids.mapped("name"), ["cv.pdf"])
        self.assertEqual((bid.attachment_ids.res_model, bid.attachment_ids.res_id), ("lbc.tender.bid", bid.id))
        self.assertIn("cv.pdf", response.text)
        # a second bid while the first is live: refused with the model's message
        response = self._post(f"/my/tenders/{tender.id}/bid", data)
        self.assertIn("already has a live bid", response.text)
        # the client compares (open bids) and rejects with a reason; the provider withdraws another
        self._login(self.client_a_buyer)
        response = self.url_open(f"/my/tenders/{tender.id}")
        self.assertIn("o_lbc_bid_select", response.text)
        response = self._post(f"/my/bids/{bid.id}/reject", {"reason": ""})
        self.assertIn("Please give a reason", response.text)
        self.assertEqual(bid.state, "submitted")
        self._login(self.provider_b_admin)
        self._post(f"/my/bids/{bid.id}/withdraw")
        self.assertEqual(bid.state, "withdrawn")

    def test_sealed_bids_and_weights(self):
        tender = self._published_tender(name="Sealed tender")
        bid = self._bid(tender, self.provider_b_admin, rate=600)
        self._login(self.client_a_buyer)
        response = self.url_open(f"/my/tenders/{tender.id}")
        self.assertIn("The bids are sealed", response.text)
        self.assertNotIn("o_lbc_bid_row", response.text)
        self._pass_deadline(tender)
        response = self.url_open(f"/my/tenders/{tender.id}")
        self.assertIn(f'data-bid-id="{bid.id}"', response.text)
        score = bid.score
        self._post(
            f"/my/tenders/{tender.id}/weights", {"weight_rate": "0", "weight_availability": "0", "weight_skills": "1"}
        )
        self.assertEqual((tender.weight_rate, tender.weight_skills), (0, 1))
        self.assertNotEqual(bid.score, score)
        response = self._post(
            f"/my/tenders/{tender.id}/weights", {"weight_rate": "0", "weight_availability": "0", "weight_skills": "0"}
        )
        self.assertIn("At least one comparison weight must be positive", response.text)
        self._post(f"/my/bids/{bid.id}/select")
        self.assertEqual(bid.state, "selected")

    # ------------------------------------------------------------------ referencing lists
    def test_referencing_lists(self):
        self._login(self.client_a_admin)
        response = self._post("/my/referencing/new", {"name": "Preferred"})
        ref_list = self.env["lbc.referencing.list"].search([("name", "=", "Preferred")])
        self.assertEqual(ref_list.client_id, self.client_a)
        response = self._post(f"/my/referencing/{ref_list.id}/add", {"provider_name": "provider b"})
        self.assertEqual(ref_list.provider_ids, self.provider_b, self._error(response))
        self.assertIn("Provider B", response.text)
        response = self._post(f"/my/referencing/{ref_list.id}/add", {"provider_name": "Provider%"})
        self.assertIn("No validated provider is named exactly", response.text)
        self.assertIn('value="Provider%"', response.text)
        response = self._post(f"/my/referencing/{ref_list.id}/add", {"provider_name": "Client B"})
        self.assertIn("No validated provider is named exactly", response.text)
        response = self._post("/my/referencing/new", {"name": "Preferred"})
        self.assertIn("already has a list with this name", response.text)
        self.assertIn("Provider B", self.url_open("/my/suppliers").text)
        self._post(f"/my/referencing/{ref_list.id}/remove", {"provider_id": str(self.provider_b.id)})
        self.assertFalse(ref_list.provider_ids)
        # a member without the admin or publisher role cannot change the lists
        self._login(self.provider_a_admin)
        self._assert_redirected_away(f"/my/referencing/{ref_list.id}", "Preferred")

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
        self._post(
            f"/my/reports/{report.id}/save",
            {"qty_2027-03-01": "1", "qty_2027-03-06": "0.5", "off_2027-03-06": "1", "comment_2027-03-01": "Kick-off"},
        )
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

    def test_dashboard_numbers(self):
        report = self._report(days=3)
        report.with_user(self.provider_a_consultant).action_submit()
        report.with_user(self.provider_approver).action_approve()
        report.with_user(self.client_a_buyer).action_validate()
        self._login(self.client_a_buyer)
        response = self.url_open("/my/dashboard?month=2027-03")
        self.assertIn("1950.0", response.text, "spend of March with provider A")
        self.assertIn("Provider A", response.text)
        self._login(self.provider_a_admin)
        response = self.url_open("/my/dashboard?month=2027-03")
        self.assertIn("1950.0", response.text, "revenue of March")
        self.assertIn(self.provider_a_consultant.name, response.text, "days per consultant")

    # ------------------------------------------------------------------ query counts
    def test_query_counts(self):
        self._report(days=2)
        # LBC's site footer reads the legal notices' company data (its partner and country): +2 on the pages
        # that did not read them already
        cases = [
            (self.client_a_buyer, "/my/tenders", 15),
            (self.client_a_buyer, "/my/missions", 17),
            (self.provider_a_admin, "/my/bids", 19),
            (self.provider_a_admin, "/my/tenders/search", 20),
            (self.provider_a_consultant, "/my/reports?filterby=all", 16),
        ]
        for user, url, expected in cases:
            self._login(user)
            self.url_open(url)
            self.url_open(url)
            with self.assertQueryCount(expected):
                self.assertEqual(self.url_open(url).status_code, 200)

    # ------------------------------------------------------------------ tours
    def test_tour_tender_bid_select(self):
        self.start_tour("/my/tenders", "lbc_portal_marketplace_tour", login="client_a_buyer")
        tender = self.env["lbc.tender"].search([("name", "=", "Portal tour: Odoo developer")])
        self.assertEqual(tender.state, "published")
        self.assertEqual(tender.client_id, self.client_a)
        self.assertIn(self.python, tender.skill_ids)
        self.assertFalse(tender.sealed)
        # the provider finds it and bids over HTTP
        self._login(self.provider_b_admin)
        response = self.url_open("/my/tenders/search?search=Portal+tour&location=Lyon")
        self.assertIn(tender.access_url, response.text)
        response = self.url_open("/my/tenders/search?search=Portal+tour&min_rate=900")
        self.assertNotIn(tender.access_url, response.text, "above the tender's maximum rate")
        self._post(
            f"/my/tenders/{tender.id}/bid",
            {
                "consultant_id": str(self.provider_b_admin.partner_id.id),
                "daily_rate": "690",
                "available_from": tender.date_start.isoformat(),
                "labour_law_ack": "1",
            },
            files={"cv_files": ("cv.pdf", PDF, "application/pdf")},
        )
        bid = tender.sudo().bid_ids
        self.assertEqual(bid.state, "submitted")
        self.start_tour(f"/my/tenders/{tender.id}", "lbc_portal_marketplace_select_tour", login="client_a_buyer")
        self.assertEqual(bid.state, "selected")
        self.assertEqual(tender.state, "closed")

    def test_tour_report_to_invoice(self):
        self.start_tour(
            f"/my/missions/{self.mission.id}/report/2027-03",
            "lbc_portal_marketplace_cra_tour",
            login="provider_a_consultant",
        )
        report = self.env["lbc.activity.report"].search([("mission_id", "=", self.mission.id)])
        self.assertEqual((report.state, report.days_total), ("submitted", 4.5))
        self._login(self.provider_approver)
        self._post(f"/my/reports/{report.id}/approve")
        self.assertEqual(report.state, "approved")
        self._login(self.client_a_buyer)
        response = self._post(f"/my/reports/{report.id}/validate")
        self.assertEqual(report.state, "invoiced")
        client_invoice = report.invoice_ids.filtered(lambda m: m.lbc_invoice_kind == "client_invoice")
        fee_invoice = report.invoice_ids.filtered(lambda m: m.lbc_invoice_kind == "fee")
        self.assertIn(f"/my/invoices/{client_invoice.id}", response.text)
        self.assertIn(client_invoice.name, self.url_open("/my/invoices").text)
        self._login(self.provider_a_admin)
        invoices_page = self.url_open("/my/invoices").text
        self.assertIn(fee_invoice.name, invoices_page)
        self.assertNotIn(client_invoice.name, invoices_page)
        self.assertEqual(fields.Date.to_date(report.period), START)
