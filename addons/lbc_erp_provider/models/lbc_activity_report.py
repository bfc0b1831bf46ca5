import calendar

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

# pg_advisory_xact_lock key (with the company id) of the self-billing journal's creation
SELF_BILLING_JOURNAL_LOCK = 7317

REPORT_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved by the Provider"),
    ("validated", "Validated by the Client"),
    ("invoiced", "Invoiced"),
    ("rejected", "Rejected"),
]


class LbcActivityReport(models.Model):
    _name = "lbc.activity.report"
    _description = "Monthly Activity Report (CRA)"
    _inherit = ["lbc.workflow.mixin", "portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "period desc, id desc"
    # written only by the actions (and the invoicing); the related and computed ones are never given by hand
    _lbc_workflow_fields = (
        "state",
        "rejection_reason",
        "submitted_date",
        "submitted_by_id",
        "approved_by_id",
        "validated_by_id",
        "validated_date",
        "invoice_line_ids",
        "days_total",
        "amount_untaxed",
        "provider_id",
        "client_id",
    )
    # a report belongs to one consultant's month of one mission for good
    _lbc_parent_fields = ("mission_id", "consultant_id", "period")

    mission_id = fields.Many2one("lbc.mission", required=True, index=True, ondelete="restrict")
    consultant_id = fields.Many2one("res.partner", required=True, index=True, ondelete="restrict")
    provider_id = fields.Many2one(related="mission_id.provider_id", store=True, index=True)
    client_id = fields.Many2one(related="mission_id.client_id", store=True, index=True)
    period = fields.Date(required=True, index=True, help="First day of the reported month.")
    line_ids = fields.One2many("lbc.activity.report.line", "report_id", string="Days")
    days_total = fields.Float(compute="_compute_days_total", store=True, digits=(16, 1))
    state = fields.Selection(REPORT_STATES, default="draft", required=True, readonly=True, tracking=True, index=True)
    rejection_reason = fields.Text(readonly=True, copy=False, tracking=True)
    submitted_date = fields.Datetime(readonly=True, copy=False)
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    validated_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    validated_date = fields.Datetime(readonly=True, copy=False)
    invoice_line_ids = fields.One2many(
        "account.move.line", "lbc_activity_report_id", string="Invoice Lines", readonly=True
    )
    invoice_ids = fields.Many2many(
        "account.move", string="Invoices", compute="_compute_invoice_ids", search="_search_invoice_ids"
    )
    currency_id = fields.Many2one(related="mission_id.currency_id")
    amount_untaxed = fields.Monetary(compute="_compute_days_total", store=True, string="Amount (excl. tax)")

    _one_per_month = models.UniqueIndex(
        "(mission_id, consultant_id, period)",
        "There is already an activity report for this consultant, mission and month.",
    )

    @api.depends("line_ids.quantity", "mission_id.daily_rate")
    def _compute_days_total(self):
        for report in self:
            report.days_total = sum(report.line_ids.mapped("quantity"))
            report.amount_untaxed = (
                report.currency_id.round(report.days_total * report.mission_id.daily_rate)
                if (report.currency_id)
                else report.days_total * report.mission_id.daily_rate
            )

    @api.depends("invoice_line_ids.move_id")
    def _compute_invoice_ids(self):
        for report in self:
            report.invoice_ids = report.invoice_line_ids.move_id

    def _search_invoice_ids(self, operator, value):
        return [("invoice_line_ids.move_id", operator, value)]

    @api.depends("mission_id.name", "consultant_id.name", "period")
    def _compute_display_name(self):
        for report in self:
            month = report.period.strftime("%Y-%m") if report.period else ""
            report.display_name = f"{report.mission_id.name or ''} – {report.consultant_id.name or ''} – {month}"

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for report in self:
            report.access_url = f"/my/reports/{report.id}"
        return res

    @api.constrains("period", "mission_id", "consultant_id")
    def _check_period(self):
        for report in self:
            if report.period.day != 1:
                raise ValidationError(self.env._("The period of an activity report is the first day of a month."))
            mission = report.mission_id
            last_day = report.period.replace(day=calendar.monthrange(report.period.year, report.period.month)[1])
            if last_day < mission.date_start or report.period > mission.date_end:
                raise ValidationError(
                    self.env._("The mission %(mission)s does not run in this month.", mission=mission.name)
                )
            if report.consultant_id not in report.mission_id._lbc_consultants():
                raise ValidationError(
                    self.env._(
                        "%(consultant)s is not assigned to %(mission)s.",
                        consultant=report.consultant_id.name,
                        mission=mission.name,
                    )
                )

    # --- CRUD ---------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("period"):
                period = fields.Date.to_date(vals["period"])
                vals["period"] = period.replace(day=1)
            if vals.get("mission_id") and vals.get("consultant_id") and vals.get("period"):
                if self.sudo().search_count(
                    [
                        ("mission_id", "=", vals["mission_id"]),
                        ("consultant_id", "=", vals["consultant_id"]),
                        ("period", "=", vals["period"]),
                    ],
                    limit=1,
                ):
                    raise ValidationError(
                        self.env._("There is already an activity report for this consultant, mission and month.")
                    )
        reports = super().create(vals_list)
        reports._lbc_check_author()
        return reports

    def write(self, vals):
        if not self.env.su:
            # the workflow guard first (its message names the field), then who may change the days
            self._lbc_workflow_check_write(vals)
            if not self._lbc_is_operator():
                self._lbc_check_author()
                if any(report.state != "draft" for report in self):
                    raise UserError(self.env._("Only a draft activity report can be changed."))
                if set(vals) - {"line_ids"}:
                    raise AccessError(self.env._("Only the days of an activity report can be changed."))
        return super().write(vals)

    def _lbc_workflow_locked_fields(self):
        """The days are frozen once the report leaves the draft (LBC credits an invoiced report to reopen it)."""
        if any(report.state != "draft" for report in self):
            return {"line_ids"}
        return set()

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(report.state != "draft" or report.sudo().invoice_line_ids for report in self):
            raise UserError(self.env._("Only a draft activity report can be deleted."))

    # --- rights -------------------------------------------------------------------
    def _lbc_is_operator(self):
        return self.env["res.partner"]._lbc_is_operator()

    def _lbc_check_author(self):
        """The consultant itself, or an admin / report approver of its provider."""
        if self._lbc_is_operator():
            return
        user = self.env.user
        for report in self:
            if report.consultant_id == user.partner_id:
                continue
            if not (user._lbc_has_role(("admin", "cra_approver"), report.provider_id)):
                raise AccessError(self.env._("Only the consultant or its company's report approvers can do this."))

    def _lbc_provider_approver_refusal(self):
        """Why the current user may not approve (or send back) this submitted report for its provider, or None.

        A report approver or an admin of the provider, who neither is the consultant nor submitted the report:
        whoever produces the days never approves them, whatever roles it holds (a freelancer's reports are
        approved by LBC)."""
        self.ensure_one()
        if self._lbc_is_operator():
            return None
        user = self.env.user
        if not user._lbc_has_role(("cra_approver", "admin"), self.provider_id):
            return self.env._(
                "Only a report approver of %(provider)s can do this.", provider=self.provider_id.sudo().name
            )
        if user.partner_id == self.consultant_id or user == self.submitted_by_id:
            return self.env._(
                "You cannot approve or send back an activity report you filled in or submitted: another report "
                "approver of %(provider)s (or LBC) does it.",
                provider=self.provider_id.sudo().name,
            )
        return None

    def _lbc_client_validator_refusal(self):
        """Why the current user may not validate (or send back) this approved report for the client, or None.

        A report approver or an admin of the client, never a member of the provider nor anyone who produced or
        approved the days."""
        self.ensure_one()
        if self._lbc_is_operator():
            return None
        user = self.env.user
        partner = user.partner_id
        client = self.client_id
        if not user._lbc_has_role(("cra_approver", "admin"), client):
            return self.env._("Only a report approver of %(client)s can do this.", client=client.sudo().name)
        if (
            partner.commercial_partner_id == self.provider_id
            or partner == self.consultant_id
            or user in (self.submitted_by_id | self.approved_by_id)
        ):
            return self.env._(
                "The provider's members never validate its activity reports: a report approver of %(client)s does.",
                client=client.sudo().name,
            )
        return None

    def _lbc_check_provider_approver(self):
        for report in self:
            refusal = report._lbc_provider_approver_refusal()
            if refusal:
                raise AccessError(refusal)

    def _lbc_check_client_validator(self):
        """Client members who validate the service: its admins and report approvers (or LBC)."""
        for report in self:
            refusal = report._lbc_client_validator_refusal()
            if refusal:
                raise AccessError(refusal)

    def _lbc_allowed_actions(self):
        """What the current user may do on this report now: a subset of {'edit', 'approve', 'validate',
        'reject'}, decided by the same rules as the actions (the portal shows the buttons it gets)."""
        self.ensure_one()
        allowed = set()
        if self.state == "draft" and (self.consultant_id == self.env.user.partner_id or self._lbc_is_operator()):
            allowed.add("edit")
        if self.state == "submitted" and not self._lbc_provider_approver_refusal():
            allowed |= {"approve", "reject"}
        if self.state == "approved" and not self._lbc_client_validator_refusal():
            allowed |= {"validate", "reject"}
        return allowed

    @api.model
    def _lbc_to_act_domain(self):
        """The reports waiting for the current user: its drafts, its provider's submitted reports it may approve
        (not its own), its client company's approved reports to validate."""
        user = self.env.user
        partner = user.partner_id
        company = partner.commercial_partner_id
        parts = [["&", ("consultant_id", "=", partner.id), ("state", "=", "draft")]]
        if user._lbc_has_role(("admin", "cra_approver")):
            parts.append(
                [
                    "&",
                    "&",
                    ("provider_id", "=", company.id),
                    ("state", "=", "submitted"),
                    ("consultant_id", "!=", partner.id),
                ]
            )
            parts.append(["&", ("client_id", "=", company.id), ("state", "=", "approved")])
        domain = ["|"] * (len(parts) - 1)
        for part in parts:
            domain += part
        return domain

    def _lbc_lock(self):
        """Lock the reports' rows until the transaction ends, waiting for a concurrent one (unlike Odoo's
        lock_for_update, which fails at once): a replayed request or a second click waits here, then reads the
        state the first one left and gets the usual refusal."""
        self.env.cr.execute("SELECT id FROM lbc_activity_report WHERE id IN %s FOR UPDATE", (tuple(self.ids),))
        self.invalidate_recordset(["state"])

    def _set_state(self, state, **vals):
        """The only way the status moves: called by the actions once they have checked the actor."""
        self._lbc_workflow_write({"state": state, **vals})

    # --- the month's calendar and its days -------------------------------------------
    def _lbc_holidays(self):
        """{date: name} of the public holidays of the report's month at the mission's place of work."""
        self.ensure_one()
        if not self.period or not self.mission_id:
            return {}
        period = self.period.replace(day=1)
        last = period.replace(day=calendar.monthrange(period.year, period.month)[1])
        return self.mission_id._lbc_calendar()._lbc_public_holidays(period, last)

    def _lbc_calendar_days(self):
        """One dict per day of the report's month: its kind (working day, weekend, public holiday and its
        name), whether the mission runs that day, and the day stored (quantity as typed in the grid, the
        worked-off-day flag, the comment)."""
        self.ensure_one()
        Line = self.env["lbc.activity.report.line"]
        period = self.period
        holidays = self._lbc_holidays()
        mission = self.mission_id
        lines = {line.date: line for line in self.line_ids}
        days = []
        for day in range(1, calendar.monthrange(period.year, period.month)[1] + 1):
            current = period.replace(day=day)
            line = lines.get(current)
            days.append(
                {
                    "date": current,
                    "key": current.isoformat(),
                    "kind": Line._lbc_date_kind(current, holidays),
                    "holiday": holidays.get(current, ""),
                    "in_mission": mission.date_start <= current <= mission.date_end,
                    "quantity": ("0.5" if line.quantity == 0.5 else "1") if line else "",
                    "off": bool(line and line.worked_off_day),
                    "comment": (line and line.comment) or "",
                }
            )
        return days

    @api.model
    def _lbc_parse_quantity(self, value):
        """A day's quantity as typed (0.5 or 1, as a number or a text); 0 when the day is not worked."""
        if value in (None, False, "", 0, "0"):
            return 0.0
        try:
            quantity = float(value)
        except (TypeError, ValueError):
            quantity = None
        if quantity not in (0.5, 1.0):
            raise ValidationError(self.env._("A day counts 0.5 (half day) or 1 (whole day)."))
        return quantity

    def action_save_days(self, days):
        """The consultant (or its company's report approvers) saves the month of a draft report at once.

        `days` maps each worked date (ISO text) to ``{"quantity": 0.5 or 1, "worked_off_day": bool,
        "comment": text}``; a date left out (or without quantity) has no line. The day rules are the lines'
        own (month of the report, mission dates, weekends and public holidays ticked, one day per date
        across the consultant's missions)."""
        self.ensure_one()
        self._lbc_check_author()
        if self.state != "draft":
            raise UserError(self.env._("Only a draft activity report can be changed."))
        Line = self.env["lbc.activity.report.line"]
        holidays = self._lbc_holidays()
        wanted = {}
        for key, values in (days or {}).items():
            try:
                day = fields.Date.to_date(key)
            except (TypeError, ValueError):
                day = None
            if not day:
                raise ValidationError(self.env._("%(value)s is not a date.", value=key))
            values = values if isinstance(values, dict) else {"quantity": values}
            quantity = self._lbc_parse_quantity(values.get("quantity"))
            if not quantity:
                continue
            wanted[day] = {
                "quantity": quantity,
                "worked_off_day": bool(values.get("worked_off_day"))
                and Line._lbc_date_kind(day, holidays) != "working",
                "comment": (values.get("comment") or "").strip() or False,
            }
        existing = {line.date: line for line in self.line_ids}
        commands = [fields.Command.unlink(line.id) for day, line in existing.items() if day not in wanted]
        for day, vals in sorted(wanted.items()):
            line = existing.get(day)
            if not line:
                commands.append(fields.Command.create({"date": day, **vals}))
            elif (line.quantity, line.worked_off_day, line.comment or False) != (
                vals["quantity"],
                vals["worked_off_day"],
                vals["comment"],
            ):
                commands.append(fields.Command.update(line.id, vals))
        if commands:
            self.write({"line_ids": commands})
        return True

    # --- flow -----------------------------------------------------------------------
    def action_submit(self):
        self._lbc_check_author()
        for report in self:
            if report.state != "draft":
                raise UserError(self.env._("Only a draft activity report can be submitted."))
            if not report.line_ids:
                raise UserError(self.env._("Fill in at least one day before submitting."))
            if report.mission_id.state != "active":
                raise UserError(self.env._("The mission %(mission)s is not active.", mission=report.mission_id.name))
        self._set_state(
            "submitted", submitted_date=fields.Datetime.now(), submitted_by_id=self.env.uid, rejection_reason=False
        )
        for report in self:
            report.sudo().message_post_with_source(
                "lbc_erp_provider.mail_template_report_submitted", subtype_xmlid="mail.mt_comment"
            )
        return True

    def action_approve(self):
        """The provider's report approver certifies its consultant's days (never the consultant itself)."""
        self._lbc_check_provider_approver()
        for report in self:
            if report.state != "submitted":
                raise UserError(self.env._("Only a submitted activity report can be approved."))
        self._set_state("approved", approved_by_id=self.env.uid)
        for report in self:
            report.sudo().message_post_with_source(
                "lbc_erp_provider.mail_template_report_approved", subtype_xmlid="mail.mt_comment"
            )
        return True

    def action_reject(self, reason=None):
        """The provider's approver (submitted) or the client (approved) sends the report back to the consultant."""
        if not reason or not reason.strip():
            raise UserError(self.env._("Please give a reason: it is sent to the consultant."))
        for report in self:
            if report.state == "submitted":
                report._lbc_check_provider_approver()
            elif report.state == "approved":
                report._lbc_check_client_validator()
            elif report.state in ("validated", "invoiced"):
                raise UserError(
                    self.env._(
                        "%(report)s is already invoiced: LBC issues credit notes to correct it.",
                        report=report.display_name,
                    )
                )
            else:
                raise UserError(self.env._("Only a submitted or approved activity report can be rejected."))
        self._set_state("draft", rejection_reason=reason.strip())
        for report in self:
            report.sudo().message_post_with_source(
                "lbc_erp_provider.mail_template_report_rejected", subtype_xmlid="mail.mt_comment"
            )
        return True

    # --- provider-side invoicing ----------------------------------------------------
    def _lbc_self_billing_journal(self, company):
        """The company's self-billing journal, created on first use. Two invoicing runners may need it at once:
        its creation is serialized by a transaction-level advisory lock, taken only when the journal is missing
        (the second runner then finds the first's journal once committed, instead of failing on the journal's
        unique alias)."""
        Journal = self.env["account.journal"].sudo()
        domain = [("company_id", "=", company.id), ("type", "=", "purchase"), ("is_self_billing", "=", True)]
        journal = Journal.search(domain, limit=1)
        if not journal:
            self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)", SELF_BILLING_JOURNAL_LOCK, company.id))
            journal = Journal.search(domain, limit=1)
        if not journal:
            journal = Journal.create(
                {
                    "name": self.env._("Self-billing (LBC on behalf of providers)"),
                    "code": "AUTOF",
                    "type": "purchase",
                    "is_self_billing": True,
                    "company_id": company.id,
                }
            )
        return journal

    def _lbc_invoice_ref(self):
        """Reference of a document invoicing these reports: the report's name, or how many and which months."""
        if len(self) == 1:
            return self.display_name
        return self.env._(
            "%(count)s activity reports, %(months)s",
            count=len(self),
            months=", ".join(sorted({report.period.strftime("%m/%Y") for report in self})),
        )

    @api.model
    def _lbc_add_quantities(self, added, fname):
        """Add `added` ({order line: days}) to the lines' `fname`: one write per resulting quantity.

        The received quantities of the purchase lines received by hand (LBC's orders to the providers: services)
        are written where Odoo keeps them, `qty_received_manual` (what the inverse of `qty_received` writes and its
        compute reads): same quantities, same recomputations. Writing `qty_received` itself makes Odoo's purchase
        post a note on the order for each line, a full `message_post` (10-25 ms each: the largest part of what the
        invoicing run cost over Odoo's own invoicing); the same notes are logged in one batch instead
        (`_lbc_log_received`)."""
        target = fname
        if fname == "qty_received":
            manual = {line: days for line, days in added.items() if line.qty_received_method == "manual"}
            if manual:
                self._lbc_log_received(manual)
                self._lbc_write_quantities(manual, fname, "qty_received_manual")
            added = {line: days for line, days in added.items() if line not in manual}
        if added:
            self._lbc_write_quantities(added, fname, target)

    @api.model
    def _lbc_write_quantities(self, added, fname, target):
        by_quantity = {}
        for line, days in added.items():
            by_quantity.setdefault(line[fname] + days, []).append(line.id)
        for quantity, line_ids in by_quantity.items():
            next(iter(added)).browse(line_ids).write({target: quantity})

    @api.model
    def _lbc_log_received(self, added):
        """The note Odoo's purchase posts on a confirmed order when a line's received quantity changes by hand
        (`purchase.order.line._track_qty_received`, same template and values), logged on all the orders in one
        batch: one note per order, no notification (a note notifies nobody by default)."""
        bodies = {}
        for line, days in added.items():
            order = line.order_id
            if not days or order.state != "purchase":
                continue
            body = self.env["mail.render.mixin"]._render_template_qweb_view(
                "purchase.track_po_line_qty_received_template",
                order._name,
                order.ids,
                add_context={"line": line, "qty_received": line.qty_received + days},
            )[order.id]
            bodies[order.id] = bodies[order.id] + body if order.id in bodies else body
        if bodies:
            orders = self.env["purchase.order"].browse(list(bodies))
            orders._message_log_batch(bodies=bodies)

    def _lbc_receive_days(self):
        """LBC received the validated days: the purchase lines' received quantities grow."""
        received = {}
        for report in self:
            line = report.mission_id.sudo()._lbc_purchase_line()
            received[line] = received.get(line, 0.0) + report.days_total
        self._lbc_add_quantities(received, "qty_received")

    def _lbc_vendor_bill_vals(self):
        """Values of the bill provider -> LBC for these reports of one provider (one line per report, its
        validated days at its purchase order's rate). Returns (values, posted by LBC?): the bill is posted in
        the self-billing journal when the provider signed the mandate, else it waits for the provider's own
        invoice as a draft."""
        missions = self.mission_id.sudo()
        provider = missions.provider_id.ensure_one()
        purchases = missions.purchase_order_id
        company = purchases.company_id.ensure_one()
        self_billing = company.lbc_self_billing and provider.lbc_self_billing_mandate
        line_vals = []
        for report in self:
            line = report.mission_id.sudo()._lbc_purchase_line()
            line_vals.append(
                fields.Command.create(
                    {
                        "product_id": line.product_id.id,
                        "name": report._lbc_invoice_line_name(),
                        "quantity": report.days_total,
                        "product_uom_id": line.product_uom_id.id,
                        "price_unit": line.price_unit,
                        "purchase_line_id": line.id,
                        "tax_ids": [fields.Command.set(line.tax_ids.ids)],
                        "lbc_activity_report_id": report.id,
                    }
                )
            )
        move_vals = {
            "move_type": "in_invoice",
            "partner_id": provider.id,
            "company_id": company.id,
            "invoice_date": fields.Date.context_today(self),
            "ref": self._lbc_invoice_ref(),
            "lbc_invoice_kind": "provider_bill",
            "invoice_origin": ", ".join(purchases.mapped("name")),
            "invoice_line_ids": line_vals,
        }
        if self_billing:
            move_vals["journal_id"] = self._lbc_self_billing_journal(company).id
            move_vals["lbc_self_billing_mandate_ref"] = provider.lbc_self_billing_mandate_ref
        return move_vals, self_billing

    def _lbc_fee_amount(self, invoiced_amount):
        self.ensure_one()
        mission = self.mission_id
        if mission.fee_mode == "per_day":
            return mission.fee_value, self.days_total
        return mission.currency_id.round(invoiced_amount * mission.fee_value / 100), 1.0

    def _lbc_fee_line_vals(self, invoiced_amount):
        """The management fee of one report: per invoiced day, or a percentage of the invoiced amount."""
        self.ensure_one()
        mission = self.mission_id.sudo()
        price_unit, quantity = self._lbc_fee_amount(invoiced_amount)
        if mission.fee_mode == "per_day":
            label = self.env._(
                "Management fee %(mission)s, %(month)s: %(days)s days x %(fee)s",
                mission=mission.name,
                month=self.period.strftime("%m/%Y"),
                days=self.days_total,
                fee=mission.fee_value,
            )
        else:
            label = self.env._(
                "Management fee %(mission)s, %(month)s: %(rate)s %% of %(amount)s",
                mission=mission.name,
                month=self.period.strftime("%m/%Y"),
                rate=mission.fee_value,
                amount=invoiced_amount,
            )
        return {
            # from Odoo's cache of xml ids (`env.ref` checks the product exists: one query per report)
            "product_id": self.env["ir.model.data"]._xmlid_to_res_id(
                "lbc_erp_provider.product_lbc_management_fee", raise_if_not_found=True
            ),
            "name": label,
            "quantity": quantity,
            "price_unit": price_unit,
            "lbc_activity_report_id": self.id,
        }

    def _lbc_fee_invoice_vals(self, invoiced_amounts):
        """Values of the management-fee invoice LBC -> provider for these reports of one provider, one line per
        report; `invoiced_amounts` maps each report to the amount invoiced to the client."""
        missions = self.mission_id.sudo()
        provider = missions.provider_id.ensure_one()
        company = missions.sale_order_id.company_id[:1] or self.env.company
        return {
            "move_type": "out_invoice",
            "partner_id": provider.id,
            "company_id": company.id,
            "invoice_date": fields.Date.context_today(self),
            "ref": self._lbc_invoice_ref(),
            "lbc_invoice_kind": "fee",
            "invoice_origin": ", ".join(missions.mapped("name")),
            "invoice_line_ids": [
                fields.Command.create(report._lbc_fee_line_vals(invoiced_amounts[report])) for report in self
            ],
        }

    def _lbc_invoice_line_name(self):
        self.ensure_one()
        return self.env._(
            "%(mission)s – %(consultant)s – activity of %(month)s (%(days)s days)",
            mission=self.mission_id.name,
            consultant=self.consultant_id.name,
            month=self.period.strftime("%m/%Y"),
            days=self.days_total,
        )

    def action_view_invoices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", self.sudo().invoice_line_ids.move_id.ids)],
        }

    def action_open_reason_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reason"),
            "res_model": "lbc.reason",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": "lbc.activity.report",
                "default_res_ids": self.ids,
                "default_method": "action_reject",
            },
        }
