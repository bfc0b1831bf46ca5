import base64
import binascii
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.mimetypes import guess_mimetype

from . import attestation_reader

ALLOWED_MIMETYPES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}
DEFAULT_MAX_FILE_SIZE_MB = 10
DEFAULT_EXPIRING_DAYS = 30
# Fixed at upload (derived from the file and the uploader): a correction is a new upload (history stays).
UPLOAD_FIELDS = {"file", "file_name", "file_mimetype", "file_size", "uploaded_by_id"}
# What LBC's reviewer fills while the document awaits review: frozen once it is decided.
REVIEW_FIELDS = {"issue_date", "urssaf_security_code", "verification_note", "verification_attachment_ids"}


class LbcComplianceDocument(models.Model):
    _name = "lbc.compliance.document"
    _description = "Vigilance Document"
    _inherit = ["lbc.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "partner_id, type_id, issue_date desc, id desc"
    # written only by the actions (verify, reject), the upload (supersede) and the daily run (expire)
    _lbc_workflow_fields = (
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
        # what the upload read in the file: set once, by the upload
        "reading_state",
        "reading_note",
        "read_siren",
        "read_issue_date",
        "read_validity_date",
        "read_security_code",
    )
    # a document never moves to another company nor becomes another type of document
    _lbc_parent_fields = ("partner_id", "type_id")

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
        [
            ("manual", "Manual review"),
            ("urssaf_online", "Online code check on urssaf.fr"),
            ("urssaf_api", "Checked at the source (URSSAF through API Entreprise)"),
        ],
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
    source_check_ids = fields.One2many(
        "lbc.compliance.source.check",
        "document_id",
        string="Verifications at the Source",
        readonly=True,
        groups="lbc_base.group_operator",
    )
    upload_url = fields.Char(
        string="Renewal Upload Link",
        compute="_compute_upload_url",
        help="The provider's direct link to upload the renewal of this document.",
    )
    expiry_notify_partner_ids = fields.Many2many(
        "res.partner",
        compute="_compute_expiry_notify_partner_ids",
        string="Told on Expiry",
        groups="lbc_base.group_operator",
        help="The provider's administrators, those of the clients with a running engagement, and LBC.",
    )
    # --- what the upload read in the attestation (pypdf text layer) ---------------------
    reading_state = fields.Selection(
        [
            ("matched", "Read: matches the company"),
            ("uncertain", "Read: to check by hand"),
            ("manual", "No text: manual review"),
        ],
        string="Reading",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="What the suite read in the file at upload: matched (SIREN, dates and code found and consistent), "
        "uncertain (something missing or inconsistent: LBC checks it by hand), manual (a scan or an image "
        "without text: LBC reviews it by hand).",
    )
    reading_note = fields.Text(string="Reading Notes", readonly=True, copy=False)
    read_siren = fields.Char(string="SIREN Read", readonly=True, copy=False)
    read_issue_date = fields.Date(string="Issue Date Read", readonly=True, copy=False)
    read_validity_date = fields.Date(
        string="Valid Until (printed)",
        readonly=True,
        copy=False,
        help="The end of validity printed on the document, when there is one: the document expires on it if it "
        "comes before the type's validity rule.",
    )
    read_security_code = fields.Char(string="Security Code Read", readonly=True, copy=False)

    _partner_type_current_idx = models.Index("(partner_id, type_id) WHERE is_current")

    @api.depends("partner_id", "type_id", "issue_date")
    def _compute_display_name(self):
        for doc in self:
            doc.display_name = " - ".join(
                filter(None, [doc.type_id.name, doc.partner_id.name, doc.issue_date and str(doc.issue_date)])
            )

    @api.depends("issue_date", "read_validity_date", "type_id.validity_months", "type_id.validity_days")
    def _compute_expiry_date(self):
        for doc in self:
            expiry = doc.type_id._lbc_expiry_date(doc.issue_date) if doc.type_id else False
            if doc.read_validity_date and (not expiry or doc.read_validity_date < expiry):
                expiry = doc.read_validity_date
            doc.expiry_date = expiry

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
        if isinstance(datas, str):
            datas = datas.encode()
        max_size = self._lbc_max_file_size()

        def too_large(size):
            return UserError(
                self.env._(
                    "The file %(name)s is too large (%(size).1f MB); the limit is %(max).1f MB.",
                    name=filename or "",
                    size=size / 1024 / 1024,
                    max=max_size / 1024 / 1024,
                )
            )

        # refuse an oversized upload before decoding it (base64: 4 characters for 3 bytes)
        if isinstance(datas, bytes) and len(datas) // 4 * 3 > max_size + 3:
            raise too_large(len(datas) // 4 * 3)
        try:
            raw = base64.b64decode(datas, validate=True)
        except (binascii.Error, ValueError, TypeError):
            raise UserError(self.env._("The file %(name)s could not be read.", name=filename or ""))
        if len(raw) > max_size:
            raise too_large(len(raw))
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

    @api.model
    def _lbc_check_upload(self, filename, datas_b64):
        """The content check of every member upload of the suite (vigilance documents, bid CVs...):
        `datas_b64` (base64, str or bytes) must decode to a PDF, PNG or JPEG under the size cap
        (`lbc_compliance.max_file_size_mb`). Returns the decoded bytes; raises UserError naming the file
        otherwise. Checks the content only: the caller checks who uploads."""
        raw, _mimetype = self._lbc_check_file(datas_b64, filename)
        return raw

    @api.model
    def _lbc_read_upload(self, partner, doc_type, raw, mimetype, issue_date, urssaf_code, preview=False):
        """Read the uploaded attestation and cross-check it with the company and what the member typed.

        Refuses (UserError, nothing stored) a SIREN that is not the company's, an issue date in the future, an
        attestation past its validity, a malformed URSSAF code. Returns the values of the document to create:
        the issue date and code (typed, or pre-filled from the file), what was read and the reading state
        (`matched`, `uncertain`: flagged to LBC, `manual`: no text, LBC reviews by hand).
        """
        today = fields.Date.context_today(self)
        code = attestation_reader.clean_urssaf_code(urssaf_code)
        if code and not attestation_reader.is_urssaf_code(code):
            raise UserError(
                self.env._(
                    "The URSSAF security code %(code)s is not well formed: it has 15 letters and digits, "
                    "as printed on the attestation.",
                    code=urssaf_code,
                )
            )
        text = attestation_reader.extract_pdf_text(raw) if mimetype == "application/pdf" else None
        vals = {"read_siren": False, "read_issue_date": False, "read_validity_date": False}
        if not (text and text.strip()):
            vals["reading_state"] = "manual"
            vals["reading_note"] = (
                self.env._("The file is an image: LBC reviews it by hand.")
                if mimetype != "application/pdf"
                else self.env._("No text could be read in the PDF (a scan?): LBC reviews it by hand.")
            )
            read = {"sirens": [], "other_sirens": [], "issue_dates": [], "validity_dates": [], "codes": []}
        else:
            read = attestation_reader.read_attestation(text)
        doubts = []
        reading = vals.get("reading_state") != "manual"
        # --- SIREN: the company's, or refused
        siren = partner.lbc_siren
        if reading and siren and not partner.lbc_is_foreign:
            if siren in read["sirens"] or siren in read["other_sirens"]:
                vals["read_siren"] = siren
            elif read["sirens"]:
                raise UserError(
                    self.env._(
                        "This attestation is for the company with SIREN %(read)s, not for %(company)s "
                        "(SIREN %(siren)s): upload your company's own attestation.",
                        read=", ".join(read["sirens"]),
                        company=partner.name,
                        siren=siren,
                    )
                )
            else:
                doubts.append(self.env._("The company's SIREN %(siren)s was not found in the file.", siren=siren))
        # --- issue date: typed or read, never in the future, never past its validity
        read_issue = read["issue_dates"][0] if read["issue_dates"] else False
        if len(read["issue_dates"]) > 1:
            doubts.append(
                self.env._(
                    "Several issue dates in the file: %(dates)s.",
                    dates=", ".join(str(d) for d in read["issue_dates"]),
                )
            )
        vals["read_issue_date"] = read_issue
        issue_date = issue_date or read_issue
        if not issue_date and preview:
            issue_date = fields.Date.context_today(self)  # only to check the rest: the member types the date
        elif not issue_date:
            raise UserError(self.env._("Please give the document's issue date: it could not be read from the file."))
        if reading and not read_issue:
            doubts.append(self.env._("No issue date found in the file."))
        elif read_issue and read_issue != issue_date:
            doubts.append(
                self.env._(
                    "The issue date typed (%(typed)s) is not the one printed (%(read)s).",
                    typed=issue_date,
                    read=read_issue,
                )
            )
        for value in filter(None, {issue_date, read_issue}):
            if value > today:
                raise UserError(self.env._("The issue date %(date)s is in the future: check the document.", date=value))
            expiry = doc_type._lbc_expiry_date(value)
            if expiry and expiry < today:
                raise UserError(
                    self.env._(
                        "This %(type)s was issued on %(date)s and expired on %(expiry)s: upload a newer one.",
                        type=doc_type.name,
                        date=value,
                        expiry=expiry,
                    )
                )
        validity = min(read["validity_dates"]) if read["validity_dates"] else False
        if validity:
            if validity < today:
                raise UserError(
                    self.env._(
                        "This %(type)s was valid until %(date)s: upload a newer one.", type=doc_type.name, date=validity
                    )
                )
            if validity < issue_date:
                doubts.append(self.env._("The printed end of validity comes before the issue date."))
            vals["read_validity_date"] = validity
        # --- URSSAF security code: typed or read, well formed
        if doc_type.requires_urssaf_code:
            read_codes = read["codes"]
            if read_codes and not code:
                code = read_codes[0]
                if not attestation_reader.is_urssaf_code(code):
                    doubts.append(self.env._("The security code read (%(code)s) is not well formed.", code=code))
            elif read_codes and code not in read_codes:
                doubts.append(
                    self.env._(
                        "The security code typed (%(typed)s) is not the one printed (%(read)s).",
                        typed=code,
                        read=", ".join(read_codes),
                    )
                )
            elif reading and not read_codes:
                doubts.append(self.env._("No URSSAF security code found in the file."))
            if not code:
                doubts.append(self.env._("No URSSAF security code: LBC cannot check the attestation online."))
            vals["read_security_code"] = read_codes[0] if read_codes else False
        if reading:
            vals["reading_state"] = "uncertain" if doubts else "matched"
            vals["reading_note"] = "\n".join(doubts) or self.env._(
                "Read in the file and consistent with the company and the values given."
            )
        elif doubts:
            vals["reading_note"] = "\n".join([vals["reading_note"], *doubts])
        vals["issue_date"] = issue_date
        vals["urssaf_security_code"] = code or False
        return vals

    def _lbc_flag_reading(self):
        """Tell the uploader what was read; give LBC's compliance officer an activity on an uncertain reading."""
        officer = self.env["lbc.compliance.check"]._lbc_compliance_officer()
        for doc in self:
            if doc.reading_state == "uncertain":
                doc.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=officer.id,
                    summary=self.env._("Check the attestation by hand: %(doc)s", doc=doc.display_name),
                    note=doc.reading_note,
                )
            labels = dict(self._fields["reading_state"]._description_selection(self.env))
            if doc.reading_state:
                doc.sudo().message_post(
                    body=self.env._(
                        "Reading of the file: %(state)s. %(note)s",
                        state=labels[doc.reading_state],
                        note=doc.reading_note or "",
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group("lbc_base.group_compliance_officer"):
            raise AccessError(self.env._("Vigilance documents are uploaded through the company's upload action."))
        for vals in vals_list:
            raw, mimetype = self._lbc_check_file(vals.get("file"), vals.get("file_name"))
            # derived from the file and the uploader, never from the caller
            vals["file_mimetype"] = mimetype
            vals["file_size"] = len(raw)
            if self.env.su:
                vals.setdefault("uploaded_by_id", self.env.uid)
            else:
                vals["uploaded_by_id"] = self.env.uid
        # the workflow guard (lbc.workflow.mixin) refuses the workflow fields and their default_* keys
        docs = super().create(vals_list)
        docs._lbc_supersede_on_upload()
        return docs

    def _lbc_workflow_locked_fields(self):
        """The file is fixed at upload; the review fields are frozen once LBC decided; the rejection
        reason once the document is rejected or expired."""
        locked = set(UPLOAD_FIELDS)
        states = set(self.mapped("state"))
        if states - {"submitted"}:
            locked |= REVIEW_FIELDS
        if states - {"submitted", "verified"}:
            locked.add("rejection_reason")
        return locked

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Vigilance documents are never deleted: they are kept for the legal history."))

    # --- workflow ---------------------------------------------------------------------
    def _lbc_check_reviewer(self):
        """LBC's step: a compliance officer who neither uploaded the document nor belongs to its company
        (superuser: internal code that checked its caller)."""
        if self.env.su:
            return
        user = self.env.user
        if not user.has_group("lbc_base.group_compliance_officer"):
            raise AccessError(self.env._("Only LBC compliance officers can verify or reject vigilance documents."))
        member_of = user.partner_id.commercial_partner_id
        for doc in self:
            if doc.sudo().uploaded_by_id == user or doc.partner_id == member_of:
                raise AccessError(
                    self.env._(
                        "%(doc)s was uploaded by you or for your own company: another compliance officer reviews it.",
                        doc=doc.display_name,
                    )
                )

    def _lbc_supersede(self, older):
        self.ensure_one()
        if older:
            older._lbc_workflow_write(
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
        """LBC's compliance officer checked the document is authentic: `method` is `manual` (reviewed by
        hand) or `urssaf_online` (the security code checked by the officer on urssaf.fr)."""
        self._lbc_check_reviewer()
        return self._lbc_verify(method or "manual", note=note)

    def action_verify_urssaf_online(self, note=None):
        """The form's button: the officer checked the URSSAF security code on urssaf.fr."""
        return self.action_verify("urssaf_online", note=note)

    def action_check_at_source(self):
        """The officer asks the URSSAF (API Entreprise) about the provider of each URSSAF attestation: delivered,
        the document is verified with the answer as its proof; otherwise it stays for review, the answer kept."""
        self._lbc_check_reviewer()
        Source = self.env["lbc.compliance.source.check"]
        if not Source._lbc_enabled("urssaf"):
            raise UserError(self.env._("The URSSAF check at the source is off: LBC turns it on in the settings."))
        for doc in self:
            if doc.type_id.code != "urssaf" or doc.state != "submitted" or not doc.partner_id.lbc_siren:
                raise UserError(
                    self.env._("%(doc)s is not an URSSAF attestation awaiting review.", doc=doc.display_name)
                )
            proof = Source._lbc_check_urssaf(doc.partner_id.sudo(), document=doc)
            if proof.result == "passed":
                doc._lbc_verify("urssaf_api", note=proof.summary)
            else:
                doc.sudo().message_post(
                    body=self.env._("Not verified at the source: %(summary)s", summary=proof.summary)
                )
                if proof.result == "failed":
                    doc._lbc_flag_source(proof)
        return True

    def _lbc_flag_source(self, proof):
        """The source contradicts the document (e.g. its URSSAF security code is not the one the URSSAF
        delivers): flagged to LBC (reading to check by hand, with why) and an activity for the compliance
        officer. The caller checked the actor."""
        officer = self.env["lbc.compliance.check"]._lbc_compliance_officer()
        for doc in self:
            note = self.env._("At the source (%(time)s): %(summary)s", time=proof.checked_at, summary=proof.summary)
            doc._lbc_workflow_write(
                {"reading_state": "uncertain", "reading_note": "\n".join(filter(None, [doc.reading_note, note]))}
            )
            doc.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=officer.id,
                summary=self.env._("The source contradicts the attestation: %(doc)s", doc=doc.display_name),
                note=note,
            )

    def _lbc_verify(self, method, note=None):
        """Mark the documents verified by `method`: the caller checked who verifies (action_verify for
        an officer's review; an automated verification calls it with its own method)."""
        if method not in dict(self._fields["verification_method"].selection):
            raise UserError(self.env._("Unknown verification method %(method)s.", method=method))
        today = fields.Date.context_today(self)
        labels = dict(self._fields["verification_method"]._description_selection(self.env))
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
            doc._lbc_workflow_write(vals)
            doc._lbc_supersede(doc._lbc_current_siblings())
            doc.sudo().message_post(
                body=self.env._("Verified by %(user)s (%(method)s).", user=self.env.user.name, method=labels[method])
            )
        return True

    def action_reject(self, reason=None):
        """LBC refuses the document (not authentic, unreadable, wrong company...); the provider is told why."""
        self._lbc_check_reviewer()
        for doc in self:
            why = (reason or doc.rejection_reason or "").strip()
            if not why:
                raise UserError(self.env._("Please give a reason: it is sent to the provider."))
            if doc.state not in ("submitted", "verified"):
                raise UserError(self.env._("%(doc)s cannot be rejected now.", doc=doc.display_name))
            doc._lbc_workflow_write(
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

    def _lbc_expire(self, on_date):
        """The daily run: the documents (checked by the caller to be past their expiry) expire on `on_date`."""
        return self._lbc_workflow_write({"state": "expired", "expired_date": on_date})

    # --- chasing ----------------------------------------------------------------------
    @api.depends("type_id.code")
    def _compute_upload_url(self):
        """The provider's direct link to upload the renewal of this document (its type chosen)."""
        for doc in self:
            doc.upload_url = f"{doc.get_base_url()}/my/compliance?upload={doc.type_id.code}#lbc_upload"

    def _lbc_engaged_clients(self, on_date):
        """{provider id: client companies} with an engagement of the provider running on or after `on_date`."""
        checks = (
            self.env["lbc.compliance.check"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.partner_id.ids),
                    ("client_id", "!=", False),
                    ("state", "!=", "cancelled"),
                    "|",
                    ("engagement_date_end", "=", False),
                    ("engagement_date_end", ">=", on_date),
                ]
            )
        )
        clients = defaultdict(lambda: self.env["res.partner"])
        for check in checks:
            clients[check.partner_id.id] |= check.client_id
        return clients

    @api.depends("partner_id", "expired_date")
    def _compute_expiry_notify_partner_ids(self):
        today = fields.Date.context_today(self)
        lbc = self.env.company.partner_id
        for doc in self:
            # the engagements running on the day it expired (the daily run's date), or today
            clients = doc._lbc_engaged_clients(doc.expired_date or today)
            doc.expiry_notify_partner_ids = (
                doc.partner_id.lbc_admin_partner_ids | clients[doc.partner_id.id].lbc_admin_partner_ids | lbc
            )

    def _lbc_notify_expired(self, on_date):
        """An expired document the provider's compliance stood on: the provider, each client with a running
        engagement and LBC are e-mailed at once; LBC's compliance officer gets an activity."""
        clients = self._lbc_engaged_clients(on_date)
        for doc in self:
            doc.message_post_with_source(
                "lbc_compliance.mail_template_document_expired", subtype_xmlid="mail.mt_comment"
            )
        names = {doc.id: ", ".join(clients[doc.partner_id.id].mapped("name")) for doc in self}
        for doc in self:
            doc._lbc_escalate(
                self.env._("Expired, clients told: %(clients)s", clients=names[doc.id] or "-"),
                date_deadline=on_date,
            )

    def _lbc_escalate(self, reason, date_deadline=None):
        """An activity for LBC's compliance officer on each document (one open at a time per document)."""
        officer = self.env["lbc.compliance.check"]._lbc_compliance_officer()
        for doc in self.sudo():
            doc.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=date_deadline,
                user_id=officer.id,
                summary=self.env._(
                    "%(doc)s: %(reason)s", doc=f"{doc.partner_id.name} - {doc.type_id.name}", reason=reason
                ),
                note=self.env._(
                    "Expires on %(date)s. Follow up with the provider's administrators: %(admins)s",
                    date=doc.expiry_date,
                    admins=", ".join(doc.partner_id.lbc_admin_partner_ids.mapped("name")),
                ),
            )

    # --- evaluation ---------------------------------------------------------------------
    @api.model
    def _lbc_expiring_days(self):
        param = self.env["ir.config_parameter"].sudo().get_param("lbc_compliance.expiring_days")
        return int(param) if param and param.isdigit() else DEFAULT_EXPIRING_DAYS

    @api.model
    def _lbc_evaluate(self, partners, on_date=None, blocking_only=False, client=None):
        """Compliance of provider companies on a date, in a few queries for the whole batch; with `client`,
        for that client's missions (its extra required types included).

        Returns {partner_id: {"state": ..., "issues": [(type, kind, text)], "documents": docs}} where kind is
        missing, submitted, rejected, expired or expiring, and documents are the valid documents used.
        """
        on_date = on_date or fields.Date.context_today(self)
        Type = self.env["lbc.compliance.document.type"]
        types_by_set = {
            False: Type._lbc_required_types(False, client=client),
            True: Type._lbc_required_types(True, client=client),
        }
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
