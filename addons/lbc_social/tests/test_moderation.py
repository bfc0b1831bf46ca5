from odoo.exceptions import AccessError, UserError

from .common import LbcSocialCommon


class TestModeration(LbcSocialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.group = cls.Group.browse(cls.Group.with_user(cls.freelance).lbc_create_group("Public group"))
        cls.group.with_user(cls.client_a_admin).action_join()
        cls.post = cls.env["lbc.social.post"].browse(cls.group.with_user(cls.client_a_admin).action_post("Bad post"))
        cls.Report = cls.env["lbc.content.report"]

    def _report(self, user, record, category="offensive"):
        return self.Report.browse(
            self.Report.with_user(user).lbc_report_content(record._name, record.id, category, "Not acceptable")
        )

    def test_hidden_post_gone_for_everyone_but_moderators(self):
        report = self._report(self.freelance, self.post)
        self.assertEqual(report.reported_partner_id, self.client_a_admin.partner_id)
        with self.assertRaises(AccessError):
            report.with_user(self.operator).action_hide()
        report.with_user(self.moderator).action_hide()
        self.assertEqual(report.state, "hidden")
        Post = self.env["lbc.social.post"]
        for user in (self.freelance, self.client_a_admin, self.client_b_admin, self.operator):
            self.assertFalse(Post.with_user(user).search([("id", "=", self.post.id)]), user.login)
        self.assertTrue(Post.with_user(self.moderator).search([("id", "=", self.post.id)]))

    def test_report_validation_and_duplicates(self):
        with self.assertRaises(UserError):
            self.Report.with_user(self.freelance).lbc_report_content("lbc.social.post", self.post.id, "bad", "x")
        with self.assertRaises(UserError):
            self.Report.with_user(self.freelance).lbc_report_content("res.users", 1, "spam", "x")
        self._report(self.freelance, self.post)
        with self.assertRaises(UserError):
            self._report(self.freelance, self.post)
        # a member cannot report what it cannot see
        private_group = self.Group.browse(
            self.Group.with_user(self.freelance).lbc_create_group("Closed", privacy="request")
        )
        hidden_post = self.env["lbc.social.post"].browse(
            private_group.with_user(self.freelance).action_post("Members only")
        )
        with self.assertRaises(AccessError):
            self._report(self.client_b_admin, hidden_post)

    def test_suspend_member(self):
        report = self._report(self.freelance, self.post, "spam")
        report.with_user(self.moderator).action_suspend("Repeated spam")
        profile = self.Profile.search([("partner_id", "=", self.client_a_admin.partner_id.id)])
        self.assertTrue(profile.is_suspended)
        with self.assertRaises(UserError):
            self.group.with_user(self.client_a_admin).action_post("Again")
        with self.assertRaises(UserError):
            report.with_user(self.moderator).action_dismiss()  # already handled

    def test_warn_dismiss_abusive(self):
        warned = self._report(self.freelance, self.post)
        warned.with_user(self.moderator).action_warn("Mind your words")
        self.assertEqual(warned.state, "warned")
        self.assertTrue(
            self.env["mail.message"].search(
                [
                    ("model", "=", "lbc.content.report"),
                    ("res_id", "=", warned.id),
                    ("partner_ids", "in", self.client_a_admin.partner_id.ids),
                ]
            )
        )
        dismissed = self._report(self.client_b_admin, self.post)
        dismissed.with_user(self.moderator).action_dismiss()
        self.assertEqual(dismissed.state, "dismissed")
        abusive = self._report(self.client_b_admin, self.post, "other")
        abusive.with_user(self.moderator).action_mark_abusive()
        self.assertEqual(abusive.state, "abusive")
        with self.assertRaises(UserError):
            abusive.with_user(self.moderator).write({"state": "open"})

    def test_hide_conversation_message(self):
        self._connect(self.client_b_admin, self.freelance)
        conversation = self.Conversation.browse(
            self.Conversation.with_user(self.client_b_admin).lbc_start_conversation(
                [self.freelance.partner_id.id], "An insulting message"
            )
        )
        message_id = conversation.with_user(self.freelance).lbc_read_messages()[0]["id"]
        report = self.Report.browse(
            self.Report.with_user(self.freelance).lbc_report_content("mail.message", message_id, "offensive", "Insult")
        )
        self.assertIn("insulting", report.content_snapshot)
        report.with_user(self.moderator).action_hide()
        self.assertNotIn("insulting", conversation.with_user(self.freelance).lbc_read_messages()[0]["body"])

    def test_moderator_sees_reported_profile_sections(self):
        self.assertNotIn("education", self.consultant_profile._lbc_visible_sections(self.moderator))
        self._report(self.client_b_admin, self.consultant_profile)
        self.assertIn("education", self.consultant_profile._lbc_visible_sections(self.moderator))
        self.assertNotIn("education", self.consultant_profile._lbc_visible_sections(self.operator))
