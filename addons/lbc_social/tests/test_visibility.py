from odoo.exceptions import AccessError, UserError

from .common import LbcSocialCommon


class TestVisibility(LbcSocialCommon):
    def test_sections_by_viewer(self):
        profile = self.consultant_profile
        public_user = self.env.ref("base.public_user")
        # stranger member: members-level sections only
        stranger = profile._lbc_visible_sections(self.client_b_admin)
        self.assertIn("summary", stranger)
        self.assertNotIn("mobility", stranger)
        self.assertNotIn("education", stranger)
        # public visitor: nothing (the card is members-only)
        self.assertEqual(profile._lbc_visible_sections(public_user), set())
        # connection: connections-level too, never private
        self._connect(self.client_a_admin, self.provider_a_consultant)
        connected = profile._lbc_visible_sections(self.client_a_admin)
        self.assertIn("mobility", connected)
        self.assertNotIn("education", connected)
        # self: everything
        self.assertIn("education", profile._lbc_visible_sections(self.provider_a_consultant))
        # LBC staff: members level only
        staff = profile._lbc_visible_sections(self.operator)
        self.assertIn("summary", staff)
        self.assertNotIn("mobility", staff)

    def test_read_profile_api_filters_sections(self):
        data = self.Profile.with_user(self.client_b_admin).lbc_read_profile(self.consultant_profile.id)
        self.assertEqual(data["summary"], "Spark and Python")
        self.assertNotIn("mobility", data)
        self._connect(self.client_b_admin, self.provider_a_consultant)
        data = self.Profile.with_user(self.client_b_admin).lbc_read_profile(self.consultant_profile.id)
        self.assertEqual(data["mobility"]["cities"], "Lyon")
        self.assertNotIn("education", data)

    def test_orm_read_masks_hidden_sections(self):
        # staff listing: ORM read honours the preferences too
        values = self.consultant_profile.with_user(self.operator).read(["summary", "mobility_cities"])[0]
        self.assertEqual(values["summary"], "Spark and Python")
        self.assertFalse(values["mobility_cities"])
        values = self.consultant_profile.with_user(self.client_a_buyer).read(["mobility_cities"])[0]
        self.assertFalse(values["mobility_cities"])
        own = self.consultant_profile.with_user(self.provider_a_consultant).read(["mobility_cities"])[0]
        self.assertEqual(own["mobility_cities"], "Lyon")

    def test_private_card_not_found_by_search(self):
        self.consultant_profile.with_user(self.provider_a_consultant).lbc_update_profile({"visibility_card": "private"})
        with self.assertRaises(AccessError):
            self.Profile.with_user(self.client_b_admin).lbc_read_profile(self.consultant_profile.id)
        result = self.Profile.with_user(self.client_b_admin).lbc_search_profiles("Provider A Consultant")
        self.assertFalse(result["results"])
        # staff listings honour it as well
        self.assertFalse(self.Profile.with_user(self.operator).search([("id", "=", self.consultant_profile.id)]))

    def test_connections_card(self):
        self.consultant_profile.write({"visibility_card": "connections"})
        result = self.Profile.with_user(self.client_b_admin).lbc_search_profiles("Consultant")
        self.assertNotIn(self.consultant_profile.id, [r["id"] for r in result["results"]])
        self._connect(self.provider_a_consultant, self.client_b_admin)
        result = self.Profile.with_user(self.client_b_admin).lbc_search_profiles("Consultant")
        self.assertIn(self.consultant_profile.id, [r["id"] for r in result["results"]])

    def test_no_bulk_listing(self):
        with self.assertRaises(UserError):
            self.Profile.with_user(self.client_b_admin).lbc_search_profiles("")
        with self.assertRaises(AccessError):
            self.Profile.with_user(self.client_b_admin).search_read([], ["name"])
        self.assertTrue(self.Profile.with_user(self.client_b_admin).search_read([], ["name"], limit=10))

    def test_member_edits_only_own_profile(self):
        with self.assertRaises(AccessError):
            self.consultant_profile.with_user(self.client_b_admin).write({"headline": "Hacked"})
        with self.assertRaises(AccessError):
            self.consultant_profile.with_user(self.provider_a_consultant).write({"is_suspended": False})
        self.Profile.with_user(self.freelance).lbc_update_profile({"headline": "Independent"})
        self.assertEqual(
            self.Profile.search([("partner_id", "=", self.freelance.partner_id.id)]).headline, "Independent"
        )

    def test_offer_mission_history(self):
        skill = self.env["lbc.skill"].search([], limit=1)
        entry = self.Profile._lbc_offer_mission_history(
            self.provider_a_consultant.partner_id,
            {
                "title": "ERP migration",
                "company_name": "Client A",
                "date_start": "2026-01-05",
                "date_end": "2026-10-30",
                "description": "Migration",
                "skill_ids": skill.ids,
                "recommendation_body": "Great work",
                "recommendation_author_id": self.client_a_admin.partner_id.id,
            },
        )
        self.assertEqual(entry.state, "offered")
        data = self.Profile.with_user(self.client_b_admin).lbc_read_profile(self.consultant_profile.id)
        self.assertFalse(data["experience"])
        with self.assertRaises(AccessError):
            entry.with_user(self.client_b_admin).action_accept()
        entry.with_user(self.provider_a_consultant).action_accept()
        data = self.Profile.with_user(self.client_b_admin).lbc_read_profile(self.consultant_profile.id)
        self.assertEqual(data["experience"][0]["title"], "ERP migration")
        self.assertEqual(data["experience"][0]["recommendation"], "Great work")
        self.assertEqual(data["recommendations"][0]["body"], "Great work")
