import base64

from odoo import fields

from .common import PDF, LbcTenderCommon


class TestDashboard(LbcTenderCommon):
    """The tiles of LBC's dashboard for the vigilance documents and the bids follow their records."""

    def _count(self, xmlid, user):
        tile = self.env.ref(xmlid).with_user(user)
        tile.invalidate_recordset(["count"])
        return tile.count

    def _listed(self, xmlid, user):
        action = self.env.ref(xmlid).with_user(user).action_open()
        return self.env[action["res_model"]].with_user(user).search(action["domain"])

    def test_bids_to_approve(self):
        xmlid = "lbc_tender.lbc_dashboard_tile_bid_to_approve"
        before = self._count(xmlid, self.operator)
        tender = self._published_tender()
        bid = self._bid(tender, self.provider_a_admin)
        self.assertEqual(self._count(xmlid, self.operator), before, "a submitted bid waits for the client")
        self._pass_deadline(tender)
        bid.with_user(self.client_a_buyer).action_select()
        self.assertEqual(self._count(xmlid, self.operator), before + 1)
        self.assertIn(bid, self._listed(xmlid, self.operator))
        self._make_compliant(self.provider_a)
        self._verify_signatory(self.provider_a)
        bid.with_user(self.operator).action_approve()
        self.assertEqual(self._count(xmlid, self.operator), before)
        self.assertNotIn(bid, self._listed(xmlid, self.operator))

    def test_documents_to_verify_for_the_compliance_officer(self):
        xmlid = "lbc_compliance.lbc_dashboard_tile_document_to_verify"
        tile = self.env.ref(xmlid)
        Tile = self.env["lbc.dashboard.tile"]
        self.assertIn(tile, Tile.with_user(self.compliance_officer).search([]))
        self.assertNotIn(tile, Tile.with_user(self.operator).search([]), "the operator does not verify documents")
        before = self._count(xmlid, self.compliance_officer)
        doc_id = self.provider_b.with_user(self.provider_b_admin).action_lbc_upload_compliance_document(
            "kbis", "kbis.pdf", base64.b64encode(PDF), fields.Date.today()
        )
        document = self.env["lbc.compliance.document"].browse(doc_id)
        self.assertEqual(self._count(xmlid, self.compliance_officer), before + 1)
        self.assertIn(document, self._listed(xmlid, self.compliance_officer))
        document.with_user(self.compliance_officer).action_verify()
        self.assertEqual(self._count(xmlid, self.compliance_officer), before)
