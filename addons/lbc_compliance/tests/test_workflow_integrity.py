"""Same-company escalation: the members of the provider concerned (and of the client that works with it)
try to move the vigilance workflow over the ORM, as an RPC client would. Nothing may succeed; every refusal
is a UserError / AccessError with a message; the legitimate path keeps working."""

import base64
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user

from .common import PDF, PNG, LbcComplianceCommon

# every context key the code used to read (or that Odoo applies) to let a workflow field through
HOSTILE_CONTEXT = {
    "lbc_compliance_state_change": True,
    "lbc_verification_method": "urssaf_online",
    "lbc_compliance_date": "2000-01-01",
    "lbc_cron": True,
    "default_state": "verified",
    "default_is_current": False,
    "default_verification_method": "urssaf_online",
    "default_verified_date": "2026-01-01 00:00:00",
    "default_expired_date": "2026-01-01",
    "default_result_note": "forged",
    "default_date_checked": "2026-01-01",
    "default_lbc_compliance_state": "compliant",
    "default_lbc_compliance_issues": False,
}
# the keys internal callers (the daily run) used to pass
INTERNAL_CONTEXT = {"lbc_compliance_state_change": True, "lbc_compliance_date": "2000-01-01", "lbc_cron": True}

DOC_FIELDS = [
    "state",
    "partner_id",
    "type_id",
    "file_name",
    "file_mimetype",
    "file_size",
    "uploaded_by_id",
    "issue_date",
    "expiry_date",
    "urssaf_security_code",
    "verification_method",
    "verified_by_id",
    "verified_date",
    "verification_note",
    "verification_attachment_ids",
    "rejection_reason",
    "rejected_by_id",
    "rejected_date",
    "expired_date",
    "is_current",
    "superseded_by_id",
    "superseded_date",
]
CHECK_FIELDS = [
    "state",
    "partner_id",
    "client_id",
    "res_model",
    "res_id",
    "engagement_name",
    "engagement_date_start",
    "engagement_date_end",
    "sequence",
    "date_due",
    "date_checked",
    "document_ids",
    "result_note",
]


class TestComplianceWorkflowIntegrity(LbcComplianceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider_a_signatory = cls._create_member(
            cls.provider_a, "provider_a_signatory", "company_manager", ["signatory"]
        )
        cls.provider_a_sales = cls._create_member(cls.provider_a, "provider_a_sales", "sales_manager")
        cls.loner = new_test_user(cls.env, "lbc_loner", groups="base.group_portal", name="Lone Member")
        # the members of provider A and of client A, which works with it (and so reads its documents)
        cls.members = {
            "provider admin": cls.provider_a_admin,
            "provider signatory": cls.provider_a_signatory,
            "provider consultant": cls.provider_a_consultant,
            "provider sales manager": cls.provider_a_sales,
            "client admin": cls.client_a_admin,
            "client buyer": cls.client_a_buyer,
            "member without company": cls.loner,
        }
        cls.check = cls.env["lbc.compliance.check"]._lbc_start_engagement(
            cls.provider_a, cls.mission, cls.client_a, cls.today, cls.today + timedelta(days=365)
        )
        cls.other_check = cls.env["lbc.compliance.check"]._lbc_start_engagement(
            cls.provider_b, cls.mission, cls.client_b, cls.today, cls.today + timedelta(days=365)
        )

    def setUp(self):
        super().setUp()
        self.attempts = 0
        upload = self._upload
        self.submitted = upload(self.provider_a, "urssaf", urssaf_code="ABC123DEF456GH7")
        self.verified = upload(self.provider_a, "kbis")
        self.verified.with_user(self.compliance_officer).action_verify(note="Checked.")
        self.rejected = upload(self.provider_a, "tax")
        self.rejected.with_user(self.compliance_officer).action_reject("Unreadable.")
        self.docs = self.submitted | self.verified | self.rejected
        self.other_doc = upload(self.provider_b, "urssaf")
        # the proof an officer attaches while reviewing (its own upload: the officer may read it)
        self.proof = (
            self.env["ir.attachment"].with_user(self.compliance_officer).create({"name": "proof.pdf", "raw": PDF})
        )

    # --- helpers --------------------------------------------------------------------
    def _snapshot(self, records, fnames):
        self.env.invalidate_all()
        return records.sudo().read(fnames)

    def _refused(self, label, call, records, fnames):
        """`call` must raise a UserError (or AccessError) with a message and leave `records` as they were."""
        before = self._snapshot(records, fnames)
        with self.subTest(label):
            self.attempts += 1
            with self.assertRaises(UserError) as caught:
                call()
            self.assertTrue(str(caught.exception).strip(), "a refusal says why")
            self.assertEqual(self._snapshot(records, fnames), before, "nothing changed")

    def _doc_values(self, user):
        """A forged value for every field of a document a member must not set."""
        now = fields.Datetime.now()
        return {
            "state": "verified",
            "verification_method": "urssaf_online",
            "verified_by_id": user.id,
            "verified_date": now,
            "rejected_by_id": user.id,
            "rejected_date": now,
            "rejection_reason": "forged",
            "is_current": False,
            "superseded_by_id": self.other_doc.id,
            "superseded_date": now,
            "expired_date": self.today,
            "verification_note": "forged",
            "verification_attachment_ids": [Command.set(self.proof.ids)],
            "file": base64.b64encode(PNG),
            "file_name": "forged.png",
            "file_mimetype": "image/png",
            "file_size": 1,
            "uploaded_by_id": user.id,
            "issue_date": self.today,
            "urssaf_security_code": "FORGED",
            "partner_id": self.provider_b.id,
            "type_id": self.types["foreign_workers"].id,
        }

    def _check_values(self, user):
        return {
            "state": "passed",
            "date_checked": self.today,
            "document_ids": [Command.set(self.verified.ids)],
            "result_note": "forged",
            "engagement_name": "forged",
            "engagement_date_start": self.today - timedelta(days=400),
            "engagement_date_end": self.today,
            "sequence": 7,
            "date_due": self.today + timedelta(days=999),
            "partner_id": self.provider_b.id,
            "client_id": self.client_b.id,
            "res_model": "res.users",
            "res_id": user.id,
        }

    # --- documents ------------------------------------------------------------------
    def test_members_never_write_documents(self):
        for role, user in self.members.items():
            for doc in self.docs:
                for fname, value in self._doc_values(user).items():
                    self._refused(
                        f"{role} writes {fname} on a {doc.state} document",
                        lambda doc=doc, fname=fname, value=value, user=user: (
                            doc.with_user(user).with_context(**HOSTILE_CONTEXT).write({fname: value})
                        ),
                        doc,
                        DOC_FIELDS,
                    )
        self.assertEqual(self.attempts, 7 * 3 * 22, "every member, every document, every field")

    def test_members_never_create_documents(self):
        vals = {
            "partner_id": self.provider_a.id,
            "type_id": self.types["employee_statement"].id,
            "file": base64.b64encode(PDF),
            "file_name": "statement.pdf",
            "issue_date": self.today,
        }
        for role, user in self.members.items():
            Doc = self.Doc.with_user(user).with_context(**HOSTILE_CONTEXT)
            count = self.Doc.search_count([])
            for label, values in (
                ("plain", vals),
                ("verified", {**vals, "state": "verified", "verified_by_id": user.id}),
                ("not current", {**vals, "is_current": False}),
            ):
                self._refused(
                    f"{role} creates a {label} document", lambda Doc=Doc, v=values: Doc.create(v), self.docs, DOC_FIELDS
                )
            self.assertEqual(self.Doc.search_count([]), count)

    def test_members_never_review_documents(self):
        for role, user in self.members.items():
            for doc in self.docs:
                hostile = doc.with_user(user).with_context(**HOSTILE_CONTEXT)
                for label, call in (
                    ("verifies", lambda r=hostile: r.action_verify()),
                    ("verifies online", lambda r=hostile: r.action_verify("urssaf_online", note="forged")),
                    ("verifies with the button", lambda r=hostile: r.action_verify_urssaf_online()),
                    ("rejects", lambda r=hostile: r.action_reject("forged")),
                ):
                    self._refused(f"{role} {label} a {doc.state} document", call, doc, DOC_FIELDS)
        self.assertEqual(self.attempts, 7 * 3 * 4)

    def test_upload_under_hostile_context(self):
        """Only the company's admin uploads; the context never sets a later state nor another uploader."""
        for role, user in self.members.items():
            if user == self.provider_a_admin:
                continue
            self._refused(
                f"{role} uploads",
                lambda user=user: (
                    self.provider_a.with_user(user)
                    .with_context(**HOSTILE_CONTEXT)
                    .action_lbc_upload_compliance_document(
                        "employee_statement", "s.pdf", base64.b64encode(PDF), self.today
                    )
                ),
                self.docs,
                DOC_FIELDS,
            )
        self.attempts += 1
        doc_id = (
            self.provider_a.with_user(self.provider_a_admin)
            .with_context(**HOSTILE_CONTEXT, default_uploaded_by_id=self.compliance_officer.id)
            .action_lbc_upload_compliance_document("employee_statement", "s.pdf", base64.b64encode(PDF), self.today)
        )
        doc = self.Doc.browse(doc_id)
        self.assertEqual(doc.state, "submitted")
        self.assertTrue(doc.is_current)
        self.assertFalse(doc.verified_by_id or doc.verified_date or doc.verification_method or doc.expired_date)
        self.assertEqual(doc.uploaded_by_id, self.provider_a_admin)
        self.assertEqual(doc.partner_id, self.provider_a)
        # an internal caller already in sudo (Odoo cleans default_* keys only when entering sudo) gets no more
        doc = self.Doc.browse(
            self.provider_a.sudo()
            .with_context(**HOSTILE_CONTEXT)
            .action_lbc_upload_compliance_document("foreign_workers", "w.pdf", base64.b64encode(PDF), self.today)
        )
        self.assertEqual((doc.state, doc.is_current, doc.verification_method), ("submitted", True, False))

    def test_reviewer_is_lbc_and_not_the_uploader(self):
        # LBC uploads on a provider's behalf (the compliance officer is an operator): it does not verify it
        doc_id = self.provider_a.with_user(self.compliance_officer).action_lbc_upload_compliance_document(
            "employee_statement", "s.pdf", base64.b64encode(PDF), self.today
        )
        doc = self.Doc.browse(doc_id)
        self._refused(
            "the uploader verifies", lambda: doc.with_user(self.compliance_officer).action_verify(), doc, DOC_FIELDS
        )
        self._refused(
            "the uploader rejects", lambda: doc.with_user(self.compliance_officer).action_reject("x"), doc, DOC_FIELDS
        )
        self._refused("an operator verifies", lambda: doc.with_user(self.operator).action_verify(), doc, DOC_FIELDS)
        other_officer = new_test_user(self.env, "lbc_compliance_2", groups="lbc_base.group_compliance_officer")
        doc.with_user(other_officer).action_verify()
        self.assertEqual(doc.state, "verified")
        self.assertEqual(doc.verified_by_id, other_officer)

    def test_officer_keeps_to_the_actions(self):
        """LBC's officer writes the review notes while a document awaits review, nothing else."""
        officer = self.compliance_officer
        for doc in self.docs:
            for fname, value in self._doc_values(officer).items():
                review = fname in ("verification_note", "verification_attachment_ids", "issue_date")
                if doc.state == "submitted" and (review or fname in ("urssaf_security_code", "rejection_reason")):
                    continue
                if doc.state == "verified" and fname == "rejection_reason":
                    continue
                self._refused(
                    f"the officer writes {fname} on a {doc.state} document",
                    lambda doc=doc, fname=fname, value=value: (
                        doc.with_user(officer).with_context(**HOSTILE_CONTEXT).write({fname: value})
                    ),
                    doc,
                    DOC_FIELDS,
                )
        self.submitted.with_user(officer).write(
            {"verification_note": "Code checked.", "verification_attachment_ids": [Command.set(self.proof.ids)]}
        )
        self.assertEqual(self.submitted.verification_note, "Code checked.")
        self.assertEqual(self.submitted.verification_attachment_ids, self.proof)

    # --- checks ---------------------------------------------------------------------
    def test_nobody_moves_a_check(self):
        users = dict(self.members, officer=self.compliance_officer)
        for role, user in users.items():
            for fname, value in self._check_values(user).items():
                self._refused(
                    f"{role} writes {fname} on a check",
                    lambda fname=fname, value=value, user=user: (
                        self.check.with_user(user).with_context(**HOSTILE_CONTEXT).write({fname: value})
                    ),
                    self.check,
                    CHECK_FIELDS,
                )
            self._refused(
                f"{role} creates a passed check",
                lambda user=user: (
                    self.Check.with_user(user)
                    .with_context(**HOSTILE_CONTEXT)
                    .create(
                        {
                            "partner_id": self.provider_a.id,
                            "res_model": "res.partner",
                            "res_id": self.mission.id,
                            "engagement_date_start": self.today,
                            "date_due": self.today + timedelta(days=1),
                        }
                    )
                ),
                self.check,
                CHECK_FIELDS,
            )
        for role, user in self.members.items():
            self._refused(
                f"{role} runs a check",
                lambda user=user: self.check.with_user(user).with_context(**HOSTILE_CONTEXT).action_recheck(),
                self.check,
                CHECK_FIELDS,
            )
        self.assertEqual(self.attempts, 8 * 14 + 7)

    def test_checks_planned_and_run_under_hostile_context(self):
        """Planning and running never take a state or a result from the caller's context."""
        self._make_compliant(self.provider_c)
        check = self.Check.with_context(**HOSTILE_CONTEXT)._lbc_start_engagement(
            self.provider_c, self.mission, self.client_a, self.today, self.today + timedelta(days=400)
        )
        self.assertEqual(check.state, "due")
        self.assertFalse(check.result_note or check.date_checked)
        check.with_user(self.compliance_officer).with_context(**HOSTILE_CONTEXT).action_recheck()
        self.assertEqual(check.state, "passed")
        self.assertNotEqual(check.result_note, "forged")
        following = self.Check._lbc_engagement_checks(self.mission).filtered(
            lambda c: c.partner_id == self.provider_c and c != check
        )
        self.assertEqual(following.state, "due", "the next check is planned in its first state")
        self.assertFalse(following.result_note)

    # --- the company's status -----------------------------------------------------------------
    def test_compliance_status_never_written(self):
        company = self.provider_a
        fnames = ["lbc_compliance_state", "lbc_compliance_issues"]
        self.assertEqual(company.lbc_compliance_state, "incomplete")
        forged = {
            "lbc_compliance_state": "compliant",
            "lbc_compliance_issues": False,
            "lbc_compliance_document_ids": [
                Command.create(
                    {
                        "type_id": self.types["employee_statement"].id,
                        "file": base64.b64encode(PDF),
                        "issue_date": self.today,
                        "state": "verified",
                    }
                )
            ],
            "lbc_compliance_current_document_ids": [Command.update(self.submitted.id, {"state": "verified"})],
            "lbc_compliance_check_ids": [Command.update(self.check.id, {"state": "passed"})],
        }
        for role, user in dict(self.members, operator=self.operator, officer=self.compliance_officer).items():
            for fname, value in forged.items():
                self._refused(
                    f"{role} writes {fname}",
                    lambda user=user, fname=fname, value=value: (
                        company.with_user(user).with_context(**HOSTILE_CONTEXT).write({fname: value})
                    ),
                    company,
                    fnames,
                )
                self._refused(
                    f"{role} updates {fname} through the company's update action",
                    lambda user=user, fname=fname, value=value: (
                        company.with_user(user).with_context(**HOSTILE_CONTEXT).action_lbc_update({fname: value})
                    ),
                    company,
                    fnames,
                )
        self.assertEqual(self.submitted.state, "submitted")
        self.assertEqual(self.check.state, "due")
        # even a sudo write (an action that forgot to filter its values) cannot set the status
        self._refused(
            "sudo write", lambda: company.sudo().write({"lbc_compliance_state": "compliant"}), company, fnames
        )
        # a company created under a hostile context starts with the status its documents give
        self.attempts += 1
        company_id = (
            self.env["res.partner"]
            .with_user(self.loner)
            .with_context(**HOSTILE_CONTEXT)
            .lbc_create_company(
                {
                    "name": "Loner Consulting",
                    "lbc_is_provider": True,
                    "street": "1 rue de Test",
                    "zip": "75001",
                    "city": "Paris",
                    "country_id": self.france.id,
                }
            )
        )
        self.assertEqual(self.env["res.partner"].browse(company_id).lbc_compliance_state, "incomplete")

    # --- legitimate path ---------------------------------------------------------------
    def test_legitimate_flow(self):
        officer = self.compliance_officer.with_context(**HOSTILE_CONTEXT)
        # the method comes from the argument (or the button), never from the context
        doc = self.submitted.with_user(officer)
        doc.write({"verification_note": "Code checked on urssaf.fr.", "rejection_reason": "draft"})
        doc.action_verify()
        self.assertEqual(self.submitted.state, "verified")
        self.assertEqual(self.submitted.verification_method, "manual")
        self.assertFalse(self.submitted.rejection_reason)
        renewal = self._upload(self.provider_a, "urssaf", urssaf_code="XYZXYZXYZXYZXYZ")
        renewal.with_user(officer).action_verify_urssaf_online()
        self.assertEqual(renewal.verification_method, "urssaf_online")
        self.assertFalse(self.submitted.is_current)
        self.assertEqual(self.submitted.superseded_by_id, renewal)
        # a verified document can still be rejected by LBC, and the reason is then frozen
        self.verified.with_user(officer).action_reject("Forged.")
        self.assertEqual(self.verified.state, "rejected")
        self._refused(
            "the reason of a rejected document",
            lambda: self.verified.with_user(self.compliance_officer).write({"rejection_reason": "other"}),
            self.verified,
            DOC_FIELDS,
        )
        # the daily run expires and refreshes on its run date (a parameter, not a context key)
        later = renewal.expiry_date + timedelta(days=1)
        self.Check.with_context(**INTERNAL_CONTEXT)._cron_lbc_compliance(run_date=later)
        self.assertEqual(renewal.state, "expired")
        self.assertEqual(renewal.expired_date, later)
        self.provider_a._lbc_compliance_recompute(later)
        self.assertEqual(self.provider_a.lbc_compliance_state, "expired")
        self.provider_a._lbc_compliance_recompute()
        self.assertEqual(self.provider_a.lbc_compliance_state, "expired", "its documents expired today too")

    def test_recompute_on_a_date(self):
        docs = self._make_compliant(self.provider_b)
        kbis = docs.filtered(lambda d: d.type_code == "kbis")
        self.assertEqual(self.provider_b.lbc_compliance_state, "compliant")
        self.provider_b._lbc_compliance_recompute(kbis.expiry_date - timedelta(days=5))
        self.assertEqual(self.provider_b.lbc_compliance_state, "expiring")
        self.provider_b.with_context(lbc_compliance_date=kbis.expiry_date)._lbc_compliance_recompute()
        self.assertEqual(self.provider_b.lbc_compliance_state, "compliant", "the context holds no date")

    def test_check_upload(self):
        check = self.Doc._lbc_check_upload
        self.assertEqual(check("cv.pdf", base64.b64encode(PDF)), PDF)
        self.assertEqual(check("cv.png", base64.b64encode(PNG).decode()), PNG)
        for label, (name, datas) in {
            "empty": ("cv.pdf", b""),
            "not base64": ("cv.pdf", b"%%%"),
            "html": ("cv.pdf", base64.b64encode(b"<html><body>%PDF-1.4</body></html>")),
            "zip": ("cv.pdf", base64.b64encode(b"PK\x03\x04" + b"\x00" * 50)),
        }.items():
            with self.subTest(label), self.assertRaises(UserError):
                check(name, datas)
        self.env["ir.config_parameter"].sudo().set_param("lbc_compliance.max_file_size_mb", "0.01")
        with self.assertRaisesRegex(UserError, "too large"):
            check("big.pdf", base64.b64encode(PDF + b"0" * 20000))
