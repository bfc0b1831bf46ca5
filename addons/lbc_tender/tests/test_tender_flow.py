from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import LbcTenderCommon


class TestTenderFlow(LbcTenderCommon):
    def test_whole_flow_to_active_mission(self):
        tender = self._published_tender()
        self.assertEqual(tender.state, "published")
        self.assertTrue(tender.reference.startswith("AO/"))
        bid_a = self._bid(tender, self.provider_a_admin, consultant=self.provider_a_consultant, rate=650)
        bid_b = self._bid(tender, self.provider_b_admin, rate=600)
        self.assertEqual(bid_a.state, "submitted")
        # sealed: the client sees no bid and cannot select before the deadline
        self.assertFalse(
            self.env["lbc.tender.bid"].with_user(self.client_a_admin).search([("tender_id", "=", tender.id)])
        )
        with self.assertRaisesRegex(UserError, "sealed until the deadline"):
            bid_a.with_user(self.client_a_admin).action_select()
        self._pass_deadline(tender)
        self.assertEqual(tender.state, "closed")
        seen = self.env["lbc.tender.bid"].with_user(self.client_a_admin).search([("tender_id", "=", tender.id)])
        self.assertEqual(seen, bid_a | bid_b)
        bid_a.with_user(self.client_a_buyer).action_select()
        self.assertEqual(bid_a.state, "selected")
        # LBC approval: compliance gate, then the signatory
        with self.assertRaisesRegex(UserError, "Provider A"):
            bid_a.with_user(self.operator).action_approve()
        self.assertEqual(bid_a.state, "selected")
        self._make_compliant(self.provider_a)
        with self.assertRaisesRegex(UserError, "no signatory verified"):
            bid_a.with_user(self.operator).action_approve()
        self._verify_signatory(self.provider_a)
        bid_a.with_user(self.operator).action_approve()
        self.assertEqual(bid_a.state, "approved")
        self.assertEqual(tender.state, "awarded")
        self.assertEqual(tender.awarded_bid_id, bid_a)
        self.assertEqual(bid_b.state, "rejected")
        self.assertTrue(
            bid_b.message_ids.filtered(lambda m: "not retained" in (m.subject or "")), "the losing bidder is told"
        )
        # contracting
        mission = bid_a.with_user(self.operator).action_contract()
        self.assertEqual(bid_a.state, "contracted")
        self.assertEqual(mission.state, "draft")
        self.assertEqual(mission.client_id, self.client_a)
        self.assertEqual(mission.provider_id, self.provider_a)
        self.assertEqual(mission.consultant_id, self.provider_a_consultant.partner_id)
        self.assertEqual(mission.daily_rate, 650)
        self.assertEqual((mission.fee_mode, mission.fee_value), ("percent", 5.0))
        self.assertEqual(mission.date_end.weekday() < 5, True)
        order = mission.sale_order_id
        self.assertEqual(order.partner_id, self.client_a)
        self.assertEqual(order.order_line.product_uom_qty, 20)
        self.assertEqual(order.order_line.price_unit, 650)
        self.assertTrue(order.require_signature)
        purchase = mission.purchase_order_id
        self.assertEqual(purchase.partner_id, self.provider_a)
        self.assertEqual(purchase.order_line.product_qty, 20)
        self.assertEqual(purchase.order_line.price_unit, 650)
        self.assertEqual(purchase.state, "draft")
        checks = self.env["lbc.compliance.check"]._lbc_engagement_checks(mission)
        self.assertEqual(len(checks), 1)
        self.assertEqual(checks.date_due, mission.date_start)
        # the client signs its order: the mission starts, LBC's order to the provider is confirmed
        order.action_confirm()
        self.assertEqual(mission.state, "active")
        self.assertEqual(purchase.state, "purchase")
        with self.assertRaises(UserError):
            bid_a.with_user(self.operator).action_contract()

    def test_publish_gates(self):
        Tender = self.env["lbc.tender"]
        tender = Tender.with_user(self.client_a_buyer).create(self._tender_vals())
        member_without_role = self._create_member(self.client_a, "client_a_pm", "project_manager")
        with self.assertRaisesRegex(AccessError, "Only a tender publisher"):
            tender.with_user(member_without_role).action_publish()
        self.env["lbc.agreement"].create(
            {"name": "Main", "kind": "client_main", "version": 302, "body": "<p>Main v2</p>"}
        )
        with self.assertRaisesRegex(UserError, "has not accepted the current main contract"):
            tender.with_user(self.client_a_buyer).action_publish()
        self.assertEqual(tender.state, "draft")
        past = Tender.with_user(self.client_a_buyer).create(
            self._tender_vals(deadline=fields.Datetime.now() - timedelta(hours=1))
        )
        with self.assertRaisesRegex(UserError, "deadline is past"):
            past.with_user(self.client_a_buyer).action_publish()

    def test_unvalidated_client_cannot_publish(self):
        company = self._create_company("Client C", client=True)
        member = self._create_member(company, "client_c_admin", "project_manager", ["admin"])
        tender = self.env["lbc.tender"].with_user(member).create(self._tender_vals(client_id=company.id))
        with self.assertRaisesRegex(UserError, "is not validated by LBC"):
            tender.with_user(member).action_publish()

    def test_state_written_directly_refused(self):
        tender = self.env["lbc.tender"].with_user(self.client_a_buyer).create(self._tender_vals())
        with self.assertRaisesRegex(UserError, "only through its actions"):
            tender.with_user(self.client_a_buyer).write({"state": "published"})
        self.assertEqual(tender.state, "draft")
        bid = self._bid(self._published_tender(), self.provider_a_admin, submit=False)
        with self.assertRaisesRegex(UserError, "only through its actions"):
            bid.with_user(self.provider_a_admin).write({"state": "approved"})
        self.assertEqual(bid.state, "draft")

    def test_bad_input(self):
        Tender = self.env["lbc.tender"].with_user(self.client_a_buyer)
        with self.assertRaisesRegex(ValidationError, "cannot start before the bid deadline"):
            Tender.create(self._tender_vals(date_start=fields.Date.today()))
        with self.assertRaisesRegex(ValidationError, "at least one day"):
            Tender.create(self._tender_vals(duration_days=0))
        tender = self._published_tender()
        with self.assertRaisesRegex(ValidationError, "greater than zero"):
            self._bid(tender, self.provider_a_admin, rate=0)
        bid = self._bid(tender, self.provider_a_admin, rate=600)
        with self.assertRaisesRegex(ValidationError, "greater than zero"):
            bid.with_user(self.provider_a_admin).write({"daily_rate": -5})
        self.assertEqual(bid.daily_rate, 600)
        with self.assertRaisesRegex(ValidationError, "already has a live bid"):
            self._bid(tender, self.provider_a_admin, rate=550)
        self.assertEqual(self.env["lbc.tender.bid"].search_count([("tender_id", "=", tender.id)]), 1)
        # after the deadline: no new bid, no edit
        self._pass_deadline(tender)
        with self.assertRaisesRegex(UserError, "no longer accepts bids"):
            self._bid(tender, self.provider_b_admin)
        with self.assertRaisesRegex(UserError, "no longer accepts bids"):
            bid.with_user(self.provider_a_admin).write({"daily_rate": 500})
        self.assertEqual(bid.daily_rate, 600)

    def test_bid_needs_labour_ack_and_own_consultant(self):
        tender = self._published_tender()
        bid = self._bid(tender, self.provider_a_admin, submit=False)
        bid.with_user(self.provider_a_admin).write({"labour_law_ack": False})
        with self.assertRaisesRegex(UserError, "keeps the authority over its consultant"):
            bid.with_user(self.provider_a_admin).action_submit()
        with self.assertRaisesRegex(UserError, "is not a member of Provider A"):
            bid.with_user(self.provider_a_admin).write({"consultant_id": self.provider_b_admin.partner_id.id})

    def test_withdraw_then_bid_again(self):
        tender = self._published_tender()
        bid = self._bid(tender, self.provider_a_admin)
        bid.with_user(self.provider_a_admin).action_withdraw()
        self.assertEqual(bid.state, "withdrawn")
        again = self._bid(tender, self.provider_a_admin, rate=620)
        self.assertEqual(again.state, "submitted")

    def test_cancel_rejects_live_bids(self):
        tender = self._published_tender()
        bid = self._bid(tender, self.provider_a_admin)
        with self.assertRaises(AccessError):
            tender.with_user(self.provider_a_admin).action_cancel(reason="no")
        tender.with_user(self.client_a_buyer).action_cancel(reason="Budget frozen")
        self.assertEqual(tender.state, "cancelled")
        self.assertEqual(bid.state, "rejected")

    def test_reject_needs_reason(self):
        tender = self._published_tender(sealed=False)
        bid = self._bid(tender, self.provider_a_admin)
        with self.assertRaisesRegex(UserError, "reason"):
            bid.with_user(self.client_a_buyer).action_reject(reason=" ")
        bid.with_user(self.client_a_buyer).action_reject(reason="Rate too high")
        self.assertEqual(bid.state, "rejected")
        self.assertEqual(bid.rejection_reason, "Rate too high")

    def test_score_follows_weights(self):
        tender = self._published_tender(sealed=False)
        cheap = self._bid(tender, self.provider_a_admin, rate=350)
        dear = self._bid(tender, self.provider_b_admin, rate=700)
        self.assertEqual(cheap.skills_match, 50.0)
        self.assertGreater(cheap.score, dear.score)
        tender.with_user(self.client_a_buyer).write({"weight_rate": 0, "weight_availability": 0, "weight_skills": 100})
        self.assertEqual(cheap.score, dear.score)

    def test_digest_once_a_day(self):
        self._published_tender()
        Tender = self.env["lbc.tender"]
        today = fields.Date.today()
        ours = self.provider_a | self.provider_b
        self.assertFalse(ours.filtered("lbc_tender_digest_date"))
        Tender._lbc_send_digests(today=today)
        self.assertEqual(set(ours.mapped("lbc_tender_digest_date")), {today})
        digests = self.env["mail.mail"].search([("subject", "=", "New calls for tenders matching your skills")])
        self.assertEqual(digests.mapped("recipient_ids") & ours.lbc_admin_partner_ids, ours.lbc_admin_partner_ids)
        self.assertIn("Python developer", digests[0].body_html)
        count = len(digests)
        self.assertEqual(Tender._lbc_send_digests(today=today), 0, "at most one digest a day")
        self.assertEqual(
            self.env["mail.mail"].search_count([("subject", "=", "New calls for tenders matching your skills")]), count
        )

    def test_query_counts(self):
        tender = self._published_tender()
        bid = self._bid(tender, self.provider_a_admin, submit=False)
        bid.invalidate_recordset()
        with self.assertQueryCount(21):
            bid.with_user(self.provider_a_admin).action_submit()
        self._pass_deadline(tender)
        bid.with_user(self.client_a_buyer).action_select()
        self._make_compliant(self.provider_a)
        self._verify_signatory(self.provider_a)
        bid.with_user(self.operator).action_approve()
        self.env.invalidate_all()
        with self.assertQueryCount(165):
            bid.with_user(self.operator).action_contract()
