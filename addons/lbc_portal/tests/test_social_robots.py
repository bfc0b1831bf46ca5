from odoo.addons.lbc_social.tests.common import LbcSocialCommon
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSocialRobots(HttpCase, LbcSocialCommon):
    """The site (website) keeps the social network's member pages (lbc_social) out of search engines: a robots
    meta on every page that asks for it (`lbc_noindex`) and /robots.txt."""

    def test_member_pages_not_indexed(self):
        self.authenticate(self.client_a_buyer.login, self.client_a_buyer.login)
        noindex = '<meta name="robots" content="noindex, nofollow"/>'
        for url in ("/my/profile", f"/members/{self.consultant_profile.id}", "/my/network", "/my/groups", "/feed"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(noindex, response.text, url)
        self.assertNotIn(noindex, self.url_open("/my").text)

    def test_robots(self):
        robots = self.url_open("/robots.txt").text
        self.assertIn("Disallow: /members/", robots)
        self.assertIn("Disallow: /my/", robots)
        self.assertIn("Disallow: /feed", robots)
