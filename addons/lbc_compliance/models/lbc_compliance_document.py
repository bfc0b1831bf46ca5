import base64
import binascii
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.mimetypes import guess_mimetype

ALLOWED_MIMETYPES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}
DEFAULT_MAX_FILE_SIZE_MB = 10
DEFAULT_EXPIRING_DAYS = 30
# Fields only the workflow methods write (guarded like lbc_base guards lbc_state).
WORKFLOW_FIELDS = {
    "state",
    "verified_by_id",
    "verified_date",
    "verification_method",
    "rejected_by_id",
    "rejected_date",
    "is_current",
    "superseded_by_id",
    "superseded_date",
    "expired_date",
}
# Fields fixed at upload: a correction is a new upload (history stays).
UPLOAD_FIELDS = {"partner_id", "type_id", "file", "file_name", "file_mimetype", "file_size", "uploaded_by_id"}


class LbcComplianceDocument(models.Model):
    _name = "lbc.compliance.document"
    _description = "Vigilance Document"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "partner_id, type_id, issue_date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Provider",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("is_company", "=", True), ("lbc_is_provider", "=", True)],
        tracking=True,
    )
    type_id = fields.Many2one(
        "lbc.compliance.document.type",
        string="Document Type",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    type_code = fields.Char(related="type_id.code", string="Type Code")
    requires_urssaf_code = fields.Boolean(related="type_id.requires_urssaf_code", string="Needs URSSAF Code")
    file = fields.Binary(attachment=True, required=True, copy=False)
    file_name = fields.Char()
    file_mimetype = fields.Char(string="File Type", readonly=True)
    file_size = fields.Integer(string="File Size (bytes)", readonly=True)
    issue_date = fields.Date(required=True, tracking=True, help="The date printed on the document.")
    expiry_date = fields.Date(
        compute="_compute_expiry_date",
        store=True,
        index=True,
        tracking=True,
        help="Computed from the issue date and the validity rule of the type.",
    )
    urssaf_security_code = fields.Char(
        string="URSSAF Security Code",
        help="The code printed on the URSSAF attestation, checked online on urssaf.fr.",
    )
    state = fields.Selection(
        [
            ("submitted", "Submitted"),
            ("verified", "Verified"),
            ("rejected", "Rejected"),
            ("expired", "Expired"),
        ],
        default="submitted",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    uploaded_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    rejection_reason = fields.Text(copy=False, tracking=True)
    rejected_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    rejected_date = fields.Datetime(string="Rejected On", readonly=True, copy=False)
    verification_method = fields.Selection(
        [("manual", "Manual review"), ("urssaf_online", "Online code check on urssaf.fr")],
        readonly=True,
        copy=False,
        tracking=True,
    )
    verified_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    verified_date = fields.Datetime(string="Verified On", readonly=True, copy=False)
    verification_note = fields.Text(copy=False, help="What was checked, and how (the proof of the verification).")
    verification_attachment_ids = fields.Many2many(
        "ir.attachment",
        "lbc_compliance_document_proof_rel",
        "document_id",
        "attachment_id",
        string="Verification Proof",
        copy=False,
        help="E.g. the urssaf.fr result page saved as PDF.",
    )
    expired_date = fields.Date(string="Expired On", readonly=True, copy=False)
    is_current = fields.Boolean(
        string="Current",
        default=True,
        readonly=True,
        index=True,
        copy=False,
        help="Unset when a newer document of the same type replaces this one (kept for history).",
    )
    superseded_by_id = fields.Many2one("lbc.compliance.document", readonly=True, copy=False)
    superseded_date = fields.Datetime(string="Superseded On", readonly=True, copy=False)
    reminder_ids = fields.One2many("lbc.compliance.reminder", "document_id", string="Reminders Sent")

    _partner_type_current_idx = models.Index("(partner_id, type_id) WHERE is_current")

    @api.depends("partner_id", "type_id", "issue_date")
    def _compute_display_name(self):
        for doc in self:
            doc.display_name = " - ".join(
                filter(None, [doc.type_id.name, doc.partner_id.name, doc.issue_date and str(doc.issue_date)])
            )

    @api.depends("issue_date", "type_id.validity_months", "type_id.validity_days")
    def _compute_expiry_date(self):
        for doc in self:
            doc.expiry_date = doc.type_id._lbc_expiry_date(doc.issue_date) if doc.type_id else False

    # --- CRUD ---------------------------------------------------------------------
    @api.model
    def _lbc_max_file_size(self):
        param = self.env["ir.config_parameter"].sudo().get_param("lbc_compliance.max_file_size_mb")
        try:
            size_mb = float(param) if param else DEFAULT_MAX_FILE_SIZE_MB
        except ValueError:
            size_mb = DEFAULT_MAX_FILE_SIZE_MB
        return int(size_mb * 1024 * 1024)

    @api.model
    def _lbc_check_file(self, datas, filename=None):
        """Decode and check an upload by its content: PDF, PNG or JPEG, under the size cap.

        Returns (raw bytes, mimetype); raises UserError with a clear message otherwise.
        """
        if not datas:
            raise UserError(self.env._("Please attach the document's file."))
        try:
            raw = base64.b64decode(datas, validate=True)
        except (binascii.Error, ValueError, TypeError):
            raise UserError(self.env._("The file %(name)s could not be read.", name=filename or ""))
        max_size = self._lbc_max_file_size()
        if len(raw) > max_size:
            raise UserError(
                self.env._(
                    "The file %(name)s is too large (%(size).1f MB); the limit is %(max).1f MB.",
                    name=filename or "",
                    size=len(raw) / 1024 / 1024,
                    max=max_size / 1024 / 1024,
                )
            )
        mimetype = guess_mimetype(raw, default="application/octet-stream")
        # the content sniffer accepts a PDF marker anywhere near the start (HTML/PDF polyglots): the file must
        # also begin with the signature of the type it claims
        signatures = {"application/pdf": b"%PDF-", "image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
        if mimetype in signatures and not raw.startswith(signatures[mimetype]):
            mimetype = "application/octet-stream"
        if mimetype not in ALLOWED_MIMETYPES:
            raise UserError(
                self.env._(
                    "The file %(name)s is not a PDF, PNG or JPEG document (its content is %(mimetype)s): "
                    "please upload a scan or the PDF you received.",
                    name=filename or "",
                    mimetype=mimetype,
                )
            )
        return raw, mimetype

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group("lbc_base.group_compliance_officer"):
            raise AccessError(self.env._("Vigilance documents are uploaded through the company's upload action."))
        for vals in vals_list:
            if WORKFLOW_FIELDS & set(vals) and not (self.env.su or self.env.context.get("lbc_compliance_state_change")):
                raise UserError(self.env._("The status of a vigilance document changes only through its actions."))
            raw, mimetype = self._lbc_check_file(vals.get("file"), vals.get("file_name"))
            vals["file_mimetype"] = mimetype
            vals["file_size"] = len(raw)
            vals.setdefault("uploaded_by_id", self.env.uid)
        docs = super().create(vals_list)
        docs._lbc_supersede_on_upload()
        return docs

    def write(self, vals):
        if not self.env.context.get("lbc_compliance_state_change"):
            if WORKFLOW_FIELDS & set(vals) and not self.env.su:
                raise UserError(self.env._("The status of a vigilance document changes only through its actions."))
            if UPLOAD_FIELDS & set(vals) and not self.env.su:
                raise UserError(
                    self.env._("A vigilance document's file, type and company cannot change: upload a new document.")
                )
            if {"issue_date", "urssaf_security_code"} & set(vals) and self.filtered(lambda d: d.state != "submitted"):
                raise UserError(self.env._("Only a document awaiting review can be corrected."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Vigilance documents are never deleted: they are kept for the legal history."))

    # --- workflow ---------------------------------------------------------------------
    def _lbc_write_state(self, vals):
        return self.sudo().with_context(lbc_compliance_state_change=True).write(vals)

    def _lbc_check_officer(self):
        if not (self.env.su or self.env.user.has_group("lbc_base.group_compliance_officer")):
            raise AccessError(self.env._("Only LBC compliance officers can verify or reject vigilance documents."))

    def _lbc_supersede(self, older):
        self.ensure_one()
        if older:
            older._lbc_write_state(
                {"is_current": False, "superseded_by_id": self.id, "superseded_date": fields.Datetime.now()}
            )

    def _lbc_current_siblings(self):
        self.ensure_one()
        return (
            self.sudo()
            .search(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("type_id", "=", self.type_id.id),
                    ("is_current", "=", True),
                    ("id", "!=", self.id),
                ]
            )
            .with_env(self.env)
        )

    def _lbc_supersede_on_upload(self):
        """A new upload replaces the older ones of its type; a still valid verified one keeps counting
        until the new upload is verified (so an early renewal never breaks compliance)."""
        today = fields.Date.context_today(self)
        for doc in self:
            older = doc._lbc_current_siblings()
            keep = older.filtered(lambda d: d.state == "verified" and (not d.expiry_date or d.expiry_date >= today))
            doc._lbc_supersede(older - keep)

    def action_verify(self, method="manual", note=None):
        """LBC checked the document is authentic: `method` is `manual` or `urssaf_online`."""
        self._lbc_check_officer()
        method = self.env.context.get("lbc_verification_method") or method or "manual"
        if method not in dict(self._fields["verification_method"].selection):
            raise UserError(self.env._("Unknown verification method %(method)s.", method=method))
        today = fields.Date.context_today(self)
        for doc in self:
            if doc.state != "submitted":
                raise UserError(
                    self.env._("%(doc)s cannot be verified: it is not awaiting review.", doc=doc.display_name)
                )
            if doc.expiry_date and doc.expiry_date < today:
                raise UserError(
                    self.env._(
                        "%(doc)s expired on %(date)s: ask the provider for a newer one.",
                        doc=doc.display_name,
                        date=doc.expiry_date,
                    )
                )
            if method == "urssaf_online" and not doc.urssaf_security_code:
                raise UserError(
                    self.env._("%(doc)s has no URSSAF security code to check online.", doc=doc.display_name)
                )
            vals = {
                "state": "verified",
                "verification_method": method,
                "verified_by_id": self.env.uid,
                "verified_date": fields.Datetime.now(),
                "rejection_reason": False,
            }
            if note:
                vals["verification_note"] = note
            doc._lbc_write_state(vals)
            doc._lbc_supersede(doc._lbc_current_siblings())
            doc.sudo().message_post(
                body=self.env._(
                    "Verified by %(user)s (%(method)s).",
                    user=self.env.user.name,
                    method=dict(self._fields["verification_method"]._description_selection(self.env))[method],
                )
            )
        return True

    def action_reject(self, reason=None):
        """LBC refuses the document (not authentic, unreadable, wrong company...); the provider is told why."""
        self._lbc_check_officer()
        for doc in self:
            why = (reason or doc.rejection_reason or "").strip()
            if not why:
                raise UserError(self.env._("Please give a reason: it is sent to the provider."))
            if doc.state not in ("submitted", "verified"):
                raise UserError(self.env._("%(doc)s cannot be rejected now.", doc=doc.display_name))
            doc._lbc_write_state(
                {
                    "state": "rejected",
                    "rejection_reason": why,
                    "rejected_by_id": self.env.uid,
                    "rejected_date": fields.Datetime.now(),
                }
            )
            doc.sudo().message_post_with_source(
                "lbc_compliance.mail_template_document_rejected", subtype_xmlid="mail.mt_comment"
            )
        return True

    # --- evaluation ---------------------------------------------------------------------
    @api.model
    def _lbc_expiring_days(self):
        param = self.env["ir.config_parameter"].sudo().get_param("lbc_compliance.expiring_days")
        return int(param) if param and param.isdigit() else DEFAULT_EXPIRING_DAYS

    @api.model
    def _lbc_evaluate(self, partners, on_date=None, blocking_only=False):
        """Compliance of provider companies on a date, in a few queries for the whole batch.

        Returns {partner_id: {"state": ..., "issues": [(type, kind, text)], "documents": docs}} where kind is
        missing, submitted, rejected, expired or expiring, and documents are the valid documents used.
        """
        on_date = on_date or fields.Date.context_today(self)
        Type = self.env["lbc.compliance.document.type"]
        types_by_set = {False: Type._lbc_required_types(False), True: Type._lbc_required_types(True)}
        if blocking_only:
            types_by_set = {k: v.filtered("blocking") for k, v in types_by_set.items()}
        docs = self.sudo().search(
            [("partner_id", "in", partners.ids), ("is_current", "=", True)],
            order="issue_date desc, id desc",
        )
        by_key = defaultdict(list)
        for doc in docs:
            by_key[doc.partner_id.id, doc.type_id.id].append(doc)
        window = on_date + relativedelta(days=self._lbc_expiring_days())
        labels = dict(self._fields["state"]._description_selection(self.env))
        result = {}
        for partner in partners.sudo():
            issues, valid = [], self.browse()
            for doc_type in types_by_set[bool(partner.lbc_is_foreign)]:
                candidates = by_key.get((partner.id, doc_type.id), [])
                good = [
                    d for d in candidates if d.state == "verified" and (not d.expiry_date or d.expiry_date >= on_date)
                ]
                if good:
                    best = max(good, key=lambda d: d.expiry_date or fields.Date.to_date("9999-12-31"))
                    valid |= best
                    if best.expiry_date and best.expiry_date <= window:
                        issues.append(
                            (
                                doc_type,
                                "expiring",
                                self.env._("%(type)s: expires on %(date)s", type=doc_type.name, date=best.expiry_date),
                            )
                        )
                    continue
                if not candidates:
                    issues.append((doc_type, "missing", self.env._("%(type)s: missing", type=doc_type.name)))
                    continue
                latest = candidates[0]
                if latest.state == "rejected":
                    text = self.env._(
                        "%(type)s: rejected (%(reason)s)", type=doc_type.name, reason=latest.rejection_reason or ""
                    )
                    issues.append((doc_type, "rejected", text))
                elif latest.state == "submitted" and not (latest.expiry_date and latest.expiry_date < on_date):
                    issues.append(
                        (
                            doc_type,
                            "submitted",
                            self.env._(
                                "%(type)s: not verified yet (%(state)s)", type=doc_type.name, state=labels["submitted"]
                            ),
                        )
                    )
                else:
                    issues.append(
                        (
                            doc_type,
                            "expired",
                            self.env._("%(type)s: expired on %(date)s", type=doc_type.name, date=latest.expiry_date),
                        )
                    )
            kinds = {kind for _type, kind, _text in issues}
            if "expired" in kinds:
                state = "expired"
            elif kinds - {"expiring"}:
                state = "incomplete"
            elif kinds:
                state = "expiring"
            else:
                state = "compliant"
            result[partner.id] = {"state": state, "issues": issues, "documents": valid}
        return result
