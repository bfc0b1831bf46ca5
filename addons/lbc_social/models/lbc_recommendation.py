from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class LbcRecommendation(models.Model):
    _name = "lbc.recommendation"
    _description = "Recommendation"
    _inherit = ["lbc.workflow.mixin"]
    _order = "write_date desc, id desc"
    # written by its author, published by its recipient, hidden by the moderators: only through the actions
    _lbc_workflow_fields = (
        "state",
        "body",
        "relationship",
        "request_message",
        "moderation_hidden",
        "recipient_profile_id",
    )
    _lbc_parent_fields = ("author_id", "recipient_id")

    author_id = fields.Many2one("res.partner", required=True, readonly=True, ondelete="cascade", index=True)
    recipient_id = fields.Many2one("res.partner", required=True, readonly=True, ondelete="cascade", index=True)
    recipient_profile_id = fields.Many2one(
        "lbc.profile", compute="_compute_recipient_profile_id", store=True, index=True
    )
    relationship = fields.Char(readonly=True, help="How they worked together, e.g. 'Client on the mission X'.")
    request_message = fields.Text(readonly=True)
    body = fields.Text(readonly=True)
    state = fields.Selection(
        [
            ("requested", "Requested"),
            ("given", "Given"),
            ("accepted", "On the profile"),
            ("hidden", "Hidden by the member"),
            ("declined", "Declined"),
        ],
        default="requested",
        required=True,
        readonly=True,
        index=True,
    )
    moderation_hidden = fields.Boolean(string="Hidden by Moderation", readonly=True, copy=False)

    @api.depends("recipient_id.lbc_profile_ids")
    def _compute_recipient_profile_id(self):
        for recommendation in self:
            recommendation.recipient_profile_id = recommendation.recipient_id.sudo().lbc_profile_ids[:1]

    @api.depends("author_id", "recipient_id")
    def _compute_display_name(self):
        for recommendation in self:
            recommendation.display_name = self.env._(
                "%(author)s recommends %(recipient)s",
                author=recommendation.author_id.name,
                recipient=recommendation.recipient_id.name,
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Ask or give recommendations through their actions."))
        records = super().create(vals_list)
        for partner in records.recipient_id:
            self.env["lbc.profile"]._lbc_get_or_create(partner)
        records.sudo()._compute_recipient_profile_id()
        return records

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Recommendations change through their actions."))
        return super().write(vals)

    @api.model
    def _lbc_other_member(self, partner_id):
        me = self.env.user.partner_id
        other = self.env["res.partner"].sudo().browse(int(partner_id)).exists()
        if not other or other == me:
            raise UserError(self.env._("This member cannot be found."))
        me._lbc_check_social_active()
        if me._lbc_is_blocked(other):
            raise UserError(self.env._("You cannot exchange with this member."))
        return me, other

    @api.model
    def lbc_ask_recommendation(self, partner_id, message=None):
        """Ask a member for a recommendation. Returns its id."""
        me, other = self._lbc_other_member(partner_id)
        if self.sudo().search_count(
            [("author_id", "=", other.id), ("recipient_id", "=", me.id), ("state", "=", "requested")], limit=1
        ):
            raise UserError(self.env._("You already asked this member."))
        recommendation = self._lbc_workflow_create(
            [{"author_id": other.id, "recipient_id": me.id, "request_message": message, "state": "requested"}]
        )
        return recommendation.id

    @api.model
    def lbc_give_recommendation(self, partner_id, body, relationship=None):
        """Recommend a member (answers its pending request if any). Returns the recommendation id."""
        me, other = self._lbc_other_member(partner_id)
        if not (body or "").strip():
            raise UserError(self.env._("Write the recommendation."))
        recommendation = self.sudo().search(
            [("author_id", "=", me.id), ("recipient_id", "=", other.id), ("state", "=", "requested")], limit=1
        )
        vals = {"body": body.strip(), "relationship": relationship, "state": "given"}
        if recommendation:
            recommendation._lbc_workflow_write(vals)
        else:
            recommendation = self._lbc_workflow_create([dict(vals, author_id=me.id, recipient_id=other.id)])
        return recommendation.id

    def _check_party(self, field, states):
        me = self.env.user.partner_id
        for recommendation in self:
            if recommendation[field] != me:
                raise AccessError(self.env._("This recommendation is not yours to handle."))
            if recommendation.state not in states:
                raise UserError(self.env._("This recommendation cannot change that way."))

    def action_accept(self):
        """The recipient puts a recommendation onto its profile."""
        self._check_party("recipient_id", ("given", "hidden"))
        self._lbc_set_state("accepted")
        return True

    def action_hide(self):
        """The recipient removes a recommendation from its profile."""
        self._check_party("recipient_id", ("given", "accepted"))
        self._lbc_set_state("hidden")
        return True

    def action_decline(self):
        """The asked member declines to write a recommendation."""
        self._check_party("author_id", ("requested",))
        self._lbc_set_state("declined")
        return True

    def _lbc_moderation_author(self):
        return self.author_id

    def _lbc_set_state(self, state):
        """Move the recommendations in self to `state` (for actions that checked the actor)."""
        self._lbc_workflow_write({"state": state})

    def _lbc_moderation_hide(self):
        self._lbc_workflow_write({"moderation_hidden": True})

    def _lbc_reportable_by(self, user):
        """Its author and recipient, and whoever sees it on the recipient's profile, may report it."""
        self.ensure_one()
        if self.with_user(user).has_access("read"):
            return True
        recommendation = self.sudo()
        return (
            recommendation.state == "accepted"
            and not recommendation.moderation_hidden
            and "recommendations" in recommendation.recipient_profile_id._lbc_visible_sections(user)
        )
