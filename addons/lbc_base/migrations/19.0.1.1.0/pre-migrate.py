"""19.0.1.1.0: the shared portal templates (page messages, the gate) come from lbc_portal to lbc_base."""

from odoo.addons.lbc_base.upgrade import move_xmlids


def migrate(cr, version):
    if version:
        move_xmlids(cr, "lbc_portal", "lbc_base")
