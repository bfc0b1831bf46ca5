from odoo import fields, models


class LbcSkillCategory(models.Model):
    _name = "lbc.skill.category"
    _description = "Skill Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    skill_ids = fields.One2many("lbc.skill", "category_id", string="Skills")

    _name_uniq = models.Constraint("UNIQUE(name)", "A skill category with this name already exists.")
