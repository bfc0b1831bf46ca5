"""The old `lbc.subscription` table, migrated to sale.subscription by post-migrate: Odoo cannot drop the table of a
model that is no longer in the registry, so it goes here, with the external ids of the records that went with the
model (its renewal cron's server action, its record rule: noupdate, so Odoo keeps their ids)."""

from odoo.tools import SQL
from odoo.tools.sql import table_exists

STALE_XMLIDS = (
    "ir_cron_lbc_subscriptions",
    "ir_cron_lbc_subscriptions_ir_actions_server",
    "lbc_subscription_rule_member",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute("SELECT model, res_id FROM ir_model_data WHERE module = 'lbc_erp_client' AND name IN %s", [STALE_XMLIDS])
    for model, res_id in cr.fetchall():
        table = {"ir.cron": "ir_cron", "ir.actions.server": "ir_act_server", "ir.rule": "ir_rule"}.get(model)
        if table:
            cr.execute(SQL("DELETE FROM %s WHERE id = %s", SQL.identifier(table), res_id))
    cr.execute("DELETE FROM ir_model_data WHERE module = 'lbc_erp_client' AND name IN %s", [STALE_XMLIDS])
    if table_exists(cr, "lbc_subscription"):
        cr.execute("DROP TABLE lbc_subscription CASCADE")
