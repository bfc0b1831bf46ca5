from odoo.addons.lbc_tender.tests.common import LbcTenderCommon
from odoo.exceptions import AccessError, UserError


class TestPurchaseApproval(LbcTenderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.director = cls._create_member(cls.client_a, "client_a_director", "purchasing_director")
        # the approval authority is a role the company's admin grants, not the profile type
        cls.director.partner_id.with_user(cls.client_a_admin).action_lbc_grant_role("purchase_approver")
        cls.client_a.with_user(cls.client_a_admin).action_lbc_update({"lbc_approval_threshold": 10000})

    def test_tender_above_threshold_waits_for_the_director(self):
        tender = self.env["lbc.tender"].with_user(self.client_a_buyer).create(self._tender_vals())  # 700 x 20
        tender.action_publish()
        self.assertEqual(tender.state, "draft")
        self.assertEqual(tender.purchase_approval_state, "to_approve")
        self.assertTrue(tender.sudo().activity_ids.filtered(lambda a: a.user_id == self.director))
        with self.assertRaises(AccessError):
            tender.with_user(self.client_a_buyer).action_purchase_approve()
        with self.assertRaisesRegex(UserError, "reason"):
            tender.with_user(self.director).action_purchase_refuse(reason="")
        tender.with_user(self.director).action_purchase_approve()
        self.assertEqual(tender.state, "published")
        self.assertEqual(tender.purchase_approved_by_id, self.director)

    def test_whoever_commits_never_approves(self):
        """A publisher who also holds the approver role publishes someone else's draft above the threshold: it
        is the one who commits, another approver approves; the amounts sent for approval are frozen."""
        publisher = self._create_member(self.client_a, "client_a_publisher_approver", "purchasing_director")
        for role in ("tender_publisher", "purchase_approver"):
            publisher.partner_id.with_user(self.client_a_admin).action_lbc_grant_role(role)
        tender = self.env["lbc.tender"].with_user(self.client_a_buyer).create(self._tender_vals(duration_days=5))
        tender.with_user(publisher).write({"duration_days": 200})
        tender.with_user(publisher).action_publish()
        self.assertEqual((tender.state, tender.purchase_approval_state), ("draft", "to_approve"))
        self.assertEqual(tender.purchase_requested_by_id, publisher)
        self.assertFalse(tender.sudo().activity_ids.filtered(lambda a: a.user_id == publisher))
        with self.assertRaisesRegex(AccessError, "committed"):
            tender.with_user(publisher).action_purchase_approve()
        with self.assertRaises(AccessError):
            tender.with_user(self.client_a_buyer).write({"max_daily_rate": 5000})
        self.assertEqual((tender.max_daily_rate, tender.purchase_approval_state), (700, "to_approve"))
        tender.with_user(self.director).action_purchase_approve()
        self.assertEqual((tender.state, tender.purchase_approved_by_id), ("published", self.director))

    def test_refusal_keeps_the_draft(self):
        tender = self.env["lbc.tender"].with_user(self.client_a_buyer).create(self._tender_vals())
        tender.action_publish()
        tender.with_user(self.director).action_purchase_refuse(reason="Budget not voted")
        self.assertEqual((tender.state, tender.purchase_approval_state), ("draft", "refused"))
        self.assertEqual(tender.purchase_approval_reason, "Budget not voted")

    def test_below_threshold_publishes_directly(self):
        tender = self.env["lbc.tender"].with_user(self.client_a_buyer).create(self._tender_vals(duration_days=5))
        tender.action_publish()
        self.assertEqual((tender.state, tender.purchase_approval_state), ("published", "not_required"))

    def _contract(self, rate, duration, threshold_at_signature):
        self.client_a.with_user(self.client_a_admin).action_lbc_update({"lbc_approval_threshold": 0})
        tender = self._published_tender(sealed=False, duration_days=duration, max_daily_rate=900)
        bid = self._bid(tender, self.provider_a_admin, rate=rate)
        bid.with_user(self.client_a_buyer).action_select()
        bid.with_user(self.operator).action_approve()
        self.client_a.with_user(self.client_a_admin).action_lbc_update(
            {"lbc_approval_threshold": threshold_at_signature}
        )
        return bid.with_user(self.operator).action_contract()

    def test_mission_order_needs_approval_before_signature(self):
        self._make_compliant(self.provider_a)
        self._verify_signatory(self.provider_a)
        below = self._contract(650, 5, threshold_at_signature=5000)  # 3,250 excl. tax
        self.assertEqual(below.purchase_approval_state, "not_required")
        above = self._contract(650, 10, threshold_at_signature=5000)  # 6,500 excl. tax
        self.assertEqual(above.purchase_approval_state, "to_approve")
        with self.assertRaisesRegex(UserError, "needs the approval of a purchasing director"):
            above.sale_order_id.action_confirm()
        self.assertEqual(above.state, "draft")
        with self.assertRaises(AccessError):
            above.with_user(self.client_a_admin).action_purchase_approve()
        above.with_user(self.director).action_purchase_approve()
        above.sale_order_id.action_confirm()
        self.assertEqual(above.state, "active")
