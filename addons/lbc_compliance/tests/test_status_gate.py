from datetime import timedelta

from odoo.exceptions import UserError

from .common import LbcComplianceCommon


class TestComplianceStatusGate(LbcComplianceCommon):
    def test_state_and_reasons(self):
        provider = self.provider_b
        self.assertEqual(provider.lbc_compliance_state, "incomplete")
        for doc_type in ("URSSAF attestation", "Kbis extract", "List of non-EU foreign workers"):
            self.assertIn(f"{doc_type}", provider.lbc_compliance_issues)
        self.assertEqual(provider.lbc_compliance_issues.count("missing"), 5)
        self.assertFalse(self.client_a.lbc_compliance_state, "not a provider: no vigilance status")

        docs = self._make_compliant(provider)
        self.assertEqual(provider.lbc_compliance_state, "compliant")
        self.assertFalse(provider.lbc_compliance_issues)

        # a Kbis (3 months) issued 80 days ago expires within 30 days
        kbis = self._upload(provider, "kbis", self.today - timedelta(days=80))
        self.assertEqual(provider.lbc_compliance_state, "compliant", "the new upload waits for review")
        kbis.with_user(self.compliance_officer).action_verify()
        self.assertEqual(provider.lbc_compliance_state, "expiring")
        self.assertIn(f"Kbis extract: expires on {kbis.expiry_date}", provider.lbc_compliance_issues)

        urssaf = docs.filtered(lambda d: d.type_id.code == "urssaf")
        urssaf.with_user(self.compliance_officer).action_reject("Forged attestation")
        self.assertEqual(provider.lbc_compliance_state, "incomplete")
        self.assertIn(
            "URSSAF attestation of social declarations: rejected (Forged attestation)", provider.lbc_compliance_issues
        )

    def test_state_expired_and_foreign_set(self):
        provider = self.provider_c
        self.assertEqual(provider.lbc_compliance_state, "incomplete")
        self.assertNotIn("Kbis", provider.lbc_compliance_issues, "the foreign set only")
        self.assertIn("Individual VAT number or fiscal representative: missing", provider.lbc_compliance_issues)
        self._make_compliant(provider)
        self.assertEqual(provider.lbc_compliance_state, "compliant")
        # seven months later the documents have expired
        run_date = self.today + timedelta(days=215)
        self.Check._cron_lbc_compliance(run_date=run_date)
        self.assertEqual(provider.lbc_compliance_state, "expired")
        self.assertIn("Regular social situation (abroad): expired on", provider.lbc_compliance_issues)

    def test_gate_message(self):
        provider = self.provider_b
        self._make_compliant(provider, codes=("urssaf", "tax"))
        self._upload(provider, "kbis")
        self.types["foreign_workers"].blocking = False
        with self.assertRaises(UserError) as err:
            provider._lbc_compliance_gate()
        message = str(err.exception)
        lines = message.splitlines()
        self.assertIn("Provider B cannot be contracted", lines[0])
        self.assertIn("- Kbis extract: not verified yet (Submitted)", lines)
        self.assertIn("- Sworn statement on regularly employed staff: missing", lines)
        self.assertEqual(len(lines), 3, "one line per blocking document, the non-blocking one is not listed")
        self.assertNotIn("URSSAF", message)
        self.assertNotIn("foreign workers", message)

        self._make_compliant(provider, codes=("kbis", "employee_statement"))
        self.assertTrue(provider._lbc_compliance_gate())
        # on a later date the documents are expired, each named
        with self.assertRaises(UserError) as err:
            provider._lbc_compliance_gate(on_date=self.today + timedelta(days=100))
        self.assertIn("- Kbis extract: expired on", str(err.exception))
        # several companies: each named
        with self.assertRaises(UserError) as err:
            (self.provider_a | self.provider_b)._lbc_compliance_gate(on_date=self.today + timedelta(days=100))
        self.assertIn("Provider A cannot be contracted", str(err.exception))
        self.assertIn("Provider B cannot be contracted", str(err.exception))

    def test_gate_as_member(self):
        """lbc_tender calls the gate in the client's or provider's session: it reads with its own rights."""
        self._make_compliant(self.provider_a)
        self.assertTrue(self.provider_a.with_user(self.client_b_admin)._lbc_compliance_gate())
        with self.assertRaisesRegex(UserError, "Provider B"):
            self.provider_b.with_user(self.client_a_admin)._lbc_compliance_gate()
