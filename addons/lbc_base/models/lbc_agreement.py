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

    def action_view_acceptances(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("lbc_base.lbc_agreement_acceptance_action")
        action["domain"] = [("agreement_id", "=", self.id)]
        return action

    def action_print(self):
        return self.env.ref("lbc_base.lbc_agreement_report").report_action(self)
