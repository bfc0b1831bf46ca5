from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class LbcMission(models.Model):
    _inherit = "lbc.mission"
    # set from the place of work at contracting, by LBC's own steps only
    _lbc_workflow_fields = ("resource_calendar_id",)

    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Calendar",
        readonly=True,
        copy=False,
        help="Working days and public holidays of the mission's place of work (the client's site, the provider's "
        "for a remote mission): what its activity reports count as working days.",
    )
    working_days = fields.Integer(
        compute="_compute_working_days",
        help="Working days between the mission's start and end dates in its working calendar.",
    )
    assignment_ids = fields.One2many("lbc.mission.assignment", "mission_id", string="Assignments")
    report_ids = fields.One2many("lbc.activity.report", "mission_id", string="Activity Reports")
    report_count = fields.Integer(compute="_compute_report_count")

    def _compute_report_count(self):
        groups = self.env["lbc.activity.report"]._read_group(
            [("mission_id", "in", self.ids)], ["mission_id"], ["__count"]
        )
        counts = {mission.id: count for mission, count in groups}
        for mission in self:
            mission.report_count = counts.get(mission.id, 0)

    @api.depends("date_start", "date_end", "resource_calendar_id")
    def _compute_working_days(self):
        for mission in self:
            if mission.date_start and mission.date_end and mission.date_start <= mission.date_end:
                days = mission._lbc_calendar()._lbc_working_days(mission.date_start, mission.date_end)
                mission.working_days = len(days)
            else:
                mission.working_days = 0

    def _lbc_work_partner(self):
        """Where the mission is performed, for its public holidays: at the client's, or at the provider's when
        the tender said remote."""
        self.ensure_one()
        return self.provider_id if self.tender_id.remote_policy == "remote" else self.client_id

    def _lbc_calendar(self):
        """The mission's working calendar (the one of its place of work when none is set yet)."""
        self.ensure_one()
        return self.resource_calendar_id or self.env["resource.calendar"]._lbc_calendar_for(self._lbc_work_partner())

    def _lbc_consultants(self):
        self.ensure_one()
        return self.consultant_id | self.assignment_ids.consultant_id

    @api.model
    def _lbc_create_from_bid(self, bid):
        mission = super()._lbc_create_from_bid(bid)
        mission._lbc_workflow_write({"resource_calendar_id": mission._lbc_calendar().id})
        # the mission's consultant is its first assignment
        self.env["lbc.mission.assignment"]._lbc_workflow_create(
            [
                {
                    "mission_id": mission.id,
                    "consultant_id": mission.consultant_id.id,
                    "date_start": mission.date_start,
                    "date_end": mission.date_end,
                }
            ]
        )
        return mission

    def action_lbc_open_report(self, period):
        """The current member's activity report of the month of `period` (a date in it) on this mission,
        created as the member on first opening (it must be one of the mission's consultants; the report's
        rules check the month). Returns the report id."""
        self.ensure_one()
        self.check_access("read")
        partner = self.env.user.partner_id
        period = fields.Date.to_date(period).replace(day=1)
        Report = self.env["lbc.activity.report"]
        report = Report.search(
            [("mission_id", "=", self.id), ("consultant_id", "=", partner.id), ("period", "=", period)], limit=1
        )
        if report:
            return report.id
        if partner not in self._lbc_consultants():
            raise AccessError(self.env._("Only a consultant of %(mission)s reports its days on it.", mission=self.name))
        # the month within the mission (a month outside it is refused by the report itself)
        date_from = max(period, self.date_start)
        date_to = min((period + relativedelta(months=1)) - relativedelta(days=1), self.date_end)
        assignments = self.sudo().assignment_ids.filtered(lambda a: a.consultant_id == partner)
        if date_from <= date_to and assignments and not assignments._lbc_covers(date_from, date_to):
            raise UserError(
                self.env._(
                    "You are not assigned to %(mission)s in %(month)s: your assignment does not cover this month.",
                    mission=self.name,
                    month=period.strftime("%m/%Y"),
                )
            )
        return Report.create({"mission_id": self.id, "consultant_id": partner.id, "period": period}).id

    def action_view_reports(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Activity Reports"),
            "res_model": "lbc.activity.report",
            "view_mode": "list,form",
            "domain": [("mission_id", "=", self.id)],
            "context": {"default_mission_id": self.id, "default_consultant_id": self.consultant_id.id},
        }
