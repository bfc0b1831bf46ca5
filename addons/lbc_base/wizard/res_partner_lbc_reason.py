from odoo import fields, models


class ResPartnerLbcReason(models.TransientModel):
    _name = "res.partner.lbc.reason"
    _description = "Reject or Suspend a Member Company"

    partner_ids = fields.Many2many("res.partner", string="Companies", required=True)
    action = fields.Selection([("reject", "Reject"), ("suspend", "Suspend")], required=True, default="reject")
    reason = fields.Text(required=True, help="Sent to the company's administrators.")

    def action_confirm(self):
        self.ensure_one()
        if self.action == "reject":
            self.partner_ids.action_lbc_reject(reason=self.reason)
        else:
            self.partner_ids.action_lbc_suspend(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
