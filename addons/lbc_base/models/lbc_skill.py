from odoo import fields, models


class LbcSkill(models.Model):
    _name = "lbc.skill"
    _description = "Skill"
    _order = "category_id, name"

    name = fields.Char(required=True, translate=True, index="trigram")
    category_id = fields.Many2one("lbc.skill.category", required=True, ondelete="restrict")
    active = fields.Boolean(default=True)

    _name_category_uniq = models.Constraint("UNIQUE(name, category_id)", "This skill already exists in this category.")
