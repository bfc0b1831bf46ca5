"""Abuse: concurrent bids at the deadline and concurrent awards of one tender, each in its own thread and
cursor (committed fixture, cleaned up after): no server error, no bid after the deadline, no double award."""

import threading
import time
from datetime import timedelta

import psycopg2

from odoo import api, fields
from odoo.addons.lbc_base.tests.common import make_siret
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.orm.environments import Transaction
from odoo.tests import TransactionCase, tagged
from odoo.tools import config, mute_logger

REFUSALS = (UserError, ValidationError, AccessError, psycopg2.errors.SerializationFailure)
N_BIDS = 50
N_AWARDS = 20


def _threads(wanted):
    """As many threads as wanted, each with its own cursor, within the process's connection pool (db_maxconn):
    the test's own cursors, the bus and the pool's margin keep four. More threads than connections would test
    the pool (PoolError), not the models."""
    return max(2, min(wanted, config["db_maxconn"] - 4))


@tagged("post_install", "-at_install")
class TestAbuseConcurrency(TransactionCase):
    def _fixture(self, n_providers, deadline_in):
        """A client, n providers (each with a consultant) and a published tender, committed."""
        seed = int(time.time() * 1000) % 10000 * 100
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True})
            Partner = env["res.partner"]
            fr = env.ref("base.fr").id
            client = Partner.create(
                {
                    "name": "Race Client",
                    "is_company": True,
                    "lbc_is_client": True,
                    "company_registry": make_siret(seed),
                    "country_id": fr,
                    "lbc_state": "validated",
                }
            )
            providers = Partner.create(
                [
                    {
                        "name": f"Race Provider {i}",
                        "is_company": True,
                        "lbc_is_provider": True,
                        "company_registry": make_siret(seed + 1 + i),
                        "country_id": fr,
                        "lbc_state": "validated",
                    }
                    for i in range(n_providers)
                ]
            )
            consultants = Partner.create(
                [{"name": f"Race Consultant {i}", "parent_id": p.id} for i, p in enumerate(providers)]
            )
            now = fields.Datetime.now()
            tender = env["lbc.tender"].create(
                {
                    "name": "Race",
                    "client_id": client.id,
                    "description": "<p>race</p>",
                    "state": "published",
                    "date_start": (now + timedelta(days=20)).date(),
                    "duration_days": 5,
                    "deadline": now + deadline_in,
                }
            )
            cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point
            return {
                "client": client.id,
                "providers": providers.ids,
                "consultants": consultants.ids,
                "tender": tender.id,
            }

    def _cleanup(self, ids):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            bids = env["lbc.tender.bid"].search([("tender_id", "=", ids["tender"])])
            bids.with_context(lbc_bid_state_change=True).write({"state": "draft"})
            bids.unlink()
            tender = env["lbc.tender"].browse(ids["tender"])
            tender.with_context(lbc_tender_state_change=True).write({"state": "draft"})
            tender.unlink()
            env["res.partner"].browse(ids["consultants"] + ids["providers"] + [ids["client"]]).unlink()
            cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point

    def _run_threads(self, target, args_list):
        barrier = threading.Barrier(len(args_list), timeout=60)
        outcomes = []

        def run(*args):
            try:
                with self.registry.cursor() as cr:
                    # the test holds the registry's loading lock: give the cursor its transaction directly
                    cr.transaction = Transaction(self.registry)
                    env = api.Environment(cr, api.SUPERUSER_ID, {})
                    barrier.wait()
                    result = target(env, *args)
                    env.flush_all()
                    cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point
                    outcomes.append(("ok", result))
            except REFUSALS as error:
                outcomes.append(("refused", f"{type(error).__name__}: {error}"))
            except Exception as error:
                outcomes.append(("error", f"{type(error).__name__}: {error}"))

        threads = [threading.Thread(target=run, args=args) for args in args_list]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        return outcomes

    @mute_logger("odoo.sql_db")
    def test_bids_at_the_deadline(self):
        n_bids = _threads(N_BIDS)
        ids = self._fixture(n_bids, timedelta(seconds=2))
        try:
            with self.registry.cursor() as cr:
                deadline = api.Environment(cr, api.SUPERUSER_ID, {})["lbc.tender"].browse(ids["tender"]).deadline
            start = fields.Datetime.now()

            def submit(env, index, provider_id, consultant_id):
                # spread the submissions over the two seconds around the deadline
                time.sleep(max(0.0, (deadline - start).total_seconds() - 1 + index * 2.0 / n_bids))
                bid = env["lbc.tender.bid"].create(
                    {
                        "tender_id": ids["tender"],
                        "provider_id": provider_id,
                        "consultant_id": consultant_id,
                        "daily_rate": 500 + index,
                        "available_from": fields.Date.today() + timedelta(days=20),
                        "labour_law_ack": True,
                    }
                )
                bid._check_open()
                bid._set_state("submitted", submitted_date=fields.Datetime.now())
                return bid.id

            outcomes = self._run_threads(
                submit,
                [(i, p, c) for i, (p, c) in enumerate(zip(ids["providers"], ids["consultants"], strict=True))],
            )
            self.assertEqual(len(outcomes), n_bids)
            self.assertEqual([o for o in outcomes if o[0] == "error"], [], "no server error")
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                bids = env["lbc.tender.bid"].search([("tender_id", "=", ids["tender"]), ("state", "=", "submitted")])
                late = bids.filtered(lambda b: b.submitted_date > deadline)
                self.assertFalse(late, "no bid submitted after the deadline")
                self.assertEqual(len(bids), len([o for o in outcomes if o[0] == "ok"]))
                refused = [o for o in outcomes if o[0] == "refused"]
                self.assertTrue(all("deadline" in text for _kind, text in refused), refused)
        finally:
            self._cleanup(ids)

    @mute_logger("odoo.sql_db")
    def test_concurrent_awards(self):
        n_awards = _threads(N_AWARDS)
        ids = self._fixture(n_awards, timedelta(days=3))
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
                bids = env["lbc.tender.bid"].create(
                    [
                        {
                            "tender_id": ids["tender"],
                            "provider_id": p,
                            "consultant_id": c,
                            "daily_rate": 600 + i,
                            "available_from": fields.Date.today() + timedelta(days=20),
                            "labour_law_ack": True,
                            "state": "submitted",
                            "submitted_date": fields.Datetime.now(),
                        }
                        for i, (p, c) in enumerate(zip(ids["providers"], ids["consultants"], strict=True))
                    ]
                )
                tender = env["lbc.tender"].browse(ids["tender"])
                tender.with_context(lbc_tender_state_change=True).write(
                    {"deadline": fields.Datetime.now() - timedelta(minutes=1)}
                )
                env["lbc.tender"]._lbc_close_past_deadline()
                bid_ids = bids.ids
                cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point

            def select(env, bid_id):
                env["lbc.tender.bid"].browse(bid_id).action_select()
                return bid_id

            outcomes = self._run_threads(select, [(bid_id,) for bid_id in bid_ids])
            self.assertEqual(len(outcomes), n_awards)
            self.assertEqual([o for o in outcomes if o[0] == "error"], [], "no server error")
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                chosen = env["lbc.tender.bid"].search(
                    [("tender_id", "=", ids["tender"]), ("state", "in", ("selected", "approved", "contracted"))]
                )
                self.assertEqual(len(chosen), 1, f"one selected bid, not {len(chosen)}: {outcomes}")
        finally:
            self._cleanup(ids)
