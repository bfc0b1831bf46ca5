from odoo.exceptions import AccessError, UserError, ValidationError

from .common import LbcBaseCommon


class TestMember(LbcBaseCommon):
    def test_member_reads_own_company_and_colleagues(self):
        Partner = self.env["res.partner"].with_user(self.client_a_buyer)
        visible = Partner.search([("id", "in", (self.client_a | self.client_a_admin.partner_id).ids)])
        self.assertEqual(visible, self.client_a | self.client_a_admin.partner_id)
        self.assertEqual(self.client_a.with_user(self.client_a_buyer).name, "Client A")

    def test_isolation_between_companies(self):
        other = self.client_b.with_user(self.client_a_admin)
        self.assertFalse(
            self.env["res.partner"].with_user(self.client_a_admin).search([("id", "=", self.client_b.id)]),
            "another company is not even found",
        )
        with self.assertRaises(AccessError):
            other.read(["name"])
        with self.assertRaises(AccessError):
            other.write({"name": "Hacked"})
        with self.assertRaises(AccessError):
            other.unlink()
        with self.assertRaises(AccessError):
            self.client_b_admin.partner_id.with_user(self.client_a_admin).read(["email"])
        with self.assertRaises(AccessError):
            other.action_lbc_update({"name": "Hacked"})
        self.assertEqual(self.client_b.name, "Client B")
        roles_b = (
            self.env["lbc.company.role"]
            .with_user(self.client_a_admin)
            .search([("member_company_id", "=", self.client_b.id)])
        )
        self.assertFalse(roles_b)
        roles_a = (
            self.env["lbc.company.role"]
            .with_user(self.client_a_buyer)
            .search([("member_company_id", "=", self.client_a.id)])
        )
        self.assertEqual(roles_a.member_id, self.client_a_admin.partner_id)

    def test_member_cannot_write_own_company_directly(self):
        with self.assertRaises(AccessError):
            self.client_a.with_user(self.client_a_admin).write({"name": "Renamed"})

    def test_admin_updates_company_through_method(self):
        self.client_a.with_user(self.client_a_admin).action_lbc_update({"city": "Lyon", "phone": "+33 4 00 00 00 00"})
        self.assertEqual(self.client_a.city, "Lyon")
        with self.assertRaisesRegex(AccessError, "Only an administrator"):
            self.client_a.with_user(self.client_a_buyer).action_lbc_update({"city": "Nice"})
        with self.assertRaisesRegex(AccessError, "cannot be changed by a member"):
            self.client_a.with_user(self.client_a_admin).action_lbc_update({"lbc_state": "validated"})
        self.assertEqual(self.client_a.city, "Lyon")
        self.assertEqual(self.client_a.lbc_state, "draft")

    def test_validated_company_identity_locked(self):
        self._validate(self.client_a)
        with self.assertRaisesRegex(UserError, "changed by LBC"):
            self.client_a.with_user(self.client_a_admin).action_lbc_update({"name": "New Name"})
        self.assertEqual(self.client_a.name, "Client A")
        # nor its kind: a validated client does not become a provider LBC never reviewed
        with self.assertRaisesRegex(UserError, "changed by LBC"):
            self.client_a.with_user(self.client_a_admin).action_lbc_update({"lbc_is_provider": True})
        self.assertFalse(self.client_a.lbc_is_provider)
        # the whole form sent back unchanged is no change
        self.client_a.with_user(self.client_a_admin).action_lbc_update(
            {"name": "Client A", "lbc_is_client": True, "lbc_is_provider": False, "city": "Lyon"}
        )
        self.assertEqual(self.client_a.city, "Lyon")

    def test_submitted_company_identity_locked(self):
        """While LBC reviews the company, its identity does not change under the reviewer's eyes."""
        self.client_a.with_user(self.client_a_admin).action_lbc_submit()
        self.assertEqual(self.client_a.lbc_state, "submitted")
        with self.assertRaisesRegex(UserError, "changed by LBC"):
            self.client_a.with_user(self.client_a_admin).action_lbc_update({"company_registry": "73282932000074"})
        self.assertNotEqual(self.client_a.company_registry, "73282932000074")

    def test_grant_role(self):
        buyer = self.client_a_buyer
        self.assertFalse(buyer._lbc_has_role("tender_publisher"))
        buyer.partner_id.with_user(self.client_a_admin).action_lbc_grant_role("tender_publisher")
        self.assertTrue(buyer._lbc_has_role("tender_publisher"))
        with self.assertRaises(AccessError):
            self.client_a_admin.partner_id.with_user(buyer).action_lbc_grant_role("signatory")
        with self.assertRaises(AccessError):
            buyer.partner_id.with_user(self.client_b_admin).action_lbc_grant_role("admin")
        with self.assertRaisesRegex(UserError, "Unknown role"):
            buyer.partner_id.with_user(self.client_a_admin).action_lbc_grant_role("king")
        self.assertFalse(buyer._lbc_has_role("admin"))

    def test_role_requires_membership(self):
        with self.assertRaisesRegex(ValidationError, "is not a member"):
            self.env["lbc.company.role"].create(
                {"member_id": self.client_b_admin.partner_id.id, "member_company_id": self.client_a.id, "role": "admin"}
            )

    def test_signatory_verification(self):
        role = self.provider_a.lbc_role_ids.filtered(lambda r: r.role == "signatory")
        self.assertEqual(role.verification_state, "to_verify")
        self.assertFalse(self.provider_a_admin._lbc_has_role("signatory", verified=True))
        with self.assertRaises(AccessError):
            role.with_user(self.provider_a_admin).action_verify()
        with self.assertRaisesRegex(UserError, "Attach the proof"):
            role.with_user(self.compliance_officer).action_verify()
        role.proof_attachment_ids = [(0, 0, {"name": "kbis.pdf", "raw": b"%PDF-1.4 kbis"})]
        role.with_user(self.compliance_officer).action_verify()
        self.assertEqual(role.verification_state, "verified")
        self.assertEqual(role.verified_by_id, self.compliance_officer)
        self.assertTrue(self.provider_a_admin._lbc_has_role("signatory", verified=True))

    def test_signatory_refused_tells_the_company(self):
        role = self.provider_a.lbc_role_ids.filtered(lambda r: r.role == "signatory")
        with self.assertRaisesRegex(UserError, "reason"):
            role.with_user(self.compliance_officer).action_refuse("  ")
        role.with_user(self.compliance_officer).action_refuse("The Kbis extract is older than three months.")
        self.assertEqual(role.verification_state, "refused")
        self.assertEqual(role.refusal_reason, "The Kbis extract is older than three months.")
        message = self.provider_a.message_ids.filtered(lambda m: "signatory not verified" in (m.subject or ""))
        self.assertTrue(message, "the company's administrators are told by e-mail")
        self.assertIn(self.provider_a_admin.partner_id, message.partner_ids)

    def test_leave_company(self):
        consultant = self.provider_a_consultant
        consultant.partner_id.with_user(self.provider_a_admin).action_lbc_grant_role("cra_approver")
        consultant.partner_id.with_user(consultant).action_lbc_leave_company()
        self.assertFalse(consultant.partner_id.parent_id)
        self.assertTrue(consultant.partner_id.exists(), "the member stays")
        self.assertEqual(consultant.partner_id.lbc_profile_type, "consultant", "the profile stays")
        self.assertFalse(consultant._lbc_has_role("cra_approver", self.provider_a))
        archived = (
            self.env["lbc.company.role"]
            .with_context(active_test=False)
            .search([("member_id", "=", consultant.partner_id.id)])
        )
        self.assertTrue(archived and not any(archived.mapped("active")), "history stays, archived")
        with self.assertRaises(AccessError):
            self.provider_a.with_user(consultant).read(["name"])

    def test_last_admin_cannot_leave(self):
        with self.assertRaisesRegex(UserError, "only administrator"):
            self.client_a_admin.partner_id.with_user(self.client_a_admin).action_lbc_leave_company()
        self.assertEqual(self.client_a_admin.partner_id.parent_id, self.client_a)

    def test_member_cannot_remove_colleague_without_admin_role(self):
        with self.assertRaises(AccessError):
            self.client_a_admin.partner_id.with_user(self.client_a_buyer).action_lbc_leave_company()

    def test_switch_company_through_join_request(self):
        buyer = self.client_a_buyer
        request_id = self.env["res.partner"].with_user(buyer).action_lbc_request_join(self.client_b.id)
        request = self.env["lbc.join.request"].browse(request_id)
        self.assertEqual(request.state, "pending")
        self.assertIn(self.client_b_admin.partner_id, request.message_ids.partner_ids, "B's admins are told")
        with self.assertRaisesRegex(UserError, "already asked"):
            self.env["res.partner"].with_user(buyer).action_lbc_request_join(self.client_b.id)
        with self.assertRaises(AccessError):
            request.with_user(buyer).action_accept()
        with self.assertRaises(AccessError):
            request.with_user(self.client_a_admin).action_accept()
        self.assertEqual(buyer.partner_id.parent_id, self.client_a)
        request.with_user(self.client_b_admin).action_accept()
        self.assertEqual(request.state, "accepted")
        self.assertEqual(buyer.partner_id.parent_id, self.client_b)
        self.assertTrue(self.client_b.with_user(buyer).read(["name"]))
        with self.assertRaises(AccessError):
            self.client_a.with_user(buyer).read(["name"])

    def test_join_request_refused_with_reason(self):
        request = self.env["lbc.join.request"].browse(
            self.env["res.partner"].with_user(self.client_a_buyer).action_lbc_request_join(self.client_b.id)
        )
        with self.assertRaisesRegex(UserError, "reason"):
            request.with_user(self.client_b_admin).action_refuse("")
        request.with_user(self.client_b_admin).action_refuse("We do not know you.")
        self.assertEqual(request.state, "refused")
        self.assertEqual(self.client_a_buyer.partner_id.parent_id, self.client_a)
        with self.assertRaisesRegex(UserError, "already answered"):
            request.with_user(self.client_b_admin).action_accept()

    def test_operator_attaches_member(self):
        with self.assertRaises(AccessError):
            self.client_a_buyer.partner_id.with_user(self.client_b_admin).action_lbc_attach_company(self.client_b.id)
        self.client_a_buyer.partner_id.with_user(self.operator).action_lbc_attach_company(self.client_b.id)
        self.assertEqual(self.client_a_buyer.partner_id.parent_id, self.client_b)

    def test_member_without_company_creates_one(self):
        from odoo.tests import new_test_user

        loner = new_test_user(self.env, "loner", groups="base.group_portal", name="Lone Wolf")
        loner.partner_id.lbc_profile_type = "freelancer"
        member_company_id = (
            self.env["res.partner"]
            .with_user(loner)
            .lbc_create_company(
                {
                    "name": "Wolf EI",
                    "lbc_is_provider": True,
                    "street": "2 rue",
                    "city": "Caen",
                    "country_id": self.france.id,
                }
            )
        )
        company = self.env["res.partner"].browse(member_company_id)
        self.assertEqual(loner.partner_id.parent_id, company)
        self.assertEqual(company.lbc_state, "draft")
        self.assertTrue(loner._lbc_has_role("admin", company))
        with self.assertRaisesRegex(UserError, "already belong"):
            self.env["res.partner"].with_user(loner).lbc_create_company({"name": "Second", "lbc_is_client": True})
        with self.assertRaisesRegex(AccessError, "cannot be set by a member"):
            self.env["res.partner"].with_user(self.provider_a_consultant).lbc_create_company(
                {"name": "X", "lbc_is_client": True, "lbc_state": "validated"}
            )

    def test_profile_type_matches_company_kind(self):
        with self.assertRaisesRegex(ValidationError, "client profile"):
            self.provider_a_consultant.partner_id.lbc_profile_type = "buyer"
        with self.assertRaisesRegex(ValidationError, "provider profile"):
            self.client_a_buyer.partner_id.lbc_profile_type = "consultant"
