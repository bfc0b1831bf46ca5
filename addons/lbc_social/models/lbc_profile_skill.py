from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LbcProfileSkill(models.Model):
    _name = "lbc.profile.skill"
    _description = "Profile Skill"
    _inherit = ["lbc.workflow.mixin"]
    # an entry stays on its profile (the member is the profile's)
    _lbc_workflow_fields = ("partner_id",)
    _lbc_parent_fields = ("profile_id",)
    _order = "level desc, id"

    profile_id = fields.Many2one("lbc.profile", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="profile_id.partner_id", store=True, index=True)
    skill_id = fields.Many2one("lbc.skill", required=True, ondelete="cascade")
    name = fields.Char(related="skill_id.name")
    level = fields.Selection(
        [("1", "Beginner"), ("2", "Intermediate"), ("3", "Advanced"), ("4", "Expert")],
        default="2",
        required=True,
    )

    _profile_skill_uniq = models.Constraint("UNIQUE(profile_id, skill_id)", "This skill is already on the profile.")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("profile_id") and vals.get("skill_id"):
                if self.sudo().search_count(
                    [("profile_id", "=", vals["profile_id"]), ("skill_id", "=", vals["skill_id"])], limit=1
                ):
                    raise ValidationError(self.env._("This skill is already on the profile."))
        return super().create(vals_list)
