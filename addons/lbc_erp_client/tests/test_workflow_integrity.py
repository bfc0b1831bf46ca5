"""Same-company escalation on the client's ERP: report validation and invoicing, purchasing approvals,
subscriptions, referencing lists, dashboards.

Every attempt is made as a real portal member of the companies concerned (the client's buyer, administrator,
purchasing approver and plain member; the provider's consultant, report approver and administrator) with the
context keys and `default_*` keys an RPC caller controls: each is refused with an AccessError or a UserError and
changes nothing; the legitimate path still works.
"""

import json
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import START, LbcErpCommon

REFUSED = UserError  # AccessError and ValidationError are UserErrors: a refusal, never a server error
FORGED_CONTEXT = {
    "lbc_defer_invoicing": True,
    "lbc_report_state_change": True,
    "lbc_tender_state_change": True,
    "lbc_cron": True,
    "default_state": "invoiced",
    "default_purchase_approval_state": "approved",
}


class TestClientWorkflowIntegrity(LbcErpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client_a_member = cls._create_member(cls.client_a, "client_a_member", "project_manager")
        cls.director = cls._create_member(cls.client_a, "client_a_director", "purchasing_director")
        cls.director.partner_id.with_user(cls.client_a_admin).action_lbc_grant_role("purchase_approver")
        cls.provider_members = (cls.provider_a_consultant, cls.provider_approver, cls.provider_a_admin)
        cls.client_members = (cls.client_a_buyer, cls.client_a_admin, cls.client_a_member, cls.director)

    def _approved_report(self, days=2, month=START):
        report = self._report(days=days, month=month)
        report.with_user(self.provider_a_consultant).action_submit()
        report.with_user(self.provider_approver).action_approve()
        return report

    def _assert_refused(self, call, records, fnames):
        records = records.sudo()
        records.invalidate_recordset()
        before = {fname: records[fname] for fname in fnames}
        with self.assertRaises(REFUSED) as caught, self.env.cr.savepoint():
            call()
        self.assertTrue(caught.exception.args and caught.exception.args[0], "a refusal says why")
        records.invalidate_recordset()
        self.assertEqual({fname: records[fname] for fname in fnames}, before)

    # --- validation ("service fait") and invoicing ---------------------------------------------------
    def test_only_the_clients_approvers_validate(self):
        report = self._approved_report()
        users = (*self.provider_members, self.client_a_member, self.director, self.client_b_admin)
        for user in users:
            for context in ({}, FORGED_CONTEXT):
                self._assert_refused(
                    lambda u=user, c=context: report.with_user(u).with_context(**c).action_validate(),
                    report,
                    ["state", "validated_by_id", "invoice_line_ids"],
                )
                if user != self.client_b_admin:  # who cannot read the report gets no page
                    self.assertNotIn("validate", report.with_user(user)._lbc_allowed_actions())
        for user in (*self.provider_members, *self.client_members):
            for fname, value in (
                ("state", "validated"),
                ("validated_by_id", self.client_a_buyer.id),
                ("validated_date", fields.Datetime.now()),
            ):
                self._assert_refused(
                    lambda u=user, f=fname, v=value: report.with_user(u).with_context(**FORGED_CONTEXT).write({f: v}),
                    report,
                    ["state", "validated_by_id", "validated_date"],
                )
        # no caller's context defers (or alters) the invoicing of the validation
        self.assertIn("validate", report.with_user(self.client_a_buyer)._lbc_allowed_actions())
        report.with_user(self.client_a_buyer).with_context(
            lbc_defer_invoicing=True, default_narration="forged", default_ref="forged"
        ).action_validate()
        self.assertEqual((report.state, report.validated_by_id), ("invoiced", self.client_a_buyer))
        self.assertEqual(len(report.invoice_ids), 3)
        for move in report.invoice_ids:
            self.assertNotIn("forged", str(move.narration or ""), move.lbc_invoice_kind)

    def test_the_provider_never_validates_even_as_a_client_member(self):
        """The consultant's company is never the one that certifies the service."""
        report = self._approved_report()
        with self.assertRaisesRegex(AccessError, "Only a report approver of"):
            report.with_user(self.provider_a_admin).action_validate()
        with self.assertRaises(AccessError):
            report.with_user(self.provider_approver).action_reject(reason="Not mine to send back")
        self.assertEqual(report.state, "approved")

    def test_the_run_bills_only_reports_validated_through_the_action(self):
        forced = self._approved_report()
        legit = self._approved_report(month=START.replace(month=4))
        for user in (self.provider_a_consultant, self.provider_a_admin, self.client_a_buyer):
            self._assert_refused(
                lambda u=user: forced.with_user(u).write({"state": "validated"}), forced, ["state", "validated_by_id"]
            )
        # a status written around the action (only a superuser can) is never invoiced by the run
        forced.write({"state": "validated"})
        legit.with_user(self.client_a_buyer)._lbc_validate(invoice=False)
        self.assertEqual(self.env["lbc.activity.report"]._lbc_invoice_batch(), 1)
        self.assertEqual((forced.state, legit.state), ("validated", "invoiced"))
        self.assertFalse(forced.invoice_line_ids)
        forced._lbc_invoice()
        self.assertFalse(forced.invoice_line_ids)

    # --- purchasing approvals --------------------------------------------------------------------------
    def _tender_waiting_for_approval(self, author=None):
        self.client_a.with_user(self.client_a_admin).action_lbc_update({"lbc_approval_threshold": 10000})
        tender = self.env["lbc.tender"].with_user(author or self.client_a_buyer).create(self._tender_vals())
        tender.action_publish()  # 700 x 20 = 14,000 > 10,000
        self.assertEqual((tender.state, tender.purchase_approval_state), ("draft", "to_approve"))
        return tender

    def test_purchase_approval_fields_refused(self):
        tender = self._tender_waiting_for_approval()
        fnames = ["purchase_approval_state", "purchase_approved_by_id", "purchase_approval_reason", "state"]
        for user in self.client_members:
            for fname, value in (
                ("purchase_approval_state", "approved"),
                ("purchase_approved_by_id", self.director.id),
                ("purchase_approval_reason", "forged"),
            ):
                for context in ({}, FORGED_CONTEXT):
                    self._assert_refused(
                        lambda u=user, f=fname, v=value, c=context: tender.with_user(u).with_context(**c).write({f: v}),
                        tender,
                        fnames,
                    )
            self._assert_refused(
                lambda u=user: self.mission.with_user(u).write({"purchase_approval_state": "approved"}),
                self.mission,
                ["purchase_approval_state"],
            )
        # nobody without the role approves, whatever the context or the profile type
        no_role_director = self._create_member(self.client_a, "client_a_director_2", "purchasing_director")
        for user in (self.client_a_buyer, self.client_a_admin, self.client_a_member, no_role_director):
            for context in ({}, FORGED_CONTEXT):
                self._assert_refused(
                    lambda u=user, c=context: tender.with_user(u).with_context(**c).action_purchase_approve(),
                    tender,
                    fnames,
                )
                self._assert_refused(
                    lambda u=user, c=context: tender.with_user(u).with_context(**c).action_purchase_refuse("no"),
                    tender,
                    fnames,
                )
        # a member never grants itself the authority
        self._assert_refused(
            lambda: no_role_director.partner_id.with_user(no_role_director).action_lbc_grant_role("purchase_approver"),
            self.client_a,
            ["lbc_role_ids"],
        )
        tender.with_user(self.director).action_purchase_approve()
        self.assertEqual((tender.state, tender.purchase_approved_by_id), ("published", self.director))

    def test_tender_created_without_approval(self):
        self.client_a.with_user(self.client_a_admin).action_lbc_update({"lbc_approval_threshold": 10000})
        Tender = self.env["lbc.tender"].with_user(self.client_a_buyer)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            Tender.create(self._tender_vals(purchase_approval_state="approved"))
        tender = Tender.with_context(
            default_purchase_approval_state="approved", default_purchase_approved_by_id=self.director.id
        ).create(self._tender_vals())
        self.assertEqual(tender.purchase_approval_state, "not_required")
        self.assertFalse(tender.purchase_approved_by_id)
        tender.with_context(default_purchase_approval_state="approved").action_publish()
        self.assertEqual((tender.state, tender.purchase_approval_state), ("draft", "to_approve"))

    def test_the_author_never_approves_its_own_commitment(self):
        self.client_a_buyer.partner_id.with_user(self.client_a_admin).action_lbc_grant_role("purchase_approver")
        tender = self._tender_waiting_for_approval(author=self.client_a_buyer)
        asked = tender.sudo().activity_ids.user_id
        self.assertIn(self.director, asked)
        self.assertNotIn(self.client_a_buyer, asked, "the author is not asked to approve its own tender")
        with self.assertRaisesRegex(AccessError, "You committed"):
            tender.with_user(self.client_a_buyer).action_purchase_approve()
        self.assertEqual(tender.purchase_approval_state, "to_approve")
        tender.with_user(self.director).action_purchase_refuse(reason="Budget not voted")
        self.assertEqual((tender.state, tender.purchase_approval_state), ("draft", "refused"))

    def test_only_the_author_holds_the_role(self):
        self.env["lbc.company.role"].search(
            [("member_id", "=", self.director.partner_id.id), ("role", "=", "purchase_approver")]
        ).unlink()
        self.client_a_buyer.partner_id.with_user(self.client_a_admin).action_lbc_grant_role("purchase_approver")
        self.client_a.with_user(self.client_a_admin).action_lbc_update({"lbc_approval_threshold": 10000})
        tender = self.env["lbc.tender"].with_user(self.client_a_buyer).create(self._tender_vals())
        with self.assertRaisesRegex(UserError, "purchasing approver role"), self.env.cr.savepoint():
            tender.action_publish()
        self.assertEqual((tender.state, tender.purchase_approval_state), ("draft", "not_required"))

    # --- subscriptions ---------------------------------------------------------------------------------
    def test_subscription_workflow(self):
        plan = self.env.ref("lbc_erp_client.lbc_subscription_plan_pro_monthly")
        self.env["lbc.agreement"].create(
            {"name": "Subscription", "kind": "subscription", "version": 301, "body": "<p>Subscription</p>"}
        )
        today = fields.Date.today()
        for user in (self.client_a_buyer, self.client_a_member):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                plan.with_user(user).with_context(**FORGED_CONTEXT).action_subscribe(accept_terms=True)
        subscription_id = (
            plan.with_user(self.client_a_admin)
            .with_context(
                default_lbc_state="expired",
                default_lbc_term_end="2000-01-01",
                default_lbc_cancel_date=str(today),
                default_lbc_user_id=self.client_a_buyer.id,
                default_stage_id=self.env.ref("subscription_oca.subscription_stage_closed").id,
                default_recurring_next_date="2000-01-01",
            )
            .action_subscribe(accept_terms=True)
        )
        subscription = self.env["sale.subscription"].browse(subscription_id)
        self.assertEqual(subscription.lbc_state, "active")
        self.assertFalse(subscription.lbc_cancel_date)
        self.assertEqual(subscription.lbc_user_id, self.client_a_admin)
        self.assertGreater(subscription.lbc_term_end, today)
        self.assertGreater(subscription.recurring_next_date, today)
        fnames = ["lbc_state", "lbc_term_end", "recurring_next_date", "lbc_cancel_date", "partner_id", "lbc_plan_id"]
        # LBC's back office edits no stage nor term by hand; a subscription never moves to another subscriber
        for fname, value in (
            ("stage_id", self.env.ref("subscription_oca.subscription_stage_closed").id),
            ("lbc_term_end", today + timedelta(days=3650)),
            ("recurring_next_date", today + timedelta(days=3650)),
            ("lbc_cancel_date", today),
            ("partner_id", self.client_b.id),
            ("lbc_plan_id", self.env.ref("lbc_erp_client.lbc_subscription_plan_business_yearly").id),
        ):
            self._assert_refused(
                lambda f=fname, v=value: subscription.with_user(self.operator).write({f: v}), subscription, fnames
            )
            for user in self.client_members:
                self._assert_refused(
                    lambda u=user, f=fname, v=value: subscription.with_user(u).write({f: v}), subscription, fnames
                )
        for user in (self.client_a_buyer, self.client_a_member, self.director, self.client_b_admin):
            self._assert_refused(
                lambda u=user: subscription.with_user(u).with_context(**FORGED_CONTEXT).action_lbc_cancel(),
                subscription,
                fnames,
            )
        subscription.with_user(self.client_a_admin).with_context(default_lbc_state="expired").action_lbc_cancel()
        self.assertEqual((subscription.lbc_state, subscription.lbc_cancel_date), ("cancelled", today))

    # --- referencing lists -------------------------------------------------------------------------------
    def test_referencing_lists(self):
        Lists = self.env["lbc.referencing.list"]
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            Lists.with_user(self.client_a_member).create({"name": "Mine", "client_id": self.client_a.id})
        with self.assertRaisesRegex(ValidationError, "Give the list a name"), self.env.cr.savepoint():
            Lists.with_user(self.client_a_admin).create({"name": "  ", "client_id": self.client_a.id})
        ref_list = Lists.with_user(self.client_a_admin).create({"name": " Preferred ", "client_id": self.client_a.id})
        self.assertEqual(ref_list.name, "Preferred")
        with self.assertRaisesRegex(ValidationError, "already has a list with this name"), self.env.cr.savepoint():
            Lists.with_user(self.client_a_buyer).create({"name": "Preferred", "client_id": self.client_a.id})
        fnames = ["client_id", "provider_ids", "name"]
        for user in (self.client_a_member, self.director, *self.provider_members, self.client_b_admin):
            self._assert_refused(
                lambda u=user: ref_list.with_user(u).action_add_provider("Provider B"), ref_list, fnames
            )
            self._assert_refused(
                lambda u=user: ref_list.with_user(u).write({"provider_ids": [Command.link(self.provider_b.id)]}),
                ref_list,
                fnames,
            )
        # a list never moves to another client, and holds validated provider companies only
        for user in (self.client_a_admin, self.client_a_buyer):
            self._assert_refused(
                lambda u=user: ref_list.with_user(u).write({"client_id": self.client_b.id}), ref_list, fnames
            )
            for partner in (self.client_b, self.client_a, self.provider_a_consultant.partner_id):
                self._assert_refused(
                    lambda u=user, p=partner: ref_list.with_user(u).write({"provider_ids": [Command.link(p.id)]}),
                    ref_list,
                    fnames,
                )
        for name in ("", "Provider%", "Client B", "provider"):
            self._assert_refused(
                lambda n=name: ref_list.with_user(self.client_a_admin).action_add_provider(n), ref_list, fnames
            )
        self.assertEqual(
            ref_list.with_user(self.client_a_buyer).action_add_provider(" provider b "), self.provider_b.id
        )
        self.assertEqual(ref_list.provider_ids, self.provider_b)
        self._assert_refused(
            lambda: ref_list.with_user(self.client_a_admin).action_remove_provider(self.provider_a.id), ref_list, fnames
        )
        self._assert_refused(
            lambda: ref_list.with_user(self.client_a_member).action_remove_provider(self.provider_b.id),
            ref_list,
            fnames,
        )
        ref_list.with_user(self.client_a_admin).action_remove_provider(self.provider_b.id)
        self.assertFalse(ref_list.provider_ids)

    # --- dashboards ---------------------------------------------------------------------------------------
    def test_dashboard_data(self):
        report = self._approved_report(days=3)
        report.with_user(self.client_a_buyer).action_validate()
        Partner = self.env["res.partner"]
        provider = Partner.with_user(self.provider_a_admin).lbc_dashboard_data(month=START)
        json.dumps(provider)  # what an RPC client gets
        self.assertNotIn("client", provider)
        self.assertEqual(provider["months"][-1], START.isoformat())
        self.assertEqual(provider["provider"]["revenue"][-1], 1950.0)
        self.assertEqual(provider["provider"]["days_per_consultant"], [[self.provider_a_consultant.name, 3.0]])
        self.assertEqual(provider["provider"]["days_total"], 3.0)
        client = Partner.with_user(self.client_a_buyer).lbc_dashboard_data(month=START + timedelta(days=40))
        json.dumps(client)
        self.assertNotIn("provider", client)
        self.assertEqual(client["client"]["spend_per_provider"][0][0], "Provider A")
        self.assertEqual(client["client"]["spend_per_provider"][0][1][-2:], [1950.0, 0.0])
        self.assertEqual((client["client"]["active_missions"], client["client"]["reports_waiting"]), (1, 0))
        other = Partner.with_user(self.client_b_admin).lbc_dashboard_data(month=START)
        self.assertEqual(other["client"]["spend_per_provider"], [])
        self.assertEqual(other["client"]["active_missions"], 0)
        providers, active = self.client_a.with_user(self.client_a_buyer)._lbc_suppliers()
        self.assertEqual((providers, active), (self.provider_a, {self.provider_a.id: 1}))
