import threading
import time
from datetime import timedelta

from odoo import api, fields
from odoo.addons.lbc_base.tests.common import make_siret
from odoo.orm.environments import Transaction
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestTenderConcurrency(TransactionCase):
    """Two bids of one provider on one tender, inserted at the same moment by two transactions: the database
    keeps one (the unique index on live bids), whatever the Python pre-check saw."""

    def _committed_fixture(self):
        seed = int(time.time() * 1000) % 100000
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            Partner = env["res.partner"]
            client = Partner.create(
                {
                    "name": "Concurrency Client",
                    "is_company": True,
                    "lbc_is_client": True,
                    "company_registry": make_siret(seed * 2),
                    "country_id": env.ref("base.fr").id,
                    "lbc_state": "validated",
                }
            )
            provider = Partner.create(
                {
                    "name": "Concurrency Provider",
                    "is_company": True,
                    "lbc_is_provider": True,
                    "company_registry": make_siret(seed * 2 + 1),
                    "country_id": env.ref("base.fr").id,
                    "lbc_state": "validated",
                }
            )
            consultant = Partner.create({"name": "Concurrent Consultant", "parent_id": provider.id})
            now = fields.Datetime.now()
            tender = env["lbc.tender"].create(
                {
                    "name": "Race",
                    "client_id": client.id,
                    "description": "<p>race</p>",
                    "state": "published",
                    "date_start": (now + timedelta(days=20)).date(),
                    "duration_days": 5,
                    "deadline": now + timedelta(days=3),
                }
            )
            cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point
            return client.id, provider.id, consultant.id, tender.id

    def _cleanup(self, ids):
        client_id, provider_id, consultant_id, tender_id = ids
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            bids = env["lbc.tender.bid"].search([("tender_id", "=", tender_id)])
            bids.write({"state": "draft"})  # superuser: past the workflow guard
            bids.unlink()
            tender = env["lbc.tender"].browse(tender_id)
            tender.write({"state": "draft"})
            tender.unlink()
            env["res.partner"].browse([consultant_id, provider_id, client_id]).unlink()
            cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point

    @mute_logger("odoo.sql_db")
    def test_two_concurrent_bids_leave_one(self):
        ids = self._committed_fixture()
        _client_id, provider_id, consultant_id, tender_id = ids
        barrier = threading.Barrier(2, timeout=30)
        outcomes = []

        def submit(rate):
            try:
                with self.registry.cursor() as cr:
                    # the test runs inside the registry's loading lock: give the thread's cursor its
                    # transaction directly (api.Environment would wait for that lock to look the registry up)
                    cr.transaction = Transaction(self.registry)
                    env = api.Environment(cr, api.SUPERUSER_ID, {})
                    barrier.wait()
                    bid = env["lbc.tender.bid"].create(
                        {
                            "tender_id": tender_id,
                            "provider_id": provider_id,
                            "consultant_id": consultant_id,
                            "daily_rate": rate,
                            "available_from": fields.Date.today() + timedelta(days=20),
                            "labour_law_ack": True,
                            "state": "submitted",
                        }
                    )
                    env.flush_all()
                    cr.commit()  # pylint: disable=invalid-commit  # separate transactions are the point
                    outcomes.append(("ok", bid.id))
            except Exception as error:
                outcomes.append(("refused", type(error).__name__))

        try:
            threads = [threading.Thread(target=submit, args=(rate,)) for rate in (500, 510)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            self.assertEqual(sorted(kind for kind, _detail in outcomes), ["ok", "refused"], outcomes)
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                live = env["lbc.tender.bid"].search_count(
                    [("tender_id", "=", tender_id), ("state", "not in", ("rejected", "withdrawn"))]
                )
            self.assertEqual(live, 1)
        finally:
            self._cleanup(ids)
