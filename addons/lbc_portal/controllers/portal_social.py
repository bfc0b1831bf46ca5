"""Social network pages of the member portal: my profile, other members' profiles, my network, conversations,
groups, articles and the feed, content reports.

Every page works through the member's own rights and the methods of lbc_social: record rules decide what a
member reads, `lbc_*` / `action_*` methods decide what a member may do (blocks, visibility, rate limits).
Portal members cannot read other members' partners (base.res_partner_portal_public_rule): the names of the
other party of a record the member may read (its connection, conversation, group post, article) are read
with `sudo()` on that record only after the record itself was read as the member; profiles of other members
are only shown through `lbc.profile.lbc_read_profile`, which returns the sections visible to the viewer.
Every page sets `lbc_noindex` (robots meta in the head) and /robots.txt disallows these paths.
"""

import base64
from collections import OrderedDict

from werkzeug.exceptions import NotFound

from odoo import Command, fields, http
from odoo.addons.lbc_base.controllers.portal import BUSINESS_ERRORS, LbcPortal, error_text
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import html2plaintext, plaintext2html
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
PAGE_SIZE = 20
MAX_ATTACHMENTS = 5
SECTION_LABELS = OrderedDict(
    [
        ("card", _lt("Profile (name, headline)")),
        ("summary", _lt("Summary")),
        ("experience", _lt("Missions")),
        ("skills", _lt("Skills")),
        ("education", _lt("Education")),
        ("mobility", _lt("Mobility")),
        ("publications", _lt("Publications")),
        ("recommendations", _lt("Recommendations")),
    ]
)
MESSAGES = {
    "profile_saved": _lt("Your profile is saved."),
    "entry_added": _lt("Added to your profile."),
    "entry_removed": _lt("Removed from your profile."),
    "offer_accepted": _lt("The mission is on your profile."),
    "offer_declined": _lt("The mission was declined."),
    "recommendation_accepted": _lt("The recommendation is on your profile."),
    "recommendation_hidden": _lt("The recommendation is hidden from your profile."),
    "requested": _lt("Your connection request is sent."),
    "accepted": _lt("You are now connected."),
    "declined": _lt("The request was declined."),
    "withdrawn": _lt("The connection was withdrawn."),
    "blocked": _lt("The member is blocked: no messages, no profile, no requests either way."),
    "unblocked": _lt("The member is unblocked."),
    "recommended": _lt("Your recommendation is sent: the member puts it on its profile."),
    "reported": _lt("Thank you: the moderators will look at your report."),
    "sent": _lt("Your message is sent."),
    "joined": _lt("You joined the group."),
    "join_requested": _lt("Your request to join is sent to the group's moderators."),
    "left": _lt("You left the group."),
    "posted": _lt("Your post is online."),
    "hidden": _lt("The post is hidden."),
    "member_approved": _lt("The member joined the group."),
    "member_declined": _lt("The request was declined."),
    "group_created": _lt("Your group is created: you are its owner."),
    "article_saved": _lt("The article is saved."),
    "article_published": _lt("The article is published."),
    "article_unpublished": _lt("The article is unpublished."),
    "commented": _lt("Your comment is online."),
    "recommendation_asked": _lt("Your request for a recommendation is sent."),
    "role_set": _lt("The member's role is changed."),
}


def _local_url(url, default):
    """A redirect target typed by the client: only paths of this site."""
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return default


class LbcSocialPortal(LbcPortal):
    # ------------------------------------------------------------------ helpers
    def _lbc_social_me(self):
        return request.env["res.users"]._lbc_member()

    def _lbc_social_values(self, page_name, kw=None, **extra):
        values = self._prepare_portal_layout_values()
        code = (kw or {}).get("msg")
        values.update(
            {
                "page_name": page_name,
                "lbc_noindex": True,
                "success": str(MESSAGES[code]) if code in MESSAGES else None,
                "error": None,
                "form": {},
            }
        )
        values.update(extra)
        return values

    def _lbc_social_browse_readable(self, model, record_id):
        """The record as the member, or 404 when the member may not read it."""
        record = request.env[model].browse(int(record_id))
        try:
            record = record.exists()
            if not record:
                raise MissingError(model)
            record.check_access("read")
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        return record

    def _lbc_social_readable_sudo(self, records):
        """Records the member reads, as sudo, to follow their links to other members' partners (names).

        Portal rules hide other members' partners; the records themselves are checked readable by the member
        here, so only the names of the other party of its own connections, conversations, posts... are shown.
        """
        records.check_access("read")
        return records.sudo()

    def _lbc_social_profile_of(self, partners):
        """{partner id: profile id} for partners the member already reads a record of (names and links only)."""
        profiles = request.env["lbc.profile"].sudo().search([("partner_id", "in", partners.ids)])
        return {profile.partner_id.id: profile.id for profile in profiles}

    def _lbc_social_report_url(self, model, res_id, back):
        return f"/my/social/report?res_model={model}&res_id={res_id}&redirect={back}"

    # ------------------------------------------------------------------ /my counters
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        env = request.env
        me = self._lbc_social_me()
        if "lbc_connection_count" in counters:
            values["lbc_connection_count"] = (
                env["lbc.connection"].lbc_my_network()["connections"] if not env.user._is_public() else 0
            )
        if "lbc_network_request_count" in counters:
            values["lbc_network_request_count"] = env["lbc.connection"].search_count(
                [("addressee_id", "=", me.id), ("state", "=", "requested")]
            )
        if "lbc_unread_count" in counters:
            values["lbc_unread_count"] = env["lbc.conversation"].lbc_unread_total()
        if "lbc_group_count" in counters:
            values["lbc_group_count"] = env["lbc.social.group.member"].search_count(
                [("partner_id", "=", me.id), ("state", "=", "member")]
            )
        if "lbc_article_count" in counters:
            values["lbc_article_count"] = env["lbc.article"].search_count([("author_id", "=", me.id)])
        return values

    # ------------------------------------------------------------------ my profile
    def _lbc_social_my_profile(self):
        return request.env["lbc.profile"].browse(request.env["lbc.profile"].lbc_my_profile())

    def _lbc_social_profile_form(self, profile):
        form = {
            "headline": profile.headline or "",
            "summary": profile.summary or "",
            "mobility_state_ids": profile.mobility_state_ids.ids,
            "mobility_cities": profile.mobility_cities or "",
            "mobility_remote": profile.mobility_remote or "",
            "mobility_travel": profile.mobility_travel,
        }
        for section in SECTION_LABELS:
            form[f"visibility_{section}"] = profile[f"visibility_{section}"]
        return form

    def _lbc_social_profile_render(self, kw=None, error=None, forms=None):
        env = request.env
        profile = self._lbc_social_my_profile()
        forms = forms or {}
        Profile = env["lbc.profile"]
        recommendations = env["lbc.recommendation"].search(
            [("recipient_id", "=", self._lbc_social_me().id), ("state", "in", ("given", "accepted", "hidden"))]
        )
        values = self._lbc_social_values(
            "lbc_social_profile",
            kw,
            profile=profile,
            error=error,
            form=forms.get("profile") or self._lbc_social_profile_form(profile),
            form_experience=forms.get("experience", {}),
            form_skill=forms.get("skill", {}),
            form_education=forms.get("education", {}),
            experiences=profile.experience_ids.filtered(lambda e: e.state != "declined"),
            recommendations=recommendations,
            recommendation_authors={r.id: r.author_id.name for r in self._lbc_social_readable_sudo(recommendations)},
            recommendation_report_urls={
                r.id: self._lbc_social_report_url("lbc.recommendation", r.id, "/my/profile") for r in recommendations
            },
            sections=SECTION_LABELS,
            visibilities=Profile._fields["visibility_card"]._description_selection(env),
            remote_options=Profile._fields["mobility_remote"]._description_selection(env),
            skill_levels=env["lbc.profile.skill"]._fields["level"]._description_selection(env),
            skills=env["lbc.skill"].search([]),
            regions=env["res.country.state"].search([("country_id.code", "=", "FR")]),
        )
        return request.render("lbc_portal.portal_lbc_social_profile", values)

    @http.route("/my/profile", type="http", auth="user", website=True, methods=["GET"])
    def portal_lbc_social_profile(self, **kw):
        return self._lbc_social_profile_render(kw)

    @http.route("/my/profile", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_social_profile_save(self, **post):
        env = request.env
        form = {
            "headline": (post.get("headline") or "").strip(),
            "summary": (post.get("summary") or "").strip(),
            "mobility_state_ids": [
                int(s) for s in request.httprequest.form.getlist("mobility_state_ids") if s.isdigit()
            ],
            "mobility_cities": (post.get("mobility_cities") or "").strip(),
            "mobility_remote": post.get("mobility_remote") or "",
            "mobility_travel": bool(post.get("mobility_travel")),
        }
        visibilities = dict(env["lbc.profile"]._fields["visibility_card"]._description_selection(env))
        remotes = dict(env["lbc.profile"]._fields["mobility_remote"]._description_selection(env))
        errors = []
        for section in SECTION_LABELS:
            value = post.get(f"visibility_{section}") or "members"
            form[f"visibility_{section}"] = value
            if value not in visibilities:
                errors.append(env._("Choose who sees the section %(section)s.", section=SECTION_LABELS[section]))
        if form["mobility_remote"] and form["mobility_remote"] not in remotes:
            errors.append(env._("Choose a remote work option."))
        if len(form["headline"]) > 200:
            errors.append(env._("The headline is one line: 200 characters at most."))
        if errors:
            return self._lbc_social_profile_render(error="\n".join(errors), forms={"profile": form})
        vals = dict(form, mobility_remote=form["mobility_remote"] or False)
        vals["mobility_state_ids"] = [Command.set(form["mobility_state_ids"])]
        ok, result = self._lbc_call(env["lbc.profile"].lbc_update_profile, vals)
        if not ok:
            return self._lbc_social_profile_render(error=result, forms={"profile": form})
        return request.redirect("/my/profile?msg=profile_saved")

    def _lbc_social_date(self, value, label, errors):
        if not value:
            return False
        try:
            return fields.Date.to_date(value)
        except ValueError:
            errors.append(request.env._("%(label)s is not a date.", label=label))
            return False

    @http.route("/my/profile/experience/add", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_social_experience_add(self, **post):
        env = request.env
        form = {k: (post.get(k) or "").strip() for k in ("title", "company_name", "date_start", "date_end")}
        form["description"] = (post.get("description") or "").strip()
        form["skill_ids"] = [int(s) for s in request.httprequest.form.getlist("skill_ids") if s.isdigit()]
        errors = [] if form["title"] else [env._("Give the mission a title.")]
        vals = {
            "profile_id": self._lbc_social_my_profile().id,
            "title": form["title"],
            "company_name": form["company_name"] or False,
            "description": form["description"] or False,
            "date_start": self._lbc_social_date(form["date_start"], env._("The start"), errors),
            "date_end": self._lbc_social_date(form["date_end"], env._("The end"), errors),
            "skill_ids": [Command.set(form["skill_ids"])],
        }
        if not errors:
            ok, result = self._lbc_call(env["lbc.profile.experience"].create, vals)
            if ok:
                return request.redirect("/my/profile?msg=entry_added#lbc_experience")
            errors.append(result)
        return self._lbc_social_profile_render(error="\n".join(errors), forms={"experience": form})

    @http.route("/my/profile/skill/add", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_social_skill_add(self, skill_id=None, level=None, **post):
        env = request.env
        form = {"skill_id": int(skill_id) if (skill_id or "").isdigit() else False, "level": level or "2"}
        profile = self._lbc_social_my_profile()
        levels = dict(env["lbc.profile.skill"]._fields["level"]._description_selection(env))
        if not form["skill_id"] or form["level"] not in levels:
            return self._lbc_social_profile_render(error=env._("Choose a skill and a level."), forms={"skill": form})
        existing = profile.skill_ids.filtered(lambda s: s.skill_id.id == form["skill_id"])
        if existing:
            ok, result = self._lbc_call(existing.write, {"level": form["level"]})
        else:
            vals = {"profile_id": profile.id, "skill_id": form["skill_id"], "level": form["level"]}
            ok, result = self._lbc_call(env["lbc.profile.skill"].create, vals)
        if not ok:
            return self._lbc_social_profile_render(error=result, forms={"skill": form})
        return request.redirect("/my/profile?msg=entry_added#lbc_skills")

    @http.route("/my/profile/education/add", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_social_education_add(self, **post):
        env = request.env
        form = {k: (post.get(k) or "").strip() for k in ("school", "degree", "date_start", "date_end")}
        errors = [] if form["school"] else [env._("Give the name of the school.")]
        vals = {
            "profile_id": self._lbc_social_my_profile().id,
            "school": form["school"],
            "degree": form["degree"] or False,
            "date_start": self._lbc_social_date(form["date_start"], env._("The start"), errors),
            "date_end": self._lbc_social_date(form["date_end"], env._("The end"), errors),
        }
        if not errors:
            ok, result = self._lbc_call(env["lbc.profile.education"].create, vals)
            if ok:
                return request.redirect("/my/profile?msg=entry_added#lbc_education")
            errors.append(result)
        return self._lbc_social_profile_render(error="\n".join(errors), forms={"education": form})

    @http.route(
        "/my/profile/<string:kind>/<int:entry_id>/remove", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_lbc_social_entry_remove(self, kind, entry_id, **post):
        models = {
            "experience": "lbc.profile.experience",
            "skill": "lbc.profile.skill",
            "education": "lbc.profile.education",
        }
        if kind not in models:
            raise NotFound()
        entry = self._lbc_social_browse_readable(models[kind], entry_id)
        if entry.partner_id != self._lbc_social_me():
            raise NotFound()
        ok, result = self._lbc_call(entry.unlink)
        if not ok:
            return self._lbc_social_profile_render(error=result)
        return request.redirect("/my/profile?msg=entry_removed")

    @http.route(
        "/my/profile/experience/<int:entry_id>/<string:decision>",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_lbc_social_offer_decide(self, entry_id, decision, **post):
        if decision not in ("accept", "decline"):
            raise NotFound()
        entry = self._lbc_social_browse_readable("lbc.profile.experience", entry_id)
        ok, result = self._lbc_call(getattr(entry, f"action_{decision}"))
        if not ok:
            return self._lbc_social_profile_render(error=result)
        return request.redirect(f"/my/profile?msg=offer_{decision}ed")

    @http.route(
        "/my/profile/recommendation/<int:recommendation_id>/<string:decision>",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_lbc_social_recommendation_decide(self, recommendation_id, decision, **post):
        if decision not in ("accept", "hide"):
            raise NotFound()
        recommendation = self._lbc_social_browse_readable("lbc.recommendation", recommendation_id)
        ok, result = self._lbc_call(getattr(recommendation, f"action_{decision}"))
        if not ok:
            return self._lbc_social_profile_render(error=result)
        return request.redirect(f"/my/profile?msg=recommendation_{'accepted' if decision == 'accept' else 'hidden'}")

    # ------------------------------------------------------------------ another member's profile
    def _lbc_social_member_render(self, profile_id, kw=None, error=None, forms=None):
        env = request.env
        try:
            data = env["lbc.profile"].lbc_read_profile(profile_id)
        except AccessError as e:
            raise NotFound() from e
        except UserError as e:  # the anti-scraping limit: say it, show nothing
            values = self._lbc_social_values("lbc_social_member", kw, error=error_text(e), member=None)
            return request.render("lbc_portal.portal_lbc_social_member", values)
        me = self._lbc_social_me()
        partner_id = data["partner_id"]
        connection = env["lbc.connection"].search(
            [
                "|",
                "&",
                ("requester_id", "=", me.id),
                ("addressee_id", "=", partner_id),
                "&",
                ("requester_id", "=", partner_id),
                ("addressee_id", "=", me.id),
            ],
            limit=1,
        )
        values = self._lbc_social_values(
            "lbc_social_member",
            kw,
            error=error,
            member=data,
            is_me=partner_id == me.id,
            connection=connection,
            incoming=connection.state == "requested" and connection.addressee_id == me,
            forms=forms or {},
            skill_levels=dict(env["lbc.profile.skill"]._fields["level"]._description_selection(env)),
            remote_labels=dict(env["lbc.profile"]._fields["mobility_remote"]._description_selection(env)),
            report_url=self._lbc_social_report_url("lbc.profile", data["id"], f"/members/{data['id']}"),
            recommendation_report_urls=self._lbc_social_recommendation_report_urls(data),
        )
        return request.render("lbc_portal.portal_lbc_social_member", values)

    def _lbc_social_recommendation_report_urls(self, data):
        """[report url or None] matching `data['recommendations']` (the ones shown on the profile): whoever sees
        a recommendation may report it (`lbc_report_content` checks it), except its own author."""
        if "recommendations" not in data["sections"] or not data.get("recommendations"):
            return []
        me = self._lbc_social_me()
        back = f"/members/{data['id']}"
        return [
            None
            if reco.get("author_id") == me.id
            else self._lbc_social_report_url("lbc.recommendation", reco["id"], back)
            for reco in data["recommendations"]
        ]

    @http.route(
        ["/members/<int:profile_id>", "/my/network/profile/<int:profile_id>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
        sitemap=False,
    )
    def portal_lbc_social_member(self, profile_id, **kw):
        return self._lbc_social_member_render(profile_id, kw)

    def _lbc_social_member_partner(self, profile_id):
        """The partner id behind a profile the member may see (404 otherwise; counts no view)."""
        profile = request.env["lbc.profile"].sudo().browse(int(profile_id)).exists()
        if not profile or not profile._lbc_visible_sections(request.env.user):
            raise NotFound()
        return profile.partner_id.id

    @http.route("/members/<int:profile_id>/<string:action>", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_social_member_action(self, profile_id, action, **post):
        env = request.env
        if action not in ("connect", "message", "recommend", "ask_recommendation", "block"):
            raise NotFound()
        partner_id = self._lbc_social_member_partner(profile_id)
        form = {k: (post.get(k) or "").strip() for k in ("message", "subject", "body", "relationship")}
        if action == "connect":
            ok, result = self._lbc_call(
                env["lbc.connection"].lbc_request_connection, partner_id, form["message"] or None
            )
            target = f"/members/{profile_id}?msg=requested"
        elif action == "message":
            ok, result = self._lbc_call(
                env["lbc.conversation"].lbc_start_conversation,
                [partner_id],
                form["body"],
                subject=form["subject"] or None,
            )
            target = f"/my/conversations/{result}?msg=sent" if ok else None
        elif action == "recommend":
            ok, result = self._lbc_call(
                env["lbc.recommendation"].lbc_give_recommendation,
                partner_id,
                form["body"],
                relationship=form["relationship"] or None,
            )
            target = f"/members/{profile_id}?msg=recommended"
        elif action == "ask_recommendation":
            ok, result = self._lbc_call(
                env["lbc.recommendation"].lbc_ask_recommendation, partner_id, form["message"] or None
            )
            target = f"/members/{profile_id}?msg=recommendation_asked"
        else:
            ok, result = self._lbc_call(env["lbc.connection"].lbc_block_member, partner_id)
            target = "/my/network?msg=blocked"
        if not ok:
            return self._lbc_social_member_render(profile_id, error=result, forms={action: form})
        return request.redirect(target)

    # ------------------------------------------------------------------ report content
    def _lbc_social_report_render(self, res_model, res_id, redirect, form=None, error=None):
        env = request.env
        values = self._lbc_social_values(
            "lbc_social_report",
            error=error,
            form=form or {},
            res_model=res_model,
            res_id=res_id,
            redirect=_local_url(redirect, "/my/network"),
            categories=env["lbc.content.report"]._fields["category"]._description_selection(env),
            content_label=dict(env["lbc.content.report"]._fields["res_model"]._description_selection(env)).get(
                res_model, ""
            ),
        )
        return request.render("lbc_portal.portal_lbc_social_report", values)

    @http.route("/my/social/report", type="http", auth="user", website=True, methods=["GET"])
    def portal_lbc_social_report(self, res_model=None, res_id=None, redirect=None, **kw):
        if (
            res_model not in dict(request.env["lbc.content.report"]._fields["res_model"].selection)
            or not (res_id or "").isdigit()
        ):
            raise NotFound()
        return self._lbc_social_report_render(res_model, int(res_id), redirect)

    @http.route("/my/social/report", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_social_report_post(self, res_model=None, res_id=None, redirect=None, **post):
        if not (res_id or "").isdigit():
            raise NotFound()
        form = {"category": post.get("category") or "", "reason": (post.get("reason") or "").strip()}
        ok, result = self._lbc_call(
            request.env["lbc.content.report"].lbc_report_content,
            res_model,
            int(res_id),
            form["category"],
            form["reason"],
        )
        if not ok:
            return self._lbc_social_report_render(res_model, int(res_id), redirect, form=form, error=result)
        target = _local_url(redirect, "/my/network")
        return request.redirect(f"{target}{'&' if '?' in target else '?'}msg=reported")

    # ------------------------------------------------------------------ my network
    def _lbc_social_skill_arg(self, skill_id):
        """The chosen skill of the member search: an existing lbc.skill id or None."""
        if not (skill_id or "").isdigit():
            return None
        skill = request.env["lbc.skill"].browse(int(skill_id)).exists()
        return skill.id or None

    def _lbc_social_network_values(self, kw, page=1, search_result=None, error=None):
        env = request.env
        me = self._lbc_social_me()
        Connection = env["lbc.connection"]
        domain = [("state", "=", "accepted"), "|", ("requester_id", "=", me.id), ("addressee_id", "=", me.id)]
        total = Connection.search_count(domain)
        pager = portal_pager(url="/my/network", total=total, page=page, step=PAGE_SIZE)
        connections = Connection.search(
            domain, limit=PAGE_SIZE, offset=pager["offset"], order="date_accepted desc, id desc"
        )
        pending = Connection.search(
            [("state", "in", ("requested", "blocked")), "|", ("requester_id", "=", me.id), ("addressee_id", "=", me.id)]
        )
        received = pending.filtered(lambda c: c.state == "requested" and c.addressee_id == me)
        sent = pending.filtered(lambda c: c.state == "requested" and c.requester_id == me)
        blocked = pending.filtered(lambda c: c.state == "blocked" and c.blocked_by_id == me)
        # the other member of each of my connections (read as the member above): name and profile link only
        mine = self._lbc_social_readable_sudo(connections | pending)
        others = {c.id: c.addressee_id if c.requester_id == me else c.requester_id for c in mine}
        profile_of = self._lbc_social_profile_of(mine.requester_id | mine.addressee_id)
        return self._lbc_social_values(
            "lbc_social_network",
            kw,
            error=error,
            pager=pager,
            connections=connections,
            received=received,
            sent=sent,
            blocked=blocked,
            others={cid: {"name": p.name, "profile_id": profile_of.get(p.id)} for cid, p in others.items()},
            total_connections=total,
            search=(kw.get("search") or "").strip(),
            search_result=search_result,
            skills=env["lbc.skill"].search([]),
            skill_id=self._lbc_social_skill_arg(kw.get("skill_id")),
        )

    @http.route(["/my/network", "/my/network/page/<int:page>"], type="http", auth="user", website=True)
    def portal_lbc_social_network(self, page=1, **kw):
        return request.render("lbc_portal.portal_lbc_social_network", self._lbc_social_network_values(kw, page=page))

    @http.route(["/my/network/search", "/my/network/search/page/<int:page>"], type="http", auth="user", website=True)
    def portal_lbc_social_network_search(self, page=1, search=None, skill_id=None, **kw):
        env = request.env
        query = (search or "").strip()
        kw["search"] = query
        skill = self._lbc_social_skill_arg(skill_id)
        kw["skill_id"] = str(skill or "")
        offset = (max(int(page), 1) - 1) * PAGE_SIZE
        ok, result = self._lbc_call(
            env["lbc.profile"].lbc_search_profiles,
            query,
            skill_ids=[skill] if skill else None,
            offset=offset,
            limit=PAGE_SIZE,
        )
        if not ok:
            return request.render(
                "lbc_portal.portal_lbc_social_network", self._lbc_social_network_values(kw, error=result)
            )
        result["pager"] = portal_pager(
            url="/my/network/search",
            url_args={"search": query, "skill_id": kw["skill_id"]},
            total=result["total"],
            page=page,
            step=PAGE_SIZE,
        )
        return request.render(
            "lbc_portal.portal_lbc_social_network", self._lbc_social_network_values(kw, search_result=result)
        )

    @http.route(
        "/my/network/<int:connection_id>/<string:action>", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_lbc_social_connection_action(self, connection_id, action, **post):
        if action not in ("accept", "decline", "withdraw", "block", "unblock"):
            raise NotFound()
        connection = self._lbc_social_browse_readable("lbc.connection", connection_id)
        ok, result = self._lbc_call(getattr(connection, f"action_{action}"))
        if not ok:
            values = self._lbc_social_network_values({}, error=result)
            return request.render("lbc_portal.portal_lbc_social_network", values)
        return request.redirect(f"/my/network?msg={action}ed" if action != "withdraw" else "/my/network?msg=withdrawn")

    # ------------------------------------------------------------------ conversations
    def _lbc_social_unread_map(self, conversations):
        """{conversation id: unread messages of the member}: the model's count (the same over RPC)."""
        if not conversations:
            return {}
        return request.env["lbc.conversation"].lbc_unread_counts(conversations.ids)

    @http.route(["/my/conversations", "/my/conversations/page/<int:page>"], type="http", auth="user", website=True)
    def portal_lbc_social_conversations(self, page=1, **kw):
        env = request.env
        Conversation = env["lbc.conversation"]
        search = (kw.get("search") or "").strip()
        domain = [("name", "ilike", search)] if search else []
        total = Conversation.search_count(domain)
        pager = portal_pager(
            url="/my/conversations", url_args={"search": search}, total=total, page=page, step=PAGE_SIZE
        )
        conversations = Conversation.search(domain, limit=PAGE_SIZE, offset=pager["offset"])
        me = self._lbc_social_me()
        # participants' names of the member's own conversations (read as the member just above)
        readable = self._lbc_social_readable_sudo(conversations)
        readable.participant_ids.partner_id.mapped("name")  # one read for all the names of the page
        names = {c.id: ", ".join((c.participant_ids.partner_id - me).mapped("name")) for c in readable}
        # unread counts of all the member's conversations at once: the page's and the total
        unread = Conversation.lbc_unread_counts()
        values = self._lbc_social_values(
            "lbc_social_conversations",
            kw,
            pager=pager,
            conversations=conversations,
            participants=names,
            unread=unread,
            unread_total=sum(unread.values()),
            search=search,
            default_url="/my/conversations",
            searchbar_inputs={"name": {"input": "name", "label": env._("Search in Subject")}},
            search_in="name",
        )
        return request.render("lbc_portal.portal_lbc_social_conversations", values)

    def _lbc_social_conversation_render(self, conversation, kw=None, error=None, form=None):
        unread_before = self._lbc_social_unread_map(conversation).get(conversation.id, 0)
        messages = conversation.lbc_read_messages(limit=100)
        me = self._lbc_social_me()
        values = self._lbc_social_values(
            "lbc_social_conversation",
            kw,
            error=error,
            form=form or {},
            conversation=conversation,
            messages=list(reversed(messages)),
            attachment_urls=self._lbc_social_attachment_urls([a["id"] for m in messages for a in m["attachments"]]),
            unread_before=unread_before,
            participants=", ".join(
                (self._lbc_social_readable_sudo(conversation).participant_ids.partner_id - me).mapped("name")
            ),
            me_id=me.id,
            report_base=f"/my/social/report?res_model=mail.message&redirect=/my/conversations/{conversation.id}",
        )
        return request.render("lbc_portal.portal_lbc_social_conversation", values)

    def _lbc_social_attachment_urls(self, attachment_ids):
        """Download links of the attachments of a conversation the member takes part in (checked by the caller).

        Portal members have no read access on ir.attachment: the link carries the attachment's access token.
        """
        attachments = request.env["ir.attachment"].sudo().browse(attachment_ids)
        tokens = attachments.generate_access_token()
        return {
            attachment.id: f"/web/content/{attachment.id}?download=true&access_token={token}"
            for attachment, token in zip(attachments, tokens, strict=True)
        }

    @http.route("/my/conversations/<int:conversation_id>", type="http", auth="user", website=True, methods=["GET"])
    def portal_lbc_social_conversation(self, conversation_id, **kw):
        conversation = self._lbc_social_browse_readable("lbc.conversation", conversation_id)
        return self._lbc_social_conversation_render(conversation, kw)

    @http.route(
        "/my/conversations/<int:conversation_id>/send", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_lbc_social_conversation_send(self, conversation_id, body=None, **post):
        conversation = self._lbc_social_browse_readable("lbc.conversation", conversation_id)
        form = {"body": (body or "").strip()}
        files = [f for f in request.httprequest.files.getlist("attachments") if f and f.filename]
        if len(files) > MAX_ATTACHMENTS:
            error = request.env._("%(max)s files per message at most.", max=MAX_ATTACHMENTS)
            return self._lbc_social_conversation_render(conversation, error=error, form=form)
        attachments = [[f.filename, base64.b64encode(f.read()).decode()] for f in files]
        ok, result = self._lbc_call(conversation.lbc_send_message, form["body"], attachments=attachments)
        if not ok:
            return self._lbc_social_conversation_render(conversation, error=result, form=form)
        return request.redirect(f"/my/conversations/{conversation.id}?msg=sent#lbc_message_form")

    @http.route(
        "/my/conversations/<int:conversation_id>/export", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_lbc_social_conversation_export(self, conversation_id, **post):
        conversation = self._lbc_social_browse_readable("lbc.conversation", conversation_id)
        ok, result = self._lbc_call(conversation.action_export)
        if not ok:
            return self._lbc_social_conversation_render(conversation, error=result)
        return request.redirect(self._lbc_social_attachment_urls([result["attachment_id"]])[result["attachment_id"]])

    # ------------------------------------------------------------------ groups
    def _lbc_social_groups_render(self, page=1, filterby="all", search=None, kw=None, error=None, form=None):
        env = request.env
        me = self._lbc_social_me()
        Group = env["lbc.social.group"]
        mine = [("partner_id", "=", me.id), ("state", "in", ("member", "requested"))]
        filters = OrderedDict(
            [
                ("all", {"label": env._("All Groups"), "domain": []}),
                ("mine", {"label": env._("My Groups"), "domain": [("membership_ids", "any", mine)]}),
            ]
        )
        filterby = filterby if filterby in filters else "all"
        search = (search or "").strip()
        domain = list(filters[filterby]["domain"])
        if search:
            domain += ["|", ("name", "ilike", search), ("description", "ilike", search)]
        total = Group.search_count(domain)
        pager = portal_pager(
            url="/my/groups",
            url_args={"filterby": filterby, "search": search},
            total=total,
            page=page,
            step=PAGE_SIZE,
        )
        groups = Group.search(domain, limit=PAGE_SIZE, offset=pager["offset"])
        memberships = env["lbc.social.group.member"].search(
            [("group_id", "in", groups.ids), ("partner_id", "=", me.id)]
        )
        values = self._lbc_social_values(
            "lbc_social_groups",
            kw,
            error=error,
            form=form or {"privacy": "public"},
            pager=pager,
            groups=groups,
            my_states={m.group_id.id: m.state for m in memberships},
            default_url="/my/groups",
            searchbar_filters=filters,
            filterby=filterby,
            searchbar_inputs={"name": {"input": "name", "label": env._("Search in Groups")}},
            search_in="name",
            search=search,
            privacies=Group._fields["privacy"]._description_selection(env),
        )
        return request.render("lbc_portal.portal_lbc_social_groups", values)

    @http.route(["/my/groups", "/my/groups/page/<int:page>"], type="http", auth="user", website=True)
    def portal_lbc_social_groups(self, page=1, filterby="all", search=None, **kw):
        return self._lbc_social_groups_render(page, filterby, search, kw)

    @http.route("/my/groups/new", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_social_group_new(self, name=None, description=None, privacy=None, **post):
        form = {"name": (name or "").strip(), "description": (description or "").strip(), "privacy": privacy}
        if not form["name"]:
            ok, result = False, request.env._("Give the group a name.")
        else:
            ok, result = self._lbc_call(
                request.env["lbc.social.group"].lbc_create_group,
                form["name"],
                description=form["description"] or None,
                privacy=privacy or "public",
            )
        if not ok:
            return self._lbc_social_groups_render(error=result, form=form)
        return request.redirect(f"/my/groups/{result}?msg=group_created")

    def _lbc_social_group_render(self, group, kw=None, error=None, forms=None):
        env = request.env
        me = self._lbc_social_me()
        membership = env["lbc.social.group.member"].search(
            [("group_id", "=", group.id), ("partner_id", "=", me.id)], limit=1
        )
        is_member = membership.state == "member"
        is_manager = is_member and membership.role in ("owner", "moderator")
        Post = env["lbc.social.post"]
        page = int((kw or {}).get("page") or 1)
        domain = [("group_id", "=", group.id), ("parent_id", "=", False)]
        total = Post.search_count(domain)
        pager = portal_pager(url=f"/my/groups/{group.id}", total=total, page=page, step=PAGE_SIZE)
        posts = Post.search(domain, limit=PAGE_SIZE, offset=pager["offset"])
        replies = Post.search([("parent_id", "in", posts.ids)], order="create_date asc, id asc")
        # authors of the posts the member reads (rules above): names and profile links only
        authors = self._lbc_social_readable_sudo(posts | replies).author_id
        profile_of = self._lbc_social_profile_of(authors)
        requests_pending = env["lbc.social.group.member"]
        if is_manager:
            requests_pending = env["lbc.social.group.member"].search(
                [("group_id", "=", group.id), ("state", "=", "requested")]
            )
        values = self._lbc_social_values(
            "lbc_social_group",
            kw,
            error=error,
            forms=forms or {},
            group=group,
            membership=membership,
            is_member=is_member,
            is_manager=is_manager,
            posts=posts,
            replies={p.id: replies.filtered(lambda r, p=p: r.parent_id == p) for p in posts},
            author_names={a.id: a.name for a in authors},
            author_profiles=profile_of,
            author_of={p.id: p.author_id.id for p in self._lbc_social_readable_sudo(posts | replies)},
            requests_pending=requests_pending,
            requester_names={m.id: m.partner_id.name for m in self._lbc_social_readable_sudo(requests_pending)},
            **self._lbc_social_group_roles(group, membership),
            pager=pager,
            me_id=me.id,
            report_base=f"/my/social/report?res_model=lbc.social.post&redirect=/my/groups/{group.id}",
        )
        return request.render("lbc_portal.portal_lbc_social_group", values)

    def _lbc_social_group_roles(self, group, membership):
        """For the group's owners: its members, their names and the roles they can be given."""
        env = request.env
        GroupMember = env["lbc.social.group.member"]
        members = GroupMember
        if membership.state == "member" and membership.role == "owner":
            members = GroupMember.search([("group_id", "=", group.id), ("state", "=", "member")])
        return {
            "role_members": members,
            "role_member_names": {m.id: m.partner_id.name for m in self._lbc_social_readable_sudo(members)},
            "roles": GroupMember._fields["role"]._description_selection(env),
        }

    @http.route(
        ["/my/groups/<int:group_id>", "/my/groups/<int:group_id>/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_lbc_social_group(self, group_id, page=1, **kw):
        group = self._lbc_social_browse_readable("lbc.social.group", group_id)
        kw["page"] = page
        return self._lbc_social_group_render(group, kw)

    @http.route("/my/groups/<int:group_id>/<string:action>", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_social_group_action(self, group_id, action, **post):
        group = self._lbc_social_browse_readable("lbc.social.group", group_id)
        form = {"body": (post.get("body") or "").strip(), "parent_id": post.get("parent_id") or ""}
        partner_id = int(post["partner_id"]) if (post.get("partner_id") or "").isdigit() else 0
        if action == "join":
            ok, result = self._lbc_call(group.action_join)
            msg = "joined" if result == "member" else "join_requested"
        elif action == "leave":
            ok, result = self._lbc_call(group.action_leave)
            msg = "left"
        elif action == "post":
            parent_id = int(form["parent_id"]) if form["parent_id"].isdigit() else None
            ok, result = self._lbc_call(group.action_post, form["body"], parent_id=parent_id)
            msg = "posted"
        elif action in ("approve", "decline") and partner_id:
            method = group.action_approve_member if action == "approve" else group.action_decline_member
            ok, result = self._lbc_call(method, partner_id)
            msg = f"member_{action}d"
        elif action == "role" and partner_id:
            ok, result = self._lbc_call(group.action_set_role, partner_id, post.get("role") or "")
            msg = "role_set"
        elif action == "hide" and (post.get("post_id") or "").isdigit():
            target = self._lbc_social_browse_readable("lbc.social.post", post["post_id"])
            if target.group_id != group:
                raise NotFound()
            ok, result = self._lbc_call(target.action_hide)
            msg = "hidden"
        else:
            raise NotFound()
        if not ok:
            return self._lbc_social_group_render(group, error=result, forms={action: form})
        return request.redirect(f"/my/groups/{group.id}?msg={msg}")

    # ------------------------------------------------------------------ articles
    @http.route(["/my/articles", "/my/articles/page/<int:page>"], type="http", auth="user", website=True)
    def portal_lbc_social_articles(self, page=1, **kw):
        env = request.env
        Article = env["lbc.article"]
        domain = [("author_id", "=", self._lbc_social_me().id)]
        total = Article.search_count(domain)
        pager = portal_pager(url="/my/articles", total=total, page=page, step=PAGE_SIZE)
        articles = Article.search(domain, limit=PAGE_SIZE, offset=pager["offset"], order="write_date desc, id desc")
        values = self._lbc_social_values("lbc_social_articles", kw, pager=pager, articles=articles)
        return request.render("lbc_portal.portal_lbc_social_articles", values)

    def _lbc_social_article_form_render(self, article=None, form=None, error=None, kw=None):
        env = request.env
        if form is None:
            form = {
                "name": article.name if article else "",
                "body": html2plaintext(article.body or "") if article else "",
                "tag_ids": article.tag_ids.ids if article else [],
            }
        values = self._lbc_social_values(
            "lbc_social_article_form",
            kw,
            article=article,
            form=form,
            error=error,
            tags=env["lbc.article.tag"].search([]),
        )
        return request.render("lbc_portal.portal_lbc_social_article_form", values)

    def _lbc_social_my_article(self, article_id):
        article = self._lbc_social_browse_readable("lbc.article", article_id)
        if article.author_id != self._lbc_social_me():
            raise NotFound()
        return article

    @http.route(
        ["/my/articles/new", "/my/articles/<int:article_id>/edit"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_lbc_social_article_edit(self, article_id=None, **post):
        env = request.env
        article = self._lbc_social_my_article(article_id) if article_id else None
        if request.httprequest.method == "GET":
            return self._lbc_social_article_form_render(article, kw=post)
        form = {
            "name": (post.get("name") or "").strip(),
            "body": (post.get("body") or "").strip(),
            "tag_ids": [int(t) for t in request.httprequest.form.getlist("tag_ids") if t.isdigit()],
        }
        if not form["name"]:
            return self._lbc_social_article_form_render(article, form, env._("Give the article a title."))
        vals = {
            "name": form["name"],
            "body": plaintext2html(form["body"]) if form["body"] else False,
            "tag_ids": [Command.set(form["tag_ids"])],
        }
        try:
            with env.cr.savepoint():
                if article:
                    article.write(vals)
                else:
                    article = env["lbc.article"].create(vals)
                if post.get("publish"):
                    article.action_publish()
        except BUSINESS_ERRORS as error:
            return self._lbc_social_article_form_render(article if article_id else None, form, error_text(error))
        msg = "article_published" if post.get("publish") else "article_saved"
        return request.redirect(f"/my/articles?msg={msg}")

    @http.route(
        "/my/articles/<int:article_id>/<string:action>", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_lbc_social_article_action(self, article_id, action, **post):
        if action not in ("publish", "unpublish"):
            raise NotFound()
        article = self._lbc_social_my_article(article_id)
        ok, result = self._lbc_call(getattr(article, f"action_{action}"))
        if not ok:
            return self._lbc_social_article_form_render(article, error=result)
        return request.redirect(f"/my/articles?msg=article_{action}ed")

    # ------------------------------------------------------------------ feed
    @http.route(["/feed", "/feed/page/<int:page>"], type="http", auth="user", website=True, sitemap=False)
    def portal_lbc_social_feed(self, page=1, tag=None, **kw):
        env = request.env
        tag_ids = [int(tag)] if (tag or "").isdigit() else None
        offset = (max(int(page), 1) - 1) * PAGE_SIZE
        feed = env["lbc.article"].lbc_feed(offset=offset, limit=PAGE_SIZE, tag_ids=tag_ids)
        pager = portal_pager(url="/feed", url_args={"tag": tag or ""}, total=feed["total"], page=page, step=PAGE_SIZE)
        values = self._lbc_social_values(
            "lbc_social_feed", kw, pager=pager, feed=feed["results"], tags=env["lbc.article.tag"].search([])
        )
        return request.render("lbc_portal.portal_lbc_social_feed", values)

    def _lbc_social_feed_article_render(self, article, kw=None, error=None, form=None):
        if article.state != "published" or article.moderation_hidden:
            if article.author_id != self._lbc_social_me():
                raise NotFound()
        # comments of an article the member reads (checked by the caller)
        comments = (
            request.env["mail.message"]
            .sudo()
            .search(
                [("model", "=", "lbc.article"), ("res_id", "=", article.id), ("message_type", "=", "comment")],
                order="id asc",
            )
        )
        author = self._lbc_social_readable_sudo(article).author_id
        values = self._lbc_social_values(
            "lbc_social_feed_article",
            kw,
            error=error,
            form=form or {},
            article=article,
            author_name=author.name,
            author_profile=self._lbc_social_profile_of(author).get(author.id),
            comments=[
                {"id": c.id, "author": c.author_id.name, "date": c.date, "body": html2plaintext(c.body or "")}
                for c in comments
            ],
            report_url=self._lbc_social_report_url("lbc.article", article.id, f"/feed/{article.id}"),
            report_base=f"/my/social/report?res_model=mail.message&redirect=/feed/{article.id}",
        )
        return request.render("lbc_portal.portal_lbc_social_feed_article", values)

    @http.route("/feed/<int:article_id>", type="http", auth="user", website=True, methods=["GET"], sitemap=False)
    def portal_lbc_social_feed_article(self, article_id, **kw):
        return self._lbc_social_feed_article_render(self._lbc_social_browse_readable("lbc.article", article_id), kw)

    @http.route("/feed/<int:article_id>/comment", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_social_feed_comment(self, article_id, body=None, **post):
        article = self._lbc_social_browse_readable("lbc.article", article_id)
        form = {"body": (body or "").strip()}
        ok, result = self._lbc_call(article.action_comment, form["body"])
        if not ok:
            return self._lbc_social_feed_article_render(article, error=result, form=form)
        return request.redirect(f"/feed/{article.id}?msg=commented#lbc_comments")
