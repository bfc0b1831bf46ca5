import base64

from odoo import fields
from odoo.exceptions import UserError

from .common import PDF, LbcTenderCommon


class TestClientVigilance(LbcTenderCommon):
    """A client's own required documents gate its contracting only; the L.8222-1 threshold shown on missions."""

    def _selected_bid(self, client_user, rate=650, **tender_vals):
        tender = self.env["lbc.tender"].with_user(client_user).create(self._tender_vals(**tender_vals))
        tender.action_publish()
        bid = self._bid(tender.sudo(), self.provider_a_admin, consultant=self.provider_a_consultant, rate=rate)
        self._pass_deadline(tender.sudo())
        bid.with_user(client_user).action_select()
        return bid

    def test_client_requirement_gates_its_contracting_only(self):
        self._make_compliant(self.provider_a)
        self._verify_signatory(self.provider_a)
        self.client_a.with_user(self.client_a_admin).action_lbc_require_documents(["liability_insurance"])
        # client B publishes as well
        self.main_contract.with_user(self.client_b_admin).action_accept()
        bid_a = self._selected_bid(self.client_a_buyer)
        bid_b = self._selected_bid(self.client_b_admin, client_id=self.client_b.id)
        with self.assertRaisesRegex(UserError, "Professional liability insurance certificate: missing"):
            bid_a.with_user(self.operator).action_approve()
        self.assertEqual(bid_a.state, "selected")
        bid_b.with_user(self.operator).action_approve()
        self.assertEqual(bid_b.state, "approved", "client B does not require it")
        # the provider uploads its insurance certificate, LBC verifies it: client A's contracting opens
        doc_id = self.provider_a.with_user(self.provider_a_admin).action_lbc_upload_compliance_document(
            "liability_insurance", "rc_pro.pdf", base64.b64encode(PDF), fields.Date.today()
        )
        self.env["lbc.compliance.document"].browse(doc_id).with_user(self.compliance_officer).action_verify()
        bid_a.with_user(self.operator).action_approve()
        self.assertEqual(bid_a.state, "approved")

    def test_vigilance_threshold_on_missions(self):
        self._make_compliant(self.provider_a)
        self._verify_signatory(self.provider_a)
        small = self._selected_bid(self.client_a_buyer, rate=240, duration_days=20)  # 4,800 EUR
        small.with_user(self.operator).action_approve()
        mission = small.with_user(self.operator).action_contract()
        self.assertEqual(mission.lbc_order_amount, 4800)
        self.assertFalse(mission.lbc_above_vigilance_threshold)
        self.assertIn("does not apply", mission.lbc_vigilance_notice)
        # LBC's rule stays the gate whatever the amount: the contracting check is planned all the same
        self.assertEqual(len(self.env["lbc.compliance.check"]._lbc_engagement_checks(mission)), 1)
        big = self._selected_bid(self.client_a_buyer, rate=250, duration_days=20)  # 5,000 EUR
        big.with_user(self.operator).action_approve()
        mission = big.with_user(self.operator).action_contract()
        self.assertTrue(mission.lbc_above_vigilance_threshold)
        self.assertIn("jointly liable", mission.lbc_vigilance_notice)
