"""Workflow integrity of lbc_base, tried by members of the very company concerned.

Every role a member can have (company admin, signatory, tender publisher, buyer, purchasing director and
purchasing approver, CRA approver, sales manager, consultant, a member without company) tries to move the
company's validation, the account lifecycle, company roles, join requests and the agreement log from outside
their actions: writing the workflow fields, creating in a later state through `default_*` keys, calling the
actions with the context keys the code used to read, moving a record to another parent. Each attempt must be
refused (AccessError or UserError) and leave everything as it was; the legitimate paths still work.
"""

import datetime
import xmlrpc.client

from odoo import fields
from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import LbcBaseCommon, english_website

# context keys the suite's code read before the workflow mixin: they must change nothing
OLD_CONTEXT_KEYS = {
    "lbc_state_change": True,
    "lbc_lifecycle_change": True,
    "lbc_reason_action": "suspend",
    "lbc_lifecycle_action": "death",
    "lbc_cron": True,
    "install_mode": True,
}
COMPANY_WORKFLOW_FIELDS = (
    "lbc_state",
    "lbc_state_reason",
    "lbc_submitted_date",
    "lbc_validated_date",
    "lbc_validated_by_id",
)
LIFECYCLE_FIELDS = (
    "lbc_account_state",
    "lbc_deactivation_date",
    "lbc_deactivation_reason",
    "lbc_deletion_requested_date",
    "lbc_suspension_date",
    "lbc_suspension_deadline",
    "lbc_suspension_reason",
    "lbc_heirs_court_order",
    "lbc_death_date",
    "lbc_anonymised_date",
)
ROLE_WORKFLOW_FIELDS = (
    "verification_state",
    "verified_by_id",
    "verified_date",
    "refusal_reason",
    "granted_by_id",
    "grant_date",
)
JOIN_WORKFLOW_FIELDS = ("state", "refusal_reason", "decided_by_id", "decision_date")


class WorkflowIntegrityCommon(LbcBaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client_a_signatory = cls._create_member(
            cls.client_a, "client_a_signatory", "project_manager", ["signatory"]
        )
        cls.client_a_publisher = cls._create_member(cls.client_a, "client_a_publisher", "buyer", ["tender_publisher"])
        cls.client_a_director = cls._create_member(
            cls.client_a, "client_a_director", "purchasing_director", ["purchase_approver"]
        )
        cls.client_a_cra_approver = cls._create_member(
            cls.client_a, "client_a_cra_approver", "project_manager", ["cra_approver"]
        )
        cls.provider_a_sales = cls._create_member(cls.provider_a, "provider_a_sales", "sales_manager")
        cls.loner = new_test_user(
            cls.env, "lbc_loner", groups="base.group_portal", name="Lone Member", email="loner@example.com"
        )
        # every role a member can hold in its company (and one without company): the hostile members
        cls.client_actors = {
            "admin": cls.client_a_admin,
            "signatory": cls.client_a_signatory,
            "tender_publisher": cls.client_a_publisher,
            "buyer": cls.client_a_buyer,
            "purchasing_director": cls.client_a_director,
            "cra_approver": cls.client_a_cra_approver,
        }
        cls.provider_actors = {
            "admin": cls.provider_a_admin,
            "sales_manager": cls.provider_a_sales,
            "consultant": cls.provider_a_consultant,
        }

    def _actors(self):
        """(label, user, its company) for every role, the member without company last."""
        for label, user in self.client_actors.items():
            yield f"client {label}", user, self.client_a
        for label, user in self.provider_actors.items():
            yield f"provider {label}", user, self.provider_a
        yield "member without company", self.loner, self.env["res.partner"]

    def _value(self, record, fname):
        """A value a hostile caller would like to write in `fname` (a later state, another user...)."""
        field = record._fields[fname]
        if field.type == "selection":
            keys = [key for key, _label in field._description_selection(self.env) if key != record[fname]]
            preferred = [k for k in ("validated", "verified", "accepted", "active", "deletion") if k in keys]
            return (preferred or keys)[0]
        if field.type == "many2one":
            return self.client_b_admin.id if field.comodel_name == "res.users" else self.client_b.id
        if field.type == "datetime":
            return fields.Datetime.to_string(datetime.datetime(2000, 1, 1))
        if field.type == "date":
            return "2000-01-01"
        if field.type == "boolean":
            return not record[fname]
        return "forged"

    def _snapshot(self, record, fnames):
        return {fname: record[fname] for fname in fnames}

    def assertRefused(self, call, *args, **kwargs):
        """The call is refused with a message, as a business error (never a server error)."""
        # UserError: AccessError is one of them; in a savepoint, on an empty cache (access is checked on fetch)
        with self.assertRaises(UserError) as caught:
            self.env.invalidate_all()
            call(*args, **kwargs)
        self.assertTrue(caught.exception.args and caught.exception.args[0], "a refusal says why")
        return caught.exception


class TestCompanyWorkflowIntegrity(WorkflowIntegrityCommon):
    def test_company_workflow_fields_refused_for_every_role(self):
        attempts = 0
        self.client_a.action_lbc_submit()
        self.provider_a.action_lbc_submit()
        for label, user, company in self._actors():
            targets = company or self.client_a
            for target in targets:
                before = self._snapshot(target, COMPANY_WORKFLOW_FIELDS)
                for fname in COMPANY_WORKFLOW_FIELDS:
                    vals = {fname: self._value(target, fname)}
                    with self.subTest(actor=label, field=fname):
                        self.assertRefused(target.with_user(user).write, vals)
                        self.assertRefused(target.with_user(user).with_context(**OLD_CONTEXT_KEYS).write, vals)
                        self.assertRefused(target.with_user(user).action_lbc_update, vals)
                        attempts += 3
                target.invalidate_recordset()
                self.assertEqual(self._snapshot(target, COMPANY_WORKFLOW_FIELDS), before)
        self.assertGreaterEqual(attempts, 100)

    def test_operator_writes_no_state_either(self):
        """The guard decides on the superuser only: even LBC's own staff go through the actions."""
        self.client_a.action_lbc_submit()
        for fname in COMPANY_WORKFLOW_FIELDS:
            with self.subTest(field=fname):
                error = self.assertRefused(
                    self.client_a.with_user(self.operator).with_context(**OLD_CONTEXT_KEYS).write,
                    {fname: self._value(self.client_a, fname)},
                )
                self.assertIsInstance(error, AccessError)
                self.assertRefused(
                    self.client_a.with_user(self.operator).action_lbc_update, {fname: self._value(self.client_a, fname)}
                )
        self.assertEqual(self.client_a.lbc_state, "submitted")
        # the actions still work
        self.client_a.with_user(self.operator).action_lbc_validate()
        self.assertEqual(self.client_a.lbc_state, "validated")
        self.assertEqual(self.client_a.lbc_validated_by_id, self.operator)

    def test_company_actions_refused_to_members_whatever_the_context(self):
        self.client_a.action_lbc_submit()
        self.provider_a.action_lbc_submit()
        for label, user, company in self._actors():
            for target in company or (self.client_a | self.provider_a):
                record = target.with_user(user).with_context(**OLD_CONTEXT_KEYS)
                with self.subTest(actor=label, company=target.name):
                    self.assertRefused(record.action_lbc_validate)
                    self.assertRefused(record.action_lbc_reject, reason="no")
                    self.assertRefused(record.action_lbc_suspend, reason="no")
                    self.assertRefused(record.action_lbc_reinstate)
                    self.assertRefused(record.action_lbc_open_reason_wizard, "suspend")
                    self.assertRefused(record.action_lbc_open_company_suspend_wizard)
        self.assertEqual((self.client_a | self.provider_a).mapped("lbc_state"), ["submitted", "submitted"])
        self.assertFalse((self.client_a | self.provider_a).lbc_validated_by_id)

    def test_company_created_in_draft_whatever_the_defaults(self):
        forged = {
            "default_lbc_state": "validated",
            "default_lbc_validated_by_id": self.operator.id,
            "default_lbc_validated_date": "2000-01-01 00:00:00",
            "default_lbc_state_reason": "forged",
            "default_lbc_account_state": "suspended",
            "default_lbc_suspension_reason": "forged",
            "default_parent_id": self.client_b.id,
            **OLD_CONTEXT_KEYS,
        }
        Partner = self.env["res.partner"].with_user(self.loner).with_context(**forged)
        company = Partner.browse(
            Partner.lbc_create_company({"name": "Loner SAS", "lbc_is_client": True, "country_id": self.france.id})
        )
        self.assertEqual(company.lbc_state, "draft")
        self.assertFalse(company.lbc_validated_by_id or company.lbc_validated_date or company.lbc_state_reason)
        self.assertEqual(company.lbc_account_state, "active")
        self.assertFalse(company.parent_id, "a member company never hangs under another partner")
        self.assertEqual(self.loner.partner_id.parent_id, company)
        roles = company.lbc_role_ids
        self.assertEqual(roles.mapped("role"), ["admin"])
        self.assertEqual(roles.member_id, self.loner.partner_id)
        self.assertEqual(roles.granted_by_id, self.loner)
        # fields outside the member's are refused at creation too
        for fname in (*COMPANY_WORKFLOW_FIELDS, "parent_id", "lbc_account_state"):
            with self.subTest(field=fname):
                self.assertRefused(
                    self.env["res.partner"].with_user(self.provider_a_sales).lbc_create_company,
                    {"name": "X", "lbc_is_client": True, fname: self._value(company, fname)},
                )

    def test_operator_creates_company_in_draft_only(self):
        Partner = self.env["res.partner"].with_user(self.operator)
        self.assertRefused(
            Partner.create, {"name": "Forged", "is_company": True, "lbc_is_client": True, "lbc_state": "validated"}
        )
        company = Partner.with_context(
            default_lbc_state="validated", default_lbc_validated_by_id=self.operator.id
        ).create({"name": "Backoffice SAS", "is_company": True, "lbc_is_client": True})
        self.assertEqual(company.lbc_state, "draft")
        self.assertFalse(company.lbc_validated_by_id)


class TestMembershipIntegrity(WorkflowIntegrityCommon):
    def test_member_never_moves_itself_to_a_company(self):
        for label, user, company in self._actors():
            partner = user.partner_id
            for target in (self.client_b, self.provider_a, self.client_a):
                if target == company:
                    continue
                with self.subTest(actor=label, target=target.name):
                    self.assertRefused(partner.with_user(user).write, {"parent_id": target.id})
                    self.assertRefused(
                        partner.with_user(user).with_context(**OLD_CONTEXT_KEYS).write, {"parent_id": target.id}
                    )
                    self.assertRefused(user.with_user(user).write, {"parent_id": target.id})
                    self.assertRefused(target.with_user(user).write, {"child_ids": [(4, partner.id)]})
            if company:
                self.assertRefused(partner.with_user(user).write, {"parent_id": False})
            self.assertEqual(partner.parent_id, company)

    def test_membership_moves_only_through_actions_even_for_lbc(self):
        buyer = self.client_a_buyer.partner_id
        operator_env = buyer.with_user(self.operator)
        error = self.assertRefused(operator_env.write, {"parent_id": self.client_b.id})
        self.assertIn("Company", error.args[0])
        self.assertRefused(self.client_b.with_user(self.operator).write, {"child_ids": [(4, buyer.id)]})
        self.assertRefused(self.client_a.with_user(self.operator).write, {"parent_id": self.client_b.id})
        self.assertRefused(self.client_a.with_user(self.operator).write, {"is_company": False})
        self.assertRefused(self.client_a.with_user(self.operator).action_lbc_update, {"parent_id": self.client_b.id})
        self.assertEqual(buyer.parent_id, self.client_a)
        self.assertFalse(self.client_a.parent_id)
        self.assertTrue(self.client_a.is_company)
        # LBC's action does it
        buyer.with_user(self.operator).action_lbc_attach_company(self.client_b.id)
        self.assertEqual(buyer.parent_id, self.client_b)
        # plain contacts (not LBC's) stay Odoo's business
        contact = self.env["res.partner"].create({"name": "Plain contact"})
        plain_company = self.env["res.partner"].create({"name": "Plain company", "is_company": True})
        contact.with_user(self.operator).write({"parent_id": plain_company.id})
        self.assertEqual(contact.parent_id, plain_company)

    def test_member_lifecycle_fields_refused_for_every_role(self):
        attempts = 0
        for label, user, _company in self._actors():
            for target in (user.partner_id, self.client_a_buyer.partner_id):
                before = self._snapshot(target, LIFECYCLE_FIELDS)
                for fname in LIFECYCLE_FIELDS:
                    vals = {fname: self._value(target, fname)}
                    with self.subTest(actor=label, member=target.name, field=fname):
                        self.assertRefused(target.with_user(user).with_context(**OLD_CONTEXT_KEYS).write, vals)
                        self.assertRefused(target.with_user(user).action_lbc_update_privacy, vals)
                        attempts += 2
                if target == user.partner_id:
                    self.assertRefused(user.with_user(user).write, {"lbc_account_state": "active"})
                target.invalidate_recordset()
                self.assertEqual(self._snapshot(target, LIFECYCLE_FIELDS), before)
        self.assertGreaterEqual(attempts, 300)

    def test_lifecycle_actions_refused_to_members_whatever_the_context(self):
        victim = self.client_a_buyer.partner_id
        for label, user, _company in self._actors():
            with self.subTest(actor=label):
                for target in (user.partner_id, victim):
                    record = target.with_user(user).with_context(**OLD_CONTEXT_KEYS)
                    self.assertRefused(record.action_lbc_suspend_member, reason="spam", notice=False)
                    self.assertRefused(record.action_lbc_lift_member_suspension)
                    self.assertRefused(record.action_lbc_terminate_member, reason="x")
                    self.assertRefused(record.action_lbc_record_death)
                    self.assertRefused(record.action_lbc_anonymise)
                    self.assertRefused(record.action_lbc_open_lifecycle_wizard, "death")
                    self.assertRefused(record.action_lbc_open_death_wizard)
                    self.assertRefused(record.action_lbc_export_personal_data)
        self.assertEqual(victim.lbc_account_state, "active")
        # a suspended member does not lift its own suspension, whatever the context
        victim.with_user(self.operator).action_lbc_suspend_member(reason="spam", notice=False)
        record = victim.with_user(self.client_a_buyer).with_context(**OLD_CONTEXT_KEYS)
        self.assertRefused(record.action_lbc_lift_member_suspension)
        self.assertRefused(record.action_lbc_reactivate)
        self.assertRefused(record.write, {"lbc_account_state": "active"})
        self.assertEqual(victim.lbc_account_state, "suspended")

    def test_terminated_member_does_not_reactivate_itself(self):
        member = self.client_a_buyer.partner_id
        member.with_user(self.operator).action_lbc_suspend_member(reason="fraud", notice=False)
        member.with_user(self.operator).action_lbc_terminate_member(reason="fraud")
        self.assertEqual(member.lbc_deactivation_reason, "termination")
        self.assertRefused(member.with_user(self.client_a_buyer).with_context(**OLD_CONTEXT_KEYS).action_lbc_reactivate)
        self.assertEqual(member.lbc_account_state, "deactivated")

    def test_profile_type_is_the_members_own_choice(self):
        buyer = self.client_a_buyer.partner_id
        buyer.with_user(self.client_a_buyer).action_lbc_set_profile_type("project_manager")
        self.assertEqual(buyer.lbc_profile_type, "project_manager")
        self.assertRefused(buyer.with_user(self.client_a_admin).action_lbc_set_profile_type, "purchasing_director")
        self.assertRefused(buyer.with_user(self.client_a_buyer).action_lbc_set_profile_type, "king")
        self.assertEqual(buyer.lbc_profile_type, "project_manager")
        # choosing the purchasing director profile gives no authority: that is the purchasing approver role
        buyer.with_user(self.client_a_buyer).action_lbc_set_profile_type("purchasing_director")
        self.assertFalse(self.client_a_buyer._lbc_has_role("purchase_approver"))


class TestCompanyRoleIntegrity(WorkflowIntegrityCommon):
    def test_nobody_grants_itself_authority(self):
        for label, user, company in self._actors():
            partner = user.partner_id.with_user(user).with_context(**OLD_CONTEXT_KEYS)
            for role in ("admin", "tender_publisher", "cra_approver", "purchase_approver"):
                if company and user._lbc_has_role(role, company):
                    continue
                with self.subTest(actor=label, role=role):
                    self.assertRefused(partner.action_lbc_grant_role, role)
                    self.assertFalse(user._lbc_has_role(role))
        # the admin grants them to others; the grant is signed with the admin's name
        self.client_a_buyer.partner_id.with_user(self.client_a_admin).action_lbc_grant_role("purchase_approver")
        role = self.client_a.lbc_role_ids.filtered(
            lambda r: r.role == "purchase_approver" and r.member_id == self.client_a_buyer.partner_id
        )
        self.assertEqual(role.granted_by_id, self.client_a_admin)
        self.assertTrue(self.client_a_buyer._lbc_has_role("purchase_approver"))

    def test_grant_ignores_forged_defaults(self):
        forged = {
            "default_verification_state": "verified",
            "default_verified_by_id": self.operator.id,
            "default_granted_by_id": self.operator.id,
            "default_grant_date": "2000-01-01 00:00:00",
            "default_member_company_id": self.client_b.id,
            **OLD_CONTEXT_KEYS,
        }
        # a freelancer-like admin names itself signatory: LBC still has to verify it
        self.client_a_admin.partner_id.with_user(self.client_a_admin).with_context(**forged).action_lbc_grant_role(
            "signatory"
        )
        role = self.client_a.lbc_role_ids.filtered(
            lambda r: r.role == "signatory" and r.member_id == self.client_a_admin.partner_id
        )
        self.assertEqual(role.verification_state, "to_verify")
        self.assertFalse(role.verified_by_id)
        self.assertEqual(role.granted_by_id, self.client_a_admin)
        self.assertEqual(role.member_company_id, self.client_a)
        self.assertGreater(role.grant_date, datetime.datetime(2001, 1, 1))
        self.assertFalse(self.client_a_admin._lbc_has_role("signatory", verified=True))

    def test_role_fields_refused_for_every_role(self):
        attempts = 0
        roles = (self.client_a | self.provider_a).lbc_role_ids
        for label, user, _company in self._actors():
            for role in roles:
                before = self._snapshot(role, (*ROLE_WORKFLOW_FIELDS, "role", "member_id", "member_company_id"))
                with self.subTest(actor=label, role=role.role):
                    for fname in (*ROLE_WORKFLOW_FIELDS, "role", "member_id", "member_company_id", "active"):
                        value = self._value(role, fname)
                        if fname == "member_id":
                            value = self.client_b_admin.partner_id.id
                        if fname == "role":
                            value = "admin" if role.role != "admin" else "signatory"
                        self.assertRefused(role.with_user(user).with_context(**OLD_CONTEXT_KEYS).write, {fname: value})
                        attempts += 1
                    record = role.with_user(user).with_context(**OLD_CONTEXT_KEYS)
                    self.assertRefused(record.action_verify)
                    self.assertRefused(record.action_refuse, reason="no")
                    attempts += 2
                role.invalidate_recordset()
                self.assertEqual(
                    self._snapshot(role, (*ROLE_WORKFLOW_FIELDS, "role", "member_id", "member_company_id")), before
                )
            with self.subTest(actor=label, create=True):
                company = _company or self.client_a
                self.assertRefused(
                    self.env["lbc.company.role"]
                    .with_user(user)
                    .with_context(default_verification_state="verified")
                    .create,
                    {"member_id": user.partner_id.id, "member_company_id": company.id, "role": "admin"},
                )
        self.assertGreaterEqual(attempts, 100)

    def test_operator_goes_through_actions(self):
        Role = self.env["lbc.company.role"].with_user(self.operator)
        signatory = self.client_a.lbc_role_ids.filtered(lambda r: r.role == "signatory")
        for fname in ROLE_WORKFLOW_FIELDS:
            with self.subTest(field=fname):
                self.assertRefused(signatory.with_user(self.operator).write, {fname: self._value(signatory, fname)})
                self.assertRefused(
                    Role.create,
                    {
                        "member_id": self.client_a_buyer.partner_id.id,
                        "member_company_id": self.client_a.id,
                        "role": "signatory",
                        fname: self._value(signatory, fname),
                    },
                )
        self.assertRefused(signatory.with_user(self.operator).write, {"member_id": self.client_a_buyer.partner_id.id})
        self.assertRefused(signatory.with_user(self.operator).write, {"role": "admin"})
        # a role created with forged defaults starts to be verified, granted by its creator
        role = Role.with_context(
            default_verification_state="verified", default_granted_by_id=self.client_a_admin.id
        ).create(
            {"member_id": self.client_a_buyer.partner_id.id, "member_company_id": self.client_a.id, "role": "signatory"}
        )
        self.assertEqual(role.verification_state, "to_verify")
        self.assertEqual(role.granted_by_id, self.operator)
        # the verification action still works, and freezes the proof
        role.proof_attachment_ids = [(0, 0, {"name": "kbis.pdf", "raw": b"%PDF-1.4 kbis"})]
        role.with_user(self.compliance_officer).action_verify()
        self.assertEqual(role.verification_state, "verified")
        self.assertRefused(role.with_user(self.operator).write, {"proof_attachment_ids": [(5, 0, 0)]})
        self.assertTrue(role.proof_attachment_ids)

    def test_revoke_only_by_admin(self):
        role = self.client_a.lbc_role_ids.filtered(lambda r: r.role == "tender_publisher")
        for label, user, _company in self._actors():
            if label == "client admin":
                continue
            with self.subTest(actor=label):
                self.assertRefused(role.with_user(user).with_context(**OLD_CONTEXT_KEYS).action_revoke)
        self.assertTrue(role.active)
        role.with_user(self.client_a_admin).action_revoke()
        self.assertFalse(role.active)


class TestJoinRequestIntegrity(WorkflowIntegrityCommon):
    def _request(self, user=None, company=None, **context):
        user = user or self.loner
        Partner = self.env["res.partner"].with_user(user).with_context(**context)
        return self.env["lbc.join.request"].browse(Partner.action_lbc_request_join((company or self.client_a).id))

    def test_request_created_pending_whatever_the_defaults(self):
        request = self._request(
            default_state="accepted",
            default_decided_by_id=self.client_a_admin.id,
            default_decision_date="2000-01-01 00:00:00",
            default_member_company_id=self.client_b.id,
            **OLD_CONTEXT_KEYS,
        )
        self.assertEqual(request.state, "pending")
        self.assertFalse(request.decided_by_id or request.decision_date)
        self.assertEqual(request.member_company_id, self.client_a)
        self.assertEqual(request.member_id, self.loner.partner_id)
        self.assertFalse(self.loner.partner_id.parent_id)
        self.assertRefused(
            self.env["lbc.join.request"].with_user(self.loner).create,
            {"member_id": self.loner.partner_id.id, "member_company_id": self.client_a.id},
        )

    def test_only_the_company_admin_answers(self):
        request = self._request()
        self.assertRefused(request.with_user(self.loner).with_context(**OLD_CONTEXT_KEYS).action_accept)
        for label, user, _company in self._actors():
            if label == "client admin":
                continue
            with self.subTest(actor=label):
                record = request.with_user(user).with_context(**OLD_CONTEXT_KEYS)
                self.assertRefused(record.action_accept)
                self.assertRefused(record.action_refuse, reason="no")
                for fname in JOIN_WORKFLOW_FIELDS:
                    self.assertRefused(record.write, {fname: self._value(request, fname)})
                self.assertRefused(record.write, {"member_company_id": self.client_b.id})
                self.assertRefused(record.write, {"member_id": self.client_a_buyer.partner_id.id})
        # LBC's staff write no decision either: only the actions do
        for fname in JOIN_WORKFLOW_FIELDS:
            self.assertRefused(request.with_user(self.operator).write, {fname: self._value(request, fname)})
        self.assertRefused(request.with_user(self.operator).write, {"member_company_id": self.client_b.id})
        self.assertEqual(request.state, "pending")
        self.assertFalse(self.loner.partner_id.parent_id)
        request.with_user(self.client_a_admin).action_accept()
        self.assertEqual(request.state, "accepted")
        self.assertEqual(request.decided_by_id, self.client_a_admin)
        self.assertEqual(self.loner.partner_id.parent_id, self.client_a)

    def test_requester_cannot_answer_even_as_admin_elsewhere(self):
        """An admin of its company who asks to join another one answers nothing there."""
        request = self._request(user=self.client_b_admin, company=self.client_a)
        error = self.assertRefused(request.with_user(self.client_b_admin).action_accept)
        self.assertIsInstance(error, AccessError)
        self.assertEqual(request.state, "pending")
        # only the requester cancels
        self.assertRefused(request.with_user(self.client_a_buyer).action_cancel)
        request.with_user(self.client_b_admin).action_cancel()
        self.assertEqual(request.state, "cancelled")


class TestAgreementIntegrity(WorkflowIntegrityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Agreement = cls.env["lbc.agreement"]
        cls.terms = Agreement._lbc_current("terms") or Agreement.create(
            {"name": "Terms", "kind": "terms", "version": 999, "date": "2000-01-01", "body": "<p>Terms</p>"}
        )
        cls.client_main = Agreement._lbc_current("client_main") or Agreement.create(
            {"name": "Main", "kind": "client_main", "version": 999, "date": "2000-01-01", "body": "<p>Main</p>"}
        )

    def test_acceptance_log_written_only_by_accepting(self):
        forged = {
            "default_accepted_at": "2000-01-01 00:00:00",
            "default_user_id": self.client_b_admin.id,
            "default_ip_address": "6.6.6.6",
            **OLD_CONTEXT_KEYS,
        }
        acceptance = self.env["lbc.agreement.acceptance"].browse(
            self.client_main.with_user(self.client_a_admin).with_context(**forged).action_accept()
        )
        self.assertEqual(acceptance.user_id, self.client_a_admin)
        self.assertEqual(acceptance.member_company_id, self.client_a)
        self.assertGreater(acceptance.accepted_at, datetime.datetime(2001, 1, 1))
        self.assertNotEqual(acceptance.ip_address, "6.6.6.6")
        for label, user, _company in self._actors():
            with self.subTest(actor=label):
                self.assertRefused(acceptance.with_user(user).write, {"accepted_at": "2000-01-01 00:00:00"})
                self.assertRefused(
                    self.env["lbc.agreement.acceptance"].with_user(user).create,
                    {
                        "agreement_id": self.client_main.id,
                        "user_id": user.id,
                        "partner_id": user.partner_id.id,
                        "member_company_id": self.client_b.id,
                    },
                )
        self.assertRefused(acceptance.with_user(self.operator).write, {"member_company_id": self.client_b.id})
        self.assertEqual(acceptance.member_company_id, self.client_a)

    def test_contract_accepted_by_admin_or_signatory_only(self):
        for label in ("buyer", "tender_publisher", "purchasing_director", "cra_approver"):
            with self.subTest(actor=label):
                user = self.client_actors[label]
                self.assertRefused(self.client_main.with_user(user).with_context(**OLD_CONTEXT_KEYS).action_accept)
        self.assertFalse(self.client_a.lbc_has_accepted("client_main"))
        # the signatory binds the company once LBC verified its capacity
        self.assertRefused(self.client_main.with_user(self.client_a_signatory).action_accept)
        role = self.client_a.lbc_role_ids.filtered(lambda r: r.member_id == self.client_a_signatory.partner_id)
        role.proof_attachment_ids = [(0, 0, {"name": "kbis.pdf", "raw": b"%PDF-1.4 kbis"})]
        role.with_user(self.compliance_officer).action_verify()
        self.client_main.with_user(self.client_a_signatory).action_accept()
        self.assertTrue(self.client_a.lbc_has_accepted("client_main"))
        self.assertFalse(self.client_b.lbc_has_accepted("client_main"), "for the accepting user's company only")


class TestIdentityIntegrity(WorkflowIntegrityCommon):
    def test_member_keeps_its_login_and_email(self):
        for label, user, _company in self._actors():
            with self.subTest(actor=label):
                me = user.with_user(user)
                self.assertRefused(me.write, {"email": "someone.else@example.com"})
                self.assertRefused(me.write, {"login": "someone.else@example.com"})
                self.assertRefused(user.partner_id.with_user(user).write, {"email": "someone.else@example.com"})
                user.invalidate_recordset()
                self.assertNotEqual(user.email, "someone.else@example.com")
                self.assertNotEqual(user.login, "someone.else@example.com")
                # the rest of its preferences stays its own
                me.write({"tz": "Europe/Paris", "email": user.email})
                self.assertEqual(user.tz, "Europe/Paris")
        # LBC's staff keep Odoo's preferences
        self.operator.with_user(self.operator).write({"email": "new.operator@lbc.example"})
        self.assertEqual(self.operator.email, "new.operator@lbc.example")


# post_install: with lbc_portal's auth_oauth installed, the OAuth channel is checked too
@tagged("post_install", "-at_install")
class TestClosedAccountChannels(WorkflowIntegrityCommon):
    def _key(self, user):
        return (
            self.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate(None, "integration", fields.Datetime.now() + datetime.timedelta(days=1))
        )

    def _password_ok(self, user, password):
        credential = {"login": user.login, "password": password, "type": "password"}
        try:
            user.with_user(user).sudo()._check_credentials(credential, {"interactive": False})
        except AccessDenied:
            return False
        return True

    def test_closed_accounts_lose_every_channel(self):
        member = self.client_a_buyer
        key = self._key(member)
        Apikeys = self.env["res.users.apikeys"]
        oauth = "oauth_uid" in self.env["res.users"]._fields
        if oauth:
            member.write({"oauth_uid": "linkedin-buyer", "oauth_access_token": "oauth-token-buyer"})
        self.assertEqual(Apikeys._check_credentials(scope="rpc", key=key), member.id)
        self.assertTrue(self._password_ok(member, member.login))
        self.assertTrue(self._password_ok(member, key), "an API key works as an RPC password")
        token = member._compute_session_token("sid")
        closings = (
            lambda: member.partner_id.with_user(self.operator).action_lbc_suspend_member(reason="x", notice=False),
            lambda: member.partner_id.with_user(self.operator).action_lbc_terminate_member(reason="x"),
            lambda: member.partner_id.with_user(self.operator).action_lbc_anonymise(),
        )
        for close in closings:
            close()
            state = member.partner_id.lbc_account_state
            with self.subTest(state=state):
                self.assertFalse(Apikeys._check_credentials(scope="rpc", key=key), "API key / JSON-2 bearer")
                self.assertFalse(self._password_ok(member, member.login), "password")
                self.assertFalse(self._password_ok(member, key), "API key as RPC password")
                self.assertNotEqual(member._compute_session_token("sid"), token, "web sessions end")
                if oauth and state != "anonymised":
                    credential = {"login": member.login, "token": "oauth-token-buyer", "type": "oauth_token"}
                    with self.assertRaises(AccessDenied):
                        member.with_user(member).sudo()._check_credentials(credential, {"interactive": True})

    def test_other_members_keep_their_channels(self):
        key = self._key(self.client_a_admin)
        self.client_a_buyer.partner_id.with_user(self.operator).action_lbc_suspend_member(reason="x", notice=False)
        self.assertEqual(self.env["res.users.apikeys"]._check_credentials(scope="rpc", key=key), self.client_a_admin.id)
        self.assertTrue(self._password_ok(self.client_a_admin, self.client_a_admin.login))


@tagged("post_install", "-at_install")
class TestClosedAccountChannelsHttp(HttpCase):
    """Over the wire: XML-RPC with the password or an API key, JSON-2 with the key as bearer, the web session."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        english_website(cls.env)
        cls.member = new_test_user(
            cls.env, "lbc_channels_member", groups="base.group_portal", name="Channels Member", email="ch@example.com"
        )
        cls.operator = new_test_user(cls.env, "lbc_channels_operator", groups="lbc_base.group_operator")
        cls.key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.member)
            .sudo()
            ._generate(None, "integration", fields.Datetime.now() + datetime.timedelta(days=1))
        )

    @mute_logger("odoo.addons.rpc.controllers.xmlrpc")  # XML-RPC is deprecated in Odoo 19, still served
    def _xmlrpc(self, password):
        db = self.env.cr.dbname
        try:
            uid = self.xmlrpc_common.authenticate(db, self.member.login, password, {})
            if not uid:
                return False
            return bool(self.xmlrpc_object.execute_kw(db, uid, password, "res.users", "context_get", []))
        except xmlrpc.client.Fault:
            return False

    def _json2(self):
        response = self.url_open(
            "/json/2/res.users/context_get",
            data="{}",
            headers={
                "Authorization": f"Bearer {self.key}",
                "Content-Type": "application/json",
                "X-Odoo-Database": self.env.cr.dbname,
            },
        )
        return response.status_code

    def test_suspended_member_loses_rpc_api_keys_and_sessions(self):
        self.assertTrue(self._xmlrpc(self.member.login), "password RPC")
        self.assertTrue(self._xmlrpc(self.key), "API key RPC")
        self.assertEqual(self._json2(), 200, "JSON-2 with the API key")
        self.authenticate(self.member.login, self.member.login)
        self.assertEqual(self.url_open("/my", allow_redirects=False).status_code, 200)

        self.member.partner_id.with_user(self.operator).action_lbc_suspend_member(reason="Spam", notice=False)

        self.assertFalse(self._xmlrpc(self.member.login), "password RPC refused")
        self.assertFalse(self._xmlrpc(self.key), "API key RPC refused")
        self.assertEqual(self._json2(), 401, "JSON-2 refused")
        response = self.url_open("/my", allow_redirects=False)
        self.assertEqual(response.status_code, 303, "the web session ended")
        self.assertIn("/web/login", response.headers["Location"])
        with self.assertRaises(AccessDenied):
            self.authenticate(self.member.login, self.member.login)

    def test_my_account_form_keeps_the_email(self):
        partner = self.member.partner_id
        france = self.env.ref("base.fr")
        partner.write({"street": "1 rue de Test", "city": "Paris", "zip": "75001", "country_id": france.id})
        self.authenticate(self.member.login, self.member.login)
        form = {
            "partner_id": str(partner.id),
            "name": partner.name,
            "email": partner.email,
            "phone": "+33 1 00 00 00 00",
            "street": "1 rue de Test",
            "city": "Paris",
            "zip": "75001",
            "country_id": str(france.id),
            "use_delivery_as_billing": "true",
        }
        response = self.url_open(
            "/my/address/submit", data={**form, "email": "other@example.com", "csrf_token": Request.csrf_token(self)}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("email", response.json().get("invalid_fields", []))
        partner.invalidate_recordset()
        self.assertEqual(partner.email, "ch@example.com")
        self.assertFalse(partner.phone, "nothing of the refused form is stored")
        # the same form without the e-mail change is saved
        response = self.url_open("/my/address/submit", data={**form, "csrf_token": Request.csrf_token(self)})
        self.assertIn("redirectUrl", response.json())
        partner.invalidate_recordset()
        self.assertEqual(partner.phone, "+33 1 00 00 00 00")

    def test_odoo_account_deletion_goes_through_lbc_lifecycle(self):
        self.authenticate(self.member.login, self.member.login)
        response = self.url_open(
            "/my/deactivate_account",
            data={
                "validation": self.member.login,
                "password": self.member.login,
                "csrf_token": Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.member.invalidate_recordset()
        self.assertTrue(self.member.active)
        self.assertEqual(self.member.login, "lbc_channels_member")
        self.assertEqual(self.member.partner_id.lbc_account_state, "active")
