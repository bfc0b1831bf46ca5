from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

TENDER_STATES = [
    ("draft", "Draft"),
    ("published", "Published"),
    ("closed", "Closed"),
    ("awarded", "Awarded"),
    ("cancelled", "Cancelled"),
]
VISIBLE_TO_PROVIDERS = ("published", "closed", "awarded")
# providers handled per transaction by the daily digest (each runner claims its own batches)
DIGEST_BATCH = 100
# what the client may still change on a published tender
EDITABLE_LIVE = {
    "description",
    "attachment_ids",
    "weight_rate",
    "weight_availability",
    "weight_skills",
    "message_main_attachment_id",
}


class LbcTender(models.Model):
    _name = "lbc.tender"
    _description = "Call for Tenders"
    _inherit = ["lbc.workflow.mixin", "portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "deadline desc, id desc"
    _lbc_workflow_fields = (
        "state",
        "reference",
        "author_id",
        "published_date",
        "awarded_bid_id",
        "cancel_reason",
        "digest_partner_ids",
    )
    _lbc_parent_fields = ("client_id",)

    name = fields.Char(string="Title", required=True, tracking=True)
    reference = fields.Char(readonly=True, copy=False, index=True, default=lambda self: self.env._("New"))
    client_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain=[("is_company", "=", True), ("lbc_is_client", "=", True)],
        default=lambda self: self._default_client_id(),
    )
    author_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    description = fields.Html(required=True, sanitize_style=True)
    skill_ids = fields.Many2many("lbc.skill", string="Skills")
    location = fields.Char(help="City or region of the mission.")
    remote_policy = fields.Selection(
        [("on_site", "On Site"), ("hybrid", "Hybrid"), ("remote", "Remote")],
        default="hybrid",
        required=True,
    )
    date_start = fields.Date(string="Start Date", required=True, tracking=True)
    duration_days = fields.Integer(string="Duration (days)", required=True, tracking=True)
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id, required=True)
    max_daily_rate = fields.Monetary(string="Maximum Daily Rate", tracking=True)
    show_max_rate = fields.Boolean(string="Show the Maximum Rate to Bidders", default=True)
    deadline = fields.Datetime(string="Bid Deadline", required=True, tracking=True, index=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Attachments")
    audience = fields.Selection(
        [("all", "All validated providers")],
        default="all",
        required=True,
        help="Which providers see the tender once published.",
    )
    sealed = fields.Boolean(default=True, help="Bids stay hidden from the client until the deadline.")
    lbc_bids_open = fields.Boolean(
        string="Bids Visible to the Client",
        compute="_compute_lbc_bids_open",
        search="_search_lbc_bids_open",
        help="Unsealed tender, or deadline past. Whatever happens to the tender before its deadline (closed, "
        "cancelled), its sealed bids stay hidden until then.",
    )
    state = fields.Selection(TENDER_STATES, default="draft", required=True, readonly=True, tracking=True, index=True)
    published_date = fields.Datetime(readonly=True, copy=False)
    bid_ids = fields.One2many("lbc.tender.bid", "tender_id", string="Bids")
    bid_count = fields.Integer(compute="_compute_bid_count")
    awarded_bid_id = fields.Many2one("lbc.tender.bid", readonly=True, copy=False)
    cancel_reason = fields.Text(readonly=True, copy=False)
    digest_partner_ids = fields.Many2many(
        "res.partner",
        "lbc_tender_digest_partner_rel",
        "tender_id",
        "partner_id",
        string="Sent in the Digest of",
        readonly=True,
        copy=False,
        groups="lbc_base.group_operator",
        help="The providers the daily digest already told about this tender: each is told once.",
    )
    # the client's weights for the bid comparison (percent of the score)
    weight_rate = fields.Integer(string="Weight of the Rate", default=50)
    weight_availability = fields.Integer(string="Weight of the Availability", default=20)
    weight_skills = fields.Integer(string="Weight of the Skills Match", default=30)

    _duration_positive = models.Constraint("CHECK(duration_days > 0)", "The duration must be at least one day.")
    _max_rate_positive = models.Constraint(
        "CHECK(max_daily_rate IS NULL OR max_daily_rate >= 0)", "The maximum daily rate cannot be negative."
    )
    _weights_positive = models.Constraint(
        "CHECK(weight_rate >= 0 AND weight_availability >= 0 AND weight_skills >= 0)",
        "Weights cannot be negative.",
    )

    @api.model
    def _default_client_id(self):
        partner = self.env.user.partner_id.commercial_partner_id
        return partner.id if partner.lbc_is_client else False

    def _compute_bid_count(self):
        groups = self.env["lbc.tender.bid"]._read_group(
            [("tender_id", "in", self.ids), ("state", "not in", ("draft", "withdrawn"))], ["tender_id"], ["__count"]
        )
        counts = {tender.id: count for tender, count in groups}
        for tender in self:
            tender.bid_count = counts.get(tender.id, 0)

    @api.depends("sealed", "deadline")
    def _compute_lbc_bids_open(self):
        for tender in self:
            tender.lbc_bids_open = tender._lbc_bids_are_open()

    def _lbc_bids_are_open(self):
        """Whether the client may see the bids now (the field may be cached from earlier in a transaction)."""
        self.ensure_one()
        return not self.sealed or bool(self.deadline and self.deadline <= fields.Datetime.now())

    def _search_lbc_bids_open(self, operator, value):
        # evaluated at each query (record rules are cached as domains, this field's condition is not)
        if operator != "in":
            return NotImplemented
        opened = Domain("sealed", "=", False) | Domain("deadline", "<=", fields.Datetime.now())
        if True in value and False in value:
            return Domain.TRUE
        if True in value:
            return opened
        if False in value:
            return ~opened
        return Domain.FALSE

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for tender in self:
            tender.access_url = f"/my/tenders/{tender.id}"
        return res

    @api.constrains("date_start", "deadline")
    def _check_dates(self):
        for tender in self:
            if tender.date_start and tender.deadline and tender.date_start < tender.deadline.date():
                raise ValidationError(
                    self.env._("The mission of %(tender)s cannot start before the bid deadline.", tender=tender.name)
                )

    def _check_amount_vals(self, vals):
        """Clear messages before the database CHECK constraints refuse the row."""
        if "duration_days" in vals and (vals["duration_days"] or 0) <= 0:
            raise ValidationError(self.env._("The duration must be at least one day."))
        if (vals.get("max_daily_rate") or 0) < 0:
            raise ValidationError(self.env._("The maximum daily rate cannot be negative."))

    @api.constrains("weight_rate", "weight_availability", "weight_skills")
    def _check_weights(self):
        for tender in self:
            if tender.weight_rate + tender.weight_availability + tender.weight_skills <= 0:
                raise ValidationError(self.env._("At least one comparison weight must be positive."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_amount_vals(vals)
        tenders = super().create(vals_list)
        tenders._check_client_member()
        for tender in tenders:
            tender._lbc_workflow_write({"reference": self.env["ir.sequence"].sudo().next_by_code("lbc.tender") or "/"})
        return tenders

    def write(self, vals):
        self._check_amount_vals(vals)
        return super().write(vals)

    def _lbc_workflow_locked_fields(self):
        """Once published, a tender only gets a longer description, attachments and new weights (LBC's
        operators may still correct it)."""
        if self._lbc_is_operator() or all(tender.state == "draft" for tender in self):
            return set()
        return set(self._fields) - EDITABLE_LIVE

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(tender.state != "draft" for tender in self):
            raise UserError(self.env._("Only draft tenders can be deleted; cancel the others."))

    # --- rights -----------------------------------------------------------
    def _lbc_is_operator(self):
        return self.env["res.partner"]._lbc_is_operator()

    def _check_client_member(self):
        """Members create and edit tenders only for their own company, which must be a client company."""
        for tender in self:
            client = tender.client_id.sudo()
            if not (client.is_company and client.lbc_is_client):
                raise ValidationError(
                    self.env._("%(company)s is not a client company: it cannot call for tenders.", company=client.name)
                )
        if self._lbc_is_operator():
            return
        own = self.env.user.partner_id.commercial_partner_id
        for tender in self:
            if tender.client_id != own:
                raise AccessError(self.env._("You can only manage the tenders of your own company."))

    def _check_publisher(self):
        if self._lbc_is_operator():
            return
        for tender in self:
            user = self.env.user
            if not (user._lbc_has_role(("tender_publisher", "admin"), tender.client_id)):
                raise AccessError(
                    self.env._(
                        "Only a tender publisher of %(company)s can do this: "
                        "ask your company administrator for the role.",
                        company=tender.client_id.name,
                    )
                )

    def _set_state(self, state, **vals):
        self._lbc_workflow_write({"state": state, **vals})

    # --- actions ----------------------------------------------------------
    def _lbc_client_blockers(self):
        """What keeps the client from calling for tenders (validation by LBC, current main contract)."""
        self.ensure_one()
        client = self.client_id.sudo()
        problems = []
        if client.lbc_state != "validated":
            problems.append(self.env._("%(company)s is not validated by LBC", company=client.name))
        if not client.lbc_has_accepted("client_main"):
            problems.append(self.env._("%(company)s has not accepted the current main contract", company=client.name))
        return problems

    def _publish_blockers(self):
        self.ensure_one()
        problems = []
        if self.state != "draft":
            problems.append(self.env._("it is not a draft"))
        problems += self._lbc_client_blockers()
        if self.deadline and self.deadline <= fields.Datetime.now():
            problems.append(self.env._("the bid deadline is past"))
        if not (self.max_daily_rate or 0) > 0 and self.show_max_rate:
            problems.append(self.env._("the maximum daily rate shown to bidders is missing"))
        return problems

    def action_publish(self):
        self._check_publisher()
        self._lbc_check_publishable()
        self._lbc_do_publish()
        return True

    def _lbc_problem_args(self, problems):
        return {"tender": self.name, "problems": "\n- ".join(problems)}

    def _lbc_check_publishable(self):
        for tender in self:
            problems = tender._publish_blockers()
            if problems:
                raise UserError(
                    self.env._("%(tender)s cannot be published:\n- %(problems)s", **tender._lbc_problem_args(problems))
                )

    def _lbc_do_publish(self):
        """Publish (rights and blockers already checked by the caller)."""
        self._set_state("published", published_date=fields.Datetime.now())
        for tender in self:
            tender.sudo().message_post(body=self.env._("Tender published; bids are open until the deadline."))
        self._lbc_send_instant_alerts()

    def action_close(self):
        self._check_publisher()
        self._lbc_close()
        return True

    def _lbc_close(self):
        """Close published tenders (the caller checked who closes: the publisher, the deadline cron, the
        selection of an offer)."""
        for tender in self:
            if tender.state != "published":
                raise UserError(self.env._("Only a published tender can be closed."))
        self._set_state("closed")
        for tender in self:
            tender.sudo().message_post_with_source(
                "lbc_tender.mail_template_tender_closed", subtype_xmlid="mail.mt_comment"
            )

    def action_cancel(self, reason=None):
        self._check_publisher()
        for tender in self:
            if tender.state not in ("draft", "published", "closed"):
                raise UserError(self.env._("An awarded or cancelled tender cannot be cancelled."))
        self._set_state("cancelled", cancel_reason=(reason or "").strip() or False)
        live = self.sudo().bid_ids.filtered(lambda b: b.state in ("submitted", "selected"))
        live._lbc_reject(self.env._("The tender was cancelled by the client."))
        return True

    def action_reopen(self, deadline):
        """The client calls for bids again on a closed tender that has no selected offer (e.g. LBC refused the
        offer it had approved), until a new deadline. Bids already rejected or withdrawn stay so."""
        self._check_publisher()
        deadline = fields.Datetime.to_datetime(deadline)
        if not deadline or deadline <= fields.Datetime.now():
            raise UserError(self.env._("Give a new bid deadline in the future to reopen the tender."))
        for tender in self:
            if tender.state != "closed":
                raise UserError(self.env._("Only a closed tender can be reopened."))
            if tender.sudo().bid_ids.filtered(lambda b: b.state in ("selected", "approved", "contracted")):
                raise UserError(
                    self.env._("An offer is selected on %(tender)s: it cannot be reopened.", tender=tender.name)
                )
            if deadline < tender.deadline:
                # the announced deadline is the providers' and the seal's: reopening never brings it forward
                raise UserError(
                    self.env._(
                        "The new deadline of %(tender)s cannot be earlier than the one announced (%(deadline)s).",
                        tender=tender.name,
                        deadline=tender.deadline,
                    )
                )
            problems = tender._lbc_client_blockers()
            if problems:
                raise UserError(
                    self.env._("%(tender)s cannot be reopened:\n- %(problems)s", **tender._lbc_problem_args(problems))
                )
        self._set_state("published", deadline=deadline)
        for tender in self:
            tender.sudo().message_post(
                body=self.env._("Tender reopened: bids are open until %(deadline)s.", deadline=deadline)
            )
        return True

    def _lbc_revoke_award(self, bids):
        """LBC refused `bids` after approving one of them: their tenders have no offer any more and go back to
        closed, where the client selects another live offer, reopens the tender or cancels it."""
        tenders = self.filtered(lambda t: t.state == "awarded" and t.awarded_bid_id in bids)
        if not tenders:
            return
        tenders._set_state("closed", awarded_bid_id=False)
        for tender in tenders:
            tender.sudo().message_post(
                body=self.env._(
                    "LBC refused the approved offer: select another one, reopen the tender with a new deadline "
                    "or cancel it."
                ),
                subtype_xmlid="mail.mt_comment",
                partner_ids=tender.client_id.sudo().lbc_admin_partner_ids.ids,
            )

    def _lbc_award(self, bid):
        """LBC approved `bid`: the tender is awarded, the other live bids are rejected with a notification."""
        self.ensure_one()
        self._set_state("awarded", awarded_bid_id=bid.id)
        others = self.sudo().bid_ids.filtered(lambda b: b != bid and b.state in ("submitted", "selected"))
        others._lbc_reject(self.env._("The client chose another offer."))

    # --- crons ------------------------------------------------------------
    # The cron entry points commit between batches (ir.cron._commit_progress); the `_lbc_*` batch
    # methods hold the logic, are safe to re-run and are what tests call.
    @api.model
    def _cron_close_past_deadline(self):
        while self._lbc_close_past_deadline(limit=200):
            remaining = self.search_count([("state", "=", "published"), ("deadline", "<=", fields.Datetime.now())])
            if not self.env["ir.cron"]._commit_progress(200, remaining=remaining):
                break

    @api.model
    def _lbc_close_past_deadline(self, now=None, limit=None):
        """Close the published tenders whose deadline passed; returns how many were closed."""
        now = now or fields.Datetime.now()
        tenders = self.search([("state", "=", "published"), ("deadline", "<=", now)], limit=limit)
        tenders._lbc_close()
        return len(tenders)

    @api.model
    def _cron_send_digests(self):
        """The daily digests, spread over the runners of `_lbc_digest_runner_crons` (several cron hosts run them
        at once): each batch claims its providers (`SELECT ... FOR NO KEY UPDATE SKIP LOCKED`) and is committed,
        so two runners send disjoint batches and each provider gets one digest."""
        # no query before the first batch (it sets its transaction's isolation level): the day is read in it
        self.env["ir.cron"]._lbc_run_claimed_batches(lambda: self._lbc_send_digests(limit=DIGEST_BATCH, claim=True))

    @api.model
    def _lbc_digest_runner_crons(self):
        """The cron jobs of the daily digest: Odoo runs one job on one cron host at a time, so the run has one job
        per runner (`ir_cron_tender_digest`, `ir_cron_tender_digest_2`)."""
        return self.env["ir.cron"].search([("code", "=", "model._cron_send_digests()")])

    @api.model
    def _lbc_audience_domain(self, provider):
        """The tenders whose audience includes `provider` (a provider company). The marketplace's own audience
        is every validated provider; lbc_erp_client adds the tenders restricted to referencing lists."""
        return Domain("audience", "=", "all")

    def _lbc_visible_to_provider(self, provider):
        """The tenders of self meant for `provider`, by their audience."""
        return self.filtered_domain(self._lbc_audience_domain(provider))

    @api.model
    def _lbc_send_digests(self, today=None, limit=None, claim=False):
        """At most one digest a day per provider: the tenders published since the day before that match its
        skills, are meant for it (audience) and were not sent to it yet (each tender once per provider).
        With `claim`, the providers of the batch are claimed (`ir.cron._lbc_claim`): those another runner holds
        are skipped, those it handled and committed meanwhile are not claimed again.

        Returns how many providers were handled (0 when nothing is left for today)."""
        today = today or fields.Date.context_today(self)
        since = fields.Datetime.to_datetime(today) - timedelta(days=1)
        tenders = self.sudo().search(
            [("state", "=", "published"), ("published_date", ">=", since), ("deadline", ">", fields.Datetime.now())]
        )
        if not tenders.skill_ids:
            return 0
        Partner = self.env["res.partner"].sudo()
        domain = [
            ("is_company", "=", True),
            ("lbc_is_provider", "=", True),
            ("lbc_state", "=", "validated"),
            ("lbc_skill_ids", "in", tenders.skill_ids.ids),
            "|",
            ("lbc_tender_digest_date", "=", False),
            ("lbc_tender_digest_date", "<", today),
        ]
        if claim:
            providers = self.env["ir.cron"]._lbc_claim(
                Partner,
                domain,
                limit=limit,
                recheck=SQL("lbc_tender_digest_date IS NULL OR lbc_tender_digest_date < %s", today),
            )
        else:
            providers = Partner.search(domain, limit=limit)
        template = self.env.ref("lbc_tender.mail_template_tender_digest").sudo()
        sent = {}
        for provider in providers:
            if not provider.lbc_tender_access:
                continue
            matching = tenders._lbc_visible_to_provider(provider).filtered(
                lambda t, p=provider: t.skill_ids & p.lbc_skill_ids and p not in t.digest_partner_ids
            )
            if not matching:
                continue
            # a digest is not transactional: only the admins who do not object to such e-mails get it, each
            # with its own unsubscribe link (in the body and in the List-Unsubscribe header)
            recipients = provider.lbc_admin_partner_ids._lbc_marketing_recipients()
            if not recipients:
                continue
            for recipient in recipients:
                url = recipient._lbc_unsubscribe_url()
                template.with_context(lbc_digest_tenders=matching, lbc_unsubscribe_url=url).send_mail(
                    provider.id,
                    email_values={
                        "recipient_ids": [Command.set(recipient.ids)],
                        "headers": repr({"List-Unsubscribe": f"<{url}>"}),
                    },
                )
            for tender in matching:
                sent.setdefault(tender, []).append(provider.id)
        # in the order of their ids: two runners writing the same tenders wait for each other, never deadlock
        for tender in sorted(sent, key=lambda t: t.id):
            tender._lbc_workflow_write({"digest_partner_ids": [Command.link(pid) for pid in sent[tender]]})
        providers.write({"lbc_tender_digest_date": today})
        return len(providers)

    def _lbc_send_instant_alerts(self):
        """Tell at once the providers whose plan includes instant tender alerts (feature `tender_alerts`) about
        the tenders of self that match their skills and are meant for them; they are recorded in
        `digest_partner_ids` so that the daily digest does not tell them again. The free plan keeps the digest.

        Batched: a fixed number of queries whatever the number of providers and recipients (one search of the
        candidates, one of the framework acceptances, one batch render and one create of the e-mails)."""
        tenders = self.sudo().filtered(lambda t: t.state == "published" and t.skill_ids)
        if not tenders:
            return self.env["res.partner"]
        Partner = self.env["res.partner"].sudo()
        candidates = Partner.search(
            [
                ("is_company", "=", True),
                ("lbc_is_provider", "=", True),
                ("lbc_state", "=", "validated"),
                ("lbc_labour_law_ack_date", "!=", False),
                ("lbc_skill_ids", "in", tenders.skill_ids.ids),
            ]
        )
        framework = self.env["lbc.agreement"]._lbc_current("provider_framework")
        if not candidates or not framework:
            return Partner
        accepted = (
            self.env["lbc.agreement.acceptance"]
            .sudo()
            .search([("agreement_id", "=", framework.id), ("member_company_id", "in", candidates.ids)])
            .member_company_id
        )
        providers = (candidates & accepted)._lbc_filter_feature("tender_alerts")
        alerts = {}  # provider -> its matching tenders
        for provider in providers:
            matching = tenders._lbc_visible_to_provider(provider).filtered(
                lambda t, p=provider: t.skill_ids & p.lbc_skill_ids and p not in t.digest_partner_ids
            )
            if matching:
                alerts[provider] = matching
        if not alerts:
            return Partner
        # an alert is not transactional: only the admins who do not object to such e-mails get it, each with its
        # own unsubscribe link (in the body and in the List-Unsubscribe header)
        recipients = {}  # admin partner -> (provider, tenders)
        for provider, matching in alerts.items():
            for admin in provider.lbc_admin_partner_ids._lbc_marketing_recipients():
                recipients.setdefault(admin, (provider, matching))
        if recipients:
            self._lbc_mail_alerts(recipients)
        sent = {}
        for provider, matching in alerts.items():
            for tender in matching:
                sent.setdefault(tender, []).append(provider.id)
        for tender, provider_ids in sent.items():
            tender._lbc_workflow_write({"digest_partner_ids": [Command.link(pid) for pid in provider_ids]})
        return Partner.union(*alerts)

    @api.model
    def _lbc_mail_alerts(self, recipients):
        """Queue the instant alerts: `recipients` maps each admin partner to (provider, tenders). One batch
        render of the bilingual template on the recipients, one create of the e-mails."""
        template = self.env.ref("lbc_tender.mail_template_tender_alert").sudo()
        admins = self.env["res.partner"].sudo().union(*recipients)
        urls = {admin.id: admin._lbc_unsubscribe_url() for admin in admins}
        values = template.with_context(
            lbc_alert_tenders={admin.id: tenders for admin, (_provider, tenders) in recipients.items()},
            lbc_alert_providers={admin.id: provider for admin, (provider, _tenders) in recipients.items()},
            lbc_unsubscribe_urls=urls,
        )._generate_template(admins.ids, ("subject", "body_html", "email_from", "auto_delete"))
        self.env["mail.mail"].sudo().create(
            [
                {
                    "subject": values[admin.id]["subject"],
                    "body_html": values[admin.id]["body_html"],
                    "email_from": values[admin.id].get("email_from"),
                    # given, so that mail.message does not look up a reply-to alias for each e-mail
                    "reply_to": values[admin.id].get("email_from"),
                    "auto_delete": values[admin.id].get("auto_delete", False),
                    "model": "res.partner",
                    "res_id": recipients[admin][0].id,
                    "recipient_ids": [Command.set(admin.ids)],
                    "headers": repr({"List-Unsubscribe": f"<{urls[admin.id]}>"}),
                }
                for admin in admins
            ]
        )

    def action_open_reason_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reason"),
            "res_model": "lbc.reason",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": "lbc.tender",
                "default_res_ids": self.ids,
                "default_method": "action_cancel",
            },
        }
