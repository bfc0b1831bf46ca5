from odoo.addons.lbc_erp_client.tests.common import LbcErpCommon
from odoo.exceptions import UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestSocialEngagement(LbcErpCommon):
    """Members who work together on the marketplace (a live bid, a mission) may write to each other without
    being connected; members with no link still may not."""

    def _start(self, sender, recipient):
        return (
            self.env["lbc.conversation"]
            .with_user(sender)
            .lbc_start_conversation([recipient.partner_id.id], "<p>About the mission planning for next month</p>")
        )

    def test_mission_parties_may_write(self):
        conversation_id = self._start(self.client_a_buyer, self.provider_a_consultant)
        self.assertTrue(conversation_id)
        self.assertTrue(self._start(self.provider_a_consultant, self.client_a_admin))

    def test_no_engagement_no_message(self):
        with self.assertRaisesRegex(UserError, "once you are connected"):
            self._start(self.client_b_admin, self.provider_a_consultant)
        with self.assertRaisesRegex(UserError, "once you are connected"):
            self._start(self.provider_b_admin, self.client_a_buyer)

    def test_sealed_bid_links_nobody_before_the_deadline(self):
        """Whether a provider bid on a sealed tender must not show through the right to write to it."""
        tender = self._published_tender(name="Sealed engagement")
        self._bid(tender, self.provider_b_admin)
        with self.assertRaisesRegex(UserError, "once you are connected"):
            self._start(self.client_a_buyer, self.provider_b_admin)
        with self.assertRaisesRegex(UserError, "once you are connected"):
            self._start(self.provider_b_admin, self.client_a_buyer)
        self._pass_deadline(tender)
        self.assertTrue(self._start(self.client_a_buyer, self.provider_b_admin))

    def test_refusals_name_no_one(self):
        """A refusal does not tell the name behind a partner id the caller chose."""
        stranger = self.client_b_admin.partner_id
        with self.assertRaises(UserError) as refusal:
            self.env["lbc.conversation"].with_user(self.provider_a_consultant).lbc_start_conversation(
                [stranger.id], "<p>Hello</p>"
            )
        self.assertNotIn(stranger.name, str(refusal.exception))
