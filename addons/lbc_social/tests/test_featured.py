"""A featured company (feature `featured_profile` of the paid plans) comes first in the members' searches, with a
"Featured" badge, a few companies a page, and the results keep their order below; without the plan, its
administrator sees on the profile page what featuring would give. The plans live in lbc_erp_client: here the gate
is patched."""

from odoo.addons.lbc_base.tests.common import LbcPortalPageMixin, lbc_feature_for
from odoo.addons.lbc_social.tests.common import LbcSocialCommon
from odoo.tests import HttpCase, tagged


class LbcFeaturedCommon(LbcSocialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engineers = cls.env["res.users"]
        cls.companies = cls.env["res.partner"]
        for n in range(5):
            company = cls._create_company(f"Engineering {n}", provider=True)
            admin = cls._create_member(company, f"engineer_{n}", "company_manager", ["admin"])
            cls.Profile._lbc_get_or_create(admin.partner_id).write(
                {"headline": f"Cloud engineer {n}", "visibility_card": "members"}
            )
            cls.engineers |= admin
            cls.companies |= company

    def _featured(self, *companies):
        return lbc_feature_for(self.registry, "featured_profile", companies)


class TestFeaturedSearch(LbcFeaturedCommon):
    def _search(self, **kw):
        return self.Profile.with_user(self.client_b_admin).lbc_search_profiles("Cloud engineer", **kw)

    def test_not_featured_without_the_feature(self):
        with self._featured():
            result = self._search()
        self.assertEqual(result["featured"], [])
        self.assertFalse(any(row["featured"] for row in result["results"]))

    def test_featured_first_with_the_badge_order_kept(self):
        with self._featured():
            plain = self._search()
        featured_company = self.companies[3]
        with self._featured(featured_company):
            result = self._search()
        self.assertEqual(
            [row["id"] for row in result["results"]],
            [row["id"] for row in plain["results"]],
            "the results keep their order",
        )
        self.assertEqual([row["company"] for row in result["featured"]], ["Engineering 3"])
        self.assertEqual(result["featured"][0]["name"], self.engineers[3].name)
        badged = [row["name"] for row in result["results"] if row["featured"]]
        self.assertEqual(badged, [self.engineers[3].name])

    def test_a_few_featured_a_page_in_turn(self):
        with self._featured(*self.companies):
            first = self._search(limit=2)
            second = self._search(offset=2, limit=2)
        self.assertEqual(len(first["featured"]), 3, "at most three featured companies a page")
        self.assertEqual(len(first["results"]), 2, "the page size is unchanged")
        self.assertNotEqual(
            [row["company"] for row in first["featured"]],
            [row["company"] for row in second["featured"]],
            "the featured companies take turns",
        )

    def test_featured_only_among_visible_matches(self):
        self.Profile._lbc_get_or_create(self.engineers[1].partner_id).visibility_card = "private"
        with self._featured(self.companies[1]):
            result = self._search()
        self.assertEqual(result["featured"], [], "a profile the searcher may not see is never featured")

    def test_offer_to_the_company_admin(self):
        admin = self.engineers[0]
        with self._featured():
            offer = self.Profile.with_user(admin).lbc_featured_offer()
            self.assertFalse(self.Profile.with_user(self.provider_a_consultant).lbc_featured_offer()["admin"])
        self.assertTrue(offer["admin"])
        self.assertFalse(offer["featured"])
        self.assertTrue(offer["offer"])
        with self._featured(self.companies[0]):
            offer = self.Profile.with_user(admin).lbc_featured_offer()
        self.assertTrue(offer["featured"])


@tagged("post_install", "-at_install")
class TestFeaturedPages(HttpCase, LbcPortalPageMixin, LbcFeaturedCommon):
    def test_search_page_shows_the_featured_company(self):
        self._login(self.client_b_admin)
        with self._featured(self.companies[2]):
            response = self.url_open("/my/network/search?search=Cloud+engineer")
        self.assertIn("o_lbc_search_featured", response.text)
        self.assertIn("Engineering 2", response.text)
        with self._featured():
            response = self.url_open("/my/network/search?search=Cloud+engineer")
        self.assertNotIn("o_lbc_search_featured", response.text)

    def test_profile_page_offer(self):
        self._login(self.engineers[0])
        with self._featured():
            response = self.url_open("/my/profile")
        self.assertIn("o_lbc_featured_offer", response.text)
        self.assertIn('href="/my/lbc/status"', response.text)
        with self._featured(self.companies[0]):
            response = self.url_open("/my/profile")
        self.assertIn("Your company is featured", response.text)
        self.assertNotIn('href="/my/lbc/status"', response.text)
