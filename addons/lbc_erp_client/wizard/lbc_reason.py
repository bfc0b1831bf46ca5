from odoo import models


class LbcReason(models.TransientModel):
    _inherit = "lbc.reason"

    def _lbc_reason_actions(self):
        return super()._lbc_reason_actions() | {("lbc.activity.report", "action_lbc_credit")}
