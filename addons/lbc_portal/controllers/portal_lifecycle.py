"""Member portal, account life: the status page (account state, pending deletion, subscription, plans) and
the privacy page (marketing e-mails, personal data download, the inactivity and reactivation rules).

Every action calls the lifecycle (lbc_base) or subscription (lbc_erp_client) method as the member: those
methods check who may do what (a company's subscription only by its administrators) and their refusal is
shown on the page. No `sudo()` here.
"""

from werkzeug.exceptions import HTTPException

from odoo import fields, http
from odoo.addons.lbc_base.controllers.portal import LbcPortal
from odoo.addons.lbc_base.models.res_partner_lifecycle import (
    DELETION_DELAY_HOURS,
    INACTIVITY_MONTHS,
    REACTIVATION_DAYS,
)
from odoo.http import request
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
STATUS_MESSAGES = {
    "withdrawn": _lt("Your deletion request is withdrawn: your account stays active."),
    "subscribed": _lt("You are subscribed: the first invoice is in the list below."),
    "cancelled": _lt("The renewal is cancelled: the subscription runs to the end of the paid term."),
}
PRIVACY_MESSAGES = {"saved": _lt("Your privacy preferences are saved.")}


class LbcPortalLifecycle(LbcPortal):
    # ------------------------------------------------------------------ helpers (prefixed: controller classes
    # of the portal are merged at routing time, and the account and marketplace pages have their own helpers)
    def _lbc_lc_member(self):
        return request.env["res.users"]._lbc_member()

    def _lbc_lc_subscriber(self, member):
        """Who a subscription taken here belongs to (lbc.subscription.plan._lbc_subscriber decides for real)."""
        return member.parent_id or member

    def _lbc_lc_subscriptions(self, member):
        """The running (or cancelled but paid) subscriptions of the member and of its company, read as the
        member (the record rule limits them to those two subscribers)."""
        today = fields.Date.context_today(member)
        return request.env["sale.subscription"].search(
            [
                ("lbc_plan_id", "!=", False),
                ("partner_id", "in", (member | member.commercial_partner_id).ids),
                ("lbc_state", "in", ("active", "cancelled")),
                ("lbc_term_end", ">", today),
            ]
        )

    def _lbc_lc_route_exists(self, path):
        try:
            request.env["ir.http"].routing_map().bind("").match(path, method="GET")
        except HTTPException:
            return False
        return True

    # ------------------------------------------------------------------ /my counters
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "lbc_subscription_count" in counters:
            Subscription = request.env["sale.subscription"]
            values["lbc_subscription_count"] = (
                len(self._lbc_lc_subscriptions(self._lbc_lc_member())) if Subscription.has_access("read") else 0
            )
        if "lbc_deletion_pending_count" in counters:
            values["lbc_deletion_pending_count"] = int(bool(self._lbc_lc_member().lbc_deletion_requested_date))
        return values

    # ------------------------------------------------------------------ status
    def _lbc_status_render(self, error=None, success=None, status=200):
        member = self._lbc_lc_member()
        company = member.parent_id
        subscriber = self._lbc_lc_subscriber(member)
        subscriptions = self._lbc_lc_subscriptions(member)
        Move = request.env["account.move"]
        # the invoices the member may read (the portal rule of account.move decides)
        invoices = {
            sub.id: Move.search([("subscription_id", "=", sub.id)], order="invoice_date desc, id desc")
            if Move.has_access("read")
            else Move
            for sub in subscriptions
        }
        env = request.env
        state_labels = dict(member._fields["lbc_account_state"]._description_selection(env))
        period_labels = dict(env["lbc.subscription.plan"]._fields["period"]._description_selection(env))
        sub_state_labels = dict(env["sale.subscription"]._fields["lbc_state"]._description_selection(env))
        deletion_date = member.lbc_deletion_requested_date
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "lbc_status",
                "member": member,
                "company": company,
                "subscriber": subscriber,
                "account_state_label": state_labels.get(member.lbc_account_state),
                "deletion_date": deletion_date,
                "deletion_deadline": deletion_date and fields.Datetime.add(deletion_date, hours=DELETION_DELAY_HOURS),
                "subscriptions": subscriptions,
                "running_subscription": subscriptions.filtered(lambda s: s.partner_id == subscriber),
                "invoices": invoices,
                "plans": env["lbc.subscription.plan"].search([]),
                "period_labels": period_labels,
                "sub_state_labels": sub_state_labels,
                "subscription_terms": env["lbc.agreement"]._lbc_current("subscription"),
                "may_subscribe": not company or env.user._lbc_has_role("admin", company),
                "member_features": {
                    feature.code
                    for feature in env["lbc.subscription.feature"].search([])
                    if member._lbc_has_feature(feature.code)
                },
                "error": error,
                "success": success,
            }
        )
        return request.render("lbc_portal.portal_lbc_status", values, status=status)

    @http.route("/my/lbc/status", type="http", auth="user", website=True, methods=["GET"], readonly=True)
    def portal_lbc_status(self, success=None, **kw):
        message = STATUS_MESSAGES.get(success)
        return self._lbc_status_render(success=message and str(message))

    @http.route("/my/lbc/status/withdraw_deletion", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_status_withdraw_deletion(self, **kw):
        ok, result = self._lbc_call(self._lbc_lc_member().action_lbc_cancel_deletion)
        if not ok:
            return self._lbc_status_render(error=result, status=400)
        return request.redirect("/my/lbc/status?success=withdrawn")

    @http.route("/my/lbc/status/subscribe", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_status_subscribe(self, plan_id=None, accept_terms=None, **kw):
        plan = request.env["lbc.subscription.plan"]
        if plan_id and str(plan_id).isdigit():
            plan = plan.search([("id", "=", int(plan_id))])
        if not plan:
            return self._lbc_status_render(error=request.env._("Please choose a plan from the list."), status=400)
        if not accept_terms:
            return self._lbc_status_render(
                error=request.env._("Tick the box to accept the subscription terms."), status=400
            )
        ok, result = self._lbc_call(plan.action_subscribe, accept_terms=True)
        if not ok:
            return self._lbc_status_render(error=result, status=400)
        return request.redirect("/my/lbc/status?success=subscribed")

    @http.route(
        "/my/lbc/status/subscription/<int:subscription_id>/cancel",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_lbc_status_cancel(self, subscription_id, confirm=None, **kw):
        # as the member: the record rule hides the subscriptions of other companies (not found)
        subscription = request.env["sale.subscription"].search(
            [("id", "=", subscription_id), ("lbc_plan_id", "!=", False)]
        )
        if not subscription:
            return request.redirect("/my")
        if not confirm:
            return self._lbc_status_render(
                error=request.env._("Tick the confirmation box to cancel the renewal."), status=400
            )
        ok, result = self._lbc_call(subscription.action_lbc_cancel)
        if not ok:
            return self._lbc_status_render(error=result, status=400)
        return request.redirect("/my/lbc/status?success=cancelled")

    # ------------------------------------------------------------------ privacy
    def _lbc_privacy_render(self, error=None, success=None, status=200):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "lbc_privacy",
                "member": self._lbc_lc_member(),
                "profile_url": "/my/profile" if self._lbc_lc_route_exists("/my/profile") else None,
                "inactivity_months": INACTIVITY_MONTHS,
                "reactivation_days": REACTIVATION_DAYS,
                "deletion_hours": DELETION_DELAY_HOURS,
                "error": error,
                "success": success,
            }
        )
        return request.render("lbc_portal.portal_lbc_privacy", values, status=status)

    @http.route("/my/lbc/privacy", type="http", auth="user", website=True, methods=["GET"], readonly=True)
    def portal_lbc_privacy(self, success=None, **kw):
        message = PRIVACY_MESSAGES.get(success)
        return self._lbc_privacy_render(success=message and str(message))

    @http.route("/my/lbc/privacy", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_privacy_save(self, marketing_opt_out=None, **kw):
        member = self._lbc_lc_member()
        ok, result = self._lbc_call(
            member.action_lbc_update_privacy, {"lbc_marketing_opt_out": bool(marketing_opt_out)}
        )
        if not ok:
            return self._lbc_privacy_render(error=result, status=400)
        return request.redirect("/my/lbc/privacy?success=saved")
