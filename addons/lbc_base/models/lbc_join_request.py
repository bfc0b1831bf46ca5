from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class LbcJoinRequest(models.Model):
    _name = "lbc.join.request"
    _description = "Request to Join a Company"
    _inherit = ["lbc.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"

    _lbc_workflow_fields = ("state", "refusal_reason", "decided_by_id", "decision_date")
    _lbc_parent_fields = ("member_id", "member_company_id")

    member_id = fields.Many2one("res.partner", required=True, readonly=True, ondelete="cascade", index=True)
    member_company_id = fields.Many2one("res.partner", required=True, readonly=True, ondelete="cascade", index=True)
    state = fields.Selection(
        [("pending", "Pending"), ("accepted", "Accepted"), ("refused", "Refused"), ("cancelled", "Cancelled")],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
    )
    refusal_reason = fields.Text(readonly=True)
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decision_date = fields.Datetime(readonly=True)

    _one_pending = models.UniqueIndex(
        "(member_id, member_company_id) WHERE state = 'pending'",
        "You already asked to join this company.",
    )

    @api.depends("member_id", "member_company_id")
    def _compute_display_name(self):
        for request in self:
            request.display_name = self.env._(
                "%(member)s → %(company)s", member=request.member_id.name, company=request.member_company_id.name
            )

    @api.model
    def _lbc_create_request(self, member, company):
        """Create `member`'s pending request to join `company` (callers checked that member is the user)."""
        if member.parent_id == company:
            raise UserError(self.env._("You already belong to %(company)s.", company=company.name))
        if self.sudo().search_count(
            [("member_id", "=", member.id), ("member_company_id", "=", company.id), ("state", "=", "pending")]
        ):
            raise UserError(self.env._("You already asked to join %(company)s.", company=company.name))
        # sudo on a cleaned context: members cannot create requests directly, and a request always starts pending
        request = self._lbc_workflow_create([{"member_id": member.id, "member_company_id": company.id}])
        admins = company.sudo().lbc_admin_partner_ids
        request.message_post(
            body=self.env._(
                "%(member)s asks to join %(company)s. An administrator of the company accepts or refuses.",
                member=member.name,
                company=company.name,
            ),
            partner_ids=admins.ids,
            subtype_xmlid="mail.mt_comment",
        )
        return request

    def _check_decider(self):
        """Only an administrator of the company (or LBC) answers; never the member who asked."""
        is_operator = self.env["res.partner"]._lbc_is_operator()
        for request in self:
            if request.state != "pending":
                raise UserError(self.env._("This request was already answered."))
            if not is_operator and request.member_id == self.env.user.partner_id:
                raise AccessError(self.env._("A member cannot answer its own request to join a company."))
            request.member_company_id._lbc_check_company_admin()

    def action_accept(self):
        self._check_decider()
        for request in self:
            request.member_id._lbc_join_company(request.member_company_id)
        self._lbc_workflow_write(
            {"state": "accepted", "decided_by_id": self.env.user.id, "decision_date": fields.Datetime.now()}
        )
        for request in self:
            request.sudo().message_post(
                body=self.env._("Welcome to %(company)s.", company=request.member_company_id.name),
                partner_ids=request.member_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_refuse(self, reason=None):
        if not reason or not reason.strip():
            raise UserError(self.env._("Please give a reason: it is sent to the member."))
        self._check_decider()
        self._lbc_workflow_write(
            {
                "state": "refused",
                "refusal_reason": reason.strip(),
                "decided_by_id": self.env.user.id,
                "decision_date": fields.Datetime.now(),
            }
        )
        for request in self:
            request.sudo().message_post(
                body=self.env._(
                    "%(company)s did not accept your request: %(reason)s",
                    company=request.member_company_id.name,
                    reason=reason.strip(),
                ),
                partner_ids=request.member_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_cancel(self):
        for request in self:
            if request.member_id != self.env.user.partner_id and not self.env["res.partner"]._lbc_is_operator():
                raise AccessError(self.env._("Only the member who asked can cancel the request."))
            if request.state != "pending":
                raise UserError(self.env._("This request was already answered."))
        self._lbc_workflow_write({"state": "cancelled"})
        return True
