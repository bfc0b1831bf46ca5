from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.lbc_base.models.lbc_workflow_mixin import lbc_clean
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

    lbc_self_billing_mandate = fields.Boolean(
        string="Self-billing Mandate Signed",
        readonly=True,
        copy=False,
        tracking=True,
        help="The provider signed the mandate by which LBC issues its invoices on its behalf (self-billing).",
    )
    lbc_self_billing_mandate_date = fields.Date(string="Mandate Signed On", readonly=True, copy=False)
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

    def action_lbc_sign_self_billing_mandate(self):
        """The provider's admin or signatory signs the self-billing mandate."""
        self.ensure_one()
        user = self.env.user
        if not self.lbc_is_provider:
            raise UserError(self.env._("%(company)s is not a provider company.", company=self.name))
        if not self._lbc_is_operator() and not (user._lbc_has_role(("admin", "signatory"), self, verified=True)):
            raise AccessError(
                self.env._(
                    "Only an administrator of %(company)s, or its signatory once verified by LBC, can do this.",
                    company=self.name,
                )
            )
        self.sudo().write(
            {"lbc_self_billing_mandate": True, "lbc_self_billing_mandate_date": fields.Date.context_today(self)}
        )
        self.sudo().message_post(body=self.env._("%(user)s signed the self-billing mandate.", user=user.name))
        return True

    def action_lbc_invite_collaborator(self, name, email):
        """A company admin invites a consultant: a portal user with the consultant profile, invited by e-mail."""
        self.ensure_one()
        self._lbc_check_company_admin()
        if not self.lbc_is_provider:
            raise UserError(self.env._("Only provider companies have consultants."))
        if not name or not (email or "").strip():
            raise UserError(self.env._("Give the consultant's name and a valid e-mail address."))
        # the consultant's professional address, as every member's (no free mailbox, no disposable address)
        email = self.env["res.users"]._lbc_check_professional_email(email.strip())
        Users = lbc_clean(self.env["res.users"].sudo())
        if Users.with_context(active_test=False).search_count([("login", "=", email)], limit=1):
            raise UserError(
                self.env._("%(email)s already has an account: ask the member to join your company.", email=email)
            )
        user = Users.with_context(no_reset_password=True).create(
            {
                "name": name,
                "login": email,
                "email": email,
                "parent_id": self.id,
                "lbc_profile_type": "consultant",
                "group_ids": [fields.Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        user.with_context(create_user=True).action_reset_password()
        self.sudo().message_post(body=self.env._("%(name)s was invited as a consultant.", name=name))
        return user.partner_id.id

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
