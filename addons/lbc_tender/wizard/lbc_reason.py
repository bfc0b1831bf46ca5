from odoo import fields, models
from odoo.exceptions import UserError


class LbcReason(models.TransientModel):
    _name = "lbc.reason"
    _description = "Give a Reason"

    res_model = fields.Char(required=True)
    res_ids = fields.Json(required=True)
    method = fields.Char(required=True)
    reason = fields.Text(required=True, help="Sent to the other party.")

    def _lbc_reason_actions(self):
        """(model, method) pairs the wizard may call with a reason; each method checks its own rights."""
        return {
            ("lbc.tender", "action_cancel"),
            ("lbc.tender.bid", "action_reject"),
            ("lbc.mission", "action_terminate"),
        }

    def action_confirm(self):
        self.ensure_one()
        if (self.res_model, self.method) not in self._lbc_reason_actions():
            raise UserError(self.env._("This action does not take a reason."))
        records = self.env[self.res_model].browse(self.res_ids)
        getattr(records, self.method)(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
