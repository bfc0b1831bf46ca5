import math
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    lbc_referencing_list_ids = fields.Many2many(
        "lbc.referencing.list",
        "lbc_referencing_list_provider_rel",
        "provider_id",
        "list_id",
        string="In Referencing Lists",
    )

    lbc_approval_threshold = fields.Monetary(
        string="Purchasing Approval Threshold",
        currency_field="lbc_company_currency_id",
        help="Tenders and mission orders above this amount (excl. tax) need a purchasing approver's approval. "
        "0: no approval.",
    )
    lbc_company_currency_id = fields.Many2one("res.currency", compute="_compute_lbc_company_currency_id")

    def _compute_lbc_company_currency_id(self):
        for partner in self:
            partner.lbc_company_currency_id = self.env.company.currency_id

    @api.constrains("lbc_approval_threshold")
    def _check_lbc_approval_threshold(self):
        for partner in self:
            if partner.lbc_approval_threshold < 0:
                raise ValidationError(
                    self.env._(
                        "The purchasing approval threshold of %(company)s cannot be negative: enter an amount "
                        "excluding tax, or 0 for no approval.",
                        company=partner.name,
                    )
                )

    def action_lbc_set_approval_threshold(self, amount):
        """The company's administrator sets the amount (excl. tax) above which tenders and mission orders need a
        purchasing approver's approval (0: none). Over RPC as from the portal: administrators only
        (`action_lbc_update`), never a negative amount."""
        self.ensure_one()
        self._lbc_check_company_admin()
        if not self.lbc_is_client:
            raise ValidationError(
                self.env._("%(company)s is not a client: it has no purchasing approvals.", company=self.display_name)
            )
        try:
            value = float(str(amount).replace(",", ".").replace(" ", "").replace("\u202f", "")) if amount else 0.0
        except ValueError:
            value = None
        if value is None or not math.isfinite(value):
            raise ValidationError(self.env._("%(amount)s is not an amount.", amount=amount))
        if value < 0:
            raise ValidationError(
                self.env._(
                    "The purchasing approval threshold cannot be negative: enter an amount excluding tax, or 0 for "
                    "no approval."
                )
            )
        return self.action_lbc_update({"lbc_approval_threshold": value})

    @api.model
    def _lbc_member_editable_fields(self):
        return super()._lbc_member_editable_fields() | {"lbc_approval_threshold"}

    @api.model
    def lbc_dashboard_data(self, month=None):
        data = super().lbc_dashboard_data(month=month)
        company = self.env.user.partner_id.commercial_partner_id
        if company.lbc_is_client:
            months = [fields.Date.to_date(m) for m in data["months"]]
            data["client"] = company._lbc_client_dashboard(months)
        return data

    def _lbc_client_dashboard(self, months):
        """The client's spend per provider and month (validated reports), its running missions and the reports
        waiting for its validation (as the current member: its rights decide what is counted)."""
        self.ensure_one()
        Report = self.env["lbc.activity.report"]
        groups = Report._read_group(
            [("client_id", "=", self.id), ("state", "in", ("validated", "invoiced")), ("period", ">=", months[0])],
            ["provider_id", "period:month"],
            ["amount_untaxed:sum"],
        )
        spend = defaultdict(dict)
        for provider, period, amount in groups:
            spend[provider][fields.Date.to_date(period).replace(day=1)] = amount
        return {
            "spend_per_provider": [
                [provider.name, [round(amounts.get(m, 0.0) or 0.0, 2) for m in months]]
                for provider, amounts in spend.items()
            ],
            "active_missions": self.env["lbc.mission"].search_count(
                [("client_id", "=", self.id), ("state", "=", "active")]
            ),
            "reports_waiting": Report.search_count([("client_id", "=", self.id), ("state", "=", "approved")]),
        }

    def _lbc_suppliers(self):
        """The provider companies of this client (in its referencing lists or on its missions) and the number
        of running missions with each ({provider id: count}), as the current member."""
        self.ensure_one()
        providers = self.search(
            [
                ("is_company", "=", True),
                ("lbc_is_provider", "=", True),
                "|",
                ("lbc_referencing_list_ids.client_id", "=", self.id),
                ("lbc_provider_mission_ids.client_id", "=", self.id),
            ],
            order="name",
        )
        missions = self.env["lbc.mission"]._read_group(
            [("client_id", "=", self.id), ("state", "=", "active")], ["provider_id"], ["__count"]
        )
        return providers, {provider.id: count for provider, count in missions}

    def _get_peppol_endpoint_value(self, country_code, field, eas):
        # ready for an approved platform (Odoo's l10n_fr_pdp routes the same way): a French company's electronic
        # address in the national directory is its SIREN, under scheme 0225
        if country_code == "FR" and field == "peppol_endpoint" and eas == "0225":
            registry = (self.company_registry or "").replace(" ", "")
            if registry.isdigit() and len(registry) in (9, 14):
                return registry[:9]
        return super()._get_peppol_endpoint_value(country_code, field, eas)

    # --- subscriptions (lbc_base asks, the running sale.subscription answer) --------------------
    def _lbc_has_feature(self, code):
        """Whether a running subscription of the member or its company opens the feature `code`."""
        self.ensure_one()
        return code in self.env["sale.subscription"]._lbc_partner_features(self)

    def _lbc_filter_feature(self, code):
        """The partners of self that a running subscription (their own or their company's) opens `code` to, unless
        a subscription invoice of its subscriber is overdue beyond the grace period: in two queries whatever the
        number of partners (the alerts and the featured search ask for many)."""
        if not self:
            return self
        holders = self | self.commercial_partner_id
        subscriptions = (
            self.env["sale.subscription"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", holders.ids),
                    ("lbc_state", "in", ("active", "cancelled")),
                    ("lbc_term_end", ">", fields.Date.context_today(self)),
                    ("lbc_plan_id.feature_ids.code", "=", code),
                ]
            )
        )
        overdue = (
            subscriptions._lbc_overdue_subscriber_ids(subscriptions.partner_id.commercial_partner_id.ids)
            if subscriptions
            else set()
        )
        opened = {
            subscription.partner_id.id
            for subscription in subscriptions
            if subscription.partner_id.commercial_partner_id.id not in overdue
        }
        return self.filtered(lambda partner: partner.id in opened or partner.commercial_partner_id.id in opened)

    def _lbc_feature_upsell_message(self, code):
        return self.env["sale.subscription"]._lbc_upsell_message(code)
