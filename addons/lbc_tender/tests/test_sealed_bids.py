"""Sealed bids stay sealed until the deadline on every read path, for the client's members and for the
competitors, whatever happens to the tender before its deadline (closed, cancelled)."""

import base64
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .common import PDF, LbcTenderCommon

RATE = 654.0
MESSAGE = "Our consultant Zorglub knows the stack"


class TestSealedBids(LbcTenderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client_a_plain_buyer = cls._create_member(cls.client_a, "client_a_plain_buyer", "buyer")
        cls.clients = cls.client_a_admin | cls.client_a_buyer | cls.client_a_plain_buyer

    def setUp(self):
        super().setUp()
        self.tender = self._published_tender(name="Sealed call")
        self.bid = self._bid(self.tender, self.provider_a_admin, consultant=self.provider_a_consultant, submit=False)
        self.bid.with_user(self.provider_a_admin).write({"daily_rate": RATE, "message": MESSAGE})
        self.cv_id = self.bid.with_user(self.provider_a_admin).action_attach_cv("cv-zorglub.pdf", base64.b64encode(PDF))
        self.bid.with_user(self.provider_a_admin).action_submit()
        # a tracked change after submission: the rate change is tracked on the bid
        self.bid.with_user(self.provider_a_admin).write({"daily_rate": RATE + 1})
        self.bid.with_user(self.provider_a_admin).message_post(
            body="Zorglub's CV is attached", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.competitor_bid = self._bid(self.tender, self.provider_b_admin, rate=600)
        self.secrets = (str(int(RATE)), str(int(RATE + 1)), "Zorglub", self.provider_a_consultant.name)

    # ------------------------------------------------------------------ helpers
    def _pass(self, tender):
        tender.sudo().write({"deadline": fields.Datetime.now() - timedelta(minutes=1)})

    def _assert_sealed(self, user, tender, bid):
        """Nothing of `bid` reaches `user` through the ORM's read paths."""
        Bid = self.env["lbc.tender.bid"].with_user(user)
        Tender = self.env["lbc.tender"].with_user(user)
        Partner = self.env["res.partner"].with_user(user)
        rate = bid.daily_rate
        tag = user.login
        # read / search / search_read / search_count on the bid
        with self.assertRaises(AccessError, msg=tag):
            bid.with_user(user).read(["daily_rate"])
        with self.assertRaises(AccessError, msg=tag):
            bid.with_user(user).read(["consultant_id"])
        self.assertFalse(Bid.search([("tender_id", "=", tender.id), ("id", "=", bid.id)]), tag)
        self.assertFalse(Bid.search([("id", "=", bid.id), ("daily_rate", "=", rate)]), tag)
        self.assertEqual(Bid.search_count([("id", "=", bid.id)]), 0, tag)
        self.assertEqual(Bid.search_read([("id", "=", bid.id)], ["daily_rate", "message"]), [], tag)
        # read_group / formatted_read_group
        self.assertEqual(Bid.formatted_read_group([("id", "=", bid.id)], ["tender_id"], ["daily_rate:sum"]), [], tag)
        # probing through the tender's bids: the tender is found only without conditions on bid fields
        if user in self.clients:
            self.assertEqual(Tender.search([("id", "=", tender.id)]), tender.with_user(user), tag)
            values = tender.with_user(user).read(["bid_ids", "bid_count", "awarded_bid_id"])[0]
            self.assertEqual((values["bid_ids"], values["bid_count"]), ([], 0), tag)
            self.assertFalse(values["awarded_bid_id"], tag)
            web = tender.with_user(user).web_read(
                {"bid_ids": {"fields": {"daily_rate": {}, "message": {}, "consultant_id": {}}}}
            )
            self.assertEqual(web[0]["bid_ids"], [], tag)
        probes = [[("bid_ids.daily_rate", "<", 100000)]] if user in self.clients else []
        for probe in [
            *probes,
            [("bid_ids.daily_rate", "=", rate)],
            [("bid_ids.message", "ilike", "Zorglub")],
            [("bid_ids.consultant_id", "=", bid.consultant_id.id)],
            [("bid_ids", "any", [("provider_id", "=", bid.provider_id.id)])],
            [("bid_ids.attachment_ids.name", "ilike", "zorglub")],
        ]:
            self.assertFalse(Tender.search([("id", "=", tender.id), *probe]), f"{tag} {probe}")
            self.assertEqual(Tender.search_count([("id", "=", tender.id), *probe]), 0, f"{tag} {probe}")
        # the consultant and the provider behind the bid
        for probe in (
            [("lbc_consultant_bid_ids", "any", [("tender_id", "=", tender.id)])],
            [("lbc_bid_ids.tender_id", "=", tender.id)],
            [("lbc_bid_ids.daily_rate", "=", rate)],
        ):
            self.assertFalse(
                Partner.search([("id", "in", (bid.provider_id | bid.consultant_id).ids), *probe]), f"{tag} {probe}"
            )
        # chatter: messages and tracking values of the bid, the CV
        Message = self.env["mail.message"].with_user(user)
        self.assertFalse(Message.search([("model", "=", "lbc.tender.bid"), ("res_id", "=", bid.id)]), tag)
        self.assertFalse(Message.search([("body", "ilike", "Zorglub")]), tag)
        messages = self.env["mail.message"].search([("model", "=", "lbc.tender.bid"), ("res_id", "=", bid.id)])
        self.assertTrue(messages)
        with self.assertRaises(AccessError, msg=tag):
            messages.with_user(user).read(["body"])
        with self.assertRaises(AccessError, msg=tag):
            bid.with_user(user).message_ids  # noqa: B018
        with self.assertRaises(AccessError, msg=tag):
            self.env["mail.tracking.value"].with_user(user).search([("mail_message_id", "in", messages.ids)])
        with self.assertRaises(AccessError, msg=tag):
            self.env["ir.attachment"].with_user(user).browse(self.cv_id).read(["datas"])

    def _assert_no_mail_leak(self):
        """No message or e-mail to a client member carries the amount, the consultant or the message."""
        partners = self.clients.partner_id
        for message in self.env["mail.message"].search([("partner_ids", "in", partners.ids)]):
            body = str(message.body or "")
            for secret in self.secrets:
                self.assertNotIn(secret, body, message.subject)
        for mail in self.env["mail.mail"].search([("recipient_ids", "in", partners.ids)]):
            for secret in self.secrets:
                self.assertNotIn(secret, str(mail.body_html or ""), mail.subject)

    def _assert_open(self, user, tender, bid):
        Bid = self.env["lbc.tender.bid"].with_user(user)
        self.assertEqual(bid.with_user(user).read(["daily_rate"])[0]["daily_rate"], bid.daily_rate)
        self.assertEqual(Bid.search([("id", "=", bid.id)]), bid.with_user(user))
        self.assertEqual(
            self.env["lbc.tender"]
            .with_user(user)
            .search([("id", "=", tender.id), ("bid_ids.message", "ilike", "Zorglub")]),
            tender.with_user(user),
        )
        self.assertTrue(
            self.env["res.partner"]
            .with_user(user)
            .search([("lbc_consultant_bid_ids", "any", [("tender_id", "=", tender.id)])])
        )
        self.assertTrue(
            self.env["mail.message"].with_user(user).search([("model", "=", "lbc.tender.bid"), ("res_id", "=", bid.id)])
        )

    # ------------------------------------------------------------------ tests
    def test_sealed_until_the_deadline(self):
        for user in self.clients:
            self._assert_sealed(user, self.tender, self.bid)
        # the competitor sees its own bid, never the other one, before and after the deadline
        self._assert_sealed(self.provider_b_admin, self.tender, self.bid)
        self._assert_no_mail_leak()
        self._pass(self.tender)
        for user in self.clients:
            self._assert_open(user, self.tender, self.bid)
        self._assert_sealed(self.provider_b_admin, self.tender, self.bid)

    def test_closing_before_the_deadline_does_not_open(self):
        self.tender.with_user(self.client_a_buyer).action_close()
        self.assertEqual(self.tender.state, "closed")
        for user in self.clients:
            self._assert_sealed(user, self.tender, self.bid)
        self._assert_no_mail_leak()
        self._pass(self.tender)
        for user in self.clients:
            self._assert_open(user, self.tender, self.bid)

    def test_closing_then_reopening_never_brings_the_deadline_forward(self):
        announced = self.tender.deadline
        self.tender.with_user(self.client_a_buyer).action_close()
        with self.assertRaisesRegex(UserError, "cannot be earlier than the one announced"):
            self.tender.with_user(self.client_a_buyer).action_reopen(fields.Datetime.now() + timedelta(minutes=1))
        self.assertEqual((self.tender.state, self.tender.deadline), ("closed", announced))
        for user in self.clients:
            self._assert_sealed(user, self.tender, self.bid)
        self.tender.with_user(self.client_a_buyer).action_reopen(announced + timedelta(days=1))
        self.assertEqual((self.tender.state, self.tender.deadline), ("published", announced + timedelta(days=1)))
        for user in self.clients:
            self._assert_sealed(user, self.tender, self.bid)

    def test_cancelling_before_the_deadline_does_not_open(self):
        self.tender.with_user(self.client_a_buyer).action_cancel(reason="Budget frozen")
        self.assertEqual((self.tender.state, self.bid.state), ("cancelled", "rejected"))
        for user in self.clients:
            self._assert_sealed(user, self.tender, self.bid)
        self._assert_no_mail_leak()

    def test_unsealed_tender_shows_bids_at_once(self):
        tender = self._published_tender(name="Open call", sealed=False)
        bid = self._bid(tender, self.provider_a_admin, consultant=self.provider_a_consultant)
        bid.with_user(self.provider_a_admin).write({"message": MESSAGE})
        bid.with_user(self.provider_a_admin).message_post(
            body="Zorglub's CV is attached", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self._assert_open(self.client_a_plain_buyer, tender, bid)
        self._assert_sealed(self.provider_b_admin, tender, bid)

    def test_bids_open_field(self):
        Tender = self.env["lbc.tender"].with_user(self.client_a_admin)
        self.assertFalse(Tender.search([("id", "=", self.tender.id), ("lbc_bids_open", "=", True)]))
        self.assertTrue(Tender.search([("id", "=", self.tender.id), ("lbc_bids_open", "=", False)]))
        self._pass(self.tender)
        self.assertTrue(Tender.search([("id", "=", self.tender.id), ("lbc_bids_open", "=", True)]))
        self.assertFalse(Tender.search([("id", "=", self.tender.id), ("lbc_bids_open", "!=", True)]))
