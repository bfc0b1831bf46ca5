import base64
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError

from .common import PDF, PNG, LbcComplianceCommon


class TestComplianceDocument(LbcComplianceCommon):
    def test_expiry_per_type(self):
        issue = self.today - relativedelta(days=20)
        expected = {
            "urssaf": issue + relativedelta(months=6),
            "tax": issue + relativedelta(months=6),
            "kbis": issue + relativedelta(months=3),
            "employee_statement": issue + relativedelta(months=6),
            "foreign_workers": issue + relativedelta(months=6),
        }
        for code, expiry in expected.items():
            with self.subTest(code=code):
                doc = self._upload(self.provider_a, code, issue)
                self.assertEqual(doc.expiry_date, expiry)
        # end of month: 31 August + 6 months is the last day of February
        self.assertEqual(self.types["urssaf"]._lbc_expiry_date(date(2025, 8, 31)), date(2026, 2, 28))
        # the rule is configurable: the stored expiry dates follow
        doc = self.Doc.search([("partner_id", "=", self.provider_a.id), ("type_id.code", "=", "kbis")])
        self.types["kbis"].write({"validity_months": 0, "validity_days": 45})
        self.assertEqual(doc.expiry_date, issue + timedelta(days=45))
        self.types["kbis"].write({"validity_months": 0, "validity_days": 0})
        self.assertFalse(doc.expiry_date, "no validity rule: no expiry")

    def test_upload_records_file_and_uploader(self):
        doc = self._upload(self.provider_a, "urssaf", urssaf_code="ABC123DEF456GH7", content=PNG, filename="scan.png")
        self.assertEqual(doc.state, "submitted")
        self.assertEqual(doc.file_mimetype, "image/png")
        self.assertEqual(doc.file_size, len(PNG))
        self.assertEqual(doc.uploaded_by_id, self.provider_a_admin)
        self.assertEqual(doc.urssaf_security_code, "ABC123DEF456GH7")
        self.assertEqual(base64.b64decode(doc.file), PNG)

    def test_refused_files_keep_previous_document(self):
        previous = self._make_compliant(self.provider_a, codes=("urssaf",))
        self.env["ir.config_parameter"].sudo().set_param("lbc_compliance.max_file_size_mb", "0.01")
        bad_files = {
            "not a pdf": (b"PK\x03\x04" + b"\x00" * 100, "attestation.zip"),
            "plain text": (b"just some words, no document", "attestation.pdf"),
            "disguised html": (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "urssaf.pdf"),
            "oversized": (PDF + b"0" * 20000, "big.pdf"),
        }
        count = self.Doc.search_count([])
        for label, (content, filename) in bad_files.items():
            with self.subTest(label), self.assertRaises(UserError) as err:
                self._upload(self.provider_a, "urssaf", content=content, filename=filename)
            self.assertIn(filename, str(err.exception))
        self.assertIn("too large", str(err.exception))
        self.assertEqual(self.Doc.search_count([]), count, "nothing stored on refusal")
        self.assertTrue(previous.is_current)
        self.assertEqual(previous.state, "verified")

    def test_upload_rights_and_checks(self):
        with self.assertRaises(AccessError):
            self._upload(self.provider_a, "urssaf", user=self.provider_a_consultant)
        with self.assertRaises(AccessError):
            self._upload(self.provider_a, "urssaf", user=self.provider_b_admin)
        with self.assertRaisesRegex(UserError, "not asked"):
            self._upload(self.provider_a, "foreign_vat")
        with self.assertRaisesRegex(UserError, "future"):
            self._upload(self.provider_a, "urssaf", self.today + timedelta(days=1))
        with self.assertRaisesRegex(UserError, "not a provider"):
            self._upload(self.client_a, "urssaf", user=self.client_a_admin)
        # members never create nor write documents directly
        with self.assertRaises(AccessError):
            self.Doc.with_user(self.provider_a_admin).create(
                {
                    "partner_id": self.provider_a.id,
                    "type_id": self.types["urssaf"].id,
                    "file": base64.b64encode(PDF),
                    "issue_date": self.today,
                }
            )
        # LBC can upload on a provider's behalf
        doc = self._upload(self.provider_a, "kbis", user=self.operator)
        self.assertEqual(doc.uploaded_by_id, self.operator)

    def test_verify_and_reject(self):
        doc = self._upload(self.provider_a, "urssaf", urssaf_code="XYZ789XYZ789XYZ")
        with self.assertRaises(AccessError):
            doc.with_user(self.provider_a_admin).action_verify()
        with self.assertRaises(AccessError):
            doc.with_user(self.operator).action_verify()
        with self.assertRaisesRegex(UserError, "only through its actions"):
            doc.with_user(self.compliance_officer).write({"state": "verified"})
        doc.with_user(self.compliance_officer).action_verify("urssaf_online", note="Code checked, page attached.")
        self.assertEqual(doc.state, "verified")
        self.assertEqual(doc.verified_by_id, self.compliance_officer)
        self.assertEqual(doc.verification_method, "urssaf_online")
        self.assertEqual(doc.verification_note, "Code checked, page attached.")
        self.assertTrue(doc.verified_date)
        with self.assertRaisesRegex(UserError, "not awaiting review"):
            doc.with_user(self.compliance_officer).action_verify()

        other = self._upload(self.provider_a, "kbis")
        with self.assertRaisesRegex(UserError, "no URSSAF security code"):
            other.with_user(self.compliance_officer).action_verify("urssaf_online")
        with self.assertRaisesRegex(UserError, "reason"):
            other.with_user(self.compliance_officer).action_reject()
        other.with_user(self.compliance_officer).action_reject("The extract is for another company.")
        self.assertEqual(other.state, "rejected")
        self.assertEqual(other.rejected_by_id, self.compliance_officer)
        mail = self.env["mail.message"].search(
            [("model", "=", other._name), ("res_id", "=", other.id), ("subject", "ilike", "rejected")]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(self.provider_a_admin.partner_id, mail.partner_ids)
        with self.assertRaises(UserError):
            other.unlink()

    def test_new_upload_supersedes_history_stays(self):
        old = self._make_compliant(self.provider_a, self.today - timedelta(days=60), codes=("urssaf",))
        new = self._upload(self.provider_a, "urssaf")
        # an early renewal does not break compliance: the verified one counts until the new one is verified
        self.assertTrue(old.is_current)
        new.with_user(self.compliance_officer).action_verify()
        self.assertFalse(old.is_current)
        self.assertEqual(old.superseded_by_id, new)
        self.assertEqual(old.state, "verified", "history is kept as it was")
        # a pending upload replaced by a newer one is superseded at once
        pending = self._upload(self.provider_a, "urssaf")
        newer = self._upload(self.provider_a, "urssaf")
        self.assertFalse(pending.is_current)
        self.assertEqual(pending.superseded_by_id, newer)
        self.assertEqual(
            self.Doc.search_count([("partner_id", "=", self.provider_a.id), ("type_id.code", "=", "urssaf")]), 4
        )
