"""19.0.1.1.0: the provider's vigilance documents pages come from lbc_portal to lbc_compliance."""

from odoo.addons.lbc_base.upgrade import move_xmlids


def migrate(cr, version):
    if version:
        move_xmlids(cr, "lbc_portal", "lbc_compliance")
