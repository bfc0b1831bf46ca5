"""The provider's vigilance documents pages (/my/compliance).

Every page acts with the member's own rights: `res.partner.action_lbc_upload_compliance_document` checks that
the member administers the provider and the file's content; the record rules of `lbc.compliance.document`
limit what it reads.
"""

import base64

from odoo import fields, http
from odoo.addons.lbc_base.controllers.portal import LbcPortal
from odoo.addons.lbc_base.controllers.readonly import lbc_readonly_get
from odoo.exceptions import AccessError, MissingError
from odoo.http import request


class LbcCompliancePortal(LbcPortal):
    # ------------------------------------------------------------------ /my home
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "lbc_compliance_document_count" in counters:
            company = self._lbc_company()
            count = 0
            if company.lbc_is_provider:
                count = request.env["lbc.compliance.document"].search_count(
                    [("partner_id", "=", company.id), ("is_current", "=", True)]
                )
            values["lbc_compliance_document_count"] = count
        return values

    # ------------------------------------------------------------------ vigilance documents
    def _lbc_compliance_searchbar(self):
        return {
            "sortings": {
                "type": {"label": request.env._("Document Type"), "order": "type_id, issue_date desc, id desc"},
                "issue_date": {"label": request.env._("Issue Date"), "order": "issue_date desc, id desc"},
                "expiry_date": {"label": request.env._("Expiry Date"), "order": "expiry_date, id desc"},
            },
            "filters": {
                "current": {"label": request.env._("Current"), "domain": [("is_current", "=", True)]},
                "to_review": {"label": request.env._("Awaiting review"), "domain": [("state", "=", "submitted")]},
                "problems": {
                    "label": request.env._("Rejected or expired"),
                    "domain": [("state", "in", ("rejected", "expired"))],
                },
                "all": {"label": request.env._("All (history)"), "domain": []},
            },
            "inputs": {
                "type": {
                    "label": request.env._("Search in Type"),
                    "domain": lambda search: [("type_id.name", "ilike", search)],
                },
            },
        }

    def _lbc_compliance_render(self, kw=None, error=None, form=None, status=200):
        company = self._lbc_company()
        if not company.lbc_is_provider:
            return self._lbc_gate_render(
                [
                    {
                        "text": request.env._("Vigilance documents are asked of provider companies only."),
                        "url": "/my/company",
                        "label": request.env._("My company"),
                    }
                ]
                if company
                else self._lbc_gate_missing(needs=("company",)),
                title=request.env._("Vigilance documents"),
            )
        searchbar = self._lbc_compliance_searchbar()
        response = self._lbc_render_list(
            "lbc_compliance.portal_lbc_compliance",
            "lbc.compliance.document",
            "/my/compliance",
            [("partner_id", "=", company.id)],
            kw or {},
            "documents",
            "lbc_compliance",
            searchbar["sortings"],
            filters=searchbar["filters"],
            inputs=searchbar["inputs"],
            messages={
                "uploaded": request.env._("The document is uploaded: LBC will verify it."),
                "uploaded_uncertain": request.env._(
                    "The document is uploaded, but what it says could not all be matched with your company "
                    "(see the document's reading notes): LBC checks it by hand."
                ),
                "uploaded_manual": request.env._(
                    "The document is uploaded. It has no text the suite can read (a scan or an image): "
                    "LBC's compliance officer reviews it by hand, which may take longer."
                ),
            },
            extra={
                "company": company,
                "is_admin": self._lbc_is_admin(company),
                "document_types": request.env["lbc.compliance.document.type"]._lbc_uploadable_types(
                    company.lbc_is_foreign
                ),
                "state_label": dict(company._fields["lbc_compliance_state"]._description_selection(request.env)).get(
                    company.lbc_compliance_state
                ),
                "error": error,
                "form": form or {},
                "today": fields.Date.context_today(request.env.user),
            },
        )
        response.status_code = status
        return response

    @http.route(
        ["/my/compliance", "/my/compliance/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=lbc_readonly_get,
    )
    def portal_lbc_compliance(self, page=1, upload=None, **kw):
        # the direct link of the reminders (?upload=<type code>) opens the upload form on that type
        return self._lbc_compliance_render(dict(kw, page=page), form={"type_code": upload} if upload else None)

    @http.route("/my/compliance/upload", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_compliance_upload(self, type_code=None, issue_date=None, urssaf_code=None, file=None, **post):
        company = self._lbc_company()
        form = {"type_code": type_code, "issue_date": issue_date, "urssaf_code": urssaf_code}
        if not company.lbc_is_provider:
            return self._lbc_compliance_render()
        filename = getattr(file, "filename", None) or ""
        datas = base64.b64encode(file.read()) if filename else b""
        try:
            issue = fields.Date.to_date(issue_date) if issue_date else False
        except ValueError:
            return self._lbc_compliance_render(
                error=request.env._("The issue date %(date)s is not a date.", date=issue_date), form=form, status=400
            )
        # as the member: the upload action checks the member administers the provider and the file's content
        ok, result = self._lbc_call(
            company.action_lbc_upload_compliance_document,
            type_code,
            filename,
            datas,
            issue,
            urssaf_code=(urssaf_code or "").strip() or None,
        )
        if not ok:
            return self._lbc_compliance_render(error=result, form=form, status=400)
        # as the member: its own company's document, just uploaded
        reading = request.env["lbc.compliance.document"].browse(result).reading_state
        msg = {"uncertain": "uploaded_uncertain", "manual": "uploaded_manual"}.get(reading, "uploaded")
        return request.redirect(f"/my/compliance?msg={msg}")

    @http.route("/my/compliance/read", type="jsonrpc", auth="user", website=True, readonly=True)
    def portal_lbc_compliance_read(self, type_code=None, filename=None, datas=None, **kw):
        """The upload form reads the chosen attestation to pre-fill itself: as the member, nothing stored."""
        company = self._lbc_company()
        ok, result = self._lbc_call(
            company.action_lbc_read_compliance_document, type_code, filename or "", (datas or "").encode()
        )
        return result if ok else {"error": result}

    @http.route(
        "/my/compliance/<int:document_id>", type="http", auth="user", website=True, methods=["GET"], readonly=True
    )
    def portal_lbc_compliance_document(self, document_id, **kw):
        try:
            # as the member: the record rule limits documents to its company (and the clients it works with)
            document = self._lbc_record("lbc.compliance.document", document_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if document.partner_id != self._lbc_company():
            # a client reads its providers' documents elsewhere (the mission pages), not on this page
            return request.redirect("/my")
        return request.render(
            "lbc_compliance.portal_lbc_compliance_document",
            self._lbc_values("lbc_compliance_document", kw, document=document),
        )
