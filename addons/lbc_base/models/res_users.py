import logging

from odoo import api, fields, models
from odoo.exceptions import AccessDenied, UserError
from odoo.modules import module as odoo_module
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# account states that close every channel (web sessions, password RPC, API keys, OAuth)
LBC_CLOSED_ACCOUNT_STATES = ("suspended", "deactivated", "anonymised")


class ResUsers(models.Model):
    _inherit = "res.users"

    lbc_account_state = fields.Selection(
        related="partner_id.lbc_account_state",
        store=True,
        string="Account Status",
        help="Copied from the member: it is part of the session token, so a suspension logs the member out.",
    )

    # --- who am I ------------------------------------------------------------------
    @api.model
    def _lbc_me(self):
        """(member, company) of the current user, both with the member's own rights (``env.user`` is a
        superuser record in Odoo 19: never act through it). ``company`` is empty when the member belongs to
        no member company (social network only)."""
        Partner = self.env["res.partner"]
        parent = self.env.user.partner_id.parent_id
        return self._lbc_member(), Partner.browse(parent.id) if parent.lbc_state else Partner

    @api.model
    def _lbc_member(self):
        """The current member alone (no query), with its own rights: see `_lbc_me`."""
        return self.env["res.partner"].browse(self.env.user.partner_id.id)

    @api.model
    def _lbc_relevant_agreement_kinds(self, company=None):
        company = company if company is not None else self._lbc_me()[1]
        kinds = ["terms"]
        if company.lbc_is_provider:
            kinds.append("provider_framework")
        if company.lbc_is_client:
            kinds.append("client_main")
        return kinds

    @api.model
    def _lbc_agreements_to_accept(self):
        """The current agreements the member (terms) or its company (contracts) has not accepted yet."""
        member, company = self._lbc_me()
        agreements = self.env["lbc.agreement"].search(
            [("kind", "in", self._lbc_relevant_agreement_kinds(company)), ("is_current", "=", True)]
        )
        return agreements.filtered(
            lambda a: bool(holder := (member if a.kind == "terms" else company)) and not holder.lbc_has_accepted(a.kind)
        )

    @api.model
    def lbc_access_missing(self, needs=("company", "validated", "agreements")):
        """What keeps the current member from the gated features (tenders, bids, ERP), each item a dict
        ``{"code", "text", "label"}`` with ``url`` (where to fix it) or ``action`` (a POST that fixes it).
        Empty: nothing. The portal pages and an RPC client get the same answer."""
        company = self._lbc_me()[1]
        missing = []
        if not company:
            # without a company the other checks do not apply
            if "company" in needs:
                missing.append(
                    {
                        "code": "company",
                        "text": self.env._("You belong to no company yet."),
                        "url": "/my/company",
                        "label": self.env._("Create or join a company"),
                    }
                )
            return missing
        if "validated" in needs and company.lbc_state != "validated":
            states = dict(company._fields["lbc_state"]._description_selection(self.env))
            state = states.get(company.lbc_state) or self.env._("not registered")
            missing.append(
                {
                    "code": "validated",
                    "text": self.env._(
                        "%(company)s is not validated by LBC yet (%(state)s).", company=company.name, state=state
                    ),
                    "url": "/my/company",
                    "label": self.env._("See the company's status"),
                }
            )
        if "agreements" in needs:
            for agreement in self._lbc_agreements_to_accept():
                missing.append(
                    {
                        "code": "agreement",
                        "text": self.env._(
                            "%(name)s (version %(version)s) is not accepted.",
                            name=agreement.name,
                            version=agreement.version,
                        ),
                        "url": f"/my/agreements/{agreement.id}",
                        "label": self.env._("Read and accept"),
                    }
                )
        return missing

    def _lbc_roles(self, company=None, verified=False):
        """The roles the user holds in `company` (default: its own company), in one query.

        Only a member of the company holds roles in it; `verified=True` keeps the roles LBC verified
        or that need no verification (the signatory's capacity is verified).
        """
        self.ensure_one()
        partner = self.partner_id
        company = company or partner.parent_id
        if not company or partner.parent_id != company:
            return frozenset()
        query = SQL(
            """SELECT role FROM lbc_company_role
                WHERE active AND member_id = %s AND member_company_id = %s %s""",
            partner.id,
            company.id,
            SQL("AND verification_state IN ('verified', 'not_required')") if verified else SQL(),
        )
        self.env["lbc.company.role"].flush_model(
            ["active", "member_id", "member_company_id", "role", "verification_state"]
        )
        return frozenset(row[0] for row in self.env.execute_query(query))

    def _lbc_has_role(self, role, company=None, verified=False):
        """Whether the user holds `role` (a role, or a tuple of roles: any of them) in `company`
        (default: its own company), in one query.

        `verified=True` requires the role to be verified by LBC (the signatory's capacity).
        """
        roles = (role,) if isinstance(role, str) else role
        return bool(self._lbc_roles(company, verified=verified).intersection(roles))

    def write(self, vals):
        if not self.env.su and {"login", "email"} & set(vals):
            self._lbc_check_identity_change(vals)
        return super().write(vals)

    def _lbc_check_identity_change(self, vals):
        """A member (portal user) does not change its own login or e-mail address: they identify it on the
        platform and were checked at signup (professional address, activation link). Odoo lets every user write
        its own e-mail (SELF_WRITEABLE_FIELDS, written as superuser): refused here for members."""
        for user in self:
            if user != self.env.user or not user.share:
                continue
            for fname in ("login", "email"):
                if fname in vals and (vals[fname] or False) != (user[fname] or False):
                    raise UserError(
                        self.env._(
                            "Your e-mail address and login are those you signed up with: they cannot be changed "
                            "here. Please contact LBC to change them."
                        )
                    )

    def _deactivate_portal_user(self, **post):
        """Odoo's "Delete my account" (/my/deactivate_account) would archive the member at once, skipping LBC's
        account lifecycle (48 hours, running contracts, 30 days to reactivate, then anonymisation)."""
        if self.filtered("share"):
            raise UserError(
                self.env._(
                    'To delete your account, use "Delete my account" in My LBC account: it is deactivated within '
                    "48 hours, can be reactivated for 30 days, then your personal data are anonymised."
                )
            )
        return super()._deactivate_portal_user(**post)

    def _get_session_token_fields(self):
        return super()._get_session_token_fields() | {"lbc_account_state"}

    def _check_credentials(self, credential, env):
        auth_info = super()._check_credentials(credential, env)
        self._lbc_check_account_can_sign_in()
        return auth_info

    def _lbc_check_account_can_sign_in(self):
        """Refuse suspended, deactivated and anonymised members. A member deactivated for inactivity who signs
        in within 30 days reactivates its account."""
        partner = self.sudo().partner_id
        state = partner.lbc_account_state
        if state in (False, "active"):
            return
        if (
            state == "deactivated"
            and partner.lbc_deactivation_reason == "inactivity"
            and partner.lbc_reactivation_deadline
            and fields.Datetime.now() <= partner.lbc_reactivation_deadline
        ):
            partner.with_user(self).action_lbc_reactivate()
            return
        _logger.info("Sign-in refused to user %s: its account is %s", self.id, state)
        raise AccessDenied(self.env._("Your account is %(state)s: please contact LBC.", state=state))

    def _check_password_policy(self, passwords):
        """The 12-character policy applies to the passwords members choose. Data and demo loading
        (demo password "lbc-demo") and the test helpers' generated passwords are not member choices.
        Decided on the registry's state and the test runner, never on a context key a caller could set; a
        test exercising the policy patches `odoo.modules.module.current_test`."""
        if not self.env.registry.ready or odoo_module.current_test:
            return None
        return super()._check_password_policy(passwords)


class ResUsersApikeys(models.Model):
    _inherit = "res.users.apikeys"

    def _check_credentials(self, *, scope, key):
        """API keys (RPC with a key as password, the JSON-2 API's bearer, any scope) of a suspended,
        deactivated or anonymised member open nothing: Odoo checks the key only, not the account's state."""
        uid = super()._check_credentials(scope=scope, key=key)
        if uid and self._lbc_account_closed(uid):
            _logger.info("API key refused to user %s: its account is not active", uid)
            return None
        return uid

    def _lbc_account_closed(self, uid):
        self.env["res.partner"].flush_model(["lbc_account_state"])
        self.env.cr.execute(
            """SELECT p.lbc_account_state FROM res_users u JOIN res_partner p ON p.id = u.partner_id
                WHERE u.id = %s""",
            [uid],
        )
        row = self.env.cr.fetchone()
        return bool(row) and row[0] in LBC_CLOSED_ACCOUNT_STATES
