"""19.0.1.1.0: the social network's portal pages (templates, home entries, breadcrumbs) come from lbc_portal to
lbc_social with their xml ids."""

from odoo.addons.lbc_base.upgrade import move_xmlids


def migrate(cr, version):
    if version:
        move_xmlids(cr, "lbc_portal", "lbc_social")
