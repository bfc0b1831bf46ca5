"""LBC's public pages: the home page, the legal notices and the terms in force.

Visitors read no record here: the home page gets two counts (`website._lbc_public_figures`), the legal notices
the publisher's data, and the terms pages the text of the agreements in force, which are public by nature
(every visitor is asked to accept them at signup). account owns /terms (invoice terms): ours are under /legal.
"""

from odoo import http
from odoo.addons.website.controllers.main import Website
from odoo.http import request


class LbcWebsite(Website):
    @http.route()
    def index(self, **kw):
        """LBC's home page (QWeb, lbc_portal.website_home) unless LBC chose another homepage URL in settings."""
        homepage_url = request.website._get_cached("homepage_url")
        if homepage_url and homepage_url != "/":
            return super().index(**kw)
        values = {
            "figures": request.env["website"]._lbc_public_figures(),
            "pageName": "homepage",
        }
        return request.render("lbc_portal.website_home", values)

    def _lbc_agreement_kinds(self):
        """The kinds of agreement, with those other addons add (lbc_erp_client's subscription terms)."""
        return request.env["lbc.agreement"]._fields["kind"]._description_selection(request.env)

    @http.route("/legal", type="http", auth="public", website=True, sitemap=True, readonly=True)
    def lbc_legal_notice(self, **kw):
        return request.render(
            "lbc_portal.website_legal", {"legal": request.website._lbc_legal_notice(), "pageName": "lbc_legal"}
        )

    # auth='public' is safe: the agreements in force are shown to every visitor at signup; only the current
    # version of each kind is read (sudo in `_lbc_current`), never an acceptance nor an older version.
    @http.route("/legal/terms", type="http", auth="public", website=True, sitemap=True, readonly=True)
    def lbc_terms(self, **kw):
        Agreement = request.env["lbc.agreement"]
        agreements = [(kind, label, Agreement._lbc_current(kind)) for kind, label in self._lbc_agreement_kinds()]
        return request.render("lbc_portal.website_terms", {"agreements": agreements, "pageName": "lbc_terms"})

    @http.route("/legal/terms/<string:kind>", type="http", auth="public", website=True, sitemap=False, readonly=True)
    def lbc_terms_kind(self, kind, **kw):
        if kind not in dict(self._lbc_agreement_kinds()):
            raise request.not_found()
        agreement = request.env["lbc.agreement"]._lbc_current(kind)
        if not agreement:
            raise request.not_found()
        return request.render("lbc_portal.website_terms_page", {"agreement": agreement, "pageName": "lbc_terms"})
