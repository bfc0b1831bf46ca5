"""The daily tender digest spread over two runners at once (issue #20): two threads, each with its own real cursor
(its own PostgreSQL transaction), run the cron's method on the same providers, in small batches; every provider is
claimed once and gets one digest, each runner commits each of its batches. The fixture is committed (separate
transactions are the point) and left inert afterwards: the tender closed, the partners archived, the digests
cancelled."""

import time
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, api, fields
from odoo.addons.lbc_base.tests.common import LbcRunnersMixin, make_siret
from odoo.addons.lbc_tender.models import lbc_tender as tender_module
from odoo.orm.environments import Transaction
from odoo.tests import TransactionCase, tagged

N_PROVIDERS = 12
SUBJECT = "New calls for tenders matching your skills"


@tagged("post_install", "-at_install")
class TestDigestRunners(LbcRunnersMixin, TransactionCase):
    def _fixture(self):
        """A client, a published tender with a skill of its own and N_PROVIDERS validated providers with that
        skill (each its own e-mail address: the company receives its digest), committed."""
        seed = int(time.time() * 1000) % 10000 * 100 + 70
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True})
            Partner = env["res.partner"]
            category = env["lbc.skill.category"].search([], limit=1)
            skill = env["lbc.skill"].create({"name": f"Runner skill {seed}", "category_id": category.id})
            common = {"is_company": True, "country_id": env.ref("base.fr").id, "lbc_state": "validated"}
            client = Partner.create(
                {**common, "name": f"Digest Client {seed}", "lbc_is_client": True, "company_registry": make_siret(seed)}
            )
            providers = Partner.create(
                [
                    {
                        **common,
                        "name": f"Digest Provider {seed} {i}",
                        "email": f"digest-provider-{seed}-{i}@example.com",
                        "lbc_is_provider": True,
                        "company_registry": make_siret(seed + 1 + i),
                        "lbc_skill_ids": [Command.set(skill.ids)],
                    }
                    for i in range(N_PROVIDERS)
                ]
            )
            now = fields.Datetime.now()
            tender = env["lbc.tender"].create(
                {
                    "name": f"Digest runners {seed}",
                    "client_id": client.id,
                    "description": "<p>Build things</p>",
                    "skill_ids": [Command.set(skill.ids)],
                    "location": "Paris",
                    "date_start": (now + timedelta(days=30)).date(),
                    "duration_days": 20,
                    "max_daily_rate": 700,
                    "deadline": now + timedelta(days=7),
                }
            )
            # published as the fixture of a committed run (the publishing workflow is tested elsewhere)
            cr.execute("UPDATE lbc_tender SET state = 'published', published_date = %s WHERE id = %s", [now, tender.id])
            cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point
            return {"tender": tender.id, "providers": providers.ids, "partners": (client | providers).ids}

    def _make_inert(self, ids):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            cr.execute("UPDATE lbc_tender SET state = 'closed' WHERE id = %s", [ids["tender"]])
            mails = env["mail.mail"].search([("subject", "=", SUBJECT), ("recipient_ids", "in", ids["providers"])])
            mails.write({"state": "cancel"})
            env["res.partner"].browse(ids["partners"]).write({"active": False})
            cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point

    def _run_runners(self, n_runners, batch):
        """n_runners threads run the digest cron's method at once; returns, per runner, the batches it claimed
        (providers) and the number of its commits."""
        Partner = type(self.env["res.partner"])
        return self._lbc_run_runners(
            n_runners,
            lambda env: env["lbc.tender"]._cron_send_digests(),
            extra_patches=[
                patch.object(tender_module, "DIGEST_BATCH", batch),
                # the fixture's providers have not signed the framework contract: their access is not the point
                patch.object(Partner, "_lbc_tender_access_missing", lambda partner: []),
            ],
        )

    def test_two_runners_send_each_digest_once(self):
        ids = self._fixture()
        try:
            claims, commits = self._run_runners(2, batch=2)
            self.assertEqual(len(claims), 2, f"both runners took batches: {claims}")
            for runner, batches in claims.items():
                self.assertTrue(all(1 <= len(batch) <= 2 for batch in batches), f"{runner} committed each batch")
                self.assertEqual(commits[runner], len(batches))
            claimed = [pid for batches in claims.values() for batch in batches for pid in batch.ids]
            self.assertEqual(len(claimed), len(set(claimed)), "no provider claimed twice")
            self.assertLessEqual(set(ids["providers"]), set(claimed), "every provider claimed")
            with self.registry.cursor() as cr:  # what the runners committed, from another transaction
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                providers = env["res.partner"].browse(ids["providers"])
                today = fields.Date.context_today(env["lbc.tender"])
                self.assertEqual(set(providers.mapped("lbc_tender_digest_date")), {today})
                for provider in providers:
                    mails = env["mail.mail"].search([("subject", "=", SUBJECT), ("recipient_ids", "in", provider.ids)])
                    self.assertEqual(len(mails), 1, f"{provider.name}: one digest")
                tender = env["lbc.tender"].browse(ids["tender"])
                self.assertEqual(tender.digest_partner_ids, providers, "each provider told once about the tender")
        finally:
            self._make_inert(ids)

    def test_claim_skips_the_providers_another_runner_holds(self):
        ids = self._fixture()
        try:
            with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
                for cr in (cr_a, cr_b):
                    cr.transaction = Transaction(self.registry)
                env_a = api.Environment(cr_a, api.SUPERUSER_ID, {})
                env_b = api.Environment(cr_b, api.SUPERUSER_ID, {})
                mine = set(ids["providers"])
                domain = [("id", "in", ids["providers"])]
                self.assertTrue(env_a["ir.cron"]._lbc_read_committed())
                first = env_a["ir.cron"]._lbc_claim(env_a["res.partner"], domain, limit=5)
                self.assertEqual(len(first), 5)
                self.assertTrue(env_b["ir.cron"]._lbc_read_committed())
                other = env_b["ir.cron"]._lbc_claim(env_b["res.partner"], domain)
                self.assertEqual(set(other.ids), mine - set(first.ids), "the held rows are skipped, not waited for")
                cr_b.rollback()
                # runner A handles and commits its batch: a later claim rechecks the newest rows
                today = fields.Date.context_today(env_a["lbc.tender"])
                first.write({"lbc_tender_digest_date": today})
                cr_a.commit()  # pylint: disable=invalid-commit  # separate transactions are the point
                self.assertTrue(env_b["ir.cron"]._lbc_read_committed())
                again = env_b["ir.cron"]._lbc_claim(
                    env_b["res.partner"],
                    domain,
                    recheck=tender_module.SQL("lbc_tender_digest_date IS NULL OR lbc_tender_digest_date < %s", today),
                )
                self.assertEqual(set(again.ids), mine - set(first.ids))
                cr_b.rollback()
        finally:
            self._make_inert(ids)

    def test_two_cron_jobs(self):
        crons = self.env["lbc.tender"]._lbc_digest_runner_crons()
        self.assertEqual(len(crons), 2)
        self.assertIn(self.env.ref("lbc_tender.ir_cron_tender_digest_2"), crons)
