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
        """Client invoice LBC -> client (posted), provider bill, management-fee invoice; then 'invoiced'."""
        for report in self.sudo():
            if report.state != "validated" or report.invoice_ids:
                continue
            client_invoice = report._lbc_create_client_invoice()
            report._lbc_create_vendor_bill()
            report._lbc_create_fee_invoice(client_invoice.amount_untaxed)
            report._set_state("invoiced")
            report.message_post(
                body=self.env._(
                    "Invoiced: %(invoice)s to the client, %(days)s days.",
                    invoice=client_invoice.name,
                    days=report.days_total,
                ),
                subtype_xmlid="mail.mt_comment",
                partner_ids=(report.client_id | report.provider_id).lbc_admin_partner_ids.ids,
            )
        return True

    def _lbc_create_client_invoice(self):
        """The sale order line's delivered quantity grows by the validated days; its invoice is posted."""
        self.ensure_one()
        order = self.mission_id.sale_order_id
        if order.state != "sale":
            raise UserError(
                self.env._(
                    "The client's order %(order)s is not signed: the mission cannot be invoiced.", order=order.name
                )
            )
        line = order.order_line.filtered(lambda sol: sol.product_id == self.mission_id._lbc_product())[:1]
        line.qty_delivered = line.qty_delivered + self.days_total
        invoice = order.with_company(order.company_id)._create_invoices(final=True)
        invoice.write(
            {"lbc_activity_report_id": self.id, "lbc_invoice_kind": "client_invoice", "ref": self.display_name}
        )
        invoice.invoice_line_ids.filtered("sale_line_ids").write({"name": self._lbc_invoice_line_name()})
        invoice.action_post()
        return invoice

    # --- background invoicing run ------------------------------------------------------
    @api.model
    def _cron_invoice_validated(self):
        while self._lbc_invoice_batch(limit=50):
            remaining = self.search_count([("state", "=", "validated")])
            if not self.env["ir.cron"]._commit_progress(50, remaining=remaining):
                break

    @api.model
    def _lbc_invoice_batch(self, limit=None):
        """Invoice the validated reports not yet invoiced; returns how many were invoiced."""
        reports = self.search([("state", "=", "validated")], limit=limit, order="validated_date, id")
        reports._lbc_invoice()
        return len(reports)
