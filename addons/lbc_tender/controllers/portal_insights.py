"""The market-insights page (a feature of the paid plans): the controller parses the filters, calls
`lbc.mission.lbc_market_insights` (the gate and the aggregation live there, as for an RPC client) and renders; a
member without the feature sees what the page gives and the offer to subscribe."""

from odoo import http
from odoo.http import request

from .portal import LbcTenderPortal

SUBSCRIBE_URL = "/my/lbc/status"


class LbcInsightsPortal(LbcTenderPortal):
    @http.route("/my/insights", type="http", auth="user", website=True, methods=["GET"], readonly=True)
    def portal_lbc_insights(self, skill=None, region=None, months=None, **kw):
        env = request.env
        Mission = env["lbc.mission"]
        skill_id = int(skill) if skill and str(skill).isdigit() else None
        try:
            months = int(months or 12)
        except ValueError:
            months = 12
        ok, result = self._lbc_call(
            Mission.lbc_market_insights, skill_ids=[skill_id] if skill_id else None, region=region, months=months
        )
        values = self._lbc_values(
            "lbc_insights",
            kw,
            insights=result if ok else None,
            upsell=None if ok else result,
            subscribe_url=SUBSCRIBE_URL,
            skills=env["lbc.skill"].search([]),
            regions=Mission._lbc_insight_regions(),
            periods=(3, 6, 12, 24),
            filters={"skill": skill_id, "region": region or "", "months": result["months"] if ok else months},
        )
        return request.render("lbc_tender.portal_lbc_insights", values)
