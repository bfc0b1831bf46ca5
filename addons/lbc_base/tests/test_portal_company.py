from odoo.tests import HttpCase, tagged

from .common import LbcBaseCommon, LbcPortalPageMixin, make_siret


@tagged("post_install", "-at_install")
class TestCompanyPortal(HttpCase, LbcPortalPageMixin, LbcBaseCommon):
    """My company and the agreements pages (controllers/portal_company.py), with lbc_base's dependencies only."""

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

    # ------------------------------------------------------------------ pages and access
    def test_pages_for_the_member(self):
        self._login(self.provider_a_admin)
        for url in (
            "/my",
            "/my/company",
            "/my/agreements",
            "/my/agreements?filterby=to_accept&sortby=name&search=Framework",
            f"/my/agreements/{self.framework.id}",
            f"/report/pdf/lbc_base.lbc_agreement_document/{self.framework.id}",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
        home = self.url_open("/my").text
        self.assertIn('href="/my/company"', home)
        self.assertIn('href="/my/agreements"', home)
        company_page = self.url_open("/my/company").text
        self.assertIn("Provider A Consultant", company_page)
        self.assertIn("Submit for validation", company_page)
        self.assertIn('<li class="breadcrumb-item active">My company</li>', company_page)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["lbc_agreement_count", "lbc_join_request_count"]}
        )
        # terms (member) and framework (provider company) are to accept; nothing else yet
        self.assertEqual(counters, {"lbc_agreement_count": 2, "lbc_join_request_count": 0})

    def test_agreement_list_filters(self):
        self._login(self.provider_a_admin)
        self._post(f"/my/agreements/{self.framework.id}/accept")
        to_accept = self.url_open("/my/agreements?filterby=to_accept").text
        self.assertIn("Tour Terms", to_accept)
        self.assertNotIn("Tour Framework Contract", to_accept)
        accepted = self.url_open("/my/agreements?filterby=accepted").text
        self.assertIn("Tour Framework Contract", accepted)
        self.assertNotIn("Tour Terms", accepted)
        every = self.url_open("/my/agreements").text
        self.assertIn("Tour Terms", every)
        self.assertNotIn("Tour Main Contract", every, "a provider has no client contract to accept")
        searched = self.url_open("/my/agreements?search=Framework&search_in=name").text
        self.assertNotIn("Tour Terms", searched)
        self.assertIn("Tour Framework Contract", searched)
        # the field behind the filters: the member's own terms, its company's contracts
        Agreement = self.env["lbc.agreement"]
        self.assertEqual(
            Agreement.with_user(self.provider_a_admin).search([("is_accepted", "=", True)]), self.framework
        )
        self.assertEqual(
            Agreement.with_user(self.provider_a_consultant).search([("is_accepted", "=", True)]), self.framework
        )
        self.assertFalse(Agreement.with_user(self.provider_b_admin).search([("is_accepted", "=", True)]))
        self.assertIn(self.framework, Agreement.with_user(self.provider_b_admin).search([("is_accepted", "=", False)]))

    def test_other_companies_are_out_of_reach(self):
        self._login(self.provider_b_admin)
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
        self.assertEqual(self._post("/my/company/role/999999999/revoke").status_code, 404)
        self.assertTrue(role.active)
        self.assertFalse(self.provider_a_consultant.partner_id.lbc_member_role_ids)
        # a client has no provider contract
        self._login(self.client_a_admin)
        self.assertEqual(self.url_open(f"/my/agreements/{self.framework.id}").status_code, 404)
        self.assertEqual(self.url_open(f"/my/agreements/{self.main_contract.id}").status_code, 200)
        # a plain member cannot grant roles in its own company either
        self._login(self.provider_a_consultant)
        response = self._post(f"/my/company/member/{self.provider_a_consultant.partner_id.id}/grant", {"role": "admin"})
        self.assertEqual(response.status_code, 403)
        self.assertIn("Only an administrator", response.text)
        # anonymous visitors are sent to the login page
        self.authenticate(None, None)
        for url in ("/my/company", "/my/agreements"):
            response = self.url_open(url)
            self.assertIn("/web/login", response.url, url)

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
        self.assertIn("Your company is created", response.text)
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
        response = self._post("/my/company/submit")
        self.assertIn("The company is submitted", response.text)
        self.assertEqual(company.lbc_state, "submitted")

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

    # ------------------------------------------------------------------ agreements
    def test_agreement_acceptance(self):
        self._login(self.provider_a_consultant)
        response = self._post(f"/my/agreements/{self.framework.id}/accept")
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.provider_a.lbc_has_accepted("provider_framework"))
        self._login(self.provider_a_admin)
        response = self._post(f"/my/agreements/{self.framework.id}/accept")
        self.assertIn("the acceptance is recorded", response.text)
        self.assertTrue(self.provider_a.lbc_has_accepted("provider_framework"))
        self.assertIn("o_lbc_accepted", self.url_open(f"/my/agreements/{self.framework.id}").text)

    # ------------------------------------------------------------------ the browser journey
    def test_company_tour(self):
        self.terms.with_user(self.loner).action_accept()
        self.start_tour("/my/company", "lbc_base_company_tour", login="loner")
        company = self.loner.partner_id.parent_id
        self.assertEqual(company.name, "Tour Provider SAS")
        self.assertTrue(company.lbc_is_provider)
        self.assertTrue(company.lbc_has_accepted("provider_framework"))
