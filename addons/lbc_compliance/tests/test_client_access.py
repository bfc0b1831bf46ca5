"""A client reads the vigilance documents of a provider for as long as it contracts with it: the engagement's end
closes its checks and the record rule no longer lets the client read the documents (search, read, the file)."""

from odoo.exceptions import AccessError

from .common import LbcComplianceCommon


class TestComplianceClientAccess(LbcComplianceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.doc_a = (
            cls.env["lbc.compliance.document"]
            .sudo()
            .create(
                {
                    "partner_id": cls.provider_a.id,
                    "type_id": cls.env.ref("lbc_compliance.document_type_urssaf").id,
                    "file": "JVBERi0xLjQKJSVFT0YK",  # %PDF-1.4 %%EOF
                    "file_name": "urssaf.pdf",
                    "issue_date": "2026-10-01",
                    "urssaf_security_code": "ABCD1234",
                }
            )
        )
        cls.check = cls.env["lbc.compliance.check"]._lbc_start_engagement(
            cls.provider_a, cls.mission, cls.client_a, "2026-12-01", "2027-12-01"
        )

    def _providers(self, user):
        return self.env["lbc.compliance.check"].with_user(user).lbc_my_providers_compliance()

    def _readable(self, user, records):
        return records.with_user(user).search([("id", "in", records.ids)])

    def test_client_reads_no_longer_after_the_engagement(self):
        Doc = self.env["lbc.compliance.document"]
        self.assertEqual(self._readable(self.client_a_buyer, self.doc_a), self.doc_a)
        self.assertEqual(
            [p["id"] for p in self._providers(self.client_a_buyer)],
            [self.provider_a.id],
        )
        self.env["lbc.compliance.check"]._lbc_end_engagement(self.mission, "2027-01-15")
        self.assertTrue(self.check.engagement_closed)
        for user in (self.client_a_admin, self.client_a_buyer):
            with self.subTest(user=user.login):
                self.assertFalse(self._readable(user, self.doc_a))
                self.assertFalse(Doc.with_user(user).search([("partner_id", "=", self.provider_a.id)]))
                with self.assertRaises(AccessError):
                    self.doc_a.with_user(user).read(["file", "urssaf_security_code"])
                self.assertEqual(self._providers(user), [])
        # the provider still reads its own; LBC everything
        self.assertEqual(self._readable(self.provider_a_admin, self.doc_a), self.doc_a)
        self.assertEqual(self._readable(self.compliance_officer, self.doc_a), self.doc_a)

    def test_a_new_engagement_opens_them_again(self):
        self.env["lbc.compliance.check"]._lbc_end_engagement(self.mission, "2027-01-15")
        self.assertFalse(self._readable(self.client_a_buyer, self.doc_a))
        other = self.provider_b  # any record stands for another engagement of the same parties
        self.env["lbc.compliance.check"]._lbc_start_engagement(
            self.provider_a, other, self.client_a, "2027-02-01", "2027-06-30"
        )
        self.assertEqual(self._readable(self.client_a_buyer, self.doc_a), self.doc_a)

    def test_members_never_close_a_check(self):
        with self.assertRaises(AccessError):
            self.check.with_user(self.client_a_admin).write({"engagement_closed": True})
        with self.assertRaises(AccessError):
            self.check.with_user(self.provider_a_admin).write({"engagement_closed": False})
        self.assertFalse(self.check.engagement_closed)
