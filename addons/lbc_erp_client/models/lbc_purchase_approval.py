from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

APPROVAL_STATES = [
    ("not_required", "Not Required"),
    ("to_approve", "Waiting for the Purchasing Director"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]


class LbcPurchaseApprovalMixin(models.AbstractModel):
    """A client's purchasing director approves the commitments above the company's threshold."""

    _name = "lbc.purchase.approval.mixin"
    _description = "Purchasing Director Approval"

    purchase_approval_state = fields.Selection(
        APPROVAL_STATES, default="not_required", required=True, readonly=True, copy=False, tracking=True
    )
    purchase_approval_reason = fields.Text(string="Refusal Reason", readonly=True, copy=False)
    purchase_approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    def _lbc_approval_client(self):
        """The client company whose purchasing directors approve (the models using the mixin have client_id)."""
        return self.client_id

    def _lbc_approval_amount(self):
        """The amount compared with the threshold; each model using the mixin says which."""
        return 0.0

    def _lbc_needs_purchase_approval(self):
        self.ensure_one()
        threshold = self._lbc_approval_client().sudo().lbc_approval_threshold
        return bool(threshold) and self._lbc_approval_amount() > threshold

    def _lbc_directors(self):
        self.ensure_one()
        client = self._lbc_approval_client().sudo()
        members = client.child_ids.filtered(lambda p: p.lbc_profile_type == "purchasing_director")
        return members.user_ids.filtered(lambda u: u.active)

    def _lbc_request_purchase_approval(self):
        for record in self:
            directors = record._lbc_directors()
            if not directors:
                raise UserError(
                    self.env._(
                        "%(amount)s exceeds the approval threshold of %(client)s, but the company has no purchasing "
                        "director on the platform: its administrator must invite one.",
                        amount=record._lbc_approval_amount(),
                        client=record._lbc_approval_client().sudo().name,
                    )
                )
            record.sudo().write({"purchase_approval_state": "to_approve", "purchase_approval_reason": False})
            for director in directors:
                record.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=director.id,
                    summary=self.env._("Purchasing approval"),
                    note=self.env._(
                        "%(name)s commits %(amount)s, above your company's threshold: approve or refuse it.",
                        name=record.display_name,
                        amount=record._lbc_approval_amount(),
                    ),
                )
            record.sudo().message_post(
                body=self.env._(
                    "Above the approval threshold: sent to the purchasing director(s) %(names)s.",
                    names=", ".join(directors.mapped("name")),
                ),
                partner_ids=directors.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )

    def _lbc_check_director(self):
        if self.env["res.partner"]._lbc_is_operator():
            return
        for record in self:
            if self.env.user not in record._lbc_directors():
                raise AccessError(
                    self.env._(
                        "Only a purchasing director of %(client)s can approve or refuse this.",
                        client=record._lbc_approval_client().sudo().name,
                    )
                )
            if record.purchase_approval_state != "to_approve":
                raise UserError(self.env._("Nothing waits for an approval here."))

    def action_purchase_approve(self):
        self._lbc_check_director()
        self.sudo().write({"purchase_approval_state": "approved", "purchase_approved_by_id": self.env.uid})
        for record in self:
            record.sudo().activity_feedback(["mail.mail_activity_data_todo"])
            record.sudo().message_post(
                body=self.env._("Approved by the purchasing director %(name)s.", name=self.env.user.name)
            )
        self._lbc_after_purchase_approval()
        return True

    def _lbc_after_purchase_approval(self):
        """What happens once approved (publish the tender...)."""

    def action_purchase_refuse(self, reason=None):
        if not reason or not reason.strip():
            raise UserError(self.env._("Please give a reason: it is sent to the author."))
        self._lbc_check_director()
        self.sudo().write({"purchase_approval_state": "refused", "purchase_approval_reason": reason.strip()})
        for record in self:
            record.sudo().activity_unlink(["mail.mail_activity_data_todo"])
            record.sudo().message_post(
                body=self.env._("Refused by the purchasing director: %(reason)s", reason=reason.strip()),
                subtype_xmlid="mail.mt_comment",
            )
        return True


class ResPartner(models.Model):
    _inherit = "res.partner"

    lbc_referencing_list_ids = fields.Many2many(
        "lbc.referencing.list",
        "lbc_referencing_list_provider_rel",
        "provider_id",
        "list_id",
        string="In Referencing Lists",
    )

    lbc_approval_threshold = fields.Monetary(
        string="Purchasing Approval Threshold",
        currency_field="lbc_company_currency_id",
        help="Tenders and mission orders above this amount (excl. tax) need a purchasing director's approval. "
        "0: no approval.",
    )
    lbc_company_currency_id = fields.Many2one("res.currency", compute="_compute_lbc_company_currency_id")

    def _compute_lbc_company_currency_id(self):
        for partner in self:
            partner.lbc_company_currency_id = self.env.company.currency_id

    @api.model
    def _lbc_member_editable_fields(self):
        return super()._lbc_member_editable_fields() | {"lbc_approval_threshold"}


class LbcTender(models.Model):
    _name = "lbc.tender"
    _inherit = ["lbc.tender", "lbc.purchase.approval.mixin"]

    def _lbc_approval_amount(self):
        return (self.max_daily_rate or 0) * self.duration_days

    def action_publish(self):
        self._check_publisher()
        self._lbc_check_publishable()
        waiting = self.filtered(lambda t: t.purchase_approval_state != "approved" and t._lbc_needs_purchase_approval())
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
            if order.lbc_mission_id.purchase_approval_state in ("to_approve", "refused"):
                raise UserError(
                    self.env._(
                        "%(order)s needs the approval of a purchasing director of %(client)s before it is signed.",
                        order=order.name,
                        client=order.partner_id.commercial_partner_id.name,
                    )
                )
        return super().action_confirm()
