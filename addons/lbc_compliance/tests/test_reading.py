import base64
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo.exceptions import UserError

from .attestation_samples import kbis_extract, make_pdf, make_scan_pdf, urssaf_attestation
from .common import PNG, LbcComplianceCommon

CODE = "K7PX2M9QR4TZ8WB"


class TestAttestationReading(LbcComplianceCommon):
    """The upload reads the attestation (pypdf text layer): pre-fills, refuses, flags to LBC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.siret_a = cls.provider_a.company_registry
        cls.siret_b = cls.provider_b.company_registry

    def _officer_activities(self, doc):
        return doc.activity_ids.filtered(lambda a: a.user_id.has_group("lbc_base.group_compliance_officer"))

    def test_matching_attestation_prefills_the_document(self):
        issued = self.today - timedelta(days=12)
        printed_end = issued + relativedelta(months=5)
        pdf = urssaf_attestation("Provider A", self.siret_a, issued, CODE, validity=printed_end)
        doc = self._upload_raw(pdf, issue_date=False)
        self.assertEqual(doc.issue_date, issued, "pre-filled from the file")
        self.assertEqual(doc.urssaf_security_code, CODE, "pre-filled from the file")
        self.assertEqual(doc.read_siren, self.siret_a[:9])
        self.assertEqual(doc.read_issue_date, issued)
        self.assertEqual(doc.read_validity_date, printed_end)
        self.assertEqual(doc.expiry_date, printed_end, "the printed end of validity comes before the 6 months")
        self.assertEqual(doc.reading_state, "matched")
        self.assertFalse(self._officer_activities(doc), "nothing to flag")
        self.assertTrue(doc.message_ids.filtered(lambda m: "Read: matches the company" in (m.body or "")))
        # a Kbis in another layout (English, "Month DD, YYYY"), typed date equal to the printed one
        kbis = kbis_extract("Provider A", self.siret_a[:9], issued)
        doc = self._upload_raw(kbis, code="kbis", issue_date=issued)
        self.assertEqual((doc.reading_state, doc.read_issue_date), ("matched", issued))
        self.assertEqual(doc.expiry_date, issued + relativedelta(months=3))

    def test_refusals(self):
        issued = self.today - timedelta(days=5)
        count = self.Doc.search_count([])
        cases = {
            "another company's SIREN": (
                urssaf_attestation("Provider B", self.siret_b, issued, CODE),
                {},
                f"is for the company with SIREN {self.siret_b[:9]}, not for Provider A",
            ),
            "issued in the future": (
                urssaf_attestation("Provider A", self.siret_a, self.today + timedelta(days=3), CODE),
                {},
                "is in the future",
            ),
            "older than its validity, whatever is typed": (
                urssaf_attestation("Provider A", self.siret_a, self.today - relativedelta(months=7), CODE),
                {"issue_date": self.today - timedelta(days=2)},
                "expired on",
            ),
            "printed validity passed": (
                urssaf_attestation("Provider A", self.siret_a, issued, CODE, validity=self.today - timedelta(days=1)),
                {},
                "was valid until",
            ),
            "malformed code typed": (
                urssaf_attestation("Provider A", self.siret_a, issued, CODE),
                {"urssaf_code": "12AB"},
                "is not well formed",
            ),
            "no date typed, none printed": (
                make_pdf(["Attestation de vigilance", f"SIRET {self.siret_a}", f"Code de sécurité : {CODE}"]),
                {"issue_date": False},
                "could not be read from the file",
            ),
        }
        for label, (pdf, kwargs, message) in cases.items():
            with self.subTest(label), self.assertRaisesRegex(UserError, message):
                self._upload_raw(pdf, **kwargs)
        self.assertEqual(self.Doc.search_count([]), count, "nothing stored on refusal")
        # an image with a malformed code: refused as well
        with self.assertRaisesRegex(UserError, "15 letters and digits"):
            self._upload(self.provider_a, "urssaf", content=PNG, filename="scan.png", urssaf_code="A-1")

    def test_uncertain_readings_are_flagged_to_lbc(self):
        issued = self.today - timedelta(days=5)
        cases = {
            "code typed differs from the printed one": (
                urssaf_attestation("Provider A", self.siret_a, issued, CODE),
                {"urssaf_code": "AAAAABBBBBCCCCC"},
                "is not the one printed",
            ),
            "typed date differs from the printed one": (
                urssaf_attestation("Provider A", self.siret_a, issued, CODE),
                {"issue_date": issued - timedelta(days=2)},
                "is not the one printed",
            ),
            "no SIREN in the file": (
                make_pdf(["Attestation de vigilance", f"Délivrée le {issued.strftime('%d/%m/%Y')}", f"Code : {CODE}"]),
                {"urssaf_code": CODE},
                "SIREN",
            ),
            "no security code anywhere": (
                make_pdf([f"SIREN {self.siret_a[:9]}", f"Délivrée le {issued.strftime('%d/%m/%Y')}"]),
                {},
                "No URSSAF security code",
            ),
        }
        for label, (pdf, kwargs, note) in cases.items():
            with self.subTest(label):
                doc = self._upload_raw(pdf, **kwargs)
                self.assertEqual(doc.reading_state, "uncertain")
                self.assertIn(note, doc.reading_note)
                activity = self._officer_activities(doc)
                self.assertEqual(len(activity), 1, "an activity for LBC's compliance officer")
                self.assertIn("Check the attestation by hand", activity.summary)
        flagged = self.Doc.with_user(self.compliance_officer).search([("reading_state", "=", "uncertain")])
        self.assertEqual(len(flagged), 4, "the officer's filter finds them")
        # the typed values stay what the member typed (LBC decides)
        doc = flagged.filtered(lambda d: d.read_issue_date and d.read_issue_date != d.issue_date)
        self.assertEqual(doc.issue_date, issued - timedelta(days=2))

    def test_scans_and_images_go_to_manual_review(self):
        issued = self.today - timedelta(days=5)
        for label, content, filename in (
            ("scanned PDF", make_scan_pdf(), "scan.pdf"),
            ("image", PNG, "scan.png"),
        ):
            with self.subTest(label):
                doc = self._upload(
                    self.provider_a, "urssaf", issued, content=content, filename=filename, urssaf_code=CODE
                )
                self.assertEqual(doc.reading_state, "manual")
                self.assertIn("LBC reviews it by hand", doc.reading_note)
                self.assertEqual((doc.issue_date, doc.urssaf_security_code), (issued, CODE))
                self.assertFalse(doc.read_siren)
                self.assertTrue(doc.message_ids.filtered(lambda m: "manual review" in (m.body or "")))
        with self.assertRaisesRegex(UserError, "could not be read from the file"):
            self._upload_raw(make_scan_pdf(), issue_date=False, urssaf_code=CODE)

    def test_foreign_provider_has_no_siren_check(self):
        issued = self.today - timedelta(days=5)
        pdf = make_pdf(["A1 certificate", f"Issued on {issued.isoformat()}", f"SIREN {self.siret_b[:9]}"])
        doc = self._upload(self.provider_c, "foreign_social", issued, content=pdf)
        self.assertEqual((doc.reading_state, doc.issue_date), ("matched", issued))

    def test_members_cannot_write_the_reading(self):
        doc = self._upload_raw(urssaf_attestation("Provider A", self.siret_a, self.today, CODE))
        for user in (self.provider_a_admin, self.compliance_officer):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                doc.with_user(user).write({"reading_state": "matched", "read_siren": "000000000"})

    def _upload_raw(self, content, code="urssaf", issue_date=None, urssaf_code=None):
        doc_id = self.provider_a.with_user(self.provider_a_admin).action_lbc_upload_compliance_document(
            code,
            f"{code}.pdf",
            base64.b64encode(content),
            self.today - timedelta(days=5) if issue_date is None else issue_date,
            urssaf_code=urssaf_code,
        )
        return self.Doc.browse(doc_id)
