from odoo import fields, models


class LbcConversationParticipant(models.Model):
    _name = "lbc.conversation.participant"
    _description = "Conversation Participant"
    _inherit = ["lbc.workflow.mixin"]
    _order = "id"
    # participants are set when the conversation starts; what they read moves with lbc_read_messages
    _lbc_workflow_fields = ("last_seen_message_id",)
    _lbc_parent_fields = ("conversation_id", "partner_id")

    conversation_id = fields.Many2one("lbc.conversation", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    last_seen_message_id = fields.Integer(default=0, help="The last message the participant has read.")

    _conversation_partner_uniq = models.Constraint(
        "UNIQUE(conversation_id, partner_id)", "This member already takes part in the conversation."
    )
