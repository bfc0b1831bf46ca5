from odoo import fields, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    lbc_mission_id = fields.Many2one("lbc.mission", string="Mission", readonly=True, copy=False, index=True)
