import base64
import binascii
import hashlib
import json
import logging
from datetime import datetime, timedelta
from urllib.parse import urlencode

from disposable_email_domains import blocklist as DISPOSABLE_EMAIL_DOMAINS

from odoo import api, fields, models
from odoo.addons.iap.tools.iap_tools import _MAIL_PROVIDERS as ODOO_FREEMAIL_DOMAINS
from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.modules import module as odoo_module
from odoo.tools import SQL, consteq, email_normalize
from odoo.tools.misc import hash_sign, hmac, verify_hash_signed

_logger = logging.getLogger(__name__)

# account states that close every channel (web sessions, password RPC, API keys, OAuth)
LBC_CLOSED_ACCOUNT_STATES = ("pending", "suspended", "deactivated", "anonymised")
# Domains LBC adds to the maintained lists (settings: comma-separated)
BLOCKED_EMAIL_DOMAINS_PARAM = "lbc_base.blocked_email_domains"
# Odoo's list of free mailbox providers (iap) counts the reserved example domains as providers: they are left to
# tests and demo data (RFC 2606: no mailbox there, so an account under them is never activated).
FREEMAIL_DOMAINS = frozenset(domain.strip() for domain in ODOO_FREEMAIL_DOMAINS if "." in domain.strip()) - {
    "example.com"
}


# Activation by e-mail of the accounts made with the signup form.
# The signup creates the account without opening it (`lbc_account_state` "pending"); the member receives an
# activation e-mail whose link carries Odoo's signup token (auth_signup: signed with the database secret, bound to
# the partner, its users, its last sign-in and its token type, with an expiry). Until the link is followed the
# account opens nothing: `res.users._check_credentials` refuses it (web sign-in, RPC, OAuth) and API keys of a
# pending account are refused (ResUsersApikeys). Any other signup link of Odoo followed by the member
# (a password reset: "lost password") proves the address as well and activates the account with its new password.
#
# Accounts made otherwise (LBC's back office, a company admin's invitation, whose signup link proves the address,
# data and demo) are active from the start.
ACTIVATION_SIGNUP_TYPE = "lbc_activation"
ACTIVATION_VALIDITY_PARAM = "lbc_base.activation_validity_hours"
ACTIVATION_VALIDITY_HOURS = 48
# a new activation e-mail can be asked this many minutes after the previous one
ACTIVATION_RESEND_MINUTES = 5
# the scope of the signed links that confirm a new e-mail address
EMAIL_CHANGE_SCOPE = "lbc_email_change"


class ResUsers(models.Model):
    _inherit = "res.users"

    lbc_account_state = fields.Selection(
        related="partner_id.lbc_account_state",
        store=True,
        string="Account Status",
        help="Copied from the member: it is part of the session token, so a suspension logs the member out.",
    )

    # --- professional e-mail ------------------------------------------------------------
    @api.model
    def _lbc_blocked_email_domains(self):
        """The domains LBC adds in its settings to the maintained lists (lower case, without "@")."""
        value = self.env["ir.config_parameter"].sudo().get_param(BLOCKED_EMAIL_DOMAINS_PARAM) or ""
        return {domain.strip().lower().lstrip("@") for domain in value.replace(";", ",").split(",") if domain.strip()}

    @api.model
    def _lbc_check_professional_email(self, email):
        """The normalised `email` when it is a professional address; a UserError saying why otherwise.

        Refused: no address, a free mailbox provider (Odoo's list in `iap`), a disposable-address service (the
        `disposable-email-domains` package) and the domains LBC adds in its settings. Every path that gives a
        member an address calls it: signup, invitation of a collaborator, OAuth signup, change of address.
        """
        normalized = email_normalize(email or "")
        if not normalized:
            raise UserError(
                self.env._(
                    "%s is not a valid e-mail address: please enter your professional e-mail address "
                    "(name@your-company.com).",
                    email or "",
                )
            )
        domain = normalized.rsplit("@", 1)[-1]
        parents = {".".join(domain.split(".")[i:]) for i in range(domain.count("."))}
        if parents & DISPOSABLE_EMAIL_DOMAINS:
            raise UserError(
                self.env._(
                    "%(domain)s is a disposable e-mail address service: please use your professional e-mail "
                    "address (the one of your company).",
                    domain=domain,
                )
            )
        if domain in FREEMAIL_DOMAINS or parents & self._lbc_blocked_email_domains():
            raise UserError(
                self.env._(
                    "%(domain)s is a personal e-mail provider: please use your professional e-mail address "
                    "(the one of your company), so that your company can recognise you.",
                    domain=domain,
                )
            )
        return normalized

    @api.model
    def _signup_create_user(self, values):
        """Every account made by a signup (the form, an invitation link, an OAuth provider) has a professional
        login and e-mail address. An uninvited signup (the form: no partner chosen by somebody else) creates a
        pending account and sends the activation e-mail."""
        for fname in ("login", "email"):
            if values.get(fname):
                values[fname] = self._lbc_check_professional_email(values[fname])
        invited = bool(values.get("partner_id"))
        user = super()._signup_create_user(values)
        if not invited:
            user._lbc_activation_start()
        return user

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
        """A member (portal user) does not write its own login or e-mail address: they identify it on the
        platform and were checked at signup (professional address, activation link). Odoo lets every user write
        its own e-mail (SELF_WRITEABLE_FIELDS, written as superuser): refused here for members, who change their
        address with `action_lbc_request_email_change` (the new address is confirmed before it takes effect)."""
        for user in self:
            if user != self.env.user or not user.share:
                continue
            for fname in ("login", "email"):
                if fname in vals and (vals[fname] or False) != (user[fname] or False):
                    raise UserError(
                        self.env._(
                            "Your e-mail address and login cannot be written directly: change them from My account "
                            "(the new address is confirmed by a link sent to it)."
                        )
                    )

    # --- change of e-mail address ------------------------------------------------------
    def action_lbc_request_email_change(self, new_email):
        """The member asks to change its e-mail address (its login too): a confirmation link is sent to the new
        address, which takes effect only when the link is followed (`_lbc_confirm_email_change`). The new address
        follows the professional e-mail rule and must not be another account's."""
        self.ensure_one()
        if self != self.env.user or not self.share:
            raise AccessError(self.env._("Members change their own e-mail address only; LBC changes the others."))
        email = self._lbc_check_professional_email(new_email)
        if email == email_normalize(self.login or "") or email == email_normalize(self.email or ""):
            raise UserError(self.env._("%(email)s is already your e-mail address.", email=email))
        if self._lbc_login_taken(email):
            raise UserError(self.env._("%(email)s is the address of another account.", email=email))
        # at most one confirmation e-mail every few minutes (nobody's mailbox is flooded through LBC)
        sent = self.partner_id.lbc_activation_sent_date
        if sent and sent + timedelta(minutes=ACTIVATION_RESEND_MINUTES) > fields.Datetime.now():
            raise UserError(
                self.env._(
                    "A confirmation e-mail was sent less than %(minutes)s minutes ago: follow its link, or ask again "
                    "later.",
                    minutes=ACTIVATION_RESEND_MINUTES,
                )
            )
        hours = self._lbc_activation_validity_hours()
        # sudo: the HMAC key is the database secret; the token is bound to the user, its current login and the
        # new address, so that it works once (the login changes) and for this member only
        token = hash_sign(self.sudo().env, EMAIL_CHANGE_SCOPE, [self.id, self.login, email], expiration_hours=hours)
        url = f"{self.get_base_url()}/my/lbc/account/email/confirm?{urlencode({'token': token})}"
        template = self.env.ref("lbc_base.mail_template_member_email_change")
        # sudo: the template renders for the member's own user; the mail goes to the new address only
        template.sudo().with_context(lbc_email_change_url=url, lbc_email_change_to=email).send_mail(
            self.id, email_values={"email_to": email}
        )
        self.partner_id._lbc_workflow_write({"lbc_activation_sent_date": fields.Datetime.now()})
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
        self.partner_id.sudo().message_post(  # sudo: a note on the member's own partner
            body=self.env._("Change of e-mail address to %(email)s asked: confirmation link sent.", email=email),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _lbc_confirm_email_change(self, token):
        """Follow the confirmation link of a change of address, as the member signed in: the new address becomes
        its e-mail and login. Raises UserError when the link is not this member's, expired or already used."""
        self.ensure_one()
        try:
            payload = verify_hash_signed(self.sudo().env, EMAIL_CHANGE_SCOPE, token) if token else None
        except (ValueError, binascii.Error, UnicodeDecodeError):
            payload = None
        if not (isinstance(payload, list) and len(payload) == 3):
            raise UserError(self.env._("This confirmation link is not valid or has expired: ask for the change again."))
        user_id, login, email = payload
        if user_id != self.id or self != self.env.user:
            raise UserError(self.env._("This confirmation link was sent for another account: sign in with it."))
        if login != self.login:
            raise UserError(self.env._("This confirmation link was already used."))
        email = self._lbc_check_professional_email(email)
        if self._lbc_login_taken(email):
            raise UserError(self.env._("%(email)s is the address of another account.", email=email))
        old = self.email
        # sudo: members may not write their login and e-mail (write above); the link proved the new address
        self.sudo().write({"login": email, "email": email})
        self.partner_id.sudo().message_post(  # sudo: a note on the member's own partner
            body=self.env._("E-mail address changed from %(old)s to %(new)s (confirmed).", old=old, new=email),
            subtype_xmlid="mail.mt_note",
        )
        return True

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
        if state == "pending":
            _logger.info("Sign-in refused to user %s: its account is not activated yet", self.id)
            raise AccessDenied(
                self.env._(
                    "Your account is not activated yet: follow the link of the activation e-mail sent to "
                    "%(email)s, or ask for a new one (link below).",
                    email=partner.email,
                )
            )
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

    # --- activation by e-mail ------------------------------------------------------------
    @api.model
    def signup(self, values, token=None):
        """A signup link of Odoo (a password reset asked by a member who lost its password or its activation
        e-mail) proves the address: the pending account is activated with the password chosen."""
        partner = self.env["res.partner"]
        if token:
            partner = self.env["res.partner"]._signup_retrieve_partner(token, check_validity=True, raise_exception=True)
        result = super().signup(values, token)
        if partner.lbc_account_state == "pending":
            partner.user_ids[:1]._lbc_activation_done()
        return result

    @api.model
    def _lbc_signup_token_user(self, token):
        """The account that a valid signup `token` already belongs to (a password reset link), else empty.

        sudo: called before anybody is signed in; the token (signed, expiring) is the proof.
        """
        if not token or self._lbc_signup_token_payload(token) is None:
            return self.browse()
        partner = self.env["res.partner"].sudo()._get_partner_from_token(token)
        return partner.user_ids[:1] if partner else self.browse()

    @api.model
    def _lbc_login_taken(self, login):
        """Whether an account (archived ones too) has the login `login`: the signup form says so, as Odoo's."""
        # sudo: the visitor is not signed in; only whether the login it typed is taken is returned
        Users = self.sudo().with_context(active_test=False)
        return bool(login) and bool(Users.search_count(self._get_login_domain(login), limit=1))

    # --- activation ------------------------------------------------------------------
    @api.model
    def _lbc_activation_validity_hours(self):
        value = self.env["ir.config_parameter"].sudo().get_param(ACTIVATION_VALIDITY_PARAM)
        return int(value) if str(value or "").isdigit() and int(value) > 0 else ACTIVATION_VALIDITY_HOURS

    def _lbc_activation_start(self):
        """Close the new accounts until their activation link is followed, and send it."""
        for user in self:
            user.partner_id._lbc_lifecycle_write({"lbc_account_state": "pending"})
            user._lbc_activation_send()

    def _lbc_activation_send(self):
        """E-mail the activation link (a new signup token, valid `_lbc_activation_validity_hours` hours).

        The mail is queued in the transaction (sent by the mail queue once committed, never twice on a replay).
        """
        self.ensure_one()
        # sudo: the signup token and its type are readable by administrators only
        partner = self.partner_id.sudo()
        hours = self._lbc_activation_validity_hours()
        partner.signup_prepare(signup_type=ACTIVATION_SIGNUP_TYPE)
        token = partner._generate_signup_token(expiration=hours)
        url = f"{partner.get_base_url()}/web/activate?{urlencode({'token': token})}"
        template = self.env.ref("lbc_base.mail_template_member_activation")
        template.sudo().with_context(lbc_activation_url=url, lbc_activation_hours=hours).send_mail(self.id)
        partner._lbc_lifecycle_write({"lbc_activation_sent_date": fields.Datetime.now()})
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
        _logger.info("Activation e-mail queued for user %s", self.id)

    @api.model
    def _lbc_activation_resend(self, login):
        """Send a new activation link to the pending account signed up with `login` (a visitor's request).

        Nothing is said about other addresses (no account, or an active one): the caller shows the same answer.
        Refused (UserError) within ACTIVATION_RESEND_MINUTES of the previous e-mail.
        """
        login = (login or "").strip()
        if not login:
            raise UserError(self.env._("Please enter the e-mail address you signed up with."))
        # sudo: the visitor is not signed in; only a pending account with exactly this login is looked up
        user = self.sudo().search(self._get_login_domain(login), order=self._get_login_order(), limit=1)
        if not user or user.partner_id.lbc_account_state != "pending":
            _logger.info("Activation e-mail asked for %s: no account awaiting activation", login)
            return False
        sent = user.partner_id.lbc_activation_sent_date
        wait = sent and sent + timedelta(minutes=ACTIVATION_RESEND_MINUTES) - fields.Datetime.now()
        if wait and wait.total_seconds() > 0:
            raise UserError(
                self.env._(
                    "An activation e-mail was sent less than %(minutes)s minutes ago: check your mailbox (and its "
                    "spam folder), or ask again in %(wait)s minute(s).",
                    minutes=ACTIVATION_RESEND_MINUTES,
                    wait=int(wait.total_seconds() // 60) + 1,
                )
            )
        user._lbc_activation_send()
        return True

    @api.model
    def _lbc_activation_token_status(self, token):
        """(status, partner) of an activation link's `token`: "valid" (the partner awaits activation),
        "expired", "used" (already followed, or replaced by a newer sign-up link), or "invalid" (tampered with,
        or not an activation link); partner is empty unless the token's signature is LBC's."""
        Partner = self.env["res.partner"].sudo()
        payload = self._lbc_signup_token_payload(token)
        if payload is None:
            return "invalid", Partner
        expiration, values = payload
        if not (isinstance(values, list) and len(values) == 4 and isinstance(values[0], int)):
            return "invalid", Partner
        partner = Partner.browse(values[0]).exists()
        if not partner or values[3] != ACTIVATION_SIGNUP_TYPE:
            return "invalid", Partner
        if partner.lbc_account_state not in ("pending", "active"):
            return "invalid", Partner
        if partner.lbc_account_state == "active":
            return "used", partner
        if expiration and datetime.now().timestamp() >= expiration:
            return "expired", partner
        # Odoo's own check: the same users, the same last sign-in and the token type still awaited
        if Partner._get_partner_from_token(token) != partner:
            return "used", partner
        return "valid", partner

    @api.model
    def _lbc_signup_token_payload(self, token):
        """(expiration timestamp, values) of an auth_signup token whose signature is right, else None.

        Odoo's `tools.verify_hash_signed` says only "valid or not": the expiry is read here too so that the page
        tells an expired link from a forged one (the same format: version, expiry, HMAC-SHA256, JSON values).
        """
        if not isinstance(token, str) or not token or len(token) > 2048:
            return None
        try:
            raw = base64.urlsafe_b64decode(token.encode() + b"===")
            message = raw[41:].decode()
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None
        if raw[:1] != b"\x01" or len(raw) <= 41:
            return None
        expiration = int.from_bytes(raw[1:9], byteorder="little")
        # sudo: the HMAC key is the database secret (a system parameter)
        expected = hmac(self.sudo().env, "signup", f"1:{message}:{expiration}", hash_function=hashlib.sha256)
        if not consteq(raw[9:41].hex(), expected):
            return None
        try:
            return expiration, json.loads(message)
        except ValueError:
            return None

    @api.model
    def _lbc_activate(self, token):
        """Follow an activation link: (status, user), status as `_lbc_activation_token_status`, "activated" when
        this call opened the account. Called by the public page /web/activate (the token is the proof)."""
        status, partner = self._lbc_activation_token_status(token)
        user = partner.user_ids[:1]
        if status != "valid":
            _logger.info("Activation link refused (%s) for partner %s", status, partner.id)
            return status, user
        user._lbc_activation_done()
        return "activated", user

    def _lbc_activation_done(self):
        """Open the pending accounts (their address is proved) and end their activation links."""
        for user in self:
            partner = user.partner_id.sudo()
            if partner.lbc_account_state != "pending":
                continue
            partner.signup_cancel()
            partner._lbc_lifecycle_write({"lbc_account_state": "active", "lbc_activation_sent_date": False})
            partner.message_post(
                body=self.env._(
                    "Account activated: the member confirmed its e-mail address %(email)s.", email=user.email
                ),
                subtype_xmlid="mail.mt_note",
            )
            _logger.info("Account of user %s activated", user.id)


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
