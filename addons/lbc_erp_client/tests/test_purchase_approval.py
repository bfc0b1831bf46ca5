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

    def test_lowering_the_threshold_does_not_bypass_the_approver(self):
        """The author's admin lowers the threshold to 0 while its tender waits for the approver, or after the
        refusal: publishing again still goes through the approver."""
        tender = self.env["lbc.tender"].with_user(self.client_a_buyer).create(self._tender_vals())  # 700 x 20
        tender.action_publish()
        self.client_a.with_user(self.client_a_admin).action_lbc_set_approval_threshold("0")
        with self.assertRaisesRegex(UserError, "waits for a purchasing approver"):
            tender.with_user(self.client_a_buyer).action_publish()
        self.assertEqual((tender.state, tender.purchase_approval_state), ("draft", "to_approve"))
        tender.with_user(self.director).action_purchase_refuse(reason="Budget not voted")
        tender.with_user(self.client_a_buyer).action_publish()
        self.assertEqual((tender.state, tender.purchase_approval_state), ("draft", "to_approve"), "back to approval")
        self.assertTrue(tender.sudo().activity_ids.filtered(lambda a: a.user_id == self.director))
        tender.with_user(self.director).action_purchase_approve()
        self.assertEqual(tender.state, "published")

    def test_refused_with_no_approver_left(self):
        """A refused tender published again while nobody holds the approver role any more: a clear refusal."""
        tender = self.env["lbc.tender"].with_user(self.client_a_buyer).create(self._tender_vals())
        tender.action_publish()
        tender.with_user(self.director).action_purchase_refuse(reason="No")
        self.client_a.with_user(self.client_a_admin).action_lbc_set_approval_threshold("0")
        self.director.partner_id.lbc_member_role_ids.filtered(lambda r: r.role == "purchase_approver").with_user(
            self.client_a_admin
        ).action_revoke()
        with self.assertRaisesRegex(UserError, "was refused by a purchasing approver"):
            tender.with_user(self.client_a_buyer).action_publish()
        self.assertEqual((tender.state, tender.purchase_approval_state), ("draft", "refused"))

    def test_refused_mission_order_is_never_signed(self):
        self._make_compliant(self.provider_a)
        self._verify_signatory(self.provider_a)
        mission = self._contract(650, 10, threshold_at_signature=5000)  # 6,500 excl. tax
        mission.with_user(self.director).action_purchase_refuse(reason="Too expensive")
        self.client_a.with_user(self.client_a_admin).action_lbc_set_approval_threshold("0")
        with self.assertRaisesRegex(UserError, "was refused by a purchasing approver"):
            mission.sale_order_id.action_confirm()
        self.assertEqual(mission.state, "draft")

    def test_who_selected_the_bid_never_approves_the_order(self):
        """The member who selected the bid also holds the approver role: another approver approves the order."""
        self._make_compliant(self.provider_a)
        self._verify_signatory(self.provider_a)
        selector = self._create_member(self.client_a, "client_a_selector_approver", "purchasing_director")
        for role in ("tender_publisher", "purchase_approver"):
            selector.partner_id.with_user(self.client_a_admin).action_lbc_grant_role(role)
        self.client_a.with_user(self.client_a_admin).action_lbc_update({"lbc_approval_threshold": 0})
        tender = self._published_tender(sealed=False, duration_days=10, max_daily_rate=900)
        bid = self._bid(tender, self.provider_a_admin, rate=650)
        bid.with_user(selector).action_select()
        self.assertEqual(bid.selected_by_id, selector)
        bid.with_user(self.operator).action_approve()
        self.client_a.with_user(self.client_a_admin).action_lbc_update({"lbc_approval_threshold": 5000})
        mission = bid.with_user(self.operator).action_contract()
        self.assertEqual(mission.purchase_approval_state, "to_approve")
        self.assertFalse(mission.sudo().activity_ids.filtered(lambda a: a.user_id == selector))
        with self.assertRaisesRegex(AccessError, "committed"):
            mission.with_user(selector).action_purchase_approve()
        mission.with_user(self.director).action_purchase_approve()
        self.assertEqual(mission.purchase_approved_by_id, self.director)
