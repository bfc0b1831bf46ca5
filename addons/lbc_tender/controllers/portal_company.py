"""lbc_tender's part of lbc_base's company pages: the labour-law acknowledgement the gate offers to providers, and
what links the member's company to the company whose page it opens (missions, bids, open tenders).

`action_lbc_acknowledge_labour_law` is lbc_tender's, so its page extends lbc_base's `LbcCompanyPortal` here, as
Odoo core's `hr_timesheet` extends `project`'s portal.
"""

from odoo import http
from odoo.addons.lbc_base.controllers.portal_company import LbcCompanyPortal
from odoo.http import request


class LbcTenderCompanyPortal(LbcCompanyPortal):
    def _lbc_company_page_extra(self, company):
        """The missions, bids and open tenders between the member's company and `company`, read with the
        member's rights (the record rules: sealed bids stay out until the deadline)."""
        values = super()._lbc_company_page_extra(company)
        mine = self._lbc_company()
        env = request.env
        if not mine or company == mine:
            return values
        pair = (mine | company).ids
        values["lbc_page_missions"] = env["lbc.mission"].search(
            [("client_id", "in", pair), ("provider_id", "in", pair)], limit=20
        )
        values["lbc_page_bids"] = env["lbc.tender.bid"].search(
            [("client_id", "in", pair), ("provider_id", "in", pair), ("state", "not in", ("draft", "withdrawn"))],
            limit=20,
        )
        values["lbc_page_tenders"] = env["lbc.tender"].search(
            [("client_id", "=", company.id), ("state", "=", "published")], order="deadline", limit=20
        )
        return values

    @http.route("/my/company/acknowledge_labour_law", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_acknowledge_labour_law(self, redirect=None, **kw):
        company = self._lbc_company()
        if not company:
            return request.redirect("/my/company")
        ok, result = self._lbc_call(company.action_lbc_acknowledge_labour_law)
        if not ok:
            return self._lbc_company_render(error=result)
        target = redirect if redirect and redirect.startswith("/my") else "/my/company"
        return request.redirect(target)
