from odoo import api, fields, models
from odoo.addons.lbc_base.models.lbc_workflow_mixin import lbc_with_context
from odoo.exceptions import AccessError, UserError

COMPLIANCE_STATES = [
    ("compliant", "Compliant"),
    ("expiring", "Expiring Soon"),
    ("incomplete", "Incomplete"),
    ("expired", "Expired"),
]
# computed from the documents (or listed from them): no caller sets them, not even through a sudo write
COMPLIANCE_FIELDS = (
    "lbc_compliance_state",
    "lbc_compliance_issues",
    "lbc_compliance_document_ids",
    "lbc_compliance_current_document_ids",
    "lbc_compliance_check_ids",
    "lbc_source_check_ids",
)


class ResPartner(models.Model):
    _inherit = "res.partner"
    # guarded by lbc_base's workflow mixin as well (res.partner inherits it); refused below even in sudo
    _lbc_workflow_fields = (*COMPLIANCE_FIELDS, "lbc_required_document_type_ids", "lbc_source_refusal")

    lbc_compliance_document_ids = fields.One2many(
        "lbc.compliance.document", "partner_id", string="Vigilance Documents (history)"
    )
    lbc_compliance_current_document_ids = fields.One2many(
        "lbc.compliance.document",
        "partner_id",
        string="Vigilance Documents",
        domain=[("is_current", "=", True)],
    )
    lbc_compliance_check_ids = fields.One2many("lbc.compliance.check", "partner_id", string="Vigilance Checks")
    lbc_source_check_ids = fields.One2many(
        "lbc.compliance.source.check",
        "partner_id",
        string="Verifications at the Source",
        readonly=True,
        groups="lbc_base.group_operator",
    )
    lbc_required_document_type_ids = fields.Many2many(
        "lbc.compliance.document.type",
        "lbc_client_required_document_type_rel",
        "partner_id",
        "type_id",
        string="Documents Required of Providers",
        domain=[("applies_to", "=", "client")],
        readonly=True,
        help="A client's extra vigilance documents (e.g. professional liability insurance): its providers must "
        "hold them, verified and valid, to be contracted for its missions. Set by the client's administrators.",
    )
    lbc_source_refusal = fields.Text(
        string="Validation Refused at the Source",
        readonly=True,
        copy=False,
        groups="lbc_base.group_operator",
        help="Why the registers refused the last validation attempt (the answers are kept as proofs); cleared when "
        "the company is validated.",
    )
    lbc_compliance_state = fields.Selection(
        COMPLIANCE_STATES,
        string="Vigilance Status",
        compute="_compute_lbc_compliance_state",
        store=True,
        index=True,
        help="Legal vigilance of a provider (Code du travail L.8222-1): expiring means a document expires "
        "within 30 days. Empty for companies that are not providers.",
    )
    lbc_compliance_issues = fields.Text(
        string="Vigilance Issues",
        compute="_compute_lbc_compliance_state",
        store=True,
        help="What is missing, awaiting review, rejected, expired or expiring soon.",
    )

    @api.depends(
        "is_company",
        "lbc_is_provider",
        "lbc_is_foreign",
        "lbc_state",
        "lbc_compliance_document_ids.state",
        "lbc_compliance_document_ids.expiry_date",
        "lbc_compliance_document_ids.is_current",
    )
    def _compute_lbc_compliance_state(self):
        self._lbc_compliance_assign()

    def _lbc_compliance_assign(self, on_date=None):
        """Assign the vigilance status and issues of self as on `on_date` (default today)."""
        providers = self.filtered(lambda p: p.is_company and p.lbc_is_provider and p.lbc_state and p.id)
        (self - providers).lbc_compliance_state = False
        (self - providers).lbc_compliance_issues = False
        if not providers:
            return
        results = self.env["lbc.compliance.document"]._lbc_evaluate(providers, on_date)
        for partner in providers:
            result = results[partner._origin.id or partner.id]
            partner.lbc_compliance_state = result["state"]
            partner.lbc_compliance_issues = "\n".join(text for _type, _kind, text in result["issues"]) or False

    def _lbc_compliance_recompute(self, on_date=None):
        """Recompute the stored status now, as on `on_date` (default today): the calendar moves it
        (compliant -> expiring), the daily run passes its run date."""
        fnames = ["lbc_compliance_state", "lbc_compliance_issues"]
        fields_ = [self._fields[fname] for fname in fnames]
        on_date = fields.Date.to_date(on_date) if on_date else None
        partners = self.sudo()
        for field in fields_:
            self.env.remove_to_compute(field, partners)
        with self.env.protecting(fields_, partners):
            partners._lbc_compliance_assign(on_date)
        partners.modified(fnames)
        partners.flush_recordset(fnames)

    @api.model_create_multi
    def create(self, vals_list):
        forced = {fname for vals in vals_list for fname in COMPLIANCE_FIELDS if fname in vals}
        if forced:
            self._lbc_compliance_refuse(forced)
        # a default_* key would set them as well: dropped, whoever creates
        defaults = {f"default_{fname}" for fname in COMPLIANCE_FIELDS}
        if defaults & set(self.env.context):
            self = lbc_with_context(self, {k: v for k, v in self.env.context.items() if k not in defaults})
        return super().create(vals_list)

    def write(self, vals):
        forced = set(COMPLIANCE_FIELDS) & set(vals)
        if forced:
            self._lbc_compliance_refuse(forced)
        return super().write(vals)

    def _lbc_compliance_refuse(self, fnames):
        raise AccessError(
            self.env._(
                "%(fields)s: computed from the vigilance documents, which LBC verifies; upload a document instead.",
                fields=", ".join(sorted(self._fields[f]._description_string(self.env) for f in fnames)),
            )
        )

    # --- validation: the registers LBC turned on ---------------------------------------
    def action_lbc_validate(self):
        """LBC validates a company only if the registers it turned on know it as active (SIRENE) with a valid
        EU VAT number (VIES); no answer refuses the validation as well (try again later).

        A refusal does not raise: the answers are proofs and must outlive the refusal, which a rolled back
        transaction would not let them do. The refused company stays submitted, the reason is kept on it
        (`lbc_source_refusal`) and in its chatter, and the operator gets a notification; the others are validated.
        Returns True, or the notification action when a company was refused."""
        self._lbc_check_operator()
        self._lbc_check_state(("submitted",), self.env._("validated"))
        Source = self.env["lbc.compliance.source.check"]
        refused = self.browse()
        messages = []
        for company in self:
            proofs = Source._lbc_check_company(company, sources=("sirene", "vies"))
            failed = proofs.filtered(lambda p: p.result != "passed")
            if not failed:
                continue
            message = self.env._(
                "%(company)s cannot be validated:\n%(problems)s",
                company=company.name,
                problems="\n".join(f"- {p.summary}" for p in failed),
            )
            company._lbc_workflow_write({"lbc_source_refusal": message})
            company.sudo().message_post(body=message)
            refused |= company
            messages.append(message)
        accepted = self - refused
        if accepted:
            accepted.filtered(lambda c: c.sudo().lbc_source_refusal)._lbc_workflow_write({"lbc_source_refusal": False})
            super(ResPartner, accepted).action_lbc_validate()
        if not refused:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Validation refused at the source"),
                "message": "\n\n".join(messages),
                "type": "danger",
                "sticky": True,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # --- the gate -------------------------------------------------------------------
    def _lbc_compliance_gate(self, on_date=None, client=None):
        """Refuse selection approval and contracting while a provider's blocking vigilance documents are
        missing, unverified (submitted or rejected) or expired on `on_date` (default today); with `client`,
        the documents that client requires for its missions as well.

        Raises a UserError naming the company and each document type, one per line; returns True otherwise.
        """
        on_date = fields.Date.to_date(on_date) if on_date else fields.Date.context_today(self)
        results = self.env["lbc.compliance.document"]._lbc_evaluate(self, on_date, blocking_only=True, client=client)
        messages = []
        for partner in self:
            problems = [text for _type, kind, text in results[partner.id]["issues"] if kind != "expiring"]
            if problems:
                messages.append(
                    self.env._(
                        "%(company)s cannot be contracted: its vigilance documents (Code du travail L.8222-1) "
                        "are not in order:\n%(problems)s",
                        company=partner.sudo().name,
                        problems="\n".join(f"- {p}" for p in problems),
                    )
                )
        if messages:
            raise UserError("\n\n".join(messages))
        return True

    def _lbc_compliance_for_client(self, client):
        """{provider id: (state, issues)} of the providers in self for `client`'s missions (its extra
        documents included), as the gate sees them today."""
        results = self.env["lbc.compliance.document"]._lbc_evaluate(self, client=client)
        return {
            pid: (res["state"], "\n".join(text for _type, _kind, text in res["issues"])) for pid, res in results.items()
        }

    # --- per-client requirements ------------------------------------------------------
    def action_lbc_require_documents(self, type_codes):
        """A client's administrator (or LBC) sets the extra vigilance documents its providers must hold for
        its missions, by type code (types meant for clients' requirements, e.g. professional liability
        insurance). Returns the required types' codes."""
        self.ensure_one()
        if not self.is_company or not self.lbc_is_client or not self.lbc_state:
            raise UserError(self.env._("%(name)s is not a client company.", name=self.display_name))
        self._lbc_check_company_admin()
        codes = set(type_codes or [])
        types = self.env["lbc.compliance.document.type"].sudo().search([("code", "in", list(codes))])
        unknown = codes - set(types.mapped("code"))
        if unknown:
            raise UserError(self.env._("Unknown vigilance document type %(code)s.", code=", ".join(sorted(unknown))))
        general = types.filtered(lambda t: t.applies_to != "client")
        if general:
            raise UserError(
                self.env._(
                    "%(types)s: already asked of every provider; a client adds only the documents meant for "
                    "clients' requirements.",
                    types=", ".join(general.mapped("name")),
                )
            )
        self._lbc_workflow_write({"lbc_required_document_type_ids": [fields.Command.set(types.ids)]})
        self.sudo().message_post(
            body=self.env._(
                "Documents required of providers for the missions of %(client)s: %(types)s (set by %(user)s).",
                client=self.name,
                types=", ".join(types.mapped("name")) or "-",
                user=self.env.user.name,
            )
        )
        return types.mapped("code")

    def lbc_client_requirement_options(self):
        """The vigilance document types a client may require of its providers for its missions, for the client's
        members and LBC (the portal page and RPC): {"can_edit": whether the current user may change them,
        "types": [{code, name, description, validity, required}]}, `validity` in words."""
        self.ensure_one()
        if not self.is_company or not self.lbc_is_client or not self.lbc_state:
            raise UserError(self.env._("%(name)s is not a client company.", name=self.display_name))
        if self != self.env.user.partner_id.commercial_partner_id and not self._lbc_is_operator():
            raise AccessError(self.env._("Only the members of %(company)s see its requirements.", company=self.name))
        # sudo: the client's own requirements and the list of types, read after the check above
        required = self.sudo().lbc_required_document_type_ids
        types = self.env["lbc.compliance.document.type"].sudo().search([("applies_to", "=", "client")])
        can_edit = self._lbc_is_operator() or self.env.user._lbc_has_role("admin", self)
        return {
            "can_edit": bool(can_edit),
            "types": [
                {
                    "code": doc_type.code,
                    "name": doc_type.name,
                    "description": doc_type.description or "",
                    "validity": doc_type._lbc_validity_label(),
                    "required": doc_type in required,
                }
                for doc_type in types
            ],
        }

    # --- upload ---------------------------------------------------------------------
    def _lbc_upload_type(self, type_code):
        """The document type a provider's admin may upload (checks the company, the admin and the type)."""
        self.ensure_one()
        if not self.is_company or not self.lbc_is_provider or not self.lbc_state:
            raise UserError(self.env._("%(name)s is not a provider company.", name=self.display_name))
        self._lbc_check_company_admin()
        doc_type = self.env["lbc.compliance.document.type"].sudo().search([("code", "=", type_code)], limit=1)
        if not doc_type:
            raise UserError(self.env._("Unknown vigilance document type %(code)s.", code=type_code))
        if doc_type not in self.env["lbc.compliance.document.type"]._lbc_uploadable_types(self.lbc_is_foreign):
            raise UserError(self.env._("%(type)s is not asked of %(company)s.", type=doc_type.name, company=self.name))
        return doc_type

    def action_lbc_read_compliance_document(self, type_code, filename, datas_base64):
        """Read an attestation before uploading it (the upload form pre-fills itself with it): returns
        {issue_date, urssaf_code, reading_state, note}; raises the refusals the upload would raise. Stores
        nothing."""
        doc_type = self._lbc_upload_type(type_code)
        Document = self.env["lbc.compliance.document"]
        raw, mimetype = Document._lbc_check_file(datas_base64, filename)
        vals = Document._lbc_read_upload(self, doc_type, raw, mimetype, None, None, preview=True)
        return {
            "issue_date": fields.Date.to_string(vals["read_issue_date"]) if vals["read_issue_date"] else False,
            "urssaf_code": vals.get("read_security_code") or False,
            "reading_state": vals["reading_state"],
            "note": vals["reading_note"],
        }

    def action_lbc_upload_compliance_document(self, type_code, filename, datas_base64, issue_date, urssaf_code=None):
        """A provider's company admin (or LBC) uploads a vigilance document. The file is checked by its
        content (PDF, PNG or JPEG, size cap) and the attestation read (SIREN, issue date, validity, URSSAF
        code: `issue_date` and `urssaf_code` may be left empty to take them from the file); on refusal nothing
        stored changes. Returns the new document id; its `reading_state` says whether LBC checks it by hand."""
        doc_type = self._lbc_upload_type(type_code)
        issue_date = fields.Date.to_date(issue_date) if issue_date else False
        if issue_date and issue_date > fields.Date.context_today(self):
            raise UserError(self.env._("The issue date cannot be in the future."))
        if isinstance(datas_base64, str):
            datas_base64 = datas_base64.encode()
        Document = self.env["lbc.compliance.document"]
        # checked before anything is written: a refused file leaves the previous document untouched
        raw, mimetype = Document._lbc_check_file(datas_base64, filename)
        # the attestation is read and cross-checked (SIREN, dates, code): refused, or pre-filled and flagged
        read_vals = Document._lbc_read_upload(self, doc_type, raw, mimetype, issue_date, urssaf_code)
        # the actor is checked: created in sudo on a cleaned context (no default_* key sets a later state)
        doc = Document._lbc_workflow_create(
            [
                {
                    "partner_id": self.id,
                    "type_id": doc_type.id,
                    "file": datas_base64,
                    "file_name": filename,
                    "uploaded_by_id": self.env.uid,
                    **read_vals,
                }
            ]
        )
        doc.message_post(body=self.env._("Uploaded by %(user)s.", user=self.env.user.name))
        doc._lbc_flag_reading()
        return doc.id

    # --- the company page (lbc_base) ---------------------------------------------------------
    def _lbc_company_page_values(self):
        """lbc_base's company page, with the provider's vigilance status (Code du travail L.8222-1)."""
        values = super()._lbc_company_page_values()
        state = self.lbc_compliance_state if self.lbc_is_provider else False
        values.update(
            {
                "lbc_compliance_state": state or False,
                "compliance_label": dict(self._fields["lbc_compliance_state"]._description_selection(self.env)).get(
                    state, False
                ),
            }
        )
        return values
