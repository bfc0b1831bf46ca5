from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import LbcBaseCommon


class TestAgreement(LbcBaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # isolate from any agreement already in the database (demo data)
        cls.env["lbc.agreement"].search([]).write({"active": False})
        Agreement = cls.env["lbc.agreement"]
        cls.terms = Agreement.create({"name": "Terms", "kind": "terms", "version": 101, "body": "<p>Terms v101</p>"})
        cls.framework = Agreement.create(
            {"name": "Framework", "kind": "provider_framework", "version": 101, "body": "<p>Framework</p>"}
        )
        cls.main = Agreement.create({"name": "Main", "kind": "client_main", "version": 101, "body": "<p>Main</p>"})

    def test_accept_terms_logged(self):
        member = self.client_a_buyer
        self.assertFalse(member.partner_id.lbc_has_accepted("terms"))
        acceptance_id = self.terms.with_user(member).action_accept()
        acceptance = self.env["lbc.agreement.acceptance"].browse(acceptance_id)
        self.assertEqual(acceptance.user_id, member)
        self.assertEqual(acceptance.version, 101)
        self.assertEqual(acceptance.member_company_id, self.client_a)
        self.assertTrue(acceptance.accepted_at)
        self.assertTrue(member.partner_id.lbc_has_accepted("terms"))
        self.assertEqual(self.terms.with_user(member).action_accept(), acceptance_id, "accepting twice logs once")

    def test_is_accepted_for_the_current_member(self):
        """The terms are the member's own, the contracts its company's; the field is read and searched alike."""
        Agreement = self.env["lbc.agreement"]
        self.terms.with_user(self.provider_a_consultant).action_accept()
        self.framework.with_user(self.provider_a_admin).action_accept()
        for user, accepted in (
            (self.provider_a_consultant, self.terms | self.framework),
            (self.provider_a_admin, self.framework),
            (self.client_a_admin, Agreement),
        ):
            agreements = (self.terms | self.framework | self.main).with_user(user)
            self.assertEqual(agreements.filtered("is_accepted"), accepted, user.login)
            self.assertEqual(Agreement.with_user(user).search([("is_accepted", "=", True)]), accepted, user.login)
            self.assertEqual(
                Agreement.with_user(user).search([("is_accepted", "=", False)]),
                (self.terms | self.framework | self.main) - accepted,
                user.login,
            )

    def test_new_version_requires_new_acceptance(self):
        self.main.with_user(self.client_a_admin).action_accept()
        self.assertTrue(self.client_a.lbc_has_accepted("client_main"))
        v2 = self.env["lbc.agreement"].create(
            {"name": "Main", "kind": "client_main", "version": 102, "body": "<p>v2</p>"}
        )
        self.assertTrue(v2.is_current)
        self.main.invalidate_recordset(["is_current"])
        self.assertFalse(self.main.is_current)
        self.assertFalse(self.client_a.lbc_has_accepted("client_main"))
        with self.assertRaisesRegex(UserError, "not the version in force"):
            self.main.with_user(self.client_a_admin).action_accept()
        v2.with_user(self.client_a_admin).action_accept()
        self.assertTrue(self.client_a.lbc_has_accepted("client_main"))

    def test_future_version_not_current_yet(self):
        future = self.env["lbc.agreement"].create(
            {"name": "Terms", "kind": "terms", "version": 103, "body": "<p>later</p>", "date": "2999-01-01"}
        )
        self.assertFalse(future.is_current)
        self.assertTrue(self.terms.is_current)
        self.assertIn(self.terms, self.env["lbc.agreement"].search([("is_current", "=", True)]))

    def test_contract_accepted_by_admin_or_signatory_only(self):
        with self.assertRaisesRegex(AccessError, "Only an administrator"):
            self.framework.with_user(self.provider_a_consultant).action_accept()
        self.assertFalse(self.provider_a.lbc_has_accepted("provider_framework"))
        self.framework.with_user(self.provider_a_admin).action_accept()
        self.assertTrue(self.provider_a.lbc_has_accepted("provider_framework"))
        self.assertFalse(self.client_a.lbc_has_accepted("provider_framework"))

    def test_signatory_binds_the_company_once_verified(self):
        """A signatory whose capacity LBC has not verified (or refused) does not accept a contract."""
        signatory = self._create_member(self.provider_a, "provider_a_signatory", "sales_manager", ["signatory"])
        role = self.provider_a.lbc_role_ids.filtered(lambda r: r.member_id == signatory.partner_id)
        self.assertEqual(role.verification_state, "to_verify")
        with self.assertRaisesRegex(AccessError, "once verified by LBC"):
            self.framework.with_user(signatory).action_accept()
        self.assertFalse(self.provider_a.lbc_has_accepted("provider_framework"))
        role.proof_attachment_ids = [(0, 0, {"name": "kbis.pdf", "raw": b"%PDF-1.4 kbis"})]
        role.with_user(self.compliance_officer).action_verify()
        self.framework.with_user(signatory).action_accept()
        self.assertTrue(self.provider_a.lbc_has_accepted("provider_framework"))

    def test_contract_kind_must_match_company(self):
        with self.assertRaisesRegex(UserError, "not a provider company"):
            self.framework.with_user(self.client_a_admin).action_accept()
        with self.assertRaisesRegex(UserError, "not a client company"):
            self.main.with_user(self.provider_a_admin).action_accept()

    def test_acceptance_log_immutable(self):
        acceptance = self.env["lbc.agreement.acceptance"].browse(
            self.terms.with_user(self.client_a_admin).action_accept()
        )
        with self.assertRaises(UserError):
            acceptance.with_user(self.operator).write({"ip_address": "1.2.3.4"})
        with self.assertRaises(AccessError):
            acceptance.with_user(self.operator).unlink()
        with self.assertRaises(UserError):
            self.terms.with_user(self.operator).write({"body": "<p>rewritten</p>"})
        self.assertIn("Terms v101", self.terms.body)

    def test_member_sees_only_own_acceptances(self):
        self.terms.with_user(self.client_a_admin).action_accept()
        self.terms.with_user(self.client_b_admin).action_accept()
        seen = self.env["lbc.agreement.acceptance"].with_user(self.client_b_admin).search([])
        self.assertEqual(seen.user_id, self.client_b_admin)

    def test_access_gate_is_the_models(self):
        """The gate of the member pages is a model method: an RPC client gets the same list, in order."""
        Users = self.env["res.users"]
        codes = [m["code"] for m in Users.with_user(self.client_a_buyer).lbc_access_missing()]
        self.assertEqual(codes, ["validated", "agreement", "agreement"], "company not validated, terms and contract")
        self._validate(self.client_a)
        self.terms.with_user(self.client_a_buyer).action_accept()
        missing = Users.with_user(self.client_a_buyer).lbc_access_missing()
        self.assertEqual([m["url"] for m in missing], [f"/my/agreements/{self.main.id}"])
        self.main.with_user(self.client_a_admin).action_accept()
        self.assertEqual(Users.with_user(self.client_a_buyer).lbc_access_missing(), [])
        # a member without company: only that, whatever else is asked
        loner = self._create_member(self.env["res.partner"], "gate_loner", "buyer")
        self.assertEqual([m["code"] for m in Users.with_user(loner).lbc_access_missing()], ["company"])
        # who am I: the member and its company, with the member's own rights (not the superuser's)
        member, company = Users.with_user(self.client_a_buyer)._lbc_me()
        self.assertEqual((member, company), (self.client_a_buyer.partner_id, self.client_a))
        self.assertFalse(member.env.su)
        self.assertFalse(company.env.su)


@tagged("post_install", "-at_install")
class TestAgreementPdf(HttpCase):
    def test_pdf(self):
        """The agreement prints as a real PDF through wkhtmltopdf (assets served by the test server)."""
        agreement = self.env["lbc.agreement"].create(
            {"name": "Contrat Cadre", "kind": "provider_framework", "version": 201, "body": "<p>Article 1</p>"}
        )
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("lbc_base.lbc_agreement_report", agreement.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreater(len(pdf), 1000)
