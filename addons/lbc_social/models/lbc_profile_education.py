from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LbcProfileEducation(models.Model):
    _name = "lbc.profile.education"
    _description = "Profile Education"
    _inherit = ["lbc.workflow.mixin"]
    # an entry stays on its profile (the member is the profile's)
    _lbc_workflow_fields = ("partner_id",)
    _lbc_parent_fields = ("profile_id",)
    _order = "date_start desc, id desc"

    profile_id = fields.Many2one("lbc.profile", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="profile_id.partner_id", store=True, index=True)
    school = fields.Char(required=True)
    degree = fields.Char()
    date_start = fields.Date(string="Start")
    date_end = fields.Date(string="End")

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for entry in self:
            if entry.date_start and entry.date_end and entry.date_end < entry.date_start:
                raise ValidationError(self.env._("A course cannot end before it starts."))
