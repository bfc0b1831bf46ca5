import ast

from odoo import fields
from odoo.addons.lbc_base.tests.common import lbc_feature_for

from .common import LbcTenderCommon

ALERT = "New call for tenders matching your skills"
QUERIES = 24  # the same for one alerted provider and for five
DIGEST = "New calls for tenders matching your skills"


class TestTenderAlerts(LbcTenderCommon):
    """Instant tender alerts are sold by a plan (feature `tender_alerts`): a provider whose company has it hears of
    a matching tender when it is published, and the daily digest does not tell it again; without it, the digest
    only. The plan itself lives in lbc_erp_client: here the gate is patched."""

    def _featured(self, *companies):
        return lbc_feature_for(self.registry, "tender_alerts", companies)

    def _mails(self, partner, subject):
        return self.env["mail.mail"].search([("subject", "=", subject), ("recipient_ids", "in", partner.ids)])

    def _add_provider(self, name, login):
        provider = self._create_company(name, provider=True)
        admin = self._create_member(provider, login, "company_manager", ["admin"])
        self._validate(provider)
        self.framework.with_user(admin).action_accept()
        provider.with_user(admin).action_lbc_acknowledge_labour_law()
        provider.lbc_skill_ids = [(6, 0, self.python.ids)]
        return provider, admin

    def test_alert_with_the_feature_digest_without(self):
        admin_a, admin_b = self.provider_a_admin.partner_id, self.provider_b_admin.partner_id
        with self._featured(self.provider_a):
            tender = self._published_tender()
        alert = self._mails(admin_a, ALERT)
        self.assertEqual(len(alert), 1, "the provider with the feature is told at once")
        self.assertIn(tender.name, alert.body_html)
        url = admin_a._lbc_unsubscribe_url()
        self.assertIn(url, alert.body_html, "an alert carries its recipient's unsubscribe link")
        self.assertEqual(ast.literal_eval(alert.headers)["List-Unsubscribe"], f"<{url}>")
        self.assertFalse(self._mails(admin_b, ALERT), "without the feature: no instant alert")
        self.assertEqual(tender.digest_partner_ids, self.provider_a)

        self.env["lbc.tender"]._lbc_send_digests(today=fields.Date.today())
        self.assertFalse(self._mails(admin_a, DIGEST), "the digest does not tell an alerted provider again")
        digest = self._mails(admin_b, DIGEST)
        self.assertEqual(len(digest), 1, "the free plan gets the daily digest")
        self.assertIn(tender.name, digest.body_html)

    def test_no_alert_without_matching_skills_or_access(self):
        self.provider_a.lbc_skill_ids = [(6, 0, self.env.ref("lbc_base.lbc_skill_java").ids)]
        with self._featured(self.provider_a, self.provider_b):
            self.provider_b.sudo().lbc_state = "suspended"
            tender = self._published_tender(skill_ids=[(6, 0, self.python.ids)])
        self.assertFalse(self._mails(self.provider_a_admin.partner_id, ALERT), "skills do not match")
        self.assertFalse(self._mails(self.provider_b_admin.partner_id, ALERT), "a suspended provider is not told")
        self.assertFalse(tender.digest_partner_ids)

    def test_marketing_opt_out_respected(self):
        admin_a = self.provider_a_admin.partner_id
        admin_a.with_user(self.provider_a_admin).action_lbc_update_privacy({"lbc_marketing_opt_out": True})
        with self._featured(self.provider_a):
            self._published_tender()
        self.assertFalse(self._mails(admin_a, ALERT), "an admin who objected to such e-mails gets no alert")

    def test_alert_in_the_recipient_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        admin_a = self.provider_a_admin.partner_id
        admin_a.lang = "fr_FR"
        with self._featured(self.provider_a):
            self._published_tender()
        alert = self.env["mail.mail"].search([("recipient_ids", "in", admin_a.ids)], order="id desc", limit=1)
        self.assertEqual(alert.subject, "Nouvel appel d'offres correspondant à vos compétences")

    def _publish_silently(self, tender):
        tender.sudo()._lbc_workflow_write({"state": "published", "published_date": fields.Datetime.now()})
        self.env.flush_all()
        self.env.invalidate_all()

    def test_alerts_are_batched(self):
        """The number of queries does not grow with the number of alerted providers and recipients."""
        extra = [self._add_provider(f"Provider {n}", f"provider_{n}_admin") for n in range(4)]
        Tender = self.env["lbc.tender"].with_user(self.client_a_buyer)
        one = Tender.create(self._tender_vals(name="One provider"))
        many = Tender.create(self._tender_vals(name="Five providers"))
        warm_up = Tender.create(self._tender_vals(name="Warm-up"))  # the caches (template, agreements) once
        self._publish_silently(warm_up)
        with self._featured(self.provider_b):
            warm_up._lbc_send_instant_alerts()
            self.env.flush_all()
        self._publish_silently(one)
        with self._featured(self.provider_a), self.assertQueryCount(QUERIES):
            one._lbc_send_instant_alerts()
            self.env.flush_all()
        self.assertEqual(one.sudo().digest_partner_ids, self.provider_a)
        providers = self.provider_a.union(*(provider for provider, _admin in extra))
        self._publish_silently(many)
        with self._featured(*providers), self.assertQueryCount(QUERIES):
            many._lbc_send_instant_alerts()
            self.env.flush_all()
        self.assertEqual(many.sudo().digest_partner_ids, providers)
        for _provider, admin in extra:
            self.assertEqual(len(self._mails(admin.partner_id, ALERT)), 1)
