"""The company's members (a provider's collaborators, a client's colleagues): invitation, removal, the page."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import LbcBaseCommon, LbcPortalPageMixin


@tagged("post_install", "-at_install")
class TestMembers(LbcBaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._validate(cls.client_a, cls.provider_a)

    def _mails_to(self, email):
        return self.env["mail.mail"].sudo().search([("email_to", "ilike", email)])

    def test_admin_invites_with_roles(self):
        admin_view = self.client_a.with_user(self.client_a_admin)
        partner_id = admin_view.action_lbc_invite_member(
            "Clara Colleague", "Clara.Colleague@client-a.example", ["tender_publisher", "cra_approver"], "buyer"
        )
        member = self.env["res.partner"].browse(partner_id)
        self.assertEqual(member.parent_id, self.client_a)
        self.assertEqual(member.lbc_profile_type, "buyer")
        self.assertEqual(member.user_ids.login, "clara.colleague@client-a.example")
        self.assertTrue(member.user_ids._is_portal())
        self.assertEqual(
            set(member.lbc_member_role_ids.filtered("active").mapped("role")), {"tender_publisher", "cra_approver"}
        )
        self.assertTrue(member.user_ids._lbc_has_role("cra_approver", self.client_a))
        mail = self._mails_to("clara.colleague@client-a.example")
        self.assertEqual(len(mail), 1, "one invitation e-mail")
        self.assertIn("Client A", mail.subject)
        self.assertIn("/web/signup?", mail.body_html, "the invitation carries the signup link")
        self.assertIn("token=", mail.body_html)
        self.assertEqual(member.sudo().signup_type, "signup")
        self.assertIn("invited Clara Colleague", self.client_a.message_ids[0].body)

    def test_invitation_refusals(self):
        admin_view = self.client_a.with_user(self.client_a_admin)
        with self.assertRaisesRegex(UserError, "personal e-mail provider"):
            admin_view.action_lbc_invite_member("Free", "someone@gmail.com")
        admin_view.action_lbc_invite_member("Once", "once@client-a.example")
        with self.assertRaisesRegex(UserError, "already has an account"):
            admin_view.action_lbc_invite_member("Twice", "Once@Client-A.example")
        with self.assertRaisesRegex(UserError, "Unknown role"):
            admin_view.action_lbc_invite_member("Bad", "bad.role@client-a.example", ["owner"])
        with self.assertRaisesRegex(UserError, "profile type"):
            admin_view.action_lbc_invite_member("Bad", "bad.type@client-a.example", [], "consultant")
        # a member without the admin role, and another company's admin: refused over RPC
        with self.assertRaises(AccessError):
            self.client_a.with_user(self.client_a_buyer).action_lbc_invite_member("X", "x@client-a.example")
        with self.assertRaises(AccessError):
            self.client_a.with_user(self.client_b_admin).action_lbc_invite_member("X", "x@client-a.example")
        self.assertEqual(
            self.env["res.users"]
            .with_context(active_test=False)
            .search([("login", "like", "@client-a.example")])
            .login,
            "once@client-a.example",
        )

    def test_resend_invitation(self):
        partner_id = self.client_a.with_user(self.client_a_admin).action_lbc_invite_member(
            "Rita", "rita@client-a.example"
        )
        member = self.env["res.partner"].browse(partner_id)
        self.env["mail.mail"].sudo().search([("email_to", "ilike", "rita@client-a.example")]).unlink()
        with self.assertRaises(AccessError):
            member.with_user(self.client_a_buyer).action_lbc_resend_invitation()
        with self.assertRaises(AccessError):
            member.with_user(self.client_b_admin).action_lbc_resend_invitation()
        # at most one invitation every few minutes: nobody's mailbox is flooded through LBC
        self.assertTrue(member.lbc_invitation_sent_date)
        with self.assertRaisesRegex(UserError, "less than 5 minutes ago"):
            member.with_user(self.client_a_admin).action_lbc_resend_invitation()
        self.assertFalse(self._mails_to("rita@client-a.example"))
        with self.assertRaises(AccessError):
            member.with_user(self.client_a_admin).write({"lbc_invitation_sent_date": False})
        member._lbc_workflow_write({"lbc_invitation_sent_date": fields.Datetime.now() - timedelta(minutes=6)})
        member.with_user(self.client_a_admin).action_lbc_resend_invitation()
        self.assertEqual(len(self._mails_to("rita@client-a.example")), 1, "a new invitation")
        with self.assertRaisesRegex(UserError, "less than 5 minutes ago"):
            member.with_user(self.client_a_admin).action_lbc_resend_invitation()
        # somebody outside any company is nobody's to invite again
        loner = self._create_member(self.env["res.partner"], "loner_resend", False)
        with self.assertRaisesRegex(UserError, "no member company"):
            loner.partner_id.with_user(self.client_a_admin).action_lbc_resend_invitation()
        self.env["res.users.log"].with_user(self.client_a_buyer).sudo().create({})
        self.client_a_buyer.invalidate_recordset(["login_date"])
        with self.assertRaisesRegex(UserError, "already signed in"):
            self.client_a_buyer.partner_id.with_user(self.client_a_admin).action_lbc_resend_invitation()

    def test_no_invitation_before_the_validation(self):
        """A company LBC has not validated (yet) invites nobody, nor sends an invitation again."""
        admin_view = self.client_b.with_user(self.client_b_admin)
        with self.assertRaisesRegex(UserError, "once LBC has validated the company"):
            admin_view.action_lbc_invite_member("Early", "early@client-b.example")
        self.client_b.action_lbc_submit()
        with self.assertRaisesRegex(UserError, "once LBC has validated the company"):
            admin_view.action_lbc_invite_member("Early", "early@client-b.example")
        self.assertFalse(self.env["res.users"].with_context(active_test=False).search([("login", "like", "client-b")]))
        self.client_b.action_lbc_validate()
        partner_id = admin_view.action_lbc_invite_member("Early", "early@client-b.example")
        member = self.env["res.partner"].browse(partner_id)
        member._lbc_workflow_write({"lbc_invitation_sent_date": fields.Datetime.now() - timedelta(minutes=6)})
        self.client_b.action_lbc_suspend("Unpaid")
        with self.assertRaisesRegex(UserError, "rejected or suspended"):
            member.with_user(self.client_b_admin).action_lbc_resend_invitation()

    def test_provider_default_profile_is_consultant(self):
        partner_id = self.provider_a.with_user(self.provider_a_admin).action_lbc_invite_member(
            "Carl Consultant", "carl@provider-a.example"
        )
        self.assertEqual(self.env["res.partner"].browse(partner_id).lbc_profile_type, "consultant")

    def test_admin_removes_a_member(self):
        buyer = self.client_a_buyer.partner_id
        buyer.with_user(self.client_a_admin).action_lbc_grant_role("tender_publisher")
        with self.assertRaises(AccessError):
            buyer.with_user(self.client_b_admin).action_lbc_remove_member()
        other = self._create_member(self.client_a, "client_a_other", "buyer")
        with self.assertRaises(AccessError):
            buyer.with_user(other).action_lbc_remove_member()
        with self.assertRaisesRegex(UserError, "Leave the company"):
            self.client_a_admin.partner_id.with_user(self.client_a_admin).action_lbc_remove_member()
        buyer.with_user(self.client_a_admin).action_lbc_remove_member()
        self.assertFalse(buyer.parent_id)
        self.assertFalse(buyer.lbc_member_role_ids.filtered("active"), "its roles are revoked")
        self.assertFalse(self.client_a_buyer._lbc_has_role("tender_publisher", self.client_a))
        self.assertTrue(self.client_a_buyer.active, "the account stays")
        self.assertIn("removed Client A Buyer", self.client_a.message_ids[0].body)
        self.assertTrue(self._mails_to(self.client_a_buyer.email), "the removed member is told")


@tagged("post_install", "-at_install")
class TestMembersPortal(HttpCase, LbcPortalPageMixin, LbcBaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._validate(cls.client_a, cls.provider_a)

    def test_admin_page_invite_and_remove(self):
        self._login(self.client_a_admin)
        response = self.url_open("/my/company/members")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Colleagues", response.text)
        self.assertIn("o_lbc_member_invite", response.text)
        self.assertIn("o_lbc_member_remove", response.text)
        response = self._post(
            "/my/company/members/invite",
            {"name": "Paul Pro", "email": "paul@gmail.com", "profile_type": "buyer"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("personal e-mail provider", self._error(response))
        self.assertIn('value="Paul Pro"', response.text, "what was typed stays")
        response = self._post(
            "/my/company/members/invite",
            {
                "name": "Paul Pro",
                "email": "paul.pro@client-a.example",
                "profile_type": "buyer",
                "roles": "cra_approver",
            },
        )
        self.assertIn("The invitation is sent", response.text)
        paul = self.env["res.partner"].search([("email", "=", "paul.pro@client-a.example")])
        self.assertEqual(paul.parent_id, self.client_a)
        self.assertEqual(paul.lbc_member_role_ids.role, "cra_approver")
        self.assertIn("o_lbc_member_pending", response.text)
        response = self.url_open("/my/company/members?filterby=role_cra_approver&search=Paul&search_in=name")
        self.assertIn("paul.pro@client-a.example", response.text)
        self.assertNotIn(self.client_a_buyer.email, response.text)
        response = self._post(f"/my/company/members/{paul.id}/remove")
        self.assertIn("The member is removed", response.text)
        self.assertFalse(paul.parent_id)

    def test_company_page_links_to_the_members(self):
        self._login(self.client_a_buyer)
        response = self.url_open("/my/company")
        self.assertIn('href="/my/company/members"', response.text)

    def test_member_without_the_role_and_other_company(self):
        buyer = self.client_a_buyer.partner_id
        self._login(self.client_a_buyer)
        response = self.url_open("/my/company/members")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.client_a_admin.email, response.text, "members see their colleagues")
        for marker in ("o_lbc_member_invite", "o_lbc_member_remove", "o_lbc_role_grant", "o_lbc_role_revoke"):
            self.assertNotIn(marker, response.text, "no button without the admin role")
        response = self._post(
            "/my/company/members/invite", {"name": "X", "email": "x@client-a.example", "profile_type": "buyer"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Only an administrator", self._error(response))
        response = self._post(f"/my/company/members/{self.client_a_admin.partner_id.id}/remove")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.client_a_admin.partner_id.parent_id, self.client_a)
        # another company's admin: the members of Client A do not open, nothing moves
        self._login(self.client_b_admin)
        response = self.url_open("/my/company/members")
        self.assertNotIn(buyer.email, response.text)
        with mute_logger("odoo.http"):
            response = self._post(f"/my/company/members/{buyer.id}/remove")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(buyer.parent_id, self.client_a)

    def test_query_count(self):
        """The list reads a fixed number of queries, whatever the number of members and roles."""
        for index in range(6):
            self._create_member(self.client_a, f"client_a_extra_{index}", "buyer", ["tender_publisher"])
        self._assert_query_counts([(self.client_a_admin, "/my/company/members", 30)])

    def test_counter(self):
        self._login(self.client_a_buyer)
        values = self.make_jsonrpc_request("/my/counters", {"counters": ["lbc_member_count"]})
        self.assertEqual(values["lbc_member_count"], 2)
