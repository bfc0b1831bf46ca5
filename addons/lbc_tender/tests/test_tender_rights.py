from odoo.exceptions import AccessError

from .common import LbcTenderCommon


class TestTenderRights(LbcTenderCommon):
    def test_providers_see_published_tenders_only_when_allowed(self):
        draft = self.env["lbc.tender"].with_user(self.client_a_buyer).create(self._tender_vals(name="Draft one"))
        tender = self._published_tender()
        Tender = self.env["lbc.tender"]
        self.assertEqual(Tender.with_user(self.provider_a_admin).search([("id", "in", (draft | tender).ids)]), tender)
        # a provider that is not validated sees nothing
        newcomer = self._create_company("Provider C", provider=True)
        newcomer_admin = self._create_member(newcomer, "provider_c_admin", "company_manager", ["admin"])
        self.framework.with_user(newcomer_admin).action_accept()
        newcomer.with_user(newcomer_admin).action_lbc_acknowledge_labour_law()
        self.assertFalse(Tender.with_user(newcomer_admin).search([("id", "=", tender.id)]))
        with self.assertRaises(AccessError):
            tender.with_user(newcomer_admin).read(["name"])
        # validated, but the framework contract has a new version not accepted yet
        self._validate(newcomer)
        self.assertEqual(Tender.with_user(newcomer_admin).search([("id", "=", tender.id)]), tender)
        v2 = self.env["lbc.agreement"].create(
            {"name": "Framework", "kind": "provider_framework", "version": 302, "body": "<p>v2</p>"}
        )
        self.assertFalse(Tender.with_user(newcomer_admin).search([("id", "=", tender.id)]))
        v2.with_user(newcomer_admin).action_accept()
        self.assertEqual(Tender.with_user(newcomer_admin).search([("id", "=", tender.id)]), tender)

    def test_labour_law_ack_required_to_see(self):
        tender = self._published_tender()
        company = self._create_company("Provider D", provider=True)
        admin = self._create_member(company, "provider_d_admin", "company_manager", ["admin"])
        self._validate(company)
        self.framework.with_user(admin).action_accept()
        self.assertFalse(self.env["lbc.tender"].with_user(admin).search([("id", "=", tender.id)]))
        with self.assertRaises(AccessError):
            company.with_user(
                self._create_member(company, "provider_d_cons", "consultant")
            ).action_lbc_acknowledge_labour_law()
        company.with_user(admin).action_lbc_acknowledge_labour_law()
        self.assertTrue(self.env["lbc.tender"].with_user(admin).search([("id", "=", tender.id)]))

    def test_clients_see_only_their_tenders(self):
        tender = self._published_tender()
        self.assertFalse(self.env["lbc.tender"].with_user(self.client_b_admin).search([("id", "=", tender.id)]))
        with self.assertRaises(AccessError):
            tender.with_user(self.client_b_admin).read(["name"])
        with self.assertRaises(AccessError):
            tender.with_user(self.client_b_admin).write({"description": "<p>hijack</p>"})
        with self.assertRaises(AccessError):
            self.env["lbc.tender"].with_user(self.client_b_admin).create(self._tender_vals())
        with self.assertRaises(AccessError):
            tender.with_user(self.provider_a_admin).write({"description": "<p>hijack</p>"})

    def test_bids_isolated_between_providers_and_clients(self):
        tender = self._published_tender(sealed=False)
        bid_a = self._bid(tender, self.provider_a_admin)
        bid_b = self._bid(tender, self.provider_b_admin)
        Bid = self.env["lbc.tender.bid"]
        self.assertEqual(Bid.with_user(self.provider_a_admin).search([("tender_id", "=", tender.id)]), bid_a)
        with self.assertRaises(AccessError):
            bid_b.with_user(self.provider_a_admin).read(["daily_rate"])
        with self.assertRaises(AccessError):
            bid_b.with_user(self.provider_a_admin).action_withdraw()
        # unsealed: the client sees both at once; another client none
        self.assertEqual(Bid.with_user(self.client_a_admin).search([("tender_id", "=", tender.id)]), bid_a | bid_b)
        self.assertFalse(Bid.with_user(self.client_b_admin).search([("tender_id", "=", tender.id)]))
        with self.assertRaises(AccessError):
            bid_a.with_user(self.client_b_admin).read(["daily_rate"])
        with self.assertRaises(AccessError):
            bid_a.with_user(self.client_a_admin).write({"daily_rate": 1})
        # the client reads the bidding provider's name, not other companies
        self.assertEqual(self.provider_a.with_user(self.client_a_admin).name, "Provider A")
        with self.assertRaises(AccessError):
            self.client_b.with_user(self.client_a_admin).read(["name"])

    def test_draft_bids_hidden_from_client(self):
        tender = self._published_tender(sealed=False)
        draft = self._bid(tender, self.provider_a_admin, submit=False)
        self.assertFalse(self.env["lbc.tender.bid"].with_user(self.client_a_admin).search([("id", "=", draft.id)]))

    def test_only_lbc_approves_and_contracts(self):
        tender = self._published_tender(sealed=False)
        bid = self._bid(tender, self.provider_a_admin)
        bid.with_user(self.client_a_buyer).action_select()
        with self.assertRaises(AccessError):
            bid.with_user(self.client_a_admin).action_approve()
        with self.assertRaises(AccessError):
            bid.with_user(self.provider_a_admin).action_approve()
        with self.assertRaises(AccessError):
            bid.with_user(self.provider_a_admin).action_contract()
        self.assertEqual(bid.state, "selected")

    def test_missions_visible_to_their_parties_only(self):
        tender = self._published_tender(sealed=False)
        bid = self._bid(tender, self.provider_a_admin)
        bid.with_user(self.client_a_buyer).action_select()
        self._make_compliant(self.provider_a)
        self._verify_signatory(self.provider_a)
        bid.with_user(self.operator).action_approve()
        mission = bid.with_user(self.operator).action_contract()
        Mission = self.env["lbc.mission"]
        self.assertEqual(Mission.with_user(self.client_a_buyer).search([]), mission)
        self.assertEqual(Mission.with_user(self.provider_a_consultant).search([]), mission)
        self.assertFalse(Mission.with_user(self.provider_b_admin).search([]))
        self.assertFalse(Mission.with_user(self.client_b_admin).search([]))
        with self.assertRaises(AccessError):
            mission.with_user(self.client_a_admin).write({"daily_rate": 1})
        with self.assertRaises(AccessError):
            mission.with_user(self.client_a_admin).action_terminate(reason="bye")
        # the client sees its order, the provider LBC's purchase order
        self.assertTrue(mission.sale_order_id.with_user(self.client_a_admin).read(["name"]))
        self.assertTrue(mission.purchase_order_id.with_user(self.provider_a_admin).read(["name"]))
        with self.assertRaises(AccessError):
            mission.purchase_order_id.with_user(self.client_a_admin).read(["name"])

    def test_provider_reads_the_tenders_it_bid_on(self):
        """A cancelled tender leaves the marketplace but not the bids page of the providers that bid on it."""
        tender = self._published_tender(name="Cancelled later")
        bid = self._bid(tender, self.provider_a_admin)
        tender.with_user(self.client_a_buyer).action_cancel(reason="Budget frozen")
        self.assertEqual(bid.with_user(self.provider_a_admin).tender_id.name, "Cancelled later")
        self.assertFalse(self.env["lbc.tender"].with_user(self.provider_b_admin).search([("id", "=", tender.id)]))
        self.assertEqual(
            self.env["lbc.tender"].with_user(self.provider_a_admin).search([("state", "=", "cancelled")]), tender
        )
