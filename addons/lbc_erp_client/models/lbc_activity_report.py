from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class LbcActivityReport(models.Model):
    _inherit = "lbc.activity.report"

    def action_validate(self):
        """The client certifies the service ("service fait"); the report is invoiced once and only once."""
        self._lbc_check_client_validator()
        # lock the reports: a replayed request or a second click waits here, then finds them validated
        self.env.cr.execute("SELECT id FROM lbc_activity_report WHERE id IN %s FOR UPDATE", (tuple(self.ids),))
        self.invalidate_recordset(["state"])
        for report in self:
            if report.state != "approved":
                raise UserError(
                    self.env._(
                        "%(report)s cannot be validated: it is not approved by the provider (or already validated).",
                        report=report.display_name,
                    )
                )
        self._set_state("validated", validated_by_id=self.env.uid, validated_date=fields.Datetime.now())
        if not self.env.context.get("lbc_defer_invoicing"):
            self._lbc_invoice()
        return True

    def _lbc_invoice(self):
        """Invoice the validated reports not invoiced yet: for each, the client invoice LBC -> client (posted),
        the provider's bill and the management-fee invoice; then 'invoiced'. Works in batches: a sale order
        invoices one report per round, so several months of one mission take several rounds."""
        pending = self.sudo().filtered(lambda r: r.state == "validated" and not r.invoice_ids)
        while pending:
            round_, missions = self.browse().sudo(), set()
            for report in pending:
                if report.mission_id.id not in missions:
                    missions.add(report.mission_id.id)
                    round_ |= report
            round_._lbc_invoice_round()
            pending -= round_
        return True

    def _lbc_invoice_round(self):
        orders = self.mission_id.sale_order_id
        unsigned = orders.filtered(lambda order: order.state != "sale")
        if unsigned:
            raise UserError(
                self.env._(
                    "The client's order %(order)s is not signed: the mission cannot be invoiced.",
                    order=unsigned[0].name,
                )
            )
        by_order = {report.mission_id.sale_order_id: report for report in self}
        for order, report in by_order.items():
            product = report.mission_id._lbc_product()
            line = order.order_line.filtered(lambda sol, product=product: sol.product_id == product)[:1]
            line.qty_delivered = line.qty_delivered + report.days_total
        Move = self.env["account.move"]
        client_invoices = Move
        for company, company_orders in orders.grouped("company_id").items():
            client_invoices |= company_orders.with_company(company)._create_invoices(grouped=True, final=True)
        for invoice in client_invoices:
            report = by_order[invoice.invoice_line_ids.sale_line_ids.order_id[:1]]
            invoice.write(
                {"lbc_activity_report_id": report.id, "lbc_invoice_kind": "client_invoice", "ref": report.display_name}
            )
            invoice.invoice_line_ids.filtered("sale_line_ids").write({"name": report._lbc_invoice_line_name()})
        bill_vals, to_post = [], []
        for report in self:
            vals, posted = report._lbc_vendor_bill_vals()
            bill_vals.append(vals)
            to_post.append(posted)
        bills = Move.create(bill_vals)
        amounts = {invoice.lbc_activity_report_id: invoice.amount_untaxed for invoice in client_invoices}
        fees = Move.create([report._lbc_fee_invoice_vals(amounts[report]) for report in self])
        self_billed = Move.browse([bill.id for bill, posted in zip(bills, to_post, strict=True) if posted])
        (client_invoices | fees | self_billed).action_post()
        self._set_state("invoiced")
        for report in self:
            report.message_post(
                body=self.env._(
                    "Invoiced: %(invoice)s to the client, %(days)s days.",
                    invoice=client_invoices.filtered(lambda m, r=report: m.lbc_activity_report_id == r).name,
                    days=report.days_total,
                ),
                subtype_xmlid="mail.mt_comment",
                partner_ids=(report.client_id | report.provider_id).lbc_admin_partner_ids.ids,
            )

    # --- background invoicing run ------------------------------------------------------
    @api.model
    def _lbc_invoiceable_domain(self):
        """Validated reports whose mission has its signed client order and LBC's order to the provider."""
        return [
            ("state", "=", "validated"),
            ("mission_id.sale_order_id.state", "=", "sale"),
            ("mission_id.purchase_order_id", "!=", False),
        ]

    @api.model
    def _cron_invoice_validated(self):
        while self._lbc_invoice_batch(limit=50):
            remaining = self.search_count(self._lbc_invoiceable_domain())
            if not self.env["ir.cron"]._commit_progress(50, remaining=remaining):
                break

    @api.model
    def _lbc_invoice_batch(self, limit=None):
        """Invoice the validated reports not yet invoiced; returns how many were invoiced."""
        reports = self.search(self._lbc_invoiceable_domain(), limit=limit, order="validated_date, id")
        reports._lbc_invoice()
        return len(reports)

    @api.model
    def _lbc_demo_month(self, mission, period, target_state):
        """Demo data: the mission's consultant reports the working days of `period` (up to today), and the
        report goes through the real flow up to `target_state` ('submitted' or 'invoiced')."""
        from odoo.addons.lbc_erp_provider.models.lbc_activity_report import french_holidays

        mission = self.env["lbc.mission"].browse(mission) if isinstance(mission, int | list) else mission
        period = fields.Date.to_date(period)
        today = fields.Date.context_today(self)
        off = french_holidays(period.year)
        days = []
        day = period
        while day.month == period.month and day <= today:
            if day.weekday() < 5 and day not in off and mission.date_start <= day <= mission.date_end:
                days.append(day)
            day += timedelta(days=1)
        if not days:
            return False
        report = self.create(
            {
                "mission_id": mission.id,
                "consultant_id": mission.consultant_id.id,
                "period": period,
                "line_ids": [fields.Command.create({"date": d, "quantity": 1.0}) for d in days],
            }
        )
        report.action_submit()
        if target_state == "invoiced":
            report.action_approve()
            report.action_validate()
        return report.id
