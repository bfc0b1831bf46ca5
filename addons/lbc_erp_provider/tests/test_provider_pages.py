"""The provider's company pages: assignments, self-billing mandate, clients; the journey of a new consultant."""

from odoo.addons.lbc_erp_provider.tests.common import LbcErpCommon
from odoo.addons.lbc_tender.tests.common import LbcPortalPageMixin
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestProviderPages(HttpCase, LbcPortalPageMixin, LbcErpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the common fixtures archive the shipped agreements: the mandate's text of these tests
        cls.env["lbc.agreement"].create(
            {"name": "Test Mandate", "kind": "self_billing_mandate", "version": 501, "body": "<p>Mandate text</p>"}
        )

    def test_assignments_page_admin(self):
        self._login(self.provider_a_admin)
        response = self.url_open("/my/assignments")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_lbc_assign_submit", response.text)
        self.assertIn(self.provider_a_consultant.name, response.text)
        response = self._post(
            "/my/assignments/new",
            {"mission_id": str(self.mission.id), "consultant_id": str(self.provider_b_admin.partner_id.id)},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("is not a member", self._error(response))
        response = self._post(
            "/my/assignments/new",
            {"mission_id": str(self.mission.id), "consultant_id": str(self.other_consultant.partner_id.id)},
        )
        self.assertIn("The consultant is assigned", response.text)
        assignment = self.mission.assignment_ids.filtered(lambda a: a.consultant_id == self.other_consultant.partner_id)
        self.assertEqual(assignment.state, "running")
        response = self.url_open("/my/assignments?filterby=running&search_in=consultant&search=Other&sortby=end")
        self.assertIn(self.other_consultant.name, response.text)
        self.assertNotIn(f'data-consultant="{self.provider_a_consultant.name}"', response.text)
        response = self._post(f"/my/assignments/{assignment.id}/end", {"reason": "Back at the office"})
        self.assertIn("The assignment is ended", response.text)
        self.assertEqual((assignment.state, assignment.end_reason), ("ended", "Back at the office"))
        response = self.url_open("/my/assignments?filterby=ended")
        self.assertIn("Back at the office", response.text)

    def test_assignments_without_the_role_and_other_company(self):
        first = self.mission.assignment_ids
        self._login(self.provider_a_consultant)
        response = self.url_open("/my/assignments?filterby=all")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.mission.name, response.text, "the consultant sees its own assignment")
        self.assertNotIn("o_lbc_assign_submit", response.text)
        self.assertNotIn("o_lbc_assignment_end", response.text)
        response = self._post(
            "/my/assignments/new",
            {"mission_id": str(self.mission.id), "consultant_id": str(self.other_consultant.partner_id.id)},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Only an administrator", self._error(response))
        response = self._post(f"/my/assignments/{first.id}/end")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(first.state, "running")
        self._login(self.provider_b_admin)
        response = self.url_open("/my/assignments?filterby=all")
        self.assertNotIn(self.mission.name, response.text)
        with mute_logger("odoo.http"):
            response = self._post(f"/my/assignments/{first.id}/end")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(first.state, "running")

    def test_self_billing_page(self):
        self._login(self.provider_a_consultant)
        response = self.url_open("/my/self-billing")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_lbc_mandate_text", response.text, "every member reads the mandate")
        self.assertNotIn("o_lbc_mandate_sign_submit", response.text)
        response = self._post("/my/self-billing/sign", {"accept": "1"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.provider_a.lbc_self_billing_mandate)
        self._login(self.provider_a_admin)
        response = self.url_open("/my/self-billing")
        self.assertIn("o_lbc_mandate_sign_submit", response.text)
        response = self._post("/my/self-billing/sign")
        self.assertEqual(response.status_code, 400, "the text is accepted explicitly")
        response = self._post("/my/self-billing/sign", {"accept": "1"})
        self.assertIn("The self-billing mandate is signed", response.text)
        self.assertIn(self.provider_a.lbc_self_billing_mandate_ref, response.text)
        self.assertIn("o_lbc_mandate_revoke_submit", response.text)
        self._login(self.provider_b_admin)
        self._post("/my/self-billing/revoke")
        self.assertTrue(self.provider_a.lbc_self_billing_mandate, "another company revokes nothing")
        self._login(self.provider_a_admin)
        response = self._post("/my/self-billing/revoke", {"reason": "Own invoicing"})
        self.assertIn("The self-billing mandate is revoked", response.text)
        self.assertIn("Own invoicing", response.text)
        self.assertFalse(self.provider_a.lbc_self_billing_mandate)

    def test_clients_page(self):
        self._login(self.provider_a_consultant)
        response = self.url_open("/my/clients")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_lbc_client", response.text, "grouped by client")
        self.assertIn(self.client_a.name, response.text)
        self.assertIn(self.mission.name, response.text)
        response = self.url_open("/my/clients?groupby=none&filterby=active&search_in=client&search=Client A&sortby=end")
        self.assertIn(self.mission.name, response.text)
        response = self.url_open("/my/clients?filterby=done")
        self.assertNotIn(self.mission.name, response.text)
        self._login(self.provider_b_admin)
        response = self.url_open("/my/clients?filterby=all")
        self.assertNotIn(self.mission.name, response.text)

    def test_query_counts(self):
        """The lists read a fixed number of queries, whatever the number of assignments and missions."""
        Assignment = self.env["lbc.mission.assignment"].with_user(self.provider_a_admin)
        for index in range(4):
            member = self._create_member(self.provider_a, f"provider_a_extra_{index}", "consultant")
            Assignment.action_lbc_assign(self.mission.id, member.partner_id.id)
        self._assert_query_counts(
            [
                (self.provider_a_admin, "/my/assignments", 34),
                (self.provider_a_admin, "/my/clients", 26),
                (self.provider_a_admin, "/my/self-billing", 19),
            ]
        )

    def test_counters(self):
        self._login(self.provider_a_admin)
        counters = ["lbc_assignment_count", "lbc_self_billing_count", "lbc_client_count", "lbc_member_count"]
        values = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        self.assertEqual(values["lbc_assignment_count"], 1)
        self.assertEqual(values["lbc_self_billing_count"], 1)
        self.assertEqual(values["lbc_client_count"], 1)
        self.assertEqual(values["lbc_member_count"], 4)
        self._login(self.client_a_admin)
        values = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        self.assertEqual((values["lbc_assignment_count"], values["lbc_self_billing_count"]), (0, 0))
