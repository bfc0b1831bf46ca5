from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.addons.lbc_base.tests.common import LbcBaseCommon
from odoo.exceptions import AccessError, UserError
from odoo.sql_db import Cursor
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSubscription(LbcBaseCommon):
    """Subscriptions on OCA's subscription_oca: subscribing, invoices posted and e-mailed, renewal, cancellation,
    lifecycle, reminders, and the guard on the workflow fields."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.monthly = cls.env.ref("lbc_erp_client.lbc_subscription_plan_pro_monthly")
        cls.yearly = cls.env.ref("lbc_erp_client.lbc_subscription_plan_business_yearly")
        Agreement = cls.env["lbc.agreement"]
        if not Agreement._lbc_current("subscription"):
            Agreement.create({"name": "Subscription", "kind": "subscription", "version": 401, "body": "<p>Sub</p>"})
        cls.Subscription = cls.env["sale.subscription"]
        # LBC's legal identity, which its invoices' Factur-X needs (LbcLegalCommon sets the full one)
        cls.env.company.partner_id.write(
            {"street": "10 rue de la Paix", "zip": "75002", "city": "Paris", "country_id": cls.env.ref("base.fr").id}
        )
        cls.env.company.write({"email": "facturation@lbc.example", "vat": "FR44732829320"})

    def _subscribe(self, plan=None, user=None):
        plan = plan or self.monthly
        user = user or self.client_a_admin
        sub_id = plan.with_user(user).action_subscribe(accept_terms=True)
        return self.Subscription.browse(sub_id)

    def _invoices(self, subscription):
        return self.env["account.move"].search([("subscription_id", "=", subscription.id)], order="invoice_date, id")

    def _run(self):
        """OCA's daily run (with LBC's part), as its cron does."""
        self.Subscription.cron_subscription_management()

    def _pay(self, invoices):
        """The subscriber pays: a real payment registered and reconciled with Odoo's payment wizard."""
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoices.ids).create(
            {"group_payment": False}
        )._create_payments()
        self.assertTrue(all(move.payment_state in ("paid", "in_payment") for move in invoices))

    def _mailed_to(self, record, partner):
        return self.env["mail.message"].search_count(
            [
                ("model", "=", record._name),
                ("res_id", "=", record.id),
                ("message_type", "in", ("comment", "email_outgoing")),
                ("partner_ids", "in", partner.ids),
            ]
        )

    def test_subscribe_accepts_terms_invoices_and_mails(self):
        with self.assertRaisesRegex(UserError, "accept the subscription terms"):
            self.monthly.with_user(self.client_a_admin).action_subscribe()
        with self.assertRaises(AccessError):
            self.monthly.with_user(self.client_a_buyer).action_subscribe(accept_terms=True)
        subscription = self._subscribe()
        self.assertEqual(subscription._name, "sale.subscription")
        self.assertEqual(subscription.partner_id, self.client_a)
        self.assertEqual(subscription.template_id, self.monthly.template_id)
        self.assertEqual((subscription.stage_id.type, subscription.lbc_state), ("in_progress", "active"))
        self.assertEqual(subscription.lbc_user_id, self.client_a_admin)
        self.assertTrue(self.client_a.lbc_has_accepted("subscription"))
        self.assertEqual(subscription.lbc_acceptance_id.agreement_id.kind, "subscription")
        invoice = self._invoices(subscription)
        self.assertEqual(len(invoice), 1)
        self.assertEqual((invoice.move_type, invoice.state), ("out_invoice", "posted"))
        self.assertEqual(invoice.partner_id, self.client_a)
        self.assertEqual(invoice.invoice_line_ids.product_id, self.monthly.product_id)
        self.assertEqual(invoice.amount_untaxed, 49)
        self.assertEqual(invoice.lbc_subscription_term_start, fields.Date.today())
        self.assertTrue(invoice.is_move_sent, "sent with Odoo's invoice sending")
        self.assertTrue(self._mailed_to(invoice, self.client_a_admin.partner_id), "e-mailed to the subscriber")
        self.assertEqual(subscription.lbc_term_end, fields.Date.today() + relativedelta(months=1))
        self.assertEqual(subscription.recurring_next_date, subscription.lbc_term_end)
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
        with freeze_time(today + relativedelta(months=1, days=-1)):
            self._run()
        self.assertEqual(len(self._invoices(subscription)), 1, "not due yet")
        self._pay(self._invoices(subscription))
        with freeze_time(today + relativedelta(months=1)):
            self._run()
            self._run()  # safe to re-run
        invoices = self._invoices(subscription)
        self.assertEqual(len(invoices), 2)
        self.assertEqual(subscription.lbc_term_start, today + relativedelta(months=1))
        self.assertEqual(subscription.lbc_term_end, today + relativedelta(months=2))
        self.assertEqual(invoices.mapped("lbc_subscription_term_start"), [today, today + relativedelta(months=1)])
        self.assertTrue(all(move.state == "posted" and move.is_move_sent for move in invoices))
        self.assertTrue(self._mailed_to(invoices[1], self.client_a_admin.partner_id), "the renewal invoice is mailed")
        # a missed run catches up each term once (the terms invoiced before the run paid)
        self._pay(invoices[1])
        with freeze_time(today + relativedelta(months=3)):
            self._run()
            self._run()
        self.assertEqual(len(self._invoices(subscription)), 4)
        self.assertEqual(subscription.lbc_term_end, today + relativedelta(months=4))

    def test_term_invoiced_once_even_when_the_date_did_not_move(self):
        """A run that stopped after the invoice (the next date not moved) does not invoice the term again."""
        today = fields.Date.today()
        subscription = self._subscribe()
        subscription.sudo().recurring_next_date = today  # as if the first run had stopped half-way
        self._run()
        self.assertEqual(len(self._invoices(subscription)), 1)
        self.assertEqual(subscription.recurring_next_date, today + relativedelta(months=1))

    def test_cancellation_stops_the_next_renewal(self):
        today = fields.Date.today()
        subscription = self._subscribe()
        with self.assertRaises(AccessError):
            subscription.with_user(self.client_b_admin).action_lbc_cancel()
        with self.assertRaises(AccessError):
            subscription.with_user(self.client_a_buyer).action_lbc_cancel()
        subscription.with_user(self.client_a_admin).action_lbc_cancel()
        self.assertEqual((subscription.lbc_state, subscription.lbc_cancel_date), ("cancelled", today))
        with self.assertRaisesRegex(UserError, "not running"):
            subscription.with_user(self.client_a_admin).action_lbc_cancel()
        self.assertTrue(self.client_a_buyer.partner_id._lbc_has_feature("tender_alerts"), "the paid term runs on")
        with freeze_time(today + relativedelta(months=1)):
            self._run()
            self.assertFalse(self.client_a_admin.partner_id._lbc_has_feature("tender_alerts"))
        self.assertEqual(len(self._invoices(subscription)), 1)
        self.assertEqual((subscription.lbc_state, subscription.stage_id.type), ("expired", "post"))

    def test_suspended_company_not_renewed(self):
        today = fields.Date.today()
        subscription = self._subscribe()
        self.client_a._lbc_workflow_write({"lbc_state": "validated"})
        self.client_a.with_user(self.operator).action_lbc_suspend(reason="Unpaid invoices")
        self.assertEqual(self.client_a.lbc_state, "suspended")
        with freeze_time(today + relativedelta(months=1)):
            self._run()
        self.assertEqual(len(self._invoices(subscription)), 1, "nothing renewed for a suspended company")
        self.assertEqual(subscription.lbc_state, "expired")
        with self.assertRaisesRegex(UserError, "suspended"):
            self._subscribe()

    def test_deleted_or_anonymised_member_not_renewed(self):
        today = fields.Date.today()
        loner = new_test_user(self.env, "lbc_sub_loner", groups="base.group_portal", name="Lone Member")
        other = new_test_user(self.env, "lbc_sub_other", groups="base.group_portal", name="Other Member")
        deleted = self._subscribe(self.monthly, loner)
        anonymised = self._subscribe(self.monthly, other)
        loner.partner_id.with_user(loner).action_lbc_request_deletion()
        other.partner_id.sudo()._lbc_anonymise()
        self.assertEqual(other.partner_id.lbc_account_state, "anonymised")
        with freeze_time(today + relativedelta(months=1)):
            self._run()
        for subscription in deleted | anonymised:
            self.assertEqual(len(self._invoices(subscription)), 1, "nothing renewed after the account is closed")
            self.assertEqual(subscription.lbc_state, "expired")

    def test_reminder_once_before_renewal(self):
        today = fields.Date.today()
        subscription = self._subscribe()
        renewal = subscription.recurring_next_date
        admin = self.client_a_admin.partner_id
        self.assertEqual(self.monthly.reminder_days, 7)

        def reminders():
            return self.env["mail.message"].search_count(
                [
                    ("model", "=", "sale.subscription"),
                    ("res_id", "=", subscription.id),
                    ("partner_ids", "in", admin.ids),
                    "|",
                    ("subject", "ilike", "renews on"),
                    ("subject", "ilike", "se renouvelle le"),
                ]
            )

        with freeze_time(renewal - relativedelta(days=8)):
            self._run()
        self.assertEqual(reminders(), 0, "too early")
        with freeze_time(renewal - relativedelta(days=7)):
            self._run()
            self._run()
        with freeze_time(renewal - relativedelta(days=2)):
            self._run()
        self.assertEqual(reminders(), 1, "once per term")
        self.assertEqual(subscription.lbc_reminder_date, renewal)
        self._pay(self._invoices(subscription))
        with freeze_time(renewal):
            self._run()
        with freeze_time(subscription.recurring_next_date - relativedelta(days=3)):
            self._run()
        self.assertEqual(reminders(), 2, "the next term has its own reminder")
        # a cancelled subscription is not reminded
        subscription.with_user(self.client_a_admin).action_lbc_cancel()
        with freeze_time(subscription.recurring_next_date + relativedelta(months=1, days=-3)):
            self._run()
        self.assertEqual(reminders(), 2)
        self.assertEqual(today, fields.Date.today())

    def test_member_without_company_and_access(self):
        loner = new_test_user(self.env, "lbc_sub_freelance", groups="base.group_portal", name="Free Lance")
        subscription = self._subscribe(self.yearly, loner)
        self.assertEqual(subscription.partner_id, loner.partner_id)
        self.assertEqual(subscription.lbc_term_end, fields.Date.today() + relativedelta(years=1))
        self.assertEqual(self._invoices(subscription).amount_untaxed, 990)
        self.assertEqual(self.Subscription.with_user(loner).search([]), subscription)
        self.assertFalse(self.Subscription.with_user(self.client_b_admin).search([("id", "=", subscription.id)]))

    def test_hostile_writes_refused(self):
        subscription = self._subscribe()
        # OCA's own salesmen may write subscriptions: not the workflow of an LBC one either
        salesman = new_test_user(
            self.env, "lbc_sub_salesman", groups="sales_team.group_sale_salesman,account.group_account_invoice"
        )
        later = fields.Date.today() + relativedelta(years=5)
        hostile = {
            "recurring_next_date": later,
            "lbc_term_end": later,
            "date_start": later,
            "lbc_plan_id": self.yearly.id,
            "template_id": self.yearly.template_id.id,
            "stage_id": self.env.ref("subscription_oca.subscription_stage_closed").id,
            "lbc_cancel_date": False,
            "partner_id": self.client_b.id,
            "is_paused": True,
            "sale_subscription_line_ids": [(1, subscription.sale_subscription_line_ids.id, {"price_unit": 0})],
        }
        for user in (self.client_a_admin, self.client_a_buyer, self.operator, salesman):
            for fname, value in hostile.items():
                with self.assertRaises(AccessError, msg=f"{user.login} wrote {fname}"):
                    subscription.with_user(user).write({fname: value})
        for user in (self.client_a_admin, self.operator):
            with self.assertRaises(UserError):
                subscription.with_user(user).generate_invoice()
            with self.assertRaises(AccessError):
                subscription.with_user(user).action_start_subscription()
            with self.assertRaises(AccessError):
                subscription.with_user(user).with_context(default_lbc_plan_id=self.yearly.id).copy()
        for method in ("create_invoice", "create_sale_order", "manual_invoice", "action_close_subscription"):
            with self.assertRaisesRegex(UserError, "moves only by", msg=method):
                getattr(subscription.with_user(salesman), method)()
        self.assertEqual(len(self._invoices(subscription)), 1)
        for user in (self.client_a_admin, salesman):
            with self.assertRaises(AccessError):
                subscription.sale_subscription_line_ids.with_user(user).write({"price_unit": 0})
        with self.assertRaises(AccessError):
            subscription.sale_subscription_line_ids.with_user(salesman).unlink()
        with self.assertRaises(AccessError):
            self.env["sale.subscription.line"].with_user(salesman).create(
                {"sale_subscription_id": subscription.id, "product_id": self.yearly.product_id.id, "price_unit": 0}
            )
        with self.assertRaises(AccessError):
            self.Subscription.with_user(self.client_a_admin).create(
                {
                    "partner_id": self.client_a.id,
                    "template_id": self.yearly.template_id.id,
                    "lbc_plan_id": self.yearly.id,
                    "pricelist_id": subscription.pricelist_id.id,
                }
            )
        self.assertEqual(
            (subscription.lbc_plan_id, subscription.lbc_term_end, subscription.lbc_state, subscription.recurring_total),
            (self.monthly, fields.Date.today() + relativedelta(months=1), "active", 49),
        )

    # --- payment -------------------------------------------------------------------------------------
    def test_unpaid_invoice_stops_the_renewal_and_a_new_subscription(self):
        """Subscribe, never pay, let it end, subscribe again: refused until the invoice is paid; the renewal of an
        unpaid subscription is not invoiced, the subscription ends and the subscriber is told."""
        subscription = self._subscribe()
        invoice = self._invoices(subscription)
        self.assertEqual(invoice.payment_state, "not_paid")
        renewal = max(subscription.recurring_next_date, invoice.invoice_date_due + relativedelta(days=1))
        with freeze_time(renewal):
            self._run()
        self.assertEqual(self._invoices(subscription), invoice, "no new invoice while the last one is unpaid")
        self.assertEqual((subscription.lbc_state, subscription.stage_id.type), ("expired", "post"))
        note = subscription.message_ids.filtered(lambda m: "Not renewed" in (m.body or ""))
        self.assertIn(invoice.name, note.body)
        mails = self.env["mail.message"].search(
            [
                ("model", "=", "sale.subscription"),
                ("res_id", "=", subscription.id),
                ("subject", "=", "Your LBC subscription is not renewed: unpaid invoice"),
                ("partner_ids", "in", self.client_a_admin.partner_id.ids),
            ]
        )
        self.assertEqual(len(mails), 1, "the subscriber is told by e-mail")
        with freeze_time(renewal):
            with self.assertRaisesRegex(UserError, f"{invoice.name}.*unpaid"):
                self._subscribe()
            with self.assertRaisesRegex(UserError, "unpaid"):
                self._subscribe(self.yearly)
            self.assertFalse(
                self.Subscription.search([("partner_id", "=", self.client_a.id), ("id", "!=", subscription.id)])
            )
            self._pay(invoice)
            again = self._subscribe()
        self.assertEqual(again.lbc_state, "active")
        self.assertEqual(len(self._invoices(again)), 1)

    def test_unpaid_refused_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        subscription = self._subscribe()
        subscription.with_user(self.client_a_admin).action_lbc_cancel()
        invoice = self._invoices(subscription)
        with freeze_time(max(subscription.lbc_term_end, invoice.invoice_date_due + relativedelta(days=1))):
            self._run()
            self.assertEqual(subscription.lbc_state, "expired")
            with self.assertRaisesRegex(UserError, f"{invoice.name}.*impayée"):
                self.monthly.with_user(self.client_a_admin).with_context(lang="fr_FR").action_subscribe(
                    accept_terms=True
                )

    def test_paid_invoice_renews(self):
        today = fields.Date.today()
        subscription = self._subscribe()
        invoice = self._invoices(subscription)
        self._pay(invoice)
        with freeze_time(max(subscription.recurring_next_date, invoice.invoice_date_due + relativedelta(days=1))):
            self._run()
        self.assertEqual(len(self._invoices(subscription)), 2, "the paid subscription renews")
        self.assertEqual(subscription.lbc_state, "active")
        self.assertEqual(subscription.lbc_term_start, today + relativedelta(months=1))

    def test_features_closed_after_the_grace_period_until_paid(self):
        self.env["ir.config_parameter"].sudo().set_param("lbc_erp_client.subscription_grace_days", "5")
        subscription = self._subscribe()
        invoice = self._invoices(subscription)
        buyer = self.client_a_buyer.partner_id
        members = buyer | self.client_a_admin.partner_id | self.client_b_admin.partner_id
        opened = buyer | self.client_a_admin.partner_id

        def check(expected, msg):
            self.assertEqual(buyer._lbc_has_feature("tender_alerts"), bool(expected), msg)
            self.assertEqual(members._lbc_filter_feature("tender_alerts"), expected, msg)

        due = invoice.invoice_date_due
        self.assertLess(due + relativedelta(days=6), subscription.lbc_term_end, "still in the paid term")
        with freeze_time(due + relativedelta(days=5)):
            check(opened, "open during the grace period")
        with freeze_time(due + relativedelta(days=6)):
            check(self.env["res.partner"], "closed after the grace period")
            with self.assertRaisesRegex(UserError, "subscribe"):
                buyer._lbc_check_feature("tender_alerts")
            self.env["ir.config_parameter"].sudo().set_param("lbc_erp_client.subscription_grace_days", "10")
            check(opened, "the grace period is a setting")
            self.env["ir.config_parameter"].sudo().set_param("lbc_erp_client.subscription_grace_days", "5")
            check(self.env["res.partner"], "closed again")
            self._pay(invoice)
            check(opened, "open again once paid")

    def test_duplicate_check_under_the_subscriber_lock(self):
        """The subscriber's row is locked before the duplicate check: a parallel call waits for the first one's
        commit, then sees its subscription and is refused."""
        queries = []
        execute = Cursor.execute

        def recording(cursor, query, params=None, log_exceptions=True):
            queries.append((str(getattr(query, "code", query)), list(getattr(query, "params", None) or params or [])))
            return execute(cursor, query, params, log_exceptions)

        with patch.object(Cursor, "execute", recording):
            subscription = self._subscribe()
        locks = [
            n
            for n, (code, params) in enumerate(queries)
            if "FOR UPDATE" in code and "res_partner" in code and params == [self.client_a.id]
        ]
        self.assertTrue(locks, "the subscriber's row is locked")
        checks = [n for n, (code, _params) in enumerate(queries) if 'FROM "sale_subscription"' in code]
        inserts = [n for n, (code, _params) in enumerate(queries) if 'INSERT INTO "sale_subscription"' in code]
        self.assertTrue(checks and inserts)
        self.assertLess(locks[0], min(checks), "locked before the duplicate check")
        self.assertLess(min(checks), min(inserts))
        with self.assertRaisesRegex(UserError, "already has a running subscription"):
            self._subscribe(self.yearly)
        with self.assertRaisesRegex(UserError, "already has a running subscription"):
            self._subscribe(self.monthly)
        self.assertEqual(self.Subscription.search([("partner_id", "=", self.client_a.id)]), subscription)
