from odoo import api, fields, models
from odoo.exceptions import AccessError


class LbcSocialPost(models.Model):
    _name = "lbc.social.post"
    _description = "Group Post"
    _inherit = ["lbc.workflow.mixin"]
    # posted through the group's action, hidden by the group's or LBC's moderators
    _lbc_workflow_fields = ("body", "moderation_hidden")
    _lbc_parent_fields = ("group_id", "author_id", "parent_id")
    _order = "create_date desc, id desc"

    group_id = fields.Many2one("lbc.social.group", required=True, readonly=True, ondelete="cascade", index=True)
    author_id = fields.Many2one("res.partner", required=True, readonly=True, ondelete="cascade", index=True)
    body = fields.Text(required=True)
    parent_id = fields.Many2one("lbc.social.post", readonly=True, ondelete="cascade", index=True)
    child_ids = fields.One2many("lbc.social.post", "parent_id", string="Replies")
    reply_count = fields.Integer(compute="_compute_reply_count")
    moderation_hidden = fields.Boolean(string="Hidden by Moderation", readonly=True, copy=False, index=True)

    def _compute_reply_count(self):
        data = dict(self._read_group([("parent_id", "in", self.ids)], ["parent_id"], ["__count"]))
        for post in self:
            post.reply_count = data.get(post._origin, 0)

    @api.depends("author_id", "group_id")
    def _compute_display_name(self):
        for post in self:
            post.display_name = f"{post.group_id.name} — {post.author_id.name}"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Post through the group's action."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Posts change through their actions."))
        return super().write(vals)

    def action_hide(self):
        """Group owners/moderators (or LBC moderators) hide a post: gone for everyone but LBC moderators."""
        for post in self:
            post.group_id._lbc_check_manager()
        self._lbc_moderation_hide()
        return True

    def _lbc_moderation_author(self):
        return self.author_id

    def _lbc_moderation_hide(self):
        self._lbc_workflow_write({"moderation_hidden": True})
