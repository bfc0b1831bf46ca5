from odoo import api, fields, models


class LbcMission(models.Model):
    _inherit = "lbc.mission"

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

    def _lbc_consultants(self):
        self.ensure_one()
        return self.consultant_id | self.assignment_ids.consultant_id

    @api.model
    def _lbc_create_from_bid(self, bid):
        mission = super()._lbc_create_from_bid(bid)
        # the mission's consultant is its first assignment
        self.env["lbc.mission.assignment"].sudo().create(
            {
                "mission_id": mission.id,
                "consultant_id": mission.consultant_id.id,
                "date_start": mission.date_start,
                "date_end": mission.date_end,
            }
        )
        return mission

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
