"""The features the paid plans sell, with real subscriptions (no patched gate): instant tender alerts (Pro and
Business), market insights (Business only), the featured company (Pro and Business). Each is allowed with the
plan that includes it and denied without."""

from odoo import fields
from odoo.addons.lbc_tender.tests.common import LbcInsightsCommon
from odoo.exceptions import UserError

ALERT = "New call for tenders matching your skills"
DIGEST = "New calls for tenders matching your skills"


class TestPlanFeatures(LbcInsightsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the marketplace fixtures retire every agreement: the subscription terms come back
        Agreement = cls.env["lbc.agreement"].with_context(active_test=False)
        Agreement.search([("kind", "not in", ("terms", "provider_framework", "client_main"))]).write({"active": True})
        cls.pro = cls.env.ref("lbc_erp_client.lbc_subscription_plan_pro_monthly")
        cls.business = cls.env.ref("lbc_erp_client.lbc_subscription_plan_business_yearly")

    def _subscribe(self, plan, admin):
        return plan.with_user(admin).action_subscribe(accept_terms=True)

    def _mails(self, partner, subject):
        return self.env["mail.mail"].search([("subject", "=", subject), ("recipient_ids", "in", partner.ids)])

    def test_instant_alerts_with_the_plan_digest_without(self):
        self._subscribe(self.pro, self.provider_a_admin)
        admin_a, admin_b = self.provider_a_admin.partner_id, self.provider_b_admin.partner_id
        tender = self._published_tender(name="Alerted tender")
        self.assertEqual(len(self._mails(admin_a, ALERT)), 1, "Pro includes instant alerts")
        self.assertFalse(self._mails(admin_b, ALERT), "no plan: no instant alert")
        self.env["lbc.tender"]._lbc_send_digests(today=fields.Date.today())
        self.assertFalse(self._mails(admin_a, DIGEST).filtered(lambda m: "Alerted tender" in m.body_html))
        self.assertTrue(self._mails(admin_b, DIGEST).filtered(lambda m: "Alerted tender" in m.body_html))
        self.assertEqual(tender.digest_partner_ids, self.provider_a | self.provider_b)

    def test_market_insights_with_the_business_plan_only(self):
        Mission = self.env["lbc.mission"]
        with self.assertRaisesRegex(UserError, r"Business \(yearly\)"):
            Mission.with_user(self.provider_a_admin).lbc_market_insights()
        self._subscribe(self.pro, self.provider_b_admin)
        with self.assertRaisesRegex(UserError, r"Business \(yearly\)"):
            Mission.with_user(self.provider_b_admin).lbc_market_insights()
        self._subscribe(self.business, self.provider_a_admin)
        result = Mission.with_user(self.provider_a_consultant).lbc_market_insights()
        self.assertEqual(
            [(row["skill"], row["region"], row["median"]) for row in result["rows"]],
            [("Python", "", 610), ("Python", "idf", 610)],
            "a member of the subscribed company gets the figures",
        )

    def test_featured_company_with_the_plan(self):
        companies = self.provider_a | self.provider_b
        self.assertFalse(companies._lbc_filter_feature("featured_profile"))
        self.assertIn("Pro (monthly)", self.provider_b._lbc_feature_upsell_message("featured_profile"))
        self._subscribe(self.pro, self.provider_b_admin)
        self.assertEqual(companies._lbc_filter_feature("featured_profile"), self.provider_b)
        if "lbc.profile" not in self.env:
            return  # the members' search is lbc_social's (installed with the whole suite)
        Profile = self.env["lbc.profile"]
        for admin in (self.provider_a_admin, self.provider_b_admin):
            Profile._lbc_get_or_create(admin.partner_id).write(
                {"headline": "Data architect", "visibility_card": "members"}
            )
        result = Profile.with_user(self.client_b_admin).lbc_search_profiles("Data architect")
        self.assertEqual([row["company"] for row in result["featured"]], ["Provider B"])
        self.assertTrue(Profile.with_user(self.provider_b_admin).lbc_featured_offer()["featured"])
        offer = Profile.with_user(self.provider_a_admin).lbc_featured_offer()
        self.assertFalse(offer["featured"])
        self.assertIn("Pro (monthly)", offer["offer"])
