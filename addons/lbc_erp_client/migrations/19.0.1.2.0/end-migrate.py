"""The old `lbc.subscription` table, migrated to sale.subscription by post-migrate: Odoo cannot drop the table of a
model that is no longer in the registry, so it goes here."""

from odoo.tools.sql import table_exists


def migrate(cr, version):
    if version and table_exists(cr, "lbc_subscription"):
        cr.execute("DROP TABLE lbc_subscription CASCADE")
