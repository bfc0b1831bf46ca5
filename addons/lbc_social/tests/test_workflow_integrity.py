"""Same-company escalation matrix of the social network: the member itself, a connection, a member of the same
company and a member without company try to move every stateful social record from outside its actions.

Every attempt must be refused with an AccessError or a UserError carrying a message (never a server error) and
leave the record as it was; the legitimate path of each transition keeps working.
"""

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user

from .common import LbcSocialCommon

# context keys a hostile caller sets: the suite's own flags (none of them may open anything) and defaults that
# would create a record in a later state
HOSTILE_CONTEXTS = [
    {},
    {"lbc_cron": True, "lbc_state_change": True, "lbc_moderation": True, "lbc_workflow": True},
    {"default_state": "accepted", "default_moderation_hidden": False, "default_is_suspended": False},
]


class TestWorkflowIntegrity(LbcSocialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = cls.provider_a_consultant
        cls.colleague = cls.provider_a_admin  # same company as the owner
        cls.connection = cls.client_a_admin  # connected to the owner
        cls._connect(cls.connection, cls.owner)
        cls.attackers = {
            "self": cls.owner,
            "same_company": cls.colleague,
            "connection": cls.connection,
            "no_company": cls.freelance,
        }
        cls.moderator_2 = new_test_user(
            cls.env, "lbc_moderator_s2", groups="lbc_base.group_moderator", name="Second Moderator"
        )
        cls.other_profile = cls.Profile._lbc_get_or_create(cls.freelance.partner_id)
        category = cls.env["lbc.skill.category"].create({"name": "Integrity"})
        cls.skill, cls.other_skill = cls.env["lbc.skill"].create(
            [{"name": "Integrity skill", "category_id": category.id}, {"name": "Injected", "category_id": category.id}]
        )
        cls.attempts = 0

    # --- helpers -----------------------------------------------------------------------------
    def assertRefused(self, call, *args, **kwargs):
        """The call is refused with a business error that carries a message; returns the message."""
        self.attempts += 1
        with self.assertRaises(UserError) as refusal:  # AccessError is a UserError
            call(*args, **kwargs)
        message = refusal.exception.args[0] if refusal.exception.args else ""
        self.assertTrue(message, f"{call} refused without a message")
        return message

    def assertUnchanged(self, record, values):
        record.invalidate_recordset()
        for fname, value in values.items():
            current = record.sudo()[fname]
            current = current.id if hasattr(current, "_name") and len(current) <= 1 else current
            self.assertEqual(current or False, value or False, f"{record._name}.{fname} moved")

    def _snapshot(self, record, fnames):
        record = record.sudo()
        return {f: (record[f].id if record._fields[f].type == "many2one" else record[f]) for f in fnames}

    def _try_writes(self, record, fnames_values, users=None):
        """Every user writes each guarded field (under every hostile context): refused, nothing changed."""
        before = self._snapshot(record, list(fnames_values))
        for user in users or self.attackers.values():
            for context in HOSTILE_CONTEXTS:
                for fname, value in fnames_values.items():
                    self.assertRefused(record.with_user(user).with_context(**context).write, {fname: value})
        self.assertUnchanged(record, before)

    # --- lbc.profile ---------------------------------------------------------------------------------
    def test_profile_moderation_fields_and_member(self):
        profile = self.consultant_profile
        guarded = {
            "moderation_hidden": True,
            "is_suspended": True,
            "suspended_date": fields.Datetime.now(),
            "partner_id": self.freelance.partner_id.id,
        }
        self._try_writes(profile, guarded)
        # the member's API refuses them too
        for fname, value in guarded.items():
            self.assertRefused(self.Profile.with_user(self.owner).lbc_update_profile, {fname: value})
        # a moderator neither writes them directly nor changes a member's preferences
        self._try_writes(profile, {**guarded, "visibility_summary": "public"}, users=[self.moderator])
        # nobody but a moderator reinstates, whatever the context
        profile._lbc_suspend()
        for user in self.attackers.values():
            for context in HOSTILE_CONTEXTS:
                self.assertRefused(profile.with_user(user).with_context(**context).action_lbc_reinstate)
        self.assertTrue(profile.is_suspended)
        profile.with_user(self.moderator).action_lbc_reinstate()
        self.assertFalse(profile.is_suspended)
        # the member still edits its own profile
        self.Profile.with_user(self.owner).lbc_update_profile(
            {"headline": "Still mine", "visibility_summary": "private"}
        )
        self.assertEqual(profile.headline, "Still mine")

    def test_moderator_does_not_reinstate_itself(self):
        own = self.Profile._lbc_get_or_create(self.moderator.partner_id)
        own._lbc_suspend()
        self.assertRefused(own.with_user(self.moderator).action_lbc_reinstate)
        self.assertTrue(own.is_suspended)
        own.with_user(self.moderator_2).action_lbc_reinstate()
        self.assertFalse(own.is_suspended)

    # --- profile sections ---------------------------------------------------------------------------
    def _entries(self, user):
        profile = self.Profile.browse(self.Profile.with_user(user).lbc_my_profile())
        return {
            "lbc.profile.experience": self.env["lbc.profile.experience"]
            .with_user(user)
            .create({"profile_id": profile.id, "title": "Mission"}),
            "lbc.profile.skill": self.env["lbc.profile.skill"]
            .with_user(user)
            .create({"profile_id": profile.id, "skill_id": self.skill.id}),
            "lbc.profile.education": self.env["lbc.profile.education"]
            .with_user(user)
            .create({"profile_id": profile.id, "school": "INSA"}),
        }

    def test_section_entries_never_move_to_another_profile(self):
        for user in self.attackers.values():
            for model, entry in self._entries(user).items():
                for victim in (self.consultant_profile, self.other_profile):
                    if victim == entry.profile_id:
                        continue
                    for context in HOSTILE_CONTEXTS:
                        self.assertRefused(
                            entry.with_user(user).with_context(**context).write, {"profile_id": victim.id}
                        )
                    self.assertRefused(entry.with_user(user).write, {"partner_id": victim.partner_id.id})
                    self.assertEqual(entry.profile_id.partner_id, user.partner_id, model)
                    self.assertEqual(entry.partner_id, user.partner_id, model)
                    # nor are entries added to another member's profile, directly or through the stored member
                    self.assertRefused(
                        self.env[model].with_user(user).create,
                        {"profile_id": victim.id, **self._entry_vals(model)},
                    )
                    self.assertRefused(
                        self.env[model].with_user(user).create,
                        {
                            "profile_id": entry.profile_id.id,
                            "partner_id": victim.partner_id.id,
                            **self._entry_vals(model),
                        },
                    )
                # writing the same profile back (forms send it) is harmless
                entry.with_user(user).write({"profile_id": entry.profile_id.id})

    def _entry_vals(self, model):
        if model == "lbc.profile.experience":
            return {"title": "Injected"}
        if model == "lbc.profile.skill":
            return {"skill_id": self.other_skill.id}
        return {"school": "Injected"}

    def test_experience_states_come_from_the_platform_and_the_member(self):
        for user in self.attackers.values():
            Experience = self.env["lbc.profile.experience"].with_user(user)
            profile_id = self.Profile.with_user(user).lbc_my_profile()
            # a member's own entry is created accepted and manual, whatever the defaults
            entry = Experience.with_context(
                default_state="offered", default_source="platform", default_partner_id=self.freelance.partner_id.id
            ).create({"profile_id": profile_id, "title": "Mine"})
            self.assertEqual((entry.state, entry.source, entry.partner_id), ("accepted", "manual", user.partner_id))
            for vals in ({"state": "offered"}, {"source": "platform"}, {"recommendation_id": False}):
                self.assertRefused(Experience.create, {"profile_id": profile_id, "title": "X", **vals})
            self._try_writes(entry, {"state": "declined", "source": "platform"}, users=[user])
        # a mission offered by the platform: only its member answers, and its content is the platform's
        offered = self.Profile._lbc_offer_mission_history(
            self.owner.partner_id, {"title": "ERP", "date_start": "2026-01-05", "date_end": "2026-03-31"}
        )
        for name, user in self.attackers.items():
            if name == "self":
                continue
            for context in HOSTILE_CONTEXTS:
                self.assertRefused(offered.with_user(user).with_context(**context).action_accept)
                self.assertRefused(offered.with_user(user).with_context(**context).action_decline)
        self.assertEqual(offered.state, "offered")
        for vals in ({"title": "Chief architect"}, {"date_end": "2027-12-31"}, {"state": "accepted"}):
            self.assertRefused(offered.with_user(self.owner).write, vals)
        self.assertEqual(offered.title, "ERP")
        offered.with_user(self.owner).action_accept()
        self.assertEqual(offered.state, "accepted")

    # --- lbc.connection --------------------------------------------------------------------------------
    def test_connection_only_the_addressee_answers(self):
        Connection = self.Connection.with_user(self.colleague).with_context(
            default_state="accepted", default_date_accepted=fields.Datetime.now(), lbc_cron=True
        )
        connection = self.Connection.browse(Connection.lbc_request_connection(self.freelance.partner_id.id))
        self.assertEqual((connection.state, connection.date_accepted), ("requested", False))
        self._try_writes(
            connection,
            {
                "state": "accepted",
                "date_accepted": fields.Datetime.now(),
                "blocked_by_id": self.colleague.partner_id.id,
                "requester_id": self.owner.partner_id.id,
                "addressee_id": self.owner.partner_id.id,
                "message": "x",
            },
            users=[self.colleague, self.freelance, self.owner],
        )
        for user in (self.colleague, self.owner, self.connection):
            for context in HOSTILE_CONTEXTS:
                self.assertRefused(connection.with_user(user).with_context(**context).action_accept)
                self.assertRefused(connection.with_user(user).with_context(**context).action_decline)
        self.assertEqual(connection.state, "requested")
        for user in self.attackers.values():
            self.assertRefused(
                self.Connection.with_user(user).with_context(default_state="accepted").create,
                {"requester_id": user.partner_id.id, "addressee_id": self.moderator.partner_id.id},
            )
        connection.with_user(self.freelance).action_accept()
        self.assertEqual(connection.state, "accepted")

    def test_block_stays_the_blockers(self):
        self.Connection.with_user(self.owner).lbc_block_member(self.colleague.partner_id.id)
        connection = self.owner.partner_id._lbc_connection_with(self.colleague.partner_id)
        self.assertEqual(connection.blocked_by_id, self.owner.partner_id)
        # the blocked member neither takes the block over nor lifts it
        connection.with_user(self.colleague).action_block()
        self.assertEqual(connection.blocked_by_id, self.owner.partner_id)
        self.assertRefused(connection.with_user(self.colleague).action_unblock)
        self.assertRefused(connection.with_user(self.colleague).action_withdraw)
        self.assertRefused(self.Connection.with_user(self.colleague).lbc_request_connection, self.owner.partner_id.id)
        self.assertEqual(connection.state, "blocked")
        connection.with_user(self.owner).action_unblock()
        self.assertEqual(connection.state, "withdrawn")

    # --- lbc.recommendation ---------------------------------------------------------------------------
    def test_recommendation_written_by_its_author_published_by_its_recipient(self):
        Recommendation = self.env["lbc.recommendation"]
        rec = Recommendation.browse(
            Recommendation.with_user(self.owner)
            .with_context(default_state="accepted", default_body="I am great", default_moderation_hidden=False)
            .lbc_ask_recommendation(self.colleague.partner_id.id, "Please")
        )
        self.assertEqual((rec.state, rec.body), ("requested", False))
        guarded = {
            "state": "accepted",
            "body": "Forged",
            "relationship": "x",
            "moderation_hidden": True,
            "author_id": self.connection.partner_id.id,
            "recipient_id": self.freelance.partner_id.id,
        }
        self._try_writes(rec, guarded)
        # the recipient does not decline in the author's place, nor accept a recommendation not yet written
        for user in (self.owner, self.connection, self.freelance):
            self.assertRefused(rec.with_user(user).action_decline)
        self.assertRefused(rec.with_user(self.owner).action_accept)
        Recommendation.with_user(self.colleague).lbc_give_recommendation(self.owner.partner_id.id, "Solid work")
        self.assertEqual(rec.state, "given")
        # the author never publishes what it wrote; strangers neither
        for user in (self.colleague, self.connection, self.freelance):
            for context in HOSTILE_CONTEXTS:
                self.assertRefused(rec.with_user(user).with_context(**context).action_accept)
                self.assertRefused(rec.with_user(user).with_context(**context).action_hide)
        self.assertEqual(rec.state, "given")
        for user in self.attackers.values():
            self.assertRefused(
                Recommendation.with_user(user).create,
                {"author_id": user.partner_id.id, "recipient_id": self.owner.partner_id.id, "body": "Forged"},
            )
        rec.with_user(self.owner).action_accept()
        self.assertEqual(rec.state, "accepted")

    # --- lbc.article ------------------------------------------------------------------------------------
    def test_article_states_are_the_authors_and_the_moderators(self):
        Article = self.env["lbc.article"]
        for name, user in self.attackers.items():
            article = (
                Article.with_user(user)
                .with_context(
                    default_state="published",
                    default_published_date=fields.Datetime.now(),
                    default_moderation_hidden=False,
                    default_author_id=self.other_profile.partner_id.id
                    if name != "no_company"
                    else self.owner.partner_id.id,
                    default_profile_id=self.consultant_profile.id,
                )
                .create({"name": f"By {name}", "body": "<p>Text</p>"})
            )
            self.assertEqual((article.state, article.published_date), ("draft", False))
            self.assertEqual(article.author_id, user.partner_id)
            self.assertEqual(article.profile_id.partner_id, user.partner_id)
            self._try_writes(
                article,
                {
                    "state": "published",
                    "published_date": fields.Datetime.now(),
                    "moderation_hidden": True,
                    "profile_id": self.consultant_profile.id,
                    "author_id": self.moderator.partner_id.id,
                },
                users=[user],
            )
            article.with_user(user).action_publish()
            self.assertEqual(article.state, "published")
            # other members neither unpublish it nor post on its thread outside action_comment
            for other in self.attackers.values():
                if other == user:
                    continue
                for context in HOSTILE_CONTEXTS:
                    self.assertRefused(article.with_user(other).with_context(**context).action_unpublish)
                self.assertRefused(article.with_user(other).message_post, body="Bypassing action_comment")
            self.assertEqual(article.state, "published")

    # --- lbc.content.report -------------------------------------------------------------------------------
    def _public_post(self, author):
        group = self.Group.browse(self.Group.with_user(self.freelance).lbc_create_group("Public"))
        if not group._lbc_is_member(author.partner_id):
            group.with_user(author).action_join()
        return self.env["lbc.social.post"].browse(group.with_user(author).action_post("Reported post"))

    def test_content_report_decided_by_another_moderator(self):
        Report = self.env["lbc.content.report"]
        post = self._public_post(self.owner)
        report = Report.browse(
            Report.with_user(self.colleague)
            .with_context(
                default_state="dismissed",
                default_moderator_id=self.moderator.id,
                default_decision_note="Nothing to see",
            )
            .lbc_report_content("lbc.social.post", post.id, "spam", "Spam")
        )
        self.assertEqual(
            (report.state, report.moderator_id, report.decision_note), ("open", self.env["res.users"], False)
        )
        guarded = {
            "state": "dismissed",
            "moderator_id": self.moderator.id,
            "decision_note": "x",
            "content_snapshot": "x",
            "reason": "x",
            "reporter_id": self.freelance.partner_id.id,
            "reported_partner_id": self.freelance.partner_id.id,
        }
        self._try_writes(report, guarded, users=[*self.attackers.values(), self.moderator])
        for user in self.attackers.values():
            for context in HOSTILE_CONTEXTS:
                for action in ("action_hide", "action_warn", "action_suspend", "action_dismiss", "action_mark_abusive"):
                    self.assertRefused(getattr(report.with_user(user).with_context(**context), action))
            self.assertRefused(
                Report.with_user(user).create,
                {
                    "reporter_id": user.partner_id.id,
                    "res_model": "lbc.social.post",
                    "res_id": post.id,
                    "category": "spam",
                    "reason": "x",
                },
            )
        self.assertEqual(report.state, "open")
        report.with_user(self.moderator).action_dismiss()
        self.assertEqual((report.state, report.moderator_id), ("dismissed", self.moderator))

    def test_moderator_never_judges_its_own_content(self):
        Report = self.env["lbc.content.report"]
        post = self._public_post(self.moderator)
        report = Report.browse(
            Report.with_user(self.freelance).lbc_report_content("lbc.social.post", post.id, "offensive", "Rude")
        )
        for action in ("action_hide", "action_warn", "action_suspend", "action_dismiss", "action_mark_abusive"):
            self.assertRefused(getattr(report.with_user(self.moderator), action))
        self.assertEqual(report.state, "open")
        report.with_user(self.moderator_2).action_hide()
        self.assertEqual(report.state, "hidden")
        self.assertTrue(post.moderation_hidden)

    # --- groups, memberships, posts ----------------------------------------------------------------------------
    def test_group_memberships_move_only_through_the_group(self):
        group = self.Group.browse(
            self.Group.with_user(self.freelance).lbc_create_group("On request", privacy="request")
        )
        for name, user in self.attackers.items():
            if name == "no_company":
                continue
            state = group.with_user(user).with_context(default_role="owner", default_state="member").action_join()
            self.assertEqual(state, "requested")
            membership = group._lbc_membership(user.partner_id)
            self.assertEqual((membership.state, membership.role), ("requested", "member"))
            self._try_writes(
                membership,
                {"state": "member", "role": "owner", "group_id": self.Group.create({"name": "Other"}).id},
                users=[user],
            )
            for context in HOSTILE_CONTEXTS:
                self.assertRefused(
                    group.with_user(user).with_context(**context).action_approve_member, user.partner_id.id
                )
                self.assertRefused(
                    group.with_user(user).with_context(**context).action_set_role, user.partner_id.id, "owner"
                )
                self.assertRefused(group.with_user(user).with_context(**context).action_post, "Not a member yet")
            self.assertRefused(
                self.env["lbc.social.group.member"].with_user(user).create,
                {"group_id": group.id, "partner_id": user.partner_id.id, "state": "member"},
            )
        group.with_user(self.freelance).action_approve_member(self.owner.partner_id.id)
        self.assertTrue(group._lbc_is_member(self.owner.partner_id))
        # a plain member does not appoint itself moderator, nor hide others' posts
        self.assertRefused(group.with_user(self.owner).action_set_role, self.owner.partner_id.id, "moderator")
        post = self.env["lbc.social.post"].browse(group.with_user(self.freelance).action_post("Owner's post"))
        self.assertRefused(post.with_user(self.owner).action_hide)
        self.assertFalse(post.moderation_hidden)

    def test_posts_never_move(self):
        post = self._public_post(self.owner)
        other_group = self.Group.browse(self.Group.with_user(self.freelance).lbc_create_group("Elsewhere"))
        self._try_writes(
            post,
            {
                "group_id": other_group.id,
                "author_id": self.freelance.partner_id.id,
                "body": "Edited",
                "moderation_hidden": True,
            },
        )

    # --- conversations ---------------------------------------------------------------------------------------
    def test_conversation_bookkeeping_is_the_models(self):
        conversation = self.Conversation.browse(
            self.Conversation.with_user(self.connection)
            .with_context(default_last_seen_message_id=10**9, default_started_by_id=self.owner.partner_id.id)
            .lbc_start_conversation([self.owner.partner_id.id], "Hello from a connection")
        )
        self.assertEqual(conversation.started_by_id, self.connection.partner_id)
        self.assertEqual(self.Conversation.with_user(self.owner).lbc_unread_total(), 1)
        self.assertEqual(self.Conversation.with_user(self.owner).lbc_unread_counts(), {conversation.id: 1})
        # the unread counts of others' conversations are not the member's to learn
        for user in (self.colleague, self.freelance):
            self.assertEqual(self.Conversation.with_user(user).lbc_unread_counts([conversation.id]), {})
        participant = conversation.participant_ids.filtered(lambda p: p.partner_id == self.owner.partner_id)
        self._try_writes(participant, {"last_seen_message_id": 10**9}, users=[self.owner, self.connection])
        self._try_writes(
            conversation,
            {"started_by_id": self.owner.partner_id.id, "last_message_date": fields.Datetime.now()},
            users=[self.owner, self.connection],
        )
        # a participant posts only through lbc_send_message (blocks, suspension, anti-spam)
        self.Connection.with_user(self.owner).lbc_block_member(self.connection.partner_id.id)
        self.assertRefused(conversation.with_user(self.connection).message_post, body="Blocked, yet here")
        self.assertRefused(conversation.with_user(self.connection).lbc_send_message, "Blocked, yet here")
