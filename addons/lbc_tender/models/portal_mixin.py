from odoo import api, models


class PortalMixin(models.AbstractModel):
    _inherit = "portal.mixin"

    @api.model_create_multi
    def create(self, vals_list):
        """The LBC documents (tenders, bids, missions, activity reports) get their access token when created: the
        portal pages that link them (the previous/next pager, the chatter) are read on the replica and must not
        write one on first display, as core's `_portal_ensure_token` would."""
        records = super().create(vals_list)
        if self._name.startswith("lbc."):
            for record in records.sudo():
                record._portal_ensure_token()
        return records
