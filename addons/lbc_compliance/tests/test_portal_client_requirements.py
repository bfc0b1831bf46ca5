"""The client's page where its company admin chooses the extra documents required of its providers
(/my/vigilance/requirements): the list of types with their validity, the current choice, saving it through
res.partner.action_lbc_require_documents, which refuses whoever does not administer the client."""

from odoo.addons.lbc_base.tests.common import LbcPortalPageMixin
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import LbcComplianceCommon

URL = "/my/vigilance/requirements"


@tagged("post_install", "-at_install")
class TestClientRequirementsPortal(HttpCase, LbcComplianceCommon, LbcPortalPageMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.insurance = cls.env.ref("lbc_compliance.document_type_liability_insurance")

    def test_admin_chooses_the_documents(self):
        self._login(self.client_a_admin)
        page = self.url_open("/my/vigilance")
        self.assertIn('href="/my/vigilance/requirements"', page.text, "linked from the providers' vigilance")
        page = self.url_open(URL)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Professional liability insurance certificate", page.text)
        self.assertIn("12 months after its issue date", page.text)
        self.assertIn("o_lbc_client_requirements_save", page.text)
        self.assertNotIn("URSSAF", page.text.split("o_lbc_client_requirements_form")[1], "general types not offered")
        response = self._post(URL, {"type_codes": "liability_insurance"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("msg=saved"), response.url)
        self.assertIn("o_lbc_client_requirement_current", response.text)
        self.assertEqual(self.client_a.lbc_required_document_type_ids, self.insurance)
        # a general type is refused by the model, with its message; nothing changes
        response = self._post(URL, {"type_codes": ["liability_insurance", "urssaf"]})
        self.assertEqual(response.status_code, 400)
        self.assertIn("already asked of every provider", self._error(response))
        self.assertEqual(self.client_a.lbc_required_document_type_ids, self.insurance)
        # nothing ticked: nothing required
        self._post(URL, {})
        self.assertFalse(self.client_a.lbc_required_document_type_ids)

    def test_refused_to_non_admins(self):
        self.client_a.with_user(self.client_a_admin).action_lbc_require_documents(["liability_insurance"])
        self._login(self.client_a_buyer)
        page = self.url_open(URL)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_lbc_client_requirements_readonly", page.text)
        self.assertIn("disabled", page.text)
        self.assertNotIn("o_lbc_client_requirements_save", page.text)
        response = self._post(URL, {})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Only an administrator of Client A can do this.", self._error(response))
        self.assertEqual(self.client_a.lbc_required_document_type_ids, self.insurance, "unchanged")
        # the same over RPC
        with self.assertRaisesRegex(AccessError, "Only an administrator"):
            self.client_a.with_user(self.client_a_buyer).action_lbc_require_documents([])
        options = self.client_a.with_user(self.client_a_buyer).lbc_client_requirement_options()
        self.assertFalse(options["can_edit"])
        self.assertEqual([o["code"] for o in options["types"] if o["required"]], ["liability_insurance"])
        # another company's requirements are not read
        with self.assertRaises(AccessError):
            self.client_a.with_user(self.client_b_admin).lbc_client_requirement_options()

    def test_not_for_providers(self):
        self._login(self.provider_a_admin)
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open(URL).status_code, 404)
            response = self._post(URL, {"type_codes": "liability_insurance"})
        self.assertEqual(response.status_code, 404)

    def test_requirements_tour(self):
        self.start_tour("/my/vigilance", "lbc_compliance_client_requirements_tour", login="client_a_admin")
        self.assertEqual(self.client_a.lbc_required_document_type_ids, self.insurance)
