"""LBC's public pages: the home page, the legal notices and the terms in force.

Visitors read no record here: the home page gets two counts (`website._lbc_public_figures`), the legal notices
the publisher's data, and the terms pages the text of the agreements in force, which are public by nature
(every visitor is asked to accept them at signup). account owns /terms (invoice terms): ours are under /legal.
"""

from odoo import http
from odoo.addons.lbc_base.controllers.readonly import lbc_readonly_get
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

    def _lbc_published(self, kind, version=None):
        """The published versions of `kind` (newest first), or the one numbered `version`; 404 when none."""
        if kind not in dict(self._lbc_agreement_kinds()):
            raise request.not_found()
        Agreement = request.env["lbc.agreement"]
        agreements = Agreement._lbc_published(kind) if version is None else Agreement._lbc_published(kind, version)
        if not agreements:
            raise request.not_found()
        return agreements

    # auth='public' is safe: the versions of an agreement in force today or before (the texts members accepted),
    # read by `lbc.agreement._lbc_published` (its kind checked against the selection); never an acceptance, a
    # draft of a future version nor an archived one
    @http.route(
        ["/legal/terms/<string:kind>", "/legal/terms/<string:kind>/v<int:version>"],
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def lbc_terms_kind(self, kind, version=None, **kw):
        versions = self._lbc_published(kind)
        agreement = versions if version is None else self._lbc_published(kind, version)
        return request.render(
            "lbc_portal.website_terms_page",
            {"agreement": agreement[:1], "versions": versions, "current": versions[:1], "pageName": "lbc_terms"},
        )

    # auth='public' is safe: the PDF of a published version (as above), rendered by lbc.agreement._lbc_pdf (not
    # readonly: rendering a report may build its asset bundle)
    @http.route(
        "/legal/terms/<string:kind>/v<int:version>/pdf",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        readonly=lbc_readonly_get,
    )
    def lbc_terms_pdf(self, kind, version, **kw):
        agreement = self._lbc_published(kind, version)
        pdf = agreement._lbc_pdf()
        filename = f"{agreement.name} - v{agreement.version}.pdf"
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", http.content_disposition(filename)),
            ],
        )
