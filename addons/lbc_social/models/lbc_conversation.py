import base64
import hashlib

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import html2plaintext

MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024


class LbcConversation(models.Model):
    _name = "lbc.conversation"
    _description = "Conversation between Members"
    _inherit = ["lbc.workflow.mixin", "mail.thread"]
    _order = "last_message_date desc, id desc"
    # messages go through lbc_send_message (blocks, suspensions, anti-spam): a participant does not post on the
    # thread through the generic mail RPC
    _mail_post_access = "write"
    _lbc_workflow_fields = ("started_by_id", "last_message_date")

    name = fields.Char(string="Subject")
    participant_ids = fields.One2many("lbc.conversation.participant", "conversation_id", readonly=True)
    partner_ids = fields.Many2many(
        "res.partner", compute="_compute_partner_ids", string="Participants", search="_search_partner_ids"
    )
    started_by_id = fields.Many2one("res.partner", readonly=True)
    last_message_date = fields.Datetime(readonly=True, index=True)
    unread_count = fields.Integer(compute="_compute_unread_count", help="Messages the current member has not read.")

    @api.depends("participant_ids.partner_id")
    def _compute_partner_ids(self):
        for conversation in self:
            conversation.partner_ids = conversation.sudo().participant_ids.partner_id

    def _search_partner_ids(self, operator, value):
        return [("participant_ids.partner_id", operator, value)]

    def _compute_unread_count(self):
        counts = self.env["lbc.conversation"].lbc_unread_counts([c._origin.id for c in self if c._origin.id])
        for conversation in self:
            conversation.unread_count = counts.get(conversation._origin.id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Start a conversation with lbc_start_conversation."))
        return super().create(vals_list)

    # --- rules of the house ---------------------------------------------------
    @api.model
    def _lbc_check_may_message(self, sender, recipients):
        """Members write to their connections, to members of a group they share, or to the other party of a bid
        or a mission; never when blocked."""
        sender._lbc_check_social_active()
        for recipient in recipients:
            # the recipients come from the caller's ids: the refusals name no one (no probing of names, nor of who
            # shares what with whom)
            if sender._lbc_is_blocked(recipient):
                raise UserError(self.env._("You cannot exchange messages with this member."))
            if recipient.sudo().lbc_profile_ids[:1].is_suspended:
                raise UserError(self.env._("This member cannot receive messages for now."))
            if not (
                sender._lbc_is_connected(recipient)
                or sender._lbc_shares_group(recipient)
                or sender._lbc_shares_engagement(recipient)
            ):
                raise UserError(
                    self.env._("You can write to a member once you are connected, share a group, a bid or a mission.")
                )

    @api.model
    def _lbc_check_duplicate(self, sender, body):
        """The same text sent to many members at once is spam: count it per text."""
        text = " ".join(html2plaintext(body or "").split()).lower()
        if len(text) < 20:
            return
        digest = hashlib.sha1(text.encode()).hexdigest()[:16]
        self.env["lbc.rate.limit"]._lbc_hit(
            f"same_message:{digest}",
            partner=sender,
            message=self.env._(
                "You already sent this message to several members: the same message cannot be sent to many "
                "members at once."
            ),
        )

    # --- API for members ----------------------------------------------------
    @api.model
    def lbc_start_conversation(self, partner_ids, body, subject=None, attachments=None):
        """Start a conversation with one or more members and post the first message. Returns its id."""
        me = self.env.user.partner_id
        if self.env.user._is_public():
            raise AccessError(self.env._("Please sign in."))
        recipients = self.env["res.partner"].sudo().browse([int(p) for p in partner_ids if int(p) != me.id]).exists()
        if not recipients:
            raise UserError(self.env._("Choose at least one member to write to."))
        max_recipients = int(
            self.env["ir.config_parameter"].sudo().get_param("lbc_social.conversation_max_recipients", 10)
        )
        if len(recipients) > max_recipients:
            raise UserError(
                self.env._(
                    "A conversation has %(max)s other participants at most: the same message cannot be sent to "
                    "many members at once.",
                    max=max_recipients,
                )
            )
        self._lbc_check_may_message(me, recipients)
        if any(not me._lbc_is_connected(recipient) for recipient in recipients):
            self.env["lbc.rate.limit"]._lbc_hit(
                "conversation_new",
                message=self.env._(
                    "You started too many conversations with members you are not connected to. "
                    "Please try again later, or connect first."
                ),
            )
        conversation = self._lbc_workflow_create(
            [
                {
                    "name": subject or ", ".join((me | recipients).mapped("name")),
                    "started_by_id": me.id,
                    "participant_ids": [fields.Command.create({"partner_id": p.id}) for p in me | recipients],
                }
            ]
        )
        conversation.with_env(self.env).lbc_send_message(body, attachments=attachments)
        return conversation.id

    def _lbc_check_participant(self):
        me = self.env.user.partner_id
        for conversation in self:
            if me not in conversation.sudo().participant_ids.partner_id and not self.env.su:
                raise AccessError(self.env._("You do not take part in this conversation."))

    def lbc_send_message(self, body, attachments=None):
        """Post a message (with attachments given as [[file name, base64 content], ...]). Returns its id."""
        self.ensure_one()
        self._lbc_check_participant()
        me = self.env.user.partner_id
        if not (body or "").strip() and not attachments:
            raise UserError(self.env._("The message is empty."))
        others = self.sudo().participant_ids.partner_id - me
        self._lbc_check_may_message(me, others)
        self._lbc_check_duplicate(me, body)
        files = []
        for name, content in attachments or []:
            data = base64.b64decode(content)
            if len(data) > MAX_ATTACHMENT_SIZE:
                raise UserError(self.env._("%(name)s is larger than 10 MB.", name=name))
            files.append((name, data))
        message = self.sudo().message_post(
            body=escape(body or ""),
            author_id=me.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=files,
            partner_ids=others.ids,
        )
        self._lbc_workflow_write({"last_message_date": fields.Datetime.now()})
        self.sudo().participant_ids.filtered(lambda p: p.partner_id == me)._lbc_workflow_write(
            {"last_seen_message_id": message.id}
        )
        return message.id

    def lbc_read_messages(self, offset=0, limit=50):
        """The conversation's messages, newest first; marks them read for the current member."""
        self.ensure_one()
        self._lbc_check_participant()
        me = self.env.user.partner_id
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [("model", "=", self._name), ("res_id", "=", self.id), ("message_type", "=", "comment")],
                offset=offset,
                limit=min(int(limit or 50), 100),
                order="id desc",
            )
        )
        participant = self.sudo().participant_ids.filtered(lambda p: p.partner_id == me)
        if messages and participant and messages[0].id > participant.last_seen_message_id:
            participant._lbc_workflow_write({"last_seen_message_id": messages[0].id})
        return [
            {
                "id": m.id,
                "author": m.author_id.name,
                "author_id": m.author_id.id,
                "date": m.date,
                "body": html2plaintext(m.body or ""),
                "attachments": [{"id": a.id, "name": a.name} for a in m.attachment_ids],
            }
            for m in messages
        ]

    @api.model
    def lbc_unread_counts(self, conversation_ids=None):
        """{conversation id: messages the current member has not read} over its own conversations (those of
        `conversation_ids` only when given; the others' are never counted), in two queries whatever their number."""
        me = self.env.user.partner_id
        domain = [("partner_id", "=", me.id)]
        if conversation_ids is not None:
            domain.append(("conversation_id", "in", [int(i) for i in conversation_ids]))
        # the member's own participant lines only: a conversation of others counts nothing
        participants = self.env["lbc.conversation.participant"].sudo().search(domain)
        if not participants:
            return {}
        unseen = Domain.OR(
            Domain("res_id", "=", p.conversation_id.id) & Domain("id", ">", p.last_seen_message_id)
            for p in participants
        )
        groups = (
            self.env["mail.message"]
            .sudo()
            ._read_group(
                Domain.AND(
                    [
                        Domain("model", "=", self._name),
                        Domain("message_type", "=", "comment"),
                        Domain("author_id", "!=", me.id),
                        unseen,
                    ]
                ),
                ["res_id"],
                ["__count"],
            )
        )
        return dict(groups)

    @api.model
    def lbc_unread_total(self):
        """Unread messages over all the current member's conversations."""
        return sum(self.lbc_unread_counts().values())

    def action_export(self):
        """Export the conversation (HTML file attached to it) so the member keeps a copy."""
        self.ensure_one()
        self._lbc_check_participant()
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [("model", "=", self._name), ("res_id", "=", self.id), ("message_type", "=", "comment")],
                order="id asc",
            )
        )
        rows = Markup("").join(
            Markup("<div class='message'><p><b>%s</b> — %s</p><div>%s</div>%s</div>\n")
            % (
                m.author_id.name or "",
                fields.Datetime.to_string(m.date),
                m.body or "",
                Markup("").join(Markup("<p>📎 %s</p>") % a.name for a in m.attachment_ids),
            )
            for m in messages
        )
        html = Markup(
            "<!DOCTYPE html><html><head><meta charset='utf-8'/><title>%s</title></head>"
            "<body><h1>%s</h1><p>%s</p>%s</body></html>"
        ) % (self.name, self.name, ", ".join(self.sudo().participant_ids.partner_id.mapped("name")), rows)
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"conversation-{self.id}.html",
                    "raw": str(html).encode(),
                    "mimetype": "text/html",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
            "attachment_id": attachment.id,
        }
