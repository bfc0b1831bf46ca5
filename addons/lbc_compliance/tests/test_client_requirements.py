from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError

from .common import LbcComplianceCommon


class TestClientRequirements(LbcComplianceCommon):
    """A client requires more documents of its providers (e.g. professional liability insurance)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.insurance = cls.env.ref("lbc_compliance.document_type_liability_insurance")

    def test_only_the_clients_admin_sets_them(self):
        for user in (self.client_a_buyer, self.client_b_admin, self.provider_a_admin):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.client_a.with_user(user).action_lbc_require_documents(["liability_insurance"])
        with self.assertRaisesRegex(UserError, "already asked of every provider"):
            self.client_a.with_user(self.client_a_admin).action_lbc_require_documents(["urssaf"])
        with self.assertRaisesRegex(UserError, "Unknown vigilance document type"):
            self.client_a.with_user(self.client_a_admin).action_lbc_require_documents(["nope"])
        with self.assertRaisesRegex(UserError, "not a client company"):
            self.provider_a.with_user(self.provider_a_admin).action_lbc_require_documents(["liability_insurance"])
        with self.assertRaisesRegex(UserError, "only through its actions"):
            self.client_a.with_user(self.operator).write(
                {"lbc_required_document_type_ids": [(6, 0, self.insurance.ids)]}
            )
        codes = self.client_a.with_user(self.client_a_admin).action_lbc_require_documents(["liability_insurance"])
        self.assertEqual(codes, ["liability_insurance"])
        self.assertEqual(self.client_a.lbc_required_document_type_ids, self.insurance)

    def test_gate_and_checks_for_that_client_only(self):
        self._make_compliant(self.provider_a)
        self.client_a.with_user(self.client_a_admin).action_lbc_require_documents(["liability_insurance"])
        self.assertTrue(self.provider_a._lbc_compliance_gate(), "the general gate is unchanged")
        self.assertTrue(self.provider_a._lbc_compliance_gate(client=self.client_b))
        with self.assertRaisesRegex(UserError, "Professional liability insurance certificate: missing"):
            self.provider_a._lbc_compliance_gate(client=self.client_a)
        self.assertEqual(self.provider_a.lbc_compliance_state, "compliant", "its general status is unchanged")
        status = self.provider_a._lbc_compliance_for_client(self.client_a)[self.provider_a.id]
        self.assertEqual(status[0], "incomplete")
        self.assertIn("Professional liability insurance certificate: missing", status[1])
        # the six-monthly checks of each engagement hold the provider to its client's requirements
        end = self.today + relativedelta(months=3)
        check_a = self.Check._lbc_start_engagement(self.provider_a, self.mission, self.client_a, self.today, end)
        other = self.env["res.partner"].create({"name": "Mission Beta"})
        check_b = self.Check._lbc_start_engagement(self.provider_a, other, self.client_b, self.today, end)
        self.Check._cron_lbc_compliance(run_date=self.today)
        self.assertEqual(check_a.state, "failed")
        self.assertIn("Professional liability insurance certificate: missing", check_a.result_note)
        self.assertEqual(check_b.state, "passed")
        # the provider uploads it (any provider may: the type is meant for clients' requirements), LBC verifies
        doc = self._upload(self.provider_a, "liability_insurance", self.today - timedelta(days=3))
        self.assertEqual(doc.expiry_date, self.today - timedelta(days=3) + relativedelta(months=12))
        doc.with_user(self.compliance_officer).action_verify()
        self.assertTrue(self.provider_a._lbc_compliance_gate(client=self.client_a))
        check_a.with_user(self.compliance_officer).action_recheck()
        self.assertEqual(check_a.state, "passed")
        self.assertIn(doc, check_a.document_ids)
