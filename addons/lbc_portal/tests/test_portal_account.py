import base64
import re
from datetime import timedelta

from odoo import fields, http
from odoo.addons.lbc_base.tests.common import LbcBaseCommon, make_siret
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@tagged("post_install", "-at_install")
class TestPortalAccount(HttpCase, LbcBaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Agreement = cls.env["lbc.agreement"]
        Agreement.search([]).write({"active": False})
        cls.terms = Agreement.create({"name": "Tour Terms", "kind": "terms", "version": 401, "body": "<p>Terms</p>"})
        cls.framework = Agreement.create(
            {
                "name": "Tour Framework Contract",
                "kind": "provider_framework",
                "version": 401,
                "body": "<p>Framework body</p>",
            }
        )
        cls.main_contract = Agreement.create(
            {"name": "Tour Main Contract", "kind": "client_main", "version": 401, "body": "<p>Main</p>"}
        )
        cls.provider_b = cls._create_company("Provider B", provider=True)
        cls.provider_b_admin = cls._create_member(cls.provider_b, "provider_b_admin", "company_manager", ["admin"])
        cls.loner = cls._create_member(cls.env["res.partner"], "loner", False)
        cls.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        cls.env["website"].search([]).write({"auth_signup_uninvited": "b2c"})

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _post(self, url, data=None, files=None):
        payload = dict(data or {}, csrf_token=http.Request.csrf_token(self))
        return self.url_open(url, data=payload, files=files)

    def _upload(self, user, type_code="urssaf", content=PDF, filename="urssaf.pdf", issue_date=None):
        self._login(user)
        issue_date = issue_date or fields.Date.to_string(fields.Date.today() - timedelta(days=3))
        return self._post(
            "/my/compliance/upload",
            {"type_code": type_code, "issue_date": issue_date, "urssaf_code": "ABC123"},
            files={"file": (filename, content, "application/octet-stream")},
        )

    # ------------------------------------------------------------------ pages and access
    def test_pages_for_the_member(self):
        self._login(self.provider_a_admin)
        for url in (
            "/my",
            "/my/lbc/account",
            "/my/company",
            "/my/agreements",
            "/my/agreements?filterby=to_accept&sortby=name&search=Framework",
            f"/my/agreements/{self.framework.id}",
            f"/report/pdf/lbc_base.lbc_agreement_document/{self.framework.id}",
            "/my/compliance",
            "/my/compliance?filterby=all&sortby=expiry_date",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
        company_page = self.url_open("/my/company").text
        self.assertIn("Provider A Consultant", company_page)
        self.assertIn("Submit for validation", company_page)
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {"counters": ["lbc_agreement_count", "lbc_join_request_count", "lbc_compliance_document_count"]},
        )
        # terms (member) and framework (provider company) are to accept; nothing else yet
        self.assertEqual(
            counters, {"lbc_agreement_count": 2, "lbc_join_request_count": 0, "lbc_compliance_document_count": 0}
        )

    def test_other_companies_are_out_of_reach(self):
        self.assertEqual(self._upload(self.provider_a_admin).status_code, 200)
        document = self.env["lbc.compliance.document"].search([("partner_id", "=", self.provider_a.id)])
        self.assertEqual(len(document), 1)
        self._login(self.provider_a_consultant)
        self.assertEqual(self.url_open(f"/my/compliance/{document.id}").status_code, 200)
        # another provider: redirected, the document is not shown
        self._login(self.provider_b_admin)
        response = self.url_open(f"/my/compliance/{document.id}")
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertNotIn("urssaf.pdf", response.text)
        self.assertNotIn("Provider A Consultant", self.url_open("/my/company").text)
        # nor can it act on provider A's roles or join requests
        role = self.env["lbc.company.role"].search([("member_company_id", "=", self.provider_a.id)], limit=1)
        self.assertEqual(self._post(f"/my/company/role/{role.id}/revoke").status_code, 404)
        join_id = self.env["res.partner"].with_user(self.loner).action_lbc_request_join(self.provider_a.id)
        self.assertEqual(self._post(f"/my/company/join/{join_id}/accept").status_code, 404)
        self.assertEqual(
            self._post(
                f"/my/company/member/{self.provider_a_consultant.partner_id.id}/grant", {"role": "admin"}
            ).status_code,
            404,
        )
        self.assertTrue(role.active)
        self.assertFalse(self.provider_a_consultant.partner_id.lbc_member_role_ids)
        # a client has no vigilance page and no provider contract
        self._login(self.client_a_admin)
        self.assertEqual(self.url_open("/my/compliance").status_code, 403)
        self.assertEqual(self.url_open(f"/my/agreements/{self.framework.id}").status_code, 404)
        self.assertEqual(self.url_open(f"/my/agreements/{self.main_contract.id}").status_code, 200)
        # a plain member cannot grant roles in its own company either
        self._login(self.provider_a_consultant)
        response = self._post(f"/my/company/member/{self.provider_a_consultant.partner_id.id}/grant", {"role": "admin"})
        self.assertEqual(response.status_code, 403)
        self.assertIn("Only an administrator", response.text)
        # anonymous visitors are sent to the login page
        self.authenticate(None, None)
        for url in ("/my/company", "/my/agreements", "/my/compliance", "/my/lbc/account"):
            response = self.url_open(url)
            self.assertIn("/web/login", response.url, url)

    # ------------------------------------------------------------------ signup
    def test_signup_refuses_freemail(self):
        self.authenticate(None, None)
        data = {
            "name": "Free Mail",
            "login": "someone@gmail.com",
            "password": "Pass-word-2026",
            "confirm_password": "Pass-word-2026",
            "lbc_accept_terms": "1",
        }
        response = self._post("/web/signup", data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("personal e-mail provider", response.text)
        self.assertIn('value="someone@gmail.com"', response.text, "what was typed is kept")
        self.assertFalse(self.env["res.users"].search([("login", "=", "someone@gmail.com")]))
        # without the terms: refused too
        response = self._post("/web/signup", dict(data, login="someone@pro-company.example", lbc_accept_terms=""))
        self.assertIn("accept the terms of use", response.text)
        self.assertFalse(self.env["res.users"].search([("login", "=", "someone@pro-company.example")]))

    def test_signup_logs_the_terms(self):
        self.authenticate(None, None)
        self._post(
            "/web/signup",
            {
                "name": "Pro Member",
                "login": "pro@pro-company.example",
                "password": "Pass-word-2026",
                "confirm_password": "Pass-word-2026",
                "lbc_accept_terms": "1",
            },
        )
        user = self.env["res.users"].search([("login", "=", "pro@pro-company.example")])
        self.assertTrue(user.has_group("base.group_portal"))
        acceptance = self.env["lbc.agreement.acceptance"].search([("user_id", "=", user.id)])
        self.assertEqual(acceptance.agreement_id, self.terms)
        self.assertTrue(user.partner_id.lbc_has_accepted("terms"))

    # ------------------------------------------------------------------ company
    def test_company_creation_through_the_form(self):
        self._login(self.loner)
        data = {"name": "Loner Consulting", "lbc_is_provider": "1", "company_registry": "12345678901234"}
        response = self._post("/my/company/create", data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("is not valid", response.text)
        self.assertIn('value="Loner Consulting"', response.text, "what was typed is kept")
        self.assertFalse(self.loner.partner_id.parent_id)
        # the live check says the same
        result = self.make_jsonrpc_request("/my/company/siret_check", {"siret": "12345678901234"})
        self.assertFalse(result["valid"])
        siret = make_siret(97531)
        self.assertTrue(self.make_jsonrpc_request("/my/company/siret_check", {"siret": siret})["valid"])
        taken = self.make_jsonrpc_request("/my/company/siret_check", {"siret": self.provider_a.company_registry})
        self.assertFalse(taken["valid"])
        response = self._post(
            "/my/company/create", dict(data, company_registry=siret, street="2 rue X", zip="75003", city="Paris")
        )
        self.assertEqual(response.status_code, 200)
        company = self.loner.partner_id.parent_id
        self.assertEqual(company.name, "Loner Consulting")
        self.assertEqual(company.company_registry, siret)
        self.assertTrue(company.lbc_is_provider)
        self.assertEqual(company.lbc_state, "draft")
        self.assertTrue(self.loner._lbc_has_role("admin", company))
        # edit and submit for validation
        self._post(
            "/my/company/update",
            {
                "name": "Loner Consulting SAS",
                "lbc_is_provider": "1",
                "company_registry": siret,
                "street": "2 rue X",
                "zip": "75003",
                "city": "Paris",
                "country_id": str(self.france.id),
            },
        )
        self.assertEqual(company.name, "Loner Consulting SAS")
        self._post("/my/company/submit")
        self.assertEqual(company.lbc_state, "submitted")
        # labour-law acknowledgement from the gate
        self._post("/my/company/acknowledge_labour_law", {"redirect": "/my/compliance"})
        self.assertTrue(company.lbc_labour_law_ack_date)

    def test_join_request_accepted_by_the_admin(self):
        self._login(self.loner)
        response = self.url_open(f"/my/company?join_search={self.provider_a.company_registry}")
        self.assertIn("Provider A", response.text)
        self.assertNotIn("Provider B", self.url_open("/my/company?join_search=Provider").text, "exact match only")
        response = self._post("/my/company/join", {"company_id": str(self.provider_a.id)})
        self.assertEqual(response.status_code, 200)
        self.assertIn("awaits an administrator", response.text)
        join = self.env["lbc.join.request"].search([("member_id", "=", self.loner.partner_id.id)])
        self.assertEqual(join.state, "pending")
        self._login(self.provider_a_admin)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["lbc_join_request_count"]})
        self.assertEqual(counters["lbc_join_request_count"], 1)
        self.assertIn("Loner", self.url_open("/my/company").text)
        self._post(f"/my/company/join/{join.id}/accept")
        self.assertEqual(join.state, "accepted")
        self.assertEqual(self.loner.partner_id.parent_id, self.provider_a)
        # the admin grants then revokes a role
        self._post(f"/my/company/member/{self.loner.partner_id.id}/grant", {"role": "cra_approver"})
        self.assertTrue(self.loner._lbc_has_role("cra_approver"))
        role = self.loner.partner_id.lbc_member_role_ids
        self._post(f"/my/company/role/{role.id}/revoke")
        self.assertFalse(self.loner._lbc_has_role("cra_approver"))
        # the member leaves, asks again; a refusal needs a reason
        self._login(self.loner)
        self._post("/my/company/leave")
        self.assertFalse(self.loner.partner_id.parent_id)
        self._post("/my/company/join", {"company_id": str(self.provider_a.id)})
        join = self.env["lbc.join.request"].search(
            [("member_id", "=", self.loner.partner_id.id), ("state", "=", "pending")]
        )
        self._login(self.provider_a_admin)
        response = self._post(f"/my/company/join/{join.id}/refuse", {"reason": ""})
        self.assertIn("Please give a reason", response.text)
        self._post(f"/my/company/join/{join.id}/refuse", {"reason": "We do not know you"})
        self.assertEqual(join.state, "refused")

    # ------------------------------------------------------------------ account
    def test_account_profile_and_deletion_request(self):
        self._login(self.provider_a_consultant)
        response = self._post("/my/lbc/account/profile", {"lbc_profile_type": "buyer"})
        self.assertEqual(response.status_code, 400, "a client profile in a provider company is refused")
        self._post("/my/lbc/account/profile", {"lbc_profile_type": "sales_manager"})
        self.assertEqual(self.provider_a_consultant.partner_id.lbc_profile_type, "sales_manager")
        response = self._post("/my/lbc/account/delete_request", {"reason": "Leaving"})
        self.assertEqual(response.status_code, 400, "the confirmation box is required")
        self.assertFalse(self.provider_a_consultant.partner_id.lbc_deletion_requested_date)
        self._post("/my/lbc/account/delete_request", {"reason": "Leaving", "confirm": "1"})
        partner = self.provider_a_consultant.partner_id
        self.assertTrue(partner.lbc_deletion_requested_date, "the lifecycle takes the request (48 hours)")
        self.assertTrue(partner.message_ids.filtered(lambda m: "Leaving" in (m.body or "")))

    # ------------------------------------------------------------------ agreements
    def test_agreement_acceptance(self):
        self._login(self.provider_a_consultant)
        response = self._post(f"/my/agreements/{self.framework.id}/accept")
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.provider_a.lbc_has_accepted("provider_framework"))
        self._login(self.provider_a_admin)
        self._post(f"/my/agreements/{self.framework.id}/accept")
        self.assertTrue(self.provider_a.lbc_has_accepted("provider_framework"))
        self.assertIn("o_lbc_accepted", self.url_open(f"/my/agreements/{self.framework.id}").text)

    # ------------------------------------------------------------------ vigilance documents
    def test_compliance_upload(self):
        with mute_logger("odoo.http"):
            response = self._upload(self.provider_a_admin, content=b"just some text", filename="notes.txt")
        self.assertEqual(response.status_code, 400)
        self.assertIn("is not a PDF, PNG or JPEG", response.text)
        self.assertIn('value="ABC123"', response.text, "what was typed is kept")
        Document = self.env["lbc.compliance.document"]
        self.assertFalse(Document.search([("partner_id", "=", self.provider_a.id)]))
        response = self._upload(self.provider_a_admin)
        self.assertEqual(response.status_code, 200)
        document = Document.search([("partner_id", "=", self.provider_a.id)])
        self.assertEqual(document.type_id.code, "urssaf")
        self.assertEqual(document.state, "submitted")
        self.assertEqual(document.urssaf_security_code, "ABC123")
        self.assertEqual(base64.b64decode(document.file), PDF)
        # a member without the admin role cannot upload
        response = self._upload(self.provider_a_consultant)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(len(Document.search([("partner_id", "=", self.provider_a.id)])), 1)

    # ------------------------------------------------------------------ the browser journey
    def test_account_tour(self):
        self.start_tour("/web/signup?redirect=/my/company", "lbc_portal_signup_tour", login=None)
        user = self.env["res.users"].search([("login", "=", "tina@tour-provider.example")])
        self.assertTrue(user)
        self.assertEqual(user.partner_id.lbc_account_state, "pending", "the account awaits its activation link")
        mail = self.env["mail.mail"].search([("email_to", "ilike", user.login)], order="id desc", limit=1)
        token = re.search(r"/web/activate\?token=([A-Za-z0-9_\-]+)", mail.body_html).group(1)
        self.start_tour(f"/web/activate?token={token}", "lbc_portal_account_tour", login=None)
        self.assertEqual(user.partner_id.lbc_account_state, "active")
        self.assertTrue(user.partner_id.lbc_has_accepted("terms"))
        company = user.partner_id.parent_id
        self.assertEqual(company.name, "Tour Provider SAS")
        self.assertTrue(company.lbc_is_provider)
        self.assertTrue(company.lbc_has_accepted("provider_framework"))
        document = self.env["lbc.compliance.document"].search([("partner_id", "=", company.id)])
        self.assertEqual(document.type_id.code, "urssaf")
        self.assertEqual(document.file_mimetype, "application/pdf")
