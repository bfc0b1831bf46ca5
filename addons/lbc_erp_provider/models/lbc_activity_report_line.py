from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class LbcActivityReportLine(models.Model):
    _name = "lbc.activity.report.line"
    _description = "Day of an Activity Report"
    _inherit = ["lbc.workflow.mixin"]
    _order = "date"
    # copied from the report (writing them would write the report's)
    _lbc_workflow_fields = ("consultant_id", "provider_id", "client_id")
    # a day never moves to another report
    _lbc_parent_fields = ("report_id",)

    report_id = fields.Many2one("lbc.activity.report", required=True, ondelete="cascade", index=True)
    consultant_id = fields.Many2one(related="report_id.consultant_id", store=True, index=True)
    provider_id = fields.Many2one(related="report_id.provider_id", store=True)
    client_id = fields.Many2one(related="report_id.client_id", store=True)
    date = fields.Date(required=True)
    quantity = fields.Float(required=True, default=1.0, digits=(16, 1), help="0.5 (half day) or 1 (whole day).")
    comment = fields.Char()
    worked_off_day = fields.Boolean(
        string="Worked on a Weekend or Holiday", help="Tick to report work on a Saturday, Sunday or public holiday."
    )
    day_kind = fields.Selection(
        [("working", "Working Day"), ("weekend", "Weekend"), ("holiday", "Public Holiday")],
        compute="_compute_day_kind",
    )

    _one_line_per_date = models.UniqueIndex("(report_id, date)", "A date appears once in an activity report.")
    _consultant_date = models.Index("(consultant_id, date)")
    _quantity_allowed = models.Constraint(
        "CHECK(quantity IN (0.5, 1.0))", "A day counts 0.5 (half day) or 1 (whole day)."
    )

    @api.depends("date", "report_id.mission_id.resource_calendar_id")
    def _compute_day_kind(self):
        holidays = {report: report._lbc_holidays() for report in self.report_id}
        for line in self:
            line.day_kind = line._lbc_date_kind(line.date, holidays.get(line.report_id, {}))

    def _lbc_day_kind(self):
        return self.day_kind

    @api.model
    def _lbc_date_kind(self, day, holidays):
        """'working', 'weekend' or 'holiday' for a date, `holidays` being the public holidays of the mission's
        place of work ({date: name}, from its working calendar)."""
        if not day:
            return "working"
        if day in holidays:
            return "holiday"
        return "weekend" if day.weekday() >= 5 else "working"

    @api.model
    def _lbc_check_vals(self, vals):
        if "quantity" in vals and vals["quantity"] not in (0.5, 1, 1.0):
            raise ValidationError(
                self.env._("A day counts 0.5 (half day) or 1 (whole day), not %(qty)s.", qty=vals["quantity"])
            )

    def _lbc_workflow_locked_fields(self):
        """A day changes only while its report is a draft."""
        if any(line.report_id.state != "draft" for line in self):
            return set(self._fields)
        return set()

    def _lbc_check_draft_reports(self):
        if self.env.su:
            return
        if any(line.report_id.state != "draft" for line in self):
            raise UserError(self.env._("Only a draft activity report can be changed."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._lbc_check_vals(vals)
        lines = super().create(vals_list)
        lines._lbc_check_draft_reports()
        return lines

    def write(self, vals):
        self._lbc_check_vals(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_in_drafts(self):
        self._lbc_check_draft_reports()

    @api.constrains("date", "quantity", "worked_off_day", "report_id")
    def _check_date(self):
        for line in self:
            report = line.report_id
            mission = report.mission_id
            if (line.date.year, line.date.month) != (report.period.year, report.period.month):
                raise ValidationError(
                    self.env._("%(date)s is not in the month of the report.", date=line.date.strftime("%d/%m/%Y"))
                )
            if line.date < mission.date_start or line.date > mission.date_end:
                raise ValidationError(
                    self.env._(
                        "%(date)s is outside the mission %(mission)s (%(start)s to %(end)s).",
                        date=line.date.strftime("%d/%m/%Y"),
                        mission=mission.name,
                        start=mission.date_start.strftime("%d/%m/%Y"),
                        end=mission.date_end.strftime("%d/%m/%Y"),
                    )
                )
            # a consultant reports the days of its assignments only (one ended reports nothing after its end);
            # the mission's own consultant without any assignment record is covered by the mission
            assignments = mission.sudo().assignment_ids.filtered(
                lambda a, line=line: a.consultant_id == line.consultant_id
            )
            if assignments and not assignments._lbc_covers(line.date, line.date).filtered(
                lambda a, line=line: a.state == "running" or a.ended_date >= line.date
            ):
                raise ValidationError(
                    self.env._(
                        "%(consultant)s is not assigned to %(mission)s on %(date)s: its assignment does not cover "
                        "this day.",
                        consultant=line.consultant_id.name,
                        mission=mission.name,
                        date=line.date.strftime("%d/%m/%Y"),
                    )
                )
            kind = line._lbc_day_kind()
            if kind != "working" and not line.worked_off_day:
                raise ValidationError(
                    self.env._(
                        "%(date)s is a %(kind)s: tick 'Worked on a weekend or holiday' to report it.",
                        date=line.date.strftime("%d/%m/%Y"),
                        kind=dict(self._fields["day_kind"]._description_selection(self.env))[kind].lower(),
                    )
                )
        self._check_consultant_day_total()

    def _check_consultant_day_total(self):
        """A consultant never works more than one day on a date, all missions together (one query for all the
        consultants and dates of these lines, on the (consultant, date) index)."""
        self.flush_model(["date", "quantity", "consultant_id", "report_id"])
        pairs = {(line.consultant_id.id, line.date) for line in self if line.consultant_id and line.date}
        if not pairs:
            return
        consultant_ids, days = zip(*sorted(pairs), strict=True)
        self.env.cr.execute(
            """SELECT l.date, SUM(l.quantity)
                 FROM unnest(%s::int[], %s::date[]) AS p(consultant_id, day)
                 JOIN lbc_activity_report_line l ON l.consultant_id = p.consultant_id AND l.date = p.day
                 JOIN lbc_activity_report r ON r.id = l.report_id
                WHERE r.state != 'rejected'
             GROUP BY l.consultant_id, l.date
               HAVING SUM(l.quantity) > 1
             ORDER BY l.date
                LIMIT 1""",
            (list(consultant_ids), list(days)),
        )
        row = self.env.cr.fetchone()
        if row:
            day, total = row
            raise ValidationError(
                self.env._(
                    "%(date)s would count %(total)s days for the consultant across its missions: at most 1.",
                    date=day.strftime("%d/%m/%Y"),
                    total=total,
                )
            )
