"""The member's company and agreements pages (/my/company, /my/agreements).

Every page acts with the member's own rights: `res.partner`, `lbc.join.request`, `lbc.company.role` and
`lbc.agreement` check who may do what. `sudo()` appears only after an explicit check, with a comment.
"""

from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fr import siret as stdnum_siret
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from .portal import LbcPortal
from .readonly import lbc_readonly_get

COMPANY_FORM_FIELDS = ("name", "company_registry", "vat", "street", "zip", "city", "phone", "email", "website")


class LbcCompanyPortal(LbcPortal):
    # ------------------------------------------------------------------ helpers
    def _lbc_record_or_404(self, model, record_id):
        """`_lbc_record`, answering 404 when the member may not read the record (other companies' ids are not
        disclosed)."""
        try:
            return self._lbc_record(model, record_id)
        except (AccessError, MissingError) as error:
            raise NotFound() from error

    # ------------------------------------------------------------------ /my home
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "lbc_join_request_count" in counters:
            company = self._lbc_company()
            count = 0
            if company and self._lbc_is_admin(company):
                count = request.env["lbc.join.request"].search_count(
                    [("member_company_id", "=", company.id), ("state", "=", "pending")]
                )
            values["lbc_join_request_count"] = count
        if "lbc_agreement_count" in counters:
            values["lbc_agreement_count"] = len(request.env["res.users"]._lbc_agreements_to_accept())
        return values

    # ------------------------------------------------------------------ company
    def _lbc_company_messages(self):
        return {
            "created": request.env._(
                "Your company is created: complete its address, then submit it for validation by LBC."
            ),
            "updated": request.env._("The company is saved."),
            "submitted": request.env._("The company is submitted: LBC will review it and let you know."),
            "join_requested": request.env._("Your request is sent to the company's administrators."),
            "join_cancelled": request.env._("Your request is cancelled."),
            "accepted": request.env._("The member joined the company."),
            "refused": request.env._("The request is refused; the member is told why."),
            "granted": request.env._("The role is granted."),
            "revoked": request.env._("The role is revoked."),
            "left": request.env._("You left the company."),
        }

    def _lbc_company_values(self, company):
        values = {"company": company, "is_admin": self._lbc_is_admin(company)}
        if not company:
            return values
        members = company.child_ids.filtered(lambda p: not p.is_company and p.type == "contact")
        roles = request.env["lbc.company.role"].search([("member_company_id", "=", company.id)])
        values.update(
            {
                "members": members,
                "roles_by_member": {m.id: roles.filtered(lambda r, m=m: r.member_id == m) for m in members},
                "role_selection": request.env["lbc.company.role"]._fields["role"]._description_selection(request.env),
                "state_label": dict(company._fields["lbc_state"]._description_selection(request.env)).get(
                    company.lbc_state
                ),
                "gate_missing": self._lbc_gate_missing(needs=("validated", "agreements", "labour_law")),
            }
        )
        if values["is_admin"]:
            join_requests = request.env["lbc.join.request"].search(
                [("member_company_id", "=", company.id), ("state", "=", "pending")]
            )
            # sudo: the admin reads the requests it may answer (found above with its own rights); the
            # requester is not yet a member of the company, so its name is read with sudo
            values["join_requests"] = join_requests.sudo()
        return values

    def _lbc_company_render(self, kw=None, error=None, form=None, status=200, join_results=None, search=None):
        company = self._lbc_company()
        member = self._lbc_member()
        values = self._lbc_values(
            "lbc_company",
            kw,
            self._lbc_company_messages(),
            error=error,
            form=form or {},
            member=member,
            countries=request.env["res.country"].search([]),
            france=request.env.ref("base.fr"),
            join_results=join_results,
            join_search=search or "",
            # sudo: the member's own pending requests (found with its rights); the company it asked to join
            # is not readable by it yet, and only its name is shown
            my_join_requests=request.env["lbc.join.request"]
            .search([("member_id", "=", member.id), ("state", "=", "pending")])
            .sudo(),
        )
        values.update(self._lbc_company_values(company))
        if not form and company:
            values["form"] = {name: company[name] or "" for name in COMPANY_FORM_FIELDS}
            values["form"].update(
                {
                    "country_id": company.country_id.id,
                    "lbc_is_client": company.lbc_is_client,
                    "lbc_is_provider": company.lbc_is_provider,
                    "lbc_description": company.lbc_description or "",
                }
            )
        return request.render("lbc_base.portal_lbc_company", values, status=status)

    def _lbc_company_form_vals(self, post):
        vals = {name: (post.get(name) or "").strip() for name in COMPANY_FORM_FIELDS}
        vals = {name: value for name, value in vals.items() if value}
        vals["lbc_is_client"] = bool(post.get("lbc_is_client"))
        vals["lbc_is_provider"] = bool(post.get("lbc_is_provider"))
        if post.get("lbc_description") is not None:
            vals["lbc_description"] = post["lbc_description"].strip()
        country_id = post.get("country_id")
        if country_id and str(country_id).isdigit():
            vals["country_id"] = int(country_id)
        return vals

    def _lbc_search_companies(self, search):
        """Member companies matching an exact SIRET or an exact name (case-insensitive)."""
        siret = search.replace(" ", "").replace(".", "").replace("-", "")
        domain = [("is_company", "=", True), ("lbc_state", "in", ("draft", "submitted", "validated"))]
        if siret.isdigit():
            domain.append(("company_registry", "=", siret))
        else:
            domain.append(("name", "=ilike", search))
        # sudo: a member without a company cannot read other companies; the search is a fixed exact match
        # (never a user-chosen domain nor a partial match: no way to list the members of the platform) and the
        # template shows only the name and city needed to pick the company
        return request.env["res.partner"].sudo().search(domain, limit=5)

    @http.route("/my/company", type="http", auth="user", website=True, methods=["GET"], readonly=True)
    def portal_lbc_company(self, join_search=None, **kw):
        join_results = None
        search = (join_search or "").strip()
        if search and not self._lbc_company():
            join_results = self._lbc_search_companies(search)
        return self._lbc_company_render(kw, join_results=join_results, search=search)

    @http.route("/my/company/siret_check", type="jsonrpc", auth="user", website=True, readonly=True)
    def portal_lbc_siret_check(self, siret=None, **kw):
        """Live check of a SIRET as the member types it (the server checks it again on save)."""
        value = (siret or "").replace(" ", "").replace(".", "").replace("-", "")
        if not value:
            return {"valid": False, "message": ""}
        try:
            stdnum_siret.validate(value)
        except StdnumValidationError:
            if not value.isdigit() or len(value) != 14:
                message = request.env._("A SIRET has 14 digits (%(count)s typed).", count=len(value))
            else:
                message = request.env._("This SIRET is not valid: check the digits (the check digit does not match).")
            return {"valid": False, "message": message}
        # sudo: only tells whether this exact SIRET (public registry data) is already on the platform
        taken = (
            request.env["res.partner"]
            .sudo()
            .search_count([("lbc_state", "!=", False), ("company_registry", "=", value)], limit=1)
        )
        if taken:
            return {
                "valid": False,
                "message": request.env._(
                    "This SIRET is already registered on the platform: ask to join the company instead."
                ),
            }
        return {"valid": True, "message": request.env._("Valid SIRET (SIREN %(siren)s).", siren=value[:9])}

    @http.route("/my/company/create", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_company_create(self, **post):
        vals = self._lbc_company_form_vals(post)
        if not vals.get("name"):
            return self._lbc_company_render(
                error=request.env._("Please give the company's name."), form=post, status=400
            )
        france = request.env.ref("base.fr")
        if vals.get("company_registry") and vals.get("country_id", france.id) == france.id:
            if not stdnum_siret.is_valid(vals["company_registry"].replace(" ", "")):
                return self._lbc_company_render(
                    error=request.env._(
                        "The SIRET %(siret)s is not valid: a SIRET has 14 digits and a valid check digit.",
                        siret=vals["company_registry"],
                    ),
                    form=post,
                    status=400,
                )
        vals.setdefault("country_id", france.id)
        # as the member: lbc_create_company checks the fields a member may set, the SIRET, and its company
        ok, result = self._lbc_call(request.env["res.partner"].lbc_create_company, vals)
        if not ok:
            return self._lbc_company_render(error=result, form=post, status=400)
        return request.redirect("/my/company?msg=created")

    @http.route("/my/company/join", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_company_join(self, company_id=None, **post):
        if not str(company_id or "").isdigit():
            return self._lbc_company_render(error=request.env._("Please choose a company."), status=400)
        ok, result = self._lbc_call(request.env["res.partner"].action_lbc_request_join, int(company_id))
        if not ok:
            return self._lbc_company_render(error=result, status=400)
        return request.redirect("/my/company?msg=join_requested")

    @http.route(
        "/my/company/join/<int:join_id>/<string:decision>",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_lbc_join_decide(self, join_id, decision, reason=None, **post):
        """accept / refuse (company admins) or cancel (the requesting member): the actions check who."""
        join_request = self._lbc_record_or_404("lbc.join.request", join_id)
        if decision == "accept":
            ok, result = self._lbc_call(join_request.action_accept)
        elif decision == "refuse":
            ok, result = self._lbc_call(join_request.action_refuse, reason=reason)
        elif decision == "cancel":
            ok, result = self._lbc_call(join_request.action_cancel)
        else:
            raise NotFound()
        if not ok:
            return self._lbc_company_render(error=result, status=403)
        msg = {"accept": "accepted", "refuse": "refused", "cancel": "join_cancelled"}[decision]
        return request.redirect(f"/my/company?msg={msg}")

    @http.route("/my/company/update", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_company_update(self, **post):
        company = self._lbc_company()
        if not company:
            return request.redirect("/my/company")
        vals = self._lbc_company_form_vals(post)
        # fields left empty are cleared, except the kind checkboxes which must stay explicit
        for name in COMPANY_FORM_FIELDS:
            vals.setdefault(name, False)
        # as the member: action_lbc_update checks it administers the company and which fields it may change
        ok, result = self._lbc_call(company.action_lbc_update, vals)
        if not ok:
            return self._lbc_company_render(error=result, form=post, status=400)
        return request.redirect("/my/company?msg=updated")

    @http.route("/my/company/submit", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_company_submit(self, **post):
        company = self._lbc_company()
        if not company:
            return request.redirect("/my/company")
        ok, result = self._lbc_call(company.action_lbc_submit)
        if not ok:
            return self._lbc_company_render(error=result, status=400)
        return request.redirect("/my/company?msg=submitted")

    @http.route("/my/company/leave", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_company_leave(self, **post):
        member = self._lbc_member()
        if not member.parent_id:
            return request.redirect("/my/company")
        ok, result = self._lbc_call(member.action_lbc_leave_company)
        if not ok:
            return self._lbc_company_render(error=result, status=400)
        return request.redirect("/my/company?msg=left")

    @http.route("/my/company/member/<int:member_id>/grant", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_role_grant(self, member_id, role=None, **post):
        member = self._lbc_record_or_404("res.partner", member_id)
        company = self._lbc_company()
        if not company or member.parent_id != company:
            raise NotFound()
        ok, result = self._lbc_call(member.action_lbc_grant_role, role)
        if not ok:
            return self._lbc_company_render(error=result, status=403)
        return request.redirect("/my/company?msg=granted")

    @http.route("/my/company/role/<int:role_id>/revoke", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_role_revoke(self, role_id, **post):
        role = self._lbc_record_or_404("lbc.company.role", role_id)
        ok, result = self._lbc_call(role.action_revoke)
        if not ok:
            return self._lbc_company_render(error=result, status=403)
        return request.redirect("/my/company?msg=revoked")

    # ------------------------------------------------------------------ a company's page
    def _lbc_company_page_extra(self, company):
        """Hook: what the page of `company` shows besides the company itself (lbc_tender: the tenders, bids and
        missions that link the member's company to it), read with the member's rights."""
        return {}

    @http.route(
        "/my/companies/<int:company_id>", type="http", auth="user", website=True, methods=["GET"], readonly=True
    )
    def portal_lbc_company_page(self, company_id, **kw):
        """The page of a member company: the member's own, or (lbc_tender) the other party of its tenders, bids
        and missions. `lbc_read_company_page` decides, as over RPC; any other company is not found."""
        ok, page = self._lbc_call(request.env["res.partner"].lbc_read_company_page, company_id)
        if not ok:
            raise NotFound()
        company = request.env["res.partner"].browse(page["id"])
        values = self._lbc_values("lbc_company_page", kw, page=page, company_page=company)
        values.update(self._lbc_company_page_extra(company))
        return request.render("lbc_base.portal_lbc_company_page", values)

    # ------------------------------------------------------------------ agreements
    def _lbc_agreement_searchbar(self):
        return {
            "sortings": {
                "kind": {"label": request.env._("Kind"), "order": "kind, version desc"},
                "date": {"label": request.env._("Effective Date"), "order": "date desc, id desc"},
                "name": {"label": request.env._("Name"), "order": "name"},
            },
            "filters": {
                "all": {"label": request.env._("All"), "domain": []},
                "to_accept": {"label": request.env._("To accept"), "domain": [("is_accepted", "=", False)]},
                "accepted": {"label": request.env._("Accepted"), "domain": [("is_accepted", "=", True)]},
            },
            "inputs": {
                "name": {
                    "label": request.env._("Search in Name"),
                    "domain": lambda search: [("name", "ilike", search)],
                },
            },
        }

    @http.route(
        ["/my/agreements", "/my/agreements/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=lbc_readonly_get,
    )
    def portal_lbc_agreements(self, page=1, **kw):
        searchbar = self._lbc_agreement_searchbar()
        kinds = request.env["res.users"]._lbc_relevant_agreement_kinds()
        return self._lbc_render_list(
            "lbc_base.portal_lbc_agreements",
            "lbc.agreement",
            "/my/agreements",
            [("kind", "in", kinds), ("is_current", "=", True)],
            dict(kw, page=page),
            "agreements",
            "lbc_agreements",
            searchbar["sortings"],
            filters=searchbar["filters"],
            inputs=searchbar["inputs"],
        )

    def _lbc_agreement(self, agreement_id):
        # as the member: active agreements are readable by portal users, archived ones are not
        agreement = self._lbc_record_or_404("lbc.agreement", agreement_id)
        if agreement.kind not in request.env["res.users"]._lbc_relevant_agreement_kinds():
            raise NotFound()
        return agreement

    def _lbc_agreement_render(self, agreement, kw=None, error=None, status=200):
        company = self._lbc_company()
        can_accept = agreement.kind == "terms" or (
            bool(company) and request.env.user._lbc_has_role(("admin", "signatory"), company, verified=True)
        )
        values = self._lbc_values(
            "lbc_agreement",
            kw,
            {"accepted": request.env._("Thank you: the acceptance is recorded.")},
            error=error,
            agreement=agreement,
            is_accepted=agreement.is_accepted,
            can_accept=can_accept,
            company=company,
            report_url=f"/report/pdf/lbc_base.lbc_agreement_document/{agreement.id}?download=1",
        )
        return request.render("lbc_base.portal_lbc_agreement", values, status=status)

    @http.route(
        "/my/agreements/<int:agreement_id>", type="http", auth="user", website=True, methods=["GET"], readonly=True
    )
    def portal_lbc_agreement(self, agreement_id, **kw):
        return self._lbc_agreement_render(self._lbc_agreement(agreement_id), kw)

    @http.route("/my/agreements/<int:agreement_id>/accept", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_agreement_accept(self, agreement_id, **post):
        agreement = self._lbc_agreement(agreement_id)
        ok, result = self._lbc_call(agreement.action_accept)
        if not ok:
            return self._lbc_agreement_render(agreement, error=result, status=403)
        return request.redirect(f"/my/agreements/{agreement.id}?msg=accepted")
