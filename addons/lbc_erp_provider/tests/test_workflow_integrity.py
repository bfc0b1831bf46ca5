"""Same-company escalation on the provider's ERP: activity reports, their days and the mission assignments.

Every attempt is made as a real portal member of the companies concerned (the consultant, a consultant who
also approves reports, the provider's report approver and admin, the client's members), over the ORM calls an
RPC client makes (write, create with default_* context keys, public actions with the context keys the code
used to read): each is refused with an AccessError or a UserError and changes nothing; the legitimate path
still works.
"""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import START, LbcErpCommon

REFUSED = UserError  # AccessError and ValidationError are UserErrors: a refusal, never a server error
# context keys the suite's code read (or could read) to let a workflow change through: none has any effect
FORGED_CONTEXT = {
    "lbc_report_state_change": True,
    "lbc_defer_invoicing": True,
    "lbc_cron": True,
    "lbc_state_change": True,
    "default_state": "validated",
}


class TestReportWorkflowIntegrity(LbcErpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a consultant who also holds the report approver role in its company
        cls.approving_consultant = cls._create_member(
            cls.provider_a, "provider_a_approving_consultant", "consultant", ["cra_approver"]
        )
        cls.env["lbc.mission.assignment"].with_user(cls.provider_a_admin).create(
            {
                "mission_id": cls.mission.id,
                "consultant_id": cls.approving_consultant.partner_id.id,
                "date_start": cls.mission.date_start,
                "date_end": cls.mission.date_end,
            }
        )
        cls.provider_members = (
            cls.provider_a_consultant,
            cls.approving_consultant,
            cls.provider_approver,
            cls.provider_a_admin,
        )
        cls.client_members = (cls.client_a_buyer, cls.client_a_admin)

    def _snapshot(self, record, fnames):
        record = record.sudo()
        record.invalidate_recordset()
        return {fname: record[fname] for fname in fnames}

    def _assert_refused(self, call, records, fnames):
        """`call` raises AccessError or UserError (with a message) and nothing of `records` changed."""
        before = self._snapshot(records, fnames)
        with self.assertRaises(REFUSED) as caught, self.env.cr.savepoint():
            call()
        self.assertTrue(caught.exception.args and caught.exception.args[0], "a refusal says why")
        self.assertEqual(self._snapshot(records, fnames), before)
        return 1

    # --- the report's workflow fields and parents ------------------------------------------------
    def test_report_workflow_fields_refused_to_every_member(self):
        second = self._active_mission(self.provider_a, self.provider_a_admin, self.other_consultant, rate=500)
        report = self._report(days=2)
        now = fields.Datetime.now()
        forged = {
            "state": "validated",
            "rejection_reason": "forged",
            "submitted_date": now,
            "approved_by_id": self.provider_approver.id,
            "validated_by_id": self.client_a_buyer.id,
            "validated_date": now,
            "days_total": 30.0,
            "amount_untaxed": 1.0,
            "provider_id": self.provider_b.id,
            "client_id": self.client_b.id,
            "invoice_line_ids": [Command.set([])],
            # parents: a report never moves to another mission, consultant or month
            "mission_id": second.id,
            "consultant_id": self.other_consultant.partner_id.id,
            "period": START.replace(month=4),
        }
        watched = ["state", "approved_by_id", "validated_by_id", "mission_id", "consultant_id", "period", "days_total"]
        attempts = 0
        for state_step in ("draft", "submitted", "approved"):
            if state_step == "submitted":
                report.with_user(self.provider_a_consultant).action_submit()
            elif state_step == "approved":
                report.with_user(self.provider_approver).action_approve()
            for user in self.provider_members + self.client_members:
                for fname, value in forged.items():
                    for context in ({}, FORGED_CONTEXT):
                        attempts += self._assert_refused(
                            lambda u=user, f=fname, v=value, c=context: (
                                report.with_user(u).with_context(**c).write({f: v})
                            ),
                            report,
                            watched,
                        )
        self.assertGreaterEqual(attempts, 150)
        self.assertEqual(report.state, "approved")

    def test_report_created_in_its_first_state_only(self):
        Report = self.env["lbc.activity.report"].with_user(self.provider_a_consultant)
        vals = {"mission_id": self.mission.id, "consultant_id": self.provider_a_consultant.partner_id.id}
        for fname, value in (
            ("state", "approved"),
            ("approved_by_id", self.provider_approver.id),
            ("validated_by_id", self.client_a_buyer.id),
            ("submitted_by_id", self.provider_approver.id),
        ):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                Report.create({**vals, "period": START, fname: value})
        report = Report.with_context(
            default_state="validated",
            default_approved_by_id=self.provider_approver.id,
            default_validated_by_id=self.client_a_buyer.id,
            default_validated_date=fields.Datetime.now(),
            default_rejection_reason="forged",
            lbc_report_state_change=True,
        ).create({**vals, "period": START})
        self.assertEqual(report.state, "draft")
        self.assertFalse(report.approved_by_id | report.validated_by_id)
        self.assertFalse(report.validated_date or report.rejection_reason)
        # nor for another consultant of the company, nor by a client member
        with self.assertRaises(REFUSED), self.env.cr.savepoint():
            Report.create(
                {"mission_id": self.mission.id, "consultant_id": self.other_consultant.partner_id.id, "period": START}
            )
        with self.assertRaises(REFUSED), self.env.cr.savepoint():
            self.env["lbc.activity.report"].with_user(self.client_a_admin).create(
                {**vals, "period": START.replace(month=4)}
            )

    def test_actions_ignore_forged_contexts(self):
        report = self._report(days=2)
        # not submitted by someone else than the consultant or its company's approvers
        for user in (self.other_consultant, self.client_a_buyer, self.provider_b_admin):
            with self.assertRaises(REFUSED), self.env.cr.savepoint():
                report.with_user(user).with_context(**FORGED_CONTEXT).action_submit()
        self.assertEqual(report.state, "draft")
        report.with_user(self.provider_a_consultant).with_context(**FORGED_CONTEXT).action_submit()
        self.assertEqual(report.state, "submitted")
        for user in (self.provider_a_consultant, self.other_consultant, self.client_a_buyer, self.client_a_admin):
            forged = report.with_user(user).with_context(**FORGED_CONTEXT)
            with self.assertRaises(REFUSED), self.env.cr.savepoint():
                forged.action_approve()
            with self.assertRaises(REFUSED), self.env.cr.savepoint():
                forged.action_reject(reason="forged")
        self.assertEqual(report.state, "submitted")
        self.assertFalse(report.approved_by_id)

    # --- separation of duties -------------------------------------------------------------------------
    def test_consultant_never_approves_its_own_report(self):
        report = self._report(consultant=self.approving_consultant, days=2)
        report.with_user(self.approving_consultant).action_submit()
        self.assertNotIn("approve", report.with_user(self.approving_consultant)._lbc_allowed_actions())
        with self.assertRaisesRegex(AccessError, "you filled in or submitted"):
            report.with_user(self.approving_consultant).action_approve()
        with self.assertRaisesRegex(AccessError, "you filled in or submitted"):
            report.with_user(self.approving_consultant).action_reject(reason="Reopen it myself")
        self.assertEqual(report.state, "submitted")
        self.assertIn("approve", report.with_user(self.provider_approver)._lbc_allowed_actions())
        report.with_user(self.provider_approver).action_approve()
        self.assertEqual((report.state, report.approved_by_id), ("approved", self.provider_approver))

    def test_admin_who_submits_for_the_consultant_does_not_approve(self):
        report = self._report(days=2)
        report.with_user(self.provider_a_admin).action_submit()
        self.assertEqual(report.submitted_by_id, self.provider_a_admin)
        with self.assertRaisesRegex(AccessError, "you filled in or submitted"):
            report.with_user(self.provider_a_admin).action_approve()
        report.with_user(self.provider_approver).action_approve()
        self.assertEqual(report.state, "approved")

    def test_admin_consultant_of_its_own_company(self):
        """The provider's admin is the consultant (a freelancer-like company): it never approves its own days;
        another approver of its company, or LBC, does."""
        self.env["lbc.mission.assignment"].with_user(self.provider_a_admin).create(
            {
                "mission_id": self.mission.id,
                "consultant_id": self.provider_a_admin.partner_id.id,
                "date_start": self.mission.date_start,
                "date_end": self.mission.date_end,
            }
        )
        report = self._report(consultant=self.provider_a_admin, days=1)
        report.with_user(self.provider_a_admin).action_submit()
        with self.assertRaises(AccessError):
            report.with_user(self.provider_a_admin).action_approve()
        report.with_user(self.operator).action_approve()
        self.assertEqual(report.state, "approved")

    # --- the days --------------------------------------------------------------------------------------
    def test_days_never_move_and_freeze_after_submission(self):
        report = self._report(days=3)
        other = self._report(days=1, month=START.replace(month=4))
        line = report.line_ids[0]
        fnames = ["report_id", "date", "quantity", "consultant_id"]
        for user in self.provider_members:
            for vals in (
                {"report_id": other.id},
                {"consultant_id": self.other_consultant.partner_id.id},
                {"provider_id": self.provider_b.id},
                {"client_id": self.client_b.id},
            ):
                self._assert_refused(lambda u=user, v=vals: line.with_user(u).write(v), line, fnames)
        # a draft day changes
        line.with_user(self.provider_a_consultant).write({"quantity": 0.5})
        self.assertEqual(report.days_total, 2.5)
        report.with_user(self.provider_a_consultant).action_submit()
        day = self.working_days(START, 10)[9]
        for user in self.provider_members:
            self._assert_refused(lambda u=user: line.with_user(u).write({"quantity": 1.0}), line, fnames)
            self._assert_refused(lambda u=user: line.with_user(u).unlink(), line, fnames)
            self._assert_refused(
                lambda u=user: (
                    self.env["lbc.activity.report.line"]
                    .with_user(u)
                    .create({"report_id": report.id, "date": day, "quantity": 1.0})
                ),
                report,
                ["days_total", "state"],
            )
            self._assert_refused(
                lambda u=user: report.with_user(u).write({"line_ids": [Command.create({"date": day})]}),
                report,
                ["days_total", "state"],
            )
            self._assert_refused(
                lambda u=user: report.with_user(u).action_save_days({day.isoformat(): {"quantity": 1}}),
                report,
                ["days_total", "state"],
            )
        # even LBC's back office does not change the days of a submitted report (it sends it back)
        self._assert_refused(lambda: line.with_user(self.operator).write({"quantity": 1.0}), line, fnames)
        self._assert_refused(
            lambda: report.with_user(self.operator).write({"line_ids": [Command.delete(line.id)]}),
            report,
            ["days_total", "state"],
        )
        self.assertEqual(report.days_total, 2.5)

    # --- the calendar rules, one for the portal and RPC ---------------------------------------------
    def test_calendar_and_save_days(self):
        Mission = self.mission.with_user(self.provider_a_consultant)
        report_id = Mission.action_lbc_open_report("2027-03-15")
        self.assertEqual(Mission.action_lbc_open_report(START), report_id, "opened again, not created twice")
        report = self.env["lbc.activity.report"].with_user(self.provider_a_consultant).browse(report_id)
        self.assertEqual(report.period, START)
        days = {day["key"]: day for day in report._lbc_calendar_days()}
        self.assertEqual(len(days), 31)
        self.assertEqual(days["2027-03-06"]["kind"], "weekend")
        self.assertEqual((days["2027-03-29"]["kind"], days["2027-03-29"]["holiday"]), ("holiday", "Lundi de Pâques"))
        self.assertEqual(days["2027-03-01"]["kind"], "working")
        with self.assertRaisesRegex(ValidationError, "weekend"), self.env.cr.savepoint():
            report.action_save_days({"2027-03-06": {"quantity": "1"}})
        with self.assertRaisesRegex(ValidationError, "0.5 .half day. or 1"), self.env.cr.savepoint():
            report.action_save_days({"2027-03-01": {"quantity": "2"}})
        with self.assertRaisesRegex(ValidationError, "not a date"), self.env.cr.savepoint():
            report.action_save_days({"someday": {"quantity": "1"}})
        with self.assertRaisesRegex(ValidationError, "not in the month of the report"), self.env.cr.savepoint():
            report.action_save_days({"2027-03-01": 1, "2027-02-26": 1})
        self.assertFalse(report.line_ids, "nothing saved by a refused grid")
        report.action_save_days(
            {
                "2027-03-01": {"quantity": "1", "comment": " Kick-off "},
                "2027-03-02": {"quantity": 0.5, "worked_off_day": True},
                "2027-03-06": {"quantity": "0.5", "worked_off_day": True},
            }
        )
        self.assertEqual(report.days_total, 2.0)
        self.assertEqual(report.line_ids.filtered("comment").comment, "Kick-off")
        self.assertEqual(report.line_ids.filtered("worked_off_day").date, START + timedelta(days=5))
        # the whole month at once: a day left out has no line any more
        report.action_save_days({"2027-03-01": {"quantity": "1"}})
        self.assertEqual(report.days_total, 1.0)
        # one day per date across the consultant's reports
        second = self._active_mission(self.provider_a, self.provider_a_admin, self.provider_a_consultant, rate=500)
        other = self.env["lbc.activity.report"].browse(
            second.with_user(self.provider_a_consultant).action_lbc_open_report(START)
        )
        with self.assertRaisesRegex(ValidationError, "at most 1"), self.env.cr.savepoint():
            other.with_user(self.provider_a_consultant).action_save_days({"2027-03-01": {"quantity": "0.5"}})
        # others cannot fill it in nor open months on a mission they do not work on
        for user in (self.other_consultant, self.client_a_buyer, self.provider_b_admin):
            with self.assertRaises(REFUSED), self.env.cr.savepoint():
                report.with_user(user).action_save_days({"2027-03-03": {"quantity": "1"}})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.mission.with_user(self.other_consultant).action_lbc_open_report(START)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Mission.action_lbc_open_report("2026-01-01")
        self.assertEqual(report.days_total, 1.0)

    def test_to_act_domain(self):
        mine = self._report(consultant=self.approving_consultant, days=1)
        theirs = self._report(days=1)
        (mine | theirs).with_user(self.provider_a_admin).action_submit()
        Report = self.env["lbc.activity.report"].with_user(self.approving_consultant)
        self.assertEqual(Report.search(Report._lbc_to_act_domain()), theirs, "not its own report to approve")

    # --- assignments -------------------------------------------------------------------------------------
    def test_assignment_never_moves(self):
        second = self._active_mission(self.provider_a, self.provider_a_admin, self.other_consultant, rate=500)
        assignment = self.mission.assignment_ids.filtered(
            lambda a: a.consultant_id == self.provider_a_consultant.partner_id
        )
        fnames = ["mission_id", "consultant_id", "date_start", "date_end"]
        for user in self.provider_members:
            for vals in (
                {"mission_id": second.id},
                {"consultant_id": self.other_consultant.partner_id.id},
                {"provider_id": self.provider_b.id},
                {"client_id": self.client_b.id},
            ):
                self._assert_refused(lambda u=user, v=vals: assignment.with_user(u).write(v), assignment, fnames)
        for user in (self.provider_a_consultant, self.provider_approver, self.client_a_admin):
            self._assert_refused(
                lambda u=user: assignment.with_user(u).write({"date_end": self.mission.date_start}),
                assignment,
                fnames,
            )
        assignment.with_user(self.provider_a_admin).write({"date_end": self.mission.date_end - timedelta(days=1)})
        self.assertEqual(assignment.date_end, self.mission.date_end - timedelta(days=1))
