"""The pages read on the read-only replica write nothing.

Odoo 19 serves a route declared `readonly` on the replica (`db_replica_host`); when such a request writes anyway,
`odoo.http` logs a warning and silently replays it on the primary. So a page that writes would still work, and
load the primary on every read. These tests make that a failure:

- every GET page of the lbc addons (from the routing map) is read-only, or listed in READ_WRITE_PAGES with the
  reason it must write;
- every read-only page is opened, with real records, by a provider's admin and consultant, a client's buyer and
  admin (and the public where the route allows it) inside a read-only transaction (HttpCase's read-only test
  cursor, `SET TRANSACTION READ ONLY`): any write statement, and any query on a read/write cursor during the
  request (the silent replay on the primary), fails the test; so do the portal home's counters (`/my/counters`,
  read-only in core).
"""

import base64
import inspect
import json
import re
from unittest.mock import patch

from odoo.addons.lbc_base.controllers.readonly import lbc_readonly_get
from odoo.addons.lbc_base.tests.common import LbcPortalPageMixin
from odoo.addons.lbc_erp_client.tests.common import START, LbcErpCommon
from odoo.addons.lbc_social.controllers.readonly import lbc_readonly_once_profile_exists
from odoo.addons.lbc_tender.tests.common import PDF
from odoo.tests import HttpCase, tagged
from odoo.tests.test_cursor import TestCursor
from odoo.tools import SQL, mute_logger

READONLY_CALLABLES = (lbc_readonly_get, lbc_readonly_once_profile_exists)

# GET pages of the lbc addons that stay on the primary, and why
READ_WRITE_PAGES = {
    "/my/lbc/personal-data": "logs the export on the member's chatter (the GDPR trail); a rare download",
    "/my/conversations/<int:conversation_id>": "marks the conversation read (the participant's last seen "
    "message): the unread counters of the next page must read that fresh write",
    "/my/missions/<int:mission_id>/report/<string:month>": "creates the consultant's report of the month on "
    "first visit, then redirects to it",
    "/my/lbc/account/email/confirm": "the confirmation link of a new e-mail address: changes the address",
    "/web/activate": "the activation link: activates the account (GET from the e-mail)",
    "/web/activate/resend": "GET shows the form, POST sends the e-mail: one route with a captcha; rare",
    "/web/signup/oauth": "completes a sign-up through LinkedIn/OIDC: creates the account",
    # the pages a scraper reads: each view is counted by one atomic increment that every server shares (a count
    # kept in the session, to read them on the replica, was bypassed by parallel requests and new sessions)
    "/members/<int:profile_id>": "counts the profile view (anti-scraping limit, atomic, on the primary)",
    "/my/network/profile/<int:profile_id>": "counts the profile view, as /members/<id>",
    "/my/network/search": "counts the member search (anti-scraping limit, atomic, on the primary)",
    "/my/network/search/page/<int:page>": "counts the member search, as /my/network/search",
    # core routes an lbc addon extends: their read/write mode is Odoo's (a child route cannot change it)
    "/my": "core portal home (read/write in Odoo); its counters come from /my/counters, read-only, tested here",
    "/my/home": "core portal home (read/write in Odoo), as /my",
    "/web/signup": "core sign-up: creates the account",
    "/auth_oauth/signin": "core OAuth sign-in: writes the login",
}

WRITE_RE = re.compile(
    r"^\s*(INSERT|UPDATE|DELETE|MERGE|CREATE|ALTER|DROP|TRUNCATE|LOCK|COPY)\b|\bFOR\s+(NO\s+KEY\s+)?UPDATE\b"
    r"|\bFOR\s+SHARE\b|\bnextval\s*\(",
    re.IGNORECASE,
)
# the query string a page needs to show something
QUERIES = {"/my/social/report": "?res_model=lbc.article&res_id=%(article)s&redirect=/feed"}
ARG_RE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _lbc_routes(env):
    """[(rule, routing)] of the routes whose endpoint is defined in an lbc addon."""
    routes = []
    for rule in env["ir.http"].routing_map().iter_rules():
        module = inspect.getmodule(rule.endpoint.func) or inspect.getmodule(rule.endpoint)
        if module and module.__name__.startswith("odoo.addons.lbc_"):
            routes.append((rule, rule.endpoint.routing))
    return routes


def _is_get_page(routing):
    return routing["type"] == "http" and (not routing.get("methods") or "GET" in routing["methods"])


def _is_readonly(routing):
    readonly = routing.get("readonly")
    return readonly is True or readonly in READONLY_CALLABLES


@tagged("post_install", "-at_install")
class TestReadonlyRoutes(HttpCase, LbcPortalPageMixin, LbcErpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # every kind of record a read-only page shows: a published tender (with its bid and mission from the
        # common), an activity report, vigilance documents, a referencing list, profiles, a group, an article,
        # a conversation, an agreement
        cls.report = LbcErpCommon._report(cls, days=3)
        cls.report.with_user(cls.provider_a_consultant).action_submit()
        cls.tender = cls.mission.tender_id
        cls.open_tender = env["lbc.tender"].with_user(cls.client_a_buyer).create(cls._tender_vals(name="Open one"))
        cls.open_tender.action_publish()
        cls.ref_list = (
            env["lbc.referencing.list"]
            .with_user(cls.client_a_admin)
            .create({"name": "Preferred", "client_id": cls.client_a.id})
        )
        cls.document = env["lbc.compliance.document"].search([("partner_id", "=", cls.provider_a.id)], limit=1)
        Profile = env["lbc.profile"]
        cls.profiles = Profile.browse()
        for user in (cls.provider_a_consultant, cls.provider_a_admin, cls.client_a_buyer, cls.client_a_admin):
            cls.profiles |= Profile._lbc_get_or_create(user.partner_id)
        cls.group = env["lbc.social.group"].browse(
            env["lbc.social.group"]
            .with_user(cls.provider_a_consultant)
            .lbc_create_group("Python guild", "Python people", "public")
        )
        cls.group.with_user(cls.provider_a_consultant).action_post("Hello guild")
        cls.article = (
            env["lbc.article"].with_user(cls.provider_a_consultant).create({"name": "On Spark", "body": "<p>Tips</p>"})
        )
        cls.article.with_user(cls.provider_a_consultant).action_publish()
        # the consultant writes to the client's buyer of its mission
        cls.conversation_id = (
            env["lbc.conversation"]
            .with_user(cls.provider_a_consultant)
            .lbc_start_conversation([cls.client_a_buyer.partner_id.id], "Hello")
        )
        cls.agreement = env["lbc.agreement"].search([], limit=1, order="id desc")
        # what pages used to make on first read: a CV's download token (the bid's page) and the public holidays
        # of a year not loaded yet (the report's calendar grid); both must be there before, or computed
        cls.open_bid = LbcErpCommon._bid(cls, cls.open_tender, cls.provider_a_admin, cls.provider_a_consultant)
        cls.open_bid.with_user(cls.provider_a_admin).action_attach_cv("cv.pdf", base64.b64encode(PDF))
        calendar = cls.mission._lbc_calendar().sudo()
        env["resource.calendar.leaves"].sudo().search([("calendar_id", "=", calendar.id)]).unlink()
        calendar.lbc_holiday_years = False
        cls.partner = cls.provider_a_consultant.partner_id
        cls.users = (cls.provider_a_admin, cls.provider_a_consultant, cls.client_a_buyer, cls.client_a_admin)

    def _arguments(self, rule):
        """The real values of a route's arguments: {name: value}."""
        path = rule.rule
        values = {
            "tender_id": self.tender.id,
            "bid_id": self.open_bid.id,
            "mission_id": self.mission.id,
            "report_id": self.report.id,
            "document_id": self.document.id,
            "list_id": self.ref_list.id,
            "company_id": self.client_a.id,
            "agreement_id": self.agreement.id,
            "profile_id": self.profiles[0].id,
            "group_id": self.group.id,
            "article_id": self.article.id,
            "conversation_id": self.conversation_id,
            "assignment_id": self.mission.assignment_ids[:1].id if "assignment_ids" in self.mission else 1,
            "page": 1,
            "version": self.agreement.version,
            "month": START.strftime("%Y-%m"),
            "partner_id": self.partner.id,
            "token": self.partner._lbc_unsubscribe_token(),
            "kind": "tenders" if path.startswith("/my/approvals") else self.agreement.kind,
        }
        if path.endswith("/bid"):  # the bid form of a tender still open
            values["tender_id"] = self.open_tender.id
        return values

    def _url(self, rule):
        values = self._arguments(rule)

        def repl(match):
            name = match.group(2)
            if name not in values:
                raise AssertionError(f"{rule.rule}: no test value for <{name}>: add one to _arguments")
            return str(values[name])

        url = ARG_RE.sub(repl, rule.rule)
        return url + QUERIES.get(rule.rule, "") % {"article": self.article.id}

    # ------------------------------------------------------------------ the declarations
    def test_every_get_page_is_readonly_or_listed(self):
        undeclared, stale = [], []
        seen = set()
        for rule, routing in _lbc_routes(self.env):
            seen.add(rule.rule)
            if not _is_get_page(routing):
                continue
            if not _is_readonly(routing) and rule.rule not in READ_WRITE_PAGES:
                undeclared.append(rule.rule)
            if _is_readonly(routing) and rule.rule in READ_WRITE_PAGES:
                stale.append(rule.rule)
        self.assertEqual(
            undeclared, [], "GET pages neither read-only (readonly=...) nor listed in READ_WRITE_PAGES with a reason"
        )
        self.assertEqual(stale, [], "read-only pages still listed in READ_WRITE_PAGES")
        self.assertEqual(sorted(set(READ_WRITE_PAGES) - seen), [], "READ_WRITE_PAGES lists routes that are gone")
        # POST-only routes never run on the replica
        for rule, routing in _lbc_routes(self.env):
            if routing.get("methods") and "GET" not in routing["methods"]:
                self.assertNotEqual(routing.get("readonly"), True, f"{rule.rule}: a POST is never read-only")

    # ------------------------------------------------------------------ the pages, in a read-only transaction
    def _capture(self):
        """Patch the test cursors: log (cursor read-only?, statement) of the requests."""
        log = []
        execute = TestCursor.execute

        def logged_execute(cr, query, *args, **kwargs):
            text = query.code if isinstance(query, SQL) else str(query)
            log.append((cr.readonly, text))
            return execute(cr, query, *args, **kwargs)

        self.patch(TestCursor, "execute", logged_execute)
        return log

    def _check(self, log, url, who, response, failures):
        writes = [text for readonly, text in log if WRITE_RE.search(text)]
        on_primary = [text for readonly, text in log if not readonly]
        if response.status_code >= 500:
            failures.append(f"{who} GET {url}: {response.status_code}")
        if writes:
            failures.append(f"{who} GET {url} writes: {writes[0][:300]}")
        elif on_primary:
            failures.append(f"{who} GET {url} ran on a read/write cursor: {on_primary[0][:300]}")
        log.clear()

    @mute_logger("odoo.http", "odoo.addons.lbc_base.controllers.portal")
    def test_readonly_pages_write_nothing(self):
        routes = [(rule, routing) for rule, routing in _lbc_routes(self.env) if _is_get_page(routing)]
        routes = [(rule, routing) for rule, routing in routes if _is_readonly(routing)]
        self.assertGreaterEqual(len(routes), 50, "the read-only pages of the suite")
        urls = [(self._url(rule), routing) for rule, routing in routes]
        log = self._capture()
        failures, opened, requests = [], set(), 0
        for user in (None, *self.users):
            if user:
                self._login(user)
            else:
                self.authenticate(None, None)
            who = user.login if user else "public"
            for url, routing in urls:
                if not user and routing["auth"] != "public":
                    continue
                log.clear()
                response = self.url_open(url, allow_redirects=False)
                requests += 1
                self._check(log, url, who, response, failures)
                if response.status_code == 200:
                    opened.add(url)
            if user:
                # the portal home's counters: read-only in core, computed by every lbc addon
                log.clear()
                response = self.url_open(
                    "/my/counters",
                    data=json.dumps({"jsonrpc": "2.0", "params": {"counters": []}}),
                    headers={"Content-Type": "application/json"},
                )
                self._check(log, "/my/counters", who, response, failures)
        self.assertEqual(failures, [], f"{len(failures)} of {requests} read-only requests wrote")
        # not a vacuous run: the pages opened for someone
        not_opened = sorted({url for url, _routing in urls} - opened)
        self.assertLessEqual(len(not_opened), len(urls) // 5, f"pages that opened for no one: {not_opened}")

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_the_check_catches_a_writing_page(self):
        """The check above can fail: a read-only page made to write is caught (Odoo replays it on the primary,
        which serves it fine), and so is a page on the primary."""
        Partner = type(self.env["res.partner"])
        check_feature = Partner._lbc_check_feature

        def writing_check_feature(partner, code):
            partner.env["lbc.rate.limit"]._lbc_increment(f"partner:{partner.id}", "written_on_read", "2030-01-01", 1)
            return check_feature(partner, code)

        log = self._capture()
        self._login(self.provider_a_consultant)
        failures = []
        with patch.object(Partner, "_lbc_check_feature", writing_check_feature):
            response = self.url_open("/my/insights")
        self.assertEqual(response.status_code, 200, "Odoo replays the request on the primary: the page works")
        self._check(log, "/my/insights", "consultant", response, failures)
        self.assertEqual(len(failures), 1)
        self.assertIn("writes: INSERT INTO lbc_rate_limit", failures[0])
        # a page left on the primary (it marks the conversation read) runs on a read/write cursor
        self._login(self.client_a_buyer)
        response = self.url_open(f"/my/conversations/{self.conversation_id}")
        self._check(log, "/my/conversations", "buyer", response, failures)
        self.assertEqual(len(failures), 2, failures)

    def test_my_profile_created_on_the_primary_then_read_on_the_replica(self):
        member = self._create_member(self.provider_a, "provider_a_newcomer", "consultant")
        Profile = self.env["lbc.profile"].sudo()
        self.assertFalse(Profile.search([("partner_id", "=", member.partner_id.id)]))
        log = self._capture()
        self._login(member)
        self.assertEqual(self.url_open("/my/profile").status_code, 200)
        self.assertTrue(any(not readonly for readonly, _text in log), "the first visit runs on the primary")
        self.assertTrue(Profile.search([("partner_id", "=", member.partner_id.id)]), "and creates the profile")
        log.clear()
        failures = []
        response = self.url_open("/my/profile")
        self._check(log, "/my/profile", member.login, response, failures)
        self.assertEqual(failures, [])
