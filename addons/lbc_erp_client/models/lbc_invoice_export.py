import csv
import io
import zipfile

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# exports produced per transaction by a runner (an export is a whole period's file: one at a time)
EXPORT_BATCH = 1
EXPORT_RUNNER_CRONS = ("lbc_erp_client.ir_cron_run_exports", "lbc_erp_client.ir_cron_run_exports_2")

REGISTER_COLUMNS = [
    ("name", "Number"),
    ("invoice_date", "Date"),
    ("move_type", "Type"),
    ("partner", "Partner"),
    ("partner_vat", "Partner VAT"),
    ("journal", "Journal"),
    ("amount_untaxed", "Untaxed"),
    ("amount_tax", "Tax"),
    ("amount_total", "Total"),
    ("currency", "Currency"),
    ("payment_state", "Payment"),
    ("lbc_kind", "LBC Kind"),
    ("report", "Activity Report"),
]


class LbcInvoiceExport(models.Model):
    """An export for LBC's accountants. It runs in the background (cron) and lands as an attachment,
    with a notification to whoever asked for it."""

    _name = "lbc.invoice.export"
    _description = "Accountant Export"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    date_from = fields.Date(required=True, default=lambda self: fields.Date.context_today(self).replace(month=1, day=1))
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    journal_ids = fields.Many2many(
        "account.journal", string="Journals", help="Leave empty for every sale and purchase journal."
    )
    export_format = fields.Selection(
        [
            ("fec", "FEC (Fichier des Écritures Comptables)"),
            ("csv", "Invoice register (CSV)"),
            ("xlsx", "Invoice register (XLSX)"),
            ("zip", "Invoice PDFs with Factur-X (ZIP)"),
        ],
        required=True,
        default="fec",
    )
    state = fields.Selection(
        [("queued", "Queued"), ("done", "Done"), ("failed", "Failed")], default="queued", readonly=True, tracking=True
    )
    attachment_id = fields.Many2one("ir.attachment", readonly=True)
    requested_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    error = fields.Text(readonly=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, required=True, readonly=True)

    _dates_order = models.Constraint("CHECK(date_to >= date_from)", "The end of the period is before its start.")

    @api.depends("export_format", "date_from", "date_to")
    def _compute_name(self):
        labels = dict(self._fields["export_format"]._description_selection(self.env))
        for export in self:
            export.name = f"{labels.get(export.export_format, '')} {export.date_from} – {export.date_to}"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if (
                vals.get("date_from")
                and vals.get("date_to")
                and fields.Date.to_date(vals["date_to"]) < fields.Date.to_date(vals["date_from"])
            ):
                raise UserError(self.env._("The end of the period is before its start."))
        exports = super().create(vals_list)
        self._lbc_trigger_runners()
        return exports

    def _lbc_moves(self):
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("state", "=", "posted"),
            ("invoice_date", ">=", self.date_from),
            ("invoice_date", "<=", self.date_to),
            ("move_type", "in", ("out_invoice", "out_refund", "in_invoice", "in_refund")),
        ]
        if self.journal_ids:
            domain.append(("journal_id", "in", self.journal_ids.ids))
        return self.env["account.move"].search(domain, order="invoice_date, name")

    def _lbc_register_rows(self):
        kinds = dict(self.env["account.move"]._fields["lbc_invoice_kind"]._description_selection(self.env))
        for move in self._lbc_moves():
            yield {
                "name": move.name,
                "invoice_date": move.invoice_date.isoformat(),
                "move_type": move.move_type,
                "partner": move.partner_id.display_name,
                "partner_vat": move.partner_id.vat or "",
                "journal": move.journal_id.code,
                "amount_untaxed": move.amount_untaxed_signed,
                "amount_tax": move.amount_tax_signed,
                "amount_total": move.amount_total_signed,
                "currency": move.company_currency_id.name,
                "payment_state": move.payment_state,
                "lbc_kind": kinds.get(move.lbc_invoice_kind, ""),
                "report": ", ".join(move.lbc_activity_report_ids.mapped("display_name")),
            }

    def _lbc_export_fec(self):
        wizard = (
            self.env["l10n_fr.fec.export.wizard"]
            .with_company(self.company_id)
            .create(
                {
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    # the accountants' extraction must not lock the fiscal year: LBC does that on purpose
                    "test_file": True,
                    "export_type": "official",
                    "excluded_journal_ids": [
                        fields.Command.set(
                            self.env["account.journal"]
                            .search([("company_id", "=", self.company_id.id), ("id", "not in", self.journal_ids.ids)])
                            .ids
                        )
                    ]
                    if self.journal_ids
                    else False,
                }
            )
        )
        # Odoo streams the FEC from a new cursor, which cannot see this transaction's wizard: stay on ours
        # (the context key is named for tests, its effect is only "use the current cursor")
        result = wizard.with_context(fec_test_mode=True).generate_fec()
        content = result["file_content"]
        if isinstance(content, str):
            content = content.encode()
        elif not isinstance(content, bytes):
            content = b"".join(content)  # Odoo streams the FEC rows
        return result["file_name"], content

    def _lbc_export_csv(self):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow([label for _key, label in REGISTER_COLUMNS])
        for row in self._lbc_register_rows():
            writer.writerow([row[key] for key, _label in REGISTER_COLUMNS])
        return f"invoices_{self.date_from}_{self.date_to}.csv", buffer.getvalue().encode("utf-8-sig")

    def _lbc_export_xlsx(self):
        import xlsxwriter

        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet("Invoices")
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        for col, (_key, label) in enumerate(REGISTER_COLUMNS):
            sheet.write(0, col, label, bold)
        for row_index, row in enumerate(self._lbc_register_rows(), start=1):
            for col, (key, _label) in enumerate(REGISTER_COLUMNS):
                value = row[key]
                sheet.write(row_index, col, value, money if isinstance(value, float) else None)
        workbook.close()
        return f"invoices_{self.date_from}_{self.date_to}.xlsx", buffer.getvalue()

    def _lbc_export_zip(self):
        """The legal documents of the period's invoices LBC issued (PDF/A-3 with their Factur-X XML), as stored
        on each invoice by Odoo's sending: never rendered again."""
        buffer = io.BytesIO()
        moves = self._lbc_moves().filtered(lambda move: move._lbc_needs_legal_documents())
        documents = moves._lbc_legal_documents()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for move in moves:
                if move in documents:
                    archive.writestr(f"{move.name.replace('/', '_')}.pdf", documents[move].raw)
        return f"invoices_{self.date_from}_{self.date_to}.zip", buffer.getvalue()

    def _lbc_run(self):
        """Produce the file, attach it, tell the requester. Errors are kept on the export, not raised."""
        for export in self:
            try:
                with self.env.cr.savepoint():
                    filename, content = getattr(
                        export.with_company(export.company_id), f"_lbc_export_{export.export_format}"
                    )()
                    attachment = self.env["ir.attachment"].create(
                        {
                            "name": filename,
                            "raw": content,
                            "res_model": export._name,
                            "res_id": export.id,
                        }
                    )
                    export.write({"state": "done", "attachment_id": attachment.id, "error": False})
                    export.message_post(
                        body=self.env._("Your export %(name)s is ready.", name=export.name),
                        attachment_ids=attachment.ids,
                        partner_ids=export.requested_by_id.partner_id.ids,
                        subtype_xmlid="mail.mt_comment",
                    )
            except (UserError, ValueError, OSError) as error:
                export.write({"state": "failed", "error": str(error)})
                export.message_post(
                    body=self.env._("Your export %(name)s failed: %(error)s", name=export.name, error=str(error)),
                    partner_ids=export.requested_by_id.partner_id.ids,
                )
        return True

    @api.model
    def _cron_run_exports(self):
        """Run the queued exports, one per transaction. Several runners may run at once (the cron jobs of
        `_lbc_export_runner_crons` on several cron hosts): each claims its export (`ir.cron._lbc_claim`,
        `SELECT ... FOR NO KEY UPDATE SKIP LOCKED`, still queued on the newest row) and commits it, so two
        runners produce two different exports and each export is produced once."""
        Cron = self.env["ir.cron"]
        domain = [("state", "=", "queued")]

        def batch():
            exports = Cron._lbc_claim(self, domain, limit=EXPORT_BATCH, recheck=SQL("state = 'queued'"))
            exports._lbc_run()
            return len(exports)

        Cron._lbc_run_claimed_batches(batch, remaining=lambda: self.search_count(domain))

    @api.model
    def _lbc_export_runner_crons(self):
        """The cron jobs of the exports: Odoo runs one job on one cron host at a time, so the exports have one
        job per runner (`ir_cron_run_exports`, `ir_cron_run_exports_2`)."""
        return self.env["ir.cron"].sudo().search([("code", "=", "model._cron_run_exports()")])

    @api.model
    def _lbc_trigger_runners(self):
        """Wake every runner up for the exports just queued (each claims its own)."""
        for xmlid in EXPORT_RUNNER_CRONS:
            cron = self.env.ref(xmlid, raise_if_not_found=False)
            if cron:
                cron._trigger()

    def action_download(self):
        self.ensure_one()
        if not self.attachment_id:
            raise UserError(self.env._("The export is not ready yet."))
        return {"type": "ir.actions.act_url", "url": f"/web/content/{self.attachment_id.id}?download=true"}

    def action_retry(self):
        self.write({"state": "queued", "error": False})
        self._lbc_trigger_runners()
        return True
