"""The company's skills (/my/company/skills): the skills a provider offers, which the tender scoring
(lbc.tender.bid's skills match) and the daily tender alerts (lbc.tender's digest) read.

Every member of the company sees them; its administrators change them through
`res.partner.action_lbc_set_skills`, the method an RPC client calls.
"""

from odoo import http
from odoo.addons.lbc_base.controllers.portal_company import LbcCompanyPortal
from odoo.http import request
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
SKILL_MESSAGES = {"saved": _lt("The skills are saved: the tender alerts and the scoring of your bids follow them.")}


class LbcTenderSkillsPortal(LbcCompanyPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "lbc_skill_count" in counters:
            company = self._lbc_company()
            values["lbc_skill_count"] = len(company.lbc_skill_ids) if company.lbc_is_provider else 0
        return values

    def _lbc_skills_render(self, company, kw, error=None, selected=None, status=200):
        env = request.env
        search = (kw.get("search") or "").strip()
        domain = [("name", "ilike", search)] if search else []
        skills = env["lbc.skill"].search(domain)
        selected_ids = set(selected if selected is not None else company.lbc_skill_ids.ids)
        grouped = []
        for skill in skills:
            if not grouped or grouped[-1][0] != skill.category_id:
                grouped.append((skill.category_id, skill.browse()))
            grouped[-1] = (skill.category_id, grouped[-1][1] | skill)
        values = self._lbc_values(
            "lbc_skills",
            kw,
            SKILL_MESSAGES,
            error=error,
            company=company,
            is_admin=self._lbc_is_admin(company),
            grouped_skills=grouped,
            selected_ids=selected_ids,
            # the skills chosen but not shown by the search stay chosen when the form is saved
            hidden_ids=selected_ids - set(skills.ids),
            company_skills=company.lbc_skill_ids,
            search=search,
        )
        return request.render("lbc_tender.portal_lbc_skills", values, status=status)

    @http.route("/my/company/skills", type="http", auth="user", website=True, methods=["GET"], readonly=True)
    def portal_lbc_skills(self, **kw):
        company = self._lbc_company()
        if not company.lbc_is_provider:
            return request.redirect("/my/company")
        return self._lbc_skills_render(company, kw)

    @http.route("/my/company/skills", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_skills_save(self, **post):
        company = self._lbc_company()
        if not company.lbc_is_provider:
            return request.redirect("/my/company")
        skill_ids = [int(s) for s in request.httprequest.form.getlist("skill_ids") if s.isdigit()]
        # as the member: the model checks it administers the company and that the skills exist
        ok, result = self._lbc_call(company.action_lbc_set_skills, skill_ids)
        if not ok:
            return self._lbc_skills_render(company, {}, error=result, selected=skill_ids, status=403)
        return request.redirect("/my/company/skills?msg=saved")
