"""Social network pages of the member portal: my profile, other members' profiles, my network, conversations,
groups, articles and the feed, content reports.

Every page works through the member's own rights and the methods of lbc_social: record rules decide what a
member reads, `lbc_*` / `action_*` methods decide what a member may do (blocks, visibility, rate limits).
Portal members cannot read other members' partners (base.res_partner_portal_public_rule): the names of the
other party of a record the member may read (its connection, conversation, group post, article) are read
with `sudo()` on that record only after the record itself was read as the member; profiles of other members
are only shown through `lbc.profile.lbc_read_profile`, which returns the sections visible to the viewer.
Every page sets `lbc_noindex`: where the site runs (lbc_portal, on website) it puts a robots meta in the head,
and /robots.txt disallows these paths. The pages themselves need no website: they use the portal layout.

The pages are split by family, each controller extending the previous one: profiles here (`LbcSocialPortal`),
network and conversations (portal_network.py), reports, groups, articles and the feed (portal_community.py).
"""

from collections import OrderedDict

from werkzeug.exceptions import NotFound

from odoo import Command, fields, http
from odoo.addons.lbc_base.controllers.portal import LbcPortal, error_text
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools.translate import LazyTranslate

from .readonly import lbc_readonly_once_profile_exists

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
# (kind, action) of an entry of my profile -> (model, method, message shown after)
ENTRY_ACTIONS = {
    ("experience", "remove"): ("lbc.profile.experience", "unlink", "entry_removed"),
    ("skill", "remove"): ("lbc.profile.skill", "unlink", "entry_removed"),
    ("education", "remove"): ("lbc.profile.education", "unlink", "entry_removed"),
    ("experience", "accept"): ("lbc.profile.experience", "action_accept", "offer_accepted"),
    ("experience", "decline"): ("lbc.profile.experience", "action_decline", "offer_declined"),
    ("recommendation", "accept"): ("lbc.recommendation", "action_accept", "recommendation_accepted"),
    ("recommendation", "hide"): ("lbc.recommendation", "action_hide", "recommendation_hidden"),
}
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


class LbcSocialPortal(LbcPortal):
    # ------------------------------------------------------------------ helpers
    def _lbc_social_record(self, model, record_id):
        """`_lbc_record`: the record as the member, or 404 when the member may not read it."""
        try:
            return self._lbc_record(model, record_id)
        except (AccessError, MissingError) as error:
            raise NotFound() from error

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
        me = self._lbc_member()
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
            [("recipient_id", "=", self._lbc_member().id), ("state", "in", ("given", "accepted", "hidden"))]
        )
        values = self._lbc_values(
            "lbc_social_profile",
            kw,
            MESSAGES,
            lbc_noindex=True,
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
            featured_offer=Profile.lbc_featured_offer(),
        )
        return request.render("lbc_social.portal_lbc_social_profile", values)

    @http.route(
        "/my/profile",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
        readonly=lbc_readonly_once_profile_exists,
    )
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
        "/my/profile/<string:kind>/<int:entry_id>/<string:action>",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_lbc_social_entry_action(self, kind, entry_id, action, **post):
        """An entry of my profile: remove one of my entries, accept or decline a mission offered to me, accept or
        hide a recommendation given to me (the model's action decides whether I may)."""
        if (kind, action) not in ENTRY_ACTIONS:
            raise NotFound()
        model, method, msg = ENTRY_ACTIONS[kind, action]
        entry = self._lbc_social_record(model, entry_id)
        if method == "unlink" and entry.partner_id != self._lbc_member():
            raise NotFound()
        ok, result = self._lbc_call(getattr(entry, method))
        if not ok:
            return self._lbc_social_profile_render(error=result)
        return request.redirect(f"/my/profile?msg={msg}")

    # ------------------------------------------------------------------ another member's profile
    def _lbc_social_member_render(self, profile_id, kw=None, error=None, forms=None):
        env = request.env
        try:
            data = env["lbc.profile"].lbc_read_profile(profile_id)
        except AccessError as e:
            raise NotFound() from e
        except UserError as e:  # the anti-scraping limit: say it, show nothing
            values = self._lbc_values(
                "lbc_social_member", kw, MESSAGES, lbc_noindex=True, error=error_text(e), member=None
            )
            return request.render("lbc_social.portal_lbc_social_member", values)
        me = self._lbc_member()
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
        values = self._lbc_values(
            "lbc_social_member",
            kw,
            MESSAGES,
            lbc_noindex=True,
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
        return request.render("lbc_social.portal_lbc_social_member", values)

    def _lbc_social_recommendation_report_urls(self, data):
        """[report url or None] matching `data['recommendations']` (the ones shown on the profile): whoever sees
        a recommendation may report it (`lbc_report_content` checks it), except its own author."""
        if "recommendations" not in data["sections"] or not data.get("recommendations"):
            return []
        me = self._lbc_member()
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
