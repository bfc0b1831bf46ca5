from odoo.addons.lbc_base.tests.common import LbcBaseCommon, LbcPortalPageMixin
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPortalAccountRoles(HttpCase, LbcPortalPageMixin, LbcBaseCommon):
    """My account shows the company roles the member holds and LBC's verification of each."""

    def test_roles_shown(self):
        signatory = self.provider_a.lbc_role_ids.filtered(lambda r: r.role == "signatory")
        self.assertEqual(signatory.verification_state, "to_verify")
        self._login(self.provider_a_admin)
        page = self.url_open("/my/lbc/account").text
        self.assertIn("My roles in Provider A", page)
        self.assertEqual(page.count('o_lbc_account_role"'), 2, "admin and signatory")
        self.assertIn("Company Administrator", page)
        self.assertIn("No verification needed", page)
        self.assertIn("Signatory", page)
        self.assertIn("Verification by LBC: <span>To Verify</span>", page)
        # once LBC verified the signatory's capacity
        signatory.proof_attachment_ids = [(0, 0, {"name": "kbis.pdf", "raw": b"%PDF-1.4 kbis"})]
        signatory.with_user(self.compliance_officer).action_verify()
        self.assertIn("Verification by LBC: <span>Verified</span>", self.url_open("/my/lbc/account").text)
        # in French
        page = self.url_open("/fr/my/lbc/account").text
        self.assertIn("Mes rôles dans Provider A", page)
        self.assertIn("Signataire", page)

    def test_member_without_role(self):
        self._login(self.provider_a_consultant)
        page = self.url_open("/my/lbc/account").text
        self.assertIn("You hold no role in the company", page)
        self.assertNotIn('o_lbc_account_role"', page)
        # nor the roles of the other members of its company
        self.assertNotIn("Company Administrator", page)
