from odoo import Command, fields
from odoo.addons.lbc_tender.tests.common import LbcTenderCommon


class TestTenderDigest(LbcTenderCommon):
    """lbc_tender's digest of new tenders follows the referencing lists a tender is meant for."""

    SUBJECT = "New calls for tenders matching your skills"

    def _digests_to(self, provider):
        return self.env["mail.mail"].search(
            [("subject", "=", self.SUBJECT), ("recipient_ids", "in", provider.lbc_admin_partner_ids.ids)]
        )

    def test_digest_respects_referencing_lists(self):
        ref_list = self.env["lbc.referencing.list"].create(
            {"name": "Preferred", "client_id": self.client_a.id, "provider_ids": [Command.link(self.provider_b.id)]}
        )
        tender = self._published_tender(
            name="Listed only", audience="lists", referencing_list_ids=[Command.set(ref_list.ids)]
        )
        self.env["lbc.tender"]._lbc_send_digests(today=fields.Date.today())
        self.assertFalse(self._digests_to(self.provider_a).filtered(lambda m: "Listed only" in m.body_html))
        self.assertTrue(self._digests_to(self.provider_b).filtered(lambda m: "Listed only" in m.body_html))
        self.assertEqual(tender.digest_partner_ids, self.provider_b)
