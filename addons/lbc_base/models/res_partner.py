import re
from datetime import timedelta

from stdnum.fr import siret as stdnum_siret

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .lbc_workflow_mixin import lbc_clean

CLIENT_PROFILE_TYPES = ("project_manager", "buyer", "purchasing_director")
PROVIDER_PROFILE_TYPES = ("consultant", "sales_manager", "company_manager", "freelancer")
LBC_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("validated", "Validated"),
    ("rejected", "Rejected"),
    ("suspended", "Suspended"),
]
# Roles that give authority in the company: a member never grants one to itself. The signatory's capacity is
# verified by LBC before it counts (a freelancer names itself its signatory, LBC checks the proof).
SELF_GRANT_FORBIDDEN_ROLES = ("admin", "tender_publisher", "cra_approver", "purchase_approver")
# Fields a company admin may change on its own company (the rest is LBC's or derived).
MEMBER_EDITABLE_COMPANY_FIELDS = {
    "name",
    "street",
    "street2",
    "zip",
    "city",
    "country_id",
    "phone",
    "email",
    "website",
    "company_registry",
    "vat",
    "lbc_is_client",
    "lbc_is_provider",
    "lbc_description",
}
# What LBC validates: members change them only before submitting the company (or after a rejection).
COMPANY_IDENTITY_FIELDS = ("name", "company_registry", "vat", "lbc_is_client", "lbc_is_provider")
# an invitation can be sent again to the same member this many minutes after the previous one
INVITATION_RESEND_MINUTES = 5


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "lbc.member.lifecycle.mixin", "lbc.workflow.mixin"]

    # the company's validation by LBC (the lifecycle mixin lists the member's account fields); the company of a
    # member and the kind of a member company are guarded in `write` (`_lbc_check_membership_change`): a plain
    # contact's company stays Odoo's business
    _lbc_workflow_fields = (
        "lbc_state",
        "lbc_state_reason",
        "lbc_submitted_date",
        "lbc_validated_date",
        "lbc_validated_by_id",
        "lbc_invitation_sent_date",
    )

    # --- member companies -------------------------------------------------
    lbc_is_client = fields.Boolean(string="Client", tracking=True)
    lbc_is_provider = fields.Boolean(string="Provider", tracking=True)
    lbc_state = fields.Selection(
        LBC_STATES,
        string="Platform Status",
        tracking=True,
        copy=False,
        readonly=True,
        index=True,
        help="Validation of the member company by LBC. Empty for partners that are not member companies.",
    )
    lbc_siren = fields.Char(
        string="SIREN",
        compute="_compute_lbc_siren",
        store=True,
        index=True,
        help="The first nine digits of the SIRET.",
    )
    lbc_is_foreign = fields.Boolean(
        string="Established Abroad",
        compute="_compute_lbc_is_foreign",
        store=True,
        help="Set for companies whose country is not France (the overseas departments are France): the "
        "compliance documents differ.",
    )
    lbc_description = fields.Text(string="Company Presentation", translate=False)
    lbc_state_reason = fields.Text(string="Reason", readonly=True, copy=False, tracking=True)
    lbc_submitted_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    lbc_validated_date = fields.Datetime(string="Validated On", readonly=True, copy=False)
    lbc_validated_by_id = fields.Many2one("res.users", string="Validated By", readonly=True, copy=False)
    lbc_invitation_sent_date = fields.Datetime(
        string="Invitation Sent On",
        readonly=True,
        copy=False,
        help="The last invitation e-mail sent to this member by its company: another one can be sent a few minutes "
        "later.",
    )
    lbc_member_ids = fields.One2many(
        "res.partner",
        "parent_id",
        string="Members",
        domain=[("is_company", "=", False)],
    )
    lbc_role_ids = fields.One2many("lbc.company.role", "member_company_id", string="Roles")
    lbc_admin_partner_ids = fields.Many2many(
        "res.partner",
        string="Administrators",
        compute="_compute_lbc_admin_partner_ids",
        help="Who receives the company's e-mails: its administrators, or the company's own address.",
    )
    # --- members ----------------------------------------------------------
    lbc_profile_type = fields.Selection(
        [
            ("project_manager", "Project Manager"),
            ("buyer", "Buyer"),
            ("purchasing_director", "Purchasing Director"),
            ("consultant", "Consultant"),
            ("sales_manager", "Sales Manager"),
            ("company_manager", "Company Manager (legal representative)"),
            ("freelancer", "Freelancer"),
        ],
        string="Profile Type",
        tracking=True,
    )
    lbc_member_role_ids = fields.One2many("lbc.company.role", "member_id", string="Company Roles")

    _lbc_siret_uniq = models.UniqueIndex(
        "(company_registry) WHERE lbc_state IS NOT NULL AND company_registry IS NOT NULL",
        "Another member company is already registered with this SIRET.",
    )

    @api.depends("company_registry", "lbc_is_foreign")
    def _compute_lbc_siren(self):
        for partner in self:
            registry = partner.company_registry or ""
            partner.lbc_siren = registry[:9] if not partner.lbc_is_foreign and len(registry) == 14 else False

    @api.depends("country_id")
    def _compute_lbc_is_foreign(self):
        # the overseas departments and collectivities, countries of their own in Odoo, are France (l10n_fr)
        france = self.env["res.company"]._get_france_country_codes()
        for partner in self:
            partner.lbc_is_foreign = bool(partner.country_id) and partner.country_id.code not in france

    def _compute_lbc_admin_partner_ids(self):
        for partner in self:
            admins = partner.sudo().lbc_role_ids.filtered(lambda r: r.role == "admin").member_id
            partner.lbc_admin_partner_ids = admins or (partner if partner.email else self.browse())

    @api.constrains("company_registry", "country_id", "lbc_state")
    def _check_lbc_siret(self):
        for partner in self:
            if not partner.lbc_state or partner.lbc_is_foreign or not partner.company_registry:
                continue
            if not stdnum_siret.is_valid(partner.company_registry):
                raise ValidationError(
                    self.env._(
                        "The SIRET %(siret)s of %(company)s is not valid: "
                        "a SIRET has 14 digits and a valid check digit.",
                        siret=partner.company_registry,
                        company=partner.name,
                    )
                )
            duplicate = self.sudo().search(
                [
                    ("id", "!=", partner.id),
                    ("lbc_state", "!=", False),
                    ("company_registry", "=", partner.company_registry),
                ],
                limit=1,
            )
            if duplicate:
                raise ValidationError(
                    self.env._(
                        "The SIRET %(siret)s is already registered on the platform (%(company)s).",
                        siret=partner.company_registry,
                        company=duplicate.name,
                    )
                )

    @api.constrains("lbc_profile_type", "parent_id")
    def _check_lbc_profile_type(self):
        for partner in self:
            company = partner.parent_id
            if not partner.lbc_profile_type or not company.lbc_state:
                continue
            if partner.lbc_profile_type in CLIENT_PROFILE_TYPES and not company.lbc_is_client:
                raise ValidationError(
                    self.env._(
                        "%(member)s has a client profile but %(company)s is not a client company.",
                        member=partner.name,
                        company=company.name,
                    )
                )
            if partner.lbc_profile_type in PROVIDER_PROFILE_TYPES and not company.lbc_is_provider:
                raise ValidationError(
                    self.env._(
                        "%(member)s has a provider profile but %(company)s is not a provider company.",
                        member=partner.name,
                        company=company.name,
                    )
                )

    @api.model
    def _lbc_normalize_vals(self, vals):
        if vals.get("company_registry"):
            vals["company_registry"] = re.sub(r"[\s.\-]", "", vals["company_registry"])
        return vals

    def _lbc_check_siret_free(self, siret):
        """Refuse a SIRET another member company holds (before the unique index does, with a clear message)."""
        if not siret:
            return
        duplicate = self.sudo().search(
            [("id", "not in", self.ids), ("lbc_state", "!=", False), ("company_registry", "=", siret)], limit=1
        )
        if duplicate:
            raise ValidationError(
                self.env._(
                    "The SIRET %(siret)s is already registered on the platform (%(company)s).",
                    siret=siret,
                    company=duplicate.name,
                )
            )

    @api.model
    def _lbc_is_new_member_company(self, vals):
        return bool(vals.get("is_company") and (vals.get("lbc_is_client") or vals.get("lbc_is_provider")))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._lbc_normalize_vals(vals)
            is_member_company = self._lbc_is_new_member_company(vals)
            # a member company starts as a draft: set here only when the caller may set the status (the
            # superuser, e.g. data files and the actions' own creates); otherwise after the guarded create
            if is_member_company and self.env.su:
                vals.setdefault("lbc_state", "draft")
            if vals.get("lbc_state") or is_member_company:
                self._lbc_check_siret_free(vals.get("company_registry"))
        partners = super().create(vals_list)
        new_companies = partners.filtered(
            lambda p: p.is_company and (p.lbc_is_client or p.lbc_is_provider) and not p.lbc_state
        )
        if new_companies:
            new_companies._lbc_workflow_write({"lbc_state": "draft"})
        return partners

    def write(self, vals):
        self._lbc_normalize_vals(vals)
        if not self.env.su and ({"parent_id", "is_company"} & set(vals)):
            self._lbc_check_membership_change(vals)
        if not self.env.su and ({"child_ids", "lbc_member_ids"} & set(vals)):
            self._lbc_check_children_commands(vals)
        if vals.get("company_registry") and self.filtered("lbc_state"):
            self._lbc_check_siret_free(vals["company_registry"])
        res = super().write(vals)
        if "lbc_state" in vals:
            # record rules of other addons read the company's status (marketplace access): recompute them
            self.env.registry.clear_cache()
        if vals.get("lbc_is_client") or vals.get("lbc_is_provider") or vals.get("is_company"):
            new_companies = self.filtered(
                lambda p: p.is_company and (p.lbc_is_client or p.lbc_is_provider) and not p.lbc_state
            )
            if new_companies:
                new_companies._lbc_workflow_write({"lbc_state": "draft"})
        return res

    def _lbc_check_membership_change(self, vals):
        """Refuse, outside the actions (join requests, company creation, LBC attaching a member), any change of
        the company of a member or of a member company, and turning a member company into a person.

        Record rules scope members to their commercial partner: the fields they depend on never move from
        outside. Contacts that are neither members of a member company nor member companies stay free."""
        if "parent_id" in vals:
            new_parent = self.browse(vals["parent_id"] or ()).sudo()
            for partner in self.sudo():
                if partner.parent_id == new_parent:
                    continue
                if partner.lbc_state or partner.parent_id.lbc_state or new_parent.lbc_state:
                    self._lbc_workflow_refuse(
                        {"parent_id"},
                        self.env._(
                            "changes only through a join request accepted by the company, "
                            "the creation of one's company, or LBC."
                        ),
                    )
        if "is_company" in vals:
            for partner in self.sudo():
                if partner.lbc_state and bool(vals["is_company"]) != partner.is_company:
                    self._lbc_workflow_refuse({"is_company"}, self.env._("cannot be changed on a member company."))

    def _lbc_check_children_commands(self, vals):
        """The same through the company's contacts (`child_ids`): Odoo writes the contacts' `parent_id` itself,
        possibly as another user. Linking, unlinking or replacing the contacts of a member company, or a member
        of one, is refused; contacts created or edited through it get no guarded field."""
        guarded = self._lbc_guarded_workflow_fields() | {"parent_id", "is_company"}
        member_companies = self.sudo().filtered("lbc_state")
        for fname in ("child_ids", "lbc_member_ids"):
            for command in vals.get(fname) or ():
                if not isinstance(command, (list, tuple)) or not command:
                    continue
                if command[0] in (Command.CREATE, Command.UPDATE):
                    forbidden = guarded & set(command[2] or ())
                    if forbidden:
                        self._lbc_workflow_refuse(forbidden, self.env._("can be changed only through its actions."))
                    continue
                if command[0] == Command.SET:
                    ids = command[2] or []
                elif command[0] == Command.CLEAR:
                    ids = []
                else:
                    ids = [command[1]]
                moved = self.browse(ids).sudo()
                if member_companies or moved.filtered(lambda p: p.lbc_state or p.parent_id.lbc_state):
                    self._lbc_workflow_refuse(
                        {"parent_id"},
                        self.env._(
                            "changes only through a join request accepted by the company, "
                            "the creation of one's company, or LBC."
                        ),
                    )

    @api.model
    def _lbc_member_editable_fields(self):
        """Fields a company admin may set on its own company (other addons add theirs)."""
        return set(MEMBER_EDITABLE_COMPANY_FIELDS)

    # --- rights helpers ---------------------------------------------------
    def _lbc_is_operator(self):
        return self.env.su or self.env.user.has_group("lbc_base.group_operator")

    def _lbc_operator_user(self):
        """The LBC operator who gets the follow-up activities (the first active one), or the administrator."""
        group = self.env.ref("lbc_base.group_operator")
        users = group.sudo().all_user_ids.filtered(lambda u: u.active and not u.share)
        return users.sorted("id")[:1] or self.env.ref("base.user_admin")

    def _lbc_check_operator(self):
        if not self._lbc_is_operator():
            raise AccessError(self.env._("Only LBC operators can do this."))

    def _lbc_check_company_admin(self):
        """Raise unless the current user administers every company of self (or is an LBC operator)."""
        if self._lbc_is_operator():
            return
        for company in self:
            if not self.env.user._lbc_has_role("admin", company):
                raise AccessError(self.env._("Only an administrator of %(company)s can do this.", company=company.name))

    def _lbc_notify(self, template_xmlid):
        """E-mail the company's administrators with a template, logged in the chatter."""
        for company in self:
            company.sudo().message_post_with_source(template_xmlid, subtype_xmlid="mail.mt_comment")

    # --- company workflow ---------------------------------------------------
    def _lbc_check_state(self, allowed, action):
        for company in self:
            if not company.is_company or not company.lbc_state:
                raise UserError(self.env._("%(name)s is not a member company.", name=company.display_name))
            if company.lbc_state not in allowed:
                state = dict(self._fields["lbc_state"]._description_selection(self.env))[company.lbc_state]
                raise UserError(
                    self.env._(
                        "%(company)s cannot be %(action)s: it is %(state)s.",
                        company=company.name,
                        action=action,
                        state=state,
                    )
                )

    def action_lbc_submit(self):
        self._lbc_check_state(("draft", "rejected"), self.env._("submitted"))
        self._lbc_check_company_admin()
        for company in self:
            missing = []
            if not (company.lbc_is_client or company.lbc_is_provider):
                missing.append(self.env._("client and/or provider"))
            if not company.lbc_is_foreign and not company.company_registry:
                missing.append(self.env._("SIRET"))
            if company.lbc_is_foreign and not (company.vat or company.company_registry):
                missing.append(self.env._("VAT number or registration number"))
            if not (company.street and company.city and company.country_id):
                missing.append(self.env._("address (street, city, country)"))
            if missing:
                raise UserError(
                    self.env._(
                        "%(company)s cannot be submitted yet, missing: %(missing)s.",
                        company=company.name,
                        missing=", ".join(missing),
                    )
                )
        self._lbc_workflow_write(
            {
                "lbc_state": "submitted",
                "lbc_submitted_date": fields.Datetime.now(),
                "lbc_state_reason": False,
            }
        )
        self._lbc_notify("lbc_base.mail_template_company_submitted")
        return True

    def action_lbc_validate(self):
        self._lbc_check_operator()
        self._lbc_check_state(("submitted",), self.env._("validated"))
        self._lbc_workflow_write(
            {
                "lbc_state": "validated",
                "lbc_validated_date": fields.Datetime.now(),
                "lbc_validated_by_id": self.env.user.id,
                "lbc_state_reason": False,
            }
        )
        self._lbc_notify("lbc_base.mail_template_company_validated")
        return True

    def _lbc_check_reason(self, reason):
        if not reason or not reason.strip():
            raise UserError(self.env._("Please give a reason: it is sent to the company."))

    def action_lbc_reject(self, reason=None):
        self._lbc_check_operator()
        self._lbc_check_reason(reason)
        self._lbc_check_state(("submitted",), self.env._("rejected"))
        self._lbc_workflow_write(
            {
                "lbc_state": "rejected",
                "lbc_state_reason": reason.strip(),
            }
        )
        self._lbc_notify("lbc_base.mail_template_company_rejected")
        return True

    def action_lbc_suspend(self, reason=None):
        self._lbc_check_operator()
        self._lbc_check_reason(reason)
        self._lbc_check_state(("validated",), self.env._("suspended"))
        self._lbc_workflow_write(
            {
                "lbc_state": "suspended",
                "lbc_state_reason": reason.strip(),
            }
        )
        self._lbc_notify("lbc_base.mail_template_company_suspended")
        return True

    def action_lbc_reinstate(self):
        self._lbc_check_operator()
        self._lbc_check_state(("suspended",), self.env._("reinstated"))
        self._lbc_workflow_write(
            {
                "lbc_state": "validated",
                "lbc_state_reason": False,
            }
        )
        self._lbc_notify("lbc_base.mail_template_company_validated")
        return True

    def action_lbc_open_reason_wizard(self, action="reject"):
        """The reason wizard of LBC's refusals (`action`: reject or suspend); the wizard's actions check LBC."""
        self._lbc_check_operator()
        if action not in ("reject", "suspend"):
            raise UserError(self.env._("Unknown action."))
        window = self.env["ir.actions.act_window"]._for_xml_id("lbc_base.res_partner_lbc_reason_action")
        window["context"] = {"default_partner_ids": self.ids, "default_action": action}
        return window

    def action_lbc_open_reject_wizard(self):
        return self.action_lbc_open_reason_wizard("reject")

    def action_lbc_open_company_suspend_wizard(self):
        return self.action_lbc_open_reason_wizard("suspend")

    def action_lbc_update(self, vals):
        """Change one's own company over RPC or from the portal (company admins only)."""
        self.ensure_one()
        if not self.is_company or not self.lbc_state:
            raise UserError(self.env._("%(name)s is not a member company.", name=self.display_name))
        self._lbc_check_company_admin()
        if self._lbc_is_operator():
            # LBC may correct any field, but the status and the membership change through their own actions
            forbidden = set(vals) & (
                self._lbc_guarded_workflow_fields() | self._lbc_guarded_parent_fields() | {"parent_id", "is_company"}
            )
        else:
            forbidden = set(vals) - self._lbc_member_editable_fields()
        if forbidden:
            raise AccessError(
                self.env._(
                    "These fields cannot be changed by a member: %(fields)s.", fields=", ".join(sorted(forbidden))
                )
            )
        if self.lbc_state not in ("draft", "rejected") and not self._lbc_is_operator():
            # what LBC validated (or is reviewing, or suspended) is the company's identity and kind: a change
            # would slip past LBC's review. Values sent unchanged (a whole form) are not changes.
            normalized = self._lbc_normalize_vals(dict(vals))
            changed = [
                fname
                for fname in COMPANY_IDENTITY_FIELDS
                if fname in normalized and (normalized[fname] or False) != (self[fname] or False)
            ]
            if changed:
                raise UserError(
                    self.env._(
                        "The name, SIRET, VAT number and kind (client, provider) of a company LBC validated or is "
                        "reviewing are changed by LBC: please contact LBC with the new Kbis extract."
                    )
                )
        # sudo after the checks above: the admin changes only the fields a member may change on its own company
        self._lbc_workflow_write(vals)
        return True

    # --- members -------------------------------------------------------------
    @api.model
    def lbc_create_company(self, vals):
        """A member without a company creates one and becomes its administrator."""
        user = self.env.user
        member = user.partner_id
        if user._is_public():
            raise AccessError(self.env._("Please sign in first."))
        forbidden = set(vals) - self._lbc_member_editable_fields()
        if forbidden:
            raise AccessError(
                self.env._("These fields cannot be set by a member: %(fields)s.", fields=", ".join(sorted(forbidden)))
            )
        if not (vals.get("lbc_is_client") or vals.get("lbc_is_provider")):
            raise UserError(self.env._("Say whether the company is a client, a provider, or both."))
        if member.parent_id:
            raise UserError(
                self.env._(
                    "You already belong to %(company)s: leave it before creating another company.",
                    company=member.parent_id.name,
                )
            )
        # sudo on a cleaned context (no `default_*` key of the caller reaches the new company): the fields were
        # checked above, the company starts as a draft that LBC validates
        company = self._lbc_workflow_create([{**vals, "is_company": True}])
        member._lbc_workflow_write({"parent_id": company.id})
        company._lbc_grant_first_admin(member)
        # creating the company is declaring the right to represent it (terms of use, article 3): recorded with the
        # time (the message's date), the member and its IP address
        ip_address = self.env["lbc.agreement.acceptance"]._request_ip()
        company.sudo().message_post(
            body=self.env._(
                "%(member)s created the company and declared having the right to represent it (IP address: %(ip)s).",
                member=member.name,
                ip=ip_address or self.env._("none"),
            ),
            author_id=member.id,
            subtype_xmlid="mail.mt_note",
        )
        self.env.registry.clear_cache()
        return company.id

    def _lbc_grant_first_admin(self, member):
        """The member who creates its company becomes its first administrator (the only role a member ever
        receives from itself: the company has nobody else yet). Private: called by `lbc_create_company`."""
        self.ensure_one()
        Role = self.env["lbc.company.role"]
        if Role.sudo().search_count([("member_company_id", "=", self.id), ("role", "=", "admin")], limit=1):
            raise UserError(self.env._("%(company)s already has an administrator.", company=self.name))
        return Role._lbc_workflow_create(
            [
                {
                    "member_id": member.id,
                    "member_company_id": self.id,
                    "role": "admin",
                    "granted_by_id": self.env.user.id,
                    "grant_date": fields.Datetime.now(),
                }
            ]
        )

    def action_lbc_attach_company(self, company):
        """LBC attaches members to a company (members themselves go through a join request)."""
        self._lbc_check_operator()
        company = self.browse(company) if isinstance(company, int) else company
        company.ensure_one()
        if not company.is_company or not company.lbc_state:
            raise UserError(self.env._("%(name)s is not a member company.", name=company.display_name))
        for member in self:
            member._lbc_join_company(company)
        return True

    def _lbc_join_company(self, company):
        """Attach the member to `company`, leaving its current one first (switch). Rights checked by callers."""
        self.ensure_one()
        member = self.sudo()
        if member.is_company:
            raise UserError(self.env._("%(name)s is a company, not a member.", name=member.name))
        if member.parent_id == company:
            return
        if member.parent_id:
            member._lbc_leave_company()
        member._lbc_workflow_write({"parent_id": company.id})
        # record rules are cached per user on its commercial partner: recompute them (all workers)
        self.env.registry.clear_cache()
        company.sudo().message_post(body=self.env._("%(member)s joined the company.", member=member.name))

    @api.model
    def action_lbc_request_join(self, company_id):
        """The current member asks to join a validated company; its administrators accept or refuse."""
        member = self.env.user.partner_id
        company = self.sudo().browse(company_id).exists()
        if not company or not company.is_company or company.lbc_state not in ("draft", "submitted", "validated"):
            raise UserError(self.env._("This company cannot be joined."))
        return self.env["lbc.join.request"]._lbc_create_request(member, company).id

    def action_lbc_leave_company(self):
        """The member leaves its company: company roles end, the member and its profile stay."""
        for member in self:
            if not member.parent_id:
                raise UserError(self.env._("%(name)s belongs to no company.", name=member.name))
            is_self = member == self.env.user.partner_id
            if not is_self:
                member.parent_id._lbc_check_company_admin()
            member._lbc_leave_company(removed_by=None if is_self else self.env.user)
        return True

    def _lbc_leave_company(self, removed_by=None):
        """Detach the member from its company: its roles end (archived), the apps end what it was doing for the
        company (`_lbc_before_leave_company`), its account and profile stay. Rights checked by callers."""
        self.ensure_one()
        company = self.parent_id
        roles = company.sudo().lbc_role_ids
        admins = roles.filtered(lambda r: r.role == "admin")
        others = company.sudo().child_ids.filtered(lambda p: not p.is_company and p != self and p.user_ids)
        if admins.member_id == self and others:
            raise UserError(
                self.env._(
                    "%(member)s is the only administrator of %(company)s: name another administrator first.",
                    member=self.name,
                    company=company.name,
                )
            )
        self._lbc_before_leave_company(company)
        roles.filtered(lambda r: r.member_id == self)._lbc_workflow_write({"active": False})
        self._lbc_workflow_write({"parent_id": False})
        self.env.registry.clear_cache()
        if removed_by:
            body = self.env._(
                "%(admin)s removed %(member)s from the company: its roles are revoked.",
                admin=removed_by.name,
                member=self.name,
            )
        else:
            body = self.env._("%(member)s left the company.", member=self.name)
        company.sudo().message_post(body=body)

    def _lbc_before_leave_company(self, company):
        """Hook: the member is about to leave `company` (or be removed from it). The apps end what the member
        does for the company (lbc_erp_provider: its running assignments), or refuse with a UserError saying what
        to do first. Private: called by `_lbc_leave_company` once the caller's rights are checked."""
        return True

    # --- company members: invitation and removal (the same for clients and providers) ----------------
    def _lbc_member_profile_types(self):
        """The profile types a member of this company may have: (value, label) pairs, the default first."""
        self.ensure_one()
        selection = self._fields["lbc_profile_type"]._description_selection(self.env)
        allowed = []
        if self.lbc_is_provider:
            allowed += PROVIDER_PROFILE_TYPES
        if self.lbc_is_client:
            allowed += CLIENT_PROFILE_TYPES
        return [item for value in allowed for item in selection if item[0] == value]

    def action_lbc_invite_member(self, name, email, roles=None, profile_type=None):
        """A company admin invites a member (a provider's collaborator, a client's colleague) by e-mail.

        The invitee gets a portal account attached to the company, with the profile type and the company roles
        chosen here, and an invitation e-mail whose link (Odoo's signup link, valid
        `auth_signup.signup.validity.hours`) lets it choose its password: following it proves the address. The
        address must be professional (`res.users._lbc_check_professional_email`). Returns the new member's
        partner id."""
        self.ensure_one()
        if not self.is_company or not self.lbc_state:
            raise UserError(self.env._("%(name)s is not a member company.", name=self.display_name))
        self._lbc_check_company_admin()
        self._lbc_check_can_invite()
        name = (name or "").strip()
        if not name:
            raise UserError(self.env._("Give the name of the person you invite."))
        Users = self.env["res.users"]
        email = Users._lbc_check_professional_email((email or "").strip())
        role_labels = dict(self.env["lbc.company.role"]._fields["role"]._description_selection(self.env))
        roles = list(dict.fromkeys(roles or []))
        unknown = [role for role in roles if role not in role_labels]
        if unknown:
            raise UserError(self.env._("Unknown role %(role)s.", role=", ".join(map(str, unknown))))
        profile_types = dict(self._lbc_member_profile_types())
        profile_type = profile_type or next(iter(profile_types), False)
        if profile_type not in profile_types:
            raise UserError(
                self.env._(
                    "Choose a profile type of a member of %(company)s: %(types)s.",
                    company=self.name,
                    types=", ".join(profile_types.values()),
                )
            )
        if Users._lbc_login_taken(email):
            raise UserError(
                self.env._(
                    "%(email)s already has an account: ask the member to ask to join %(company)s from its My company "
                    "page.",
                    email=email,
                    company=self.name,
                )
            )
        # sudo after the checks above, on a cleaned context (no `default_*` key of the caller reaches the account):
        # members cannot create users; the account is a portal account of this company, nothing else
        user = (
            lbc_clean(Users.sudo())
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": name,
                    "login": email,
                    "email": email,
                    "lang": self.env.user.lang,
                    "parent_id": self.id,
                    "lbc_profile_type": profile_type,
                    "group_ids": [Command.set([self.env.ref("base.group_portal").id])],
                }
            )
        )
        member = self.browse(user.partner_id.id)
        for role in roles:
            # as the admin: the same rule as a role granted later (never to oneself, the signatory verified by LBC)
            member.action_lbc_grant_role(role)
        member._lbc_send_invitation(self.env.user)
        self.sudo().message_post(
            body=self.env._(
                "%(admin)s invited %(name)s (%(email)s) to join the company%(roles)s.",
                admin=self.env.user.name,
                name=name,
                email=email,
                roles=(
                    self.env._(" with the roles: %(roles)s", roles=", ".join(role_labels[r] for r in roles))
                    if roles
                    else ""
                ),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return member.id

    def _lbc_check_can_invite(self):
        """Raise unless this member company may invite members: once validated by LBC (not before, nor while
        rejected or suspended)."""
        self.ensure_one()
        if self.lbc_state in ("rejected", "suspended"):
            raise UserError(
                self.env._("%(company)s cannot invite members while it is rejected or suspended.", company=self.name)
            )
        if self.lbc_state != "validated":
            raise UserError(
                self.env._(
                    "%(company)s can invite members once LBC has validated the company: submit its file for "
                    "validation first.",
                    company=self.name,
                )
            )

    def _lbc_send_invitation(self, inviter):
        """E-mail the invitation of this new member (a signup link to choose its password). Rights checked by the
        callers; the mail is queued in the transaction (sent once committed, never twice on a replay)."""
        self.ensure_one()
        # sudo: the signup token and its type are readable by administrators only
        partner = self.sudo()
        partner.signup_prepare(signup_type="signup")
        url = partner.with_context(create_user=True)._get_signup_url_for_action(url="/my/company/members")[partner.id]
        roles = partner.lbc_member_role_ids.filtered("active")
        role_labels = dict(roles._fields["role"]._description_selection(roles.with_context(lang=partner.lang).env))
        template = self.env.ref("lbc_base.mail_template_member_invitation")
        template.sudo().with_context(
            lbc_invitation_url=url,
            lbc_inviter=inviter.name,
            lbc_company=partner.parent_id.name,
            lbc_roles=", ".join(role_labels[role.role] for role in roles),
        ).send_mail(partner.user_ids[:1].id)
        self._lbc_workflow_write({"lbc_invitation_sent_date": fields.Datetime.now()})
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()

    def action_lbc_resend_invitation(self):
        """A company admin sends the invitation again to a member who never signed in (a new link)."""
        for member in self:
            company = member.parent_id
            if member.is_company or not company.lbc_state:
                raise UserError(self.env._("%(name)s belongs to no member company.", name=member.name))
            company._lbc_check_company_admin()
            company._lbc_check_can_invite()
            user = member.sudo().user_ids[:1]
            if not user or user.login_date:
                raise UserError(
                    self.env._("%(member)s has already signed in: there is no invitation to send.", member=member.name)
                )
            # at most one invitation every few minutes (nobody's mailbox is flooded through LBC)
            sent = member.sudo().lbc_invitation_sent_date
            if sent and sent + timedelta(minutes=INVITATION_RESEND_MINUTES) > fields.Datetime.now():
                raise UserError(
                    self.env._(
                        "An invitation was sent to %(member)s less than %(minutes)s minutes ago: ask the member to "
                        "check its mailbox (and its spam folder), or send it again later.",
                        member=member.name,
                        minutes=INVITATION_RESEND_MINUTES,
                    )
                )
            member._lbc_send_invitation(self.env.user)
        return True

    def action_lbc_remove_member(self):
        """A company admin removes a member from the company: the member is detached, its roles are revoked, the
        apps end what it did for the company (lbc_erp_provider: its running assignments, or a refusal saying what
        to do first); its account and profile stay (the social network). To leave one's own company:
        `action_lbc_leave_company`."""
        for member in self:
            company = member.parent_id
            if member.is_company or not company.lbc_state:
                raise UserError(self.env._("%(name)s belongs to no member company.", name=member.name))
            company._lbc_check_company_admin()
            if member == self.env.user.partner_id:
                raise UserError(self.env._("To leave your company, use Leave the company on My company."))
            member._lbc_leave_company(removed_by=self.env.user)
            # sudo: the removed member's own account; it is told by e-mail
            user = member.sudo().user_ids[:1]
            if user and user.email:
                self.env.ref("lbc_base.mail_template_member_removed").sudo().with_context(
                    lbc_company=company.name, lbc_admin=self.env.user.name
                ).send_mail(user.id)
        return True

    def action_lbc_grant_role(self, role):
        """A company admin (or LBC) grants a company role to a member of the company.

        A member never grants itself authority: an admin grants the authority roles to others only. The
        signatory is the exception (a freelancer is its own signatory): its capacity counts only once LBC
        verified it on a proof."""
        Role = self.env["lbc.company.role"]
        if role not in dict(Role._fields["role"].selection):
            raise UserError(self.env._("Unknown role %(role)s.", role=role))
        is_operator = self._lbc_is_operator()
        for member in self:
            company = member.parent_id
            if not company.lbc_state:
                raise UserError(self.env._("%(member)s belongs to no member company.", member=member.name))
            company._lbc_check_company_admin()
            if not is_operator and member == self.env.user.partner_id and role in SELF_GRANT_FORBIDDEN_ROLES:
                raise AccessError(
                    self.env._(
                        "A member never grants itself a role: another administrator of %(company)s grants it.",
                        company=company.name,
                    )
                )
            existing = Role.sudo().search(
                [("member_id", "=", member.id), ("member_company_id", "=", company.id), ("role", "=", role)]
            )
            if not existing:
                Role._lbc_workflow_create(
                    [
                        {
                            "member_id": member.id,
                            "member_company_id": company.id,
                            "role": role,
                            "granted_by_id": self.env.user.id,
                            "grant_date": fields.Datetime.now(),
                        }
                    ]
                )
        return True

    def action_lbc_set_profile_type(self, profile_type):
        """The member chooses its own profile type: it describes its job and gives no authority (authority comes
        from the roles its company's administrator grants). The constraint matches it to the company's kind."""
        self.ensure_one()
        self._lbc_check_member()
        self._lbc_check_self_or_operator()
        if profile_type not in dict(self._fields["lbc_profile_type"].selection):
            raise UserError(self.env._("Please choose a profile type from the list."))
        # sudo after the checks above: portal users cannot write partners; only this field is written
        self._lbc_workflow_write({"lbc_profile_type": profile_type})
        return True

    def _lbc_shares_engagement(self, other):
        """Whether this member and `other` work together on the platform (a bid, a mission): the marketplace
        addons say; the social network lets such members write to each other."""
        self.ensure_one()
        return False

    # --- agreements -----------------------------------------------------------
    def lbc_has_accepted(self, kind):
        """Whether this company (or, for the terms, this member) accepted the current version of `kind`."""
        self.ensure_one()
        return self.env["lbc.agreement"]._lbc_is_accepted(kind, self)
