import re

from odoo.addons.lbc_erp_provider.tests.common import LbcErpCommon
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestProviderJourney(HttpCase, LbcErpCommon):
    def test_invite_accept_assign_report(self):
        """invite → accept → assign → report, each actor in its browser. Here because accepting the invitation
        goes through LBC's signup form (terms of use), which is lbc_portal's."""
        self.start_tour("/my/company/members", "lbc_team_invite_tour", login=self.provider_a_admin.login)
        nina = self.env["res.partner"].search([("email", "=", "nina.newcomer@provider-a.example")])
        self.assertEqual((nina.parent_id, nina.lbc_profile_type), (self.provider_a, "consultant"))
        mail = self.env["mail.mail"].sudo().search([("email_to", "ilike", "nina.newcomer@provider-a.example")])
        link = re.search(r'href="[^"]*(/web/signup\?[^"]+)"', mail.body_html).group(1).replace("&amp;", "&")
        self.start_tour(link, "lbc_team_accept_tour", login=None)
        self.assertTrue(nina.user_ids.login_date, "the invitee signed in through its link")
        self.start_tour("/my/assignments", "lbc_team_assign_tour", login=self.provider_a_admin.login)
        assignment = self.mission.assignment_ids.filtered(lambda a: a.consultant_id == nina)
        self.assertEqual(assignment.state, "running")
        self.start_tour(f"/my/missions/{self.mission.id}", "lbc_team_report_tour", login=nina.user_ids.login)
        report = self.env["lbc.activity.report"].search(
            [("mission_id", "=", self.mission.id), ("consultant_id", "=", nina.id)]
        )
        self.assertEqual((report.state, report.days_total), ("submitted", 3.0))
