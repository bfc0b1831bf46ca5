"""The client's signature of a mission order: its verified signatories only, in the portal as over RPC; still
possible after the mission's start date."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import LbcPortalPageMixin, LbcTenderCommon

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="


@tagged("post_install", "-at_install")
class TestMissionOrderSignature(HttpCase, LbcTenderCommon, LbcPortalPageMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._make_compliant(cls, cls.provider_a)
        cls._verify_signatory(cls, cls.provider_a)
        cls.signatory = cls._create_member(cls.client_a, "client_a_signatory", "purchasing_director", ["signatory"])
        cls._verify_signatory(cls, cls.client_a)
        tender = (
            cls.env["lbc.tender"]
            .with_user(cls.client_a_buyer)
            .create(cls._tender_vals(sealed=False, duration_days=5, max_daily_rate=900))
        )
        tender.action_publish()
        bid = cls._bid(cls, tender, cls.provider_a_admin, rate=650)
        bid.with_user(cls.client_a_buyer).action_select()
        bid.with_user(cls.operator).action_approve()
        cls.mission = bid.with_user(cls.operator).action_contract()
        cls.order = cls.mission.sale_order_id

    def _accept(self, token=None):
        params = {"name": "Signer", "signature": PNG}
        if token:
            params["access_token"] = token
        return self.make_jsonrpc_request(f"/my/orders/{self.order.id}/accept", params)

    def test_fixture(self):
        self.assertEqual((self.mission.state, self.order.state), ("draft", "draft"))
        self.assertFalse(self.order.validity_date, "a mission order does not expire")

    def test_only_verified_signatories_sign_over_rpc(self):
        unverified = self._create_member(self.client_a, "client_a_unverified", "buyer", ["signatory"])
        for user in (self.client_a_admin, self.client_a_buyer, unverified, self.client_b_admin):
            with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, "signatory"):
                self.order.with_user(user).action_confirm()
            self.assertTrue(self.order.with_user(user)._lbc_signature_refusal())
        self.assertIsNone(self.order.with_user(self.signatory)._lbc_signature_refusal())
        self.assertEqual(self.order.state, "draft")

    @mute_logger("odoo.http")
    def test_portal_no_button_and_refused_for_others(self):
        self._login(self.client_a_admin)
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_lbc_order_signatory_only", page.text)
        self.assertNotIn('data-bs-target="#modalaccept"', page.text)
        result = self._accept()
        self.assertIn("signatory", result.get("error", ""))
        self.assertFalse(self.order.signature)
        self.assertEqual((self.order.state, self.mission.state), ("draft", "draft"))
        # the link of the order's e-mail (its access token), without a session: never signs
        self.authenticate(None, None)
        result = self._accept(token=self.order.sudo()._portal_ensure_token())
        self.assertTrue(result.get("error"))
        self.assertEqual(self.order.state, "draft")

    def test_signatory_signs_in_the_portal(self):
        self._login(self.signatory)
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertIn('data-bs-target="#modalaccept"', page.text)
        self.assertNotIn("o_lbc_order_signatory_only", page.text)
        result = self._accept()
        self.assertNotIn("error", result)
        self.assertEqual(self.order.state, "sale")
        self.assertEqual(self.mission.state, "active")

    def test_signed_after_the_start_date(self):
        """An order whose mission has started (or an older one that carried the start date as its validity) is
        still signed."""
        past = fields.Date.today() - timedelta(days=3)
        self.order.sudo().validity_date = past
        self.mission.sudo().write({"date_start": past})
        self.assertFalse(self.order.is_expired)
        self.assertTrue(self.order.with_user(self.signatory)._has_to_be_signed())
        self._login(self.signatory)
        result = self._accept()
        self.assertNotIn("error", result)
        self.assertEqual((self.order.state, self.mission.state), ("sale", "active"))
