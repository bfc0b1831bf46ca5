"""Background work spread over several runners (issue #20): a cron job runs on one cron host at a time, so a run
that grows with the platform has several jobs with the same code (one per runner); each runner claims its batch
with `SELECT ... FOR NO KEY UPDATE SKIP LOCKED` (`_lbc_claim`), so two runners take disjoint batches, and commits
each batch (`_lbc_run_claimed_batches`)."""

import logging

from psycopg2.extensions import TRANSACTION_STATUS_IDLE

from odoo import api, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# a batch that lost a race with another runner (serialization failure, deadlock) is claimed again this many times
CLAIM_RETRIES = 5


class IrCron(models.Model):
    _inherit = "ir.cron"

    @api.model
    def _lbc_read_committed(self):
        """Run the batch about to start in READ COMMITTED (Odoo's transactions are REPEATABLE READ), when nothing
        ran yet in this transaction (right after the cron's commit; a test's cursor stays as it is): a row another
        runner committed after the batch began is seen (and skipped by `_lbc_claim`'s recheck) instead of raising
        a serialization failure; a shared row another runner writes is waited for, then written. Returns whether
        the batch runs in READ COMMITTED."""
        cnx = getattr(self.env.cr, "_cnx", None)
        if cnx is None or cnx.info.transaction_status != TRANSACTION_STATUS_IDLE:
            return False
        self.env.cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
        return True

    @api.model
    def _lbc_claim(self, records, domain, limit=None, order=("id",), recheck=None):
        """Lock and return up to `limit` records of `records`' model matching `domain` (searched as `records`'
        environment) that no other transaction holds (`SELECT ... FOR NO KEY UPDATE SKIP LOCKED`): the rows
        another runner is processing are skipped, not waited for. `order` is a tuple of column names of the
        model's table. `recheck` (an SQL condition on the table's columns) is evaluated again on the newest
        version of a row committed by another runner meanwhile (READ COMMITTED): it must say the row still needs
        the work (e.g. its state), so that a row done by another runner is not claimed again."""
        query = records._search(domain)
        table = records._table
        self.env.flush_all()  # the claim reads the table in SQL: the pending writes first
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s%s ORDER BY %s%s FOR NO KEY UPDATE SKIP LOCKED",
                SQL.identifier(table),
                query.subselect(),
                SQL(" AND (%s)", recheck) if recheck else SQL(),
                SQL(", ").join(SQL.identifier(table, column) for column in order),
                SQL(" LIMIT %s", limit) if limit else SQL(),
            )
        )
        return records.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _lbc_run_claimed_batches(self, batch, remaining=None, on_retry=None, commit=None):
        """Run `batch()` again and again, each in its own transaction in READ COMMITTED (the caller runs no query
        before: the first batch starts the cron's transaction), committing each until it returns 0 (nothing left
        to claim) or the cron's time is out. `batch` claims its records (`_lbc_claim`) and returns how many it
        processed; `remaining()`, if given, counts what is left for the cron's progress; `commit(done, remaining)`
        commits the batch and returns the seconds left (default: `_commit_progress`). A batch that loses a race
        on a shared row (PostgreSQL's concurrency errors) is rolled back whole (then `on_retry()`) and run again,
        at most CLAIM_RETRIES times in a row. Returns (records processed, whether nothing is left)."""
        if commit is None:

            def commit(done, left):
                return self._commit_progress(done, remaining=left)

        total, retries = 0, 0
        while True:
            self._lbc_read_committed()
            try:
                done = batch()
                self.env.flush_all()  # a race lost on a shared row raises here, inside the batch, not at the commit
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                retries += 1
                if retries > CLAIM_RETRIES:
                    raise
                _logger.info("a batch lost a race with another runner: claimed again")
                self.env.cr.rollback()
                self.env.invalidate_all()
                if on_retry:
                    on_retry()
                continue
            if not done:
                return total, True
            total += done
            retries = 0
            if not commit(done, remaining() if remaining else None):
                return total, False
            self.env.invalidate_all()
