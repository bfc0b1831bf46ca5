"""A cron killed in the middle of a batch, in the test's transaction (the abuse tests of the crons)."""

from unittest.mock import patch


class Killed(Exception):
    """The worker dies."""


class KillableRun:
    """Runs `call` with `model._method` (the cron's commit) replaced by savepoint juggling; kills the run at
    the `kill_at`-th commit. Returns the number of commits the run reached."""

    def __init__(self, env, model, method):
        self.env, self.model, self.method = env, model, method

    def __call__(self, call, kill_at=None):
        state = {"calls": 0, "sp": self.env.cr.savepoint()}

        def fake_commit(_records, *args, **kwargs):
            state["calls"] += 1
            if state["calls"] == kill_at:
                raise Killed()
            state["sp"].close(rollback=False)
            state["sp"] = self.env.cr.savepoint()
            return float("inf") if self.method == "_lbc_commit_progress" else True

        with patch.object(type(self.env[self.model]), self.method, fake_commit):
            try:
                call()
                state["sp"].close(rollback=False)
            except Killed:
                state["sp"].close(rollback=True)
                self.env.invalidate_all()
        return state["calls"]
