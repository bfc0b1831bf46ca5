"""The client's view of the vigilance documents of the providers it contracts with (/my/vigilance, lbc_compliance):
a client reads them on every path (page, RPC, the file, its attachment) while a mission with the provider runs, and
no longer once it ended; another client never."""

import base64

from odoo import fields
from odoo.addons.lbc_base.tests.common import LbcPortalPageMixin
from odoo.addons.lbc_erp_client.tests.common import LbcErpCommon
from odoo.addons.lbc_tender.tests.common import PDF
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

URSSAF_CODE = "7QH2KX9MW4RTB5N"


@tagged("post_install", "-at_install")
class TestPortalProviderVigilance(HttpCase, LbcErpCommon, LbcPortalPageMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Doc = cls.env["lbc.compliance.document"]
        # provider A's current URSSAF attestation, with its security code, verified by LBC
        doc_id = cls.provider_a.with_user(cls.provider_a_admin).action_lbc_upload_compliance_document(
            "urssaf",
            "attestation_urssaf_provider_a.pdf",
            base64.b64encode(PDF),
            fields.Date.today(),
            urssaf_code=URSSAF_CODE,
        )
        cls.urssaf = cls.Doc.browse(doc_id)
        cls.urssaf.with_user(cls.compliance_officer).action_verify_urssaf_online()
        cls.attachment = (
            cls.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", "lbc.compliance.document"), ("res_id", "=", doc_id), ("res_field", "=", "file")]
            )
        )

    def _providers(self, user):
        return self.env["lbc.compliance.check"].with_user(user).lbc_my_providers_compliance()

    def _rpc_read(self, user):
        """What `user` reads of provider A's documents over RPC: search, read, the file field."""
        Doc = self.Doc.with_user(user)
        found = Doc.search([("partner_id", "=", self.provider_a.id)])
        try:
            read = Doc.browse(self.urssaf.id).read(["urssaf_security_code", "file"])
        except AccessError:
            read = None
        return found, read

    def _download(self):
        url = f"/web/content/lbc.compliance.document/{self.urssaf.id}/file?download=true&filename_field=file_name"
        response = self.url_open(url)
        by_attachment = self.url_open(f"/web/content/{self.attachment.id}")
        return response, by_attachment

    def test_fixture(self):
        self.assertEqual(self.mission.state, "active")
        self.assertEqual(self.urssaf.state, "verified")
        self.assertEqual(len(self.attachment), 1)

    def test_client_reads_its_providers_documents(self):
        # over RPC
        found, read = self._rpc_read(self.client_a_buyer)
        self.assertIn(self.urssaf, found)
        self.assertEqual(read[0]["urssaf_security_code"], URSSAF_CODE)
        providers = self._providers(self.client_a_buyer)
        self.assertEqual([p["name"] for p in providers], ["Provider A"])
        self.assertEqual(providers[0]["state"], "compliant")
        self.assertIn(self.urssaf.id, providers[0]["document_ids"])
        # in the portal: the list with the provider's status, the document with its code and urssaf.fr, the file
        self._login(self.client_a_buyer)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["lbc_provider_vigilance_count"]})
        self.assertEqual(counters["lbc_provider_vigilance_count"], 1)
        page = self.url_open("/my/vigilance")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Provider A", page.text)
        self.assertIn(f"/my/vigilance/{self.urssaf.id}", page.text)
        self.assertIn("Compliant", page.text)
        detail = self.url_open(f"/my/vigilance/{self.urssaf.id}")
        self.assertEqual(detail.status_code, 200)
        self.assertIn(URSSAF_CODE, detail.text)
        self.assertIn("https://www.urssaf.fr/", detail.text)
        response, by_attachment = self._download()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PDF)
        self.assertIn("attestation_urssaf_provider_a.pdf", response.headers.get("Content-Disposition", ""))
        # the file's ir.attachment itself is closed to every member (Odoo serves a field's file through its record
        # only): by id in the portal or over RPC, the file never comes out that way
        self.assertIn(by_attachment.status_code, (403, 404))
        with self.assertRaises(AccessError):
            self.attachment.with_user(self.client_a_buyer).read(["raw"])
        # search and filters
        self.assertIn("Provider A", self.url_open("/my/vigilance?search=provider a&search_in=provider").text)
        self.assertNotIn(
            f"/my/vigilance/{self.urssaf.id}", self.url_open("/my/vigilance?search=zzz&search_in=provider").text
        )

    @mute_logger("odoo.http")
    def test_other_client_never(self):
        found, read = self._rpc_read(self.client_b_admin)
        self.assertFalse(found)
        self.assertIsNone(read)
        self.assertEqual(self._providers(self.client_b_admin), [])
        self._login(self.client_b_admin)
        self.assertNotIn("Provider A", self.url_open("/my/vigilance").text)
        self._assert_redirected_away_from_document()
        response, by_attachment = self._download()
        self.assertIn(response.status_code, (403, 404))
        self.assertIn(by_attachment.status_code, (403, 404))
        self.assertNotEqual(response.content, PDF)
        with self.assertRaises(AccessError):
            self.attachment.with_user(self.client_b_admin).read(["raw"])

    @mute_logger("odoo.http")
    def test_no_longer_once_the_mission_ended(self):
        self.mission.with_user(self.operator).action_done()
        found, read = self._rpc_read(self.client_a_buyer)
        self.assertFalse(found)
        self.assertIsNone(read)
        self.assertEqual(self._providers(self.client_a_buyer), [])
        # the checks naming the client stay readable to it (its history), not the documents
        checks = self.env["lbc.compliance.check"].with_user(self.client_a_buyer).search([])
        self.assertTrue(checks)
        self.assertTrue(all(check.engagement_closed for check in checks))
        self._login(self.client_a_buyer)
        page = self.url_open("/my/vigilance").text
        self.assertIn("You contract with no provider", page)
        self.assertNotIn(f"/my/vigilance/{self.urssaf.id}", page)
        self._assert_redirected_away_from_document()
        response, by_attachment = self._download()
        self.assertIn(response.status_code, (403, 404))
        self.assertIn(by_attachment.status_code, (403, 404))
        with self.assertRaises(AccessError):
            self.attachment.with_user(self.client_a_buyer).read(["raw"])
        # the provider still reads its own
        found, read = self._rpc_read(self.provider_a_admin)
        self.assertIn(self.urssaf, found)

    def _assert_redirected_away_from_document(self):
        response = self.url_open(f"/my/vigilance/{self.urssaf.id}")
        self.assertNotIn(URSSAF_CODE, response.text)
        self.assertFalse(response.url.endswith(f"/my/vigilance/{self.urssaf.id}"), response.url)

    @mute_logger("odoo.http")
    def test_provider_has_no_client_page(self):
        self._login(self.provider_a_admin)
        self.assertEqual(self.url_open("/my/vigilance").status_code, 404)

    def test_client_opens_the_urssaf_attestation_tour(self):
        """In a browser: a client member opens its provider's URSSAF attestation from the portal home, sees its
        security code and the link to urssaf.fr's verification page, and downloads the PDF."""
        self.start_tour("/my", "lbc_compliance_client_vigilance_tour", login="client_a_buyer")
