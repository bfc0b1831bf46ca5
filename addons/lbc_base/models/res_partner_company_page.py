"""The company page of a member company: who may open it, and what it shows.

One rule for the portal page and for RPC: `lbc_page_visible` (searchable, evaluated as the current user at the time
of each query) says whether the current user may open a company's page. lbc_base knows the member's own company;
the marketplace (lbc_tender) extends `_lbc_page_visible_domain` with the counterparties of its tenders, bids and
missions, and its record rule on `res.partner` uses the same field, so that a member reads no other company.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

# what the page shows, and what `lbc_read_company_page` returns over RPC
COMPANY_PAGE_FIELDS = (
    "name",
    "lbc_description",
    "street",
    "street2",
    "zip",
    "city",
    "website",
    "lbc_siren",
    "lbc_is_client",
    "lbc_is_provider",
    "lbc_state",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    lbc_page_visible = fields.Boolean(
        string="Company Page Visible",
        compute="_compute_lbc_page_visible",
        search="_search_lbc_page_visible",
        help="Whether the current user may open the page of this member company: its own company; the "
        "marketplace adds the other party of its tenders, bids and missions.",
    )

    @api.depends_context("uid")
    def _compute_lbc_page_visible(self):
        visible = self.with_context(active_test=False).search([("id", "in", self.ids), ("lbc_page_visible", "=", True)])
        for partner in self:
            partner.lbc_page_visible = partner.id in visible.ids

    def _search_lbc_page_visible(self, operator, value):
        if operator != "in":
            return NotImplemented
        domain = Domain([("is_company", "=", True), ("lbc_state", "!=", False)]) & self._lbc_page_visible_domain()
        if True in value and False in value:
            return Domain.TRUE
        return domain if True in value else ~domain

    @api.model
    def _lbc_page_visible_domain(self):
        """The member companies whose page the current user may open (a domain, evaluated at each query).

        Hook: the addons where a relation between two companies lives (lbc_tender: tenders, bids, missions) OR
        their counterparties to it. They compute them with the current user's own rights (its record rules)."""
        user = self.env.user
        if user._is_internal():
            # LBC's staff see every member company from the back office
            return Domain.TRUE if self.env.user.has_group("lbc_base.group_operator") else Domain.FALSE
        company = user.partner_id.parent_id
        if not company or user._is_public():
            return Domain.FALSE
        return Domain("id", "=", company.id)

    @api.model
    def lbc_read_company_page(self, company_id):
        """The page of member company `company_id`, as the current member may see it (the portal page and RPC).

        Refused (AccessError) unless the company is the member's own or a counterparty of the marketplace."""
        company = self.browse(int(company_id)) if str(company_id).isdigit() else self.browse()
        if not company or not self.search_count([("id", "=", company.id), ("lbc_page_visible", "=", True)], limit=1):
            raise AccessError(self.env._("This company page does not exist or is not visible to you."))
        return company._lbc_company_page_values()

    def _lbc_company_page_values(self):
        """The values of the page of this company, read as the current user (the record rules let it read the
        companies whose page it may open). Extended by lbc_compliance (vigilance status)."""
        self.ensure_one()
        values = {name: self[name] or False for name in COMPANY_PAGE_FIELDS}
        values.update(
            {
                "id": self.id,
                "country": self.country_id.name or False,
                "state_label": dict(self._fields["lbc_state"]._description_selection(self.env)).get(self.lbc_state),
                "validated_date": fields.Date.to_string(self.lbc_validated_date) if self.lbc_validated_date else False,
                "is_mine": self == self.env.user.partner_id.parent_id,
            }
        )
        return values
