import psycopg2.errors

from odoo import Command, api, fields, models
from odoo.addons.lbc_base.models.lbc_workflow_mixin import lbc_clean
from odoo.exceptions import AccessError, UserError, ValidationError

BID_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("selected", "Selected by the Client"),
    ("approved", "Approved by LBC"),
    ("contracted", "Contracted"),
    ("rejected", "Rejected"),
    ("withdrawn", "Withdrawn"),
]
LIVE_STATES = ("draft", "submitted", "selected", "approved", "contracted")
PROVIDER_EDITABLE = {"consultant_id", "daily_rate", "available_from", "message", "attachment_ids", "labour_law_ack"}
CV_MAX_FILES = 5
CV_MAX_SIZE = 5 * 1024 * 1024  # 5 MB per CV (the vigilance documents' cap applies too)


class LbcTenderBid(models.Model):
    _name = "lbc.tender.bid"
    _description = "Bid on a Call for Tenders"
    _inherit = ["lbc.workflow.mixin", "portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "score desc, daily_rate, id"
    # client_id, score and skills_match are derived (from the tender, the rate, the skills): never given
    _lbc_workflow_fields = (
        "state",
        "author_id",
        "submitted_date",
        "rejection_reason",
        "mission_id",
        "client_id",
        "score",
        "skills_match",
        "selected_by_id",
    )
    _lbc_parent_fields = ("tender_id", "provider_id")

    tender_id = fields.Many2one("lbc.tender", required=True, index=True, ondelete="cascade", tracking=True)
    client_id = fields.Many2one(related="tender_id.client_id", store=True, index=True)
    provider_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        domain=[("is_company", "=", True), ("lbc_is_provider", "=", True)],
        default=lambda self: self.env.user.partner_id.commercial_partner_id.filtered("lbc_is_provider"),
    )
    author_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    consultant_id = fields.Many2one(
        "res.partner",
        required=True,
        tracking=True,
        domain="[('parent_id', '=', provider_id), ('is_company', '=', False)]",
    )
    currency_id = fields.Many2one(related="tender_id.currency_id")
    daily_rate = fields.Monetary(required=True, tracking=True)
    available_from = fields.Date(required=True)
    message = fields.Text()
    attachment_ids = fields.Many2many("ir.attachment", string="Attachments (CV)")
    labour_law_ack = fields.Boolean(
        string="Labour-law Acknowledgement",
        help="The provider keeps the authority over its consultant: no illicit lending of labour for profit "
        "(L.8241-1), no 'marchandage' (L.8231-1).",
    )
    state = fields.Selection(BID_STATES, default="draft", required=True, readonly=True, tracking=True, index=True)
    submitted_date = fields.Datetime(readonly=True, copy=False)
    rejection_reason = fields.Text(readonly=True, copy=False)
    skills_match = fields.Float(
        compute="_compute_scores",
        store=True,
        string="Skills Match (%)",
        help="Share of the tender's skills the provider offers.",
    )
    score = fields.Float(compute="_compute_scores", store=True, help="Weighted score with the client's weights.")
    mission_id = fields.Many2one("lbc.mission", readonly=True, copy=False)
    selected_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        help="The client's member who selected this bid: it committed the company, never the approver of the order.",
    )

    _one_live_bid = models.UniqueIndex(
        "(tender_id, provider_id) WHERE state NOT IN ('rejected', 'withdrawn')",
        "Your company already has a live bid on this tender: edit it or withdraw it first.",
    )
    _rate_positive = models.Constraint("CHECK(daily_rate > 0)", "The daily rate must be greater than zero.")
    _one_selected_bid = models.UniqueIndex(
        "(tender_id) WHERE state IN ('selected', 'approved', 'contracted')",
        "An offer is already selected for this tender.",
    )

    @api.depends(
        "daily_rate",
        "available_from",
        "provider_id.lbc_skill_ids",
        "tender_id.skill_ids",
        "tender_id.max_daily_rate",
        "tender_id.date_start",
        "tender_id.weight_rate",
        "tender_id.weight_availability",
        "tender_id.weight_skills",
    )
    def _compute_scores(self):
        for bid in self:
            tender = bid.tender_id
            wanted = tender.skill_ids
            match = len(wanted & bid.provider_id.lbc_skill_ids) / len(wanted) if wanted else 1.0
            bid.skills_match = round(match * 100, 1)
            # rate: 1 at half the maximum rate or less, 0 at the maximum (or twice the cheapest known)
            ceiling = tender.max_daily_rate or (bid.daily_rate * 2)
            rate = max(0.0, min(1.0, (ceiling - bid.daily_rate) / (ceiling / 2))) if ceiling else 0.0
            # availability: 1 when available at the start, minus 1/30 per day late
            late = (bid.available_from - tender.date_start).days if bid.available_from and tender.date_start else 0
            availability = max(0.0, 1 - max(0, late) / 30)
            weights = tender.weight_rate + tender.weight_availability + tender.weight_skills or 1
            bid.score = round(
                100
                * (tender.weight_rate * rate + tender.weight_availability * availability + tender.weight_skills * match)
                / weights,
                1,
            )

    @api.depends("tender_id.name", "provider_id.name")
    def _compute_display_name(self):
        for bid in self:
            bid.display_name = f"{bid.tender_id.name} – {bid.provider_id.name}"

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for bid in self:
            bid.access_url = f"/my/bids/{bid.id}"
        return res

    # --- CRUD ---------------------------------------------------------------
    def _check_rate(self, vals):
        if "daily_rate" in vals and (vals["daily_rate"] or 0) <= 0:
            raise ValidationError(self.env._("The daily rate must be greater than zero."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_rate(vals)
            if vals.get("tender_id") and vals.get("provider_id"):
                live = self.sudo().search_count(
                    [
                        ("tender_id", "=", vals["tender_id"]),
                        ("provider_id", "=", vals["provider_id"]),
                        ("state", "not in", ("rejected", "withdrawn")),
                    ],
                    limit=1,
                )
                if live:
                    raise ValidationError(
                        self.env._("Your company already has a live bid on this tender: edit it or withdraw it first.")
                    )
            if vals.get("attachment_ids") and not self.env.su:
                raise AccessError(
                    self.env._("Attach the CVs to the bid once it exists (action_attach_cv), not at its creation.")
                )
        bids = super().create(vals_list)
        bids._check_provider_member()
        bids._check_bidder()
        bids._check_consultant()
        bids._check_open()
        return bids

    def write(self, vals):
        self._check_rate(vals)
        if not self.env.su and not self._lbc_is_operator():
            self._check_provider_member()
            self._check_open()
        res = super().write(vals)
        if "consultant_id" in vals:
            self._check_consultant()
        if "attachment_ids" in vals and not self.env.su:
            self._check_cv_attachments()
        return res

    def _lbc_workflow_locked_fields(self):
        """The provider edits its offer until the client selects one (and the deadline, checked in write);
        LBC corrects nothing but through the actions."""
        if self._lbc_is_operator() or any(bid.state not in ("draft", "submitted") for bid in self):
            return set(self._fields) - {"message_main_attachment_id"}
        return set(self._fields) - PROVIDER_EDITABLE - {"message_main_attachment_id"}

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(bid.state != "draft" for bid in self):
            raise UserError(self.env._("Only draft bids can be deleted; withdraw the others."))

    # --- checks ----------------------------------------------------------------
    def _lbc_is_operator(self):
        return self.env["res.partner"]._lbc_is_operator()

    def _check_provider_member(self):
        if self._lbc_is_operator():
            return
        own = self.env.user.partner_id.commercial_partner_id
        for bid in self:
            if bid.provider_id != own:
                raise AccessError(self.env._("You can only bid for your own company."))

    def _check_consultant(self):
        for bid in self:
            if bid.consultant_id.sudo().parent_id != bid.provider_id:
                raise UserError(
                    self.env._(
                        "%(consultant)s is not a member of %(provider)s.",
                        consultant=bid.consultant_id.sudo().name,
                        provider=bid.provider_id.sudo().name,
                    )
                )

    def _check_bidder(self):
        """A bid comes from a provider company, on a tender meant for it (that its members can read), never on
        the tender of its own company (it would select its own offer)."""
        for bid in self:
            provider = bid.provider_id.sudo()
            if not (provider.is_company and provider.lbc_is_provider):
                raise ValidationError(
                    self.env._("%(company)s is not a provider company: it cannot bid.", company=provider.name)
                )
            if bid.tender_id.sudo().client_id == provider:
                raise ValidationError(self.env._("A company cannot bid on its own call for tenders."))
        if not self._lbc_is_operator():
            # the member's own rights: the tender rules decide which tenders it may answer (audience, access)
            self.tender_id.check_access("read")

    def _check_cv_attachments(self):
        """The CVs of a bid are the files uploaded to it (`action_attach_cv`): no attachment of another
        record, every file checked by its content like a vigilance document."""
        for bid in self:
            attachments = bid.sudo().attachment_ids
            if len(attachments) > CV_MAX_FILES:
                raise ValidationError(self.env._("Attach at most %(count)s files.", count=CV_MAX_FILES))
            for attachment in attachments:
                if (attachment.res_model, attachment.res_id) != (self._name, bid.id):
                    raise AccessError(self.env._("Only the files uploaded to this bid can be its CVs."))

    @api.model
    def _lbc_check_cv(self, filename, datas_base64):
        """The content check of a CV (PDF, PNG or JPEG, size cap): the vigilance documents' check, and a CV
        is at most CV_MAX_SIZE. Returns the decoded bytes."""
        if isinstance(datas_base64, str):
            datas_base64 = datas_base64.encode()
        if datas_base64 and len(datas_base64) // 4 * 3 > CV_MAX_SIZE + 3:
            raise ValidationError(
                self.env._(
                    "%(file)s is larger than %(size)s MB.", file=filename or "", size=CV_MAX_SIZE // (1024 * 1024)
                )
            )
        raw = self.env["lbc.compliance.document"]._lbc_check_upload(filename, datas_base64)
        if len(raw) > CV_MAX_SIZE:
            raise ValidationError(
                self.env._(
                    "%(file)s is larger than %(size)s MB.", file=filename or "", size=CV_MAX_SIZE // (1024 * 1024)
                )
            )
        return raw

    def _lbc_check_cv_editable(self):
        """The provider's own bid, open for edits (deadline not past for a member, no offer selected yet)."""
        self.ensure_one()
        self._check_provider_member()
        if not self._lbc_is_operator():
            self._check_open()
        if self.state not in ("draft", "submitted"):
            raise UserError(self.env._("The offer is no longer editable: its CVs cannot change."))

    def action_attach_cv(self, filename, datas_base64):
        """The provider attaches a CV (PDF, PNG or JPEG, checked by its content) to its bid while it can still
        edit it. Returns the attachment id."""
        self._lbc_check_cv_editable()
        if len(self.sudo().attachment_ids) >= CV_MAX_FILES:
            raise ValidationError(self.env._("Attach at most %(count)s files.", count=CV_MAX_FILES))
        filename = (filename or "").strip() or "cv"
        raw = self._lbc_check_cv(filename, datas_base64)
        # sudo: portal members have no ACL on ir.attachment; the actor and the file are checked above, the
        # attachment belongs to this bid (its CVs are read through the bid's access only)
        attachment = lbc_clean(self.env["ir.attachment"].sudo()).create(
            {"name": filename, "raw": raw, "res_model": self._name, "res_id": self.id}
        )
        attachment.generate_access_token()  # the bid's page shows the download link without writing
        self._lbc_workflow_write({"attachment_ids": [Command.link(attachment.id)]})
        return attachment.id

    def action_remove_cv(self, attachment_id):
        """The provider removes one of the CVs of its bid while it can still edit it."""
        self._lbc_check_cv_editable()
        attachment = self.sudo().attachment_ids.filtered(lambda a: a.id == attachment_id)
        if not attachment:
            raise UserError(self.env._("This file is not a CV of the offer."))
        self._lbc_workflow_write({"attachment_ids": [Command.unlink(attachment.id)]})
        attachment.unlink()
        return True

    def _check_open(self):
        now = fields.Datetime.now()
        for bid in self:
            tender = bid.tender_id.sudo()
            if tender.state != "published" or tender.deadline <= now:
                raise UserError(
                    self.env._(
                        "The tender %(tender)s no longer accepts bids: its deadline is past.", tender=tender.name
                    )
                )

    def _check_client_publisher(self):
        if self._lbc_is_operator():
            return
        for bid in self:
            bid.tender_id._check_publisher()

    def _set_state(self, state, **vals):
        self._lbc_workflow_write({"state": state, **vals})

    # --- provider actions ---------------------------------------------------------
    def action_submit(self):
        self._check_provider_member()
        self._check_open()
        for bid in self:
            if bid.state != "draft":
                raise UserError(self.env._("Only a draft bid can be submitted."))
            missing = bid.provider_id.sudo()._lbc_tender_access_missing()
            if missing:
                raise UserError(
                    self.env._(
                        "%(provider)s cannot bid yet:\n- %(missing)s",
                        provider=bid.provider_id.sudo().name,
                        missing="\n- ".join(missing),
                    )
                )
            if not bid.labour_law_ack:
                raise UserError(
                    self.env._(
                        "Confirm that %(provider)s keeps the authority over its consultant (no illicit lending of "
                        "labour, no 'marchandage') to submit the bid.",
                        provider=bid.provider_id.sudo().name,
                    )
                )
        self._set_state("submitted", submitted_date=fields.Datetime.now())
        for bid in self:
            bid.sudo().message_post(body=self.env._("Bid submitted."))
        return True

    def action_withdraw(self):
        self._check_provider_member()
        for bid in self:
            if bid.state not in ("draft", "submitted", "selected"):
                raise UserError(self.env._("An approved or contracted bid cannot be withdrawn: contact LBC."))
        self._set_state("withdrawn")
        for bid in self:
            # a selected offer awaited LBC's approval: nothing left to approve
            bid.sudo().activity_unlink(["mail.mail_activity_data_todo"])
            bid.sudo().message_post(body=self.env._("Bid withdrawn by the provider."))
        return True

    # --- client actions -------------------------------------------------------------
    def action_select(self):
        self._check_client_publisher()
        for bid in self:
            tender = bid.tender_id.sudo()
            if bid.state != "submitted":
                raise UserError(self.env._("Only a submitted bid can be selected."))
            if tender.state not in ("published", "closed"):
                raise UserError(self.env._("The tender %(tender)s is not open for selection.", tender=tender.name))
            if not tender._lbc_bids_are_open():
                raise UserError(self.env._("The bids of %(tender)s are sealed until the deadline.", tender=tender.name))
            if tender.bid_ids.filtered(lambda b: b.state in ("selected", "approved", "contracted")):
                raise UserError(self.env._("An offer is already selected for %(tender)s.", tender=tender.name))
            if tender.state == "published":
                tender._lbc_close()
            try:
                # two clients selecting at once: the partial unique index keeps one selected offer per tender
                with self.env.cr.savepoint():
                    bid._set_state("selected", selected_by_id=self.env.uid)
                    self.env.flush_all()
            except psycopg2.errors.UniqueViolation:
                raise UserError(
                    self.env._("An offer is already selected for %(tender)s.", tender=tender.name)
                ) from None
            bid.sudo().message_post_with_source(
                "lbc_tender.mail_template_bid_selected", subtype_xmlid="mail.mt_comment"
            )
            bid.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self._lbc_approver().id,
                summary=self.env._("Approve the selected bid"),
                note=self.env._("Check the provider's compliance and signatory, then approve or reject."),
            )
        return True

    def _lbc_approver(self):
        return self.env["res.partner"]._lbc_operator_user()

    def action_reject(self, reason=None):
        """The client (submitted or selected bids) or LBC rejects a bid, with a reason sent to the provider."""
        if not reason or not reason.strip():
            raise UserError(self.env._("Please give a reason: it is sent to the provider."))
        if not self._lbc_is_operator():
            self._check_client_publisher()
            if any(bid.state not in ("submitted", "selected") for bid in self):
                raise UserError(self.env._("Only a submitted or selected bid can be rejected."))
        elif any(bid.state not in ("submitted", "selected", "approved") for bid in self):
            raise UserError(self.env._("This bid can no longer be rejected."))
        self._lbc_reject(reason.strip())
        return True

    def _lbc_reject(self, reason):
        """Reject the bids (the caller checked who rejects). An approved bid that LBC refuses gives its tender
        back to the client (closed, no award), which selects another offer, reopens or cancels it."""
        approved = self.filtered(lambda b: b.state == "approved")
        self._set_state("rejected", rejection_reason=reason)
        for bid in self:
            bid.sudo().activity_unlink(["mail.mail_activity_data_todo"])
            # written by LBC: a client cancelling its tender before the deadline does not become the author of
            # (hence a reader of) messages on sealed bids
            bid.sudo().message_post_with_source(
                "lbc_tender.mail_template_bid_rejected",
                subtype_xmlid="mail.mt_comment",
                author_id=self.env.company.partner_id.id,
            )
        if approved:
            approved.sudo().tender_id._lbc_revoke_award(approved)

    # --- LBC actions ----------------------------------------------------------------
    def _lbc_check_contractable(self):
        """The provider's vigilance documents and verified signatory, each missing piece named."""
        for bid in self:
            provider = bid.provider_id.sudo()
            # the vigilance set of every provider, and the documents this tender's client requires
            provider._lbc_compliance_gate(client=bid.tender_id.client_id.sudo())
            signatories = provider.lbc_role_ids.filtered(
                lambda r: r.role == "signatory" and r.verification_state == "verified"
            )
            if not signatories:
                raise UserError(
                    self.env._(
                        "%(provider)s has no signatory verified by LBC: verify the capacity of its signatory "
                        "to bind the company (Members > Company Roles) first.",
                        provider=provider.name,
                    )
                )
            if provider.lbc_state != "validated":
                raise UserError(self.env._("%(provider)s is not validated by LBC.", provider=provider.name))

    def action_approve(self):
        if not self._lbc_is_operator():
            raise AccessError(self.env._("Only LBC approves a selected bid."))
        for bid in self:
            if bid.state != "selected":
                raise UserError(self.env._("Only a bid selected by the client can be approved."))
        self._lbc_check_contractable()
        for bid in self:
            bid._set_state("approved")
            bid.sudo().activity_feedback(["mail.mail_activity_data_todo"])
            bid.tender_id._lbc_award(bid)
            bid.sudo().message_post_with_source(
                "lbc_tender.mail_template_bid_approved", subtype_xmlid="mail.mt_comment"
            )
        return True

    def action_contract(self):
        """LBC contracts an approved bid: the mission with its sale and purchase orders. Returns the mission."""
        if not self._lbc_is_operator():
            raise AccessError(self.env._("Only LBC contracts a bid."))
        self.ensure_one()
        if self.state != "approved":
            raise UserError(self.env._("Only a bid approved by LBC can be contracted."))
        self._lbc_check_contractable()
        mission = self.env["lbc.mission"].sudo()._lbc_create_from_bid(self)
        self._set_state("contracted", mission_id=mission.id)
        return mission

    def action_open_reason_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reason"),
            "res_model": "lbc.reason",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": "lbc.tender.bid",
                "default_res_ids": self.ids,
                "default_method": "action_reject",
            },
        }
