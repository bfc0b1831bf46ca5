from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

VISIBILITY = [
    ("public", "Public"),
    ("members", "Members"),
    ("connections", "Connections"),
    ("private", "Only Me"),
]
# viewer level -> the visibility values it may see
LEVEL_SEES = {
    "self": {"public", "members", "connections", "private"},
    "connection": {"public", "members", "connections"},
    "member": {"public", "members"},
    "public": {"public"},
    "none": set(),
}
# section -> the profile fields it holds ("card" is the name, headline and photo)
SECTION_FIELDS = {
    "card": ["headline", "image_1920", "image_1024", "image_512", "image_256", "image_128"],
    "summary": ["summary"],
    "experience": ["experience_ids"],
    "skills": ["skill_ids"],
    "education": ["education_ids"],
    "mobility": ["mobility_state_ids", "mobility_cities", "mobility_remote", "mobility_travel"],
    "publications": ["article_ids"],
    "recommendations": ["recommendation_ids"],
}
SECTIONS = list(SECTION_FIELDS)
# profile field -> the section that holds it
FIELD_SECTION = {fname: section for section, fnames in SECTION_FIELDS.items() for fname in fnames}
# what a member may change on its own profile (the rest is the platform's)
MEMBER_EDITABLE_FIELDS = {
    "headline",
    "summary",
    "image_1920",
    "mobility_state_ids",
    "mobility_cities",
    "mobility_remote",
    "mobility_travel",
} | {f"visibility_{section}" for section in SECTIONS}
# what an LBC moderator may correct on a member's profile (offensive text or picture): never its preferences
MODERATOR_EDITABLE_FIELDS = {"headline", "summary", "image_1920", "mobility_cities"}
MAX_SEARCH_LIMIT = 20
# featured companies (feature `featured_profile` of the paid plans): at most this many on top of a results page,
# chosen among the companies of at most FEATURED_SCAN matching members
FEATURED_PER_PAGE = 3
FEATURED_SCAN = 200


class LbcProfile(models.Model):
    _name = "lbc.profile"
    _description = "Social Profile"
    _inherit = ["lbc.workflow.mixin", "image.mixin"]
    _order = "name, id"
    # moderation changes only through the moderators' actions; a profile never moves to another member
    _lbc_workflow_fields = ("moderation_hidden", "is_suspended", "suspended_date")
    _lbc_parent_fields = ("partner_id",)

    partner_id = fields.Many2one("res.partner", required=True, readonly=True, ondelete="cascade", index=True)
    name = fields.Char(related="partner_id.name", store=True)
    member_company_id = fields.Many2one(
        related="partner_id.parent_id", string="Company", store=True, help="Empty for members without a company."
    )
    headline = fields.Char(help="One line under the name, e.g. 'Data engineer, Python and Spark'.")
    summary = fields.Text()
    experience_ids = fields.One2many("lbc.profile.experience", "profile_id", string="Missions History")
    skill_ids = fields.One2many("lbc.profile.skill", "profile_id", string="Skills")
    education_ids = fields.One2many("lbc.profile.education", "profile_id")
    mobility_state_ids = fields.Many2many("res.country.state", string="Regions")
    mobility_cities = fields.Char(string="Cities")
    mobility_remote = fields.Selection(
        [("no", "On site only"), ("partial", "Partly remote"), ("full", "Fully remote")], string="Remote Work"
    )
    mobility_travel = fields.Boolean(string="Open to Travel")
    article_ids = fields.One2many("lbc.article", "profile_id", string="Publications")
    recommendation_ids = fields.One2many(
        "lbc.recommendation", "recipient_profile_id", string="Recommendations", domain=[("state", "=", "accepted")]
    )
    visibility_card = fields.Selection(VISIBILITY, string="Profile Visibility", default="members", required=True)
    visibility_summary = fields.Selection(VISIBILITY, string="Summary Visibility", default="members", required=True)
    visibility_experience = fields.Selection(VISIBILITY, string="Missions Visibility", default="members", required=True)
    visibility_skills = fields.Selection(VISIBILITY, string="Skills Visibility", default="members", required=True)
    visibility_education = fields.Selection(
        VISIBILITY, string="Education Visibility", default="connections", required=True
    )
    visibility_mobility = fields.Selection(
        VISIBILITY, string="Mobility Visibility", default="connections", required=True
    )
    visibility_publications = fields.Selection(
        VISIBILITY, string="Publications Visibility", default="members", required=True
    )
    visibility_recommendations = fields.Selection(
        VISIBILITY, string="Recommendations Visibility", default="members", required=True
    )
    moderation_hidden = fields.Boolean(string="Hidden by Moderation", readonly=True, copy=False)
    is_suspended = fields.Boolean(string="Suspended", readonly=True, copy=False, index=True)
    suspended_date = fields.Datetime(readonly=True, copy=False)

    _partner_uniq = models.Constraint("UNIQUE(partner_id)", "A member has one social profile.")

    # --- visibility -----------------------------------------------------------
    def _lbc_viewer_level(self, viewer_user):
        """How `viewer_user` relates to the profile: self, connection, member, public or none."""
        self.ensure_one()
        viewer = viewer_user.partner_id
        if viewer == self.partner_id and not viewer_user._is_public():
            return "self"
        if self.moderation_hidden or self.is_suspended:
            return "none"
        if viewer_user._is_public():
            return "public"
        if viewer_user._is_internal():
            return "member"  # LBC staff see what any member sees, never more
        if self.partner_id._lbc_is_blocked(viewer):
            return "none"
        if self.partner_id._lbc_is_connected(viewer):
            return "connection"
        return "member"

    def _lbc_moderator_handles(self, viewer_user):
        """A moderator handling an open report on this member sees the whole profile."""
        self.ensure_one()
        if not viewer_user.has_group("lbc_base.group_moderator"):
            return False
        return bool(
            self.env["lbc.content.report"]
            .sudo()
            .search_count([("reported_partner_id", "=", self.partner_id.id), ("state", "=", "open")], limit=1)
        )

    def _lbc_visible_sections(self, viewer_user=None):
        """The sections of the profile `viewer_user` (default: current user) may see."""
        self.ensure_one()
        viewer_user = viewer_user or self.env.user
        if self._lbc_moderator_handles(viewer_user):
            return set(SECTIONS)
        allowed = LEVEL_SEES[self._lbc_viewer_level(viewer_user)]
        if self.visibility_card not in allowed:
            return set()
        return {section for section in SECTIONS if self[f"visibility_{section}"] in allowed}

    @api.model
    def _lbc_visible_domain(self, viewer_user=None):
        """Domain of the profiles whose card `viewer_user` may see (used by searches, as sudo)."""
        viewer_user = viewer_user or self.env.user
        viewer = viewer_user.partner_id
        if viewer_user._is_public():
            return [("visibility_card", "=", "public"), ("moderation_hidden", "=", False), ("is_suspended", "=", False)]
        base = [("moderation_hidden", "=", False), ("is_suspended", "=", False)]
        if viewer_user._is_internal():
            return [*base, ("visibility_card", "in", ("public", "members"))]
        connected = viewer._lbc_connected_partners().ids
        blocked = viewer._lbc_blocked_partners().ids
        return [
            "|",
            ("partner_id", "=", viewer.id),
            "&",
            "&",
            *base,
            ("partner_id", "not in", blocked),
            "|",
            ("visibility_card", "in", ("public", "members")),
            "&",
            ("visibility_card", "=", "connections"),
            ("partner_id", "in", connected),
        ]

    @api.model
    def _lbc_section_visible_domain(self, section, viewer_user=None):
        """Domain of the profiles whose `section` `viewer_user` may see: the same answer as
        `_lbc_visible_sections`, as a domain evaluated as superuser (like a record rule)."""
        viewer_user = viewer_user or self.env.user
        me = viewer_user.partner_id
        preferences = ["visibility_card"] if section == "card" else ["visibility_card", f"visibility_{section}"]
        shown = Domain("moderation_hidden", "=", False) & Domain("is_suspended", "=", False)
        if viewer_user._is_public():
            return Domain.AND([shown, *(Domain(pref, "=", "public") for pref in preferences)])
        own = Domain("partner_id", "=", me.id)
        if viewer_user._is_internal():
            domain = own | Domain.AND([shown, *(Domain(pref, "in", ("public", "members")) for pref in preferences)])
            if viewer_user.has_group("lbc_base.group_moderator"):
                # a moderator handling an open report on the member sees the whole profile
                domain |= Domain("partner_id.lbc_report_received_ids", "any", [("state", "=", "open")])
            return domain
        connected = Domain(
            "partner_id.lbc_connection_sent_ids", "any", [("state", "=", "accepted"), ("addressee_id", "=", me.id)]
        ) | Domain(
            "partner_id.lbc_connection_received_ids", "any", [("state", "=", "accepted"), ("requester_id", "=", me.id)]
        )
        not_blocked = Domain(
            "partner_id.lbc_connection_sent_ids", "not any", [("state", "=", "blocked"), ("addressee_id", "=", me.id)]
        ) & Domain(
            "partner_id.lbc_connection_received_ids",
            "not any",
            [("state", "=", "blocked"), ("requester_id", "=", me.id)],
        )
        levels = [
            Domain(pref, "in", ("public", "members")) | (Domain(pref, "=", "connections") & connected)
            for pref in preferences
        ]
        return own | Domain.AND([shown, not_blocked, *levels])

    @api.model
    def _lbc_section_visible_query(self, section):
        """Query of the ids of the profiles whose `section` the current user may see (as superuser)."""
        return (
            self.sudo()
            .with_context(active_test=False)
            ._search(self._lbc_section_visible_domain(section, self.env.user))
        )

    @api.model
    def _lbc_section_of(self, field_expr):
        """The section holding the field of `field_expr` ("summary", "experience_ids.title"...), or None."""
        return FIELD_SECTION.get(field_expr.split(".", 1)[0].split(":", 1)[0])

    def _lbc_mask_sql(self, section, alias, sql):
        """`sql` where the current user may see `section`, NULL elsewhere."""
        visible = self._lbc_section_visible_query(section)
        return SQL("(CASE WHEN %s IN %s THEN %s END)", SQL.identifier(alias, "id"), visible.subselect(), sql)

    # --- read paths: a hidden section is empty on every one of them -----------------------------
    # read / web_read / search_read / web_search_read: `_read_format` empties the hidden sections;
    # search / search_count / name_search / read_group domains: `_search` restricts every condition on a section
    # field to the profiles where the user sees that section (a hidden section matches like an empty one, so no
    # condition can probe it); ordering and grouping by a section field see NULL where it is hidden; aggregates
    # of section fields, exports, copies and onchanges of other members' profiles are refused.
    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, *, active_test=True, bypass_access=False):
        if not self.env.su:
            domain = self._lbc_mask_section_conditions(domain)
        return super()._search(
            domain, offset=offset, limit=limit, order=order, active_test=active_test, bypass_access=bypass_access
        )

    @api.model
    def _lbc_mask_section_conditions(self, domain):
        visible = {}

        def mask(condition):
            section = self._lbc_section_of(condition.field_expr)
            if not section:
                return condition
            if section not in visible:
                visible[section] = Domain("id", "in", self._lbc_section_visible_query(section))
            return condition & visible[section]

        return Domain(domain).map_conditions(mask)

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        section = self._lbc_section_of(field_name)
        field = self._fields.get(field_name.split(".", 1)[0])
        if self.env.su or not section or not field or not field.column_type:
            return super()._order_field_to_sql(alias, field_name, direction, nulls, query)
        sql_field = self._field_to_sql(alias, field.name, query)
        if field.type == "boolean":
            sql_field = SQL("COALESCE(%s, FALSE)", sql_field)
        sql_field = self._lbc_mask_sql(section, alias, sql_field)
        query._order_groupby.append(sql_field)
        return SQL("%s %s %s", sql_field, direction, nulls)

    def _read_group_groupby(self, alias, groupby_spec, query):
        sql = super()._read_group_groupby(alias, groupby_spec, query)
        section = self._lbc_section_of(groupby_spec)
        if self.env.su or not section:
            return sql
        return self._lbc_mask_sql(section, alias, sql)

    def _read_group_select(self, aggregate_spec, query):
        if not self.env.su and self._lbc_section_of(aggregate_spec):
            raise AccessError(self.env._("Profile sections cannot be aggregated."))
        return super()._read_group_select(aggregate_spec, query)

    def _lbc_check_other_profiles(self, message):
        """Refuse (superuser aside) when self holds a profile of another member."""
        if not self.env.su and self.filtered(lambda p: p.partner_id != self.env.user.partner_id):
            raise AccessError(message)

    def export_data(self, fields_to_export):
        sections = {self._lbc_section_of(path.replace("/", ".")) for path in fields_to_export} - {None}
        if sections and not self.env.su:
            for profile in self.sudo():
                if sections - profile._lbc_visible_sections(self.env.user):
                    raise AccessError(self.env._("Hidden sections of a profile cannot be exported."))
        return super().export_data(fields_to_export)

    def copy_data(self, default=None):
        self._lbc_check_other_profiles(self.env._("A profile cannot be copied."))
        return super().copy_data(default=default)

    def onchange(self, values, field_names, fields_spec):
        self._lbc_check_other_profiles(self.env._("You can only edit your own profile."))
        return super().onchange(values, field_names, fields_spec)

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if self.env.su:
            return result
        user = self.env.user
        others = self.filtered(lambda p: p.partner_id != user.partner_id)
        if others and not user._is_internal():
            self.env["lbc.rate.limit"]._lbc_hit("profile_view", count=len(others))
        by_id = {profile.id: profile for profile in self}
        for values in result:
            profile = by_id[values["id"]]
            visible = profile.sudo()._lbc_visible_sections(user)
            for section, section_fields in SECTION_FIELDS.items():
                if section in visible:
                    continue
                for fname in section_fields:
                    if fname in values:
                        field = self._fields[fname]
                        values[fname] = [] if field.type in ("one2many", "many2many") else False
        return result

    def _lbc_check_listing(self, limit):
        # anti-scraping: members never list profiles in bulk, and each listing counts as a search
        if not self.env.su and not self.env.user._is_internal():
            if not limit or limit > MAX_SEARCH_LIMIT:
                raise AccessError(self.env._("Members are listed %(max)s at a time at most.", max=MAX_SEARCH_LIMIT))
            self.env["lbc.rate.limit"]._lbc_hit("member_search")

    @api.model
    def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs):
        self._lbc_check_listing(limit)
        return super().search_read(domain, fields, offset=offset, limit=limit, order=order, **read_kwargs)

    @api.model
    def web_search_read(self, domain, specification, offset=0, limit=None, order=None, count_limit=None):
        self._lbc_check_listing(limit)
        return super().web_search_read(
            domain, specification, offset=offset, limit=limit, order=order, count_limit=count_limit
        )

    # --- CRUD -------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            partner_id = vals.get("partner_id")
            if partner_id and self.sudo().search_count([("partner_id", "=", partner_id)], limit=1):
                raise ValidationError(self.env._("This member already has a social profile."))
        return super().create(vals_list)

    def write(self, vals):
        # the moderation fields and the member (partner_id) are guarded by lbc.workflow.mixin
        if not self.env.su:
            user = self.env.user
            others = self.filtered(lambda p: p.partner_id != user.partner_id)
            if not user._is_internal():
                forbidden = set(vals) - MEMBER_EDITABLE_FIELDS - set(self._lbc_guarded_parent_fields())
                if forbidden:
                    raise AccessError(
                        self.env._("You cannot change these fields: %(fields)s.", fields=", ".join(sorted(forbidden)))
                    )
                if others:
                    raise AccessError(self.env._("You can only edit your own profile."))
            elif others:
                # LBC moderators correct offensive content; the member's preferences stay the member's
                forbidden = set(vals) - MODERATOR_EDITABLE_FIELDS - set(self._lbc_guarded_parent_fields())
                if forbidden:
                    raise AccessError(
                        self.env._(
                            "Only the member changes these fields of its profile: %(fields)s.",
                            fields=", ".join(sorted(forbidden)),
                        )
                    )
        return super().write(vals)

    # --- API for members (RPC) ----------------------------------------------
    @api.model
    def _lbc_get_or_create(self, partner):
        profile = self.sudo().search([("partner_id", "=", partner.id)], limit=1)
        if not profile:
            profile = self._lbc_workflow_create([{"partner_id": partner.id}])
        return profile

    @api.model
    def lbc_my_profile(self):
        """The id of the current member's profile, created on first use."""
        if self.env.user._is_public():
            raise AccessError(self.env._("Please sign in."))
        return self._lbc_get_or_create(self.env.user.partner_id).id

    @api.model
    def lbc_update_profile(self, vals):
        """Update the current member's own profile (headline, summary, mobility, visibility)."""
        profile = self.browse(self.lbc_my_profile())
        profile.write(vals)
        return True

    @api.model
    def lbc_read_profile(self, profile_id):
        """A profile as the current user may see it: only its visible sections.

        Counts a profile view (anti-scraping). Raises when the profile is not visible at all.
        """
        user = self.env.user
        profile = self.sudo().browse(int(profile_id)).exists()
        sections = profile._lbc_visible_sections(user) if profile else set()
        if not sections:
            raise AccessError(self.env._("This profile is not available."))
        if profile.partner_id != user.partner_id:
            self.env["lbc.rate.limit"]._lbc_hit("profile_view")
        return profile._lbc_profile_dict(sections)

    def _lbc_profile_dict(self, sections):
        self.ensure_one()
        data = {
            "id": self.id,
            "partner_id": self.partner_id.id,
            "name": self.name,
            "company": self.member_company_id.name or False,
            "sections": sorted(sections),
        }
        if "card" in sections:
            data["headline"] = self.headline or ""
            data["has_photo"] = bool(self.image_128)
        if "summary" in sections:
            data["summary"] = self.summary or ""
        if "experience" in sections:
            data["experience"] = [
                {
                    "title": e.title,
                    "company_name": e.company_name or "",
                    "date_start": e.date_start,
                    "date_end": e.date_end or False,
                    "description": e.description or "",
                    "skills": e.skill_ids.mapped("name"),
                    "recommendation": e.recommendation_id.body if e.recommendation_id.state == "accepted" else "",
                }
                for e in self.experience_ids.filtered(lambda e: e.state == "accepted")
            ]
        if "skills" in sections:
            data["skills"] = [{"skill": s.skill_id.name, "level": s.level} for s in self.skill_ids]
        if "education" in sections:
            data["education"] = [
                {
                    "school": e.school,
                    "degree": e.degree or "",
                    "date_start": e.date_start or False,
                    "date_end": e.date_end or False,
                }
                for e in self.education_ids
            ]
        if "mobility" in sections:
            data["mobility"] = {
                "regions": self.mobility_state_ids.mapped("name"),
                "cities": self.mobility_cities or "",
                "remote": self.mobility_remote or False,
                "travel": self.mobility_travel,
            }
        if "publications" in sections:
            data["publications"] = [
                {"id": a.id, "name": a.name, "published_date": a.published_date}
                for a in self.article_ids.filtered(lambda a: a.state == "published" and not a.moderation_hidden)
            ]
        if "recommendations" in sections:
            data["recommendations"] = [
                {
                    "id": r.id,
                    "author_id": r.author_id.id,
                    "author": r.author_id.name,
                    "relationship": r.relationship or "",
                    "body": r.body,
                }
                for r in self.recommendation_ids.filtered(lambda r: r.state == "accepted" and not r.moderation_hidden)
            ]
        return data

    @api.model
    def lbc_search_profiles(self, query="", skill_ids=None, offset=0, limit=MAX_SEARCH_LIMIT):
        """Search members by name, headline or skill, honouring every visibility preference.

        At most 20 results a page; each search counts (anti-scraping).
        """
        user = self.env.user
        if user._is_public():
            raise AccessError(self.env._("Please sign in to search members."))
        query = (query or "").strip()
        if len(query) < 2 and not skill_ids:
            raise UserError(self.env._("Type at least two characters or pick a skill: members are not listed in bulk."))
        limit = min(int(limit or MAX_SEARCH_LIMIT), MAX_SEARCH_LIMIT)
        self.env["lbc.rate.limit"]._lbc_hit("member_search")
        domain = self._lbc_visible_domain(user)
        if query:
            domain = ["&", *domain, "|", ("name", "ilike", query), ("headline", "ilike", query)]
        Profile = self.sudo()
        if skill_ids:
            # a skill only matches where the skills section is visible to the viewer
            skill_domain = [("skill_ids.skill_id", "in", list(skill_ids))]
            candidates = Profile.search(domain + skill_domain, order="name, id")
            candidates = candidates.filtered(lambda p: "skills" in p._lbc_visible_sections(user))
            total = len(candidates)
            profiles = candidates[offset : offset + limit]
            scanned = candidates[:FEATURED_SCAN]
        else:
            total = Profile.search_count(domain)
            profiles = Profile.search(domain, offset=offset, limit=limit, order="name, id")
            scanned = Profile.search(domain, limit=FEATURED_SCAN, order="name, id")
        featured_companies = self._lbc_featured_companies(scanned)
        results = [row for row in (profile._lbc_search_row(user, featured_companies) for profile in profiles) if row]
        # the featured companies come first, a few a page (in turn from page to page); the results keep their order
        featured = []
        if featured_companies:
            by_company = {}
            for profile in scanned:
                company = profile.partner_id.commercial_partner_id
                if company in featured_companies and company not in by_company:
                    by_company[company] = profile
            companies = list(by_company)
            start = (offset // max(limit, 1)) * FEATURED_PER_PAGE % len(companies)
            for company in (companies[start:] + companies[:start])[:FEATURED_PER_PAGE]:
                row = by_company[company]._lbc_search_row(user, featured_companies)
                if row:
                    featured.append(dict(row, company=company.name))
        return {"total": total, "offset": offset, "limit": limit, "results": results, "featured": featured}

    @api.model
    def _lbc_featured_companies(self, profiles):
        """The companies of `profiles` whose plan includes the featured company (feature `featured_profile`)."""
        companies = profiles.partner_id.commercial_partner_id.filtered("is_company")
        return companies._lbc_filter_feature("featured_profile")

    def _lbc_search_row(self, user, featured_companies):
        """The search result of this profile for `user` (None when nothing of it is visible)."""
        self.ensure_one()
        sections = self._lbc_visible_sections(user)
        if not sections:
            return None
        return {
            "id": self.id,
            "name": self.name,
            "headline": self.headline or "" if "card" in sections else "",
            "featured": self.partner_id.commercial_partner_id in featured_companies,
        }

    @api.model
    def lbc_featured_offer(self):
        """For a company administrator: whether the company is featured in the members' searches and, when it is
        not, what featuring would give and which plans include it."""
        user = self.env.user
        company = user.partner_id.parent_id
        if not company or not user._lbc_has_role("admin", company):
            return {"admin": False}
        featured = company._lbc_has_feature("featured_profile")
        return {
            "admin": True,
            "featured": featured,
            "company": company.name,
            "offer": "" if featured else company._lbc_feature_upsell_message("featured_profile"),
        }

    @api.model
    def _lbc_offer_mission_history(self, consultant_partner, vals):
        """Offer a finished platform mission to the consultant as a history entry (called by the marketplace).

        vals: title, company_name, date_start, date_end, description, skill_ids, and optionally
        recommendation_body / recommendation_author_id (the client's recommendation).
        The entry waits for the consultant to accept it onto the profile.
        """
        profile = self._lbc_get_or_create(consultant_partner)
        skill_ids = vals.get("skill_ids") or []
        if skill_ids and not isinstance(skill_ids[0], (list, tuple)):
            skill_ids = [fields.Command.set(skill_ids)]
        experience = self.env["lbc.profile.experience"]._lbc_workflow_create(
            [
                {
                    "profile_id": profile.id,
                    "title": vals.get("title") or self.env._("Mission"),
                    "company_name": vals.get("company_name"),
                    "date_start": vals.get("date_start"),
                    "date_end": vals.get("date_end"),
                    "description": vals.get("description"),
                    "skill_ids": skill_ids,
                    "source": "platform",
                    "state": "offered",
                }
            ]
        )
        if vals.get("recommendation_body") and vals.get("recommendation_author_id"):
            recommendation = self.env["lbc.recommendation"]._lbc_workflow_create(
                [
                    {
                        "author_id": vals["recommendation_author_id"],
                        "recipient_id": consultant_partner.id,
                        "body": vals["recommendation_body"],
                        "relationship": vals.get("company_name"),
                        "state": "given",
                    }
                ]
            )
            experience._lbc_workflow_write({"recommendation_id": recommendation.id})
        return experience

    # --- moderation ---------------------------------------------------------
    def _lbc_moderation_author(self):
        return self.partner_id

    def _lbc_moderation_hide(self):
        self._lbc_workflow_write({"moderation_hidden": True})

    def _lbc_suspend(self):
        self._lbc_workflow_write({"is_suspended": True, "suspended_date": fields.Datetime.now()})

    def action_lbc_reinstate(self):
        if not self.env.user.has_group("lbc_base.group_moderator"):
            raise AccessError(self.env._("Only LBC moderators can do this."))
        if self.partner_id & self.env.user.partner_id:
            raise AccessError(self.env._("A moderator does not decide on its own profile."))
        self._lbc_workflow_write({"is_suspended": False, "suspended_date": False, "moderation_hidden": False})
        return True
