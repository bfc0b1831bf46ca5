"""Portal pages of the provider's company: the assignments of its consultants to its missions, the self-billing
mandate, the list of its clients with their missions.

Each page calls the model method an RPC client calls (`lbc.mission.assignment.action_lbc_assign` /
`action_end`, `res.partner.action_lbc_sign_self_billing_mandate` / `action_lbc_revoke_self_billing_mandate`);
the buttons show only to who may use them, and the methods refuse anybody else.
"""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.lbc_base.controllers.readonly import lbc_readonly_get
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools.translate import LazyTranslate

from .portal import LbcErpProviderPortal

_lt = LazyTranslate(__name__)
PROVIDER_MESSAGES = {
    "assigned": _lt("The consultant is assigned: it is told by e-mail and fills its activity reports on the mission."),
    "ended": _lt("The assignment is ended."),
    "signed": _lt("The self-billing mandate is signed: LBC issues your invoices on your behalf from now on."),
    "revoked": _lt("The self-billing mandate is revoked: the next invoices are your own."),
}


class LbcProviderCompanyPortal(LbcErpProviderPortal):
    def _lbc_provider(self):
        """The member's company when it is a provider, else an empty recordset."""
        company = self._lbc_company()
        return company if company.lbc_is_provider else company.browse()

    def _lbc_assignments_domain(self, company):
        if self._lbc_is_admin(company):
            return [("provider_id", "=", company.id)]
        return [("provider_id", "=", company.id), ("consultant_id", "=", self._lbc_member().id)]

    # ------------------------------------------------------------------ /my counters
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if {"lbc_assignment_count", "lbc_self_billing_count", "lbc_client_count"} & set(counters):
            company = self._lbc_provider()
            if "lbc_assignment_count" in counters:
                values["lbc_assignment_count"] = (
                    request.env["lbc.mission.assignment"].search_count(
                        [*self._lbc_assignments_domain(company), ("state", "=", "running")]
                    )
                    if company
                    else 0
                )
            if "lbc_self_billing_count" in counters:
                # one mandate per provider company: its page, for every member of a provider
                values["lbc_self_billing_count"] = 1 if company else 0
            if "lbc_client_count" in counters:
                values["lbc_client_count"] = (
                    len(request.env["lbc.mission"]._read_group([("provider_id", "=", company.id)], ["client_id"]))
                    if company
                    else 0
                )
        return values

    # ------------------------------------------------------------------ assignments
    def _lbc_assignments_render(self, company, kw, error=None, form=None, status=200):
        env = request.env
        is_admin = self._lbc_is_admin(company)
        sortings = {
            "start": {"label": env._("Start Date"), "order": "date_start desc, id desc"},
            "end": {"label": env._("End Date"), "order": "date_end asc, id desc"},
            "mission": {"label": env._("Mission"), "order": "mission_id desc, date_start desc"},
            "consultant": {"label": env._("Consultant"), "order": "consultant_id, date_start desc"},
        }
        filters = {
            "running": {"label": env._("Running"), "domain": [("state", "=", "running")]},
            "ended": {"label": env._("Ended"), "domain": [("state", "=", "ended")]},
            "all": {"label": env._("All"), "domain": []},
        }
        inputs = {
            "consultant": {
                "label": env._("Search in Consultant"),
                "domain": lambda s: [("consultant_id.name", "ilike", s)],
            },
            "mission": {"label": env._("Search in Mission"), "domain": lambda s: [("mission_id.name", "ilike", s)]},
        }
        extra = {"company": company, "is_admin": is_admin, "assign_form": form or {}}
        if is_admin:
            extra["missions"] = env["lbc.mission"].search(
                [("provider_id", "=", company.id), ("state", "in", ("draft", "active"))], order="date_start desc"
            )
            extra["consultants"] = env["res.partner"].search(
                [("parent_id", "=", company.id), ("is_company", "=", False), ("type", "=", "contact")], order="name"
            )
        if error:
            extra["error"] = error
        response = self._lbc_render_list(
            "lbc_erp_provider.portal_my_lbc_assignments",
            "lbc.mission.assignment",
            "/my/assignments",
            self._lbc_assignments_domain(company),
            kw,
            "assignments",
            "lbc_assignments",
            sortings,
            filters=filters,
            inputs=inputs,
            messages=PROVIDER_MESSAGES,
            extra=extra,
        )
        response.status_code = status
        return response

    @http.route(
        ["/my/assignments", "/my/assignments/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=lbc_readonly_get,
    )
    def portal_my_assignments(self, page=1, **kw):
        company = self._lbc_provider()
        if not company:
            return request.redirect("/my")
        return self._lbc_assignments_render(company, dict(kw, page=page))

    @http.route("/my/assignments/new", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_assignment_new(self, mission_id=None, consultant_id=None, date_start=None, date_end=None, **post):
        company = self._lbc_provider()
        if not company:
            return request.redirect("/my")
        form = {
            "mission_id": mission_id or "",
            "consultant_id": consultant_id or "",
            "date_start": date_start or "",
            "date_end": date_end or "",
        }
        if not str(mission_id or "").isdigit() or not str(consultant_id or "").isdigit():
            return self._lbc_assignments_render(
                company, {}, error=request.env._("Choose a mission and a consultant."), form=form, status=400
            )
        # as the member: the model checks it administers the provider, the mission, the consultant and the dates
        ok, result = self._lbc_call(
            request.env["lbc.mission.assignment"].action_lbc_assign,
            int(mission_id),
            int(consultant_id),
            date_start or None,
            date_end or None,
        )
        if not ok:
            return self._lbc_assignments_render(company, {}, error=result, form=form, status=400)
        return request.redirect("/my/assignments?msg=assigned")

    @http.route("/my/assignments/<int:assignment_id>/end", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_assignment_end(self, assignment_id, date_end=None, reason=None, **post):
        company = self._lbc_provider()
        if not company:
            return request.redirect("/my")
        try:
            assignment = self._lbc_record("lbc.mission.assignment", assignment_id)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        ok, result = self._lbc_call(assignment.action_end, date_end or None, reason)
        if not ok:
            return self._lbc_assignments_render(company, {}, error=result, status=403)
        return request.redirect("/my/assignments?msg=ended")

    # ------------------------------------------------------------------ self-billing mandate
    def _lbc_self_billing_render(self, company, kw, error=None, status=200):
        env = request.env
        # the current text of the mandate: published agreements are public by nature (read as LBC publishes them)
        mandate = env["lbc.agreement"]._lbc_current("self_billing_mandate").with_context(lang=env.lang)
        can_sign = bool(env.user._lbc_has_role(("admin", "signatory"), company, verified=True))
        values = self._lbc_values(
            "lbc_self_billing",
            kw,
            PROVIDER_MESSAGES,
            error=error,
            company=company,
            mandate=mandate,
            can_sign=can_sign,
            # the invoices issued on the company's behalf are its own documents; the flag is LBC's setting
            self_billing_enabled=env.company.sudo().lbc_self_billing,
        )
        return request.render("lbc_erp_provider.portal_my_lbc_self_billing", values, status=status)

    @http.route("/my/self-billing", type="http", auth="user", website=True, methods=["GET"], readonly=True)
    def portal_my_self_billing(self, **kw):
        company = self._lbc_provider()
        if not company:
            return request.redirect("/my")
        return self._lbc_self_billing_render(company, kw)

    @http.route("/my/self-billing/sign", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_self_billing_sign(self, accept=None, **post):
        company = self._lbc_provider()
        if not company:
            return request.redirect("/my")
        if not accept:
            return self._lbc_self_billing_render(
                company, {}, error=request.env._("Tick the box to accept the mandate's text."), status=400
            )
        ok, result = self._lbc_call(company.action_lbc_sign_self_billing_mandate)
        if not ok:
            return self._lbc_self_billing_render(company, {}, error=result, status=403)
        return request.redirect("/my/self-billing?msg=signed")

    @http.route("/my/self-billing/revoke", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_self_billing_revoke(self, reason=None, **post):
        company = self._lbc_provider()
        if not company:
            return request.redirect("/my")
        ok, result = self._lbc_call(company.action_lbc_revoke_self_billing_mandate, reason)
        if not ok:
            return self._lbc_self_billing_render(company, {}, error=result, status=403)
        return request.redirect("/my/self-billing?msg=revoked")

    # ------------------------------------------------------------------ clients and their missions
    @http.route(
        ["/my/clients", "/my/clients/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=lbc_readonly_get,
    )
    def portal_my_clients(self, page=1, **kw):
        """The provider's clients with their missions: the provider's missions grouped by client (read with the
        member's rights: a client appears through the missions only)."""
        company = self._lbc_provider()
        if not company:
            return request.redirect("/my")
        env = request.env
        sortings = {
            "date": {"label": env._("Start Date"), "order": "date_start desc, id desc"},
            "end": {"label": env._("End Date"), "order": "date_end desc, id desc"},
            "name": {"label": env._("Reference"), "order": "name asc, id asc"},
        }
        filters = {
            "all": {"label": env._("All"), "domain": []},
            "active": {"label": env._("Active"), "domain": [("state", "=", "active")]},
            "draft": {"label": env._("Waiting for the Order Signature"), "domain": [("state", "=", "draft")]},
            "done": {"label": env._("Done or Terminated"), "domain": [("state", "in", ("done", "terminated"))]},
        }
        inputs = {
            "client": {"label": env._("Search in Client"), "domain": lambda s: [("client_id.name", "ilike", s)]},
            "name": {"label": env._("Search in Reference"), "domain": lambda s: [("name", "ilike", s)]},
            "consultant": {
                "label": env._("Search in Consultant"),
                "domain": lambda s: [("consultant_id.name", "ilike", s)],
            },
        }
        groupbys = {
            "client": {"label": env._("Client"), "field": "client_id"},
            "none": {"label": env._("None")},
        }
        kw["page"] = page
        return self._lbc_render_list(
            "lbc_erp_provider.portal_my_lbc_clients",
            "lbc.mission",
            "/my/clients",
            [("provider_id", "=", company.id)],
            kw,
            "missions",
            "lbc_clients",
            sortings,
            filters=filters,
            inputs=inputs,
            groupbys=groupbys,
            extra={"company": company},
        )
