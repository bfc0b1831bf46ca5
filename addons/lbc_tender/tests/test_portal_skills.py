"""The company's skills: set by its administrators (page and RPC), read by the scoring of bids."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import LbcPortalPageMixin, LbcTenderCommon


@tagged("post_install", "-at_install")
class TestCompanySkills(HttpCase, LbcPortalPageMixin, LbcTenderCommon):
    def test_admin_sets_the_skills_over_rpc(self):
        skills = self.python | self.odoo_skill
        self.provider_a.with_user(self.provider_a_admin).action_lbc_set_skills(skills.ids)
        self.assertEqual(self.provider_a.lbc_skill_ids, skills)
        self.assertIn("Added", self.provider_a.message_ids[0].body)
        with self.assertRaises(AccessError):
            self.provider_a.with_user(self.provider_a_consultant).action_lbc_set_skills([])
        with self.assertRaises(AccessError):
            self.provider_a.with_user(self.provider_b_admin).action_lbc_set_skills([])
        with self.assertRaisesRegex(UserError, "from the list"):
            self.provider_a.with_user(self.provider_a_admin).action_lbc_set_skills([0, 999999999])
        with self.assertRaisesRegex(UserError, "not a provider"):
            self.client_a.with_user(self.client_a_admin).action_lbc_set_skills(self.python.ids)
        self.assertEqual(self.provider_a.lbc_skill_ids, skills)

    def test_skills_feed_the_scoring(self):
        tender = self.env["lbc.tender"].with_user(self.client_a_buyer).create(self._tender_vals())
        tender.action_publish()
        bid = (
            self.env["lbc.tender.bid"]
            .with_user(self.provider_a_admin)
            .create(
                {
                    "tender_id": tender.id,
                    "provider_id": self.provider_a.id,
                    "consultant_id": self.provider_a_consultant.partner_id.id,
                    "daily_rate": 500,
                    "available_from": tender.date_start,
                    "labour_law_ack": True,
                }
            )
        )
        self.provider_a.with_user(self.provider_a_admin).action_lbc_set_skills([])
        self.assertEqual(bid.sudo().skills_match, 0.0)
        self.provider_a.with_user(self.provider_a_admin).action_lbc_set_skills((self.python | self.odoo_skill).ids)
        self.assertEqual(bid.sudo().skills_match, 100.0)

    def test_page(self):
        self._login(self.provider_a_admin)
        self.assertIn('href="/my/company/skills"', self.url_open("/my/company").text, "linked from My company")
        response = self.url_open("/my/company/skills?search=Odoo")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_lbc_skills_save", response.text)
        # the search shows Odoo only: Python, already chosen, stays chosen (hidden input)
        response = self._post("/my/company/skills", {"skill_ids": [str(self.odoo_skill.id), str(self.python.id)]})
        self.assertIn("The skills are saved", response.text)
        self.assertEqual(self.provider_a.lbc_skill_ids, self.python | self.odoo_skill)
        values = self.make_jsonrpc_request("/my/counters", {"counters": ["lbc_skill_count"]})
        self.assertEqual(values["lbc_skill_count"], 2)
        self._login(self.provider_a_consultant)
        response = self.url_open("/my/company/skills")
        self.assertIn(self.odoo_skill.name, response.text)
        self.assertNotIn("o_lbc_skills_save", response.text, "no button without the admin role")
        response = self._post("/my/company/skills", {"skill_ids": []})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.provider_a.lbc_skill_ids, self.python | self.odoo_skill)
        self._login(self.provider_b_admin)
        with mute_logger("odoo.http"):
            self._post("/my/company/skills", {"skill_ids": []})
        self.assertEqual(self.provider_a.lbc_skill_ids, self.python | self.odoo_skill, "only its own company")
