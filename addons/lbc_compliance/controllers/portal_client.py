"""The client's view of the vigilance documents of the providers it contracts with (/my/vigilance).

Every read runs with the member's own rights: the record rule of `lbc.compliance.document` lets a client read the
documents of a provider only while an engagement with it runs; `lbc.compliance.check.lbc_my_providers_compliance`
(the same for an RPC client) names those providers and their status. The files open through Odoo's /web/content,
which checks the same rule.
"""

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.addons.lbc_base.controllers.readonly import lbc_readonly_get
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from .portal import LbcCompliancePortal


class LbcComplianceClientPortal(LbcCompliancePortal):
    # ------------------------------------------------------------------ /my home
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "lbc_provider_vigilance_count" in counters:
            company = self._lbc_company()
            values["lbc_provider_vigilance_count"] = (
                len(request.env["lbc.compliance.check"].lbc_my_providers_compliance()) if company.lbc_is_client else 0
            )
        return values

    # ------------------------------------------------------------------ the providers' documents
    @http.route(
        ["/my/vigilance", "/my/vigilance/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=lbc_readonly_get,
    )
    def portal_lbc_provider_vigilance(self, page=1, **kw):
        company = self._lbc_company()
        if not company.lbc_is_client:
            raise NotFound()
        env = request.env
        providers = env["lbc.compliance.check"].lbc_my_providers_compliance()
        names = {provider["id"]: provider["name"] for provider in providers}

        def provider_domain(search):
            return [("partner_id", "in", [pid for pid, name in names.items() if search.lower() in name.lower()])]

        sortings = {
            "type": {"label": env._("Document Type"), "order": "type_id, issue_date desc, id desc"},
            "expiry_date": {"label": env._("Expiry Date"), "order": "expiry_date, id desc"},
            "issue_date": {"label": env._("Issue Date"), "order": "issue_date desc, id desc"},
        }
        filters = {
            "current": {"label": env._("Current"), "domain": [("is_current", "=", True)]},
            "problems": {
                "label": env._("Rejected or expired"),
                "domain": [("state", "in", ("rejected", "expired"))],
            },
            "all": {"label": env._("All (history)"), "domain": []},
        }
        inputs = {
            "provider": {"label": env._("Search in Provider"), "domain": provider_domain},
            "type": {"label": env._("Search in Type"), "domain": lambda s: [("type_id.name", "ilike", s)]},
        }
        groupbys = {
            "provider": {"label": env._("Provider"), "field": "partner_id"},
            "none": {"label": env._("None")},
        }
        return self._lbc_render_list(
            "lbc_compliance.portal_lbc_provider_vigilance",
            "lbc.compliance.document",
            "/my/vigilance",
            # the record rule limits the documents too: this domain only keeps the member's own company's apart
            [("partner_id", "in", list(names))],
            dict(kw, page=page),
            "documents",
            "lbc_provider_vigilance",
            sortings,
            filters=filters,
            inputs=inputs,
            groupbys=groupbys,
            extra={
                "providers": providers,
                "provider_names": names,
                "today": fields.Date.context_today(request.env.user),
            },
        )

    @http.route(
        "/my/vigilance/<int:document_id>", type="http", auth="user", website=True, methods=["GET"], readonly=True
    )
    def portal_lbc_provider_vigilance_document(self, document_id, **kw):
        company = self._lbc_company()
        if not company.lbc_is_client:
            raise NotFound()
        try:
            # as the member: the record rule lets a client read the providers it contracts with only
            document = self._lbc_record("lbc.compliance.document", document_id)
        except (AccessError, MissingError):
            return request.redirect("/my/vigilance")
        providers = {p["id"]: p for p in request.env["lbc.compliance.check"].lbc_my_providers_compliance()}
        provider = providers.get(document.partner_id.id)
        if not provider:
            # its own company's documents are on /my/compliance
            return request.redirect("/my/vigilance")
        return request.render(
            "lbc_compliance.portal_lbc_provider_vigilance_document",
            self._lbc_values(
                "lbc_provider_vigilance_document",
                kw,
                document=document,
                provider=provider,
                urssaf_verify_url=request.env["lbc.compliance.check"]._lbc_urssaf_verify_url(),
            ),
        )

    # ------------------------------------------------------------------ the documents required of providers
    def _lbc_requirements_render(self, kw=None, error=None, status=200, chosen=None):
        company = self._lbc_company()
        # as the member: the model checks the member belongs to the client (and says whether it may change them)
        options = company.lbc_client_requirement_options()
        if chosen is not None:
            for option in options["types"]:
                option["required"] = option["code"] in chosen
        values = self._lbc_values(
            "lbc_client_requirements",
            kw,
            messages={"saved": request.env._("Saved: your providers are asked for these documents for your missions.")},
            company=company,
            options=options,
        )
        values["error"] = error
        response = request.render("lbc_compliance.portal_lbc_client_requirements", values)
        response.status_code = status
        return response

    @http.route(
        "/my/vigilance/requirements",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
        readonly=lbc_readonly_get,
    )
    def portal_lbc_client_requirements(self, **kw):
        company = self._lbc_company()
        if not company.lbc_is_client:
            raise NotFound()
        if request.httprequest.method != "POST":
            return self._lbc_requirements_render(kw)
        codes = request.httprequest.form.getlist("type_codes")
        # as the member: the model refuses whoever does not administer the client, and the types not meant for it
        ok, result = self._lbc_call(company.action_lbc_require_documents, codes)
        if not ok:
            return self._lbc_requirements_render(error=result, status=400, chosen=set(codes))
        return request.redirect("/my/vigilance/requirements?msg=saved")
