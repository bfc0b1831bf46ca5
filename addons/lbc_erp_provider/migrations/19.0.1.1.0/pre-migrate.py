"""19.0.1.1.0: the portal pages of lbc_erp_provider come from lbc_portal with their xml ids (views keep their id, their
translations and the changes made on them)."""

from odoo.addons.lbc_base.upgrade import move_xmlids


def migrate(cr, version):
    if version:
        move_xmlids(cr, "lbc_portal", "lbc_erp_provider")
