from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    lbc_mission_id = fields.Many2one("lbc.mission", string="Mission", readonly=True, copy=False, index=True)

    def _action_confirm(self):
        res = super()._action_confirm()
        # the client signed the order of a mission (portal signature or LBC): the mission starts
        self.lbc_mission_id.sudo()._lbc_on_client_signed()
        return res
