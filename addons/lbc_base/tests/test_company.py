from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.safe_eval import safe_eval

from .common import LbcBaseCommon, make_fr_vat, make_siret


class TestCompany(LbcBaseCommon):
    def test_siret_valid_gives_siren(self):
        siret = make_siret(1)
        company = self._create_company(
            "Valid SIRET", client=True, company_registry=f"{siret[:3]} {siret[3:6]} {siret[6:]}"
        )
        self.assertEqual(company.company_registry, siret, "spaces are removed")
        self.assertEqual(company.lbc_siren, siret[:9])
        self.assertEqual(company.lbc_state, "draft")
        self.assertFalse(company.lbc_is_foreign)

    def test_siret_invalid_refused(self):
        siret = make_siret(2)
        wrong = siret[:-1] + str((int(siret[-1]) + 1) % 10)
        with self.assertRaisesRegex(ValidationError, "is not valid"):
            self._create_company("Bad SIRET", client=True, company_registry=wrong)
        with self.assertRaisesRegex(ValidationError, "is not valid"):
            self._create_company("Short SIRET", client=True, company_registry="1234")

    def test_siret_invalid_on_write_keeps_old_value(self):
        before = self.client_a.company_registry
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.client_a.write({"company_registry": "12345678901234"})
        self.client_a.invalidate_recordset()
        self.assertEqual(self.client_a.company_registry, before)

    def test_siret_duplicate_refused(self):
        with self.assertRaisesRegex(ValidationError, "already registered"):
            self._create_company("Copycat", provider=True, company_registry=self.client_a.company_registry)
        self.assertEqual(self.client_a.lbc_state, "draft", "the first company is untouched")

    def test_foreign_company(self):
        company = self._create_company("Brussels SRL", provider=True, country=self.belgium, vat="BE0477472701")
        self.assertTrue(company.lbc_is_foreign)
        self.assertFalse(company.lbc_siren)
        company.action_lbc_submit()
        self.assertEqual(company.lbc_state, "submitted")

    def test_vat_checked(self):
        siret = make_siret(3)
        with self.assertRaises(ValidationError):
            self._create_company("Bad VAT", client=True, company_registry=siret, vat="FR00123")
        company = self._create_company("Good VAT", client=True, company_registry=siret, vat=make_fr_vat(siret))
        self.assertEqual(company.vat, make_fr_vat(siret))

    def test_workflow_submit_validate(self):
        company = self.client_a.with_user(self.client_a_admin)
        company.action_lbc_submit()
        self.assertEqual(self.client_a.lbc_state, "submitted")
        mail = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.client_a.id), ("subject", "ilike", "submitted")],
            limit=1,
        )
        self.assertIn("submitted", mail.subject)
        self.assertIn(self.client_a_admin.partner_id, mail.partner_ids, "the company admins are e-mailed")
        with self.assertRaises(AccessError):
            company.action_lbc_validate()
        self.client_a.with_user(self.operator).action_lbc_validate()
        self.assertEqual(self.client_a.lbc_state, "validated")
        self.assertEqual(self.client_a.lbc_validated_by_id, self.operator)
        self.assertTrue(self.client_a.message_ids.filtered(lambda m: "validated" in (m.subject or "")))

    def test_submit_by_non_admin_refused(self):
        with self.assertRaisesRegex(AccessError, "Only an administrator"):
            self.client_a.with_user(self.client_a_buyer).action_lbc_submit()
        with self.assertRaises(AccessError):
            self.client_a.with_user(self.client_b_admin).action_lbc_submit()
        self.assertEqual(self.client_a.lbc_state, "draft")

    def test_submit_incomplete_lists_missing(self):
        company = self._create_company("No SIRET", client=True, company_registry=False, street=False)
        with self.assertRaisesRegex(UserError, "SIRET, address"):
            company.action_lbc_submit()
        self.assertEqual(company.lbc_state, "draft")

    def test_reject_requires_reason_then_resubmit(self):
        self.client_a.action_lbc_submit()
        operator_view = self.client_a.with_user(self.operator)
        with self.assertRaisesRegex(UserError, "reason"):
            operator_view.action_lbc_reject(reason="  ")
        self.assertEqual(self.client_a.lbc_state, "submitted")
        operator_view.action_lbc_reject(reason="The Kbis does not match the name.")
        self.assertEqual(self.client_a.lbc_state, "rejected")
        self.assertEqual(self.client_a.lbc_state_reason, "The Kbis does not match the name.")
        with self.assertRaisesRegex(UserError, "cannot be validated"):
            operator_view.action_lbc_validate()
        self.client_a.with_user(self.client_a_admin).action_lbc_submit()
        self.assertEqual(self.client_a.lbc_state, "submitted")
        self.assertFalse(self.client_a.lbc_state_reason)

    def test_reject_wizard(self):
        self.client_a.action_lbc_submit()
        action = self.client_a.with_user(self.operator).action_lbc_open_reject_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.operator)
            .with_context(**action["context"])
            .create({"reason": "Unknown company"})
        )
        wizard.action_confirm()
        self.assertEqual(self.client_a.lbc_state, "rejected")

    def test_suspend_and_reinstate(self):
        self._validate(self.provider_a)
        operator_view = self.provider_a.with_user(self.operator)
        operator_view.action_lbc_suspend(reason="Unpaid fees")
        self.assertEqual(self.provider_a.lbc_state, "suspended")
        operator_view.action_lbc_reinstate()
        self.assertEqual(self.provider_a.lbc_state, "validated")

    def test_state_not_writable(self):
        with self.assertRaisesRegex(UserError, "only through its actions"):
            self.client_a.with_user(self.operator).write({"lbc_state": "validated"})
        self.assertEqual(self.client_a.lbc_state, "draft")

    def test_operator_queue_action(self):
        self.client_a.action_lbc_submit()
        action = self.env["ir.actions.act_window"]._for_xml_id("lbc_base.res_partner_action_lbc_queue")
        queue = (
            self.env["res.partner"]
            .with_user(self.operator)
            .search([*safe_eval(action["domain"]), ("lbc_state", "=", "submitted")])
        )
        self.assertIn(self.client_a, queue)
        self.assertNotIn(self.client_b, queue)
