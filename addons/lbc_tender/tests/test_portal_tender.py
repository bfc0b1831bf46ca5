"""The portal pages of lbc_tender: the client's tenders, the providers' search and bids, the missions."""

from unittest.mock import patch

from odoo.addons.lbc_tender.tests.common import PDF, LbcPortalPageMixin, LbcTenderCommon
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestPortalTender(HttpCase, LbcPortalPageMixin, LbcTenderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a tender of client A won by provider A: its bid contracted into a mission
        cls.tender = LbcTenderCommon._published_tender(cls, name="Contracted tender")
        cls.bid = LbcTenderCommon._bid(cls, cls.tender, cls.provider_a_admin, consultant=cls.provider_a_consultant)
        LbcTenderCommon._pass_deadline(cls, cls.tender)
        cls.bid.with_user(cls.client_a_buyer).action_select()
        LbcTenderCommon._make_compliant(cls, cls.provider_a)
        LbcTenderCommon._verify_signatory(cls, cls.provider_a)
        cls.bid.with_user(cls.operator).action_approve()
        cls.mission = cls.bid.with_user(cls.operator).action_contract().sudo()

    # ------------------------------------------------------------------ helpers
    def _draft_tender(self, **vals):
        return self.env["lbc.tender"].with_user(self.client_a_buyer).create(self._tender_vals(**vals)).sudo()

    # ------------------------------------------------------------------ the labour-law acknowledgement
    def test_labour_law_acknowledgement(self):
        self.provider_a.sudo().lbc_labour_law_ack_date = False
        # a member of the company without the admin role is refused, nothing changes
        self._login(self.provider_a_consultant)
        response = self._post("/my/company/acknowledge_labour_law", {"redirect": "/my/tenders/search"})
        self.assertIn("Only an administrator", response.text)
        self.assertFalse(self.provider_a.lbc_labour_law_ack_date)
        self._login(self.provider_a_admin)
        self.assertIn("/my/company/acknowledge_labour_law", self.url_open("/my/company").text, "the gate offers it")
        response = self._post("/my/company/acknowledge_labour_law", {"redirect": "//elsewhere.example/my"})
        self.assertTrue(response.url.endswith("/my/company"), "only a page of the portal is a redirect target")
        self.assertTrue(self.provider_a.lbc_labour_law_ack_date)
        self.assertEqual(self.provider_a.lbc_labour_law_ack_user_id, self.provider_a_admin)

    # ------------------------------------------------------------------ pages and isolation
    def test_client_pages(self):
        self._login(self.client_a_buyer)
        pages = {
            "/my/tenders": self.tender.name,
            f"/my/tenders/{self.tender.id}": self.bid.provider_id.name,
            "/my/tenders/new": "Save and Publish",
            "/my/missions": self.mission.name,
            f"/my/missions/{self.mission.id}": f"/my/orders/{self.mission.sale_order_id.id}",
            f"/my/bids/{self.bid.id}": self.bid.consultant_id.name,
        }
        self._assert_pages(pages)

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
        }
        self._assert_pages(pages)
        # the client's own pages are not the provider's
        self.assertNotIn(self.tender.name, self.url_open("/my/tenders").text)

    def test_other_company_sees_nothing(self):
        draft = self._draft_tender(name="Confidential draft of A")
        self._login(self.client_b_admin)
        self._assert_redirected_away(f"/my/tenders/{draft.id}", "Confidential draft of A")
        self._assert_redirected_away(f"/my/tenders/{draft.id}/edit", "Confidential draft of A")
        self._assert_redirected_away(f"/my/missions/{self.mission.id}", self.mission.name)
        self._assert_redirected_away(f"/my/bids/{self.bid.id}", self.bid.consultant_id.name)
        for url in ("/my/tenders", "/my/missions"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertNotIn(self.mission.name, response.text, url)
            self.assertNotIn("Confidential draft of A", response.text, url)
        # a provider of another company: no bid or mission of provider A
        self._login(self.provider_b_admin)
        self._assert_redirected_away(f"/my/bids/{self.bid.id}", self.bid.consultant_id.name)
        self._assert_redirected_away(f"/my/missions/{self.mission.id}", self.mission.name)
        self._assert_redirected_away(f"/my/tenders/{draft.id}", "Confidential draft of A")
        self.assertNotIn("Confidential draft of A", self.url_open("/my/tenders/search").text)
        # and actions are refused the same way
        with mute_logger("odoo.http"):
            self._post(f"/my/tenders/{draft.id}/publish")
            self._post(f"/my/bids/{self.bid.id}/withdraw")
        self.assertEqual(draft.state, "draft")
        self.assertEqual(self.bid.state, "contracted")

    def test_counters(self):
        counters = ["lbc_tender_count", "lbc_tender_search_count", "lbc_bid_count", "lbc_mission_count"]
        self._login(self.provider_a_admin)
        values = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        self.assertEqual(values["lbc_mission_count"], 1)
        self.assertEqual(values["lbc_bid_count"], 1)
        self.assertEqual(values["lbc_tender_count"], 0)
        self._login(self.client_a_buyer)
        values = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        self.assertEqual(values["lbc_tender_count"], 1)
        self.assertEqual(values["lbc_bid_count"], 0, "bids are the providers' business")
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
            self._tender_form(date_start="2029-12-01"),
        )
        self.assertIn("cannot start before the bid deadline", response.text)
        self.assertFalse(self.env["lbc.tender"].search([("name", "=", "Data architect")]))

    def test_tender_create_edit_publish_cancel(self):
        self._login(self.client_a_buyer)
        data = self._tender_form(skill_ids=str(self.python.id))
        response = self._post("/my/tenders/new", data)
        tender = self.env["lbc.tender"].search([("name", "=", "Data architect")])
        self.assertEqual(tender.state, "draft")
        self.assertTrue(response.url.endswith(f"/my/tenders/{tender.id}?msg=created"))
        self.assertEqual(tender.client_id, self.client_a)
        self.assertEqual(tender.skill_ids, self.python)
        self.assertEqual(tender.remote_policy, "remote")
        response = self._post(f"/my/tenders/{tender.id}/edit", {**data, "name": "Data architect (lake)"})
        self.assertTrue(response.url.endswith(f"/my/tenders/{tender.id}?msg=saved"))
        self.assertIn("Your changes were saved.", response.text)
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
        with patch("odoo.addons.lbc_tender.controllers.portal_bid.CV_MAX_SIZE", 100):
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
        self.assertIn("Your bid is submitted.", response.text)
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

    # ------------------------------------------------------------------ query counts
    def test_query_counts(self):
        # LBC's site footer (lbc_portal) reads the legal notices' company data: the counts are pinned with it,
        # fewer queries without it pass
        cases = [
            (self.client_a_buyer, "/my/tenders", 15),
            (self.client_a_buyer, "/my/missions", 17),
            (self.provider_a_admin, "/my/bids", 19),
            (self.provider_a_admin, "/my/tenders/search", 20),
        ]
        self._assert_query_counts(cases)

    # ------------------------------------------------------------------ tours
    def test_tour_tender_bid_select(self):
        self.start_tour("/my/tenders", "lbc_tender_portal_tour", login="client_a_buyer")
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
        self.start_tour(f"/my/tenders/{tender.id}", "lbc_tender_portal_select_tour", login="client_a_buyer")
        self.assertEqual(bid.state, "selected")
        self.assertEqual(tender.state, "closed")
