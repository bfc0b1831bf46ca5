"""The self-billing mandate: its text (a versioned agreement), the signature and the revocation."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import LbcErpCommon


@tagged("post_install", "-at_install")
class TestSelfBillingMandate(LbcErpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the common fixtures archive the shipped agreements: the mandate's text of these tests
        cls.env["lbc.agreement"].create(
            {"name": "Test Mandate", "kind": "self_billing_mandate", "version": 501, "body": "<p>Mandate text</p>"}
        )

    def test_text_is_a_bilingual_versioned_agreement(self):
        mandate = self.env.ref("lbc_erp_provider.agreement_self_billing_mandate_v1")
        self.assertEqual((mandate.kind, mandate.version), ("self_billing_mandate", 1))
        self.assertIn("289", mandate.body)
        if "fr_FR" in dict(self.env["res.lang"].get_installed()):
            self.assertIn("Mandat d'autofacturation", mandate.with_context(lang="fr_FR").name)
            self.assertIn("autofacturation, article 289", mandate.with_context(lang="fr_FR").body)

    def test_sign_and_revoke(self):
        mandate = self.env["lbc.agreement"]._lbc_current("self_billing_mandate")
        admin_view = self.provider_a.with_user(self.provider_a_admin)
        admin_view.action_lbc_sign_self_billing_mandate()
        self.assertTrue(self.provider_a.lbc_self_billing_mandate)
        self.assertEqual(self.provider_a.lbc_self_billing_mandate_version, mandate.version)
        self.assertEqual(self.provider_a.lbc_self_billing_mandate_signed_by_id, self.provider_a_admin)
        reference = self.provider_a.lbc_self_billing_mandate_ref
        self.assertTrue(reference.startswith("AUTOF-"))
        acceptance = self.env["lbc.agreement.acceptance"].search(
            [("agreement_id", "=", mandate.id), ("member_company_id", "=", self.provider_a.id)]
        )
        self.assertEqual(acceptance.user_id, self.provider_a_admin, "the signature is in the acceptance log")
        with self.assertRaisesRegex(UserError, "already signed"):
            admin_view.action_lbc_sign_self_billing_mandate()
        admin_view.action_lbc_revoke_self_billing_mandate("We invoice ourselves")
        self.assertFalse(self.provider_a.lbc_self_billing_mandate)
        self.assertTrue(self.provider_a.lbc_self_billing_mandate_revoked_date)
        self.assertEqual(self.provider_a.lbc_self_billing_mandate_revoked_by_id, self.provider_a_admin)
        self.assertIn(reference, self.provider_a.message_ids[0].body)
        self.assertIn("We invoice ourselves", self.provider_a.message_ids[0].body)
        # the signature and the revocation are internal notes of the provider: its counterparties never read them
        logged = self.provider_a.message_ids.filtered(
            lambda m: any(f"{verb} the self-billing mandate" in (m.body or "") for verb in ("signed", "revoked"))
        )
        self.assertEqual(len(logged), 2)
        self.assertEqual(logged.subtype_id, self.env.ref("mail.mt_note"))
        self.assertIn(self.provider_a_admin.partner_id, logged[0].partner_ids, "its admins are told")
        with self.assertRaisesRegex(UserError, "no self-billing mandate"):
            admin_view.action_lbc_revoke_self_billing_mandate()

    def test_only_admin_or_verified_signatory(self):
        with self.assertRaises(AccessError):
            self.provider_a.with_user(self.provider_a_consultant).action_lbc_sign_self_billing_mandate()
        with self.assertRaises(AccessError):
            self.provider_a.with_user(self.provider_b_admin).action_lbc_sign_self_billing_mandate()
        self.provider_a.with_user(self.provider_a_admin).action_lbc_sign_self_billing_mandate()
        with self.assertRaises(AccessError):
            self.provider_a.with_user(self.provider_a_consultant).action_lbc_revoke_self_billing_mandate()
        with self.assertRaises(AccessError):
            self.provider_a.with_user(self.provider_b_admin).action_lbc_revoke_self_billing_mandate()
        with self.assertRaises(AccessError):
            self.provider_a.with_user(self.provider_a_admin).write({"lbc_self_billing_mandate": False})
        self.assertTrue(self.provider_a.lbc_self_billing_mandate)

    def test_accepting_the_agreement_signs_the_mandate(self):
        mandate = self.env["lbc.agreement"]._lbc_current("self_billing_mandate")
        with self.assertRaises(AccessError):
            mandate.with_user(self.provider_a_consultant).action_accept()
        self.assertFalse(self.provider_a.lbc_self_billing_mandate)
        mandate.with_user(self.provider_a_admin).action_accept()
        self.assertTrue(self.provider_a.lbc_self_billing_mandate, "the log and the company agree")
