from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

APPROVAL_STATES = [
    ("not_required", "Not Required"),
    ("to_approve", "Waiting for the Purchasing Approver"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]


class LbcPurchaseApprovalMixin(models.AbstractModel):
    """A client's purchasing approvers approve the commitments above the company's threshold.

    The approvers are the members to whom the company's admin granted the company role
    ``purchase_approver``; the author of a commitment never approves it. The models using this mixin
    also inherit ``lbc.workflow.mixin``: the approval fields below are workflow fields, written only by
    the actions of this mixin."""

    _name = "lbc.purchase.approval.mixin"
    _description = "Purchasing Approval"
    _lbc_workflow_fields = (
        "purchase_approval_state",
        "purchase_approval_reason",
        "purchase_approved_by_id",
        "purchase_requested_by_id",
    )

    purchase_approval_state = fields.Selection(
        APPROVAL_STATES, default="not_required", required=True, readonly=True, copy=False, tracking=True
    )
    purchase_approval_reason = fields.Text(string="Refusal Reason", readonly=True, copy=False)
    purchase_approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    purchase_requested_by_id = fields.Many2one(
        "res.users",
        string="Approval Requested By",
        readonly=True,
        copy=False,
        help="Who committed the amount (published the tender...): never its approver.",
    )

    def _lbc_approval_client(self):
        """The client company whose purchasing approvers approve (the models using the mixin have client_id)."""
        return self.client_id

    def _lbc_approval_amount(self):
        """The amount compared with the threshold; each model using the mixin says which."""
        return 0.0

    def _lbc_approval_authors(self):
        """The users who committed the company here (they never approve it): whoever asked for the approval,
        and whom each model adds (the author of the tender...)."""
        return self.sudo().purchase_requested_by_id

    def _lbc_needs_purchase_approval(self):
        self.ensure_one()
        threshold = self._lbc_approval_client().sudo().lbc_approval_threshold
        return bool(threshold) and self._lbc_approval_amount() > threshold

    def _lbc_purchase_approvers(self):
        """The active users holding the role `purchase_approver` in the client company, except the authors."""
        self.ensure_one()
        client = self._lbc_approval_client().sudo()
        roles = (
            self.env["lbc.company.role"]
            .sudo()
            .search([("member_company_id", "=", client.id), ("role", "=", "purchase_approver"), ("active", "=", True)])
        )
        members = roles.member_id.filtered(lambda p: p.parent_id == client)
        return members.user_ids.filtered(lambda u: u.active) - self._lbc_approval_authors()

    def _lbc_request_purchase_approval(self):
        """Internal: ask the client's purchasing approvers (called by the action that commits, once it has
        checked its actor)."""
        for record in self:
            # whoever commits is not its approver
            approvers = record._lbc_purchase_approvers() - self.env.user
            if not approvers and record.purchase_approval_state == "refused":
                raise UserError(
                    self.env._(
                        "%(name)s was refused by a purchasing approver of %(client)s: it goes back to an approver, "
                        "but no other member of the company holds the purchasing approver role: its administrator "
                        "must grant it.",
                        name=record.display_name,
                        client=record._lbc_approval_client().sudo().name,
                    )
                )
            if not approvers:
                raise UserError(
                    self.env._(
                        "%(amount)s exceeds the approval threshold of %(client)s, but no other member of the company "
                        "holds the purchasing approver role: its administrator must grant it.",
                        amount=record._lbc_approval_amount(),
                        client=record._lbc_approval_client().sudo().name,
                    )
                )
            record._lbc_workflow_write(
                {
                    "purchase_approval_state": "to_approve",
                    "purchase_approval_reason": False,
                    "purchase_requested_by_id": self.env.uid,
                }
            )
            for approver in approvers:
                record.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=approver.id,
                    summary=self.env._("Purchasing approval"),
                    note=self.env._(
                        "%(name)s commits %(amount)s, above your company's threshold: approve or refuse it.",
                        name=record.display_name,
                        amount=record._lbc_approval_amount(),
                    ),
                )
            record.sudo().message_post(
                body=self.env._(
                    "Above the approval threshold: sent to the purchasing approver(s) %(names)s.",
                    names=", ".join(approvers.mapped("name")),
                ),
                partner_ids=approvers.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )

    def _lbc_check_purchase_approver(self):
        """A purchasing approver of the client (or LBC), who is not the author of the commitment, on a
        commitment waiting for the approval."""
        if self.env["res.partner"]._lbc_is_operator():
            for record in self:
                if record.purchase_approval_state != "to_approve":
                    raise UserError(self.env._("Nothing waits for an approval here."))
            return
        user = self.env.user
        for record in self:
            client = record._lbc_approval_client()
            if not user._lbc_has_role("purchase_approver", client):
                raise AccessError(
                    self.env._(
                        "Only a purchasing approver of %(client)s can approve or refuse this.",
                        client=client.sudo().name,
                    )
                )
            if user in record._lbc_approval_authors():
                raise AccessError(
                    self.env._(
                        "You committed %(name)s yourself: another purchasing approver of %(client)s approves it.",
                        name=record.display_name,
                        client=client.sudo().name,
                    )
                )
            if record.purchase_approval_state != "to_approve":
                raise UserError(self.env._("Nothing waits for an approval here."))

    def _lbc_purchase_can_decide(self):
        """Whether the current user may approve or refuse this commitment now: the check of the actions,
        answered without raising (the portal shows the buttons only then)."""
        self.ensure_one()
        try:
            self._lbc_check_purchase_approver()
        except (AccessError, UserError):
            return False
        return True

    def _lbc_purchase_approval_info(self):
        """What the approvals page shows of each commitment, read by the member of the client (the caller read
        the records with its own rights): {id: {amount, state_label, requested_by, approved_by, can_decide}}.
        The names of the members who asked and approved are read in sudo: members of the member's own company."""
        info = {}
        labels = dict(self._fields["purchase_approval_state"]._description_selection(self.env))
        for record in self:
            record_sudo = record.sudo()
            info[record.id] = {
                "amount": record._lbc_approval_amount(),
                "state_label": labels.get(record.purchase_approval_state, ""),
                "requested_by": record_sudo.purchase_requested_by_id.name or "",
                "approved_by": record_sudo.purchase_approved_by_id.name or "",
                "can_decide": record._lbc_purchase_can_decide(),
            }
        return info

    @api.model
    def _lbc_purchase_waiting_count(self):
        """The commitments of the user's company waiting for an approval the user may give (the counter of the
        portal home), as the user."""
        company = self.env.user.partner_id.commercial_partner_id
        if not company.lbc_is_client or not self.env.user._lbc_has_role("purchase_approver", company):
            return 0
        waiting = self.search([("client_id", "=", company.id), ("purchase_approval_state", "=", "to_approve")])
        return len(waiting.filtered(lambda r: r._lbc_purchase_can_decide()))

    def action_purchase_approve(self):
        self._lbc_check_purchase_approver()
        self._lbc_workflow_write({"purchase_approval_state": "approved", "purchase_approved_by_id": self.env.uid})
        for record in self:
            record.sudo().activity_feedback(["mail.mail_activity_data_todo"])
            record.sudo().message_post(
                body=self.env._("Approved by the purchasing approver %(name)s.", name=self.env.user.name)
            )
        self._lbc_after_purchase_approval()
        return True

    def _lbc_after_purchase_approval(self):
        """What happens once approved (publish the tender...)."""

    def action_purchase_refuse(self, reason=None):
        if not reason or not reason.strip():
            raise UserError(self.env._("Please give a reason: it is sent to the author."))
        self._lbc_check_purchase_approver()
        self._lbc_workflow_write({"purchase_approval_state": "refused", "purchase_approval_reason": reason.strip()})
        for record in self:
            record.sudo().activity_unlink(["mail.mail_activity_data_todo"])
            record.sudo().message_post(
                body=self.env._("Refused by the purchasing approver: %(reason)s", reason=reason.strip()),
                subtype_xmlid="mail.mt_comment",
            )
        return True


class LbcTender(models.Model):
    _name = "lbc.tender"
    _inherit = ["lbc.tender", "lbc.purchase.approval.mixin"]

    def _lbc_approval_amount(self):
        return (self.max_daily_rate or 0) * self.duration_days

    def _lbc_approval_authors(self):
        return super()._lbc_approval_authors() | self.sudo().author_id

    def _lbc_workflow_locked_fields(self):
        """The amounts sent for approval, or approved, are the ones committed: they no longer change."""
        locked = super()._lbc_workflow_locked_fields()
        if any(tender.purchase_approval_state in ("to_approve", "approved") for tender in self):
            locked |= {"max_daily_rate", "duration_days", "currency_id"}
        return locked

    def action_publish(self):
        self._check_publisher()
        self._lbc_check_publishable()
        for tender in self:
            # sent to the approvers already: lowering the threshold meanwhile does not withdraw it from them
            if tender.purchase_approval_state == "to_approve":
                raise UserError(
                    self.env._(
                        "%(tender)s waits for a purchasing approver of %(client)s: it is published once approved.",
                        tender=tender.name,
                        client=tender.client_id.sudo().name,
                    )
                )
        # a refused tender goes back to the approvers, whatever the threshold now
        waiting = self.filtered(
            lambda t: (
                t.purchase_approval_state == "refused"
                or (t.purchase_approval_state != "approved" and t._lbc_needs_purchase_approval())
            )
        )
        waiting._lbc_request_purchase_approval()
        (self - waiting)._lbc_do_publish()
        return True

    def _lbc_after_purchase_approval(self):
        self._lbc_check_publishable()
        self._lbc_do_publish()


class LbcMission(models.Model):
    _name = "lbc.mission"
    _inherit = ["lbc.mission", "lbc.purchase.approval.mixin"]

    def _lbc_approval_amount(self):
        return self.sale_order_id.amount_untaxed

    def _lbc_approval_authors(self):
        # the member who selected the bid committed the company too
        return super()._lbc_approval_authors() | self.sudo().tender_id.author_id | self.sudo().bid_id.selected_by_id

    @api.model
    def _lbc_create_from_bid(self, bid):
        mission = super()._lbc_create_from_bid(bid)
        if mission._lbc_needs_purchase_approval():
            mission._lbc_request_purchase_approval()
        return mission


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_confirm(self):
        # checked before Odoo writes the confirmation, so a refusal changes nothing
        for order in self:
            if order.lbc_mission_id.purchase_approval_state == "refused":
                raise UserError(
                    self.env._(
                        "%(order)s was refused by a purchasing approver of %(client)s: it cannot be signed.",
                        order=order.name,
                        client=order.partner_id.commercial_partner_id.name,
                    )
                )
            if order.lbc_mission_id.purchase_approval_state == "to_approve":
                raise UserError(
                    self.env._(
                        "%(order)s needs the approval of a purchasing director of %(client)s before it is signed.",
                        order=order.name,
                        client=order.partner_id.commercial_partner_id.name,
                    )
                )
        return super().action_confirm()
