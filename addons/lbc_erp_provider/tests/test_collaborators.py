from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import LbcErpCommon


@tagged("post_install", "-at_install")
class TestCollaborators(LbcErpCommon):
    def test_admin_invites_a_consultant(self):
        partner_id = self.provider_a.with_user(self.provider_a_admin).action_lbc_invite_collaborator(
            "Nina Invited", "Nina.Invited@provider-a.example"
        )
        partner = self.env["res.partner"].browse(partner_id)
        user = partner.user_ids
        self.assertEqual(partner.parent_id, self.provider_a)
        self.assertEqual(partner.lbc_profile_type, "consultant")
        self.assertEqual(user.login, "nina.invited@provider-a.example")
        self.assertTrue(user._is_portal())
        self.assertEqual(partner.sudo().signup_type, "signup", "an invitation (sign-up link) is sent to the consultant")
        with self.assertRaisesRegex(UserError, "already has an account"):
            self.provider_a.with_user(self.provider_a_admin).action_lbc_invite_collaborator("Nina", user.login)
        with self.assertRaisesRegex(UserError, "valid e-mail"):
            self.provider_a.with_user(self.provider_a_admin).action_lbc_invite_collaborator("Bad", "no-at-sign")
        with self.assertRaises(AccessError):
            self.provider_a.with_user(self.provider_a_consultant).action_lbc_invite_collaborator("X", "x@y.example")
        with self.assertRaises(AccessError):
            self.provider_a.with_user(self.provider_b_admin).action_lbc_invite_collaborator("X", "x@y.example")

    def test_assignments(self):
        mission = self.mission
        self.assertEqual(mission.assignment_ids.consultant_id, self.provider_a_consultant.partner_id)
        assignment = (
            self.env["lbc.mission.assignment"]
            .with_user(self.provider_a_admin)
            .create(
                {
                    "mission_id": mission.id,
                    "consultant_id": self.other_consultant.partner_id.id,
                    "date_start": mission.date_start,
                    "date_end": mission.date_start,
                }
            )
        )
        self.assertIn(self.other_consultant.partner_id, mission._lbc_consultants())
        with self.assertRaises(AccessError):
            assignment.with_user(self.provider_a_consultant).write({"date_end": mission.date_end})
        with self.assertRaisesRegex(ValidationError, "within the dates of its mission"), self.env.cr.savepoint():
            self.env["lbc.mission.assignment"].with_user(self.provider_a_admin).create(
                {
                    "mission_id": mission.id,
                    "consultant_id": self.other_consultant.partner_id.id,
                    "date_start": mission.date_start,
                    "date_end": mission.date_end.replace(year=2099),
                }
            )
        with self.assertRaisesRegex(ValidationError, "is not a member"), self.env.cr.savepoint():
            self.env["lbc.mission.assignment"].create(
                {
                    "mission_id": mission.id,
                    "consultant_id": self.provider_b_admin.partner_id.id,
                    "date_start": mission.date_start,
                    "date_end": mission.date_start,
                }
            )

    def test_removed_collaborator_loses_access_history_stays(self):
        report = self._report(days=2)
        consultant = self.provider_a_consultant
        with self.assertRaisesRegex(UserError, "only consultant assigned"):
            consultant.partner_id.with_user(self.provider_a_admin).action_lbc_leave_company()
        # another consultant takes over the mission first
        self.env["lbc.mission.assignment"].with_user(self.provider_a_admin).action_lbc_assign(
            self.mission.id, self.other_consultant.partner_id.id
        )
        consultant.partner_id.with_user(self.provider_a_admin).action_lbc_leave_company()
        self.assertFalse(consultant.partner_id.parent_id)
        self.assertTrue(report.exists(), "history stays")
        self.assertFalse(self.env["lbc.mission"].with_user(consultant).search([]), "access to the missions ends")
        with self.assertRaises(AccessError):
            self.mission.with_user(consultant).read(["name"])

    def test_self_billing_mandate_by_admin_only(self):
        with self.assertRaises(AccessError):
            self.provider_a.with_user(self.provider_a_consultant).action_lbc_sign_self_billing_mandate()
        self.provider_a.with_user(self.provider_a_admin).action_lbc_sign_self_billing_mandate()
        self.assertTrue(self.provider_a.lbc_self_billing_mandate)
