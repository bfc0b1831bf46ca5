"""The client's purchasing approvals page (/my/approvals): the tenders and mission orders of the company above its
approval threshold, waiting for a purchasing approver or decided; approve, refuse with a reason; the threshold, set
by the company's administrator.

Every read and action runs with the member's own rights: `lbc.purchase.approval.mixin` decides who approves (a
purchasing approver of the client who did not commit the amount), `res.partner.action_lbc_set_approval_threshold`
who sets the threshold (its administrators). The page only hides the buttons the model would refuse.
"""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.lbc_base.controllers.readonly import lbc_readonly_get
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools.translate import LazyTranslate

from .portal import LbcErpClientPortal

_lt = LazyTranslate(__name__)
APPROVAL_MESSAGES = {
    "approved": _lt("Approved: the author is told."),
    "refused": _lt("Refused: the author is told why."),
    "threshold": _lt("The approval threshold is saved."),
}
# the kinds of commitments on the page: url segment -> (model, page of the record)
APPROVAL_KINDS = {
    "tenders": ("lbc.tender", "/my/tenders/%s"),
    "missions": ("lbc.mission", "/my/missions/%s"),
}


class LbcPurchaseApprovalPortal(LbcErpClientPortal):
    # ------------------------------------------------------------------ /my counters
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "lbc_approval_count" in counters:
            company = self._lbc_company()
            count = 0
            if company.lbc_is_client:
                count = sum(request.env[model]._lbc_purchase_waiting_count() for model, _url in APPROVAL_KINDS.values())
            values["lbc_approval_count"] = count
        return values

    # ------------------------------------------------------------------ the lists
    def _lbc_approval_render(self, kind, kw, error=None, form=None, status=200):
        company = self._lbc_company()
        if not company.lbc_is_client or kind not in APPROVAL_KINDS:
            raise NotFound()
        model, record_url = APPROVAL_KINDS[kind]
        env = request.env
        sortings = {
            "date": {"label": env._("Newest"), "order": "write_date desc, id desc"},
            "name": {"label": env._("Name"), "order": "name asc, id asc"},
        }
        filters = {
            "waiting": {"label": env._("Waiting"), "domain": [("purchase_approval_state", "=", "to_approve")]},
            "approved": {"label": env._("Approved"), "domain": [("purchase_approval_state", "=", "approved")]},
            "refused": {"label": env._("Refused"), "domain": [("purchase_approval_state", "=", "refused")]},
            "all": {"label": env._("All"), "domain": []},
        }
        inputs = {"name": {"label": env._("Search in Name"), "domain": lambda s: [("name", "ilike", s)]}}
        base_domain = [("client_id", "=", company.id), ("purchase_approval_state", "!=", "not_required")]
        user = request.env.user
        response = self._lbc_render_list(
            "lbc_erp_client.portal_my_lbc_approvals",
            model,
            f"/my/approvals/{kind}",
            base_domain,
            kw,
            "commitments",
            "lbc_approvals",
            sortings=sortings,
            filters=filters,
            inputs=inputs,
            messages=APPROVAL_MESSAGES,
            extra={
                "kind": kind,
                "record_url": record_url,
                "company": company,
                "is_approver": user._lbc_has_role("purchase_approver", company),
                "is_admin": self._lbc_is_admin(company),
                "waiting_counts": {
                    key: request.env[kind_model].search_count(
                        [("client_id", "=", company.id), ("purchase_approval_state", "=", "to_approve")]
                    )
                    for key, (kind_model, _url) in APPROVAL_KINDS.items()
                },
                "error": error,
                "form": form or {},
            },
        )
        # the amounts, the names of who asked and approved, and whether the member may decide, for the records
        # shown (read as the member: the list came from its own search)
        qcontext = response.qcontext
        qcontext["info"] = qcontext["commitments"]._lbc_purchase_approval_info()
        response.status_code = status
        return response

    @http.route("/my/approvals", type="http", auth="user", website=True, readonly=lbc_readonly_get)
    def portal_my_approvals(self, **kw):
        company = self._lbc_company()
        if not company.lbc_is_client:
            raise NotFound()
        # the tenders first, unless only mission orders wait
        Tender, Mission = request.env["lbc.tender"], request.env["lbc.mission"]
        waiting = [("client_id", "=", company.id), ("purchase_approval_state", "=", "to_approve")]
        kind = "missions" if not Tender.search_count(waiting) and Mission.search_count(waiting) else "tenders"
        return self._lbc_approval_render(kind, kw)

    @http.route(
        ["/my/approvals/<string:kind>", "/my/approvals/<string:kind>/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=lbc_readonly_get,
    )
    def portal_my_approvals_kind(self, kind, page=1, **kw):
        return self._lbc_approval_render(kind, dict(kw, page=page))

    # ------------------------------------------------------------------ decisions
    def _lbc_approval_decide(self, kind, record_id, action, msg, form=None):
        if kind not in APPROVAL_KINDS:
            raise NotFound()
        model, _url = APPROVAL_KINDS[kind]
        try:
            record = self._lbc_record(model, record_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        # as the member: the model checks it is a purchasing approver of the client who did not commit it
        ok, result = self._lbc_call(action, record)
        if not ok:
            return self._lbc_approval_render(
                kind, {"filterby": "all"}, error=result, form=dict(form or {}, record_id=record.id), status=400
            )
        return request.redirect(f"/my/approvals/{kind}?filterby=all&msg={msg}")

    @http.route(
        "/my/approvals/<string:kind>/<int:record_id>/approve", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_my_approval_approve(self, kind, record_id, **post):
        return self._lbc_approval_decide(kind, record_id, lambda r: r.action_purchase_approve(), "approved")

    @http.route(
        "/my/approvals/<string:kind>/<int:record_id>/refuse", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_my_approval_refuse(self, kind, record_id, reason=None, **post):
        reason = (reason or "").strip()
        return self._lbc_approval_decide(
            kind, record_id, lambda r: r.action_purchase_refuse(reason=reason), "refused", form={"reason": reason}
        )

    # ------------------------------------------------------------------ the threshold
    @http.route("/my/approvals/threshold", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_approval_threshold(self, threshold=None, **post):
        company = self._lbc_company()
        if not company.lbc_is_client:
            raise NotFound()
        # as the member: the model lets the company's administrators only, and refuses a negative amount
        ok, result = self._lbc_call(company.action_lbc_set_approval_threshold, (threshold or "").strip() or 0)
        if not ok:
            return self._lbc_approval_render(
                "tenders", {}, error=result, form={"threshold": threshold or ""}, status=400
            )
        return request.redirect("/my/approvals/tenders?msg=threshold")
