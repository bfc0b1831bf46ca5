import base64
import io
import json
import logging
import re
import secrets
import zipfile
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import consteq

_logger = logging.getLogger(__name__)

ACCOUNT_STATES = [
    ("pending", "Awaiting Activation"),
    ("active", "Active"),
    ("suspended", "Suspended"),
    ("deactivated", "Deactivated"),
    ("anonymised", "Anonymised"),
]
DEACTIVATION_REASONS = [
    ("inactivity", "Inactivity"),
    ("deletion", "Deletion requested by the member"),
    ("death", "Death"),
    ("termination", "Termination for breach"),
]
INACTIVITY_MONTHS = 36
REACTIVATION_DAYS = 30
DELETION_DELAY_HOURS = 48
CURE_DAYS = 8
LIFECYCLE_BATCH = 200
# Personal fields blanked on anonymisation (the partner keeps its links to contracts and invoices).
ANONYMISED_PARTNER_FIELDS = (
    "email",
    "phone",
    "street",
    "street2",
    "zip",
    "city",
    "function",
    "website",
    "comment",
    "vat",
    "ref",
    "image_1920",
)
# Preferences a member sets itself (opposition); other addons (lbc_social) add their visibility settings.
PRIVACY_FIELDS = {"lbc_marketing_opt_out"}
# Fields of the member written only by the lifecycle methods.
LIFECYCLE_FIELDS = {
    "lbc_account_state",
    "lbc_activation_sent_date",
    "lbc_deactivation_date",
    "lbc_deactivation_reason",
    "lbc_deletion_requested_date",
    "lbc_suspension_date",
    "lbc_suspension_deadline",
    "lbc_suspension_reason",
    "lbc_heirs_court_order",
    "lbc_death_date",
    "lbc_anonymised_date",
}


class LbcMemberLifecycleMixin(models.AbstractModel):
    """The life of a member's account (res.partner inherits it): states, deletion, suspension, death,
    anonymisation, personal data export and the daily lifecycle run."""

    _name = "lbc.member.lifecycle.mixin"
    _description = "Member Account Lifecycle"

    # written only by the lifecycle actions (res.partner inherits lbc.workflow.mixin, which guards them)
    _lbc_workflow_fields = (*sorted(LIFECYCLE_FIELDS), "lbc_reactivation_deadline")

    lbc_account_state = fields.Selection(
        ACCOUNT_STATES,
        string="Account Status",
        default="active",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="Life of the member's account: a member awaiting activation (signed up, activation link not followed "
        "yet), suspended, deactivated or anonymised cannot sign in.",
    )
    lbc_activation_sent_date = fields.Datetime(
        string="Confirmation E-mail Sent On",
        readonly=True,
        copy=False,
        help="The last e-mail confirming the member's address (activation of an account made with the signup form, "
        "or change of address): a new one can be asked a few minutes later.",
    )
    lbc_deactivation_date = fields.Datetime(string="Deactivated On", readonly=True, copy=False)
    lbc_deactivation_reason = fields.Selection(
        DEACTIVATION_REASONS, string="Deactivation Reason", readonly=True, copy=False, tracking=True
    )
    lbc_reactivation_deadline = fields.Datetime(
        string="Reactivation Possible Until",
        compute="_compute_lbc_reactivation_deadline",
        help="After this date the member's personal data are anonymised.",
    )
    lbc_deletion_requested_date = fields.Datetime(
        string="Deletion Requested On",
        readonly=True,
        copy=False,
        tracking=True,
        help="The member asked to delete its account: it is deactivated within 48 hours.",
    )
    lbc_suspension_date = fields.Datetime(string="Suspended On", readonly=True, copy=False)
    lbc_suspension_deadline = fields.Datetime(
        string="Breach to Cure Before",
        readonly=True,
        copy=False,
        help="Suspension with formal notice: LBC may terminate the account if the breach is not cured by then. "
        "Empty for an immediate suspension (manifest violation).",
    )
    lbc_suspension_reason = fields.Text(string="Suspension Reason", readonly=True, copy=False, tracking=True)
    lbc_death_date = fields.Date(string="Deceased On", readonly=True, copy=False)
    lbc_heirs_court_order = fields.Boolean(
        string="Content to Heirs by Court Decision Only",
        readonly=True,
        copy=False,
        tracking=True,
        help="Set on a proven death: no export of the member's data is possible; LBC hands the content over "
        "to the heirs only on a court decision.",
    )
    lbc_anonymised_date = fields.Datetime(string="Anonymised On", readonly=True, copy=False)
    lbc_marketing_opt_out = fields.Boolean(
        string="No Marketing E-mails",
        help="The member objects to marketing e-mails (newsletters, offers): only service e-mails are sent.",
    )

    @api.depends("lbc_deactivation_date")
    def _compute_lbc_reactivation_deadline(self):
        for partner in self:
            partner.lbc_reactivation_deadline = (
                partner.lbc_deactivation_date + relativedelta(days=REACTIVATION_DAYS)
                if partner.lbc_deactivation_date
                else False
            )

    # --- helpers ----------------------------------------------------------------
    def _lbc_lifecycle_write(self, vals):
        """Write lifecycle fields (the only path that does: the callers checked the actor) and refresh sessions
        and cached rules."""
        self._lbc_workflow_write(vals)
        # the account state is part of the users' session token (res.users._get_session_token_fields), read
        # in SQL: store it now, then clearing the caches logs the member out everywhere when its state changes
        self.env["res.users"].flush_model(["lbc_account_state"])
        self.env.registry.clear_cache()

    def _lbc_lifecycle_mail(self, template_xmlid):
        """E-mail the member (the step is logged in its chatter)."""
        for partner in self.filtered("email"):
            partner.sudo().message_post_with_source(template_xmlid, subtype_xmlid="mail.mt_comment")

    def _lbc_lifecycle_note(self, body):
        for partner in self:
            partner.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")

    def _lbc_check_member(self):
        for partner in self:
            if partner.is_company:
                raise UserError(self.env._("%(name)s is a company, not a member.", name=partner.display_name))

    def _lbc_check_self_or_operator(self):
        if self._lbc_is_operator():
            return
        if self != self.env.user.partner_id:
            raise AccessError(self.env._("A member manages only its own account."))

    def _lbc_check_account_state(self, allowed, action):
        labels = dict(self._fields["lbc_account_state"]._description_selection(self.env))
        for partner in self:
            if partner.lbc_account_state not in allowed:
                raise UserError(
                    self.env._(
                        "The account of %(member)s cannot be %(action)s: it is %(state)s.",
                        member=partner.display_name,
                        action=action,
                        state=labels[partner.lbc_account_state],
                    )
                )

    # --- privacy preferences (opposition) ----------------------------------------------
    def action_lbc_update_privacy(self, vals):
        """The member sets its privacy preferences (e.g. no marketing e-mails) from its account."""
        self.ensure_one()
        self._lbc_check_self_or_operator()
        forbidden = set(vals) - PRIVACY_FIELDS
        if forbidden:
            raise AccessError(
                self.env._("These fields are not privacy preferences: %(fields)s.", fields=", ".join(sorted(forbidden)))
            )
        self.sudo().write(vals)
        return True

    # --- marketing e-mails: opposition (C55) -------------------------------------------
    def _lbc_marketing_recipients(self):
        """The partners of self that may receive e-mails which are not transactional (digests, alerts,
        newsletters): an e-mail address and no objection to marketing e-mails."""
        return self.filtered(lambda partner: partner.email and not partner.lbc_marketing_opt_out)

    def _lbc_unsubscribe_token(self):
        self.ensure_one()
        return tools.hmac(self.env(su=True), "lbc-marketing-unsubscribe", self.id)

    def _lbc_unsubscribe_url(self):
        """The link that, in every non-transactional e-mail, lets its recipient object to such e-mails in one
        step, without signing in (signed for that recipient only)."""
        self.ensure_one()
        return f"{self.get_base_url()}/lbc/unsubscribe/{self.id}/{self._lbc_unsubscribe_token()}"

    @api.model
    def _lbc_unsubscribe_partner(self, partner_id, token):
        """The partner a signed unsubscribe link names, or an empty recordset when the link is not valid."""
        try:
            partner = self.sudo().browse(int(partner_id)).exists()
        except (TypeError, ValueError):
            return self.browse()
        if not partner or not consteq(partner._lbc_unsubscribe_token(), str(token or "")):
            return self.browse()
        return partner

    @api.model
    def _lbc_unsubscribe(self, partner_id, token):
        """Public (signed link): the recipient objects to marketing e-mails. Returns the partner; refused with a
        clear message when the link is not valid."""
        partner = self._lbc_unsubscribe_partner(partner_id, token)
        if not partner:
            raise UserError(self.env._("This unsubscribe link is not valid. Sign in to set your e-mail preferences."))
        if not partner.lbc_marketing_opt_out:
            partner.write({"lbc_marketing_opt_out": True})
            partner.message_post(
                body=self.env._("Objected to marketing e-mails through the unsubscribe link of an e-mail."),
                subtype_xmlid="mail.mt_note",
            )
        return partner

    # --- deletion by the member ---------------------------------------------------
    def _lbc_deletion_blockers(self):
        """Reasons why deleting this member's account would break a running contract (extended by addons
        that hold contracts, e.g. lbc_tender's missions). Returns a list of texts, empty when allowed."""
        self.ensure_one()
        return []

    def action_lbc_request_deletion(self):
        """The member deletes its account (My account → Settings): deactivated within 48 hours, reactivable on
        request for 30 days, then anonymised. Refused, with the reason, while it would break a running contract."""
        self._lbc_check_member()
        for partner in self:
            partner._lbc_check_self_or_operator()
            partner._lbc_check_account_state(("active",), self.env._("deleted"))
            if partner.lbc_deletion_requested_date:
                continue
            blockers = partner.sudo()._lbc_deletion_blockers()
            if blockers:
                raise UserError(
                    self.env._(
                        "Your account cannot be deleted now: %(reasons)s",
                        reasons=" ".join(blockers),
                    )
                )
            partner._lbc_lifecycle_write({"lbc_deletion_requested_date": fields.Datetime.now()})
            partner._lbc_lifecycle_mail("lbc_base.mail_template_member_deletion_requested")
        return True

    def action_lbc_cancel_deletion(self):
        """Withdraw a deletion request that was not carried out yet."""
        for partner in self:
            partner._lbc_check_self_or_operator()
            if partner.lbc_deletion_requested_date and partner.lbc_account_state == "active":
                partner._lbc_lifecycle_write({"lbc_deletion_requested_date": False})
                partner._lbc_lifecycle_note(self.env._("Deletion request withdrawn."))
        return True

    # --- deactivation and reactivation ----------------------------------------------
    def _lbc_deactivate(self, reason):
        """Deactivate the accounts (the member cannot sign in; its company's contracts go on)."""
        template = {
            "inactivity": "lbc_base.mail_template_member_deactivated_inactivity",
            "deletion": "lbc_base.mail_template_member_deactivated_deletion",
            "termination": "lbc_base.mail_template_member_terminated",
        }.get(reason)
        for partner in self:
            if partner.lbc_account_state in ("deactivated", "anonymised"):
                continue
            partner._lbc_lifecycle_write(
                {
                    "lbc_account_state": "deactivated",
                    "lbc_deactivation_date": fields.Datetime.now(),
                    "lbc_deactivation_reason": reason,
                }
            )
            if template:
                partner._lbc_lifecycle_mail(template)
        return True

    def action_lbc_reactivate(self):
        """Reactivate a deactivated account within 30 days of its deactivation (LBC on request, or the member
        itself for an inactivity deactivation). Deaths and terminations are reactivated by LBC only."""
        now = fields.Datetime.now()
        for partner in self:
            is_operator = self._lbc_is_operator()
            partner._lbc_check_self_or_operator()
            partner._lbc_check_account_state(("deactivated",), self.env._("reactivated"))
            if not is_operator and partner.lbc_deactivation_reason != "inactivity":
                raise AccessError(self.env._("Please ask LBC to reactivate your account."))
            if partner.lbc_reactivation_deadline and now > partner.lbc_reactivation_deadline:
                raise UserError(
                    self.env._(
                        "The account of %(member)s was deactivated more than %(days)s days ago: it can no longer be "
                        "reactivated.",
                        member=partner.display_name,
                        days=REACTIVATION_DAYS,
                    )
                )
            partner._lbc_lifecycle_write(
                {
                    "lbc_account_state": "active",
                    "lbc_deactivation_date": False,
                    "lbc_deactivation_reason": False,
                    "lbc_deletion_requested_date": False,
                    "lbc_heirs_court_order": False,
                    "lbc_death_date": False,
                }
            )
            partner._lbc_lifecycle_mail("lbc_base.mail_template_member_reactivated")
        return True

    # --- death ---------------------------------------------------------------------
    def action_lbc_record_death(self, death_date=None, note=None):
        """LBC deactivates the account on proof of death; the content goes to heirs only by court decision."""
        self._lbc_check_operator()
        self._lbc_check_member()
        for partner in self:
            partner._lbc_check_account_state(("active", "suspended", "deactivated"), self.env._("closed"))
            partner._lbc_lifecycle_write(
                {
                    "lbc_account_state": "deactivated",
                    "lbc_deactivation_date": fields.Datetime.now(),
                    "lbc_deactivation_reason": "death",
                    "lbc_death_date": death_date or fields.Date.context_today(self),
                    "lbc_heirs_court_order": True,
                }
            )
            partner._lbc_lifecycle_note(self.env._("Account closed on proof of death. %(note)s", note=note or ""))
        return True

    # --- suspension for a breach ------------------------------------------------------
    def action_lbc_suspend_member(self, reason=None, notice=True):
        """LBC suspends the member for a breach: with a formal notice (8 days to cure it, then LBC may
        terminate) or, for a manifest violation, immediately without notice (`notice=False`)."""
        self._lbc_check_operator()
        self._lbc_check_member()
        if not reason or not reason.strip():
            raise UserError(self.env._("Please give a reason: it is sent to the member."))
        now = fields.Datetime.now()
        for partner in self:
            partner._lbc_check_account_state(("active",), self.env._("suspended"))
            partner._lbc_lifecycle_write(
                {
                    "lbc_account_state": "suspended",
                    "lbc_suspension_date": now,
                    "lbc_suspension_deadline": now + relativedelta(days=CURE_DAYS) if notice else False,
                    "lbc_suspension_reason": reason.strip(),
                }
            )
            partner._lbc_lifecycle_mail(
                "lbc_base.mail_template_member_suspended_notice"
                if notice
                else "lbc_base.mail_template_member_suspended_now"
            )
        return True

    def action_lbc_lift_member_suspension(self):
        """The breach is cured: the member signs in again."""
        self._lbc_check_operator()
        self._lbc_check_account_state(("suspended",), self.env._("reinstated"))
        self._lbc_lifecycle_write(
            {"lbc_account_state": "active", "lbc_suspension_deadline": False, "lbc_suspension_date": False}
        )
        self._lbc_lifecycle_mail("lbc_base.mail_template_member_reactivated")
        return True

    def action_lbc_terminate_member(self, reason=None):
        """LBC terminates a suspended member whose breach was not cured within 8 days of the formal notice
        (at once after an immediate suspension): the account closes, running contracts follow their terms."""
        self._lbc_check_operator()
        now = fields.Datetime.now()
        for partner in self:
            partner._lbc_check_account_state(("suspended",), self.env._("terminated"))
            if partner.lbc_suspension_deadline and now < partner.lbc_suspension_deadline:
                raise UserError(
                    self.env._(
                        "%(member)s has until %(date)s to cure the breach: the account can be terminated after.",
                        member=partner.display_name,
                        date=fields.Datetime.to_string(partner.lbc_suspension_deadline),
                    )
                )
            if reason:
                partner._lbc_lifecycle_write({"lbc_suspension_reason": reason.strip()})
            partner._lbc_deactivate("termination")
        return True

    def action_lbc_open_lifecycle_wizard(self, action="suspend_notice"):
        """LBC's account action wizard, preset on `action` (the wizard's actions check LBC again)."""
        self._lbc_check_operator()
        if action not in dict(self.env["res.partner.lbc.lifecycle"]._fields["action"].selection):
            raise UserError(self.env._("Unknown action."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Account Action"),
            "res_model": "res.partner.lbc.lifecycle",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_ids": self.ids,
                "default_action": action,
            },
        }

    def action_lbc_open_member_suspend_wizard(self):
        return self.action_lbc_open_lifecycle_wizard("suspend_notice")

    def action_lbc_open_terminate_wizard(self):
        return self.action_lbc_open_lifecycle_wizard("terminate")

    def action_lbc_open_death_wizard(self):
        return self.action_lbc_open_lifecycle_wizard("death")

    # --- anonymisation --------------------------------------------------------------------
    def action_lbc_anonymise(self):
        """LBC anonymises the member at once (on request; the button asks for a confirmation)."""
        self._lbc_check_operator()
        self._lbc_check_member()
        blocked = self.filtered(lambda p: p.lbc_account_state == "active" and p.sudo()._lbc_deletion_blockers())
        if blocked:
            raise UserError(
                self.env._(
                    "%(member)s cannot be anonymised: %(reasons)s",
                    member=blocked[0].display_name,
                    reasons=" ".join(blocked[0].sudo()._lbc_deletion_blockers()),
                )
            )
        self._lbc_anonymise()
        return True

    def _lbc_anonymise(self):
        """Remove the personal data of the members from every searchable field. Contracts and invoices keep
        pointing to the (now anonymous) partner, as the law requires them to be kept."""
        env = self.sudo().env
        for partner in self.sudo():
            if partner.lbc_account_state == "anonymised":
                continue
            label = self.env._("Anonymised member %(id)s", id=partner.id)
            users = partner.with_context(active_test=False).user_ids
            old_values = [v for v in (partner.name, partner.email, partner.phone) if v]
            for user in users:
                user.write(
                    {
                        "login": f"anonymised-{user.id}-{secrets.token_hex(4)}",
                        "password": secrets.token_urlsafe(32),
                        "active": False,
                        "signature": False,
                    }
                )
                if "totp_secret" in user._fields:
                    user.write({"totp_secret": False})
                if "oauth_uid" in user._fields:  # auth_oauth: the identity at LinkedIn (or another provider)
                    user.write({"oauth_provider_id": False, "oauth_uid": False, "oauth_access_token": False})
                env["res.users.apikeys"].search([("user_id", "=", user.id)]).unlink()
                if "res.device.log" in env:
                    env["res.device.log"].search([("user_id", "=", user.id)]).unlink()
            if "lbc.profile" in env:
                profiles = env["lbc.profile"].with_context(active_test=False).search([("partner_id", "=", partner.id)])
                text_fields = [
                    name
                    for name, field in profiles._fields.items()
                    if field.type in ("char", "text", "html") and field.store and not field.related and name != "name"
                ]
                if profiles and text_fields:
                    profiles.write(dict.fromkeys(text_fields, False))
            vals = dict.fromkeys(ANONYMISED_PARTNER_FIELDS, False)
            vals.update({"name": label, "active": False, "lbc_marketing_opt_out": True})
            partner.with_context(mail_notrack=True, tracking_disable=True).write(vals)
            partner._lbc_scrub_messages(old_values)
            partner._lbc_lifecycle_write(
                {
                    "lbc_account_state": "anonymised",
                    "lbc_anonymised_date": fields.Datetime.now(),
                    "lbc_suspension_reason": False,
                }
            )
            partner.message_post(body=self.env._("Personal data anonymised."), subtype_xmlid="mail.mt_note")
        return True

    def _lbc_scrub_messages(self, old_values):
        """Remove the old name, e-mail and phone from the messages and tracking values that hold them."""
        self.ensure_one()
        Message = self.env["mail.message"].sudo()
        authored = Message.search([("author_id", "=", self.id)])
        authored.write({"email_from": False})
        own = Message.search([("model", "=", "res.partner"), ("res_id", "=", self.id)])
        self.env["mail.tracking.value"].sudo().search([("mail_message_id", "in", own.ids)]).unlink()
        self.env["mail.mail"].sudo().search([("recipient_ids", "in", self.ids)]).unlink()
        # messages that may quote the member: its own chatter, its company's ("X joined the company"), its own
        scope = own | authored
        if self.parent_id:
            scope |= Message.search([("model", "=", "res.partner"), ("res_id", "=", self.parent_id.id)])
        for value in old_values:
            pattern = re.compile(re.escape(value), re.IGNORECASE)
            for message in scope.filtered(lambda m, v=value: m.body and v.lower() in str(m.body).lower()):
                message.body = Markup(pattern.sub("***", str(message.body)))  # the body was sanitised HTML

    # --- personal data export --------------------------------------------------------------
    def _lbc_personal_data(self):
        """The member's personal data as a JSON-serialisable dict (extended by addons holding more)."""
        self.ensure_one()
        partner = self.sudo()
        user = partner.with_context(active_test=False).user_ids[:1]

        def clean(value):
            if isinstance(value, models.BaseModel):
                return value.display_name
            if isinstance(value, (datetime, date)):
                return value.isoformat()
            return value

        profile_fields = [
            "name",
            "email",
            "phone",
            "street",
            "street2",
            "zip",
            "city",
            "country_id",
            "function",
            "lang",
            "tz",
            "lbc_profile_type",
            "lbc_marketing_opt_out",
            "lbc_account_state",
            "create_date",
        ]
        data = {
            "generated_on": fields.Datetime.now().isoformat(),
            "profile": {name: clean(partner[name]) for name in profile_fields if name in partner._fields},
            "company": partner.parent_id.name or None,
            "company_roles": [
                {"company": r.member_company_id.name, "role": r.role, "verification": r.verification_state}
                for r in partner.lbc_member_role_ids
            ],
            "agreement_acceptances": [
                {
                    "agreement": a.agreement_id.name,
                    "version": a.agreement_id.version,
                    "date": clean(a.create_date),
                    "ip_address": a.ip_address,
                }
                for a in self.env["lbc.agreement.acceptance"].sudo().search([("partner_id", "=", partner.id)])
            ],
            "join_requests": [
                {"company": j.member_company_id.name, "state": j.state, "date": clean(j.create_date)}
                for j in self.env["lbc.join.request"].sudo().search([("member_id", "=", partner.id)])
            ],
            "messages": [
                {"date": clean(m.date), "model": m.model, "subject": m.subject, "body": str(m.body or "")}
                for m in self.env["mail.message"]
                .sudo()
                .search([("author_id", "=", partner.id), ("message_type", "in", ("comment", "email"))], limit=5000)
            ],
        }
        if user:
            data["account"] = {
                "login": user.login,
                "created_on": clean(user.create_date),
                "last_login": clean(user.login_date),
                "two_factor_enabled": bool(user.totp_enabled) if "totp_enabled" in user._fields else None,
            }
        if "lbc.profile" in self.env:
            profiles = (
                self.env["lbc.profile"].sudo().with_context(active_test=False).search([("partner_id", "=", partner.id)])
            )
            data["social_profile"] = [
                {
                    name: clean(profile[name])
                    for name, field in profile._fields.items()
                    if field.store and field.type in ("char", "text", "html", "date", "boolean", "selection")
                }
                for profile in profiles
            ]
        return data

    def _lbc_personal_files(self):
        """The member's files: its picture, the attachments of its record and the files it uploaded."""
        self.ensure_one()
        partner = self.sudo()
        user = partner.with_context(active_test=False).user_ids[:1]
        domain = Domain("res_model", "=", "res.partner") & Domain("res_id", "=", partner.id)
        if user:
            domain |= Domain("create_uid", "=", user.id)
        domain &= Domain("res_field", "=", False)
        attachments = self.env["ir.attachment"].sudo().search(domain, limit=1000)
        files = []
        if partner.image_1920:
            files.append(("picture.png", base64.b64decode(partner.image_1920)))
        for attachment in attachments.filtered(lambda a: a.type == "binary"):
            files.append((f"files/{attachment.id}-{attachment.name}", attachment.raw or b""))
        return files

    def _lbc_check_export_allowed(self):
        self.ensure_one()
        if self.sudo().lbc_heirs_court_order:
            raise AccessError(
                self.env._("The data of this account are handed over only on a court decision: no export is possible.")
            )

    def _lbc_personal_data_zip(self):
        """Build the member's personal data archive (data.json and its files). Returns (filename, bytes)."""
        self.ensure_one()
        self._lbc_check_self_or_operator()
        self._lbc_check_export_allowed()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "data.json", json.dumps(self._lbc_personal_data(), indent=2, ensure_ascii=False, default=str)
            )
            for name, content in self._lbc_personal_files():
                archive.writestr(name, content)
        self.sudo().message_post(body=self.env._("Personal data exported."), subtype_xmlid="mail.mt_note")
        return f"lbc-personal-data-{self.id}.zip", buffer.getvalue()

    def action_lbc_export_personal_data(self):
        """LBC downloads a member's data on its request (same archive as the member's own download)."""
        self.ensure_one()
        self._lbc_check_operator()
        self._lbc_check_export_allowed()
        return {"type": "ir.actions.act_url", "url": f"/my/lbc/personal-data?partner_id={self.id}", "target": "self"}

    # --- subscriptions (lbc_erp_client) -----------------------------------------------------
    def _lbc_has_feature(self, code):
        """Whether a subscription of the member or its company opens the feature `code`."""
        self.ensure_one()
        if "lbc.subscription" not in self.env:
            return False
        return code in self.env["lbc.subscription"]._lbc_partner_features(self)

    def _lbc_filter_feature(self, code):
        """The partners of self that have the feature `code` (batch form of _lbc_has_feature: the subscriptions'
        addon may answer it in one query)."""
        return self.filtered(lambda partner: partner._lbc_has_feature(code))

    def _lbc_feature_upsell_message(self, code):
        if "lbc.subscription" not in self.env:
            return self.env._("This feature is not available.")
        return self.env["lbc.subscription"]._lbc_upsell_message(code)

    def _lbc_check_feature(self, code):
        """Raise a UserError telling which plans open `code` when the partner has none of them."""
        self.ensure_one()
        if not self._lbc_has_feature(code):
            raise UserError(self._lbc_feature_upsell_message(code))
        return True

    # --- daily lifecycle run ------------------------------------------------------------------
    @api.model
    def _lbc_commit_lifecycle(self, processed, remaining):
        """Commit the batch inside the cron; a plain call (tests, shell) stays in the caller's transaction."""
        if self.env.context.get("ir_cron_progress_id"):
            return self.env["ir.cron"]._commit_progress(processed=processed, remaining=remaining)
        self.env.flush_all()
        return float("inf")

    @api.model
    def _cron_lbc_lifecycle(self, batch_size=LIFECYCLE_BATCH):
        """Daily: deactivate inactive accounts and pending deletions, anonymise after 30 days, flag uncured
        breaches. In batches, safe to re-run."""
        stats = {"inactive": 0, "deleted": 0, "anonymised": 0, "breaches": 0}
        for step in (
            self._lbc_process_inactivity,
            self._lbc_process_deletion_requests,
            self._lbc_process_anonymisation,
            self._lbc_process_breach_deadlines,
        ):
            if not step(batch_size, stats):
                break
        _logger.info("lbc_base lifecycle cron: %s", stats)
        return stats

    def _lbc_run_batches(self, ids, batch_size, stats, key, action):
        for start in range(0, len(ids), batch_size):
            batch = self.sudo().browse(ids[start : start + batch_size])
            action(batch)
            stats[key] += len(batch)
            if not self._lbc_commit_lifecycle(len(batch), len(ids) - start - len(batch)):
                return False
        return True

    @api.model
    def _lbc_inactive_member_ids(self, cutoff):
        """Active members whose user last signed in (or, never signed in, was created) before `cutoff`."""
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT DISTINCT p.id
                 FROM res_users u
                 JOIN res_partner p ON p.id = u.partner_id
            LEFT JOIN (SELECT create_uid, max(create_date) AS last FROM res_users_log GROUP BY create_uid) l
                   ON l.create_uid = u.id
                WHERE u.active AND u.share AND p.lbc_account_state = 'active' AND NOT p.is_company
                  AND COALESCE(l.last, u.create_date) < %s
             ORDER BY p.id""",
            (cutoff,),
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _lbc_process_inactivity(self, batch_size=LIFECYCLE_BATCH, stats=None):
        stats = stats if stats is not None else {"inactive": 0}
        cutoff = fields.Datetime.now() - relativedelta(months=INACTIVITY_MONTHS)
        ids = self._lbc_inactive_member_ids(cutoff)
        return self._lbc_run_batches(ids, batch_size, stats, "inactive", lambda b: b._lbc_deactivate("inactivity"))

    @api.model
    def _lbc_process_deletion_requests(self, batch_size=LIFECYCLE_BATCH, stats=None):
        """Carry out the deletion requests (each daily run, so within 48 hours). A request that became
        blocked by a new contract is kept waiting and the member told why in the chatter."""
        stats = stats if stats is not None else {"deleted": 0}
        ids = (
            self.sudo().search([("lbc_account_state", "=", "active"), ("lbc_deletion_requested_date", "!=", False)]).ids
        )

        def deactivate(batch):
            for partner in batch:
                blockers = partner._lbc_deletion_blockers()
                if blockers:
                    partner._lbc_lifecycle_note(
                        self.env._("Deletion postponed: %(reasons)s", reasons=" ".join(blockers))
                    )
                    continue
                partner._lbc_deactivate("deletion")

        return self._lbc_run_batches(ids, batch_size, stats, "deleted", deactivate)

    @api.model
    def _lbc_process_anonymisation(self, batch_size=LIFECYCLE_BATCH, stats=None):
        """Anonymise the accounts deactivated (inactivity, deletion, termination) more than 30 days ago.
        Deceased members are kept for the heirs' court decision and anonymised by LBC."""
        stats = stats if stats is not None else {"anonymised": 0}
        cutoff = fields.Datetime.now() - relativedelta(days=REACTIVATION_DAYS)
        ids = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("lbc_account_state", "=", "deactivated"),
                    ("lbc_deactivation_reason", "in", ("inactivity", "deletion", "termination")),
                    ("lbc_deactivation_date", "<", cutoff),
                ]
            )
            .ids
        )
        return self._lbc_run_batches(ids, batch_size, stats, "anonymised", lambda b: b._lbc_anonymise())

    @api.model
    def _lbc_process_breach_deadlines(self, batch_size=LIFECYCLE_BATCH, stats=None):
        """Tell LBC (an activity on the member) when a formal notice expired without the breach cured."""
        stats = stats if stats is not None else {"breaches": 0}
        ids = (
            self.sudo()
            .search(
                [
                    ("lbc_account_state", "=", "suspended"),
                    ("lbc_suspension_deadline", "!=", False),
                    ("lbc_suspension_deadline", "<", fields.Datetime.now()),
                ]
            )
            .ids
        )

        def flag(batch):
            activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
            for partner in batch:
                summary = self.env._("Breach not cured: terminate the account?")
                if partner.activity_ids.filtered(lambda a, s=summary: a.summary == s):
                    continue
                partner.activity_schedule(
                    activity_type_id=activity_type.id if activity_type else False,
                    summary=summary,
                    note=partner.lbc_suspension_reason,
                )

        return self._lbc_run_batches(ids, batch_size, stats, "breaches", flag)
