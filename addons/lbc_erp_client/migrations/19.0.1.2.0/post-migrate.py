"""Subscriptions move onto OCA's subscription_oca: each plan gets its template, each `lbc.subscription` row becomes
a `sale.subscription` (same subscriber, plan, terms acceptance, term, cancellation), its invoices and chatter follow
it. The old model, its table, cron and rules go when Odoo removes what the module no longer declares."""

import logging

from odoo import SUPERUSER_ID, Command, api
from odoo.tools.sql import column_exists, table_exists

_logger = logging.getLogger(__name__)

STAGES = {
    "active": "subscription_oca.subscription_stage_in_progress",
    "cancelled": "subscription_oca.subscription_stage_in_progress",
    "expired": "subscription_oca.subscription_stage_closed",
}


def _plans_on_templates(env):
    for plan in env["lbc.subscription.plan"].with_context(active_test=False).search([("template_id", "=", False)]):
        plan.template_id = env["sale.subscription.template"].create(plan._lbc_template_vals())
        plan.product_id.product_tmpl_id.write({"subscribable": True, "subscription_template_id": plan.template_id.id})


def _migrate_subscriptions(env):
    cr = env.cr
    if not table_exists(cr, "lbc_subscription"):
        return
    cr.execute(
        """SELECT id, partner_id, plan_id, user_id, acceptance_id, state, date_start, term_start, term_end,
                  cancel_date, create_date
             FROM lbc_subscription ORDER BY id"""
    )
    rows = cr.dictfetchall()
    moves_linked = column_exists(cr, "account_move", "lbc_subscription_id")
    Subscription = env["sale.subscription"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
    )
    Plan = env["lbc.subscription.plan"].with_context(active_test=False)
    for row in rows:
        plan = Plan.browse(row["plan_id"])
        partner = env["res.partner"].browse(row["partner_id"])
        company = env.company
        subscription = Subscription.create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "template_id": plan.template_id.id,
                "lbc_plan_id": plan.id,
                "lbc_user_id": row["user_id"],
                "lbc_acceptance_id": row["acceptance_id"],
                "user_id": False,
                "pricelist_id": plan._lbc_pricelist().id,
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
        )
        # the stage first (OCA's write starts it "today"), then the real dates
        subscription.write({"stage_id": env.ref(STAGES[row["state"]]).id})
        running = row["state"] in ("active", "cancelled")
        subscription.write(
            {
                "in_progress": running,
                "date_start": row["date_start"],
                "recurring_next_date": row["term_end"] if running else False,
                "lbc_term_start": row["term_start"],
                "lbc_term_end": row["term_end"],
                "lbc_cancel_date": row["cancel_date"],
            }
        )
        if row["state"] == "expired":
            subscription.close_reason_id = env.ref("subscription_oca.close_reason_ended")
        if moves_linked:
            cr.execute(
                "UPDATE account_move SET subscription_id = %s WHERE lbc_subscription_id = %s",
                (subscription.id, row["id"]),
            )
        # the chatter follows (messages and followers)
        cr.execute(
            "UPDATE mail_message SET model = 'sale.subscription', res_id = %s "
            "WHERE model = 'lbc.subscription' AND res_id = %s",
            (subscription.id, row["id"]),
        )
        cr.execute(
            "UPDATE mail_followers SET res_model = 'sale.subscription', res_id = %s "
            "WHERE res_model = 'lbc.subscription' AND res_id = %s",
            (subscription.id, row["id"]),
        )
    env["account.move"].invalidate_model()
    env["sale.subscription"].invalidate_model()
    cron = env.ref("lbc_erp_client.ir_cron_lbc_subscriptions", raise_if_not_found=False)
    if cron:
        cron.unlink()
    _logger.info("lbc_erp_client: %s subscriptions moved to sale.subscription", len(rows))


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _plans_on_templates(env)
    _migrate_subscriptions(env)
