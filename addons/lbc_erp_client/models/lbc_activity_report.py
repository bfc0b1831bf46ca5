import logging

from odoo import api, fields, models
from odoo.addons.lbc_base.models.lbc_workflow_mixin import lbc_clean
from odoo.exceptions import AccessError, UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# reports invoiced per transaction by the background run: a month of a large platform in a few batches, each
# well inside a cron's time limit (about a minute for 1,000 on a small machine, see bench/)
INVOICE_BATCH = 1000
# a batch that lost a race with another runner (serialization failure, deadlock) is claimed again this many times
CLAIM_RETRIES = 5


class LbcActivityReport(models.Model):
    _inherit = "lbc.activity.report"

    def action_validate(self):
        """The client certifies the service ("service fait"); the report is invoiced once and only once."""
        return self._lbc_validate()

    def _lbc_validate(self, invoice=True):
        """Validate as the current user, who must be a report approver of the client (never the provider's).
        `invoice=False` leaves the invoicing to the background run (internal callers only: no caller of the
        public action chooses it)."""
        self._lbc_check_client_validator()
        self._lbc_lock()
        for report in self:
            if report.state != "approved":
                raise UserError(
                    self.env._(
                        "%(report)s cannot be validated: it is not approved by the provider (or already validated).",
                        report=report.display_name,
                    )
                )
        self._set_state("validated", validated_by_id=self.env.uid, validated_date=fields.Datetime.now())
        if invoice:
            self._lbc_invoice()
        return True

    def _lbc_invoice(self):
        """Invoice the validated reports not invoiced yet, then mark them 'invoiced'. Each report gets exactly one
        line in each of three documents: the client invoice LBC -> client (posted, its days delivered on the
        client's order), the provider's bill (from LBC's purchase order) and the management-fee invoice LBC ->
        provider. The reports invoiced together are grouped as Odoo's consolidated billing groups orders: one
        client invoice per client (company, invoice address, currency, fiscal position), one bill and one fee
        invoice per provider. A unique index on the lines makes a second invoicing of a report impossible."""
        # the documents are made on a clean context: no default_* key of the caller reaches them
        reports = lbc_clean(self.sudo()).filtered(
            lambda r: r.state == "validated" and r.validated_by_id and not r._lbc_live_invoice_lines()
        )
        if not reports:
            return True
        env = reports.env
        unsigned = reports.mission_id.filtered(lambda mission: mission.sale_order_id.state != "sale")
        if unsigned:
            raise UserError(
                self.env._(
                    "The client's order %(order)s is not signed: the mission cannot be invoiced.",
                    order=unsigned[0].sale_order_id.name or unsigned[0].name,
                )
            )
        if not all(reports.mission_id.mapped("purchase_order_id")):
            raise UserError(self.env._("The mission has no purchase order to the provider: it cannot be invoiced."))
        # the documents' own chatter starts with their links to the orders and the messages below
        Move = env["account.move"].sudo().with_context(mail_create_nolog=True)
        # the service is delivered: the order lines' delivered quantities grow by the validated days
        sale_lines, delivered = {}, {}
        for report in reports:
            line = report.mission_id._lbc_sale_line()
            sale_lines[report] = line
            delivered[line] = delivered.get(line, 0.0) + report.days_total
        reports._lbc_add_quantities(delivered, "qty_delivered")
        reports._lbc_receive_days()
        # client invoices, one line per report, grouped by Odoo's grouping keys of sale orders
        grouping_keys = env["sale.order"]._get_invoice_grouping_keys()
        prepared, groups = {}, {}
        for report in reports:
            order = report.mission_id.sale_order_id
            if order not in prepared:
                prepared[order] = order._prepare_invoice()
            key = tuple(prepared[order].get(k) for k in grouping_keys)
            groups.setdefault(key, (prepared[order], []))[1].append(report.id)
        client_vals = []
        for vals, group_ids in groups.values():
            # with the prefetch of the whole batch: the missions and consultants of all groups read at once
            group = reports.browse(group_ids).with_prefetch(reports._prefetch_ids)
            line_vals = []
            for sequence, report in enumerate(group, start=1):
                sale_line = sale_lines[report]
                values = sale_line._prepare_invoice_line(
                    sequence=sequence,
                    quantity=report.days_total,
                    name=report._lbc_invoice_line_name(),
                    lbc_activity_report_id=report.id,
                )
                sale_line._set_analytic_distribution(values)
                line_vals.append(fields.Command.create(values))
            vals.update(
                {
                    "ref": group._lbc_invoice_ref(),
                    "invoice_origin": ", ".join(group.mission_id.sale_order_id.mapped("name")),
                    "lbc_invoice_kind": "client_invoice",
                    "invoice_date": fields.Date.context_today(reports),
                    "invoice_line_ids": line_vals,
                }
            )
            client_vals.append(vals)
        # the amounts invoiced to the clients, as the invoice lines will compute them (the fees' base)
        invoiced = {}
        for vals in client_vals:
            currency = env["res.currency"].browse(vals.get("currency_id")) or env.company.currency_id
            for command in vals["invoice_line_ids"]:
                line = command[2]
                invoiced[reports.browse(line["lbc_activity_report_id"])] = currency.round(
                    line["quantity"] * line["price_unit"] * (1 - (line.get("discount") or 0.0) / 100)
                )
        # the providers' bills and management fees, one of each per provider
        bill_vals, to_post, fee_vals = [], [], []
        for provider_reports in reports.grouped("provider_id").values():
            for company_reports in provider_reports.grouped(
                lambda r: r.mission_id.purchase_order_id.company_id
            ).values():
                vals, posted = company_reports._lbc_vendor_bill_vals()
                bill_vals.append(vals)
                to_post.append(posted)
            for company_reports in provider_reports.grouped(lambda r: r.mission_id.sale_order_id.company_id).values():
                fee_vals.append(company_reports._lbc_fee_invoice_vals(invoiced))
        # the three kinds of documents in one create (Odoo's sale makes its invoices the same way, in sudo:
        # sale.order._create_account_invoices), one batch of accounting computations instead of three
        moves = Move.create(client_vals + bill_vals + fee_vals)
        client_invoices = moves[: len(client_vals)]
        bills = moves[len(client_vals) : len(client_vals) + len(bill_vals)]
        fees = moves[len(client_vals) + len(bill_vals) :]
        self_billed = Move.browse([bill.id for bill, posted in zip(bills, to_post, strict=True) if posted])
        (client_invoices | fees | self_billed).action_post()
        # the change of state is tracked on the reports' notes below, in one batch (Odoo's tracking logs one message
        # per record)
        reports.with_context(mail_notrack=True)._set_state("invoiced")
        reports._lbc_notify_invoiced(client_invoices, bills, fees)
        return True

    def _lbc_notify_invoiced(self, client_invoices, bills, fees):
        """A note on each report, with the tracking of its state (validated -> invoiced); one message to the admins
        of each client with its invoice, and one to the admins of each provider with its fee invoice and its bill."""
        client_of = {line.lbc_activity_report_id: line.move_id for line in client_invoices.invoice_line_ids}
        notes = self._message_log_batch(
            bodies={
                report.id: self.env._(
                    "Invoiced: %(invoice)s to the client, %(days)s days.",
                    invoice=client_of[report].name,
                    days=report.days_total,
                )
                for report in self
            }
        )
        # what Odoo's tracking would have logged in a message of its own per report (the invoicing runs in sudo)
        state_info = self.fields_get(["state"], attributes=("string", "type", "selection"))["state"]
        Tracking = self.env["mail.tracking.value"]
        Tracking.create(
            [
                {
                    **Tracking._create_tracking_values(
                        "validated", "invoiced", "state", state_info, self.browse(note.res_id)
                    ),
                    "mail_message_id": note.id,
                }
                for note in notes
            ]
        )
        for invoice in client_invoices:
            reports = invoice.invoice_line_ids.lbc_activity_report_id
            invoice.message_post(
                body=self.env._(
                    "Invoice %(invoice)s: %(count)s activity reports validated, %(days)s days.",
                    invoice=invoice.name,
                    count=len(reports),
                    days=sum(reports.mapped("days_total")),
                ),
                subtype_xmlid="mail.mt_comment",
                partner_ids=reports.client_id.lbc_admin_partner_ids.ids,
            )
        for fee in fees:
            reports = fee.invoice_line_ids.lbc_activity_report_id
            bill = bills.filtered(lambda b, r=reports: b.invoice_line_ids.lbc_activity_report_id & r)
            fee.message_post(
                body=self.env._(
                    "%(count)s activity reports invoiced to the client (%(days)s days): your bill %(bill)s to LBC "
                    "and LBC's management fee invoice %(fee)s.",
                    count=len(reports),
                    days=sum(reports.mapped("days_total")),
                    bill=", ".join(
                        b.name if b.state == "posted" else self.env._("(draft, awaiting your invoice)") for b in bill
                    ),
                    fee=fee.name,
                ),
                subtype_xmlid="mail.mt_comment",
                partner_ids=reports.provider_id.lbc_admin_partner_ids.ids,
            )

    def _lbc_live_invoice_lines(self):
        """The reports' invoice lines that stand (not credited)."""
        return self.sudo().invoice_line_ids.filtered(lambda line: line.lbc_invoice_kind and not line.lbc_credited)

    def action_lbc_credit(self, reason=None):
        """LBC corrects invoiced reports: each report's line in each document is credited (a credit note per
        document, posted like the document; a line of a bill still in draft is removed), the delivered and
        received days are taken back, and the report goes back to its consultant as a draft with the reason.
        Once corrected, submitted, approved and validated again, it is invoiced again."""
        if not self._lbc_is_operator():
            raise AccessError(self.env._("Only LBC issues credit notes."))
        if not reason or not reason.strip():
            raise UserError(self.env._("Please give a reason: it is sent to the consultant."))
        self._lbc_lock()
        for report in self:
            if report.state != "invoiced":
                raise UserError(
                    self.env._("%(report)s is not invoiced: there is nothing to credit.", report=report.display_name)
                )
        reports = lbc_clean(self.sudo())
        lines = reports._lbc_live_invoice_lines()
        today = fields.Date.context_today(self)
        refund_vals, draft_lines = [], lines.browse()
        for line in lines:
            move = line.move_id
            if move.state != "posted":
                draft_lines |= line  # the provider's bill waiting for its own invoice: nothing to credit yet
                continue
            refund_vals.append(
                {
                    "move_type": "out_refund" if move.move_type == "out_invoice" else "in_refund",
                    "partner_id": move.partner_id.id,
                    "company_id": move.company_id.id,
                    "journal_id": move.journal_id.id,
                    "currency_id": move.currency_id.id,
                    "fiscal_position_id": move.fiscal_position_id.id,
                    "invoice_date": today,
                    "reversed_entry_id": move.id,
                    "ref": self.env._(
                        "Credit note of %(move)s: %(report)s",
                        move=move.name,
                        report=line.lbc_activity_report_id.display_name,
                    ),
                    "invoice_origin": move.name,
                    "lbc_invoice_kind": move.lbc_invoice_kind,
                    "invoice_line_ids": [
                        fields.Command.create(
                            {
                                "product_id": line.product_id.id,
                                "name": line.name,
                                "quantity": line.quantity,
                                "product_uom_id": line.product_uom_id.id,
                                "price_unit": line.price_unit,
                                "discount": line.discount,
                                "tax_ids": [fields.Command.set(line.tax_ids.ids)],
                                "sale_line_ids": [fields.Command.set(line.sale_line_ids.ids)],
                                "purchase_line_id": line.purchase_line_id.id,
                                "analytic_distribution": line.analytic_distribution,
                                "lbc_activity_report_id": line.lbc_activity_report_id.id,
                                "lbc_credited": True,
                            }
                        )
                    ],
                }
            )
        lines.write({"lbc_credited": True})
        refunds = reports.env["account.move"].with_context(mail_create_nolog=True).create(refund_vals)
        refunds.action_post()
        for bill, bill_lines in draft_lines.grouped("move_id").items():
            if bill.invoice_line_ids - bill_lines:
                bill.write({"invoice_line_ids": [fields.Command.unlink(line.id) for line in bill_lines]})
            else:
                bill.unlink()
        # the days are no longer delivered (client order) nor received (LBC's order to the provider)
        delivered, received = {}, {}
        for report in reports:
            sale_line, purchase_line = report.mission_id._lbc_sale_line(), report.mission_id._lbc_purchase_line()
            delivered[sale_line] = delivered.get(sale_line, 0.0) - report.days_total
            received[purchase_line] = received.get(purchase_line, 0.0) - report.days_total
        self._lbc_add_quantities(delivered, "qty_delivered")
        self._lbc_add_quantities(received, "qty_received")
        reports._set_state("draft", rejection_reason=reason.strip())
        for report in reports:
            credit_notes = refunds.filtered(lambda m, r=report: r in m.invoice_line_ids.lbc_activity_report_id)
            report.message_post(
                body=self.env._(
                    "Credited by LBC (%(credit_notes)s) and sent back to the consultant: %(reason)s",
                    credit_notes=", ".join(credit_notes.mapped("name")) or "-",
                    reason=reason.strip(),
                ),
                subtype_xmlid="mail.mt_note",
            )
            report.message_post_with_source(
                "lbc_erp_provider.mail_template_report_rejected", subtype_xmlid="mail.mt_comment"
            )
        return refunds

    def action_open_credit_wizard(self):
        action = self.action_open_reason_wizard()
        action["name"] = self.env._("Credit and Reopen")
        action["context"]["default_method"] = "action_lbc_credit"
        return action

    # --- background invoicing run ------------------------------------------------------
    @api.model
    def _lbc_invoiceable_domain(self):
        """Validated reports whose mission has its signed client order and LBC's order to the provider."""
        return [
            ("state", "=", "validated"),
            ("validated_by_id", "!=", False),
            ("mission_id.sale_order_id.state", "=", "sale"),
            ("mission_id.purchase_order_id", "!=", False),
        ]

    @api.model
    def _cron_invoice_validated(self):
        """The invoicing run. Several runners may run it at once (the cron jobs of `_lbc_invoicing_runner_crons`
        on several cron hosts, or `odoo-bin` processes): each batch claims its reports with `FOR UPDATE SKIP
        LOCKED` (`_lbc_claim_invoiceable`), so two runners take disjoint batches, and commits; a runner stops when
        nothing is left to claim. A batch that loses a race on a shared row (PostgreSQL's concurrency errors) is
        rolled back whole and claimed again."""
        set_aside, retries = set(), 0
        while True:
            self._lbc_read_committed()
            try:
                done = self._lbc_invoice_batch(limit=INVOICE_BATCH, set_aside=set_aside, claim=True)
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                retries += 1
                if retries > CLAIM_RETRIES:
                    raise
                self.env.cr.rollback()
                self._lbc_forget_sequence_numbers()
                continue
            if not done:
                break
            retries = 0
            domain = [*self._lbc_invoiceable_domain(), ("id", "not in", list(set_aside))]
            if not self.env["ir.cron"]._commit_progress(done, remaining=self.search_count(domain)):
                break
            self.env.invalidate_all()

    @api.model
    def _lbc_read_committed(self):
        """Run the batch about to start in READ COMMITTED (Odoo's transactions are REPEATABLE READ), when nothing
        ran yet in this transaction (right after the cron's commit; a test's cursor stays as it is). Runners
        invoicing at once post in the same journals: Odoo numbers an invoice by locking its number in the unique
        index (the second runner waits for the first's commit, then takes the next free number) and marks the
        previous invoice of the journal (`made_sequence_gap`); in REPEATABLE READ that previous invoice, committed
        by the other runner after the batch began, cannot be written (serialization failure: the whole batch lost
        each time), in READ COMMITTED the batch sees it and goes on. Nothing else is shared: the batches hold
        disjoint missions with all their reports, hence disjoint orders (`_lbc_claim_invoiceable`), and the unique
        index on the lines keeps each report invoiced once.
        Returns whether the batch runs in READ COMMITTED (lbc_base's `ir.cron._lbc_read_committed`, shared with
        the other runs spread over runners)."""
        return self.env["ir.cron"]._lbc_read_committed()

    @api.model
    def _lbc_invoicing_runner_crons(self):
        """The cron jobs of the invoicing run: Odoo runs one job on one cron host at a time, so the run has one
        job per runner (`ir_cron_invoice_validated`, `ir_cron_invoice_validated_2`): with two cron hosts (or
        `max_cron_threads` = 2) both run at once, each on its own batches."""
        return self.env["ir.cron"].search([("code", "=", "model._cron_invoice_validated()")])

    @api.model
    def _lbc_claim_invoiceable(self, limit=None, set_aside=None):
        """Lock and return the invoiceable reports of up to `limit` missions that no other transaction holds,
        provider by provider. The claim is by mission (`SELECT ... FROM lbc_mission ... FOR NO KEY UPDATE SKIP
        LOCKED`), then all the mission's invoiceable reports: invoicing a report adds its days to its mission's
        order lines (read, add, write), so two reports of one mission (two months) must never be in two runners'
        batches at once, or the second runner, in READ COMMITTED, would write a total that misses the first's
        days. The missions another runner is invoicing are skipped, not waited for; the reports it invoiced and
        committed meanwhile are no longer 'validated' (READ COMMITTED, see `_lbc_read_committed`; in REPEATABLE
        READ they raise a serialization failure and the batch is claimed again)."""
        domain = self._lbc_invoiceable_domain()
        if set_aside:
            domain.append(("id", "not in", list(set_aside)))
        query = self._search(domain)
        self.env.cr.execute(
            SQL(
                "SELECT m.id FROM lbc_mission m WHERE m.id IN ("
                "  SELECT r.mission_id FROM lbc_activity_report r WHERE r.id IN %s AND r.state = 'validated')"
                " ORDER BY m.provider_id, m.client_id, m.id %s FOR NO KEY UPDATE SKIP LOCKED",
                query.subselect(),
                SQL("LIMIT %s", limit) if limit else SQL(),
            )
        )
        mission_ids = [row[0] for row in self.env.cr.fetchall()]
        if not mission_ids:
            return self.browse()
        # the missions are ours: their reports are locked too (waited for, not skipped: no other runner claims them)
        self.env.cr.execute(
            SQL(
                "SELECT id FROM lbc_activity_report WHERE id IN %s AND state = 'validated' AND mission_id = ANY(%s)"
                " ORDER BY provider_id, client_id, id FOR NO KEY UPDATE",
                query.subselect(),
                mission_ids,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _lbc_invoice_batch(self, limit=None, set_aside=None, claim=False):
        """Invoice the validated reports not yet invoiced, provider by provider and client by client so that a
        batch groups as much as it can; returns how many reports it took. With `set_aside` (a set of ids), the
        reports that cannot be invoiced are set aside (see `_lbc_invoice_or_set_aside`), their ids added to it
        and skipped by the next batches of the run. With `claim`, the batch is claimed with
        `_lbc_claim_invoiceable` (concurrent runners)."""
        if claim:
            reports = self._lbc_claim_invoiceable(limit=limit, set_aside=set_aside)
        else:
            domain = self._lbc_invoiceable_domain()
            if set_aside:
                domain.append(("id", "not in", list(set_aside)))
            reports = self.search(domain, limit=limit, order="provider_id, client_id, id")
        if set_aside is None:
            reports._lbc_invoice()
        else:
            set_aside.update(reports._lbc_invoice_or_set_aside().ids)
        return len(reports)

    def _lbc_invoice_or_set_aside(self):
        """Invoice these reports; if that fails, one provider's reports must not block the others: each
        provider's reports are tried alone (and rolled back), those that fail are set aside with a note and an
        activity for LBC, the others are invoiced together. Returns the reports set aside."""
        try:
            with self.env.cr.savepoint():
                self._lbc_invoice()
            return self.browse()
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # another runner holds a row of this batch: not the reports' fault, the batch is retried
        except Exception:  # whatever fails, find below which reports cause it
            self._lbc_forget_sequence_numbers()
        failed = self.browse()
        for provider_reports in self.grouped("provider_id").values():
            try:
                with self.env.cr.savepoint() as trial:
                    provider_reports._lbc_invoice()
                    trial.close(rollback=True)
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception as error:  # reported to LBC on the reports, the run goes on
                failed |= provider_reports
                provider_reports._lbc_invoicing_failed(error)
            self._lbc_forget_sequence_numbers()
        (self - failed)._lbc_invoice()
        return failed

    def _lbc_forget_sequence_numbers(self):
        """After a rolled-back savepoint: the invoice numbers Odoo cached for this transaction (sequence.mixin)
        were taken inside it; forget them so that the next invoices are numbered from the database, no gap."""
        self.env.cr.cache.pop("sequence.mixin", None)

    def _lbc_invoicing_failed(self, error):
        """Tell LBC why these reports could not be invoiced: a note on each and an activity (once)."""
        reason = error.args[0] if isinstance(error, UserError) and error.args else repr(error)
        _logger.warning("Invoicing run: %s report(s) set aside (%s)", len(self), reason, exc_info=True)
        operator = self.env["res.partner"]._lbc_operator_user()
        summary = self.env._("Invoicing failed")
        for report in self.sudo():
            body = self.env._("The invoicing run could not invoice this report: %(reason)s", reason=reason)
            report.message_post(body=body, subtype_xmlid="mail.mt_note")
            if not report.activity_ids.filtered(lambda a, s=summary: a.summary == s):
                report.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=operator.id, summary=summary, note=body
                )
