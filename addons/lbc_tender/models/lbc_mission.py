from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Code du travail L.8222-1 and D.8222-1: above 5,000 EUR excl. tax, the client who does not check its provider's
# vigilance documents at signature and every six months is jointly liable for its undeclared work. LBC checks
# at the order and every six months whatever the amount (its terms): the threshold is information, not the gate.
VIGILANCE_THRESHOLD_EUR = 5000
MISSION_STATES = [("draft", "Draft"), ("active", "Active"), ("done", "Done"), ("terminated", "Terminated")]


def add_working_days(start, days):
    """The date of the `days`-th working day (Monday to Friday) counting `start` as the first."""
    current = start
    while current.weekday() >= 5:
        current += timedelta(days=1)
    counted = 1
    while counted < days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            counted += 1
    return current


class LbcMission(models.Model):
    _name = "lbc.mission"
    _description = "Mission"
    _inherit = ["lbc.workflow.mixin", "portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _lbc_workflow_fields = (
        "state",
        "name",
        "termination_reason",
        "sale_order_id",
        "purchase_order_id",
        "daily_rate",
        "duration_days",
    )
    _lbc_parent_fields = ("bid_id", "client_id", "provider_id", "consultant_id", "tender_id")

    name = fields.Char(string="Reference", readonly=True, copy=False, default=lambda self: self.env._("New"))
    tender_id = fields.Many2one(related="bid_id.tender_id", store=True, index=True)
    bid_id = fields.Many2one("lbc.tender.bid", readonly=True, index=True, ondelete="restrict")
    client_id = fields.Many2one(
        "res.partner", required=True, readonly=True, index=True, ondelete="restrict", tracking=True
    )
    provider_id = fields.Many2one(
        "res.partner", required=True, readonly=True, index=True, ondelete="restrict", tracking=True
    )
    consultant_id = fields.Many2one(
        "res.partner", required=True, readonly=True, index=True, ondelete="restrict", tracking=True
    )
    date_start = fields.Date(string="Start Date", required=True, tracking=True)
    date_end = fields.Date(string="End Date", required=True, tracking=True)
    currency_id = fields.Many2one("res.currency", required=True, default=lambda self: self.env.company.currency_id)
    daily_rate = fields.Monetary(required=True, readonly=True, tracking=True)
    duration_days = fields.Integer(string="Ordered Days", readonly=True)
    fee_mode = fields.Selection(
        [("per_day", "Fixed amount per invoiced day"), ("percent", "Percentage of the invoiced amount")],
        required=True,
        tracking=True,
    )
    fee_value = fields.Float(digits=(16, 2), required=True, tracking=True)
    sale_order_id = fields.Many2one("sale.order", string="Client Order", readonly=True, copy=False)
    purchase_order_id = fields.Many2one("purchase.order", string="Provider Order", readonly=True, copy=False)
    state = fields.Selection(MISSION_STATES, default="draft", required=True, readonly=True, tracking=True, index=True)
    termination_reason = fields.Text(readonly=True, copy=False)
    lbc_order_amount = fields.Monetary(
        string="Ordered Amount (excl. tax)",
        compute="_compute_lbc_vigilance_threshold",
        help="Daily rate x ordered days.",
    )
    lbc_above_vigilance_threshold = fields.Boolean(
        string="Above the L.8222-1 Threshold",
        compute="_compute_lbc_vigilance_threshold",
        help="The ordered amount reaches 5,000 EUR excl. tax (Code du travail L.8222-1, D.8222-1).",
    )
    lbc_vigilance_notice = fields.Char(string="Legal Vigilance", compute="_compute_lbc_vigilance_threshold")

    _dates_order = models.Constraint("CHECK(date_end >= date_start)", "A mission cannot end before it starts.")
    _rate_positive = models.Constraint("CHECK(daily_rate > 0)", "The daily rate must be greater than zero.")
    _fee_positive = models.Constraint("CHECK(fee_value >= 0)", "The management fee cannot be negative.")
    _one_mission_per_bid = models.UniqueIndex("(bid_id) WHERE bid_id IS NOT NULL", "This bid is already contracted.")

    @api.depends("daily_rate", "duration_days", "currency_id")
    def _compute_lbc_vigilance_threshold(self):
        eur = self.env.ref("base.EUR")
        for mission in self:
            amount = (mission.daily_rate or 0.0) * (mission.duration_days or 0)
            mission.lbc_order_amount = amount
            in_eur = amount
            if mission.currency_id and mission.currency_id != eur:
                in_eur = mission.currency_id._convert(
                    amount, eur, self.env.company, mission.date_start or fields.Date.context_today(mission)
                )
            above = in_eur >= VIGILANCE_THRESHOLD_EUR
            mission.lbc_above_vigilance_threshold = above
            if above:
                mission.lbc_vigilance_notice = self.env._(
                    "Above 5,000 EUR excl. tax: the client is jointly liable (Code du travail L.8222-1) unless the "
                    "provider's vigilance documents are checked at signature and every six months; LBC checks "
                    "them at the order and every six months."
                )
            else:
                mission.lbc_vigilance_notice = self.env._(
                    "Under 5,000 EUR excl. tax: the client's joint liability of L.8222-1 does not apply; LBC "
                    "checks the provider's vigilance documents at the order and every six months all the same."
                )

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for mission in self:
            mission.access_url = f"/my/missions/{mission.id}"
        return res

    def _set_state(self, state, **vals):
        self._lbc_workflow_write({"state": state, **vals})

    # --- contracting ----------------------------------------------------------
    @api.model
    def _lbc_create_from_bid(self, bid):
        tender = bid.tender_id
        provider = bid.provider_id
        date_start = max(tender.date_start, bid.available_from)
        date_end = add_working_days(date_start, tender.duration_days)
        fee_mode, fee_value = provider._lbc_fee_terms()
        mission = self._lbc_workflow_create(
            {
                "bid_id": bid.id,
                "client_id": tender.client_id.id,
                "provider_id": provider.id,
                "consultant_id": bid.consultant_id.id,
                "date_start": date_start,
                "date_end": date_end,
                "currency_id": tender.currency_id.id,
                "daily_rate": bid.daily_rate,
                "duration_days": tender.duration_days,
                "fee_mode": fee_mode,
                "fee_value": fee_value,
            }
        )
        mission.name = self.env["ir.sequence"].next_by_code("lbc.mission") or "/"
        mission.sale_order_id = mission._lbc_create_sale_order()
        mission.purchase_order_id = mission._lbc_create_purchase_order()
        self.env["lbc.compliance.check"]._lbc_start_engagement(
            provider, mission, mission.client_id, date_start, date_end
        )
        mission.message_subscribe(partner_ids=(mission.client_id | provider).lbc_admin_partner_ids.ids)
        mission.message_post_with_source("lbc_tender.mail_template_mission_contracted", subtype_xmlid="mail.mt_comment")
        return mission

    def _lbc_line_name(self):
        self.ensure_one()
        return self.env._(
            "%(mission)s – %(tender)s: %(consultant)s, from %(start)s to %(end)s",
            mission=self.name,
            tender=self.tender_id.name or "",
            consultant=self.consultant_id.name,
            start=self.date_start,
            end=self.date_end,
        )

    def _lbc_product(self):
        # the xml id is resolved from Odoo's cache: `env.ref` checks the record exists (one query a call), and the
        # invoicing run asks for the order lines of each of its reports
        return self.env["product.product"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id("lbc_tender.product_lbc_service_day", raise_if_not_found=True)
        )

    def _lbc_sale_line(self):
        """The line of the client's order that the mission's days are delivered and invoiced on."""
        self.ensure_one()
        return self._lbc_order_line(self.sale_order_id)

    def _lbc_purchase_line(self):
        """The line of LBC's order to the provider that the mission's days are received and billed on."""
        self.ensure_one()
        return self._lbc_order_line(self.purchase_order_id)

    def _lbc_order_line(self, order):
        product = self._lbc_product()
        lines = order.order_line
        # the line is read with the lines of all the orders being read (its prefetch): asking many missions for
        # their lines one by one then reads each field of the lines once, not once per line
        return lines.filtered(lambda line: line.product_id == product)[:1].with_prefetch(lines._prefetch_ids)

    def _lbc_create_sale_order(self):
        """The client's orders of these missions (LBC -> client, to sign), one each, in the missions' order."""
        product = self._lbc_product()
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": mission.client_id.id,
                    "lbc_mission_id": mission.id,
                    "client_order_ref": mission.tender_id.reference,
                    # no expiry: the client may sign after the start date (the mission then starts late)
                    "validity_date": False,
                    "order_line": [
                        fields.Command.create(
                            {
                                "product_id": product.id,
                                "name": mission._lbc_line_name(),
                                "product_uom_qty": mission.duration_days,
                                "price_unit": mission.daily_rate,
                            }
                        )
                    ],
                }
                for mission in self
            ]
        )
        orders.write({"require_signature": True, "require_payment": False})
        return orders

    def _lbc_create_purchase_order(self):
        """LBC's orders to the providers of these missions, one each, in the missions' order."""
        product = self._lbc_product()
        return self.env["purchase.order"].create(
            [
                {
                    "partner_id": mission.provider_id.id,
                    "lbc_mission_id": mission.id,
                    "partner_ref": mission.bid_id.display_name,
                    "order_line": [
                        fields.Command.create(
                            {
                                "product_id": product.id,
                                "name": mission._lbc_line_name(),
                                "product_qty": mission.duration_days,
                                "price_unit": mission.daily_rate,
                                "date_planned": fields.Datetime.to_datetime(mission.date_start),
                            }
                        )
                    ],
                }
                for mission in self
            ]
        )

    # --- life -----------------------------------------------------------------
    def _lbc_check_operator(self):
        if not self.env["res.partner"]._lbc_is_operator():
            raise AccessError(self.env._("Only LBC can do this."))

    def _lbc_on_client_signed(self):
        """The client signed (confirmed) its order: LBC's order to the provider is confirmed, the mission runs."""
        for mission in self.filtered(lambda m: m.state == "draft"):
            purchase = mission.sudo().purchase_order_id
            if purchase.state in ("draft", "sent"):
                purchase.button_confirm()
            mission._set_state("active")
            mission.sudo().message_post_with_source(
                "lbc_tender.mail_template_mission_active", subtype_xmlid="mail.mt_comment"
            )

    def action_activate(self):
        """LBC starts the mission once the client signed its order (e.g. signed on paper)."""
        self._lbc_check_operator()
        for mission in self:
            if mission.state != "draft":
                raise UserError(self.env._("Only a draft mission can start."))
            if mission.sale_order_id.state != "sale":
                mission.sale_order_id.sudo().action_confirm()
        self._lbc_on_client_signed()
        return True

    def action_done(self):
        self._lbc_check_operator()
        if any(mission.state != "active" for mission in self):
            raise UserError(self.env._("Only an active mission can be closed as done."))
        self._set_state("done")
        for mission in self:
            self.env["lbc.compliance.check"]._lbc_end_engagement(mission, fields.Date.context_today(self))
        return True

    def action_terminate(self, reason=None):
        self._lbc_check_operator()
        if not reason or not reason.strip():
            raise UserError(self.env._("Please give the reason of the termination: it is sent to both parties."))
        if any(mission.state not in ("draft", "active") for mission in self):
            raise UserError(self.env._("Only a draft or active mission can be terminated."))
        self._set_state("terminated", termination_reason=reason.strip())
        for mission in self:
            self.env["lbc.compliance.check"]._lbc_end_engagement(mission, fields.Date.context_today(self))
            mission.sudo().message_post(
                body=self.env._("Mission terminated: %(reason)s", reason=reason.strip()),
                subtype_xmlid="mail.mt_comment",
                partner_ids=(mission.client_id | mission.provider_id).lbc_admin_partner_ids.ids,
            )
        return True

    def action_view_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.sale_order_id.id,
            "view_mode": "form",
        }

    def action_view_purchase_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "purchase.order",
            "res_id": self.purchase_order_id.id,
            "view_mode": "form",
        }

    def action_open_reason_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reason"),
            "res_model": "lbc.reason",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": "lbc.mission",
                "default_res_ids": self.ids,
                "default_method": "action_terminate",
            },
        }
