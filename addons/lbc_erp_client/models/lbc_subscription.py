import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.lbc_base.models.lbc_workflow_mixin import lbc_clean
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)

PERIODS = {"monthly": relativedelta(months=1), "yearly": relativedelta(years=1)}
RENEWAL_BATCH = 200


class LbcAgreement(models.Model):
    _inherit = "lbc.agreement"

    kind = fields.Selection(
        selection_add=[("subscription", "Subscription Terms")], ondelete={"subscription": "cascade"}
    )


class LbcSubscriptionFeature(models.Model):
    _name = "lbc.subscription.feature"
    _description = "Subscription Feature"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Checked by the code: partner._lbc_has_feature(code).")
    description = fields.Text(translate=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "A feature code must be unique.")


class LbcSubscriptionPlan(models.Model):
    _name = "lbc.subscription.plan"
    _description = "Subscription Plan"
    _inherit = ["mail.thread"]
    _order = "sequence, price"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    price = fields.Monetary(required=True, tracking=True, help="Price of one term, taxes excluded.")
    currency_id = fields.Many2one("res.currency", required=True, default=lambda self: self.env.company.currency_id)
    period = fields.Selection(
        [("monthly", "Monthly"), ("yearly", "Yearly")], required=True, default="monthly", tracking=True
    )
    feature_ids = fields.Many2many("lbc.subscription.feature", string="Features")
    product_id = fields.Many2one(
        "product.product",
        string="Invoiced Product",
        readonly=True,
        copy=False,
        help="Created with the plan; the product of the plan's invoice lines.",
    )

    _price_positive = models.Constraint("CHECK(price >= 0)", "A plan cannot have a negative price.")

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        for plan in plans.filtered(lambda p: not p.product_id):
            plan.product_id = (
                self.env["product.product"]
                .sudo()
                .create(
                    {
                        "name": self.env._("LBC subscription: %(plan)s", plan=plan.name),
                        "type": "service",
                        "list_price": plan.price,
                        "sale_ok": True,
                        "purchase_ok": False,
                    }
                )
            )
            # the taxes of the companies' charts, as LBC's other products
            self.env["product.template"]._lbc_set_company_taxes(templates=plan.product_id.product_tmpl_id)
        return plans

    def _lbc_subscriber(self):
        """The partner that subscribes: the member's company (administrators only), or the member itself."""
        user = self.env.user
        if user._is_public():
            raise AccessError(self.env._("Please sign in to subscribe."))
        member = user.partner_id
        company = member.parent_id
        if company:
            if not (user._lbc_has_role("admin", company) or self.env["res.partner"]._lbc_is_operator()):
                raise AccessError(
                    self.env._("Only an administrator of %(company)s can subscribe for it.", company=company.name)
                )
            return company
        return member

    def action_subscribe(self, accept_terms=False):
        """The current member subscribes its company (or itself, without a company) to the plan: it accepts the
        subscription terms and gets the first term's invoice. Returns the subscription id."""
        self.ensure_one()
        if not self.sudo().active:
            raise UserError(self.env._("The plan %(plan)s is no longer offered.", plan=self.name))
        subscriber = self._lbc_subscriber()
        Subscription = self.env["lbc.subscription"].sudo()
        if Subscription.search_count([("partner_id", "=", subscriber.id), ("state", "=", "active")], limit=1):
            raise UserError(
                self.env._("%(name)s already has a running subscription: change it instead.", name=subscriber.name)
            )
        terms = self.env["lbc.agreement"]._lbc_current("subscription")
        if not terms:
            raise UserError(self.env._("The subscription terms are not published yet: please try again later."))
        if not accept_terms:
            raise UserError(self.env._("Please accept the subscription terms (%(terms)s).", terms=terms.name))
        if subscriber.is_company:
            acceptance = self.env["lbc.agreement.acceptance"].sudo().browse(terms.action_accept())
        else:
            # a member without a company accepts the terms for itself
            Acceptance = lbc_clean(self.env["lbc.agreement.acceptance"].sudo())
            acceptance = Acceptance.create(
                {
                    "agreement_id": terms.id,
                    "user_id": self.env.uid,
                    "partner_id": subscriber.id,
                    "ip_address": Acceptance._request_ip(),
                }
            )
        today = fields.Date.context_today(self)
        # created (and invoiced) on a clean context: no default_* key of the caller reaches them
        subscription = Subscription._lbc_workflow_create(
            [
                {
                    "partner_id": subscriber.id,
                    "plan_id": self.id,
                    "user_id": self.env.uid,
                    "acceptance_id": acceptance.id,
                    "date_start": today,
                    "term_start": today,
                    "term_end": today + PERIODS[self.period],
                }
            ]
        )
        subscription._lbc_invoice_term()
        subscription.message_post(body=self.env._("Subscribed by %(user)s.", user=self.env.user.name))
        return subscription.id


class LbcSubscription(models.Model):
    _name = "lbc.subscription"
    _description = "Subscription"
    _inherit = ["lbc.workflow.mixin", "mail.thread"]
    _order = "date_start desc, id desc"
    # written only by subscribing, cancelling and the renewal run
    _lbc_workflow_fields = (
        "state",
        "plan_id",
        "user_id",
        "acceptance_id",
        "date_start",
        "term_start",
        "term_end",
        "cancel_date",
        "invoice_ids",
    )
    _lbc_parent_fields = ("partner_id",)

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Subscriber", required=True, readonly=True, index=True, ondelete="restrict"
    )
    plan_id = fields.Many2one("lbc.subscription.plan", required=True, readonly=True, ondelete="restrict", tracking=True)
    user_id = fields.Many2one("res.users", string="Subscribed By", readonly=True)
    acceptance_id = fields.Many2one("lbc.agreement.acceptance", string="Terms Acceptance", readonly=True)
    state = fields.Selection(
        [("active", "Running"), ("cancelled", "Cancelled (runs to term)"), ("expired", "Ended")],
        default="active",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    date_start = fields.Date(string="Subscribed On", required=True, readonly=True)
    term_start = fields.Date(string="Current Term From", required=True, readonly=True)
    term_end = fields.Date(
        string="Current Term Until",
        required=True,
        readonly=True,
        tracking=True,
        help="The subscription renews on this date with a new invoice, unless it is cancelled.",
    )
    cancel_date = fields.Date(string="Cancelled On", readonly=True)
    invoice_ids = fields.One2many("account.move", "lbc_subscription_id", string="Invoices", readonly=True)
    invoice_count = fields.Integer(compute="_compute_invoice_count")

    @api.depends("plan_id.name", "partner_id.name")
    def _compute_name(self):
        for subscription in self:
            subscription.name = f"{subscription.plan_id.name} - {subscription.partner_id.name}"

    def _compute_invoice_count(self):
        for subscription in self:
            subscription.invoice_count = len(subscription.invoice_ids)

    def _lbc_check_subscriber_admin(self):
        if self.env["res.partner"]._lbc_is_operator():
            return
        user = self.env.user
        for subscription in self:
            partner = subscription.partner_id
            if partner == user.partner_id:
                continue
            if partner.is_company and user._lbc_has_role("admin", partner):
                continue
            raise AccessError(self.env._("Only the subscriber's administrators can change this subscription."))

    def action_cancel(self):
        """Cancel: the subscription runs to the end of the paid term and is not renewed."""
        self._lbc_check_subscriber_admin()
        for subscription in self:
            if subscription.state != "active":
                raise UserError(self.env._("%(name)s is not running.", name=subscription.name))
        self._lbc_workflow_write({"state": "cancelled", "cancel_date": fields.Date.context_today(self)})
        for subscription in self.sudo():
            subscription.message_post(
                body=self.env._("Cancelled: no renewal after %(date)s.", date=subscription.term_end)
            )
        return True

    def _lbc_invoice_term(self):
        """Invoice the current term (posted customer invoice, the plan's product). Exactly once per term:
        the unique index on (subscription, term start) refuses a second one."""
        self.ensure_one()
        Move = self.env["account.move"].sudo()
        existing = Move.search(
            [("lbc_subscription_id", "=", self.id), ("lbc_subscription_term_start", "=", self.term_start)], limit=1
        )
        if existing:
            return existing
        plan = self.plan_id
        invoice = Move.create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner_id.id,
                "invoice_date": self.term_start,
                "invoice_origin": self.name,
                "lbc_subscription_id": self.id,
                "lbc_subscription_term_start": self.term_start,
                "invoice_line_ids": [
                    fields.Command.create(
                        {
                            "product_id": plan.product_id.id,
                            "name": self.env._(
                                "%(plan)s subscription from %(start)s to %(end)s",
                                plan=plan.name,
                                start=self.term_start,
                                end=self.term_end - relativedelta(days=1),
                            ),
                            "quantity": 1,
                            "price_unit": plan.price,
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    @api.model
    def _lbc_renew_due(self, today=None, batch_size=RENEWAL_BATCH):
        """Renew the running subscriptions whose term ended (new term, new invoice) and end the cancelled ones.
        Safe to re-run: a renewed subscription's term moves forward with its invoice."""
        today = fields.Date.to_date(today) if today else fields.Date.context_today(self)
        stats = {"renewed": 0, "ended": 0}
        ended = self.sudo().search([("state", "=", "cancelled"), ("term_end", "<=", today)])
        ended._lbc_workflow_write({"state": "expired"})
        stats["ended"] = len(ended)
        due = self.sudo().search([("state", "=", "active"), ("term_end", "<=", today)], order="term_end, id")
        for start in range(0, len(due), batch_size):
            batch = due[start : start + batch_size]
            for subscription in batch:
                # catch up term by term (a stopped cron invoices each missed term once)
                while subscription.term_end <= today:
                    period = PERIODS[subscription.plan_id.period]
                    subscription._lbc_workflow_write(
                        {"term_start": subscription.term_end, "term_end": subscription.term_end + period}
                    )
                    subscription._lbc_invoice_term()
                    stats["renewed"] += 1
            if self.env.context.get("ir_cron_progress_id"):
                self.env["ir.cron"]._commit_progress(processed=len(batch), remaining=len(due) - start - len(batch))
        return stats

    # --- feature gate (res.partner._lbc_has_feature in lbc_base calls these) -------------------
    @api.model
    def _lbc_partner_features(self, partner):
        """The feature codes open to a member or company: those of the running (or cancelled but paid)
        subscriptions of the partner and of its company."""
        partners = partner | partner.commercial_partner_id
        subscriptions = self.sudo().search(
            [
                ("partner_id", "in", partners.ids),
                ("state", "in", ("active", "cancelled")),
                ("term_end", ">", fields.Date.context_today(self)),
            ]
        )
        return set(subscriptions.plan_id.feature_ids.mapped("code"))

    @api.model
    def _lbc_upsell_message(self, code):
        feature = self.env["lbc.subscription.feature"].sudo().search([("code", "=", code)], limit=1)
        plans = self.env["lbc.subscription.plan"].sudo().search([("feature_ids.code", "=", code)])
        if not plans:
            return self.env._("%(feature)s is not available.", feature=feature.name or code)
        return self.env._(
            "%(feature)s is part of the %(plans)s plan(s): subscribe from My account → Subscription to use it.",
            feature=feature.name or code,
            plans=", ".join(plans.mapped("name")),
        )

    @api.model
    def _cron_lbc_subscriptions(self):
        stats = self._lbc_renew_due()
        _logger.info("lbc subscriptions: %s", stats)
        return True
