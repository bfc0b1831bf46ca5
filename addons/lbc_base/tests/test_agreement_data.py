from odoo.tests import tagged

from .common import LbcBaseCommon


@tagged("post_install", "-at_install")
class TestAgreementData(LbcBaseCommon):
    """Version 1 of the three agreements ships as data (no demo): a new member can accept them."""

    def test_shipped_agreements_exist_and_are_acceptable(self):
        shipped = {
            "terms": self.env.ref("lbc_base.agreement_terms_v1"),
            "provider_framework": self.env.ref("lbc_base.agreement_provider_framework_v1"),
            "client_main": self.env.ref("lbc_base.agreement_client_main_v1"),
        }
        for kind, agreement in shipped.items():
            self.assertEqual(agreement.kind, kind)
            self.assertEqual(agreement.version, 1)
            self.assertTrue(agreement.active)
        # English source, French translation of LBC's terms
        terms = shipped["terms"]
        self.assertIn("Registration and activation", terms.with_context(lang="en_US").body)
        self.assertIn("Inscription et activation", terms.with_context(lang="fr_FR").body)
        self.assertEqual(terms.with_context(lang="fr_FR").name, "Conditions Générales d'Utilisation")
        self.assertIn("majeur", terms.with_context(lang="fr_FR").body, "the declarations are in the terms")
        # the platform works before LBC publishes anything: these are the versions in force
        Agreement = self.env["lbc.agreement"]
        if not Agreement.search_count([("version", ">", 1), ("kind", "in", list(shipped))]):
            for kind, agreement in shipped.items():
                self.assertEqual(Agreement._lbc_current(kind), agreement, kind)
            # a new member of a client and provider company accepts the three of them
            both = self._create_company("Both Ways", client=True, provider=True)
            admin = self._create_member(both, "both_admin", "company_manager", ["admin", "signatory"])
            for agreement in shipped.values():
                agreement.with_user(admin).action_accept()
            self.assertTrue(admin.partner_id.lbc_has_accepted("terms"))
            self.assertTrue(both.lbc_has_accepted("provider_framework"))
            self.assertTrue(both.lbc_has_accepted("client_main"))
            acceptance = self.env["lbc.agreement.acceptance"].search(
                [("agreement_id", "=", shipped["terms"].id), ("user_id", "=", admin.id)]
            )
            self.assertTrue(acceptance.accepted_at)

    def test_new_version_is_announced_once(self):
        Agreement = self.env["lbc.agreement"]
        old = Agreement.create(
            {"name": "Terms", "kind": "terms", "version": 601, "date": "2020-01-01", "body": "<p>Old</p>"}
        )
        old.with_user(self.client_a_admin).action_accept()
        old.with_user(self.provider_a_admin).action_accept()
        Agreement._cron_lbc_announce_versions()
        self.assertTrue(old.announced)
        new = Agreement.create({"name": "Terms", "kind": "terms", "version": 602, "body": "<p>New</p>"})
        self.assertTrue(new.is_current)
        Mail = self.env["mail.mail"]
        before = Mail.search([])
        Agreement._cron_lbc_announce_versions(batch_size=1)
        mails = Mail.search([]) - before
        told = (self.client_a_admin | self.provider_a_admin).partner_id
        self.assertLessEqual(told, mails.recipient_ids, "those who accepted before are told")
        self.assertNotIn(self.client_a_buyer.partner_id, mails.recipient_ids, "not those who never accepted")
        self.assertIn("New version", mails[0].subject)
        self.assertIn(f"/my/agreements/{new.id}", mails[0].body_html)
        self.assertTrue(new.announced)
        # the gate asks the members for the new version
        self.assertIn(new, self.env["res.users"].with_user(self.client_a_admin)._lbc_agreements_to_accept())
        # safe to re-run: nobody is told twice
        Agreement._cron_lbc_announce_versions()
        self.assertEqual(Mail.search([]) - before, mails)
