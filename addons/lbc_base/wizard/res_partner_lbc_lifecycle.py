from odoo import fields, models
from odoo.exceptions import UserError


class ResPartnerLbcLifecycle(models.TransientModel):
    _name = "res.partner.lbc.lifecycle"
    _description = "Member Account Action"

    partner_ids = fields.Many2many("res.partner", string="Members", required=True)
    action = fields.Selection(
        [
            ("suspend_notice", "Suspend with formal notice (8 days to cure the breach)"),
            ("suspend_now", "Suspend immediately (manifest violation)"),
            ("terminate", "Terminate the account"),
            ("death", "Close on proof of death"),
        ],
        required=True,
        default="suspend_notice",
    )
    reason = fields.Text(help="Sent to the member (suspension, termination); kept in the chatter.")
    death_date = fields.Date(string="Date of Death")

    def action_confirm(self):
        self.ensure_one()
        partners = self.partner_ids
        if self.action in ("suspend_notice", "suspend_now"):
            partners.action_lbc_suspend_member(reason=self.reason, notice=self.action == "suspend_notice")
        elif self.action == "terminate":
            partners.action_lbc_terminate_member(reason=self.reason)
        elif self.action == "death":
            partners.action_lbc_record_death(death_date=self.death_date, note=self.reason)
        else:
            raise UserError(self.env._("Unknown action."))
        return {"type": "ir.actions.act_window_close"}
