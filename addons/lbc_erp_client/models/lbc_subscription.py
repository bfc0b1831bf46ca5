"""Paid plans on OCA's `subscription_oca`.

`lbc.subscription.plan` stays LBC's catalogue (translated name, features, price, period, the xmlids other code uses):
each plan is a thin record that owns one `sale.subscription.template` (recurrence, invoicing mode "invoice & send",
the invoice e-mail) and one product. The subscriptions themselves are OCA's `sale.subscription`, invoiced by OCA's
engine (`generate_invoice`, its daily cron), with LBC's rules around it: terms acceptance, cancellation to term,
renewal reminder, no renewal for a deleted, anonymised or suspended subscriber, one invoice per term, and payment:
no new subscription nor renewal while a subscription invoice of the subscriber is overdue, no paid feature while one
is overdue beyond the grace period (system parameter `lbc_erp_client.subscription_grace_days`).
"""

import logging

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.addons.lbc_base.models.lbc_workflow_mixin import lbc_clean
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# plan period -> OCA template recurrence (rule type, interval)
PERIOD_RECURRENCE = {"monthly": ("months", 1), "yearly": ("years", 1)}
PERIODS = {"monthly": relativedelta(months=1), "yearly": relativedelta(years=1)}
# member accounts whose subscription is never renewed (lbc_base's lifecycle: deleted, anonymised, suspended)
CLOSED_MEMBER_STATES = ("suspended", "deactivated", "anonymised")
# an invoice in these payment states is settled (a reversed one is cancelled by its credit note)
SETTLED_PAYMENT_STATES = ("paid", "in_payment", "reversed")
# days an LBC subscription invoice may stay unpaid after its due date before the paid features close
GRACE_DAYS_PARAM = "lbc_erp_client.subscription_grace_days"
DEFAULT_GRACE_DAYS = 15


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
    reminder_days = fields.Integer(
        string="Renewal Reminder (days)",
        default=7,
        help="The subscriber is reminded by e-mail this many days before each renewal (once per term).",
    )
    feature_ids = fields.Many2many("lbc.subscription.feature", string="Features")
    product_id = fields.Many2one(
        "product.product",
        string="Invoiced Product",
        readonly=True,
        copy=False,
        help="Created with the plan; the product of the plan's invoice lines.",
    )
    template_id = fields.Many2one(
        "sale.subscription.template",
        string="Subscription Template",
        readonly=True,
        copy=False,
        ondelete="restrict",
        help="OCA's subscription template this plan runs on (recurrence, invoicing and sending), kept in step "
        "with the plan.",
    )
    subscription_ids = fields.One2many("sale.subscription", "lbc_plan_id", string="Subscriptions", readonly=True)

    _price_positive = models.Constraint("CHECK(price >= 0)", "A plan cannot have a negative price.")
    _reminder_days_positive = models.Constraint(
        "CHECK(reminder_days >= 0)", "The reminder cannot come after the renewal."
    )

    def _lbc_template_vals(self):
        self.ensure_one()
        rule_type, interval = PERIOD_RECURRENCE[self.period]
        return {
            "name": self.name,
            "code": self.name,
            "recurring_rule_type": rule_type,
            "recurring_interval": interval,
            "recurring_rule_boundary": "unlimited",
            "invoicing_mode": "invoice_send",
            "invoice_mail_template_id": self.env.ref("lbc_erp_client.mail_template_subscription_invoice").id,
            "description": self.env["lbc.agreement"]._lbc_current("subscription").name or False,
        }

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        for plan in plans:
            if not plan.template_id:
                plan.template_id = self.env["sale.subscription.template"].sudo().create(plan._lbc_template_vals())
            if not plan.product_id:
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
                            "subscribable": True,
                            "subscription_template_id": plan.template_id.id,
                        }
                    )
                )
                # the taxes of the companies' charts, as LBC's other products
                self.env["product.template"]._lbc_set_company_taxes(templates=plan.product_id.product_tmpl_id)
        return plans

    def write(self, vals):
        res = super().write(vals)
        if {"name", "period"} & set(vals):
            for plan in self.filtered("template_id"):
                plan.template_id.sudo().write(plan._lbc_template_vals())
        if "price" in vals:
            # the price of the next terms (running subscriptions renew at the plan's price)
            for plan in self:
                plan.product_id.sudo().list_price = plan.price
                running = plan.sudo().subscription_ids.filtered(lambda s: s.stage_type != "post")
                running.sale_subscription_line_ids.filtered_domain(
                    [("product_id", "=", plan.product_id.id)]
                ).price_unit = plan.price
        return res

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

    def _lbc_pricelist(self):
        """A pricelist in the plan's currency (OCA's subscriptions require one; the price is the plan's)."""
        self.ensure_one()
        Pricelist = self.env["product.pricelist"].sudo().with_context(active_test=False)
        pricelist = Pricelist.search(
            [("currency_id", "=", self.currency_id.id), ("company_id", "in", (False, self.env.company.id))], limit=1
        )
        return pricelist or Pricelist.create(
            {"name": self.env._("LBC subscriptions"), "currency_id": self.currency_id.id}
        )

    def action_subscribe(self, accept_terms=False):
        """The current member subscribes its company (or itself, without a company) to the plan: it accepts the
        subscription terms and gets the first term's invoice, posted and e-mailed. Returns the subscription id
        (a `sale.subscription`)."""
        self.ensure_one()
        if not self.sudo().active:
            raise UserError(self.env._("The plan %(plan)s is no longer offered.", plan=self.name))
        subscriber = self._lbc_subscriber()
        Subscription = self.env["sale.subscription"].sudo()
        # the subscriber's row locked to the end of the transaction: two parallel calls check one after the other,
        # the second one sees the first one's subscription
        self.env.cr.execute(SQL("SELECT id FROM res_partner WHERE id = %s FOR UPDATE", subscriber.id))
        if Subscription.search_count(
            [("partner_id", "=", subscriber.id), ("lbc_state", "in", ("active", "cancelled"))], limit=1
        ):
            raise UserError(
                self.env._("%(name)s already has a running subscription: change it instead.", name=subscriber.name)
            )
        blocker = Subscription._lbc_subscriber_blocker(subscriber) or Subscription._lbc_unpaid_blocker(subscriber)
        if blocker:
            raise UserError(blocker)
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
        plan = self.sudo()
        today = fields.Date.context_today(self)
        company = self.env.company
        # created (and invoiced) on a clean context: no default_* key of the caller reaches them
        subscription = Subscription._lbc_workflow_create(
            [
                {
                    "partner_id": subscriber.id,
                    "company_id": company.id,
                    "template_id": plan.template_id.id,
                    "lbc_plan_id": plan.id,
                    "lbc_user_id": self.env.uid,
                    "lbc_acceptance_id": acceptance.id,
                    "user_id": False,
                    "pricelist_id": plan._lbc_pricelist().id,
                    "fiscal_position_id": self.env["account.fiscal.position"]
                    .sudo()
                    .with_company(company)
                    ._get_fiscal_position(subscriber)
                    .id,
                    "date_start": today,
                    "recurring_next_date": today,
                    "sale_subscription_line_ids": [
                        Command.create(
                            {
                                "product_id": plan.product_id.id,
                                "name": plan.name,
                                "product_uom_qty": 1,
                                "price_unit": plan.price,
                            }
                        )
                    ],
                }
            ]
        )
        subscription.action_start_subscription()
        subscription.generate_invoice()
        subscription.message_post(body=self.env._("Subscribed by %(user)s.", user=self.env.user.name))
        return subscription.id


class SaleSubscription(models.Model):
    _name = "sale.subscription"
    _inherit = ["sale.subscription", "lbc.workflow.mixin"]

    # an LBC subscription moves only through subscribing, cancelling and the renewal run (a member has no write
    # access at all; LBC's back office neither changes its term, plan, price nor stage by hand)
    _lbc_workflow_fields = (
        "lbc_plan_id",
        "lbc_user_id",
        "lbc_acceptance_id",
        "lbc_cancel_date",
        "lbc_term_start",
        "lbc_term_end",
        "lbc_reminder_date",
    )
    _lbc_parent_fields = ("partner_id",)
    # OCA's own fields an LBC subscription's workflow owns (checked on LBC subscriptions only)
    _lbc_oca_workflow_fields = (
        "stage_id",
        "template_id",
        "in_progress",
        "date_start",
        "date",
        "recurring_next_date",
        "is_paused",
        "paused_until",
        "close_reason_id",
        "invoice_ids",
        "sale_subscription_line_ids",
        "pricelist_id",
        "partner_invoice_id",
        "company_id",
        "active",
    )

    lbc_plan_id = fields.Many2one(
        "lbc.subscription.plan", string="LBC Plan", readonly=True, index="btree_not_null", ondelete="restrict"
    )
    lbc_user_id = fields.Many2one("res.users", string="Subscribed By", readonly=True)
    lbc_acceptance_id = fields.Many2one("lbc.agreement.acceptance", string="Terms Acceptance", readonly=True)
    lbc_cancel_date = fields.Date(string="Cancelled On", readonly=True, copy=False)
    lbc_term_start = fields.Date(string="Current Term From", readonly=True, copy=False)
    lbc_term_end = fields.Date(
        string="Current Term Until",
        readonly=True,
        copy=False,
        help="The subscription renews on this date with a new invoice, unless it is cancelled.",
    )
    lbc_reminder_date = fields.Date(
        string="Reminded For",
        readonly=True,
        copy=False,
        help="The renewal date the last reminder e-mail announced (one reminder per term).",
    )
    lbc_state = fields.Selection(
        [
            ("draft", "Not started"),
            ("active", "Running"),
            ("cancelled", "Cancelled (runs to term)"),
            ("expired", "Ended"),
        ],
        string="LBC Status",
        compute="_compute_lbc_state",
        store=True,
        index=True,
    )
    lbc_notify_partner_ids = fields.Many2many(
        "res.partner",
        string="E-mail Recipients",
        compute="_compute_lbc_notify_partner_ids",
        help="Who gets the invoices and reminders: the subscriber and the member who subscribed, while their "
        "accounts are active.",
    )

    @api.depends("stage_id.type", "lbc_cancel_date", "lbc_plan_id")
    def _compute_lbc_state(self):
        for subscription in self:
            stage_type = subscription.stage_id.type
            if not subscription.lbc_plan_id:
                subscription.lbc_state = False
            elif stage_type == "post":
                subscription.lbc_state = "expired"
            elif stage_type == "in_progress":
                subscription.lbc_state = "cancelled" if subscription.lbc_cancel_date else "active"
            else:
                subscription.lbc_state = "draft"

    @api.depends("partner_id", "lbc_user_id")
    def _compute_lbc_notify_partner_ids(self):
        for subscription in self:
            partners = subscription.partner_id | subscription.lbc_user_id.partner_id
            subscription.lbc_notify_partner_ids = partners.filtered(
                lambda p: p.email and p.lbc_account_state not in CLOSED_MEMBER_STATES and p.active
            )

    # --- guard ------------------------------------------------------------------------------------
    @api.model
    def _lbc_guarded_workflow_fields(self):
        return super()._lbc_guarded_workflow_fields() | set(self._lbc_oca_workflow_fields)

    def _lbc_workflow_check_create(self, vals_list):
        # LBC subscriptions are created by action_subscribe only; OCA's other subscriptions keep OCA's rules
        if any(vals.get("lbc_plan_id") for vals in vals_list) or self.env.context.get("default_lbc_plan_id"):
            return super()._lbc_workflow_check_create(vals_list)
        return None

    def _lbc_workflow_check_write(self, vals):
        lbc = self.filtered("lbc_plan_id")
        if lbc:
            return super(SaleSubscription, lbc)._lbc_workflow_check_write(vals)
        own = set(vals) & set(type(self)._lbc_workflow_fields)
        if own:
            self._lbc_workflow_refuse(own, self.env._("can be changed only through its actions."))
        return None

    # --- who may act -----------------------------------------------------------------------------
    def _lbc_check_subscriber_admin(self):
        if self.env["res.partner"]._lbc_is_operator():
            return
        user = self.env.user
        for subscription in self.sudo():
            partner = subscription.partner_id
            if partner == user.partner_id:
                continue
            if partner.is_company and user._lbc_has_role("admin", partner):
                continue
            raise AccessError(self.env._("Only the subscriber's administrators can change this subscription."))

    @api.model
    def _lbc_subscriber_blocker(self, partner):
        """Why `partner`'s subscription may not start or renew (a text), or False: a member whose account is
        deleted (deletion requested, deactivated), anonymised or suspended, a company suspended or archived."""
        partner = partner.sudo()
        if not partner.active:
            return self.env._("%(name)s no longer exists.", name=partner.name)
        if partner.is_company:
            if partner.lbc_state == "suspended":
                return self.env._("%(name)s is suspended.", name=partner.name)
            return False
        if partner.lbc_account_state in CLOSED_MEMBER_STATES or partner.lbc_deletion_requested_date:
            return self.env._("The account of %(name)s is closed or being deleted.", name=partner.name)
        return False

    # --- payment ---------------------------------------------------------------------------------
    @api.model
    def _lbc_overdue_domain(self, commercial_partner_ids, due_before):
        """The posted LBC subscription invoices of these subscribers (commercial partners) still unpaid and due
        before `due_before`."""
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("lbc_subscription_term_start", "!=", False),
            ("commercial_partner_id", "in", list(commercial_partner_ids)),
            ("payment_state", "not in", SETTLED_PAYMENT_STATES),
            ("invoice_date_due", "<", due_before),
        ]

    @api.model
    def _lbc_grace_days(self):
        """Days an overdue subscription invoice leaves the paid features open (system parameter, default 15)."""
        value = self.env["ir.config_parameter"].sudo().get_param(GRACE_DAYS_PARAM, DEFAULT_GRACE_DAYS)
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            _logger.warning("%s: %r is not a number of days, %s used", GRACE_DAYS_PARAM, value, DEFAULT_GRACE_DAYS)
            return DEFAULT_GRACE_DAYS

    @api.model
    def _lbc_unpaid_blocker(self, partner):
        """Why `partner` may not subscribe nor renew for want of payment (a text), or False: an LBC subscription
        invoice of the subscriber unpaid after its due date."""
        today = fields.Date.context_today(self)
        overdue = (
            self.env["account.move"]
            .sudo()
            .search(
                self._lbc_overdue_domain(partner.sudo().commercial_partner_id.ids, today),
                order="invoice_date_due, id",
                limit=1,
            )
        )
        if not overdue:
            return False
        return self.env._(
            "The subscription invoice %(invoice)s of %(name)s, due on %(date)s, is unpaid: please pay it first.",
            invoice=overdue.name,
            name=partner.sudo().commercial_partner_id.name,
            date=overdue.invoice_date_due,
        )

    @api.model
    def _lbc_overdue_subscriber_ids(self, commercial_partner_ids):
        """The subscribers (commercial partner ids) among these with an LBC subscription invoice overdue beyond the
        grace period: their paid features are closed until it is paid. One query."""
        if not commercial_partner_ids:
            return set()
        limit = fields.Date.context_today(self) - relativedelta(days=self._lbc_grace_days())
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(self._lbc_overdue_domain(commercial_partner_ids, limit), ["commercial_partner_id"])
        )
        return {partner.id for (partner,) in groups}

    def _lbc_stop_unpaid(self, reason):
        """The renewal of an unpaid subscription: no new invoice, the subscription ends (a chatter note) and the
        subscriber is told by e-mail; it may subscribe again once the invoice is paid."""
        self.ensure_one()
        self._lbc_close(reason)
        if self.lbc_notify_partner_ids:
            self.message_post_with_source(
                self.env.ref("lbc_erp_client.mail_template_subscription_unpaid"),
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.lbc_notify_partner_ids.ids,
            )

    # --- actions ---------------------------------------------------------------------------------
    def action_lbc_cancel(self):
        """Cancel the renewal (the Statut page, or RPC): the subscription runs to the end of the paid term and is
        not renewed."""
        if not self:
            return True
        self._lbc_check_subscriber_admin()
        for subscription in self.sudo():
            if subscription.lbc_state != "active":
                raise UserError(self.env._("%(name)s is not running.", name=subscription.display_name))
        self._lbc_workflow_write({"lbc_cancel_date": fields.Date.context_today(self)})
        for subscription in self.sudo():
            subscription.message_post(
                body=self.env._("Renewal cancelled: no renewal after %(date)s.", date=subscription.lbc_term_end)
            )
        return True

    # OCA's buttons move an LBC subscription's stage by hand: refused (their writes are guarded), say why first
    def _lbc_refuse_manual(self):
        if not self.env.su and self.filtered("lbc_plan_id"):
            raise UserError(
                self.env._("An LBC subscription moves only by subscribing, cancelling and its renewal run.")
            )

    def action_pause(self, paused_until=None):
        self._lbc_refuse_manual()
        return super().action_pause(paused_until=paused_until)

    def action_close_subscription(self):
        self._lbc_refuse_manual()
        return super().action_close_subscription()

    def manual_invoice(self):
        self._lbc_refuse_manual()
        return super().manual_invoice()

    def create_invoice(self):
        # public in OCA (an accountant may call it): an LBC term is invoiced by generate_invoice only, once
        self._lbc_refuse_manual()
        return super().create_invoice()

    def create_sale_order(self):
        self._lbc_refuse_manual()
        return super().create_sale_order()

    # --- invoicing (OCA's engine) ------------------------------------------------------------------
    def _prepare_account_move(self, line_ids):
        values = super()._prepare_account_move(line_ids)
        if self.lbc_plan_id:
            term_start = self.recurring_next_date
            values["lbc_subscription_term_start"] = term_start
            period = PERIODS[self.lbc_plan_id.period]
            for command in line_ids:
                command[2]["name"] = self.env._(
                    "%(plan)s subscription from %(start)s to %(end)s",
                    plan=self.lbc_plan_id.name,
                    start=term_start,
                    end=term_start + period - relativedelta(days=1),
                )
        return values

    def generate_invoice(self):
        lbc = self.filtered("lbc_plan_id")
        if not lbc:
            return super().generate_invoice()
        self.ensure_one()
        return self._lbc_invoice_term()

    def _lbc_invoice_term(self, check_payment=True):
        """Invoice the next term of an LBC subscription, or close it (cancelled, closed subscriber, or, with
        `check_payment`, an overdue subscription invoice: a renewal waits for the previous terms' payment).
        Returns whether a term was invoiced."""
        self.ensure_one()
        if not self.env.su:
            raise AccessError(self.env._("An LBC subscription is invoiced by its renewal run only."))
        term_start = self.recurring_next_date
        if not term_start or self.stage_id.type != "in_progress":
            return False
        # the term before the cancellation runs to its end: the next one is never invoiced
        blocker = (self.lbc_term_end and self.lbc_cancel_date and self.env._("cancelled")) or (
            self.lbc_term_end and self._lbc_subscriber_blocker(self.partner_id)
        )
        if blocker:
            self._lbc_close(blocker)
            return False
        unpaid = check_payment and self.lbc_term_end and self._lbc_unpaid_blocker(self.partner_id)
        if unpaid:
            self._lbc_stop_unpaid(unpaid)
            return False
        period = PERIODS[self.lbc_plan_id.period]
        existing = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("subscription_id", "=", self.id),
                    ("lbc_subscription_term_start", "=", term_start),
                    ("state", "!=", "cancel"),
                ],
                limit=1,
            )
        )
        if existing:
            # invoiced already (a run that stopped after the invoice): only move the term on
            lbc_clean(self)._set_next_invoice_date_after_invoice(term_start)
        else:
            # in a savepoint: OCA's cron logs a failure and goes on with the next subscription on a clean cursor;
            # OCA's generate_invoice, the body of this one (generate_invoice with the renewal run's payment option)
            with self.env.cr.savepoint():
                super(SaleSubscription, lbc_clean(self)).generate_invoice()  # pylint: disable=super-method-mismatch
        self.write({"lbc_term_start": term_start, "lbc_term_end": term_start + period})
        return True

    def _lbc_close(self, reason):
        self.ensure_one()
        self.close_subscription(close_reason_id=self.env.ref("subscription_oca.close_reason_ended").id)
        self.message_post(body=self.env._("Not renewed: %(reason)s", reason=reason))

    @api.model
    def _lbc_renew_due(self, today=None):
        """The LBC side of the renewal run, safe to re-run: close what must not renew, invoice each due term once
        (a stopped run catches up term by term), send the reminders. Returns counters."""
        self = self.sudo()
        today = fields.Date.to_date(today) if today else fields.Date.context_today(self)
        stats = {"renewed": 0, "ended": 0, "reminded": 0}
        due = self.search(
            [("lbc_state", "in", ("active", "cancelled")), ("recurring_next_date", "<=", today)],
            order="recurring_next_date, id",
        )
        for subscription in due:
            subscription = subscription.with_company(subscription.company_id)
            for term in range(60):  # five years of monthly terms at most in one run
                if subscription.lbc_state not in ("active", "cancelled") or subscription.recurring_next_date > today:
                    break
                try:
                    with self.env.cr.savepoint():
                        # the payment of the terms invoiced before the run is checked, not the catch-up's own
                        # (back-dated) invoices of this run
                        invoiced = subscription._lbc_invoice_term(check_payment=not term)
                except Exception:
                    _logger.exception("lbc subscription %s: renewal failed", subscription.id)
                    break
                if not invoiced:
                    stats["ended"] += 1
                    break
                stats["renewed"] += 1
        stats["reminded"] = self._lbc_send_reminders(today)
        if self.env.context.get("ir_cron_progress_id"):
            self.env["ir.cron"]._commit_progress(processed=len(due))
        return stats

    @api.model
    def _lbc_send_reminders(self, today):
        """One e-mail per term, `reminder_days` before the renewal, to the running (not cancelled) subscriptions
        that will renew."""
        template = self.env.ref("lbc_erp_client.mail_template_subscription_reminder")
        count = 0
        candidates = self.sudo().search(
            [("lbc_state", "=", "active"), ("recurring_next_date", ">", today)], order="recurring_next_date, id"
        )
        for subscription in candidates:
            renewal = subscription.recurring_next_date
            if subscription.lbc_reminder_date == renewal:
                continue
            if renewal - relativedelta(days=subscription.lbc_plan_id.reminder_days) > today:
                continue
            if self._lbc_subscriber_blocker(subscription.partner_id):
                continue
            subscription.write({"lbc_reminder_date": renewal})
            if subscription.lbc_notify_partner_ids:
                subscription.message_post_with_source(
                    template,
                    subtype_xmlid="mail.mt_comment",
                    partner_ids=subscription.lbc_notify_partner_ids.ids,
                )
            count += 1
        return count

    @api.model
    def cron_subscription_management(self):
        # LBC's subscriptions first (lifecycle, cancellation, one invoice per term, reminders); OCA's run then finds
        # nothing due on them
        stats = self._lbc_renew_due()
        _logger.info("lbc subscriptions: %s", stats)
        return super().cron_subscription_management()

    # --- feature gate (res.partner._lbc_has_feature) ------------------------------------------------
    @api.model
    def _lbc_partner_features(self, partner):
        """The feature codes open to a member or company: those of the running (or cancelled, to the end of the
        term) subscriptions of the partner and of its company, unless a subscription invoice of their subscriber
        is overdue beyond the grace period."""
        partners = partner | partner.commercial_partner_id
        subscriptions = self.sudo().search(
            [
                ("partner_id", "in", partners.ids),
                ("lbc_state", "in", ("active", "cancelled")),
                ("lbc_term_end", ">", fields.Date.context_today(self)),
            ]
        )
        if subscriptions:
            overdue = self._lbc_overdue_subscriber_ids(subscriptions.partner_id.commercial_partner_id.ids)
            subscriptions = subscriptions.filtered(lambda s: s.partner_id.commercial_partner_id.id not in overdue)
        return set(subscriptions.lbc_plan_id.feature_ids.mapped("code"))

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


class SaleSubscriptionLine(models.Model):
    _inherit = "sale.subscription.line"

    def _lbc_check_line_change(self, subscriptions):
        """The lines (price, product) of an LBC subscription are its plan's: set by subscribing and by the plan."""
        if not self.env.su and subscriptions.sudo().filtered("lbc_plan_id"):
            raise AccessError(self.env._("The lines of an LBC subscription follow its plan."))

    @api.model_create_multi
    def create(self, vals_list):
        ids = [vals["sale_subscription_id"] for vals in vals_list if vals.get("sale_subscription_id")]
        self._lbc_check_line_change(self.env["sale.subscription"].browse(ids))
        return super().create(vals_list)

    def write(self, vals):
        subscriptions = self.sale_subscription_id
        if vals.get("sale_subscription_id"):
            subscriptions |= self.env["sale.subscription"].browse(vals["sale_subscription_id"])
        self._lbc_check_line_change(subscriptions)
        return super().write(vals)

    def unlink(self):
        self._lbc_check_line_change(self.sale_subscription_id)
        return super().unlink()

    def _prepare_account_move_line(self):
        values = super()._prepare_account_move_line()
        if not values.get("account_id"):
            # no income account on the product nor its category: the journal's, as Odoo's own invoice lines
            values.pop("account_id", None)
        return values
