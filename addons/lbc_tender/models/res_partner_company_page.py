from odoo import api, models
from odoo.fields import Domain


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _lbc_page_visible_domain(self):
        """lbc_base's own company, and the other party within the marketplace and contracting:

        - the client of a tender the member's company can see or bid on (the tender's record rules: published
          to the providers with access to the marketplace, to its referencing lists with lbc_erp_client, or bid
          on);
        - the provider of a bid on the member's tenders, once the client may read that bid (sealed bids: after
          the deadline, never a draft or withdrawn bid);
        - both parties of the member's missions.

        Each part is a sub-query evaluated with the member's own rights at the time of the query (no cache to
        clear): nothing here reads a tender, bid or mission the member could not read over RPC."""
        domain = super()._lbc_page_visible_domain()
        user = self.env.user
        company = user.partner_id.parent_id
        if user._is_internal() or user._is_public() or not company.lbc_state:
            return domain
        # the member's own record rules decide (this runs inside res.partner's rules, applied as superuser)
        env = self.env(su=False)
        Tender, Bid, Mission = env["lbc.tender"], env["lbc.tender.bid"], env["lbc.mission"]
        parts = [domain]
        if Tender.has_access("read"):
            tenders = Tender._search([("client_id", "!=", company.id), ("state", "!=", "draft")])
            parts.append(Domain("id", "in", tenders.subselect("client_id")))
        if Bid.has_access("read"):
            bids = Bid._search([("client_id", "=", company.id), ("state", "not in", ("draft", "withdrawn"))])
            parts.append(Domain("id", "in", bids.subselect("provider_id")))
        if Mission.has_access("read"):
            missions = Mission._search([])
            parts.append(Domain("id", "in", missions.subselect("client_id")))
            parts.append(Domain("id", "in", Mission._search([]).subselect("provider_id")))
        return Domain.OR(parts)
