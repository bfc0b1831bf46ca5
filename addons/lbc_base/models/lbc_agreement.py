from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .lbc_workflow_mixin import lbc_clean

KINDS = [
    ("terms", "Terms of Use"),
    ("provider_framework", "Provider Framework Contract (Contrat Cadre)"),
    ("client_main", "Client Main Contract (Contrat Principal)"),
]


class LbcAgreement(models.Model):
    _name = "lbc.agreement"
    _description = "Platform Agreement"
    _inherit = ["mail.thread"]
    _order = "kind, version desc"

    name = fields.Char(required=True, translate=True, tracking=True)
    kind = fields.Selection(KINDS, required=True, index=True, tracking=True)
    version = fields.Integer(required=True, default=1, tracking=True)
    date = fields.Date(string="Effective Date", required=True, default=fields.Date.context_today, tracking=True)
    body = fields.Html(required=True, translate=True, sanitize_style=True)
    active = fields.Boolean(default=True)
    is_current = fields.Boolean(
        string="Current Version",
        compute="_compute_is_current",
        search="_search_is_current",
        help="The highest version of its kind in force today: members must have accepted it.",
    )
    is_accepted = fields.Boolean(
        string="Accepted",
        compute="_compute_is_accepted",
        search="_search_is_accepted",
        help="Accepted by the current member (the terms) or by its company (the contracts).",
    )
    acceptance_ids = fields.One2many("lbc.agreement.acceptance", "agreement_id", string="Acceptances")
    acceptance_count = fields.Integer(compute="_compute_acceptance_count")
    announced = fields.Boolean(
        string="Announced to Members",
        readonly=True,
        copy=False,
        help="The members who accepted the previous version were told by e-mail that this one is in force.",
    )
    announced_up_to = fields.Integer(
        readonly=True,
        copy=False,
        help="Technical: the announcement e-mails are sent in batches, by increasing partner id, up to this one.",
    )

    _kind_version_uniq = models.Constraint("UNIQUE(kind, version)", "This version of this agreement already exists.")
    _version_positive = models.Constraint("CHECK(version > 0)", "The version must be a positive number.")

    @api.model
    def _current_ids(self):
        today = fields.Date.context_today(self)
        self.env.cr.execute(
            """SELECT DISTINCT ON (kind) id FROM lbc_agreement
                WHERE active AND date <= %s ORDER BY kind, version DESC""",
            (today,),
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _compute_is_current(self):
        self.flush_model(["kind", "version", "date", "active"])
        current = set(self._current_ids())
        for agreement in self:
            agreement.is_current = agreement.id in current

    def _search_is_current(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            return NotImplemented
        self.flush_model(["kind", "version", "date", "active"])
        positive = (operator in ("=", "in")) == bool(value)
        return [("id", "in" if positive else "not in", self._current_ids())]

    @api.model
    def _accepted_ids(self):
        """The agreements the current member accepted (the terms) or its company accepted (the contracts)."""
        member, company = self.env["res.users"]._lbc_me()
        domain = [("agreement_id.kind", "=", "terms"), ("partner_id", "=", member.id)]
        if company:
            domain = [
                "|",
                "&",
                *domain,
                "&",
                ("agreement_id.kind", "!=", "terms"),
                ("member_company_id", "=", company.id),
            ]
        # sudo: the acceptance log of the current member and of its own company only, read for their ids
        return self.env["lbc.agreement.acceptance"].sudo().search(domain).agreement_id.ids

    @api.depends_context("uid")
    def _compute_is_accepted(self):
        accepted = set(self._accepted_ids())
        for agreement in self:
            agreement.is_accepted = agreement.id in accepted

    def _search_is_accepted(self, operator, value):
        if operator != "in":
            return NotImplemented
        return [("id", "in", self._accepted_ids())]

    def _compute_acceptance_count(self):
        groups = self.env["lbc.agreement.acceptance"]._read_group(
            [("agreement_id", "in", self.ids)], ["agreement_id"], ["__count"]
        )
        counts = {agreement.id: count for agreement, count in groups}
        for agreement in self:
            agreement.acceptance_count = counts.get(agreement.id, 0)

    @api.model
    def _lbc_current(self, kind):
        return self.sudo().search([("kind", "=", kind), ("is_current", "=", True)], limit=1)

    @api.model
    def _lbc_published(self, kind, version=None):
        """The versions of `kind` in force today or before, newest first (the current one, then the older ones),
        or the one numbered `version`: the texts the public pages show.

        sudo: published agreements are public by nature (every visitor is asked to accept them); versions not yet
        in force and archived ones are left out.
        """
        domain = [("kind", "=", kind), ("date", "<=", fields.Date.context_today(self))]
        if version is not None:
            domain.append(("version", "=", version))
        return self.sudo().search(domain, order="version desc")

    def _lbc_pdf(self):
        """The PDF of this agreement (the back office's report)."""
        self.ensure_one()
        # sudo: the report is rendered for a published agreement (callers got it from _lbc_published)
        pdf, _report_type = (
            self.env["ir.actions.report"].sudo()._render_qweb_pdf("lbc_base.lbc_agreement_report", self.ids)
        )
        return pdf

    @api.model
    def _lbc_is_accepted(self, kind, partner):
        """Whether `partner` accepted the current version of `kind`.

        The terms are accepted by a member for itself; contracts by a company.
        """
        current = self._lbc_current(kind)
        if not current:
            return False
        field = "partner_id" if kind == "terms" else "member_company_id"
        return bool(
            self.env["lbc.agreement.acceptance"]
            .sudo()
            .search_count([("agreement_id", "=", current.id), (field, "=", partner.id)], limit=1)
        )

    @api.model_create_multi
    def create(self, vals_list):
        agreements = super().create(vals_list)
        # a new version must be accepted again: rules reading acceptance are recomputed
        self.env.registry.clear_cache()
        return agreements

    def write(self, vals):
        if self.acceptance_ids and {"body", "kind", "version"} & set(vals) and not self.env.su:
            raise UserError(
                self.env._("An agreement that members accepted cannot be changed: publish a new version instead.")
            )
        return super().write(vals)

    def action_accept(self):
        """The current user accepts this agreement (for its company when it is a contract)."""
        self.ensure_one()
        user = self.env.user
        if user._is_public():
            raise AccessError(self.env._("Please sign in to accept an agreement."))
        if not self.sudo().is_current:
            raise UserError(
                self.env._(
                    "%(name)s version %(version)s is not the version in force: accept the current one.",
                    name=self.name,
                    version=self.version,
                )
            )
        member = user.partner_id
        company = member.parent_id
        if self.kind != "terms":
            if not company:
                raise UserError(self.env._("Join or create a company before accepting %(name)s.", name=self.name))
            if self.kind == "provider_framework" and not company.lbc_is_provider:
                raise UserError(self.env._("%(company)s is not a provider company.", company=company.name))
            if self.kind == "client_main" and not company.lbc_is_client:
                raise UserError(self.env._("%(company)s is not a client company.", company=company.name))
            if not (user._lbc_has_role(("admin", "signatory"), company, verified=True)):
                raise AccessError(
                    self.env._(
                        "Only an administrator of %(company)s, or its signatory once verified by LBC, "
                        "can accept %(name)s.",
                        company=company.name,
                        name=self.name,
                    )
                )
        # sudo after the checks above, on a cleaned context: members cannot create log rows, and no `default_*`
        # key of the caller (a back-dated `accepted_at`, another user) reaches the log
        Acceptance = lbc_clean(self.env["lbc.agreement.acceptance"].sudo())
        key = [("agreement_id", "=", self.id), ("partner_id", "=", member.id)]
        if self.kind != "terms":
            key = [("agreement_id", "=", self.id), ("member_company_id", "=", company.id)]
        acceptance = Acceptance.search(key, limit=1)
        if not acceptance:
            acceptance = Acceptance.create(
                {
                    "agreement_id": self.id,
                    "user_id": user.id,
                    "partner_id": member.id,
                    "member_company_id": company.id or False,
                    "accepted_at": fields.Datetime.now(),
                    "ip_address": Acceptance._request_ip(),
                    # the terms' declarations (article 3), or the right to bind the company for a contract
                    "declared_capacity": self.kind == "terms",
                    "declared_professional": self.kind == "terms",
                    "declared_representation": self.kind != "terms",
                }
            )
            if self.kind != "terms":
                company.sudo().message_post(
                    body=self.env._(
                        "%(user)s accepted %(name)s, version %(version)s.",
                        user=user.name,
                        name=self.name,
                        version=self.version,
                    )
                )
        return acceptance.id

    def _lbc_translate(self, lang, name, body):
        """Shipped data (data/lbc_agreement_data.xml): `name` and `body` as this agreement's translation in
        `lang`. `body` has the same blocks as the source text, in the same order: the body is translated block by
        block (Odoo's html_translate). Nothing is done when `lang` is not installed."""
        self.ensure_one()
        if lang not in dict(self.env["res.lang"].get_installed()):
            return False
        field = self._fields["body"]
        source_terms = field.get_trans_terms(self.with_context(lang="en_US").body)
        terms = field.get_trans_terms(body)
        if len(source_terms) != len(terms):
            raise ValueError(f"{self.name}: the {lang} text has {len(terms)} blocks, the source {len(source_terms)}")
        self.update_field_translations("name", {lang: name})
        self.update_field_translations("body", {lang: dict(zip(source_terms, terms, strict=True))})
        return True

    # --- announcement of a new version ------------------------------------------------
    def _lbc_announcement_recipients(self):
        """The members to tell that this version is in force: those who accepted an older version of the terms,
        or the administrators of the companies that accepted an older version of the contract (active accounts
        with an e-mail address)."""
        self.ensure_one()
        # sudo: the cron reads every acceptance log and member
        older = (
            self.env["lbc.agreement.acceptance"]
            .sudo()
            .search([("kind", "=", self.kind), ("version", "<", self.version)])
        )
        partners = older.partner_id if self.kind == "terms" else older.member_company_id.lbc_admin_partner_ids
        return partners.filtered(lambda p: p.email and p.lbc_account_state == "active").sorted("id")

    @api.model
    def _cron_lbc_announce_versions(self, batch_size=200):
        """Daily: e-mail the members concerned when a new version of an agreement comes into force (the gate then
        asks them to accept it). In batches by increasing partner id, safe to re-run."""
        # sudo: the cron runs as superuser anyway; the announcement fields are written only here
        agreements = self.sudo().search([("is_current", "=", True), ("announced", "=", False)])
        for agreement in agreements:
            if not self.sudo().search_count(
                [("kind", "=", agreement.kind), ("version", "<", agreement.version)], limit=1
            ):
                # a first version: nobody accepted anything before it
                agreement.announced = True
                continue
            recipients = agreement._lbc_announcement_recipients().filtered(
                lambda p, up_to=agreement.announced_up_to: p.id > up_to
            )
            template = self.env.ref("lbc_base.mail_template_agreement_new_version")
            while recipients:
                batch, recipients = recipients[:batch_size], recipients[batch_size:]
                for partner in batch:
                    template.with_context(lang=partner.lang).send_mail(
                        agreement.id, email_values={"recipient_ids": [fields.Command.link(partner.id)]}
                    )
                agreement.announced_up_to = batch[-1].id
                if self.env.context.get("ir_cron_progress_id"):
                    self.env["ir.cron"]._commit_progress(processed=len(batch), remaining=len(recipients))
            agreement.announced = True
        return True

    def action_view_acceptances(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("lbc_base.lbc_agreement_acceptance_action")
        action["domain"] = [("agreement_id", "=", self.id)]
        return action

    def action_print(self):
        return self.env.ref("lbc_base.lbc_agreement_report").report_action(self)
