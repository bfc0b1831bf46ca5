"""Abuse: members of other companies try every way in to company A's records; none may succeed.

One matrix: every lbc model holding company data (plus the partners, orders and invoices of company A) x three
access paths (the ORM as the member, the JSON-2 API with the member's API key, the portal pages with a logged-in
session) x the operations (read, search, write, unlink; GET and POST on the portal) x four attackers (admin and
plain member of client B, admin and consultant of provider B). Every attempt is counted; no attempt may succeed.
Then wrong, expired and foreign access tokens on every portal document.
"""

import json
import logging
import secrets
from datetime import datetime, timedelta

from odoo import http
from odoo.addons.lbc_erp_client.tests.common import START, LbcErpCommon
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

REFUSALS = (AccessError, MissingError, UserError, ValidationError)
_logger = logging.getLogger(__name__)
WRITABLE_TYPES = ("char", "text", "html", "integer", "float", "monetary", "date", "boolean")


@tagged("post_install", "-at_install")
class TestAbuseCrossCompany(HttpCase, LbcErpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # --- the attackers: members of client B and provider B
        cls.client_b_member = cls._create_member(cls.client_b, "client_b_member", "buyer")
        cls.provider_b_consultant = cls._create_member(cls.provider_b, "provider_b_consultant", "consultant")
        cls.attackers = cls.client_b_admin | cls.client_b_member | cls.provider_b_admin | cls.provider_b_consultant
        cls.api_keys = {
            user.id: cls.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate("rpc", "abuse test", datetime.now() + timedelta(days=1))
            for user in cls.attackers
        }
        # --- company A's records: an invoiced report of the active mission, a draft tender, a referencing list,
        # a join request, a conversation
        report = LbcErpCommon._report(cls, days=3)
        report.with_user(cls.provider_a_consultant).action_submit()
        report.with_user(cls.provider_approver).action_approve()
        report.with_user(cls.client_a_buyer).action_validate()
        cls.report = report
        ref_list = (
            cls.env["lbc.referencing.list"]
            .with_user(cls.client_a_admin)
            .create({"name": "Preferred", "client_id": cls.client_a.id})
        )
        ref_list.sudo().provider_ids = [(4, cls.provider_a.id)]
        # tenders: a draft, and one published for the referencing list only (the tenders published to all
        # validated providers are readable by every provider by design: the marketplace)
        Tender = cls.env["lbc.tender"].with_user(cls.client_a_buyer)
        draft = Tender.create(cls._tender_vals(name="Secret draft"))
        restricted = Tender.create(
            cls._tender_vals(name="Listed only", audience="lists", referencing_list_ids=[(6, 0, ref_list.ids)])
        )
        restricted.action_publish()
        newcomer = new_test_user(cls.env, "newcomer", groups="base.group_portal", email="newcomer@example.com")
        join = cls.env["lbc.join.request"].create(
            {"member_id": newcomer.partner_id.id, "member_company_id": cls.client_a.id}
        )
        conversation = (
            cls.env["lbc.conversation"]
            .sudo()
            .create(
                {
                    "name": "Internal",
                    "partner_ids": [(6, 0, (cls.provider_a_admin | cls.provider_a_consultant).partner_id.ids)],
                    "started_by_id": cls.provider_a_admin.partner_id.id,
                }
            )
        )
        companies = cls.client_a | cls.provider_a
        members = companies.child_ids.filtered(lambda p: not p.is_company)
        mission = cls.mission
        env = cls.env
        cls.victims = {
            "lbc.tender": restricted | draft,
            "lbc.tender.bid": mission.bid_id,
            "lbc.mission": mission,
            "lbc.mission.assignment": env["lbc.mission.assignment"].search([("mission_id", "=", mission.id)]),
            "lbc.activity.report": report,
            "lbc.activity.report.line": report.line_ids,
            "lbc.compliance.document": env["lbc.compliance.document"].search([("partner_id", "=", cls.provider_a.id)]),
            "lbc.compliance.check": env["lbc.compliance.check"].search([("partner_id", "=", cls.provider_a.id)]),
            "lbc.referencing.list": ref_list,
            "lbc.company.role": env["lbc.company.role"].search([("member_company_id", "in", companies.ids)]),
            "lbc.join.request": join,
            "lbc.agreement.acceptance": env["lbc.agreement.acceptance"].search(
                [("member_company_id", "in", companies.ids)]
            ),
            "lbc.conversation": conversation,
            "res.partner": members,
            "sale.order": mission.sale_order_id,
            "purchase.order": mission.purchase_order_id,
            "account.move": report.invoice_ids,
        }
        # lbc.profile: the card is visible to members by design; the private ones are not, and no one else may
        # change or delete any of them
        profiles = env["lbc.profile"].browse()
        for partner in (cls.provider_a_consultant | cls.client_a_buyer).partner_id:
            profiles |= env["lbc.profile"].sudo()._lbc_get_or_create(partner)
        profiles.write({"visibility_card": "private"})
        cls.victims["lbc.profile"] = profiles
        for model, records in cls.victims.items():
            assert records, f"fixture: no {model} record of company A"

    # ------------------------------------------------------------------ helpers
    def setUp(self):
        super().setUp()
        self.maxDiff = None
        self.attempts = 0
        self.successes = []

    def _record(self, path, user, model, op, record_id, succeeded):
        self.attempts += 1
        if succeeded:
            self.successes.append(f"{path} {user.login} {op} {model}({record_id})")

    @staticmethod
    def _write_vals(records):
        for name, field in records._fields.items():
            if field.store and not field.readonly and not field.related and field.type in WRITABLE_TYPES:
                if name in ("active", "sequence") or name.startswith("message_"):
                    continue
                value = {
                    "char": "pwned",
                    "text": "pwned",
                    "html": "<p>pwned</p>",
                    "boolean": not records[:1][name],
                    "date": START.isoformat(),
                }.get(field.type, 1)
                return {name: value}
        return {"active": False} if "active" in records._fields else {}

    def _json2(self, user, model, method, payload):
        return self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.api_keys[user.id]}"},
        )

    # ------------------------------------------------------------------ the matrix
    @mute_logger("odoo.http", "odoo.sql_db", "odoo.models", "odoo.addons.rpc.controllers.json2")
    def test_cross_company_matrix(self):
        for model, records in self.victims.items():
            vals = self._write_vals(records)
            for user in self.attackers:
                Model = self.env[model].with_user(user)
                for record in records:
                    before = record.sudo().read([*vals, "write_date"])[0] if vals else None
                    # --- ORM as the member
                    try:
                        with self.env.cr.savepoint():
                            ok = bool(Model.browse(record.id).read(["create_date"]))
                    except REFUSALS:
                        ok = False
                    self._record("orm", user, model, "read", record.id, ok)
                    self._record("orm", user, model, "search", record.id, Model.search_count([("id", "=", record.id)]))
                    for op in ("write", "unlink"):
                        if op == "write" and not vals:
                            continue
                        try:
                            with self.env.cr.savepoint():
                                target = Model.browse(record.id)
                                target.write(vals) if op == "write" else target.unlink()
                                target.env.flush_all()
                                ok = True
                        except REFUSALS:
                            ok = False
                        self._record("orm", user, model, op, record.id, ok)
                    # --- JSON-2 API with the member's API key
                    response = self._json2(user, model, "read", {"ids": [record.id], "fields": ["create_date"]})
                    self._record("json2", user, model, "read", record.id, response.ok and response.json())
                    response = self._json2(
                        user, model, "search_read", {"domain": [["id", "=", record.id]], "fields": ["create_date"]}
                    )
                    self._record("json2", user, model, "search", record.id, response.ok and response.json())
                    if vals:
                        response = self._json2(user, model, "write", {"ids": [record.id], "vals": vals})
                        self._record("json2", user, model, "write", record.id, response.ok)
                    response = self._json2(user, model, "unlink", {"ids": [record.id]})
                    self._record("json2", user, model, "unlink", record.id, response.ok)
                    # nothing changed, whatever the answers said
                    self.env.invalidate_all()
                    self.assertTrue(record.sudo().exists(), f"{model}({record.id}) deleted by {user.login}")
                    if before:
                        after = record.sudo().read([*vals, "write_date"])[0]
                        self.assertEqual(after, before, f"{model}({record.id}) changed by {user.login}")
        self._portal_pages()
        _logger.info("cross-company matrix: %s attempts, %s succeeded", self.attempts, len(self.successes))
        self.assertGreaterEqual(self.attempts, 1000, "the matrix must make at least 1,000 attempts")
        self.assertEqual(self.successes, [], f"{len(self.successes)} of {self.attempts} attempts succeeded")

    def _portal_pages(self):
        mission, report = self.mission, self.report
        tender = self.victims["lbc.tender"]
        ref_list = self.victims["lbc.referencing.list"]
        pages = [("lbc.tender", t.id, f"/my/tenders/{t.id}", t.name) for t in tender]
        pages += [
            ("lbc.tender", tender[1].id, f"/my/tenders/{tender[1].id}/edit", tender[1].name),
            ("lbc.tender", tender[0].id, f"/my/tenders/{tender[0].id}/bid", tender[0].name),
            ("lbc.tender.bid", mission.bid_id.id, f"/my/bids/{mission.bid_id.id}", mission.bid_id.display_name),
            ("lbc.mission", mission.id, f"/my/missions/{mission.id}", mission.name),
            ("lbc.mission", mission.id, f"/my/missions/{mission.id}/report/{START.isoformat()}", mission.name),
            ("lbc.activity.report", report.id, f"/my/reports/{report.id}", report.display_name),
            ("lbc.referencing.list", ref_list.id, f"/my/referencing/{ref_list.id}", "Preferred"),
            ("sale.order", mission.sale_order_id.id, f"/my/orders/{mission.sale_order_id.id}", None),
            ("purchase.order", mission.purchase_order_id.id, f"/my/purchase/{mission.purchase_order_id.id}", None),
        ]
        pages += [
            ("lbc.compliance.document", doc.id, f"/my/compliance/{doc.id}", doc.file_name)
            for doc in self.victims["lbc.compliance.document"]
        ]
        pages += [("account.move", move.id, f"/my/invoices/{move.id}", None) for move in report.invoice_ids]
        posts = [
            ("lbc.tender", tender[1].id, f"/my/tenders/{tender[1].id}/publish", {}),
            ("lbc.tender", tender[0].id, f"/my/tenders/{tender[0].id}/cancel", {"reason": "pwned"}),
            ("lbc.tender.bid", mission.bid_id.id, f"/my/bids/{mission.bid_id.id}/withdraw", {}),
            ("lbc.tender.bid", mission.bid_id.id, f"/my/bids/{mission.bid_id.id}/reject", {"reason": "pwned"}),
            ("lbc.activity.report", report.id, f"/my/reports/{report.id}/reject", {"reason": "pwned"}),
            ("lbc.activity.report", report.id, f"/my/reports/{report.id}/save", {}),
            (
                "lbc.referencing.list",
                ref_list.id,
                f"/my/referencing/{ref_list.id}/remove",
                {"provider_id": self.provider_a.id},
            ),
        ]
        watched = [mission.bid_id, report, tender[0], tender[1], ref_list]
        state = {rec: rec.sudo().read(["write_date"]) for rec in watched}
        for user in self.attackers:
            self.authenticate(user.login, user.login)
            for model, record_id, url, secret in pages:
                response = self.url_open(url)
                opened = response.status_code == 200 and not response.url.rstrip("/").endswith(("/my", "/web/login"))
                leaked = bool(secret) and secret in response.text
                self.assertNotEqual(response.status_code, 500, url)
                self._record("portal", user, model, f"GET {url}", record_id, opened or leaked)
            for model, record_id, url, data in posts:
                response = self.url_open(url, data={"csrf_token": http.Request.csrf_token(self), **data})
                self.assertNotEqual(response.status_code, 500, url)
                self.env.invalidate_all()
                changed = any(rec.sudo().read(["write_date"]) != state[rec] for rec in watched)
                self._record("portal", user, model, f"POST {url}", record_id, changed)
        self.authenticate(None, None)


@tagged("post_install", "-at_install")
class TestAbuseAccessTokens(HttpCase, LbcErpCommon):
    """Wrong, expired and foreign access tokens on the portal documents: none is accepted."""

    @mute_logger("odoo.http")
    def test_wrong_expired_foreign_tokens(self):
        report = self._report(days=2)
        report.with_user(self.provider_a_consultant).action_submit()
        report.with_user(self.provider_approver).action_approve()
        report.with_user(self.client_a_buyer).action_validate()
        mission = self.mission
        # a foreign document of client B, whose token is genuine but for another record
        foreign = (
            self.env["sale.order"]
            .sudo()
            .create(
                {
                    "partner_id": self.client_b.id,
                    "order_line": [(0, 0, {"product_id": mission.sale_order_id.order_line.product_id[:1].id})],
                }
            )
        )
        foreign_token = foreign._portal_ensure_token()
        documents = [
            (mission.sale_order_id, "/my/orders/%s"),
            (mission.purchase_order_id, "/my/purchase/%s"),
            *[(move, "/my/invoices/%s") for move in report.invoice_ids],
            (mission, "/my/missions/%s"),
            (mission.tender_id, "/my/tenders/%s"),
            (mission.bid_id, "/my/bids/%s"),
            (report, "/my/reports/%s"),
        ]
        attempts, accepted = 0, []
        for record, pattern in documents:
            record = record.sudo()
            # expired: the token the document had before it was regenerated
            old = record._portal_ensure_token()
            record.access_token = False
            current = record._portal_ensure_token()
            self.assertNotEqual(old, current)
            tokens = [secrets.token_hex(16) for _i in range(4)] + [
                "",
                "0",
                "null",
                old,
                foreign_token,
                current[:-1],
                current + "0",
                current.upper(),
                f"{current}' OR '1'='1",
                current[::-1],
            ]
            url = pattern % record.id
            name = record.display_name
            for logged_in in (None, self.client_b_admin):
                self.authenticate(logged_in and logged_in.login, logged_in and logged_in.login)
                for token in tokens:
                    response = self.url_open(f"{url}?access_token={token}")
                    attempts += 1
                    self.assertNotEqual(response.status_code, 500, url)
                    opened = response.status_code == 200 and not response.url.split("?")[0].rstrip("/").endswith(
                        ("/my", "/web/login", "/odoo")
                    )
                    if opened or (name and name in response.text and response.status_code == 200):
                        accepted.append(f"{url} token={token!r} as {logged_in and logged_in.login}")
        # the genuine token still opens Odoo's own documents (the test can tell acceptance from refusal)
        self.authenticate(None, None)
        order = mission.sale_order_id.sudo()
        response = self.url_open(f"/my/orders/{order.id}?access_token={order._portal_ensure_token()}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(order.name, response.text)
        _logger.info("access tokens: %s documents, %s attempts, %s accepted", len(documents), attempts, len(accepted))
        self.assertGreaterEqual(attempts, 100)
        self.assertEqual(accepted, [], f"{len(accepted)} of {attempts} tokens accepted")
