import base64
import html
import io
import json
import logging
import re
import secrets
import unicodedata
import zipfile
from datetime import date, datetime

import psycopg2
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
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
# The erasure rule applied to each record privacy_lookup finds (see _lbc_privacy_rule, written in each log).
# Kept as the law requires (invoices and accounting 10 years, Code de commerce L123-22; contracts and their proofs for
# the limitation period): they name the company, and point to the member's contact, which no longer holds its data.
PRIVACY_KEPT_MODELS = {
    "account.move",
    "account.move.line",
    "account.payment",
    "account.bank.statement.line",
    "account.analytic.line",
    "sale.order",
    "sale.order.line",
    "purchase.order",
    "purchase.order.line",
    "lbc.agreement.acceptance",
    "lbc.compliance.document",
    "lbc.mission",
    "lbc.activity.report",
}
# Deleted: they only follow the person (no legal retention, no business record depends on them).
PRIVACY_DELETED_MODELS = {
    "mail.followers",
    "mail.notification",
    "mail.activity",
    "ir.attachment",
    "lbc.join.request",
}
# The person's data in free texts: the full name (never a first name alone), the e-mail addresses and the phone, matched
# as whole words or whole values, case and accents ignored; shorter names are not searched (too many false hits).
PRIVACY_MIN_NAME_LENGTH = 4
PRIVACY_MIN_PHONE_DIGITS = 6
PRIVACY_MASK = "***"
_PRIVACY_HTML_TOKEN = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
_PRIVACY_HTML_ATTRIBUTE = re.compile(r"""(=\s*)(?:"([^"]*)"|'([^']*)')""")


def _privacy_base_letter(char):
    """The letter without its accents, lower case ('É' -> 'e')."""
    return "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).lower()


_PRIVACY_ACCENTED = {}
for _code in range(0xC0, 0x250):
    _char = chr(_code)
    _base = _privacy_base_letter(_char)
    if len(_base) == 1 and _base.isascii() and _base.isalpha():
        _PRIVACY_ACCENTED.setdefault(_base, set()).add(_char.lower())


def _privacy_name_pattern(name):
    """Regex source of a full name as a whole word: case and accents ignored, any spacing, either apostrophe."""
    parts = []
    for char in name:
        if char.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif char in "'’":
            parts.append("['’]")
        elif char == "-":
            parts.append(r"\s*[-‐‑]\s*")
        else:
            base = _privacy_base_letter(char)
            variants = _PRIVACY_ACCENTED.get(base) if len(base) == 1 else None
            if variants:
                parts.append("[" + re.escape(base) + "".join(sorted(variants)) + "]")
            else:
                parts.append(re.escape(char))
    return r"(?<!\w)" + "".join(parts) + r"(?!\w)"


def _privacy_email_pattern(email):
    """Regex source of an e-mail address as a whole value (not the end of a longer address, nor its start)."""
    return r"(?<![\w.+-])" + re.escape(email) + r"(?![\w-]|\.\w)"


def _privacy_phone_pattern(phone):
    """Regex sources of a phone number as a whole number, whatever its separators (and its national form)."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < PRIVACY_MIN_PHONE_DIGITS:
        return []
    numbers = {digits}
    if phone.strip().startswith("+33") and digits.startswith("33"):
        numbers.add("0" + digits[2:])
    separators = r"[\s.\-/()]*"
    return [r"(?<![\d+])\+?" + separators.join(number) + r"(?!\d)" for number in sorted(numbers, key=len, reverse=True)]


def _privacy_replace_text(text, patterns):
    """The text with each match of the person's patterns replaced (the rest kept as it is)."""
    for regex, replacement in patterns:
        text = regex.sub(lambda _match, r=replacement: r, text)
    return text


def _privacy_replace_html(value, patterns):
    """The HTML with the person's data replaced in its texts and attribute values (a mailto: link, a title), the
    markup kept: tags are never matched, the replacement is escaped, untouched parts are left byte for byte."""

    def replace_escaped(escaped, quote):
        plain = html.unescape(escaped)
        replaced = _privacy_replace_text(plain, patterns)
        return escaped if replaced == plain else html.escape(replaced, quote=quote)

    def replace_attribute(match):
        if match.group(2) is not None:
            return f'{match.group(1)}"{replace_escaped(match.group(2), True)}"'
        return f"{match.group(1)}'{replace_escaped(match.group(3), True)}'"

    parts = []
    for index, token in enumerate(_PRIVACY_HTML_TOKEN.split(str(value))):
        if index % 2 == 0:
            parts.append(replace_escaped(token, False))
        elif token.startswith("<!--"):
            parts.append(token)
        else:
            parts.append(_PRIVACY_HTML_ATTRIBUTE.sub(replace_attribute, token))
    result = "".join(parts)
    return Markup(result) if isinstance(value, Markup) else result  # the sanitised HTML, re-escaped


# The e-mail fields privacy_lookup searches.
PRIVACY_EMAIL_FIELDS = ("email_normalized", "email", "email_from", "company_email")
# Models the scan of the links deleted with a contact (ondelete cascade) leaves to the contact's own anonymisation.
PRIVACY_NOT_SCANNED_MODELS = {
    "res.partner",
    "res.users",
    "mail.message",
    "privacy.log",
    "privacy.lookup.wizard",
    "privacy.lookup.wizard.line",
}
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
        """Erase the members' personal data, every record that holds them (see PRIVACY_RULE).

        For each member, Odoo's privacy lookup (privacy_lookup's wizard, run here without anybody clicking it)
        finds every record that holds the person by its name and e-mail across all models; each is anonymised,
        deleted or kept by the rule, and the privacy log (privacy.log, Settings > Technical > Privacy Logs and
        LBC > Members > Privacy Log) records each erasure, by whom (the operator, or the lifecycle cron's user).
        An anonymised member is skipped: running it twice changes nothing and logs nothing more."""
        for partner in self.sudo():
            if partner.lbc_account_state == "anonymised":
                continue
            partner._lbc_privacy_erase()
        return True

    def _lbc_privacy_rule(self):
        """The erasure rule, written in each privacy log."""
        return self.env._(
            "Rule: the member's contact, users, messages, profile and the contacts with its e-mail are anonymised; "
            "what only follows the person (followers, notifications, activities, files attached to its contact, join "
            "requests) is deleted; accounting documents and contracts (invoices, entries, payments, orders, missions, "
            "activity reports, agreement acceptances, vigilance documents) are kept as the law requires (10 years, "
            "Code de commerce L123-22; 6 years, Livre des procédures fiscales L102 B): they name the company and point "
            "to the anonymised contact, which holds nothing of the person any more; any other record of the person is "
            "kept for the business it belongs to, the person's full name, e-mail and phone replaced in its texts "
            "(whole words only, case and accents ignored; a first name alone, a name shorter than 4 letters or a "
            "word that merely contains the name are not touched). Records of a namesake or of a longer e-mail "
            "address are left untouched."
        )

    def _lbc_privacy_identity(self):
        """(name, normalised e-mail) the privacy lookup searches for (the wizard requires both)."""
        self.ensure_one()
        users = self.with_context(active_test=False).user_ids
        email = tools.email_normalize(self.email or "") or next(
            (tools.email_normalize(login) for login in users.mapped("login") if tools.email_normalize(login)),
            f"member-{self.id}@anonymised.invalid",
        )
        return (self.name or "").strip() or f"member-{self.id}", email

    def _lbc_anonymised_name(self, is_member=True):
        """The name an anonymised contact gets (and that replaces its name in the texts that quoted it)."""
        self.ensure_one()
        if is_member:
            return self.env._("Anonymised member %(id)s", id=self.id)
        return self.env._("Anonymised contact %(id)s", id=self.id)

    def _lbc_privacy_patterns(self, email):
        """[(regex, replacement)]: the person's data in free texts. Its full name (4 letters at least, never a first
        name alone) as whole words, case and accents ignored, becomes its anonymised name; its e-mail addresses
        (whole addresses) and phone number (whole number, any separators) become a mask."""
        self.ensure_one()
        patterns = []
        addresses = {email} | set(tools.email_split(self.email or ""))
        addresses |= {
            tools.email_normalize(login) for login in self.with_context(active_test=False).user_ids.mapped("login")
        }
        for address in sorted(filter(None, addresses), key=len, reverse=True):
            patterns.append((re.compile(_privacy_email_pattern(address), re.IGNORECASE), PRIVACY_MASK))
        patterns += [(re.compile(source), PRIVACY_MASK) for source in _privacy_phone_pattern(self.phone or "")]
        name = " ".join((self.name or "").split())
        if len(name) >= PRIVACY_MIN_NAME_LENGTH:
            patterns.append((re.compile(_privacy_name_pattern(name), re.IGNORECASE), self._lbc_anonymised_name()))
        return patterns

    def _lbc_privacy_lookup(self, name, email):
        """Odoo's privacy lookup for (name, email). The wizard is reserved to Settings: the callers checked the
        actor (action_lbc_anonymise: an LBC operator; the lifecycle cron); the log keeps the caller's user."""
        wizard = self.env["privacy.lookup.wizard"].sudo().create({"name": name, "email": email})
        wizard.action_lookup()
        return wizard

    def _lbc_privacy_person_ids(self, wizard, email):
        """The partners that are this person: itself, and the contacts with its e-mail address that no user owns
        and that are no company (contacts made from its e-mails). Namesakes are other people."""
        self.ensure_one()
        found = wizard.line_ids.filtered(lambda line: line.res_model == "res.partner").mapped("res_id")
        others = self.env["res.partner"].with_context(active_test=False).browse(found).exists() - self
        duplicates = others.filtered(
            lambda p: (
                p.email_normalized == email and not p.is_company and not p.with_context(active_test=False).user_ids
            )
        )
        return self | duplicates

    def _lbc_privacy_cascade_lines(self, wizard, persons):
        """Add to the lookup the records linked to the person by a many2one deleted with it (ondelete cascade):
        privacy_lookup leaves them out because they go with a deleted contact; the member's contact is kept (the
        contracts and invoices point to it), so they are handled too."""
        existing = {(line.res_model, line.res_id) for line in wizard.line_ids}
        vals_list = []
        for model_name in self.env.registry:
            if model_name in PRIVACY_NOT_SCANNED_MODELS:
                continue
            model = self.env[model_name].sudo().with_context(active_test=False)
            if model._transient or not model._auto or model._abstract:
                continue
            fnames = [
                name
                for name, field in model._fields.items()
                if field.type == "many2one"
                and field.comodel_name == "res.partner"
                and field.store
                and field.ondelete == "cascade"
            ]
            if not fnames:
                continue
            records = model.search(Domain.OR(Domain(fname, "in", persons.ids) for fname in fnames))
            model_id = self.env["ir.model"]._get_id(model_name)
            vals_list += [
                {"wizard_id": wizard.id, "res_model_id": model_id, "res_id": record.id, "is_active": True}
                for record in records
                if (model_name, record.id) not in existing
            ]
        # the files and activities attached to the member's own contact (its CV, its pictures, reminders about it)
        for model_name in ("ir.attachment", "mail.activity"):
            domain = Domain("res_model", "=", "res.partner") & Domain("res_id", "in", persons.ids)
            if model_name == "ir.attachment":
                domain &= Domain("res_field", "=", False)
            model_id = self.env["ir.model"]._get_id(model_name)
            vals_list += [
                {"wizard_id": wizard.id, "res_model_id": model_id, "res_id": record.id, "is_active": True}
                for record in self.env[model_name].sudo().search(domain)
                if (model_name, record.id) not in existing
            ]
        self.env["privacy.lookup.wizard.line"].sudo().create(vals_list)

    def _lbc_privacy_is_persons(self, record, persons, email):
        """Whether a record found by the lookup holds this person (a link to it, or its exact e-mail address),
        rather than a namesake or a longer address that merely contains it."""
        if (
            "res_model" in record._fields
            and "res_id" in record._fields
            and record.res_model == "res.partner"
            and record.res_id in persons.ids
        ):
            return True  # attached to the person's contact (files, activities)
        for fname, field in record._fields.items():
            if not field.store:
                continue
            if field.type == "many2one" and field.comodel_name == "res.partner" and record[fname] & persons:
                return True
            if fname in PRIVACY_EMAIL_FIELDS and tools.email_normalize(record[fname] or "") == email:
                return True
        return False

    def _lbc_privacy_untouched(self, label):
        return self.env._("Untouched %(record)s: another person (same name, or another e-mail)", record=label)

    def _lbc_privacy_erase_record(self, record, persons, email, patterns):
        """Apply the rule to one record found by the lookup (other than the contact, its users and messages).
        Returns (what was done, deleted)."""
        label = self.env._(
            "%(model)s #%(id)s", model=self.env["ir.model"]._get(record._name).name or record._name, id=record.id
        )
        if not self._lbc_privacy_is_persons(record, persons, email):
            return self._lbc_privacy_untouched(label), False
        if record._name in PRIVACY_KEPT_MODELS:
            return (
                self.env._(
                    "Kept %(record)s: accounting document or contract kept by law; it names the company and points to "
                    "the anonymised contact",
                    record=label,
                ),
                False,
            )
        email_fields = [f for f in PRIVACY_EMAIL_FIELDS if f in record._fields and record._fields[f].store]
        required_hit = any(
            record._fields[f].required and tools.email_normalize(record[f] or "") == email for f in email_fields
        )
        if record._name in PRIVACY_DELETED_MODELS or required_hit:
            try:
                with self.env.cr.savepoint():
                    record.unlink()
                return self.env._("Deleted %(record)s", record=label), True
            except (UserError, ValidationError, AccessError, psycopg2.Error) as error:
                _logger.info("lbc privacy: %s kept, could not be deleted: %s", label, error)
        vals = {}
        for fname, field in record._fields.items():
            if not field.store or field.compute or field.related or field.type not in ("char", "text", "html"):
                continue
            value = record[fname]
            if not value:
                continue
            if fname in email_fields and tools.email_normalize(value) == email:
                vals[fname] = PRIVACY_MASK if field.required else False
                continue
            # only the person's data goes: the rest of the text belongs to the business (another company's bid)
            if field.type == "html":
                replaced = _privacy_replace_html(value, patterns)
            else:
                replaced = _privacy_replace_text(value, patterns)
            if str(replaced) != str(value):
                vals[fname] = replaced
        if not vals:
            return (
                self.env._("Kept %(record)s: no personal data but its link to the anonymised contact", record=label),
                False,
            )
        record.with_context(tracking_disable=True, mail_notrack=True).write(vals)
        return (
            self.env._(
                "Anonymised %(record)s: the person's name, e-mail or phone removed from %(fields)s",
                record=label,
                fields=", ".join(record._fields[f]._description_string(self.env) for f in sorted(vals)),
            ),
            False,
        )

    def _lbc_privacy_erase(self):
        """Find with privacy_lookup every record that holds the member, erase each by the rule, anonymise the
        member's contact and users, log it all in privacy.log, then look up again to check nothing is left."""
        self.ensure_one()
        name, email = self._lbc_privacy_identity()
        patterns = self._lbc_privacy_patterns(email)
        wizard = self._lbc_privacy_lookup(name, email)
        persons = self._lbc_privacy_person_ids(wizard, email)
        self._lbc_privacy_cascade_lines(wizard, persons)
        users = persons.with_context(active_test=False).user_ids
        details = {}
        # records first (their links to the contact still tell whose they are), the contact and users last
        for line in wizard.line_ids.sorted(lambda line: (line.res_model, line.res_id)):
            model_name = line.res_model
            if model_name in ("res.partner", "res.users", "mail.message") or model_name not in self.env:
                continue
            record = self.env[model_name].sudo().with_context(active_test=False).browse(line.res_id).exists()
            if not record:
                continue
            details[line], deleted = self._lbc_privacy_erase_record(record, persons, email, patterns)
            if deleted:
                line.is_unlinked = True
        for person in persons:
            person._lbc_anonymise_partner(patterns, is_member=person == self)
        own_models = ("res.partner", "res.users", "mail.message")
        own_lines = wizard.line_ids.filtered(lambda line: line.res_model in own_models)
        for line in own_lines:
            label = self.env._("%(model)s #%(id)s", model=line.res_model_id.name, id=line.res_id)
            if line.res_model == "res.partner" and line.res_id == self.id:
                details[line] = self.env._(
                    "Anonymised %(record)s, the member: name, e-mail, phone, address, picture and notes removed, "
                    "archived",
                    record=label,
                )
            elif line.res_model == "res.partner" and line.res_id in persons.ids:
                details[line] = self.env._(
                    "Anonymised %(record)s, a contact with the member's e-mail: personal data removed, archived",
                    record=label,
                )
            elif line.res_model == "res.users" and line.res_id in users.ids:
                details[line] = self.env._(
                    "Anonymised %(record)s: login, password, sign-in identities, API keys and devices removed, "
                    "archived",
                    record=label,
                )
            elif line.res_model == "mail.message" and (
                self.env["mail.message"].sudo().browse(line.res_id).exists().author_id & persons
            ):
                details[line] = self.env._(
                    "Anonymised %(record)s: the sender's address and the member's name removed; its author is the "
                    "anonymised contact",
                    record=label,
                )
            else:
                details[line] = self._lbc_privacy_untouched(label)
        for line, detail in details.items():
            line.execution_details = detail
        # the wizard posts its log (privacy.log, the name and e-mail masked) when its lines have execution details
        self.env.flush_all()
        if not wizard.log_id:
            wizard._post_log()
        log = wizard.log_id
        leftovers = self._lbc_privacy_leftovers(name, email, persons)
        note = [
            self.env._(
                "Anonymisation of member #%(id)s (%(reason)s), run by %(user)s.",
                id=self.id,
                reason=dict(self._fields["lbc_deactivation_reason"]._description_selection(self.env)).get(
                    self.lbc_deactivation_reason, self.env._("LBC's decision")
                ),
                user=self.env.user.name,
            ),
            self._lbc_privacy_rule(),
            self.env._("Lookup after the erasure: %(result)s", result=leftovers or self.env._("nothing found.")),
        ]
        log.write({"additional_note": "\n".join(note), "user_id": self.env.user.id})
        # the wizard and its lines keep the name and e-mail in clear: only the masked log stays (detached first,
        # so that the wizard's own log update does not empty it when its lines go)
        wizard.log_id = False
        wizard.line_ids.unlink()
        wizard.unlink()
        return log

    def _lbc_privacy_leftovers(self, name, email, persons):
        """Run the lookup again: the records of the person it still finds (namesakes do not count)."""
        wizard = self._lbc_privacy_lookup(name, email)
        left = []
        for line in wizard.line_ids:
            if line.res_model not in self.env:
                continue
            record = self.env[line.res_model].sudo().with_context(active_test=False).browse(line.res_id).exists()
            if record and (
                (line.res_model == "res.partner" and record in persons)
                or (line.res_model == "res.users" and record.partner_id in persons)
                or (line.res_model == "mail.message" and record.author_id & persons)
                or (
                    line.res_model not in ("res.partner", "res.users", "mail.message")
                    and self._lbc_privacy_is_persons(record, persons, email)
                )
            ):
                left.append(f"{line.res_model} #{line.res_id}")
        wizard.line_ids.unlink()
        wizard.unlink()
        if left:
            _logger.warning("lbc privacy: member %s still found after the erasure: %s", self.id, left)
        return ", ".join(left)

    def _lbc_anonymise_partner(self, patterns, is_member=True):
        """Anonymise the contact itself, its users, its social profile and its messages (the member's account
        state moves to anonymised; a duplicate contact is archived)."""
        self.ensure_one()
        env = self.sudo().env
        partner = self.sudo()
        label = partner._lbc_anonymised_name(is_member)
        for user in partner.with_context(active_test=False).user_ids:
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
        partner._lbc_scrub_messages(patterns)
        if is_member:
            partner._lbc_lifecycle_write(
                {
                    "lbc_account_state": "anonymised",
                    "lbc_anonymised_date": fields.Datetime.now(),
                    "lbc_suspension_reason": False,
                }
            )
            partner.message_post(body=self.env._("Personal data anonymised."), subtype_xmlid="mail.mt_note")

    def _lbc_scrub_messages(self, patterns):
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
        for message in scope.filtered("body"):
            body = _privacy_replace_html(Markup(message.body), patterns)  # the body was sanitised HTML
            if str(body) != str(message.body):
                message.body = body

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
        """Whether a subscription of the member or its company opens the feature `code` (lbc_erp_client answers
        from the running subscriptions; without it, no plan opens anything)."""
        self.ensure_one()
        return False

    def _lbc_filter_feature(self, code):
        """The partners of self that have the feature `code` (batch form of _lbc_has_feature: the subscriptions'
        addon may answer it in one query)."""
        return self.filtered(lambda partner: partner._lbc_has_feature(code))

    def _lbc_feature_upsell_message(self, code):
        return self.env._("This feature is not available.")

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
