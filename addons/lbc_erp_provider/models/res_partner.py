from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


def last_months(today, count=12):
    """The first days of the `count` months up to the month of `today`, oldest first."""
    months, current = [], today.replace(day=1)
    for _i in range(count):
        months.insert(0, current)
        current = (current - timedelta(days=1)).replace(day=1)
    return months


def by_month(groups, months):
    """Amounts of a read_group by month ({month key: amount}) as one rounded number per month of `months`."""
    found = {fields.Date.to_date(key).replace(day=1): value or 0.0 for key, value in groups.items()}
    return [round(found.get(month, 0.0), 2) for month in months]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # the self-billing mandate changes only through its actions (signature, revocation)
    _lbc_workflow_fields = (
        "lbc_self_billing_mandate",
        "lbc_self_billing_mandate_date",
        "lbc_self_billing_mandate_version",
        "lbc_self_billing_mandate_signed_by_id",
        "lbc_self_billing_mandate_revoked_date",
        "lbc_self_billing_mandate_revoked_by_id",
        "lbc_self_billing_mandate_revoke_reason",
    )

    lbc_self_billing_mandate = fields.Boolean(
        string="Self-billing Mandate Signed",
        readonly=True,
        copy=False,
        tracking=True,
        help="The provider signed the mandate by which LBC issues its invoices on its behalf (self-billing).",
    )
    lbc_self_billing_mandate_date = fields.Date(string="Mandate Signed On", readonly=True, copy=False)
    lbc_self_billing_mandate_version = fields.Integer(
        string="Mandate Version", readonly=True, copy=False, help="The version of the mandate's text signed."
    )
    lbc_self_billing_mandate_signed_by_id = fields.Many2one(
        "res.users", string="Mandate Signed By", readonly=True, copy=False
    )
    lbc_self_billing_mandate_revoked_date = fields.Date(string="Mandate Revoked On", readonly=True, copy=False)
    lbc_self_billing_mandate_revoked_by_id = fields.Many2one(
        "res.users", string="Mandate Revoked By", readonly=True, copy=False
    )
    lbc_self_billing_mandate_revoke_reason = fields.Text(string="Reason of the Revocation", readonly=True, copy=False)
    lbc_self_billing_mandate_ref = fields.Char(
        string="Mandate Reference",
        compute="_compute_lbc_self_billing_mandate_ref",
        help="The reference of the self-billing mandate, printed on every invoice LBC issues on the provider's behalf.",
    )

    @api.depends("lbc_self_billing_mandate", "lbc_self_billing_mandate_date")
    def _compute_lbc_self_billing_mandate_ref(self):
        for partner in self:
            partner.lbc_self_billing_mandate_ref = (
                f"AUTOF-{partner.id:06d}-{partner.lbc_self_billing_mandate_date:%Y%m%d}"
                if partner.lbc_self_billing_mandate and partner.lbc_self_billing_mandate_date
                else False
            )

    def _lbc_check_mandate_signatory(self):
        """Raise unless the current user is an administrator of this provider, its signatory once verified by LBC,
        or LBC."""
        self.ensure_one()
        if not self.is_company or not self.lbc_is_provider:
            raise UserError(self.env._("%(company)s is not a provider company.", company=self.name))
        if not self._lbc_is_operator() and not self.env.user._lbc_has_role(("admin", "signatory"), self, verified=True):
            raise AccessError(
                self.env._(
                    "Only an administrator of %(company)s, or its signatory once verified by LBC, can do this.",
                    company=self.name,
                )
            )

    def action_lbc_sign_self_billing_mandate(self):
        """The provider's admin or verified signatory signs the current version of the self-billing mandate (its
        text is the `self_billing_mandate` agreement): dated today, logged with the acceptance of that version
        (who, when, IP address). From then on LBC issues the provider's invoices on its behalf."""
        self.ensure_one()
        self._lbc_check_mandate_signatory()
        if self.lbc_self_billing_mandate:
            raise UserError(self.env._("%(company)s has already signed the self-billing mandate.", company=self.name))
        mandate = self.env["lbc.agreement"]._lbc_current("self_billing_mandate")
        if mandate and self.env.user.partner_id.parent_id == self:
            # a member signing for its own company: the acceptance of the version, which signs (lbc.agreement)
            mandate.with_env(self.env).action_accept()
        else:
            # LBC on the provider's behalf (a signed paper mandate), or no text published yet
            self._lbc_sign_self_billing_mandate(mandate)
        return True

    def _lbc_sign_self_billing_mandate(self, mandate):
        """Record the signature of `mandate` (a version of the text, or empty). Rights checked by the callers."""
        self.ensure_one()
        user = self.env.user
        self._lbc_workflow_write(
            {
                "lbc_self_billing_mandate": True,
                "lbc_self_billing_mandate_date": fields.Date.context_today(self),
                "lbc_self_billing_mandate_version": mandate.version,
                "lbc_self_billing_mandate_signed_by_id": user.id,
                "lbc_self_billing_mandate_revoked_date": False,
                "lbc_self_billing_mandate_revoked_by_id": False,
                "lbc_self_billing_mandate_revoke_reason": False,
            }
        )
        self.sudo().message_post(
            body=self.env._(
                "%(user)s signed the self-billing mandate (version %(version)s, reference %(ref)s).",
                user=user.name,
                version=mandate.version or "-",
                ref=self.lbc_self_billing_mandate_ref,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def action_lbc_revoke_self_billing_mandate(self, reason=None):
        """The provider's admin or verified signatory revokes the self-billing mandate, dated today: the invoices
        issued from then on are the provider's own again (the bills wait for its invoice); those already issued
        keep the mandate they were issued under."""
        self.ensure_one()
        self._lbc_check_mandate_signatory()
        if not self.lbc_self_billing_mandate:
            raise UserError(self.env._("%(company)s has no self-billing mandate to revoke.", company=self.name))
        reference = self.lbc_self_billing_mandate_ref
        reason = (reason or "").strip()
        self._lbc_workflow_write(
            {
                "lbc_self_billing_mandate": False,
                "lbc_self_billing_mandate_revoked_date": fields.Date.context_today(self),
                "lbc_self_billing_mandate_revoked_by_id": self.env.user.id,
                "lbc_self_billing_mandate_revoke_reason": reason or False,
            }
        )
        self.sudo().message_post(
            body=self.env._(
                "%(user)s revoked the self-billing mandate %(ref)s%(reason)s. The invoices issued from now on are "
                "the provider's own.",
                user=self.env.user.name,
                ref=reference,
                reason=self.env._(": %(reason)s", reason=reason) if reason else "",
            ),
            # a note: the provider's admins are told, its counterparties never read it
            subtype_xmlid="mail.mt_note",
            partner_ids=self.lbc_admin_partner_ids.ids,
        )
        return True

    def action_lbc_invite_collaborator(self, name, email):
        """Kept for RPC clients: invites a consultant (`action_lbc_invite_member` of lbc_base, which every company
        uses, with the consultant profile and no role). Returns the new member's partner id."""
        self.ensure_one()
        self._lbc_check_company_admin()
        if not self.lbc_is_provider:
            raise UserError(self.env._("Only provider companies have consultants."))
        if not name or not (email or "").strip():
            raise UserError(self.env._("Give the consultant's name and a valid e-mail address."))
        return self.action_lbc_invite_member(name, email, roles=[], profile_type="consultant")

    def _lbc_before_leave_company(self, company):
        """A member leaving its provider (or removed from it) ends its running assignments on the provider's
        missions today; refused, saying what to do, when it is the only consultant of a running mission."""
        res = super()._lbc_before_leave_company(company)
        running = (
            self.env["lbc.mission.assignment"]
            .sudo()
            .search([("consultant_id", "=", self.id), ("provider_id", "=", company.id), ("state", "=", "running")])
        )
        if running:
            running._lbc_end(
                fields.Date.context_today(self),
                self.env._("%(member)s is no longer a member of %(company)s.", member=self.name, company=company.name),
            )
        return res

    # --- dashboards ---------------------------------------------------------------------
    @api.model
    def lbc_dashboard_data(self, month=None):
        """The dashboard of the current member's company over the twelve months up to `month` (a date in it;
        default: this month), read with the member's own rights: JSON-ready values, one key per side of the
        company (``provider``, and ``client`` once the client ERP is installed)."""
        today = fields.Date.to_date(month) if month else fields.Date.context_today(self)
        company = self.env.user.partner_id.commercial_partner_id
        months = last_months(today)
        data = {"month": today.replace(day=1).isoformat(), "months": [m.isoformat() for m in months]}
        if company.lbc_is_provider:
            data["provider"] = company._lbc_provider_dashboard(today, months)
        return data

    def _lbc_provider_dashboard(self, today, months):
        """The provider's days of the month per consultant, its revenue and LBC's fees per month, its unpaid
        invoices (as the current member: its rights decide what is counted)."""
        self.ensure_one()
        Report = self.env["lbc.activity.report"]
        Move = self.env["account.move"]
        per_consultant = Report._read_group(
            [("provider_id", "=", self.id), ("period", "=", today.replace(day=1)), ("state", "!=", "rejected")],
            ["consultant_id"],
            ["days_total:sum"],
        )
        revenue = dict(
            Report._read_group(
                [
                    ("provider_id", "=", self.id),
                    ("state", "in", ("validated", "invoiced")),
                    ("period", ">=", months[0]),
                ],
                ["period:month"],
                ["amount_untaxed:sum"],
            )
        )
        can_read_moves = Move.has_access("read")
        fees = (
            dict(
                Move._read_group(
                    [("partner_id", "=", self.id), ("lbc_invoice_kind", "=", "fee"), ("invoice_date", ">=", months[0])],
                    ["invoice_date:month"],
                    ["amount_untaxed:sum"],
                )
            )
            if can_read_moves
            else {}
        )
        unpaid = (
            Move._read_group(
                [
                    ("partner_id", "child_of", self.id),
                    ("move_type", "in", ("out_invoice", "in_invoice")),
                    ("payment_state", "in", ("not_paid", "partial")),
                ],
                [],
                ["__count", "amount_residual:sum"],
            )[0]
            if can_read_moves
            else (0, 0.0)
        )
        return {
            "days_per_consultant": [[consultant.name, days] for consultant, days in per_consultant],
            "days_total": sum(days for _consultant, days in per_consultant),
            "revenue": by_month(revenue, months),
            "fees": by_month(fees, months),
            "unpaid_count": unpaid[0],
            "unpaid_amount": unpaid[1] or 0.0,
        }
