from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class LbcMissionAssignment(models.Model):
    _name = "lbc.mission.assignment"
    _description = "Consultant Assignment on a Mission"
    _inherit = ["lbc.workflow.mixin", "mail.thread"]
    _order = "mission_id, date_start"
    # copied from the mission (writing them would write the mission's); the end is written by `action_end` only
    _lbc_workflow_fields = ("provider_id", "client_id", "state", "ended_date", "ended_by_id", "end_reason")
    # an assignment is one consultant's on one mission for good: another consultant is another assignment
    _lbc_parent_fields = ("mission_id", "consultant_id")

    mission_id = fields.Many2one("lbc.mission", required=True, ondelete="cascade", index=True)
    provider_id = fields.Many2one(related="mission_id.provider_id", store=True, index=True)
    client_id = fields.Many2one(related="mission_id.client_id", store=True, index=True)
    consultant_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        domain="[('parent_id', '=', provider_id), ('is_company', '=', False)]",
    )
    date_start = fields.Date(required=True, tracking=True)
    date_end = fields.Date(required=True, tracking=True)
    state = fields.Selection(
        [("running", "Running"), ("ended", "Ended")],
        default="running",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    ended_date = fields.Date(string="Ended On", readonly=True, copy=False)
    ended_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    end_reason = fields.Text(readonly=True, copy=False)

    _dates_order = models.Constraint("CHECK(date_end >= date_start)", "An assignment cannot end before it starts.")

    @api.depends("mission_id.name", "consultant_id.name")
    def _compute_display_name(self):
        for assignment in self:
            assignment.display_name = f"{assignment.mission_id.name or ''} – {assignment.consultant_id.name or ''}"

    @api.constrains("consultant_id", "mission_id", "date_start", "date_end")
    def _check_assignment(self):
        for assignment in self:
            mission = assignment.mission_id
            if assignment.consultant_id.parent_id != mission.provider_id and assignment.state == "running":
                raise ValidationError(
                    self.env._(
                        "%(consultant)s is not a member of %(provider)s.",
                        consultant=assignment.consultant_id.name,
                        provider=mission.provider_id.name,
                    )
                )
            if assignment.date_start < mission.date_start or assignment.date_end > mission.date_end:
                raise ValidationError(self.env._("An assignment stays within the dates of its mission."))
            overlapping = self.sudo().search_count(
                [
                    ("id", "!=", assignment.id),
                    ("mission_id", "=", mission.id),
                    ("consultant_id", "=", assignment.consultant_id.id),
                    ("state", "=", "running"),
                    ("date_start", "<=", assignment.date_end),
                    ("date_end", ">=", assignment.date_start),
                ],
                limit=1,
            )
            if overlapping and assignment.state == "running":
                raise ValidationError(
                    self.env._(
                        "%(consultant)s is already assigned to %(mission)s over these dates.",
                        consultant=assignment.consultant_id.name,
                        mission=mission.name,
                    )
                )

    def _lbc_check_provider_admin(self):
        for assignment in self:
            assignment.mission_id.provider_id._lbc_check_company_admin()

    @api.model_create_multi
    def create(self, vals_list):
        assignments = super().create(vals_list)
        assignments._lbc_check_provider_admin()
        if not self.env.su:
            for assignment in assignments:
                if assignment.mission_id.state not in ("draft", "active"):
                    raise UserError(
                        self.env._(
                            "%(mission)s is over: nobody is assigned to it any more.",
                            mission=assignment.mission_id.name,
                        )
                    )
        for assignment in assignments:
            assignment._lbc_notify_consultant("lbc_erp_provider.mail_template_assignment_new")
        return assignments

    def write(self, vals):
        self._lbc_check_provider_admin()
        if not self.env.su and {"date_start", "date_end"} & set(vals) and self.filtered(lambda a: a.state == "ended"):
            raise UserError(self.env._("An ended assignment cannot be changed."))
        return super().write(vals)

    def _lbc_notify_consultant(self, template_xmlid):
        """E-mail the consultant (the template speaks its language), logged in the assignment's chatter."""
        self.ensure_one()
        # sudo: the provider's admin (checked) tells the consultant of its own company
        self.sudo().message_post_with_source(
            template_xmlid, subtype_xmlid="mail.mt_comment", partner_ids=self.consultant_id.ids
        )

    @api.model
    def action_lbc_assign(self, mission_id, consultant_id, date_start=None, date_end=None):
        """A provider's admin assigns a consultant of its company to one of its missions (by default for the whole
        mission). Returns the assignment id. The same as `create`, with the mission's dates by default."""
        mission = self.env["lbc.mission"].browse(int(mission_id)).exists()
        if not mission:
            raise UserError(self.env._("Choose a mission."))
        mission.check_access("read")
        mission.provider_id._lbc_check_company_admin()
        assignment = self.create(
            {
                "mission_id": mission.id,
                "consultant_id": int(consultant_id),
                "date_start": fields.Date.to_date(date_start)
                or max(mission.date_start, fields.Date.context_today(self)),
                "date_end": fields.Date.to_date(date_end) or mission.date_end,
            }
        )
        return assignment.id

    def action_end(self, date_end=None, reason=None):
        """A provider's admin ends assignments on `date_end` (default: today): the consultant reports no day after
        it. The last running assignment of an active mission is not ended: assign another consultant first."""
        self._lbc_check_provider_admin()
        end = fields.Date.to_date(date_end) if date_end else fields.Date.context_today(self)
        self._lbc_end(end, (reason or "").strip() or False)
        return True

    def _lbc_end(self, end, reason):
        """End these running assignments on `end` (rights checked by the callers: the admin's action, or the
        member leaving its company)."""
        for assignment in self:
            if assignment.state != "running":
                raise UserError(self.env._("%(name)s is already ended.", name=assignment.display_name))
            mission = assignment.mission_id.sudo()
            others = mission.assignment_ids.filtered(
                lambda a, assignment=assignment: a != assignment and a.state == "running" and a.date_end > end
            )
            if mission.state == "active" and end < mission.date_end and not others:
                raise UserError(
                    self.env._(
                        "%(consultant)s is the only consultant assigned to the running mission %(mission)s: assign "
                        "another consultant to it first.",
                        consultant=assignment.consultant_id.name,
                        mission=mission.name,
                    )
                )
            vals = {
                "state": "ended",
                "ended_date": end,
                "ended_by_id": self.env.user.id,
                "end_reason": reason,
            }
            if assignment.date_start <= end < assignment.date_end:
                vals["date_end"] = end
            assignment._lbc_workflow_write(vals)
            assignment._lbc_notify_consultant("lbc_erp_provider.mail_template_assignment_ended")
        return True

    def _lbc_covers(self, date_from, date_to):
        """The assignments of self that cover part of [date_from, date_to] (an assignment ended before it started
        covers nothing)."""
        return self.filtered(
            lambda a: (
                a.date_start <= date_to
                and a.date_end >= date_from
                and (a.state == "running" or (a.ended_date and a.ended_date >= a.date_start))
            )
        )
