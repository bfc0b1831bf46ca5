"""`readonly=` of the social pages that write only once (see lbc_base/controllers/readonly.py)."""

from odoo.http import request


def lbc_readonly_once_profile_exists(controller, rule, args):
    """My profile: read on the replica once the member has one; the first visit creates it, on the primary."""
    if request.httprequest.method not in ("GET", "HEAD") or not request.session.uid:
        return False
    partner = request.env.user.partner_id
    return bool(request.env["lbc.profile"].search_count([("partner_id", "=", partner.id)], limit=1))
