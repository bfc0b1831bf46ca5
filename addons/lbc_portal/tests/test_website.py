"""LBC's public site: no website builder placeholder, nothing loaded from another host, live counts only,
LBC's name, language and legal notices, and a visitor's way from the home page to the signup form."""

import re
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

from odoo import fields
from odoo.tests import HttpCase, tagged

# Texts of the website builder's default pages, header, footer and contact page (English and French)
PLACEHOLDERS = (
    "Your Logo",
    "555-555-5556",
    "My Website",
    "My Company",
    "yourcompany.example.com",
    "Company name",
    "Fake Buena Vista",
    "We are a team of passionate",
    "Nous sommes une équipe de passionnés",
    "Free Returns",
    "Useful Links",
    "Liens utiles",
    "Sign in with Odoo.com",
    "Powered by",
    "Fourni par",
)
# Any URL the page's HTML points to: attributes and CSS url(...)
URL_RE = re.compile(r"""(?:\b(?:src|href|srcset|action|data-src)\s*=\s*["']|url\(\s*["']?)([^"')\s>]+)""", re.I)


@tagged("post_install", "-at_install")
class TestWebsite(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.website = cls.env.ref("website.default_website")
        cls.terms = cls.env["lbc.agreement"].create(
            {
                "name": "Website Test Terms",
                "kind": "terms",
                "version": 9701,
                "date": fields.Date.today() - timedelta(days=1),
                "body": "<p>The terms the visitor reads.</p>",
            }
        )
        cls.client = cls.env["res.partner"].create(
            {"name": "Website Client SA", "is_company": True, "lbc_is_client": True, "lbc_state": "validated"}
        )

    def _public_pages(self):
        return [
            "/",
            "/en/",
            "/contactus",
            "/en/contactus",
            "/contactus-thank-you",
            "/web/login",
            "/en/web/login",
            "/web/signup",
            "/en/web/signup",
            "/web/reset_password",
            "/legal",
            "/en/legal",
            "/legal/terms",
            "/en/legal/terms",
            "/legal/terms/terms",
            "/security/report",
            "/en/security/report",
        ]

    def _get(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return response.text

    def _own_hosts(self):
        # the page's own canonical and alternate links name the site's base URL
        return {urlsplit(self.base_url()).netloc, urlsplit(self.website.get_base_url()).netloc}

    def _external_urls(self, html, page_url):
        own = self._own_hosts()
        external = []
        for url in URL_RE.findall(html):
            url = url.replace("&amp;", "&")
            if url.startswith(("mailto:", "tel:", "#", "data:", "javascript:")):
                continue
            host = urlsplit(urljoin(self.base_url() + page_url, url)).netloc
            if host and host not in own:
                external.append(url)
        return external

    def test_no_builder_placeholder(self):
        for url in self._public_pages():
            html = self._get(url)
            for text in PLACEHOLDERS:
                self.assertNotIn(text, html, f"{url} shows the placeholder {text!r}")

    def test_no_external_resource(self):
        for url in self._public_pages():
            html = self._get(url)
            self.assertFalse(self._external_urls(html, url), f"{url} points to another host")
            self.assertNotIn("fonts.googleapis", html, url)
            self.assertNotIn("fonts.gstatic", html, url)
        # nor in the stylesheets the pages load (website's default fonts are Google Fonts)
        html = self._get("/")
        stylesheets = re.findall(r'href="(/web/assets/[^"]+\.css)"', html)
        self.assertTrue(stylesheets)
        for stylesheet in stylesheets:
            css = self._get(stylesheet)
            self.assertNotIn("fonts.googleapis", css, stylesheet)
            hosts = {urlsplit(url).netloc for url in re.findall(r"url\(\s*[\"']?(https?://[^\"')\s]+)", css)}
            self.assertFalse(hosts - {"www.w3.org"}, f"{stylesheet} loads from {hosts}")

    def test_no_odoo_com_sign_in(self):
        self.assertFalse(self.env.ref("auth_oauth.provider_openerp").enabled)
        html = self._get("/web/login")
        self.assertNotIn("accounts.odoo.com", html)

    def test_site_is_lbc(self):
        self.assertEqual(self.website.name, "LBC")
        french = self.env["res.lang"]._lang_get("fr_FR")
        if french.active:
            self.assertEqual(self.website.default_lang_id, french, "French first")
            self.assertIn(self.env.ref("base.lang_en"), self.website.language_ids, "English second")
            # /fr/ is the default language's home: redirected to / (and remembered)
            self.assertIn("Trois services, une seule plateforme", self._get("/fr/"), "the home page in French")
            self.assertIn("Mentions légales", self._get("/fr/legal"))
        self.assertIn("Three services, one platform", self._get("/en/"))
        for url in ("/", "/legal", "/legal/terms", "/contactus", "/web/login"):
            title = re.search(r"<title>(.*?)</title>", self._get(url), re.S).group(1)
            self.assertTrue(title.strip().endswith("| LBC"), f"{url}: {title}")
        self.assertIn("/web/signup", self._get("/"), "sign-up calls on the home page")

    def test_live_figures_are_counts(self):
        Website = self.env["website"]
        before = Website._lbc_public_figures()
        self.assertEqual(set(before), {"open_tenders", "validated_providers"})
        self.assertTrue(all(isinstance(count, int) for count in before.values()))
        self.env["res.partner"].create(
            {"name": "Website Provider SAS", "is_company": True, "lbc_is_provider": True, "lbc_state": "validated"}
        )
        self.env["res.partner"].create(
            {"name": "Draft Provider SAS", "is_company": True, "lbc_is_provider": True, "lbc_state": "draft"}
        )
        now = fields.Datetime.now()
        tender_vals = {
            "client_id": self.client.id,
            "description": "<p>Secret need of the client</p>",
            "date_start": (now + timedelta(days=30)).date(),
            "duration_days": 20,
            "max_daily_rate": 700,
            "deadline": now + timedelta(days=7),
        }
        # created as superuser: the states are accepted here (the workflow's own rules are tested in lbc_tender)
        self.env["lbc.tender"].create(dict(tender_vals, name="Confidential tender XYZ", state="published"))
        self.env["lbc.tender"].create(dict(tender_vals, name="Draft tender XYZ"))
        after = Website._lbc_public_figures()
        self.assertEqual(after["open_tenders"], before["open_tenders"] + 1)
        self.assertEqual(after["validated_providers"], before["validated_providers"] + 1)
        html = self._get("/en/")
        self.assertRegex(html, rf'o_lbc_figure_open_tenders">\s*{after["open_tenders"]}\s*<')
        self.assertRegex(html, rf'o_lbc_figure_validated_providers">\s*{after["validated_providers"]}\s*<')
        # counts only: nothing of a tender reaches a visitor
        self.assertNotIn("Confidential tender XYZ", html)
        self.assertNotIn("Secret need", html)

    def test_legal_notices_from_settings(self):
        settings = self.env["res.config.settings"].create({})
        settings.write(
            {
                "lbc_legal_publisher": "LBC Légal SAS",
                "lbc_legal_siren": "314159260",
                "lbc_legal_host": "Hébergeur Test, 1 rue du Serveur, 59100 Roubaix",
            }
        )
        settings.execute()
        self.assertEqual(self.website.lbc_legal_publisher, "LBC Légal SAS")
        html = self._get("/en/legal")
        for text in ("LBC Légal SAS", "314159260", "Hébergeur Test"):
            self.assertIn(text, html)
        self.assertIn("LBC Légal SAS", self._get("/en/contactus"), "the contact page names the publisher")
        self.assertIn("SIREN 314159260", self._get("/en/"), "the footer names the publisher")

    def test_terms_pages(self):
        html = self._get("/en/legal/terms")
        self.assertIn("Website Test Terms", html)
        self.assertIn("/legal/terms/terms", html)
        self.assertIn("The terms the visitor reads.", self._get("/en/legal/terms/terms"))
        self.assertEqual(self.url_open("/legal/terms/nothing").status_code, 404)

    def test_tour_visitor_to_signup(self):
        self.start_tour("/en/", "lbc_portal_website_tour", login=None)
