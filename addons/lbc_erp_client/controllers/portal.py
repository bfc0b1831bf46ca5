"""Portal pages of the client's ERP: referencing lists, suppliers, the validation of activity reports
("service fait") and the client's side of the dashboard; the referencing lists of the tender form.

Extends the pages of lbc_tender and lbc_erp_provider by subclassing their controller, as Odoo's `hr_timesheet`
extends `project`'s. Every read and action runs with the member's own rights.
"""

from werkzeug.exceptions import NotFound

from odoo import Command, fields, http
from odoo.addons.lbc_base.controllers.readonly import lbc_readonly_get
from odoo.addons.lbc_erp_provider.controllers.portal import LbcErpProviderPortal
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
MESSAGES = {
    "list_created": _lt("The referencing list was created."),
    "provider_added": _lt("The provider was added to the list."),
    "provider_removed": _lt("The provider was removed from the list."),
}


class LbcErpClientPortal(LbcErpProviderPortal):
    # ------------------------------------------------------------------ /my counters
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "lbc_referencing_count" in counters:
            company = self._lbc_company()
            Lists = request.env["lbc.referencing.list"]
            values["lbc_referencing_count"] = (
                Lists.search_count([("client_id", "=", company.id)])
                if company.lbc_is_client and Lists.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------------ the tender form: its audience
    def _lbc_tender_form_read(self, tender):
        values = super()._lbc_tender_form_read(tender)
        values["referencing_list_ids"] = tender.referencing_list_ids.ids if tender else []
        return values

    def _lbc_tender_form_parse(self, post):
        form, vals = super()._lbc_tender_form_parse(post)
        list_ids = [int(s) for s in request.httprequest.form.getlist("referencing_list_ids") if s.isdigit()]
        form["referencing_list_ids"] = list_ids
        vals["referencing_list_ids"] = [Command.set(list_ids)]
        return form, vals

    def _lbc_tender_form_options(self):
        values = super()._lbc_tender_form_options()
        values["referencing_lists"] = request.env["lbc.referencing.list"].search(
            [("client_id", "=", self._lbc_company().id)]
        )
        return values

    # ------------------------------------------------------------------ activity reports: service done
    @http.route("/my/reports/<int:report_id>/validate", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_report_validate(self, report_id, **post):
        return self._lbc_report_action(report_id, lambda r: r.action_validate(), "report_validated")

    # ------------------------------------------------------------------ referencing lists
    @http.route(
        ["/my/referencing", "/my/referencing/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=lbc_readonly_get,
    )
    def portal_my_referencing(self, page=1, error=None, typed_name=None, **kw):
        company = self._lbc_company()
        if not company.lbc_is_client:
            raise NotFound()
        sortings = {
            "name": {"label": request.env._("Name"), "order": "name asc, id asc"},
            "date": {"label": request.env._("Newest"), "order": "create_date desc, id desc"},
        }
        inputs = {"name": {"label": request.env._("Search in Name"), "domain": lambda s: [("name", "ilike", s)]}}
        kw["page"] = page
        return self._lbc_render_list(
            "lbc_erp_client.portal_my_lbc_referencing_lists",
            "lbc.referencing.list",
            "/my/referencing",
            [("client_id", "=", company.id)],
            kw,
            "referencing_lists",
            "lbc_referencing",
            sortings=sortings,
            inputs=inputs,
            messages=MESSAGES,
            extra={"error": error, "typed_name": typed_name or ""},
        )

    @http.route("/my/referencing/new", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_referencing_new(self, name=None, **post):
        company = self._lbc_company()
        if not company.lbc_is_client:
            raise NotFound()
        name = (name or "").strip()
        ok, result = self._lbc_call(request.env["lbc.referencing.list"].create, {"name": name, "client_id": company.id})
        if not ok:
            return self.portal_my_referencing(error=result, typed_name=name)
        return request.redirect(f"/my/referencing/{result.id}?msg=list_created")

    def _lbc_referencing_values(self, ref_list, error=None, typed=None, **kw):
        return self._lbc_values(
            "lbc_referencing",
            kw,
            MESSAGES,
            ref_list=ref_list,
            providers=ref_list.provider_ids,
            error=error,
            typed=typed or "",
        )

    @http.route("/my/referencing/<int:list_id>", type="http", auth="user", website=True, readonly=lbc_readonly_get)
    def portal_my_referencing_list(self, list_id, **kw):
        try:
            ref_list = self._lbc_record("lbc.referencing.list", list_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return request.render(
            "lbc_erp_client.portal_my_lbc_referencing_list", self._lbc_referencing_values(ref_list, **kw)
        )

    def _lbc_referencing_action(self, list_id, action, msg, typed=None):
        return self._lbc_act(
            "lbc.referencing.list",
            list_id,
            action,
            lambda ref_list, error: request.render(
                "lbc_erp_client.portal_my_lbc_referencing_list",
                self._lbc_referencing_values(ref_list, error=error, typed=typed),
            ),
            lambda ref_list: f"/my/referencing/{ref_list.id}?msg={msg}",
        )

    @http.route("/my/referencing/<int:list_id>/add", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_referencing_add(self, list_id, provider_name=None, **post):
        typed = (provider_name or "").strip()
        return self._lbc_referencing_action(
            list_id, lambda ref_list: ref_list.action_add_provider(typed), "provider_added", typed=typed
        )

    @http.route("/my/referencing/<int:list_id>/remove", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_referencing_remove(self, list_id, provider_id=None, **post):
        provider_id = int(provider_id) if (provider_id or "").isdigit() else 0
        return self._lbc_referencing_action(
            list_id, lambda ref_list: ref_list.action_remove_provider(provider_id), "provider_removed"
        )

    # ------------------------------------------------------------------ suppliers
    @http.route("/my/suppliers", type="http", auth="user", website=True, readonly=lbc_readonly_get)
    def portal_my_suppliers(self, **kw):
        company = self._lbc_company()
        if not company.lbc_is_client:
            raise NotFound()
        providers, active_missions = company.with_env(request.env)._lbc_suppliers()
        # each provider's vigilance as this client's gate sees it (the documents the client requires included)
        vigilance = providers._lbc_compliance_for_client(company)
        labels = dict(providers._fields["lbc_compliance_state"]._description_selection(request.env))
        values = self._lbc_values(
            "lbc_suppliers",
            kw,
            providers=providers,
            active_missions=active_missions,
            vigilance=vigilance,
            vigilance_labels=labels,
        )
        return request.render("lbc_erp_client.portal_my_lbc_suppliers", values)

    # ------------------------------------------------------------------ dashboard: the client's side
    def _lbc_dashboard_values(self, data):
        values = super()._lbc_dashboard_values(data)
        if "client" not in data:
            return values
        client = data["client"]
        labels = [fields.Date.to_date(m).strftime("%m/%Y") for m in data["months"]]
        datasets = [{"label": name, "data": amounts} for name, amounts in client["spend_per_provider"]]
        values.update(
            {
                "client_spend_chart": self._lbc_chart("bar", labels, datasets),
                "client_active_missions": client["active_missions"],
                "client_reports_waiting": client["reports_waiting"],
            }
        )
        return values
