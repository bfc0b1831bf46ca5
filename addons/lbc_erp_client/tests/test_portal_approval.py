"""The purchasing approvals page (/my/approvals) and the approval threshold: who sees the buttons, who may act,
in the portal as over RPC (the same model methods)."""

from unittest.mock import patch

from odoo.addons.lbc_tender.tests.common import LbcPortalPageMixin, LbcTenderCommon
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestPortalApproval(HttpCase, LbcTenderCommon, LbcPortalPageMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.director = cls._create_member(cls.client_a, "client_a_director", "purchasing_director")
        cls.director.partner_id.with_user(cls.client_a_admin).action_lbc_grant_role("purchase_approver")
        cls.client_a.with_user(cls.client_a_admin).action_lbc_set_approval_threshold(10000)
        # 700 x 20 days = 14,000 excl. tax, above the threshold: waits for the director
        cls.tender = (
            cls.env["lbc.tender"].with_user(cls.client_a_buyer).create(cls._tender_vals(name="Datalake architect"))
        )
        cls.tender.action_publish()

    def _counter(self):
        return self.make_jsonrpc_request("/my/counters", {"counters": ["lbc_approval_count"]})["lbc_approval_count"]

    def test_fixture(self):
        self.assertEqual((self.tender.state, self.tender.purchase_approval_state), ("draft", "to_approve"))

    def test_approver_approves_from_the_page(self):
        self._login(self.director)
        self.assertEqual(self._counter(), 1)
        page = self.url_open("/my/approvals")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Datalake architect", page.text)
        self.assertIn("o_lbc_approval_approve", page.text)
        self.assertIn("Client A Buyer", page.text, "who asked for the approval is shown")
        response = self._post(f"/my/approvals/tenders/{self.tender.id}/approve")
        self.assertEqual(response.status_code, 200)
        self.assertIn("msg=approved", response.url)
        self.assertEqual((self.tender.state, self.tender.purchase_approval_state), ("published", "approved"))
        self.assertEqual(self.tender.purchase_approved_by_id, self.director)
        self.assertEqual(self._counter(), 0)
        # the history: approved, with its approver; nothing waits any more
        history = self.url_open("/my/approvals/tenders?filterby=approved").text
        self.assertIn("Datalake architect", history)
        self.assertNotIn("o_lbc_approval_approve", history)
        self.assertNotIn("Datalake architect", self.url_open("/my/approvals/tenders?filterby=waiting").text)

    def test_refuse_needs_a_reason(self):
        self._login(self.director)
        response = self._post(f"/my/approvals/tenders/{self.tender.id}/refuse", {"reason": "  "})
        self.assertEqual(response.status_code, 400)
        self.assertIn("reason", self._error(response))
        self.assertEqual(self.tender.purchase_approval_state, "to_approve")
        response = self._post(f"/my/approvals/tenders/{self.tender.id}/refuse", {"reason": "Budget not voted"})
        self.assertIn("msg=refused", response.url)
        self.assertEqual((self.tender.state, self.tender.purchase_approval_state), ("draft", "refused"))
        refused = self.url_open("/my/approvals/tenders?filterby=refused").text
        self.assertIn("Budget not voted", refused)
        self.assertNotIn("Budget not voted", self.url_open("/my/approvals/tenders?filterby=approved").text)

    @mute_logger("odoo.http")
    def test_no_role_no_button_and_refused(self):
        """The admin (no approver role) and the buyer (the author) see the tender waiting, no button; the page's
        action and the RPC call are refused; the tender does not move."""
        for user in (self.client_a_admin, self.client_a_buyer):
            self._login(user)
            self.assertEqual(self._counter(), 0)
            page = self.url_open("/my/approvals").text
            self.assertIn("Datalake architect", page)
            self.assertNotIn("o_lbc_approval_approve", page)
            self.assertNotIn("o_lbc_approval_refuse", page)
            response = self._post(f"/my/approvals/tenders/{self.tender.id}/approve")
            self.assertEqual(response.status_code, 400)
            self.assertIn("purchasing approver", self._error(response))
            with self.assertRaises(AccessError):
                self.tender.with_user(user).action_purchase_approve()
            with self.assertRaises(AccessError):
                self.tender.with_user(user).action_purchase_refuse(reason="No")
        self.assertEqual((self.tender.state, self.tender.purchase_approval_state), ("draft", "to_approve"))

    def test_author_with_the_role_never_approves_its_own(self):
        """Separation of duties: the buyer holds the approver role too, the tender it published above the threshold
        shows no button to it, and another approver approves."""
        self.client_a_buyer.partner_id.with_user(self.client_a_admin).action_lbc_grant_role("purchase_approver")
        self._login(self.client_a_buyer)
        self.assertEqual(self._counter(), 0)
        self.assertNotIn("o_lbc_approval_approve", self.url_open("/my/approvals").text)
        with self.assertRaisesRegex(AccessError, "committed"):
            self.tender.with_user(self.client_a_buyer).action_purchase_approve()
        self._login(self.director)
        self.assertIn("o_lbc_approval_approve", self.url_open("/my/approvals").text)

    @mute_logger("odoo.http")
    def test_other_company_sees_nothing(self):
        self._login(self.client_b_admin)
        page = self.url_open("/my/approvals/tenders?filterby=all")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Datalake architect", page.text)
        response = self._post(f"/my/approvals/tenders/{self.tender.id}/approve")
        self.assertTrue(response.url.rstrip("/").endswith("/my"))
        self.assertEqual(self.tender.purchase_approval_state, "to_approve")
        # a provider has no approvals page
        self._login(self.provider_a_admin)
        self.assertEqual(self.url_open("/my/approvals").status_code, 404)
        self.assertEqual(self.url_open("/my/approvals/unknown").status_code, 404)

    def test_list_search_sort_pager(self):
        Tender = self.env["lbc.tender"].with_user(self.client_a_buyer)
        for index in range(5):
            Tender.create(self._tender_vals(name=f"Bulk tender {index:02d}")).action_publish()
        self._login(self.director)
        self.assertEqual(self._counter(), 6)
        with patch.object(CustomerPortal, "_items_per_page", 4):
            first = self.url_open("/my/approvals/tenders?sortby=name").text
            second = self.url_open("/my/approvals/tenders/page/2?sortby=name").text
        self.assertIn("Bulk tender 03", first)
        self.assertNotIn("Datalake architect", first)
        self.assertIn("Datalake architect", second)
        self.assertIn("/my/approvals/tenders/page/2", first)
        self.assertIn("Bulk tender 00", first)
        found = self.url_open("/my/approvals/tenders?search=Datalake&search_in=name").text
        self.assertIn("Datalake architect", found)
        self.assertNotIn("Bulk tender 00", found)

    def test_mission_order_on_its_tab(self):
        """A mission order above the threshold at contracting waits on the mission orders' tab; the approver
        approves it there (then the client's signatory signs it)."""
        self._make_compliant(self.provider_a)
        self._verify_signatory(self.provider_a)
        self.client_a.with_user(self.client_a_admin).action_lbc_set_approval_threshold(0)
        tender = self._published_tender(name="Mission order tender", sealed=False, duration_days=10, max_daily_rate=900)
        bid = self._bid(tender, self.provider_a_admin, rate=650)
        bid.with_user(self.client_a_buyer).action_select()
        bid.with_user(self.operator).action_approve()
        self.client_a.with_user(self.client_a_admin).action_lbc_set_approval_threshold(5000)
        mission = bid.with_user(self.operator).action_contract()  # 6,500 excl. tax
        self.assertEqual(mission.purchase_approval_state, "to_approve")
        self._login(self.director)
        self.assertEqual(self._counter(), 2, "the fixture's tender and the mission order")
        page = self.url_open("/my/approvals/missions").text
        self.assertIn(mission.name, page)
        self.assertIn(f"/my/approvals/missions/{mission.id}/approve", page)
        self.assertNotIn("Datalake architect", page)
        response = self._post(f"/my/approvals/missions/{mission.id}/approve")
        self.assertIn("msg=approved", response.url)
        self.assertEqual(mission.purchase_approval_state, "approved")
        self.assertEqual(mission.purchase_approved_by_id, self.director)
        self.assertEqual(self._counter(), 1)

    # ------------------------------------------------------------------ threshold
    @mute_logger("odoo.http")
    def test_threshold_by_the_admin_only(self):
        self._login(self.client_a_admin)
        self.assertIn("o_lbc_approval_threshold_save", self.url_open("/my/approvals").text)
        response = self._post("/my/approvals/threshold", {"threshold": "-5"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("cannot be negative", self._error(response))
        self.assertEqual(self.client_a.lbc_approval_threshold, 10000)
        response = self._post("/my/approvals/threshold", {"threshold": "25000.50"})
        self.assertIn("msg=threshold", response.url)
        self.assertEqual(self.client_a.lbc_approval_threshold, 25000.50)
        # a member who does not administer the company: no form, refused
        self._login(self.director)
        self.assertNotIn("o_lbc_approval_threshold_save", self.url_open("/my/approvals").text)
        response = self._post("/my/approvals/threshold", {"threshold": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("administrator", self._error(response))
        self.assertEqual(self.client_a.lbc_approval_threshold, 25000.50)

    def test_threshold_over_rpc(self):
        for user in (self.director, self.client_a_buyer, self.client_b_admin):
            with self.assertRaises(AccessError):
                self.client_a.with_user(user).action_lbc_set_approval_threshold(1)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.client_a.with_user(self.client_a_admin).action_lbc_set_approval_threshold(-1)
        with self.assertRaisesRegex(ValidationError, "not an amount"):
            self.client_a.with_user(self.client_a_admin).action_lbc_set_approval_threshold("nan")
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.client_a.with_user(self.client_a_admin).action_lbc_update({"lbc_approval_threshold": -10})
        self.client_a.with_user(self.client_a_admin).action_lbc_set_approval_threshold("0")
        self.assertEqual(self.client_a.lbc_approval_threshold, 0)

    def test_approval_tour(self):
        """In a browser: the purchasing director opens the approvals from the portal home and approves a tender
        above the threshold."""
        self.start_tour("/my", "lbc_erp_client_approval_tour", login="client_a_director")
        self.assertEqual((self.tender.state, self.tender.purchase_approval_state), ("published", "approved"))
        self.assertEqual(self.tender.purchase_approved_by_id, self.director)
