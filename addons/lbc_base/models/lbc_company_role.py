from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class LbcCompanyRole(models.Model):
    _name = "lbc.company.role"
    _description = "Company Role of a Member"
    _inherit = ["lbc.workflow.mixin", "mail.thread"]
    _order = "member_company_id, member_id, role"
    _rec_name = "role"

    # who granted the role and LBC's verification are written by the actions only; a role never moves to
    # another member or company (and never becomes another role: see _lbc_workflow_locked_fields)
    _lbc_workflow_fields = (
        "verification_state",
        "verified_by_id",
        "verified_date",
        "refusal_reason",
        "granted_by_id",
        "grant_date",
    )
    _lbc_parent_fields = ("member_id", "member_company_id")

    member_id = fields.Many2one(
        "res.partner",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("is_company", "=", False)],
    )
    member_company_id = fields.Many2one(
        "res.partner",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("is_company", "=", True), ("lbc_state", "!=", False)],
    )
    role = fields.Selection(
        [
            ("admin", "Company Administrator"),
            ("signatory", "Signatory"),
            ("tender_publisher", "Tender Publisher"),
            ("cra_approver", "Activity Report Approver"),
            ("purchase_approver", "Purchasing Approver"),
        ],
        required=True,
    )
    active = fields.Boolean(default=True, tracking=True)
    granted_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    grant_date = fields.Datetime(string="Granted On", default=fields.Datetime.now, readonly=True)
    verification_state = fields.Selection(
        [
            ("not_required", "Not Required"),
            ("to_verify", "To Verify"),
            ("verified", "Verified"),
            ("refused", "Refused"),
        ],
        compute="_compute_verification_state",
        store=True,
        readonly=True,
        tracking=True,
        help="The signatory's capacity to bind the company is verified by LBC on a proof document.",
    )
    proof_attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Proof",
        help="Kbis extract, delegation of authority, articles of association...",
    )
    verified_by_id = fields.Many2one("res.users", readonly=True)
    verified_date = fields.Datetime(string="Verified On", readonly=True)
    refusal_reason = fields.Text(readonly=True)

    _member_company_role_uniq = models.UniqueIndex(
        "(member_id, member_company_id, role) WHERE active",
        "This member already holds this role in this company.",
    )

    @api.depends("role")
    def _compute_verification_state(self):
        for role in self:
            if role.role != "signatory":
                role.verification_state = "not_required"
            elif not role.verification_state or role.verification_state == "not_required":
                role.verification_state = "to_verify"

    @api.constrains("member_id", "member_company_id", "active")
    def _check_member_company(self):
        for role in self.filtered("active"):
            if role.member_id.parent_id != role.member_company_id:
                raise ValidationError(
                    self.env._(
                        "%(member)s is not a member of %(company)s.",
                        member=role.member_id.name,
                        company=role.member_company_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        roles = super().create(vals_list)
        # record rules of other addons read the member's roles: recompute them
        self.env.registry.clear_cache()
        return roles

    def _lbc_workflow_locked_fields(self):
        locked = {"role"}
        if any(role.verification_state == "verified" for role in self):
            locked.add("proof_attachment_ids")  # the proof LBC verified stays as it was
        return locked

    def write(self, vals):
        res = super().write(vals)
        if {"active", "role", "member_id", "member_company_id", "verification_state"} & set(vals):
            self.env.registry.clear_cache()
        return res

    def _check_operator(self):
        if not self.env["res.partner"]._lbc_is_operator():
            raise AccessError(self.env._("Only LBC operators can verify a signatory."))

    def action_verify(self):
        self._check_operator()
        for role in self:
            if role.role != "signatory":
                raise UserError(self.env._("Only the signatory role is verified."))
            if not role.proof_attachment_ids:
                raise UserError(
                    self.env._(
                        "Attach the proof of %(member)s's capacity to bind %(company)s first.",
                        member=role.member_id.name,
                        company=role.member_company_id.name,
                    )
                )
        self._lbc_workflow_write(
            {
                "verification_state": "verified",
                "verified_by_id": self.env.user.id,
                "verified_date": fields.Datetime.now(),
                "refusal_reason": False,
            }
        )
        return True

    def action_refuse(self, reason=None):
        self._check_operator()
        if not reason or not reason.strip():
            raise UserError(self.env._("Please give a reason: it is sent to the company."))
        if self.filtered(lambda r: r.role != "signatory"):
            raise UserError(self.env._("Only the signatory role is verified."))
        self._lbc_workflow_write({"verification_state": "refused", "refusal_reason": reason.strip()})
        for role in self:
            role.member_company_id._lbc_notify("lbc_base.mail_template_company_signatory_refused")
        return True

    def action_revoke(self):
        """A company admin (or LBC) revokes a role; history stays (archived)."""
        for role in self:
            role.member_company_id._lbc_check_company_admin()
            if role.role == "admin":
                admins = role.member_company_id.sudo().lbc_role_ids.filtered(lambda r: r.role == "admin")
                if admins == role:
                    raise UserError(
                        self.env._("%(company)s needs at least one administrator.", company=role.member_company_id.name)
                    )
        # sudo after the check above: members have no write access on roles
        self._lbc_workflow_write({"active": False})
        return True
