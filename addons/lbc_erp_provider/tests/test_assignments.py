"""Assignments of a provider's consultants to its missions: assign, end, the removal of a member."""

from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import START, LbcErpCommon


@tagged("post_install", "-at_install")
class TestAssignments(LbcErpCommon):
    def _assign(self, consultant, user=None, **dates):
        Assignment = self.env["lbc.mission.assignment"].with_user(user or self.provider_a_admin)
        return Assignment.browse(
            Assignment.action_lbc_assign(
                self.mission.id, consultant.partner_id.id, dates.get("start"), dates.get("end")
            )
        )

    def _running(self, consultant):
        return self.mission.assignment_ids.filtered(
            lambda a: a.consultant_id == consultant.partner_id and a.state == "running"
        )

    def test_admin_assigns_for_the_whole_mission_by_default(self):
        assignment = self._assign(self.other_consultant)
        self.assertEqual((assignment.date_start, assignment.date_end), (self.mission.date_start, self.mission.date_end))
        self.assertEqual(assignment.state, "running")
        self.assertIn(self.other_consultant.partner_id, self.mission._lbc_consultants())
        message = assignment.message_ids.filtered(lambda m: self.other_consultant.partner_id in m.partner_ids)
        self.assertTrue(message, "the consultant is told by e-mail")
        with self.assertRaisesRegex(ValidationError, "already assigned"):
            self._assign(self.other_consultant)

    def test_only_the_provider_admin_assigns_and_ends(self):
        with self.assertRaises(AccessError):
            self._assign(self.other_consultant, user=self.provider_a_consultant)
        with self.assertRaises(AccessError):
            self._assign(self.other_consultant, user=self.provider_b_admin)
        with self.assertRaises(AccessError):
            self._assign(self.other_consultant, user=self.client_a_admin)
        assignment = self._assign(self.other_consultant)
        with self.assertRaises(AccessError):
            assignment.with_user(self.provider_a_consultant).action_end()
        with self.assertRaises(AccessError):
            assignment.with_user(self.provider_b_admin).action_end()
        with self.assertRaises(AccessError):
            assignment.with_user(self.provider_a_admin).write({"state": "ended"})
        self.assertEqual(assignment.state, "running")

    def test_a_consultant_of_another_company_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "is not a member"):
            self._assign(self.provider_b_admin)

    def test_end_an_assignment(self):
        first = self._running(self.provider_a_consultant)
        with self.assertRaisesRegex(UserError, "only consultant assigned"):
            first.with_user(self.provider_a_admin).action_end(START + timedelta(days=9))
        self._assign(self.other_consultant)
        end = START + timedelta(days=9)
        first.with_user(self.provider_a_admin).action_end(end, "Replaced")
        self.assertEqual((first.state, first.date_end, first.ended_date), ("ended", end, end))
        self.assertEqual(first.end_reason, "Replaced")
        with self.assertRaisesRegex(UserError, "already ended"):
            first.with_user(self.provider_a_admin).action_end()
        with self.assertRaisesRegex(UserError, "ended assignment cannot be changed"):
            first.with_user(self.provider_a_admin).write({"date_end": self.mission.date_end})
        # the consultant reports March, not the months after its end
        self.mission.with_user(self.provider_a_consultant).action_lbc_open_report(START)
        with self.assertRaisesRegex(UserError, "not assigned"):
            self.mission.with_user(self.provider_a_consultant).action_lbc_open_report(START.replace(month=4))
        self.mission.with_user(self.other_consultant).action_lbc_open_report(START.replace(month=4))

    def test_no_day_reported_outside_the_assignment(self):
        """Whatever the way in (the report's page, or RPC creating a report with its days), a consultant reports no
        day after the end of its assignment, nor before the start of a later one."""
        first = self._running(self.provider_a_consultant)
        self._assign(self.other_consultant, start=START + timedelta(days=14))  # from Monday 15 March
        end = START + timedelta(days=9)  # Wednesday 10 March
        first.with_user(self.provider_a_admin).action_end(end, "Replaced")
        Report = self.env["lbc.activity.report"]
        report = Report.browse(self.mission.with_user(self.provider_a_consultant).action_lbc_open_report(START))
        report = report.with_user(self.provider_a_consultant)
        report.action_save_days({str(end): 1, str(end - timedelta(days=1)): 1})
        self.assertEqual(report.days_total, 2)
        with self.assertRaisesRegex(ValidationError, "not assigned"):
            report.action_save_days({str(end): 1, str(end + timedelta(days=1)): 1})
        self.assertEqual(report.days_total, 2, "nothing saved")
        april = START.replace(month=4)
        with self.assertRaisesRegex(ValidationError, "not assigned"):
            Report.with_user(self.provider_a_consultant).create(
                {
                    "mission_id": self.mission.id,
                    "consultant_id": self.provider_a_consultant.partner_id.id,
                    "period": april,
                    "line_ids": [(0, 0, {"date": april + timedelta(days=1), "quantity": 1.0})],
                }
            )
        # the new consultant reports from the start of its assignment, not before
        other = Report.browse(self.mission.with_user(self.other_consultant).action_lbc_open_report(START))
        other = other.with_user(self.other_consultant)
        with self.assertRaisesRegex(ValidationError, "not assigned"):
            other.action_save_days({str(START + timedelta(days=11)): 1})  # Friday 12 March
        other.action_save_days({str(START + timedelta(days=14)): 1})
        self.assertEqual(other.days_total, 1)

    def test_removing_a_member_ends_its_assignments(self):
        consultant = self.provider_a_consultant.partner_id
        with self.assertRaisesRegex(UserError, "only consultant assigned"):
            consultant.with_user(self.provider_a_admin).action_lbc_remove_member()
        self.assertEqual(consultant.parent_id, self.provider_a, "refused: nothing moved")
        self._assign(self.other_consultant)
        first = self._running(self.provider_a_consultant)
        consultant.with_user(self.provider_a_admin).action_lbc_remove_member()
        self.assertFalse(consultant.parent_id)
        self.assertEqual(first.state, "ended")
        self.assertIn("no longer a member", first.end_reason)

    def test_rpc_invite_collaborator_kept(self):
        partner_id = self.provider_a.with_user(self.provider_a_admin).action_lbc_invite_collaborator(
            "Old Client", "old.client@provider-a.example"
        )
        partner = self.env["res.partner"].browse(partner_id)
        self.assertEqual((partner.parent_id, partner.lbc_profile_type), (self.provider_a, "consultant"))
