import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.lbc_base.models.lbc_workflow_mixin import lbc_clean
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

CHECK_INTERVAL_MONTHS = 6
BATCH_SIZE = 200


class LbcComplianceCheck(models.Model):
    _name = "lbc.compliance.check"
    _description = "Vigilance Re-verification of a Provider for an Engagement"
    _inherit = ["lbc.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_due desc, id desc"
    # planned by the engagement API and the daily run, results written by the run: never by a caller
    _lbc_workflow_fields = (
        "state",
        "date_checked",
        "document_ids",
        "result_note",
        "engagement_name",
        "engagement_date_start",
        "engagement_date_end",
        "sequence",
        "date_due",
    )
    # a check belongs to one provider, one client and one engagement
    _lbc_parent_fields = ("partner_id", "client_id", "res_model", "res_id")

    partner_id = fields.Many2one(
        "res.partner", string="Provider", required=True, index=True, ondelete="restrict", readonly=True
    )
    client_id = fields.Many2one("res.partner", index=True, ondelete="restrict", readonly=True)
    res_model = fields.Char(string="Engagement Model", required=True, index=True, readonly=True)
    res_id = fields.Many2oneReference(string="Engagement ID", model_field="res_model", required=True, readonly=True)
    engagement_ref = fields.Reference(
        selection="_selection_engagement_ref",
        string="Engagement",
        compute="_compute_engagement_ref",
    )
    engagement_name = fields.Char(readonly=True, help="The engagement's name when the check was planned.")
    engagement_date_start = fields.Date(required=True, readonly=True)
    engagement_date_end = fields.Date(readonly=True, help="Empty: open-ended.")
    sequence = fields.Integer(readonly=True, help="0: the check at contracting; n: the n-th six-monthly check.")
    date_due = fields.Date(string="Due On", required=True, index=True, readonly=True)
    date_checked = fields.Date(string="Checked On", readonly=True, copy=False)
    state = fields.Selection(
        [("due", "Due"), ("passed", "Passed"), ("failed", "Failed"), ("cancelled", "Cancelled")],
        default="due",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    document_ids = fields.Many2many(
        "lbc.compliance.document",
        "lbc_compliance_check_document_rel",
        "check_id",
        "document_id",
        string="Documents Checked",
        readonly=True,
        help="Snapshot: the valid documents the check relied on.",
    )
    result_note = fields.Text(string="Result", readonly=True, help="What was checked, or what was missing or late.")
    source_check_ids = fields.One2many(
        "lbc.compliance.source.check",
        "check_id",
        string="Verifications at the Source",
        readonly=True,
        groups="lbc_base.group_operator",
    )

    _engagement_due_uniq = models.UniqueIndex(
        "(res_model, res_id, partner_id, date_due)",
        "A check of this provider for this engagement is already planned on this date.",
    )

    @api.model
    def _selection_engagement_ref(self):
        return [(model.model, model.name) for model in self.env["ir.model"].sudo().search([])]

    @api.depends("res_model", "res_id")
    def _compute_engagement_ref(self):
        for check in self:
            valid = check.res_model in self.env and check.res_id
            check.engagement_ref = f"{check.res_model},{check.res_id}" if valid else False

    @api.depends("partner_id", "engagement_name", "date_due")
    def _compute_display_name(self):
        for check in self:
            check.display_name = " - ".join(
                filter(None, [check.partner_id.name, check.engagement_name, check.date_due and str(check.date_due)])
            )

    # --- engagement API (called by lbc_tender) ---------------------------------------
    @api.model
    def _lbc_start_engagement(self, provider, engagement, client, date_start, date_end):
        """Plan the re-verification of `provider` for `engagement` (any record, e.g. an lbc.mission).

        The first check is due on date_start (contracting); the cron then plans one every six months
        while its due date is on or before date_end. Returns the first check (idempotent).
        """
        provider.ensure_one()
        engagement.ensure_one()
        date_start = fields.Date.to_date(date_start)
        date_end = fields.Date.to_date(date_end) if date_end else False
        if not date_start:
            raise UserError(self.env._("The engagement needs a start date."))
        if date_end and date_end < date_start:
            raise UserError(self.env._("The engagement ends before it starts."))
        Check = self.sudo()
        existing = Check._lbc_engagement_checks(engagement).filtered(
            lambda c: c.partner_id == provider and c.date_due == date_start
        )
        if existing:
            return existing.with_env(self.env)
        check = Check._lbc_workflow_create(
            [
                {
                    "partner_id": provider.id,
                    "client_id": client.id if client else False,
                    "res_model": engagement._name,
                    "res_id": engagement.id,
                    "engagement_name": engagement.sudo().display_name,
                    "engagement_date_start": date_start,
                    "engagement_date_end": date_end,
                    "sequence": 0,
                    "date_due": date_start,
                }
            ]
        )
        return check.with_env(self.env)

    @api.model
    def _lbc_end_engagement(self, engagement, date_end):
        """The engagement ends on date_end (e.g. terminated early): no check is planned after it."""
        date_end = fields.Date.to_date(date_end)
        checks = self.sudo()._lbc_engagement_checks(engagement)
        checks._lbc_workflow_write({"engagement_date_end": date_end})
        later = checks.filtered(lambda c: c.state == "due" and c.date_due > date_end)
        later._lbc_workflow_write({"state": "cancelled"})
        return True

    @api.model
    def _lbc_engagement_checks(self, engagement):
        return self.search([("res_model", "=", engagement._name), ("res_id", "=", engagement.id)])

    # --- actions ------------------------------------------------------------------------
    def action_recheck(self):
        """A compliance officer runs a due or failed check again today (e.g. after the provider fixed it)."""
        if not (self.env.su or self.env.user.has_group("lbc_base.group_compliance_officer")):
            raise AccessError(self.env._("Only LBC compliance officers can run a check."))
        for check in self:
            if check.state not in ("due", "failed"):
                raise UserError(self.env._("Only a due or failed check can be run again."))
        # the actor is checked: run in sudo on a cleaned context (no default_* key reaches the activities)
        lbc_clean(self.sudo())._lbc_run_checks(fields.Date.context_today(self))
        return True

    # --- cron -----------------------------------------------------------------------
    @api.model
    def _lbc_commit_progress(self, processed, remaining):
        """Commit the batch inside the cron (ir.cron._commit_progress); a plain call (tests, shell) stays in
        the caller's transaction. Returns the seconds left to the cron run."""
        if self.env.context.get("ir_cron_progress_id"):
            return self.env["ir.cron"]._commit_progress(processed=processed, remaining=remaining)
        self.env.flush_all()
        return float("inf")

    @api.model
    def _cron_lbc_compliance(self, run_date=None, batch_size=BATCH_SIZE):
        """Daily vigilance run, in batches, safe to re-run: expire documents, send the 30/7-day reminders,
        refresh the companies' state, run the due checks and plan the next ones.

        Several runners may run it at once (the cron jobs of `_lbc_vigilance_runner_crons` on several cron
        hosts): each step claims its batches (`ir.cron._lbc_claim`, `SELECT ... FOR NO KEY UPDATE SKIP LOCKED`)
        and commits them, so two runners take disjoint batches and a document, a reminder or a check is handled
        once. Returns the counts of what was done (for the benchmark and the logs)."""
        run_date = fields.Date.to_date(run_date) if run_date else fields.Date.context_today(self)
        self = self.sudo()
        stats = {"expired": 0, "reminders": 0, "refreshed": 0, "checks": 0, "planned": 0}
        for step in self._lbc_cron_steps():
            if not step(run_date, batch_size, stats):
                _logger.info("lbc_compliance cron: out of time, the next run goes on (%s)", stats)
                return stats
        _logger.info("lbc_compliance cron for %s: %s", run_date, stats)
        return stats

    @api.model
    def _lbc_vigilance_runner_crons(self):
        """The cron jobs of the vigilance run: Odoo runs one job on one cron host at a time, so the run has one job
        per runner (`ir_cron_lbc_compliance`, `ir_cron_lbc_compliance_2`)."""
        return (
            self.env["ir.cron"].with_context(active_test=False).search([("code", "=", "model._cron_lbc_compliance()")])
        )

    def _lbc_cron_steps(self):
        """The steps of the daily run, in order: each takes (run_date, batch_size, stats) and returns False when
        the cron ran out of time (the next run goes on)."""
        return [self._lbc_cron_expire, self._lbc_cron_remind, self._lbc_cron_refresh, self._lbc_cron_checks]

    def _lbc_cron_claimed(self, batch, stats, remaining, handled=None):
        """Run a step's batches (`ir.cron._lbc_run_claimed_batches`): `batch(counts, seen)` claims and handles
        one batch, adds its counts to `counts` and the ids it handled to `seen` (when the step's domain does not
        leave them out by itself); both reach `stats` and `handled` only once the batch is committed (a batch
        lost to a race is rolled back and claimed again). Returns False when the cron ran out of time."""
        counts, seen = {}, set()

        def run_batch():
            counts.clear()
            seen.clear()
            return batch(counts, seen)

        def commit(done, left):
            for key, value in counts.items():
                stats[key] += value
            if handled is not None:
                handled.update(seen)
            return self._lbc_commit_progress(done, left)

        _done, finished = self.env["ir.cron"]._lbc_run_claimed_batches(run_batch, remaining=remaining, commit=commit)
        return finished

    def _lbc_cron_expire(self, run_date, batch_size, stats):
        Doc = self.env["lbc.compliance.document"]
        domain = [("state", "in", ("verified", "submitted")), ("expiry_date", "<", run_date)]
        # a document another runner expired meanwhile is not claimed again
        recheck = SQL("state IN ('verified', 'submitted') AND expiry_date < %s", run_date)

        def batch(counts, _seen):
            docs = self.env["ir.cron"]._lbc_claim(Doc, domain, limit=batch_size, recheck=recheck)
            # the verified documents the provider's compliance stood on: its clients and LBC are told at once
            counted = docs.filtered(lambda d: d.state == "verified" and d.is_current)
            docs._lbc_expire(run_date)
            counted._lbc_notify_expired(run_date)
            counts["expired"] = len(docs)
            return len(docs)

        return self._lbc_cron_claimed(batch, stats, lambda: Doc.search_count(domain))

    def _lbc_cron_remind(self, run_date, batch_size, stats):
        Doc = self.env["lbc.compliance.document"]
        Reminder = self.env["lbc.compliance.reminder"]
        types = self.env["lbc.compliance.document.type"].search([])
        max_delay = max([max(t._lbc_reminder_delays() or [0]) for t in types] or [0])
        if not max_delay:
            return True
        window = [
            ("state", "=", "verified"),
            ("is_current", "=", True),
            ("expiry_date", ">=", run_date),
            ("expiry_date", "<=", run_date + relativedelta(days=max_delay)),
        ]
        # a document reminded today (by this runner or another) is not claimed again; those this runner looked at
        # without reminding are left out by `handled` (another runner looks at them again: nothing is due)
        recheck = SQL(
            "NOT EXISTS (SELECT 1 FROM lbc_compliance_reminder r"
            " WHERE r.document_id = lbc_compliance_document.id AND r.date_sent = %s)",
            run_date,
        )
        handled = set()

        def domain():
            return [*window, ("id", "not in", list(handled))] if handled else window

        def batch(counts, seen):
            docs = self.env["ir.cron"]._lbc_claim(Doc, domain(), limit=batch_size, recheck=recheck)
            seen.update(docs.ids)
            done = {(r.document_id.id, r.days_before) for r in Reminder.search([("document_id", "in", docs.ids)])}
            # a newer upload of the same type already waits for review: no need to remind
            renewed = {
                (d.partner_id.id, d.type_id.id)
                for d in Doc.search(
                    [
                        ("partner_id", "in", docs.partner_id.ids),
                        ("is_current", "=", True),
                        ("state", "=", "submitted"),
                    ]
                )
            }
            to_create, to_notify, to_escalate = [], Doc, Doc
            for doc in docs:
                days_left = (doc.expiry_date - run_date).days
                due = [d for d in doc.type_id._lbc_reminder_delays() if days_left <= d and (doc.id, d) not in done]
                if not due or (doc.partner_id.id, doc.type_id.id) in renewed:
                    continue
                closest = min(due)
                to_create += [
                    {"document_id": doc.id, "days_before": d, "date_sent": run_date, "sent": d == closest} for d in due
                ]
                to_notify |= doc
                if closest == min(doc.type_id._lbc_reminder_delays()):
                    # the last reminder and still nothing uploaded: LBC's compliance officer follows up
                    to_escalate |= doc
            Reminder.create(to_create)
            for doc in to_notify:
                doc.message_post_with_source(
                    "lbc_compliance.mail_template_document_expiry_reminder", subtype_xmlid="mail.mt_comment"
                )
            to_escalate._lbc_escalate(self.env._("Last reminder sent, no renewal uploaded yet"), date_deadline=run_date)
            counts["reminders"] = len(to_notify)
            return len(docs)

        return self._lbc_cron_claimed(batch, stats, lambda: Doc.search_count(domain()), handled=handled)

    def _lbc_cron_refresh(self, run_date, batch_size, stats):
        """The state moves with the calendar (compliant -> expiring): recompute the providers whose
        documents enter the expiring window; status changes of documents recompute on their own. The providers
        are claimed by batch; a provider another runner recomputed is recomputed again at worst (idempotent)."""
        Doc = self.env["lbc.compliance.document"]
        window = run_date + relativedelta(days=Doc._lbc_expiring_days())
        partners = Doc.search(
            [("is_current", "=", True), ("state", "=", "verified"), ("expiry_date", "<=", window)]
        ).partner_id
        partners |= self.env["res.partner"].search(
            [("lbc_compliance_state", "=", "expiring"), ("lbc_is_provider", "=", True)]
        )
        ids, handled = partners.ids, set()

        def domain():
            return [("id", "in", list(set(ids) - handled))]

        def batch(counts, seen):
            if not set(ids) - handled:
                return 0
            providers = self.env["ir.cron"]._lbc_claim(self.env["res.partner"], domain(), limit=batch_size)
            seen.update(providers.ids)
            providers._lbc_compliance_recompute(run_date)
            counts["refreshed"] = len(providers)
            return len(providers)

        return self._lbc_cron_claimed(batch, stats, lambda: len(set(ids) - handled), handled=handled)

    def _lbc_cron_checks(self, run_date, batch_size, stats):
        domain = [("state", "=", "due"), ("date_due", "<=", run_date)]
        # a check another runner ran meanwhile is not claimed again
        recheck = SQL("state = 'due' AND date_due <= %s", run_date)

        def batch(counts, _seen):
            checks = self.env["ir.cron"]._lbc_claim(
                self, domain, limit=batch_size, order=("date_due", "id"), recheck=recheck
            )
            counts["planned"] = checks._lbc_run_checks(run_date)
            counts["checks"] = len(checks)
            return len(checks)

        return self._lbc_cron_claimed(batch, stats, lambda: self.search_count(domain))

    def _lbc_run_checks(self, on_date):
        """Pass or fail each check on `on_date` (snapshot of the documents), notify, plan the next one. Each
        check holds the provider to its client's requirements as well (the client's extra document types)."""
        Doc = self.env["lbc.compliance.document"]
        results_by_client = {
            client.id: Doc._lbc_evaluate(checks.partner_id, on_date, client=client or None)
            for client, checks in self.grouped("client_id").items()
        }
        officer = self._lbc_compliance_officer()
        Source = self.env["lbc.compliance.source.check"]
        labels = dict(Source._fields["source"]._description_selection(self.env))
        for check in self:
            result = results_by_client[check.client_id.id][check.partner_id.id]
            problems = [text for _type, kind, text in result["issues"] if kind != "expiring"]
            documents = result["documents"]
            # the registers and issuing bodies LBC turned on: a failure or no answer never passes the check
            proofs = Source._lbc_check_company(check.partner_id, check=check)
            problems += [f"{labels[p.source]}: {p.summary}" for p in proofs if p.result != "passed"]
            if problems:
                note = "\n".join(problems)
            else:
                note = "\n".join(
                    [
                        self.env._(
                            "%(type)s: verified, valid until %(date)s",
                            type=d.type_id.name,
                            date=d.expiry_date or "-",
                        )
                        for d in documents
                    ]
                    + [f"{labels[p.source]}: {p.summary}" for p in proofs]
                )
            check._lbc_workflow_write(
                {
                    "state": "failed" if problems else "passed",
                    "date_checked": on_date,
                    "document_ids": [fields.Command.set(documents.ids)],
                    "result_note": note,
                }
            )
            if problems:
                check.message_post_with_source(
                    "lbc_compliance.mail_template_check_failed", subtype_xmlid="mail.mt_comment"
                )
                check.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=officer.id,
                    summary=self.env._("Vigilance check failed: %(provider)s", provider=check.partner_id.name),
                    note=note,
                )
        return self._lbc_plan_next()

    def _lbc_plan_next(self):
        """Create the next six-monthly check of each engagement while it runs. Returns how many."""
        to_create = []
        for check in self:
            if check.state == "cancelled":
                continue
            seq = check.sequence + 1
            date_next = check.engagement_date_start + relativedelta(months=CHECK_INTERVAL_MONTHS * seq)
            if check.engagement_date_end and date_next > check.engagement_date_end:
                continue
            to_create.append(
                {
                    "partner_id": check.partner_id.id,
                    "client_id": check.client_id.id,
                    "res_model": check.res_model,
                    "res_id": check.res_id,
                    "engagement_name": check.engagement_name,
                    "engagement_date_start": check.engagement_date_start,
                    "engagement_date_end": check.engagement_date_end,
                    "sequence": seq,
                    "date_due": date_next,
                }
            )
        if not to_create:
            return 0
        existing = {
            (c.res_model, c.res_id, c.partner_id.id, c.date_due)
            for c in self.search(
                [
                    ("res_model", "in", list({v["res_model"] for v in to_create})),
                    ("res_id", "in", list({v["res_id"] for v in to_create})),
                    ("date_due", "in", list({v["date_due"] for v in to_create})),
                ]
            )
        }
        to_create = [
            v for v in to_create if (v["res_model"], v["res_id"], v["partner_id"], v["date_due"]) not in existing
        ]
        self._lbc_workflow_create(to_create)
        return len(to_create)

    @api.model
    def _lbc_compliance_officer(self):
        """Who gets the follow-up activities: the first LBC compliance officer who is not a manager."""
        group = self.env.ref("lbc_base.group_compliance_officer")
        users = group.sudo().all_user_ids.filtered(lambda u: u.active and not u.share and u.id != 1)
        manager = self.env.ref("lbc_base.group_manager")
        officers = users.filtered(lambda u: manager not in u.all_group_ids) or users
        return officers.sorted("id")[:1] or self.env.ref("base.user_admin")
