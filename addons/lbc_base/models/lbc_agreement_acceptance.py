from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.http import request


class LbcAgreementAcceptance(models.Model):
    _name = "lbc.agreement.acceptance"
    _description = "Agreement Acceptance"
    _order = "accepted_at desc, id desc"
    _rec_name = "agreement_id"

    agreement_id = fields.Many2one("lbc.agreement", required=True, ondelete="restrict", index=True, readonly=True)
    kind = fields.Selection(related="agreement_id.kind", store=True)
    version = fields.Integer(related="agreement_id.version", store=True)
    user_id = fields.Many2one("res.users", string="Accepted By", required=True, ondelete="restrict", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Member", required=True, ondelete="restrict", index=True, readonly=True
    )
    member_company_id = fields.Many2one("res.partner", ondelete="restrict", index=True, readonly=True)
    accepted_at = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    ip_address = fields.Char(string="IP Address", readonly=True)
    # the declarations made with the acceptance (the terms of use say that accepting them makes them)
    declared_capacity = fields.Boolean(
        string="Of Age and Able to Contract",
        readonly=True,
        help="The member declared it is of age and able to contract.",
    )
    declared_professional = fields.Boolean(
        string="Professional Use Only",
        readonly=True,
        help="The member declared it uses LBC for professional purposes only.",
    )
    declared_representation = fields.Boolean(
        string="Right to Represent the Company",
        readonly=True,
        help="The member accepting a contract for its company declared it has the right to represent it.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # rows are written by lbc.agreement.action_accept only, for the user accepting
            raise AccessError(self.env._("The acceptance log is written only when an agreement is accepted."))
        acceptances = super().create(vals_list)
        # record rules of other addons read whether the current version is accepted: recompute them
        self.env.registry.clear_cache()
        return acceptances

    @api.model
    def _request_ip(self):
        return request.httprequest.remote_addr if request else False

    def write(self, vals):
        if not self.env.su:
            raise UserError(self.env._("The acceptance log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_except_log(self):
        if not self.env.su:
            raise UserError(self.env._("The acceptance log cannot be deleted."))
