from odoo import fields, models


class LbcArticleTag(models.Model):
    _name = "lbc.article.tag"
    _description = "Article Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer()

    _name_uniq = models.Constraint("UNIQUE(name)", "This tag already exists.")
