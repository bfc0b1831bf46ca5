"""Visibility preferences hold on every ORM read path: a hidden section is empty, and no condition, ordering,
grouping or sub-path can probe it.

The victim is the consultant: summary and education private, missions and mobility for its connections, skills
for members. Viewers: a stranger member, a member of the same company (no more than a stranger), a connection,
LBC staff and a moderator.
"""

from odoo.exceptions import AccessError, UserError

from .common import LbcSocialCommon

SECRET = "Zanzibar"


class TestVisibilityPaths(LbcSocialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.victim = cls.consultant_profile
        cls.victim.write(
            {
                "summary": f"{SECRET} summary",
                "mobility_cities": f"{SECRET} city",
                "visibility_summary": "private",
                "visibility_education": "private",
                "visibility_experience": "connections",
                "visibility_mobility": "connections",
                "visibility_skills": "members",
            }
        )
        category = cls.env["lbc.skill.category"].create({"name": "Paths"})
        cls.skill = cls.env["lbc.skill"].create({"name": f"{SECRET} skill", "category_id": category.id})
        cls.education = cls.env["lbc.profile.education"].create({"profile_id": cls.victim.id, "school": SECRET})
        cls.experience = cls.env["lbc.profile.experience"].create({"profile_id": cls.victim.id, "title": SECRET})
        cls.skill_entry = cls.env["lbc.profile.skill"].create({"profile_id": cls.victim.id, "skill_id": cls.skill.id})
        cls.stranger = cls.client_b_admin
        cls.colleague = cls.provider_a_admin
        cls.connection = cls.client_a_admin
        cls._connect(cls.connection, cls.provider_a_consultant)
        # a second profile the stranger sees entirely, to compare orderings with
        cls.witness = cls.Profile._lbc_get_or_create(cls.freelance.partner_id)
        cls.witness.write({"summary": "Middle", "mobility_cities": "Middle", "visibility_summary": "members"})
        cls.witness.write({"visibility_mobility": "members"})
        cls.outsiders = (cls.stranger, cls.colleague)

    def _ids(self, user, domain, model="lbc.profile", **kwargs):
        return self.env[model].with_user(user).search(domain, **kwargs).ids

    # --- read / web_read / search_read / web_search_read --------------------------------------------------
    def test_read_paths_empty_hidden_sections(self):
        for user in self.outsiders:
            Profile = self.Profile.with_user(user)
            values = self.victim.with_user(user).read(["summary", "mobility_cities", "education_ids", "experience_ids"])
            self.assertEqual(
                (values[0]["summary"], values[0]["mobility_cities"], values[0]["education_ids"]), (False, False, [])
            )
            self.assertEqual(values[0]["experience_ids"], [])
            web = self.victim.with_user(user).web_read(
                {
                    "summary": {},
                    "education_ids": {"fields": {"school": {}}},
                    "experience_ids": {"fields": {"title": {}}},
                }
            )[0]
            self.assertEqual((web["summary"], web["education_ids"], web["experience_ids"]), (False, [], []))
            rows = Profile.search_read([("id", "=", self.victim.id)], ["summary", "mobility_cities"], limit=5)
            self.assertEqual((rows[0]["summary"], rows[0]["mobility_cities"]), (False, False))
            page = Profile.web_search_read([("id", "=", self.victim.id)], {"summary": {}}, limit=5)
            self.assertEqual(page["records"][0]["summary"], False)
            # the members-level section is there
            skills = self.victim.with_user(user).read(["skill_ids"])[0]["skill_ids"]
            self.assertEqual(skills, self.skill_entry.ids)
            self.env.invalidate_all()  # each RPC call reads through its own cache
        values = self.victim.with_user(self.connection).read(["summary", "mobility_cities", "experience_ids"])[0]
        self.assertEqual((values["summary"], values["mobility_cities"]), (False, f"{SECRET} city"))
        self.assertEqual(values["experience_ids"], self.experience.ids)
        self.env.invalidate_all()
        own = self.victim.with_user(self.provider_a_consultant).read(["summary", "education_ids"])[0]
        self.assertEqual((own["summary"], own["education_ids"]), (f"{SECRET} summary", self.education.ids))

    # --- search / search_count / name_search on hidden fields ---------------------------------------------------
    def test_search_cannot_probe_hidden_fields(self):
        probes = [
            [("summary", "ilike", SECRET)],
            [("mobility_cities", "ilike", SECRET)],
            [("education_ids.school", "ilike", SECRET)],
            [("education_ids", "any", [("school", "=", SECRET)])],
            [("experience_ids.title", "ilike", SECRET)],
            ["|", ("summary", "ilike", SECRET), ("summary", "=", "nothing")],
            ["&", ("id", "=", self.victim.id), ("summary", "!=", False)],
        ]
        for user in self.outsiders:
            for domain in probes:
                self.assertEqual(self._ids(user, domain), [], f"{user.login} probed {domain}")
                self.assertEqual(self.Profile.with_user(user).search_count(domain), 0, f"{user.login} {domain}")
                self.assertEqual(
                    self.Profile.with_user(user).name_search(self.victim.name, domain), [], f"{user.login} {domain}"
                )
        # the viewer who may see a section finds by it
        self.assertEqual(self._ids(self.connection, [("mobility_cities", "ilike", SECRET)]), self.victim.ids)
        self.assertEqual(self._ids(self.connection, [("experience_ids.title", "ilike", SECRET)]), self.victim.ids)
        self.assertEqual(self._ids(self.connection, [("summary", "ilike", SECRET)]), [])
        self.assertEqual(self._ids(self.provider_a_consultant, [("summary", "ilike", SECRET)]), self.victim.ids)
        self.assertEqual(self._ids(self.stranger, [("skill_ids.skill_id.name", "ilike", SECRET)]), self.victim.ids)

    def test_negated_conditions_do_not_depend_on_hidden_values(self):
        """Whatever the hidden summary holds, the answer to any condition on it is the same."""
        domains = [
            ["&", ("id", "=", self.victim.id), "!", ("summary", "ilike", SECRET)],
            ["&", ("id", "=", self.victim.id), ("summary", "not ilike", SECRET)],
            ["&", ("id", "=", self.victim.id), ("summary", "=", False)],
            ["&", ("id", "=", self.victim.id), ("education_ids", "=", False)],
        ]
        for user in self.outsiders:
            answers = []
            for summary, school in ((f"{SECRET} summary", SECRET), ("Other", "Elsewhere")):
                self.victim.write({"summary": summary})
                self.education.write({"school": school})
                answers.append([self._ids(user, domain) for domain in domains])
            self.assertEqual(answers[0], answers[1], user.login)

    def test_ordering_by_hidden_field_reveals_nothing(self):
        domain = [("id", "in", (self.victim | self.witness).ids)]
        for user in self.outsiders:
            orders = []
            for summary in ("Aaa first", "Zzz last"):
                self.victim.write({"summary": summary, "mobility_cities": summary})
                orders.append(
                    (
                        self._ids(user, domain, order="summary asc, id"),
                        self._ids(user, domain, order="mobility_cities desc, id"),
                    )
                )
            self.assertEqual(orders[0], orders[1], user.login)
        orders = []
        for summary in ("Aaa first", "Zzz last"):
            self.victim.write({"summary": summary})
            orders.append(self._ids(self.provider_a_consultant, domain, order="summary asc"))
        self.assertNotEqual(orders[0], orders[1], "the owner sorts by its own summary")

    # --- read_group / formatted_read_group --------------------------------------------------------------------
    def test_grouping_and_aggregates_reveal_nothing(self):
        for user in self.outsiders:
            Profile = self.Profile.with_user(user)
            groups = Profile.formatted_read_group([], ["mobility_cities"], ["__count"])
            self.assertNotIn(f"{SECRET} city", [g["mobility_cities"] for g in groups])
            groups = Profile._read_group([("id", "=", self.victim.id)], ["summary"], ["__count"])
            self.assertEqual(groups, [(False, 1)])
            groups = Profile.formatted_read_group([("summary", "ilike", SECRET)], [], ["__count"])
            self.assertEqual(groups[0]["__count"], 0)
            for aggregate in ("summary:count_distinct", "summary:array_agg", "mobility_cities:max"):
                with self.assertRaises(AccessError):
                    Profile.formatted_read_group([], [], [aggregate])
            with self.assertRaises(AccessError):
                Profile.formatted_read_group(
                    [], ["visibility_card"], ["__count"], having=[("summary:max", "!=", False)]
                )
            # the sections' own models group only what the viewer may read
            for model, fname in (("lbc.profile.education", "school"), ("lbc.profile.experience", "title")):
                groups = self.env[model].with_user(user).formatted_read_group([], [fname], ["__count"])
                self.assertNotIn(SECRET, [g[fname] for g in groups], f"{user.login} {model}")
        groups = self.Profile.with_user(self.connection).formatted_read_group(
            [("id", "=", self.victim.id)], ["mobility_cities"], ["__count"]
        )
        self.assertEqual(groups[0]["mobility_cities"], f"{SECRET} city")

    # --- the sections' models directly ------------------------------------------------------------------------
    def test_section_models_follow_the_profile_preferences(self):
        viewers = [*self.outsiders, self.connection, self.freelance]
        cases = [
            ("lbc.profile.education", self.education, "school", set()),
            ("lbc.profile.experience", self.experience, "title", {self.connection}),
            ("lbc.profile.skill", self.skill_entry, "skill_id.name", set(viewers)),
        ]
        for model, entry, fname, allowed in cases:
            for user in viewers:
                Model = self.env[model].with_user(user)
                visible = user in allowed
                self.assertEqual(bool(Model.search([(fname, "ilike", SECRET)])), visible, f"{user.login} {model}")
                self.assertEqual(Model.search_count([("id", "=", entry.id)]), int(visible), f"{user.login} {model}")
                self.assertEqual(bool(Model.search([("profile_id", "=", self.victim.id)])), visible, user.login)
                if not visible:
                    with self.assertRaises(AccessError):
                        entry.with_user(user).read(["profile_id"])
                    with self.assertRaises(AccessError):
                        entry.with_user(user).copy_data()
        # an offered platform mission stays the member's until it accepts it
        offered = self.Profile._lbc_offer_mission_history(self.provider_a_consultant.partner_id, {"title": "Offered"})
        self.assertFalse(
            self.env["lbc.profile.experience"].with_user(self.connection).search([("id", "=", offered.id)])
        )
        # the owner reads and handles its own entries
        own = self.env["lbc.profile.education"].with_user(self.provider_a_consultant).search([("school", "=", SECRET)])
        self.assertEqual(own, self.education)

    def test_preferences_follow_the_connection(self):
        """Blocking or ending the connection closes the connections-level sections on every path."""
        domain = [("mobility_cities", "ilike", SECRET)]
        self.assertEqual(self._ids(self.connection, domain), self.victim.ids)
        connection = self.provider_a_consultant.partner_id._lbc_connection_with(self.connection.partner_id)
        connection.with_user(self.provider_a_consultant).action_withdraw()
        self.assertEqual(self._ids(self.connection, domain), [])
        self.assertEqual(self._ids(self.connection, [("title", "ilike", SECRET)], model="lbc.profile.experience"), [])
        self.assertFalse(self.victim.with_user(self.connection).read(["mobility_cities"])[0]["mobility_cities"])
        # a block hides the whole profile, members-level sections included
        self.Connection.with_user(self.provider_a_consultant).lbc_block_member(self.stranger.partner_id.id)
        self.assertEqual(self._ids(self.stranger, [("skill_ids.skill_id.name", "ilike", SECRET)]), [])
        self.assertEqual(self._ids(self.stranger, [("id", "=", self.skill_entry.id)], model="lbc.profile.skill"), [])

    def test_staff_and_moderators(self):
        Education = self.env["lbc.profile.education"]
        self.assertFalse(Education.with_user(self.operator).search([("id", "=", self.education.id)]))
        self.assertFalse(Education.with_user(self.moderator).search([("id", "=", self.education.id)]))
        self.assertEqual(self._ids(self.operator, [("summary", "ilike", SECRET)]), [])
        # under an open report, the moderators (only them) see the whole profile, on every path
        self.env["lbc.content.report"].with_user(self.stranger).lbc_report_content(
            "lbc.profile", self.victim.id, "spam", "Fake profile"
        )
        self.assertFalse(Education.with_user(self.operator).search([("id", "=", self.education.id)]))
        self.assertEqual(self._ids(self.operator, [("summary", "ilike", SECRET)]), [])
        self.assertEqual(Education.with_user(self.moderator).search([("id", "=", self.education.id)]), self.education)
        self.assertEqual(self._ids(self.moderator, [("summary", "ilike", SECRET)]), self.victim.ids)
        self.assertEqual(self.victim.with_user(self.moderator).read(["summary"])[0]["summary"], f"{SECRET} summary")
        # a moderator does not open a section by changing the member's preferences
        with self.assertRaises(AccessError):
            self.victim.with_user(self.moderator).write({"visibility_education": "members"})

    # --- other models' paths to the profile ------------------------------------------------------------------
    def test_paths_through_other_models(self):
        article = (
            self.env["lbc.article"].with_user(self.provider_a_consultant).create({"name": "Hi", "body": "<p>x</p>"})
        )
        article.with_user(self.provider_a_consultant).action_publish()
        Article = self.env["lbc.article"].with_user(self.stranger)
        self.assertEqual(Article.search([("id", "=", article.id)]), article)
        self.assertFalse(Article.search([("profile_id.summary", "ilike", SECRET)]))
        self.assertFalse(Article.search([("profile_id.education_ids.school", "ilike", SECRET)]))
        self.assertFalse(Article.search([("profile_id", "any", [("mobility_cities", "ilike", SECRET)])]))
        self.assertEqual(
            self.env["lbc.article"]
            .with_user(self.connection)
            .search([("profile_id.mobility_cities", "ilike", SECRET)]),
            article,
        )

    # --- exports, copies, onchanges ------------------------------------------------------------------------------
    def test_export_copy_onchange_refused_on_others_profiles(self):
        for user in self.outsiders:
            profile = self.victim.with_user(user)
            for fields_to_export in (["summary"], ["education_ids/school"]):
                with self.assertRaises(UserError):  # members do not export at all; nor the hidden sections
                    profile.export_data(fields_to_export)
            with self.assertRaises(AccessError):
                profile.copy_data()
            with self.assertRaises(AccessError):
                profile.onchange({"id": self.victim.id}, [], {"summary": {}})
        # staff allowed to export get the card, never a hidden section
        self.operator.group_ids += self.env.ref("base.group_allow_export")
        profile = self.victim.with_user(self.operator)
        self.assertEqual(profile.export_data(["name", "headline"])["datas"], [[self.victim.name, "Data engineer"]])
        for fields_to_export in (["summary"], ["education_ids/school"], ["name", "mobility_cities"]):
            with self.assertRaises(AccessError):
                profile.export_data(fields_to_export)
        with self.assertRaises(AccessError):
            profile.copy_data()

    # --- content reports ----------------------------------------------------------------------------------------
    def test_report_snapshot_holds_only_what_the_reporter_sees(self):
        Report = self.env["lbc.content.report"]
        report = Report.browse(
            Report.with_user(self.stranger).lbc_report_content("lbc.profile", self.victim.id, "spam", "Fake")
        )
        self.assertNotIn(SECRET, report.with_user(self.stranger).read(["content_snapshot"])[0]["content_snapshot"])
        self.assertIn(self.victim.name, report.content_snapshot)
        self.victim.write({"visibility_summary": "members"})
        report = Report.browse(
            Report.with_user(self.colleague).lbc_report_content("lbc.profile", self.victim.id, "spam", "Fake")
        )
        self.assertIn(f"{SECRET} summary", report.content_snapshot)

    # --- public visitors ----------------------------------------------------------------------------------------
    def test_public_visitor_never_sees_a_hidden_profile(self):
        public_user = self.env.ref("base.public_user")
        self.victim.write({"visibility_card": "public", "visibility_skills": "public"})
        self.assertEqual(self.victim._lbc_visible_sections(public_user), {"card", "skills"})
        self.victim._lbc_moderation_hide()
        self.assertEqual(self.victim._lbc_visible_sections(public_user), set())
        with self.assertRaises(UserError):
            self.Profile.with_user(public_user).lbc_my_profile()
