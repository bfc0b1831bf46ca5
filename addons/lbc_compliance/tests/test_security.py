from odoo.exceptions import AccessError

from .common import LbcComplianceCommon


class TestComplianceSecurity(LbcComplianceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.doc_a = cls._create_urssaf_document(cls.provider_a)
        cls.doc_b = cls.doc_a.copy({"partner_id": cls.provider_b.id, "file": "JVBERi0xLjQKJSVFT0YK"})
        cls.check = cls.env["lbc.compliance.check"]._lbc_start_engagement(
            cls.provider_a, cls.mission, cls.client_a, "2026-12-01", "2027-12-01"
        )

    def _readable(self, user, records):
        return records.with_user(user).search([("id", "in", records.ids)])

    def test_provider_members_see_their_company_documents(self):
        docs = self.doc_a | self.doc_b
        for user in (self.provider_a_admin, self.provider_a_consultant):
            with self.subTest(user=user.login):
                self.assertEqual(self._readable(user, docs), self.doc_a)
                self.assertEqual(self.doc_a.with_user(user).file_name, "urssaf.pdf")
                self.assertTrue(self.doc_a.with_user(user).file)

    def test_other_providers_never(self):
        self.assertEqual(self._readable(self.provider_b_admin, self.doc_a | self.doc_b), self.doc_b)
        with self.assertRaises(AccessError):
            self.doc_a.with_user(self.provider_b_admin).read(["file_name"])
        with self.assertRaises(AccessError):
            self.doc_a.with_user(self.provider_c_admin).read(["file"])
        # an engagement as provider gives no access to another provider's documents
        self.assertFalse(self._readable(self.provider_b_admin, self.check))

    def test_clients_see_documents_of_engaged_providers_only(self):
        docs = self.doc_a | self.doc_b
        for user in (self.client_a_admin, self.client_a_buyer):
            with self.subTest(user=user.login):
                self.assertEqual(self._readable(user, docs), self.doc_a)
                self.assertTrue(self.doc_a.with_user(user).file)
        self.assertFalse(self._readable(self.client_b_admin, docs))
        with self.assertRaises(AccessError):
            self.doc_a.with_user(self.client_b_admin).read(["file_name"])

    def test_checks_visible_to_provider_and_client(self):
        self.assertEqual(self._readable(self.provider_a_admin, self.check), self.check)
        self.assertEqual(self._readable(self.client_a_buyer, self.check), self.check)
        self.assertFalse(self._readable(self.client_b_admin, self.check))
        self.assertFalse(self._readable(self.provider_c_admin, self.check))
        with self.assertRaises(AccessError):
            self.check.with_user(self.client_a_admin).write({"result_note": "forged"})

    def test_lbc_staff(self):
        docs = self.doc_a | self.doc_b
        self.assertEqual(self._readable(self.compliance_officer, docs), docs)
        self.assertEqual(self._readable(self.compliance_officer, self.check), self.check)
        self.assertEqual(self._readable(self.operator, docs), docs)
        with self.assertRaises(AccessError):
            self.doc_a.with_user(self.operator).write({"verification_note": "x"})
        self.doc_a.with_user(self.compliance_officer).write({"verification_note": "Looked at it."})
        self.assertEqual(self.doc_a.verification_note, "Looked at it.")
        # members never write documents
        with self.assertRaises(AccessError):
            self.doc_a.with_user(self.provider_a_admin).write({"verification_note": "x"})
