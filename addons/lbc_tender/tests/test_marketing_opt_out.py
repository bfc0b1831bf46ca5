import ast
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError

from .common import LbcTenderCommon

SUBJECT = "New calls for tenders matching your skills"


class TestDigestOptOut(LbcTenderCommon):
    """The daily digest is not transactional: an admin who objects to marketing e-mails (C55) does not get it,
    and each digest carries its recipient's own unsubscribe link."""

    def _digests(self, partner):
        return self.env["mail.mail"].search([("subject", "=", SUBJECT), ("recipient_ids", "in", partner.ids)])

    def test_opted_out_admin_gets_no_digest_and_the_link_unsubscribes(self):
        admin_a, admin_b = self.provider_a_admin.partner_id, self.provider_b_admin.partner_id
        admin_a.with_user(self.provider_a_admin).action_lbc_update_privacy({"lbc_marketing_opt_out": True})
        self._published_tender()
        today = fields.Date.today()
        self.env["lbc.tender"]._lbc_send_digests(today=today)
        self.assertFalse(self._digests(admin_a), "an admin who objected gets no digest")
        digest = self._digests(admin_b)
        self.assertEqual(len(digest), 1)
        self.assertEqual(digest.recipient_ids, admin_b, "one digest per recipient: each its own link")
        url = admin_b._lbc_unsubscribe_url()
        self.assertIn(url, digest.body_html)
        self.assertEqual(ast.literal_eval(digest.headers)["List-Unsubscribe"], f"<{url}>")

        # a link for another partner, or altered, does nothing
        partner_id, token = url.rsplit("/", 2)[-2:]
        with self.assertRaisesRegex(UserError, "not valid"):
            self.env["res.partner"]._lbc_unsubscribe(admin_a.id, token)
        with self.assertRaisesRegex(UserError, "not valid"):
            self.env["res.partner"]._lbc_unsubscribe(partner_id, token[:-1] + ("0" if token[-1] != "0" else "1"))
        self.assertFalse(admin_b.lbc_marketing_opt_out)

        self.env["res.partner"]._lbc_unsubscribe(partner_id, token)
        self.assertTrue(admin_b.lbc_marketing_opt_out)
        self.assertIn("unsubscribe link", admin_b.message_ids[0].body)
        self._published_tender(name="Another tender")
        self.env["lbc.tender"]._lbc_send_digests(today=today + timedelta(days=1))
        self.assertEqual(len(self._digests(admin_b)), 1, "no new digest once unsubscribed")

    def test_service_emails_are_still_sent(self):
        """An objection to marketing e-mails does not stop the e-mails of a service in use."""
        admin_b = self.provider_b_admin.partner_id
        admin_b.with_user(self.provider_b_admin).action_lbc_update_privacy({"lbc_marketing_opt_out": True})
        tender = self._published_tender(sealed=False)
        bid = self._bid(tender, self.provider_b_admin)
        bid.with_user(self.client_a_buyer).action_reject(reason="Rate too high")
        self.assertTrue(
            self.env["mail.mail"].search([("recipient_ids", "in", admin_b.ids), ("subject", "!=", SUBJECT)]),
            "the bid's outcome reaches the provider's admin",
        )
