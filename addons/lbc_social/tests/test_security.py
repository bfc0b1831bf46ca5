from odoo.exceptions import AccessError

from .common import LbcSocialCommon


class TestSecurity(LbcSocialCommon):
    def test_profile_rule(self):
        Profile = self.Profile.with_user(self.client_b_admin)
        self.assertTrue(Profile.search([("id", "=", self.consultant_profile.id)]))
        self.consultant_profile.write({"visibility_card": "private"})
        self.assertFalse(Profile.search([("id", "=", self.consultant_profile.id)]))
        with self.assertRaises(AccessError):
            self.consultant_profile.with_user(self.client_b_admin).read(["name"])
        self.assertTrue(
            self.Profile.with_user(self.provider_a_consultant).search([("id", "=", self.consultant_profile.id)])
        )

    def test_profile_sections_rule(self):
        entry = self.env["lbc.profile.education"].create({"profile_id": self.consultant_profile.id, "school": "INSA"})
        Education = self.env["lbc.profile.education"]
        self.assertTrue(Education.with_user(self.provider_a_consultant).search([("id", "=", entry.id)]))
        self.assertFalse(Education.with_user(self.client_b_admin).search([("id", "=", entry.id)]))
        # education is private: staff do not see it
        self.assertFalse(Education.with_user(self.operator).search([("id", "=", entry.id)]))
        # a member cannot add entries to another member's profile
        with self.assertRaises(AccessError):
            Education.with_user(self.client_b_admin).create({"profile_id": self.consultant_profile.id, "school": "X"})
        Education.with_user(self.provider_a_consultant).create(
            {"profile_id": self.consultant_profile.id, "school": "Y"}
        )

    def test_connection_rule(self):
        connection = self._connect(self.client_a_admin, self.client_b_admin)
        self.assertTrue(self.Connection.with_user(self.client_a_admin).search([("id", "=", connection.id)]))
        self.assertFalse(self.Connection.with_user(self.provider_a_admin).search([("id", "=", connection.id)]))

    def test_report_rule(self):
        group = self.Group.browse(self.Group.with_user(self.freelance).lbc_create_group("G"))
        post_id = group.with_user(self.freelance).action_post("Post")
        Report = self.env["lbc.content.report"]
        report_id = Report.with_user(self.client_a_admin).lbc_report_content("lbc.social.post", post_id, "spam", "Spam")
        self.assertTrue(Report.with_user(self.client_a_admin).search([("id", "=", report_id)]))
        self.assertFalse(Report.with_user(self.client_b_admin).search([("id", "=", report_id)]))
        self.assertTrue(Report.with_user(self.moderator).search([("id", "=", report_id)]))
        with self.assertRaises(AccessError):
            Report.with_user(self.operator).search([("id", "=", report_id)])

    def test_article_rule(self):
        article = self.env["lbc.article"].with_user(self.freelance).create({"name": "Draft", "body": "<p>x</p>"})
        with self.assertRaises(AccessError):
            article.with_user(self.client_a_admin).write({"name": "Changed"})
        self.assertFalse(self.env["lbc.article"].with_user(self.operator).search([("id", "=", article.id)]))
        self.assertTrue(self.env["lbc.article"].with_user(self.moderator).search([("id", "=", article.id)]))
