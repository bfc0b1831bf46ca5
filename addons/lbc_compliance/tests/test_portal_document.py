import base64
from datetime import timedelta

from odoo import fields, http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .attestation_samples import urssaf_attestation
from .common import PDF, LbcComplianceCommon


@tagged("post_install", "-at_install")
class TestDocumentPortal(HttpCase, LbcComplianceCommon):
    """The provider's vigilance documents pages (controllers/portal.py), with lbc_compliance's dependencies only."""

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _post_upload(self, user, type_code="urssaf", content=PDF, filename="urssaf.pdf", issue_date=None):
        self._login(user)
        issue_date = issue_date or fields.Date.to_string(fields.Date.today() - timedelta(days=3))
        return self.url_open(
            "/my/compliance/upload",
            data={
                "type_code": type_code,
                "issue_date": issue_date,
                "urssaf_code": "ABC123DEF456GH7",
                "csrf_token": http.Request.csrf_token(self),
            },
            files={"file": (filename, content, "application/octet-stream")},
        )

    def _counter(self):
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["lbc_compliance_document_count"]})
        return counters["lbc_compliance_document_count"]

    def test_pages_for_the_provider(self):
        self._login(self.provider_a_admin)
        for url in (
            "/my",
            "/my/compliance",
            "/my/compliance?filterby=all&sortby=expiry_date",
            "/my/compliance?search=URSSAF&search_in=type",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
        self.assertIn('href="/my/compliance"', self.url_open("/my").text)
        self.assertIn('href="/my/compliance"', self.url_open("/my/company").text, "My company links to the documents")
        self.assertEqual(self._counter(), 0)
        self._upload(self.provider_a, "urssaf")
        self._upload(self.provider_a, "kbis")
        self.assertEqual(self._counter(), 2)
        page = self.url_open("/my/compliance?search=URSSAF&search_in=type").text
        self.assertEqual(page.count("o_lbc_compliance_row"), 1)
        self.assertEqual(self.url_open("/my/compliance?filterby=problems").text.count("o_lbc_compliance_row"), 0)
        self.assertEqual(self.url_open("/my/compliance?filterby=to_review").text.count("o_lbc_compliance_row"), 2)
        self.assertIn('<li class="breadcrumb-item active">Vigilance documents</li>', page)

    def test_other_companies_are_out_of_reach(self):
        self.assertEqual(self._post_upload(self.provider_a_admin).status_code, 200)
        document = self.Doc.search([("partner_id", "=", self.provider_a.id)])
        self.assertEqual(len(document), 1)
        self._login(self.provider_a_consultant)
        response = self.url_open(f"/my/compliance/{document.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("urssaf.pdf", response.text)
        # another provider: redirected, the document is not shown
        self._login(self.provider_b_admin)
        response = self.url_open(f"/my/compliance/{document.id}")
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertNotIn("urssaf.pdf", response.text)
        self.assertEqual(self._counter(), 0)
        # a client has no vigilance page
        self._login(self.client_a_admin)
        self.assertEqual(self.url_open("/my/compliance").status_code, 403)
        self.assertEqual(self._counter(), 0)
        # anonymous visitors are sent to the login page
        self.authenticate(None, None)
        for url in ("/my/compliance", f"/my/compliance/{document.id}"):
            self.assertIn("/web/login", self.url_open(url).url, url)

    def test_compliance_upload(self):
        with mute_logger("odoo.http"):
            response = self._post_upload(self.provider_a_admin, content=b"just some text", filename="notes.txt")
        self.assertEqual(response.status_code, 400)
        self.assertIn("is not a PDF, PNG or JPEG", response.text)
        self.assertIn('value="ABC123DEF456GH7"', response.text, "what was typed is kept")
        self.assertFalse(self.Doc.search([("partner_id", "=", self.provider_a.id)]))
        response = self._post_upload(self.provider_a_admin, issue_date="not-a-date")
        self.assertEqual(response.status_code, 400)
        self.assertIn("is not a date", response.text)
        response = self._post_upload(self.provider_a_admin)
        self.assertEqual(response.status_code, 200)
        self.assertIn("no text the suite can read", response.text, "a file without text: the member is told")
        document = self.Doc.search([("partner_id", "=", self.provider_a.id)])
        self.assertEqual(document.reading_state, "manual")
        self.assertIn("reviews it by hand", self.url_open(f"/my/compliance/{document.id}").text)
        self.assertEqual(document.type_id.code, "urssaf")
        self.assertEqual(document.state, "submitted")
        self.assertEqual(document.urssaf_security_code, "ABC123DEF456GH7")
        self.assertEqual(base64.b64decode(document.file), PDF)
        # a member without the admin role cannot upload
        response = self._post_upload(self.provider_a_consultant)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(len(self.Doc.search([("partner_id", "=", self.provider_a.id)])), 1)

    def test_document_tour(self):
        self.start_tour("/my/compliance", "lbc_compliance_document_tour", login="provider_a_admin")
        document = self.Doc.search([("partner_id", "=", self.provider_a.id)])
        self.assertEqual(document.type_id.code, "urssaf")
        self.assertEqual(document.file_mimetype, "application/pdf")
        self.assertEqual(document.state, "submitted")

    def test_upload_reads_the_attestation(self):
        """No date nor code typed: both are taken from the attestation; a wrong SIREN is refused on the page."""
        issued = fields.Date.today() - timedelta(days=4)
        siret = self.provider_a.company_registry
        good = urssaf_attestation("Provider A", siret, issued, "QWERTY123456789")
        self._login(self.provider_a_admin)
        response = self.url_open(
            "/my/compliance/upload",
            data={"type_code": "urssaf", "csrf_token": http.Request.csrf_token(self)},
            files={"file": ("urssaf.pdf", good, "application/pdf")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("LBC will verify it", response.text)
        document = self.Doc.search([("partner_id", "=", self.provider_a.id)])
        self.assertEqual((document.issue_date, document.urssaf_security_code), (issued, "QWERTY123456789"))
        self.assertEqual(document.reading_state, "matched")
        other = urssaf_attestation("Provider B", self.provider_b.company_registry, issued, "QWERTY123456789")
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/my/compliance/upload",
                data={"type_code": "urssaf", "csrf_token": http.Request.csrf_token(self)},
                files={"file": ("urssaf.pdf", other, "application/pdf")},
            )
        self.assertEqual(response.status_code, 400)
        self.assertIn("not for Provider A", response.text)
        self.assertEqual(len(self.Doc.search([("partner_id", "=", self.provider_a.id)])), 1)

    def test_upload_form_reads_the_attestation_first(self):
        """The form reads the chosen file (nothing stored) and pre-fills the date and the code (tour)."""
        self._login(self.provider_a_admin)
        issued = fields.Date.today() - timedelta(days=4)
        good = urssaf_attestation("Provider A", self.provider_a.company_registry, issued, "QWERTY123456789")
        result = self.make_jsonrpc_request(
            "/my/compliance/read",
            {"type_code": "urssaf", "filename": "a.pdf", "datas": base64.b64encode(good).decode()},
        )
        self.assertEqual(result["issue_date"], fields.Date.to_string(issued))
        self.assertEqual((result["urssaf_code"], result["reading_state"]), ("QWERTY123456789", "matched"))
        other = urssaf_attestation("Provider B", self.provider_b.company_registry, issued, "QWERTY123456789")
        result = self.make_jsonrpc_request(
            "/my/compliance/read",
            {"type_code": "urssaf", "filename": "b.pdf", "datas": base64.b64encode(other).decode()},
        )
        self.assertIn("not for Provider A", result["error"])
        self._login(self.provider_a_consultant)
        result = self.make_jsonrpc_request(
            "/my/compliance/read",
            {"type_code": "urssaf", "filename": "a.pdf", "datas": base64.b64encode(good).decode()},
        )
        self.assertIn("Only an administrator", result["error"])
        self.assertFalse(self.Doc.search([("partner_id", "=", self.provider_a.id)]), "nothing stored")
        self.start_tour("/my/compliance", "lbc_compliance_reading_tour", login="provider_a_admin")
        document = self.Doc.search([("partner_id", "=", self.provider_a.id)])
        self.assertEqual(document.urssaf_security_code, "TOURCODE1234567")
        self.assertEqual(document.issue_date, fields.Date.today() - timedelta(days=3))
        self.assertEqual(document.reading_state, "uncertain")
