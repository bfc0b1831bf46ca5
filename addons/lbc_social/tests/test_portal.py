import html
import logging
import re

from odoo.addons.lbc_base.tests.common import LbcPortalPageMixin
from odoo.addons.lbc_social.tests.common import LbcSocialCommon
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)

# queries of the pages on top of their layout (see test_query_counts)
NETWORK_QUERIES = 9
CONVERSATIONS_QUERIES = 9


@tagged("post_install", "-at_install")
class TestPortalSocial(HttpCase, LbcPortalPageMixin, LbcSocialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A = client_a_buyer (a stranger to the consultant), B = provider_a_consultant (profile from the common)
        cls.member_a = cls.client_a_buyer
        cls.member_b = cls.provider_a_consultant
        cls.profile_b = cls.consultant_profile
        cls.profile_a = cls.Profile._lbc_get_or_create(cls.member_a.partner_id)
        cls.group = cls.env["lbc.social.group"].browse(
            cls.Group.with_user(cls.member_b).lbc_create_group("Python guild", "Python people", "public")
        )
        cls.post_b_id = cls.group.with_user(cls.member_b).action_post("Buy my cheap followers now, best offer")

    # ------------------------------------------------------------------ pages
    def test_pages_for_a_member(self):
        self._connect(self.member_a, self.member_b)
        conversation_id = self.Conversation.with_user(self.member_a).lbc_start_conversation(
            [self.member_b.partner_id.id], "Hello B"
        )
        article = self.env["lbc.article"].with_user(self.member_b).create({"name": "On Spark", "body": "<p>Tips</p>"})
        article.with_user(self.member_b).action_publish()
        self._login(self.member_a)
        pages = {
            "/my/profile": "o_lbc_profile_form",
            f"/members/{self.profile_b.id}": "Data engineer",
            f"/my/network/profile/{self.profile_b.id}": "Data engineer",
            "/my/network": self.member_b.name,
            "/my/conversations": self.member_b.name,
            f"/my/conversations/{conversation_id}": "Hello B",
            "/my/groups": "Python guild",
            f"/my/groups/{self.group.id}": "Buy my cheap followers",
            "/my/articles": "Write an article",
            "/my/articles/new": "o_lbc_article_form",
            "/feed": "On Spark",
            f"/feed/{article.id}": "Tips",
            f"/my/social/report?res_model=lbc.social.post&res_id={self.post_b_id}&redirect=/my/groups": "Spam",
            "/my": "/my/network",
        }
        for url, expected in pages.items():
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(expected, response.text, url)

    def test_home_counters(self):
        self._connect(self.member_a, self.member_b)
        self.Connection.with_user(self.freelance).lbc_request_connection(self.member_a.partner_id.id)
        self.Conversation.with_user(self.member_b).lbc_start_conversation([self.member_a.partner_id.id], "Hi A")
        self._login(self.member_a)
        counters = ["lbc_connection_count", "lbc_network_request_count", "lbc_unread_count", "lbc_group_count"]
        result = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        self.assertEqual({k: result[k] for k in counters}, dict(zip(counters, [1, 1, 1, 0], strict=True)))

    def test_member_without_company(self):
        self._login(self.freelance)
        for url in ("/my/profile", "/my/network", "/my/conversations", "/my/groups", "/my/articles", "/feed"):
            self.assertEqual(self.url_open(url).status_code, 200, url)

    # ------------------------------------------------------------------ profiles
    def test_edit_my_profile(self):
        self._login(self.member_a)
        python = self.env["lbc.skill"].search([], limit=1)
        response = self._post(
            "/my/profile",
            {
                "headline": "Buyer of IT services",
                "summary": "Ten years of IT purchasing",
                "mobility_cities": "Nantes",
                "mobility_remote": "partial",
                "visibility_card": "members",
                "visibility_summary": "connections",
                "visibility_experience": "members",
                "visibility_skills": "members",
                "visibility_education": "private",
                "visibility_mobility": "connections",
                "visibility_publications": "members",
                "visibility_recommendations": "members",
            },
        )
        self.assertIn("Your profile is saved", response.text)
        self.assertEqual(self.profile_a.headline, "Buyer of IT services")
        self.assertEqual(self.profile_a.visibility_summary, "connections")
        self._post("/my/profile/skill/add", {"skill_id": str(python.id), "level": "4"})
        self.assertEqual(self.profile_a.skill_ids.mapped("level"), ["4"])
        self._post(
            "/my/profile/experience/add", {"title": "Buyer", "company_name": "Client A", "date_start": "2020-01-01"}
        )
        self.assertEqual(self.profile_a.experience_ids.title, "Buyer")
        # an invalid entry: the error is shown, what was typed is kept, nothing is stored
        response = self._post(
            "/my/profile/education/add",
            {"school": "Ecole Centrale", "date_start": "2012-09-01", "date_end": "2010-06-30"},
        )
        self.assertIn("cannot end before it starts", self._error(response))
        self.assertIn('value="Ecole Centrale"', response.text)
        self.assertFalse(self.profile_a.education_ids)
        # visibility values outside the selection are refused
        response = self._post("/my/profile", {"headline": "Kept headline", "visibility_card": "everyone"})
        self.assertTrue(self._error(response))
        self.assertIn('value="Kept headline"', response.text)
        self.assertEqual(self.profile_a.headline, "Buyer of IT services")

    def test_visibility_on_another_members_page(self):
        # mobility is visible to connections only: absent for a stranger, present for a connection
        self._login(self.member_a)
        response = self.url_open(f"/members/{self.profile_b.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Spark and Python", response.text, "the summary is visible to members")
        self.assertNotIn("o_lbc_section_mobility", response.text)
        self.assertNotIn("Lyon", response.text)
        self.assertIn("o_lbc_connect", response.text)
        self._connect(self.member_a, self.member_b)
        response = self.url_open(f"/members/{self.profile_b.id}")
        self.assertIn("o_lbc_section_mobility", response.text)
        self.assertIn("Lyon", response.text)
        self.assertNotIn("o_lbc_section_education", response.text, "education is private")
        self.assertIn("o_lbc_connected", response.text)
        # a private profile is not found at all
        self.profile_b.visibility_card = "private"
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open(f"/members/{self.profile_b.id}").status_code, 404)

    # ------------------------------------------------------------------ network
    def test_network_connect_accept_block(self):
        self._login(self.member_a)
        response = self._post(f"/members/{self.profile_b.id}/connect", {"message": "Hi"})
        self.assertIn("Your connection request is sent", response.text)
        connection = self.env["lbc.connection"].search([("requester_id", "=", self.member_a.partner_id.id)])
        self.assertEqual(connection.state, "requested")
        # twice: the error is shown on the profile page
        response = self._post(f"/members/{self.profile_b.id}/connect")
        self.assertIn("waiting for an answer", self._error(response))
        self._login(self.member_b)
        response = self.url_open("/my/network")
        self.assertIn("o_lbc_request_received", response.text)
        response = self._post(f"/my/network/{connection.id}/accept")
        self.assertIn("You are now connected", response.text)
        self.assertEqual(connection.state, "accepted")
        response = self._post(f"/my/network/{connection.id}/block")
        self.assertEqual(connection.state, "blocked")
        self._login(self.member_a)
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open(f"/members/{self.profile_b.id}").status_code, 404)

    def test_member_search_limits(self):
        self._login(self.member_a)
        response = self.url_open("/my/network/search?search=D")
        self.assertIn("at least two characters", self._error(response))
        self.assertIn('value="D"', response.text)
        response = self.url_open("/my/network/search?search=Consultant")
        self.assertIn(f"/members/{self.profile_b.id}", response.text)
        self.env["ir.config_parameter"].sudo().set_param("lbc_social.rate_limit.member_search", 1)
        response = self.url_open("/my/network/search?search=Consultant")
        self.assertIn("You reached the limit", self._error(response))
        self.assertNotIn(f"/members/{self.profile_b.id}", response.text)

    # ------------------------------------------------------------------ conversations
    def test_conversation_send_export_and_block(self):
        self._connect(self.member_a, self.member_b)
        self._login(self.member_a)
        response = self._post(f"/members/{self.profile_b.id}/message", {"subject": "Mission", "body": "Are you free?"})
        conversation = self.env["lbc.conversation"].search([("name", "=", "Mission")])
        self.assertTrue(conversation)
        self.assertIn("Are you free?", response.text)
        response = self._post(
            f"/my/conversations/{conversation.id}/send",
            {"body": "The spec attached"},
            files={"attachments": ("spec.txt", b"Specification", "text/plain")},
        )
        self.assertIn("spec.txt", response.text)
        link = re.search(r'href="(/web/content/[^"]+)"', response.text).group(1)
        self.assertEqual(self.url_open(html.unescape(link)).content, b"Specification")
        # B sees one... two unread messages, then reads them
        self._login(self.member_b)
        self.assertIn('o_lbc_unread">2<', self.url_open("/my/conversations").text.replace(" ", ""))
        self.url_open(f"/my/conversations/{conversation.id}")
        self.assertNotIn('o_lbc_unread"', self.url_open("/my/conversations").text)
        response = self._post(f"/my/conversations/{conversation.id}/export")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"Are you free?", response.content)
        # B blocks A: A's next message is refused, the error shown and the text kept
        self.env["lbc.connection"].with_user(self.member_b).lbc_block_member(self.member_a.partner_id.id)
        self._login(self.member_a)
        response = self._post(f"/my/conversations/{conversation.id}/send", {"body": "Still there?"})
        self.assertIn("You cannot exchange messages", self._error(response))
        self.assertIn("Still there?", response.text)
        self.assertEqual(len(conversation.message_ids.filtered(lambda m: m.message_type == "comment")), 2)

    def test_message_a_stranger_refused(self):
        self._login(self.member_a)
        response = self._post(f"/members/{self.profile_b.id}/message", {"body": "Hello stranger"})
        self.assertIn("once you are connected", self._error(response))
        self.assertIn("Hello stranger", response.text)

    # ------------------------------------------------------------------ groups, articles, reports
    def test_group_join_post_hide(self):
        self._login(self.member_a)
        self._post(f"/my/groups/{self.group.id}/join")
        self.assertTrue(self.group._lbc_is_member(self.member_a.partner_id))
        response = self._post(f"/my/groups/{self.group.id}/post", {"body": "Hello guild"})
        self.assertIn("Hello guild", response.text)
        response = self._post(
            f"/my/groups/{self.group.id}/post", {"body": "Welcome!", "parent_id": str(self.post_b_id)}
        )
        self.assertIn("o_lbc_reply", response.text)
        self.assertNotIn("o_lbc_post_hide", response.text, "members do not moderate")
        response = self._post(f"/my/groups/{self.group.id}/hide", {"post_id": str(self.post_b_id)})
        self.assertIn("Only the group", self._error(response))
        # the owner hides A's post
        post_a = self.env["lbc.social.post"].search([("body", "=", "Hello guild")])
        self._login(self.member_b)
        response = self._post(f"/my/groups/{self.group.id}/hide", {"post_id": str(post_a.id)})
        self.assertTrue(post_a.moderation_hidden)
        self.assertNotIn("Hello guild", response.text)

    def test_articles_and_feed(self):
        self._login(self.member_a)
        response = self._post("/my/articles/new", {"name": "", "body": "No title"})
        self.assertTrue(self._error(response))
        self.assertIn("No title", response.text)
        self._post("/my/articles/new", {"name": "Buying IT", "body": "Five rules", "publish": "1"})
        article = self.env["lbc.article"].search([("name", "=", "Buying IT")])
        self.assertEqual(article.state, "published")
        self._login(self.member_b)
        self.assertIn("Buying IT", self.url_open("/feed").text)
        response = self._post(f"/feed/{article.id}/comment", {"body": "Great read"})
        self.assertIn("Great read", response.text)
        self._login(self.member_a)
        self._post(f"/my/articles/{article.id}/unpublish")
        self.assertEqual(article.state, "unpublished")
        self._login(self.member_b)
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open(f"/feed/{article.id}").status_code, 404)

    def test_report_content(self):
        self._login(self.member_a)
        url = "/my/social/report"
        data = {
            "res_model": "lbc.social.post",
            "res_id": str(self.post_b_id),
            "redirect": f"/my/groups/{self.group.id}",
        }
        response = self._post(url, {**data, "category": "spam", "reason": ""})
        self.assertIn("explain the reason", self._error(response))
        response = self._post(url, {**data, "category": "spam", "reason": "Selling followers"})
        self.assertIn("the moderators will look at your report", response.text)
        report = self.env["lbc.content.report"].search([("res_id", "=", self.post_b_id)])
        self.assertEqual((report.category, report.state), ("spam", "open"))
        response = self._post(url, {**data, "category": "spam", "reason": "Again"})
        self.assertIn("already reported", self._error(response))
        # a redirect out of the site is ignored
        response = self._post(
            url,
            {
                **data,
                "res_model": "lbc.profile",
                "res_id": str(self.profile_b.id),
                "redirect": "//evil.example",
                "category": "other",
                "reason": "Fake",
            },
        )
        self.assertNotIn("evil.example", response.url)

    def test_member_search_by_skill(self):
        python = self.env.ref("lbc_base.lbc_skill_python")
        java = self.env.ref("lbc_base.lbc_skill_java")
        self.env["lbc.profile.skill"].with_user(self.member_b).create(
            {"profile_id": self.profile_b.id, "skill_id": python.id, "level": "3"}
        )
        self._login(self.member_a)
        response = self.url_open("/my/network")
        self.assertIn("o_lbc_search_skill", response.text)
        # a skill alone is enough to search, and is kept selected
        response = self.url_open(f"/my/network/search?search=&skill_id={python.id}")
        self.assertFalse(self._error(response))
        self.assertIn(f"/members/{self.profile_b.id}", response.text)
        self.assertIn(f'value="{python.id}" selected="True"', response.text)
        response = self.url_open(f"/my/network/search?search=Consultant&skill_id={java.id}")
        self.assertNotIn(f"/members/{self.profile_b.id}", response.text)
        # the skills section hidden from members: the skill no longer finds the profile
        self.profile_b.visibility_skills = "private"
        response = self.url_open(f"/my/network/search?search=&skill_id={python.id}")
        self.assertNotIn(f"/members/{self.profile_b.id}", response.text)

    def test_ask_for_a_recommendation(self):
        self._login(self.member_a)
        response = self.url_open(f"/members/{self.profile_b.id}")
        self.assertIn("o_lbc_ask_recommendation_form", response.text)
        response = self._post(f"/members/{self.profile_b.id}/ask_recommendation", {"message": "We met on Spark"})
        self.assertIn("Your request for a recommendation is sent", response.text)
        recommendation = self.env["lbc.recommendation"].search([("recipient_id", "=", self.member_a.partner_id.id)])
        self.assertEqual(
            (recommendation.author_id, recommendation.state, recommendation.request_message),
            (self.member_b.partner_id, "requested", "We met on Spark"),
        )
        # twice: the error is shown on the page, the message kept
        response = self._post(f"/members/{self.profile_b.id}/ask_recommendation", {"message": "Again"})
        self.assertIn("already asked", self._error(response))
        self.assertIn("Again", response.text)
        self.assertEqual(
            len(self.env["lbc.recommendation"].search([("recipient_id", "=", self.member_a.partner_id.id)])), 1
        )

    def test_group_owner_sets_roles(self):
        self.group.with_user(self.member_a).action_join()
        membership = self.group._lbc_membership(self.member_a.partner_id)
        self._login(self.member_a)
        response = self.url_open(f"/my/groups/{self.group.id}")
        self.assertNotIn("o_lbc_group_roles", response.text, "only owners change roles")
        response = self._post(
            f"/my/groups/{self.group.id}/role", {"partner_id": str(self.member_a.partner_id.id), "role": "owner"}
        )
        self.assertTrue(self._error(response))
        self.assertEqual(membership.role, "member")
        self._login(self.member_b)
        response = self.url_open(f"/my/groups/{self.group.id}")
        self.assertIn("o_lbc_group_roles", response.text)
        self.assertIn(self.member_a.name, response.text)
        response = self._post(
            f"/my/groups/{self.group.id}/role", {"partner_id": str(self.member_a.partner_id.id), "role": "moderator"}
        )
        self.assertIn("role is changed", response.text)
        self.assertEqual(membership.role, "moderator")
        # the last owner stays owner
        response = self._post(
            f"/my/groups/{self.group.id}/role", {"partner_id": str(self.member_b.partner_id.id), "role": "member"}
        )
        self.assertIn("at least one owner", self._error(response))
        self.assertEqual(self.group._lbc_membership(self.member_b.partner_id).role, "owner")

    def test_report_a_recommendation(self):
        recommendation = self.env["lbc.recommendation"].browse(
            self.env["lbc.recommendation"]
            .with_user(self.member_b)
            .lbc_give_recommendation(self.member_a.partner_id.id, "A liar, avoid", relationship="Client")
        )
        recommendation.with_user(self.member_a).action_accept()
        report_url = f"/my/social/report?res_model=lbc.recommendation&amp;res_id={recommendation.id}"
        self._login(self.member_a)
        self.assertIn(report_url, self.url_open("/my/profile").text)
        response = self.url_open(f"/members/{self.profile_a.id}")
        self.assertIn("A liar, avoid", response.text)
        self.assertIn(report_url, response.text)
        # its author is not offered to report its own recommendation
        self._login(self.member_b)
        response = self.url_open(f"/members/{self.profile_a.id}")
        self.assertIn("A liar, avoid", response.text)
        self.assertNotIn(report_url, response.text)
        self._login(self.member_a)
        response = self.url_open(html.unescape(report_url) + f"&redirect=/members/{self.profile_a.id}")
        self.assertIn("Recommendation", response.text)
        response = self._post(
            "/my/social/report",
            {
                "res_model": "lbc.recommendation",
                "res_id": str(recommendation.id),
                "redirect": f"/members/{self.profile_a.id}",
                "category": "defamatory",
                "reason": "Not true",
            },
        )
        self.assertIn("the moderators will look at your report", response.text)
        report = self.env["lbc.content.report"].search([("res_model", "=", "lbc.recommendation")])
        self.assertEqual(
            (report.res_id, report.reported_partner_id, report.category),
            (recommendation.id, self.member_b.partner_id, "defamatory"),
        )

    # ------------------------------------------------------------------ query counts
    def _queries(self, url):
        """The queries of one request to `url`, warmed up (as `assertQueryCount` counts them)."""
        self.url_open(url)
        self.url_open(url)
        self.env.flush_all()
        count0 = self.cr.sql_log_count
        self.assertEqual(self.url_open(url).status_code, 200, url)
        self.env.flush_all()
        return self.cr.sql_log_count - count0

    def test_query_counts(self):
        self._connect(self.member_a, self.member_b)
        self.Conversation.with_user(self.member_a).lbc_start_conversation([self.member_b.partner_id.id], "Hello B")
        self._connect(self.member_a, self.freelance)
        self._login(self.member_a)
        # The pages are pinned on top of the layout they render in, measured on the report form (which reads
        # no record): lbc_social alone renders the portal layout; with the whole suite the site's (website's
        # menus and SEO data, LBC's footer and its company's legal data) adds 5 queries to every page.
        layout = self._queries(f"/my/social/report?res_model=lbc.profile&res_id={self.profile_b.id}&redirect=/my")
        cases = (("/my/network", layout + NETWORK_QUERIES), ("/my/conversations", layout + CONVERSATIONS_QUERIES))
        for url, expected in cases:
            self.url_open(url)
            self.url_open(url)
            with self.assertQueryCount(expected):
                self.assertEqual(self.url_open(url).status_code, 200)
        # three more connections and conversations: the same count (no query per line)
        for index in range(3):
            other = new_test_user(self.env, f"social_extra_{index}", groups="base.group_portal", name=f"Extra {index}")
            self.Profile._lbc_get_or_create(other.partner_id)
            self._connect(self.member_a, other)
            self.Conversation.with_user(other).lbc_start_conversation([self.member_a.partner_id.id], f"Hi {index}")
        for url, expected in cases:
            self.url_open(url)
            with self.assertQueryCount(expected):
                response = self.url_open(url)
            self.assertIn("Extra 2", response.text)
        _logger.info("query counts: layout %s, %s", layout, cases)

    # ------------------------------------------------------------------ tour
    def test_tour_social(self):
        self.browser_size = "375x812"  # the pages are used on phones: the whole journey runs at 375 px
        self.start_tour(f"/my/groups/{self.group.id}", "lbc_social_tour", login=self.member_a.login)
        me = self.member_a.partner_id
        connection = self.env["lbc.connection"].search([("requester_id", "=", me.id)])
        self.assertEqual((connection.addressee_id, connection.state), (self.member_b.partner_id, "requested"))
        connection.with_user(self.member_b).action_accept()
        self.assertTrue(me._lbc_is_connected(self.member_b.partner_id))
        conversation = self.env["lbc.conversation"].search([("participant_ids.partner_id", "=", me.id)])
        self.assertIn("Hello from the tour", conversation.message_ids.mapped("body")[0])
        self.assertTrue(self.env["lbc.social.post"].search([("body", "=", "Posted by the tour")]))
        report = self.env["lbc.content.report"].search([("res_id", "=", self.post_b_id), ("reporter_id", "=", me.id)])
        self.assertEqual((report.res_model, report.category, report.state), ("lbc.social.post", "spam", "open"))
        # the moderator hides the post from the backend queue
        report.with_user(self.moderator).action_hide(note="Spam")
        post = self.env["lbc.social.post"].browse(self.post_b_id)
        self.assertTrue(post.moderation_hidden)
        self.assertEqual(report.state, "hidden")
        self._login(self.member_a)
        self.assertNotIn("Buy my cheap followers", self.url_open(f"/my/groups/{self.group.id}").text)
