"""Same-company escalation matrix of tenders, bids and missions: every role a member can hold in the
companies concerned tries to move a workflow it does not own (writes of workflow fields, creation in a later
state, public actions under the context keys the code used to read, moving a child to another parent).
Nothing may succeed; every refusal is a UserError (AccessError, ValidationError) with a message."""

import base64
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tests import new_test_user

from .common import PDF, LbcTenderCommon

# every context key the code read once to let a state or a right through, and defaults of later states
HOSTILE_CONTEXTS = (
    {},
    {"lbc_tender_state_change": True, "lbc_bid_state_change": True, "lbc_mission_state_change": True},
    {"lbc_cron": True, "lbc_state_change": True, "lbc_operator": True},
)


class LbcTenderIntegrityCommon(LbcTenderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client_a_plain_buyer = cls._create_member(cls.client_a, "client_a_plain_buyer", "buyer")
        cls.provider_a_sales = cls._create_member(cls.provider_a, "provider_a_sales", "sales_manager")
        cls.loner = new_test_user(
            cls.env, "lbc_loner", groups="base.group_portal", name="Loner", email="loner@example.com"
        )
        cls.client_roles = {
            "client admin": cls.client_a_admin,
            "tender publisher": cls.client_a_buyer,
            "buyer": cls.client_a_plain_buyer,
        }
        cls.provider_roles = {
            "provider admin": cls.provider_a_admin,
            "sales manager": cls.provider_a_sales,
            "consultant": cls.provider_a_consultant,
        }
        cls.all_roles = {**cls.client_roles, **cls.provider_roles, "member without company": cls.loner}

    def setUp(self):
        super().setUp()
        self.attempts = 0

    def _refused(self, label, attempt, records=None):
        """Run `attempt`; it must raise a UserError (or subclass) with a message and change nothing."""
        self.attempts += 1
        before = records and records.sudo().read(["state"])
        with self.subTest(label), self.assertRaises(UserError, msg=f"{label}: not refused") as caught:
            with self.env.cr.savepoint():
                attempt()
                self.env.flush_all()
        self.assertTrue(str(caught.exception.args[0]).strip(), f"{label}: refused without a message")
        self.env.invalidate_all()
        if records:
            self.assertEqual(records.sudo().read(["state"]), before, f"{label}: the state moved")

    def _contexts(self, record, user):
        for context in HOSTILE_CONTEXTS:
            yield context, record.with_user(user).with_context(**context)


class TestTenderIntegrity(LbcTenderIntegrityCommon):
    def test_tender_workflow_fields_refused_to_every_role(self):
        draft = self.env["lbc.tender"].with_user(self.client_a_buyer).create(self._tender_vals(name="Draft"))
        published = self._published_tender(name="Published")
        bid = self._bid(published, self.provider_a_admin)
        values = {
            "state": "awarded",
            "reference": "AO/FAKE",
            "author_id": self.client_a_admin.id,
            "published_date": fields.Datetime.now(),
            "awarded_bid_id": bid.id,
            "cancel_reason": "forged",
            "digest_partner_ids": [Command.link(self.provider_b.id)],
            "client_id": self.client_b.id,
        }
        # frozen once published: the deadline, the sealing, the amounts
        frozen = {
            "deadline": fields.Datetime.now() + timedelta(days=1),
            "sealed": False,
            "max_daily_rate": 100,
            "date_start": published.date_start + timedelta(days=1),
        }
        for role, user in self.all_roles.items():
            for tender in draft | published:
                for fname, value in values.items():
                    for context, hostile in self._contexts(tender, user):
                        self._refused(
                            f"{role} writes {fname} of {tender.name} under {context}",
                            lambda hostile=hostile, fname=fname, value=value: hostile.write({fname: value}),
                            tender,
                        )
            for fname, value in frozen.items():
                self._refused(
                    f"{role} writes {fname} of the published tender",
                    lambda user=user, fname=fname, value=value: published.with_user(user).write({fname: value}),
                    published,
                )
        self.assertEqual(published.deadline > fields.Datetime.now(), True)
        self.assertTrue(published.sealed)
        self.assertEqual(draft.client_id, self.client_a)
        self.assertFalse(published.awarded_bid_id)
        self.assertGreater(self.attempts, 300)

    def test_tender_created_in_first_state_only(self):
        Tender = self.env["lbc.tender"]
        for role, user in self.all_roles.items():
            # a workflow field in the values: refused
            for fname, value in (("state", "published"), ("published_date", fields.Datetime.now())):
                self._refused(
                    f"{role} creates a tender with {fname}",
                    lambda user=user, fname=fname, value=value: Tender.with_user(user).create(
                        self._tender_vals(**{fname: value})
                    ),
                )
            # through default_* context keys: dropped, the tender is a draft (or the member may not create)
            hostile = Tender.with_user(user).with_context(
                default_state="published",
                default_published_date=fields.Datetime.now(),
                default_reference="AO/FAKE",
                lbc_tender_state_change=True,
            )
            try:
                with self.env.cr.savepoint():
                    tender = hostile.create(self._tender_vals(name=f"Default {role}"))
                    self.env.flush_all()
            except UserError:
                self.assertNotIn(role, self.client_roles, f"{role} of the client may create a draft tender")
                continue
            self.assertIn(role, self.client_roles)
            self.assertEqual(tender.sudo().state, "draft", role)
            self.assertFalse(tender.sudo().published_date, role)
            self.assertNotEqual(tender.sudo().reference, "AO/FAKE", role)

    def test_unvalidated_or_foreign_company_never_publishes(self):
        company = self._create_company("Client Unvalidated", client=True)
        admin = self._create_member(company, "client_u_admin", "project_manager", ["admin", "tender_publisher"])
        tender = self.env["lbc.tender"].with_user(admin).create(self._tender_vals(client_id=company.id))
        for context in HOSTILE_CONTEXTS:
            self._refused(
                f"unvalidated client publishes under {context}",
                lambda context=context: tender.with_user(admin).with_context(**context).action_publish(),
                tender,
            )
            self._refused(
                f"unvalidated client creates a published tender under {context}",
                lambda context=context: (
                    self.env["lbc.tender"]
                    .with_user(admin)
                    .with_context(**context)
                    .create(self._tender_vals(client_id=company.id, state="published"))
                ),
            )
        self.assertEqual(tender.state, "draft")
        # a provider company or a member without company calls for no tender
        for user, client in ((self.provider_a_admin, self.provider_a), (self.loner, self.loner.partner_id)):
            self._refused(
                f"{user.name} creates a tender for {client.name}",
                lambda user=user, client=client: (
                    self.env["lbc.tender"].with_user(user).create(self._tender_vals(client_id=client.id))
                ),
            )

    def test_tender_actions_need_a_publisher(self):
        for role, user in self.all_roles.items():
            if role in ("client admin", "tender publisher"):
                continue
            draft = self.env["lbc.tender"].with_user(self.client_a_buyer).create(self._tender_vals())
            published = self._published_tender()
            for context, _hostile in self._contexts(draft, user):
                self._refused(
                    f"{role} publishes under {context}",
                    lambda user=user, context=context, draft=draft: (
                        draft.with_user(user).with_context(**context).action_publish()
                    ),
                    draft,
                )
                for action in ("action_close", "action_cancel"):
                    self._refused(
                        f"{role} {action} under {context}",
                        lambda user=user, context=context, action=action, published=published: getattr(
                            published.with_user(user).with_context(**context), action
                        )(),
                        published,
                    )
                self._refused(
                    f"{role} reopens under {context}",
                    lambda user=user, context=context, published=published: (
                        published.with_user(user)
                        .with_context(**context)
                        .action_reopen(fields.Datetime.now() + timedelta(days=3))
                    ),
                    published,
                )


class TestBidIntegrity(LbcTenderIntegrityCommon):
    def test_bid_workflow_fields_refused_to_every_role(self):
        tender = self._published_tender(sealed=False)
        other = self._published_tender(name="Other tender", sealed=False)
        bid = self._bid(tender, self.provider_a_admin)
        draft = self._bid(other, self.provider_a_admin, submit=False)
        values = {
            "state": "approved",
            "author_id": self.provider_a_consultant.id,
            "submitted_date": fields.Datetime.now(),
            "rejection_reason": "forged",
            "client_id": self.client_b.id,
            "score": 100,
            "skills_match": 100,
            "tender_id": other.id,
            "provider_id": self.provider_b.id,
        }
        for role, user in self.all_roles.items():
            for record in bid | draft:
                for fname, value in values.items():
                    for context, hostile in self._contexts(record, user):
                        self._refused(
                            f"{role} writes {fname} of a bid under {context}",
                            lambda hostile=hostile, fname=fname, value=value: hostile.write({fname: value}),
                            record,
                        )
        self.assertEqual((bid.tender_id, bid.provider_id, bid.client_id), (tender, self.provider_a, self.client_a))
        self.assertEqual(draft.tender_id, other)
        self.assertGreater(self.attempts, 300)

    def test_bid_created_in_first_state_only(self):
        tender = self._published_tender()
        Bid = self.env["lbc.tender.bid"]

        def vals(user, **extra):
            return {
                "tender_id": tender.id,
                "provider_id": self.provider_a.id,
                "consultant_id": user.partner_id.id,
                "daily_rate": 600,
                "available_from": tender.date_start,
                "labour_law_ack": True,
                **extra,
            }

        for role, user in self.provider_roles.items():
            for fname, value in (("state", "approved"), ("score", 100.0), ("client_id", self.client_b.id)):
                self._refused(
                    f"{role} creates a bid with {fname}",
                    lambda user=user, fname=fname, value=value: Bid.with_user(user).create(
                        vals(user, **{fname: value})
                    ),
                )
            bid = (
                Bid.with_user(user)
                .with_context(default_state="approved", default_score=100, lbc_bid_state_change=True)
                .create(vals(user))
            )
            self.assertEqual(bid.sudo().state, "draft", role)
            self.assertNotEqual(bid.sudo().score, 100, role)
            bid.sudo().unlink()
        # nobody of the client, nor a member without company, bids for the provider
        for role, user in {**self.client_roles, "member without company": self.loner}.items():
            self._refused(f"{role} bids for Provider A", lambda user=user: Bid.with_user(user).create(vals(user)))
        self._refused(
            "member without company bids as itself",
            lambda: Bid.with_user(self.loner).create(
                vals(self.loner, provider_id=self.loner.partner_id.id, consultant_id=self.loner.partner_id.id)
            ),
        )

    def test_provider_never_selects_or_approves_its_own_bid(self):
        # a company both client and provider: its bid on its own tender is refused
        both = self._create_company("Both Ways", client=True, provider=True)
        both_admin = self._create_member(both, "both_admin", "company_manager", ["admin", "tender_publisher"])
        self._validate(both)
        self.main_contract.with_user(both_admin).action_accept()
        self.framework.with_user(both_admin).action_accept()
        both.with_user(both_admin).action_lbc_acknowledge_labour_law()
        own = self.env["lbc.tender"].with_user(both_admin).create(self._tender_vals(client_id=both.id, sealed=False))
        own.action_publish()
        self._refused(
            "a company bids on its own tender",
            lambda: (
                self.env["lbc.tender.bid"]
                .with_user(both_admin)
                .create(
                    {
                        "tender_id": own.id,
                        "provider_id": both.id,
                        "consultant_id": both_admin.partner_id.id,
                        "daily_rate": 500,
                        "available_from": own.date_start,
                        "labour_law_ack": True,
                    }
                )
            ),
        )
        self.assertFalse(own.sudo().bid_ids)
        # the provider's members on their own bid: no selection, no approval, no contract
        tender = self._published_tender(sealed=False)
        bid = self._bid(tender, self.provider_a_admin)
        for role, user in self.provider_roles.items():
            for context, hostile in self._contexts(bid, user):
                for action in ("action_select", "action_approve", "action_contract"):
                    self._refused(
                        f"{role} {action} its own bid under {context}",
                        lambda hostile=hostile, action=action: getattr(hostile, action)(),
                        bid,
                    )
                self._refused(
                    f"{role} rejects its own bid under {context}",
                    lambda hostile=hostile: hostile.action_reject(reason="self"),
                    bid,
                )
        self.assertEqual(bid.state, "submitted")

    def test_client_never_acts_as_lbc(self):
        tender = self._published_tender(sealed=False)
        bid = self._bid(tender, self.provider_a_admin)
        bid.with_user(self.client_a_buyer).action_select()
        self._make_compliant(self.provider_a)
        self._verify_signatory(self.provider_a)
        for role, user in {**self.client_roles, "member without company": self.loner}.items():
            for context, hostile in self._contexts(bid, user):
                for action in ("action_approve", "action_contract"):
                    self._refused(
                        f"{role} {action} under {context}",
                        lambda hostile=hostile, action=action: getattr(hostile, action)(),
                        bid,
                    )
        bid.with_user(self.operator).action_approve()
        for role, user in self.all_roles.items():
            for context, hostile in self._contexts(bid, user):
                self._refused(
                    f"{role} rejects the approved bid under {context}",
                    lambda hostile=hostile: hostile.action_reject(reason="LBC said no"),
                    bid,
                )
                self._refused(
                    f"{role} contracts under {context}", lambda hostile=hostile: hostile.action_contract(), bid
                )
        self.assertEqual(bid.state, "approved")
        self.assertFalse(bid.mission_id)

    def test_competitor_and_other_roles_cannot_act_on_a_bid(self):
        tender = self._published_tender(sealed=False)
        bid = self._bid(tender, self.provider_a_admin)
        for user in (self.provider_b_admin, self.client_b_admin, self.loner, self.client_a_plain_buyer):
            for context, hostile in self._contexts(bid, user):
                for action in ("action_withdraw", "action_select", "action_submit"):
                    self._refused(
                        f"{user.name} {action} under {context}",
                        lambda hostile=hostile, action=action: getattr(hostile, action)(),
                        bid,
                    )
                self._refused(
                    f"{user.name} attaches a CV under {context}",
                    lambda hostile=hostile: hostile.action_attach_cv("cv.pdf", base64.b64encode(PDF)),
                    bid,
                )
        self.assertFalse(bid.attachment_ids)


class TestMissionIntegrity(LbcTenderIntegrityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tender = cls.env["lbc.tender"].with_user(cls.client_a_buyer).create(cls._tender_vals(sealed=False))
        tender.with_user(cls.client_a_buyer).action_publish()
        bid = (
            cls.env["lbc.tender.bid"]
            .with_user(cls.provider_a_admin)
            .create(
                {
                    "tender_id": tender.id,
                    "provider_id": cls.provider_a.id,
                    "consultant_id": cls.provider_a_consultant.partner_id.id,
                    "daily_rate": 600,
                    "available_from": tender.date_start,
                    "labour_law_ack": True,
                }
            )
        )
        bid.action_submit()
        bid.with_user(cls.client_a_buyer).action_select()
        cls.mission_bid = bid.sudo()

    def test_mission_refused_to_every_member(self):
        self._make_compliant(self.provider_a)
        self._verify_signatory(self.provider_a)
        self.mission_bid.with_user(self.operator).action_approve()
        mission = self.mission_bid.with_user(self.operator).action_contract()
        other_bid = self._bid(self._published_tender(sealed=False), self.provider_b_admin)
        values = {
            "state": "active",
            "name": "M/FAKE",
            "termination_reason": "forged",
            "daily_rate": 1,
            "duration_days": 1,
            "fee_value": 0,
            "bid_id": other_bid.id,
            "client_id": self.client_b.id,
            "provider_id": self.provider_b.id,
            "consultant_id": self.provider_b_admin.partner_id.id,
        }
        for role, user in self.all_roles.items():
            for fname, value in values.items():
                for context, hostile in self._contexts(mission, user):
                    self._refused(
                        f"{role} writes {fname} of the mission under {context}",
                        lambda hostile=hostile, fname=fname, value=value: hostile.write({fname: value}),
                        mission,
                    )
            for context, hostile in self._contexts(mission, user):
                for action in ("action_activate", "action_done"):
                    self._refused(
                        f"{role} {action} under {context}",
                        lambda hostile=hostile, action=action: getattr(hostile, action)(),
                        mission,
                    )
                self._refused(
                    f"{role} terminates under {context}",
                    lambda hostile=hostile: hostile.action_terminate(reason="bye"),
                    mission,
                )
            self._refused(
                f"{role} creates a mission",
                lambda user=user: (
                    self.env["lbc.mission"]
                    .with_user(user)
                    .with_context(default_state="active")
                    .create(
                        {
                            "client_id": self.client_a.id,
                            "provider_id": self.provider_a.id,
                            "consultant_id": self.provider_a_consultant.partner_id.id,
                            "date_start": fields.Date.today(),
                            "date_end": fields.Date.today(),
                            "daily_rate": 1,
                            "fee_mode": "percent",
                            "fee_value": 0,
                        }
                    )
                ),
            )
        self.assertEqual((mission.state, mission.daily_rate, mission.bid_id), ("draft", 600, self.mission_bid))
        # LBC itself changes no workflow field but through the actions
        with self.assertRaisesRegex(AccessError, "only through its actions"):
            mission.with_user(self.operator).write({"state": "active"})
        with self.assertRaisesRegex(AccessError, "cannot be changed once the record exists"):
            mission.with_user(self.operator).write({"bid_id": other_bid.id})
        self.assertGreater(self.attempts, 250)


class TestStuckStates(LbcTenderIntegrityCommon):
    def _approved(self, **tender_vals):
        tender = self._published_tender(sealed=False, **tender_vals)
        bid = self._bid(tender, self.provider_a_admin)
        loser = self._bid(tender, self.provider_b_admin, rate=690)
        bid.with_user(self.client_a_buyer).action_select()
        self._make_compliant(self.provider_a)
        self._verify_signatory(self.provider_a)
        bid.with_user(self.operator).action_approve()
        return tender, bid, loser

    def test_lbc_refuses_the_approved_bid_then_the_client_reopens(self):
        tender, bid, loser = self._approved()
        self.assertEqual((tender.state, tender.awarded_bid_id), ("awarded", bid))
        self.assertEqual(loser.state, "rejected")
        bid.with_user(self.operator).action_reject(reason="The signatory left the company")
        self.assertEqual(bid.state, "rejected")
        self.assertEqual(tender.state, "closed", "the tender is given back to the client")
        self.assertFalse(tender.awarded_bid_id)
        self.assertTrue(tender.message_ids.filtered(lambda m: "LBC refused the approved offer" in (m.body or "")))
        # nobody else reopens it, nor into the past
        for user in (self.client_a_plain_buyer, self.provider_a_admin, self.loner):
            with self.assertRaises(AccessError):
                tender.with_user(user).action_reopen(fields.Datetime.now() + timedelta(days=3))
        with self.assertRaisesRegex(UserError, "in the future"):
            tender.with_user(self.client_a_buyer).action_reopen(fields.Datetime.now() - timedelta(days=1))
        tender.with_user(self.client_a_buyer).action_reopen(tender.deadline + timedelta(days=3))
        self.assertEqual(tender.state, "published")
        self.assertGreater(tender.deadline, fields.Datetime.now())
        # both providers bid again
        again = self._bid(tender, self.provider_b_admin, rate=640)
        self.assertEqual(again.state, "submitted")
        again.with_user(self.client_a_buyer).action_select()
        self.assertEqual((again.state, tender.state), ("selected", "closed"))
        with self.assertRaisesRegex(UserError, "An offer is selected"):
            tender.with_user(self.client_a_buyer).action_reopen(fields.Datetime.now() + timedelta(days=3))

    def test_lbc_refuses_the_approved_bid_then_the_client_cancels(self):
        tender, bid, _loser = self._approved()
        bid.with_user(self.operator).action_reject(reason="Expired documents")
        tender.with_user(self.client_a_buyer).action_cancel(reason="No offer left")
        self.assertEqual(tender.state, "cancelled")

    def test_only_lbc_refuses_an_approved_bid(self):
        tender, bid, _loser = self._approved()
        with self.assertRaisesRegex(UserError, "submitted or selected"):
            bid.with_user(self.client_a_buyer).action_reject(reason="changed my mind")
        self.assertEqual((bid.state, tender.state), ("approved", "awarded"))

    def test_withdrawing_a_selected_bid_closes_lbc_activity(self):
        tender = self._published_tender(sealed=False)
        bid = self._bid(tender, self.provider_a_admin)
        other = self._bid(tender, self.provider_b_admin, rate=690)
        bid.with_user(self.client_a_buyer).action_select()
        self.assertEqual(len(bid.activity_ids), 1)
        bid.with_user(self.provider_a_sales).action_withdraw()
        self.assertEqual(bid.state, "withdrawn")
        self.assertFalse(bid.activity_ids, "LBC has nothing left to approve")
        self.assertFalse(
            self.env["mail.activity"].search([("res_model", "=", "lbc.tender.bid"), ("res_id", "=", bid.id)])
        )
        # the client selects the other offer
        other.with_user(self.client_a_buyer).action_select()
        self.assertEqual(other.state, "selected")


class TestDigest(LbcTenderIntegrityCommon):
    SUBJECT = "New calls for tenders matching your skills"

    def _digests_to(self, provider):
        return self.env["mail.mail"].search(
            [("subject", "=", self.SUBJECT), ("recipient_ids", "in", provider.lbc_admin_partner_ids.ids)]
        )

    def test_each_tender_once_per_provider(self):
        tender = self._published_tender(name="Once only")
        Tender = self.env["lbc.tender"]
        today = fields.Date.today()
        Tender._lbc_send_digests(today=today)
        first = self._digests_to(self.provider_a)
        self.assertEqual(len(first), 1)
        self.assertIn("Once only", first.body_html)
        self.assertIn(self.provider_a, tender.digest_partner_ids)
        # the next day: the tender is still in the window, but was sent already
        Tender._lbc_send_digests(today=today + timedelta(days=1))
        self.assertEqual(self._digests_to(self.provider_a), first, "no second digest with the same tender")
        # a new tender the next day is sent, alone
        self._published_tender(name="Second one")
        self.env["res.partner"].browse((self.provider_a | self.provider_b).ids).write({"lbc_tender_digest_date": today})
        Tender._lbc_send_digests(today=today + timedelta(days=1))
        second = self._digests_to(self.provider_a) - first
        self.assertEqual(len(second), 1)
        self.assertIn("Second one", second.body_html)
        self.assertNotIn("Once only", second.body_html)

    def test_digest_respects_the_audience_hook(self):
        tender = self._published_tender(name="Hidden audience")
        Tender = type(self.env["lbc.tender"])
        provider_a = self.provider_a
        original = Tender._lbc_audience_domain

        def audience(model, provider):
            # as lbc_erp_client does for referencing lists: this tender is meant for Provider B only
            domain = original(model, provider)
            return domain & Domain("id", "!=", tender.id) if provider == provider_a else domain

        self.patch(Tender, "_lbc_audience_domain", audience)
        self.env["lbc.tender"]._lbc_send_digests(today=fields.Date.today())
        self.assertFalse(self._digests_to(self.provider_a))
        self.assertEqual(len(self._digests_to(self.provider_b)), 1)
        self.assertEqual(tender.digest_partner_ids, self.provider_b)


class TestBidCvs(LbcTenderIntegrityCommon):
    def test_cv_content_checked_in_the_model(self):
        tender = self._published_tender()
        bid = self._bid(tender, self.provider_a_admin, submit=False).with_user(self.provider_a_sales)
        with self.assertRaisesRegex(UserError, "is not a PDF, PNG or JPEG"):
            bid.action_attach_cv("cv.txt", base64.b64encode(b"just text"))
        with self.assertRaisesRegex(UserError, "is not a PDF, PNG or JPEG"):
            bid.action_attach_cv("cv.pdf", base64.b64encode(b"<html>%PDF-1.4</html>"))
        with self.assertRaisesRegex(ValidationError, "is larger than"):
            bid.action_attach_cv("big.pdf", base64.b64encode(PDF + b" " * (5 * 1024 * 1024)))
        self.assertFalse(bid.sudo().attachment_ids)
        attachment_id = bid.action_attach_cv("cv.pdf", base64.b64encode(PDF))
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertEqual(bid.sudo().attachment_ids, attachment)
        self.assertEqual((attachment.res_model, attachment.res_id), ("lbc.tender.bid", bid.id))
        # at most five files
        for i in range(4):
            bid.action_attach_cv(f"cv{i}.pdf", base64.b64encode(PDF))
        with self.assertRaisesRegex(ValidationError, "at most 5"):
            bid.action_attach_cv("cv6.pdf", base64.b64encode(PDF))
        # the provider removes a CV
        bid.action_remove_cv(attachment.id)
        self.assertEqual(len(bid.sudo().attachment_ids), 4)
        self.assertFalse(attachment.exists())
        with self.assertRaisesRegex(UserError, "not a CV of the offer"):
            bid.action_remove_cv(self.env["ir.attachment"].create({"name": "x.pdf", "raw": PDF}).id)

    def test_no_foreign_attachment_as_cv(self):
        tender = self._published_tender()
        mine = self._bid(tender, self.provider_a_admin, submit=False)
        theirs = self._bid(tender, self.provider_b_admin, submit=False)
        their_cv = theirs.with_user(self.provider_b_admin).action_attach_cv("secret.pdf", base64.b64encode(PDF))
        stranger = self.env["ir.attachment"].create({"name": "other.pdf", "raw": PDF})
        for attachment_id in (their_cv, stranger.id):
            for command in (Command.link(attachment_id), Command.set([attachment_id])):
                self._refused(
                    f"link attachment {attachment_id}",
                    lambda command=command: mine.with_user(self.provider_a_admin).write({"attachment_ids": [command]}),
                )
        self._refused(
            "create a bid with an attachment",
            lambda: (
                self.env["lbc.tender.bid"]
                .with_user(self.provider_a_sales)
                .create(
                    {
                        "tender_id": self._published_tender(name="Another").id,
                        "provider_id": self.provider_a.id,
                        "consultant_id": self.provider_a_sales.partner_id.id,
                        "daily_rate": 600,
                        "available_from": tender.date_start,
                        "attachment_ids": [Command.link(their_cv)],
                    }
                )
            ),
        )
        self.assertFalse(mine.attachment_ids)

    def test_cv_frozen_once_selected(self):
        tender = self._published_tender(sealed=False)
        bid = self._bid(tender, self.provider_a_admin)
        bid.with_user(self.client_a_buyer).action_select()
        with self.assertRaises(UserError):
            bid.with_user(self.provider_a_admin).action_attach_cv("late.pdf", base64.b64encode(PDF))
        self.assertFalse(bid.attachment_ids)
