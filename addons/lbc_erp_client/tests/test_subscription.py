from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.addons.lbc_base.tests.common import LbcBaseCommon
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user


class TestSubscription(LbcBaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.monthly = cls.env.ref("lbc_erp_client.lbc_subscription_plan_pro_monthly")
        cls.yearly = cls.env.ref("lbc_erp_client.lbc_subscription_plan_business_yearly")

    def _subscribe(self, plan=None, user=None):
        plan = plan or self.monthly
        user = user or self.client_a_admin
        sub_id = plan.with_user(user).action_subscribe(accept_terms=True)
        return self.env["lbc.subscription"].browse(sub_id)

    def _invoices(self, subscription):
        return self.env["account.move"].search([("lbc_subscription_id", "=", subscription.id)])

    def test_subscribe_accepts_terms_and_invoices(self):
        with self.assertRaisesRegex(UserError, "accept the subscription terms"):
            self.monthly.with_user(self.client_a_admin).action_subscribe()
        with self.assertRaises(AccessError):
            self.monthly.with_user(self.client_a_buyer).action_subscribe(accept_terms=True)
        subscription = self._subscribe()
        self.assertEqual(subscription.partner_id, self.client_a)
        self.assertEqual(subscription.state, "active")
        self.assertTrue(self.client_a.lbc_has_accepted("subscription"))
        self.assertEqual(subscription.acceptance_id.agreement_id.kind, "subscription")
        invoice = self._invoices(subscription)
        self.assertEqual(len(invoice), 1)
        self.assertEqual((invoice.move_type, invoice.state), ("out_invoice", "posted"))
        self.assertEqual(invoice.partner_id, self.client_a)
        self.assertEqual(invoice.invoice_line_ids.product_id, self.monthly.product_id)
        self.assertEqual(invoice.amount_untaxed, 49)
        self.assertEqual(subscription.term_end, fields.Date.today() + relativedelta(months=1))
        with self.assertRaisesRegex(UserError, "already has a running subscription"):
            self._subscribe(self.yearly)

    def test_feature_gate_and_upsell(self):
        buyer = self.client_a_buyer.partner_id
        self.assertFalse(buyer._lbc_has_feature("tender_alerts"))
        with self.assertRaisesRegex(UserError, r"Pro \(monthly\).*subscribe"):
            buyer._lbc_check_feature("tender_alerts")
        self._subscribe()
        self.assertTrue(buyer._lbc_has_feature("tender_alerts"), "a company's plan opens it to its members")
        self.assertFalse(buyer._lbc_has_feature("market_insights"))
        with self.assertRaisesRegex(UserError, r"Business \(yearly\)"):
            buyer._lbc_check_feature("market_insights")
        self.assertFalse(self.client_b_admin.partner_id._lbc_has_feature("tender_alerts"))

    def test_renewal_one_invoice_per_term(self):
        today = fields.Date.today()
        subscription = self._subscribe()
        Subscription = self.env["lbc.subscription"]
        with freeze_time(today + relativedelta(months=1, days=-1)):
            Subscription._lbc_renew_due()
        self.assertEqual(len(self._invoices(subscription)), 1, "not due yet")
        with freeze_time(today + relativedelta(months=1)):
            Subscription._lbc_renew_due()
            Subscription._lbc_renew_due()  # safe to re-run
        invoices = self._invoices(subscription)
        self.assertEqual(len(invoices), 2)
        self.assertEqual(subscription.term_start, today + relativedelta(months=1))
        self.assertEqual(subscription.term_end, today + relativedelta(months=2))
        self.assertEqual(
            sorted(invoices.mapped("lbc_subscription_term_start")), [today, today + relativedelta(months=1)]
        )
        self.assertTrue(all(move.state == "posted" for move in invoices))
        # a missed run catches up each term once
        with freeze_time(today + relativedelta(months=3)):
            Subscription._lbc_renew_due()
        self.assertEqual(len(self._invoices(subscription)), 4)

    def test_cancellation_stops_the_next_renewal(self):
        today = fields.Date.today()
        subscription = self._subscribe()
        with self.assertRaises(AccessError):
            subscription.with_user(self.client_b_admin).action_cancel()
        subscription.with_user(self.client_a_admin).action_cancel()
        self.assertEqual(subscription.state, "cancelled")
        self.assertTrue(self.client_a.child_ids[:1]._lbc_has_feature("tender_alerts"), "the paid term runs on")
        with freeze_time(today + relativedelta(months=1)):
            self.env["lbc.subscription"]._lbc_renew_due()
            self.assertFalse(self.client_a_admin.partner_id._lbc_has_feature("tender_alerts"))
        self.assertEqual(len(self._invoices(subscription)), 1)
        self.assertEqual(subscription.state, "expired")

    def test_member_without_company_and_access(self):
        loner = new_test_user(self.env, "lbc_sub_freelance", groups="base.group_portal", name="Free Lance")
        subscription = self._subscribe(self.yearly, loner)
        self.assertEqual(subscription.partner_id, loner.partner_id)
        self.assertEqual(subscription.term_end, fields.Date.today() + relativedelta(years=1))
        self.assertEqual(self._invoices(subscription).amount_untaxed, 990)
        Subscription = self.env["lbc.subscription"]
        self.assertEqual(Subscription.with_user(loner).search([]), subscription)
        self.assertFalse(Subscription.with_user(self.client_b_admin).search([("id", "=", subscription.id)]))
