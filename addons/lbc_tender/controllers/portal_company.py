"""lbc_tender's part of lbc_base's company pages: the labour-law acknowledgement the gate offers to providers.

`action_lbc_acknowledge_labour_law` is lbc_tender's, so its page extends lbc_base's `LbcCompanyPortal` here, as
Odoo core's `hr_timesheet` extends `project`'s portal.
"""

from odoo import http
from odoo.addons.lbc_base.controllers.portal_company import LbcCompanyPortal
from odoo.http import request


class LbcTenderCompanyPortal(LbcCompanyPortal):
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
