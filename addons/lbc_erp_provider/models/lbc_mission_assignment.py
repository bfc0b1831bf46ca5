from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LbcMissionAssignment(models.Model):
    _name = "lbc.mission.assignment"
    _description = "Consultant Assignment on a Mission"
    _inherit = ["lbc.workflow.mixin", "mail.thread"]
    _order = "mission_id, date_start"
    # copied from the mission (writing them would write the mission's)
    _lbc_workflow_fields = ("provider_id", "client_id")
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

    _dates_order = models.Constraint("CHECK(date_end >= date_start)", "An assignment cannot end before it starts.")

    @api.constrains("consultant_id", "mission_id", "date_start", "date_end")
    def _check_assignment(self):
        for assignment in self:
            mission = assignment.mission_id
            if assignment.consultant_id.parent_id != mission.provider_id:
                raise ValidationError(
                    self.env._(
                        "%(consultant)s is not a member of %(provider)s.",
                        consultant=assignment.consultant_id.name,
                        provider=mission.provider_id.name,
                    )
                )
            if assignment.date_start < mission.date_start or assignment.date_end > mission.date_end:
                raise ValidationError(self.env._("An assignment stays within the dates of its mission."))

    def _lbc_check_provider_admin(self):
        for assignment in self:
            assignment.mission_id.provider_id._lbc_check_company_admin()

    @api.model_create_multi
    def create(self, vals_list):
        assignments = super().create(vals_list)
        assignments._lbc_check_provider_admin()
        return assignments

    def write(self, vals):
        self._lbc_check_provider_admin()
        return super().write(vals)
