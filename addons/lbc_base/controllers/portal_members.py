"""The company's members page (/my/company/members): a provider's collaborators, a client's colleagues.

The same page for both sides. Everyone in the company sees its members and their roles; only the company's
administrators get the buttons (invite, grant or revoke a role, remove a member), and the model methods they call
(`res.partner.action_lbc_invite_member`, `action_lbc_grant_role`, `action_lbc_remove_member`,
`lbc.company.role.action_revoke`) refuse anybody else, over RPC as here.
"""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request
from odoo.tools.translate import LazyTranslate

from .portal_company import LbcCompanyPortal

_lt = LazyTranslate(__name__)
MEMBER_MESSAGES = {
    "invited": _lt("The invitation is sent: the member joins the company once it follows the link of the e-mail."),
    "resent": _lt("A new invitation is sent."),
    "removed": _lt("The member is removed from the company: its roles are revoked."),
    "granted": _lt("The role is granted."),
    "revoked": _lt("The role is revoked."),
}


class LbcMembersPortal(LbcCompanyPortal):
    @staticmethod
    def _lbc_members_domain(company):
        return [("parent_id", "=", company.id), ("is_company", "=", False), ("type", "=", "contact")]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "lbc_member_count" in counters:
            company = self._lbc_company()
            values["lbc_member_count"] = (
                request.env["res.partner"].search_count(self._lbc_members_domain(company)) if company else 0
            )
        return values

    def _lbc_members_title(self, company):
        if company.lbc_is_provider and not company.lbc_is_client:
            return request.env._("Collaborators")
        if company.lbc_is_client and not company.lbc_is_provider:
            return request.env._("Colleagues")
        return request.env._("Members")

    def _lbc_members_render(self, company, kw, error=None, form=None, status=200):
        env = request.env
        Role = env["lbc.company.role"]
        role_selection = Role._fields["role"]._description_selection(env)
        sortings = {
            "name": {"label": env._("Name"), "order": "name asc, id asc"},
            "profile": {"label": env._("Profile Type"), "order": "lbc_profile_type asc, name asc"},
            "newest": {"label": env._("Newest"), "order": "create_date desc, id desc"},
        }
        filters = {"all": {"label": env._("All"), "domain": []}}
        for role, label in role_selection:
            filters[f"role_{role}"] = {
                "label": label,
                "domain": [("lbc_member_role_ids", "any", [("role", "=", role), ("active", "=", True)])],
            }
        filters["no_role"] = {
            "label": env._("Without a role"),
            "domain": [("lbc_member_role_ids", "not any", [("active", "=", True)])],
        }
        inputs = {
            "name": {"label": env._("Search in Name"), "domain": lambda s: [("name", "ilike", s)]},
            "email": {"label": env._("Search in E-mail"), "domain": lambda s: [("email", "ilike", s)]},
        }
        is_admin = self._lbc_is_admin(company)
        roles = Role.search([("member_company_id", "=", company.id)])
        profile_types = company._lbc_member_profile_types()
        extra = {
            "company": company,
            "is_admin": is_admin,
            "me": self._lbc_member(),
            "members_title": self._lbc_members_title(company),
            "all_roles": roles,
            "role_selection": role_selection,
            "profile_types": profile_types,
            "pending_ids": set(),
            "invite_form": form or {"profile_type": profile_types[0][0] if profile_types else "", "roles": []},
        }
        if error:
            extra["error"] = error
        roles_by_member = {}
        for role in roles:
            roles_by_member.setdefault(role.member_id.id, Role.browse())
            roles_by_member[role.member_id.id] |= role
        extra["roles_by_member"] = roles_by_member
        response = self._lbc_render_list(
            "lbc_base.portal_lbc_members",
            "res.partner",
            "/my/company/members",
            self._lbc_members_domain(company),
            kw,
            "members",
            "lbc_members",
            sortings,
            filters=filters,
            inputs=inputs,
            messages=MEMBER_MESSAGES,
            extra=extra,
        )
        if is_admin:
            members = response.qcontext["members"]
            # sudo: whether the members of the admin's own company listed above (read with its rights) ever signed
            # in, to offer sending their invitation again; nothing else of their accounts is read
            response.qcontext["pending_ids"] = set(
                members.sudo().user_ids.filtered(lambda user: not user.login_date).partner_id.ids
            )
        response.status_code = status
        return response

    @http.route(
        ["/my/company/members", "/my/company/members/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
        readonly=True,
    )
    def portal_lbc_members(self, page=1, **kw):
        company = self._lbc_company()
        if not company:
            return request.redirect("/my/company")
        return self._lbc_members_render(company, dict(kw, page=page))

    def _lbc_company_member(self, member_id):
        """A member of the current member's own company, read as the member (404 otherwise)."""
        company = self._lbc_company()
        member = self._lbc_record_or_404("res.partner", member_id)
        if not company or member.parent_id != company or member.is_company:
            raise NotFound()
        return company, member

    def _lbc_member_action(self, company, action, msg, *args):
        ok, result = self._lbc_call(action, *args)
        if not ok:
            return self._lbc_members_render(company, {}, error=result, status=403)
        return request.redirect(f"/my/company/members?msg={msg}")

    @http.route("/my/company/members/invite", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_member_invite(self, name=None, email=None, profile_type=None, **post):
        company = self._lbc_company()
        if not company:
            return request.redirect("/my/company")
        roles = request.httprequest.form.getlist("roles")
        form = {"name": name or "", "email": email or "", "profile_type": profile_type or "", "roles": roles}
        # as the member: the model checks it administers the company, the address, the roles and the profile type
        ok, result = self._lbc_call(company.action_lbc_invite_member, name, email, roles, profile_type)
        if not ok:
            return self._lbc_members_render(company, {}, error=result, form=form, status=400)
        return request.redirect("/my/company/members?msg=invited")

    @http.route("/my/company/members/<int:member_id>/remove", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_member_remove(self, member_id, **post):
        company, member = self._lbc_company_member(member_id)
        return self._lbc_member_action(company, member.action_lbc_remove_member, "removed")

    @http.route("/my/company/members/<int:member_id>/resend", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_member_resend(self, member_id, **post):
        company, member = self._lbc_company_member(member_id)
        return self._lbc_member_action(company, member.action_lbc_resend_invitation, "resent")

    @http.route("/my/company/members/<int:member_id>/grant", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_member_grant(self, member_id, role=None, **post):
        company, member = self._lbc_company_member(member_id)
        return self._lbc_member_action(company, member.action_lbc_grant_role, "granted", role)

    @http.route(
        "/my/company/members/role/<int:role_id>/revoke", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_lbc_member_revoke(self, role_id, **post):
        company = self._lbc_company()
        role = self._lbc_record_or_404("lbc.company.role", role_id)
        if not company or role.member_company_id != company:
            raise NotFound()
        return self._lbc_member_action(company, role.action_revoke, "revoked")
