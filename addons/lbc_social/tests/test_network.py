import base64
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .common import LbcSocialCommon


class TestNetwork(LbcSocialCommon):
    def test_connection_lifecycle(self):
        Connection = self.Connection.with_user(self.client_a_admin)
        connection = Connection.browse(Connection.lbc_request_connection(self.client_b_admin.partner_id.id))
        self.assertEqual(connection.state, "requested")
        with self.assertRaises(AccessError):
            connection.with_user(self.client_a_admin).action_accept()  # only the addressee answers
        with self.assertRaises(AccessError):
            connection.with_user(self.client_a_admin).write({"state": "accepted"})
        connection.with_user(self.client_b_admin).action_decline()
        self.assertEqual(connection.state, "declined")
        # asking again reuses the pair
        self.assertEqual(Connection.lbc_request_connection(self.client_b_admin.partner_id.id), connection.id)
        connection.with_user(self.client_a_admin).action_withdraw()
        self.assertEqual(connection.state, "withdrawn")
        self.Connection.with_user(self.client_b_admin).lbc_request_connection(self.client_a_admin.partner_id.id)
        connection.with_user(self.client_a_admin).action_accept()
        self.assertEqual(connection.state, "accepted")
        self.assertEqual(self.Connection.with_user(self.client_a_admin).lbc_my_network()["connections"], 1)

    def test_blocked_cannot_message(self):
        self._connect(self.client_a_admin, self.client_b_admin)
        conversation_id = self.Conversation.with_user(self.client_a_admin).lbc_start_conversation(
            [self.client_b_admin.partner_id.id], "Hello there"
        )
        conversation = self.Conversation.browse(conversation_id)
        self.Connection.with_user(self.client_b_admin).lbc_block_member(self.client_a_admin.partner_id.id)
        with self.assertRaises(UserError):
            conversation.with_user(self.client_a_admin).lbc_send_message("Still there?")
        with self.assertRaises(UserError):
            self.Conversation.with_user(self.client_a_admin).lbc_start_conversation(
                [self.client_b_admin.partner_id.id], "New one"
            )
        with self.assertRaises(UserError):
            self.Connection.with_user(self.client_a_admin).lbc_request_connection(self.client_b_admin.partner_id.id)
        # the blocked member does not see the profile any more
        profile = self.Profile._lbc_get_or_create(self.client_b_admin.partner_id)
        self.assertFalse(self.Profile.with_user(self.client_a_admin).search([("id", "=", profile.id)]))
        with self.assertRaises(AccessError):
            self.Profile.with_user(self.client_a_admin).lbc_read_profile(profile.id)

    def test_strangers_need_connection_or_group(self):
        with self.assertRaises(UserError):
            self.Conversation.with_user(self.client_a_admin).lbc_start_conversation(
                [self.freelance.partner_id.id], "Hello stranger"
            )
        group_id = self.Group.with_user(self.freelance).lbc_create_group("Python")
        self.Group.browse(group_id).with_user(self.client_a_admin).action_join()
        conversation_id = self.Conversation.with_user(self.client_a_admin).lbc_start_conversation(
            [self.freelance.partner_id.id], "Hello fellow member"
        )
        self.assertTrue(conversation_id)

    def test_conversation_unread_attachments_export(self):
        self._connect(self.client_a_admin, self.client_b_admin)
        file_content = base64.b64encode(b"spec").decode()
        conversation = self.Conversation.browse(
            self.Conversation.with_user(self.client_a_admin).lbc_start_conversation(
                [self.client_b_admin.partner_id.id], "Here is the spec", attachments=[["spec.txt", file_content]]
            )
        )
        self.assertEqual(self.Conversation.with_user(self.client_b_admin).lbc_unread_total(), 1)
        self.assertEqual(self.Conversation.with_user(self.client_a_admin).lbc_unread_total(), 0)
        messages = conversation.with_user(self.client_b_admin).lbc_read_messages()
        self.assertEqual(messages[0]["attachments"][0]["name"], "spec.txt")
        self.assertEqual(self.Conversation.with_user(self.client_b_admin).lbc_unread_total(), 0)
        # outsiders neither read nor post
        with self.assertRaises(AccessError):
            conversation.with_user(self.provider_a_admin).lbc_read_messages()
        self.assertFalse(self.Conversation.with_user(self.provider_a_admin).search([("id", "=", conversation.id)]))
        action = conversation.with_user(self.client_b_admin).action_export()
        attachment = self.env["ir.attachment"].browse(action["attachment_id"])
        self.assertIn(b"Here is the spec", attachment.raw)
        with self.assertRaises(AccessError):
            conversation.with_user(self.provider_a_admin).action_export()

    def test_rate_limit_new_conversations_trigger_and_reset(self):
        self.env["ir.config_parameter"].sudo().set_param("lbc_social.rate_limit.conversation_new", 2)
        self.env["ir.config_parameter"].sudo().set_param("lbc_social.rate_window.conversation_new", 60)
        group = self.Group.browse(self.Group.with_user(self.freelance).lbc_create_group("Open"))
        for user in (self.client_a_admin, self.client_b_admin, self.provider_a_admin):
            group.with_user(user).action_join()
        now = fields.Datetime.now().replace(minute=0, second=0)
        with freeze_time(now):
            for index, user in enumerate((self.client_a_admin, self.client_b_admin)):
                self.Conversation.with_user(self.freelance).lbc_start_conversation(
                    [user.partner_id.id], f"Message number {index}"
                )
            with self.assertRaisesRegex(UserError, "too many conversations"):
                self.Conversation.with_user(self.freelance).lbc_start_conversation(
                    [self.provider_a_admin.partner_id.id], "Third one"
                )
        with freeze_time(now + timedelta(minutes=61)):
            self.assertTrue(
                self.Conversation.with_user(self.freelance).lbc_start_conversation(
                    [self.provider_a_admin.partner_id.id], "Third one, later"
                )
            )

    def test_same_message_to_many_members_refused(self):
        spam = "Buy our wonderful consulting services at a discount today"
        users = (self.client_a_admin, self.client_b_admin, self.provider_a_admin, self.client_a_buyer)
        for user in users:
            self._connect(self.freelance, user)
        for user in users[:3]:
            self.Conversation.with_user(self.freelance).lbc_start_conversation([user.partner_id.id], spam)
        with self.assertRaisesRegex(UserError, "same message"):
            self.Conversation.with_user(self.freelance).lbc_start_conversation([users[3].partner_id.id], spam)

    def test_group_posts_rate_limited_and_notifications(self):
        self.env["ir.config_parameter"].sudo().set_param("lbc_social.rate_limit.group_post", 2)
        group = self.Group.browse(self.Group.with_user(self.freelance).lbc_create_group("Data", privacy="request"))
        self.assertEqual(group.with_user(self.client_a_admin).action_join(), "requested")
        with self.assertRaises(AccessError):
            group.with_user(self.client_a_admin).action_post("Too early")
        with self.assertRaises(AccessError):
            group.with_user(self.client_b_admin).action_approve_member(self.client_a_admin.partner_id.id)
        group.with_user(self.freelance).action_approve_member(self.client_a_admin.partner_id.id)
        post_id = group.with_user(self.client_a_admin).action_post("First post")
        group.with_user(self.freelance).action_post("A reply", parent_id=post_id)
        self.assertEqual(self.env["lbc.social.post"].browse(post_id).reply_count, 1)
        # a non-member does not see the posts of a group on request
        self.assertFalse(self.env["lbc.social.post"].with_user(self.client_b_admin).search([("id", "=", post_id)]))
        group.with_user(self.client_a_admin).action_post("Second post")
        with self.assertRaisesRegex(UserError, "wait a little"):
            group.with_user(self.client_a_admin).action_post("Third post")
        notified = self.env["mail.message"].search(
            [
                ("model", "=", "lbc.social.group"),
                ("res_id", "=", group.id),
                ("partner_ids", "in", self.freelance.partner_id.ids),
            ]
        )
        self.assertTrue(notified)

    def test_recommendations(self):
        Recommendation = self.env["lbc.recommendation"]
        rec_id = Recommendation.with_user(self.provider_a_consultant).lbc_ask_recommendation(
            self.client_a_admin.partner_id.id, "Could you recommend me?"
        )
        self.assertEqual(
            Recommendation.with_user(self.client_a_admin).lbc_give_recommendation(
                self.provider_a_consultant.partner_id.id, "Excellent consultant"
            ),
            rec_id,
        )
        recommendation = Recommendation.browse(rec_id)
        with self.assertRaises(AccessError):
            recommendation.with_user(self.client_a_admin).action_accept()
        recommendation.with_user(self.provider_a_consultant).action_accept()
        data = self.Profile.with_user(self.client_b_admin).lbc_read_profile(self.consultant_profile.id)
        self.assertEqual(data["recommendations"][0]["body"], "Excellent consultant")
        # a member who sees it on the profile may report it, though the record is not theirs
        Report = self.env["lbc.content.report"]
        Report.with_user(self.client_b_admin).lbc_report_content(
            "lbc.recommendation", rec_id, "defamatory", "Copied from elsewhere"
        )
        self.assertTrue(Report.search([("res_model", "=", "lbc.recommendation"), ("res_id", "=", rec_id)]))
        self.consultant_profile.with_user(self.provider_a_consultant).lbc_update_profile(
            {"visibility_recommendations": "private"}
        )
        with self.assertRaises(AccessError):
            Report.with_user(self.client_b_admin).lbc_report_content("lbc.recommendation", rec_id, "spam", "Again")
        self.consultant_profile.with_user(self.provider_a_consultant).lbc_update_profile(
            {"visibility_recommendations": "members"}
        )
        recommendation.with_user(self.provider_a_consultant).action_hide()
        data = self.Profile.with_user(self.client_b_admin).lbc_read_profile(self.consultant_profile.id)
        self.assertFalse(data["recommendations"])

    def test_articles(self):
        Article = self.env["lbc.article"]
        article = Article.with_user(self.freelance).create({"name": "My article", "body": "<p>Content</p>"})
        self.assertFalse(Article.with_user(self.client_a_admin).search([("id", "=", article.id)]))
        with self.assertRaises(AccessError):
            article.with_user(self.client_a_admin).action_publish()
        with self.assertRaises(UserError):
            article.with_user(self.freelance).write({"state": "published"})
        article.with_user(self.freelance).action_publish()
        feed = Article.with_user(self.client_a_admin).lbc_feed()
        self.assertIn(article.id, [a["id"] for a in feed["results"]])
        article.with_user(self.client_a_admin).action_comment("Nice read")
        self.assertEqual(article.comment_count, 1)
        profile = self.Profile.search([("partner_id", "=", self.freelance.partner_id.id)])
        data = self.Profile.with_user(self.client_a_admin).lbc_read_profile(profile.id)
        self.assertEqual(data["publications"][0]["name"], "My article")
        article.with_user(self.freelance).action_unpublish()
        self.assertFalse(Article.with_user(self.client_a_admin).search([("id", "=", article.id)]))

    def test_profile_view_rate_limit(self):
        self.env["ir.config_parameter"].sudo().set_param("lbc_social.rate_limit.profile_view", 2)
        Profile = self.Profile.with_user(self.client_b_admin)
        Profile.lbc_read_profile(self.consultant_profile.id)
        Profile.lbc_read_profile(self.consultant_profile.id)
        with self.assertRaises(UserError):
            Profile.lbc_read_profile(self.consultant_profile.id)
        with freeze_time(fields.Datetime.now() + timedelta(hours=2)):
            self.assertTrue(Profile.lbc_read_profile(self.consultant_profile.id))
