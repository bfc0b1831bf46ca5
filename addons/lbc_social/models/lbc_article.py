from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext

MEMBER_EDITABLE_FIELDS = {"name", "body", "tag_ids"}


class LbcArticle(models.Model):
    _name = "lbc.article"
    _description = "Article"
    _inherit = ["lbc.workflow.mixin", "mail.thread"]
    _order = "published_date desc, id desc"
    # comments go through action_comment (published articles, blocks, rate limit): a reader does not post on the
    # article's thread through the generic mail RPC
    _mail_post_access = "write"
    # the author publishes or unpublishes, the moderators hide; the author is the member who wrote it
    _lbc_workflow_fields = ("state", "published_date", "moderation_hidden", "profile_id")
    _lbc_parent_fields = ("author_id",)

    name = fields.Char(string="Title", required=True)
    author_id = fields.Many2one(
        "res.partner",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
        default=lambda self: self.env.user.partner_id,
    )
    profile_id = fields.Many2one("lbc.profile", compute="_compute_profile_id", store=True, index=True)
    body = fields.Html(sanitize=True)
    tag_ids = fields.Many2many("lbc.article.tag", string="Tags")
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published"), ("unpublished", "Unpublished")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    published_date = fields.Datetime(readonly=True, copy=False)
    moderation_hidden = fields.Boolean(string="Hidden by Moderation", readonly=True, copy=False, index=True)
    comment_count = fields.Integer(compute="_compute_comment_count")

    @api.depends("author_id.lbc_profile_ids")
    def _compute_profile_id(self):
        for article in self:
            article.profile_id = article.author_id.sudo().lbc_profile_ids[:1]

    def _compute_comment_count(self):
        data = dict(
            self.env["mail.message"]
            .sudo()
            ._read_group(
                [("model", "=", self._name), ("res_id", "in", self.ids), ("message_type", "=", "comment")],
                ["res_id"],
                ["__count"],
            )
        )
        for article in self:
            article.comment_count = data.get(article.id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            me = self.env.user.partner_id
            me._lbc_check_social_active()
            for vals in vals_list:
                if set(vals) - MEMBER_EDITABLE_FIELDS - {"author_id"} or vals.get("author_id", me.id) != me.id:
                    raise AccessError(self.env._("You write articles in your own name, as drafts."))
            # in the member's own name whatever the context's defaults
            vals_list = [dict(vals, author_id=me.id) for vals in vals_list]
        articles = super().create(vals_list)
        for partner in articles.author_id:
            self.env["lbc.profile"]._lbc_get_or_create(partner)
        articles.sudo()._compute_profile_id()
        return articles

    def write(self, vals):
        if not self.env.su:
            if set(vals) - MEMBER_EDITABLE_FIELDS:
                raise UserError(self.env._("Publish or unpublish the article with its actions."))
            if self.filtered(lambda a: a.author_id != self.env.user.partner_id):
                raise AccessError(self.env._("Only the author edits an article."))
        return super().write(vals)

    def _check_author(self):
        if self.env.su:
            return
        for article in self:
            if article.author_id != self.env.user.partner_id:
                raise AccessError(self.env._("Only the author can do this."))

    def action_publish(self):
        self._check_author()
        self.author_id._lbc_check_social_active()
        if self.filtered(lambda a: not html2plaintext(a.body or "").strip()):
            raise UserError(self.env._("Write the article before publishing it."))
        for article in self:
            article._lbc_workflow_write(
                {"state": "published", "published_date": article.published_date or fields.Datetime.now()}
            )
        return True

    def action_unpublish(self):
        self._check_author()
        self._lbc_workflow_write({"state": "unpublished"})
        return True

    def action_comment(self, body):
        """Comment a published article. Returns the comment (mail.message) id."""
        self.ensure_one()
        me = self.env.user.partner_id
        me._lbc_check_social_active()
        self.check_access("read")
        if self.state != "published" or self.moderation_hidden:
            raise UserError(self.env._("Only published articles take comments."))
        if me._lbc_is_blocked(self.author_id):
            raise UserError(self.env._("You cannot comment this article."))
        if not (body or "").strip():
            raise UserError(self.env._("The comment is empty."))
        self.env["lbc.rate.limit"]._lbc_hit("comment")
        message = self.sudo().message_post(
            body=escape(body.strip()),
            author_id=me.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=(self.author_id - me).ids,
        )
        self.invalidate_recordset(["comment_count"])
        return message.id

    @api.model
    def lbc_feed(self, offset=0, limit=20, tag_ids=None):
        """Published articles, newest first, for the current member (blocked authors left out)."""
        me = self.env.user.partner_id
        domain = [("state", "=", "published"), ("moderation_hidden", "=", False)]
        if tag_ids:
            domain.append(("tag_ids", "in", list(tag_ids)))
        if not self.env.user._is_internal() and not self.env.user._is_public():
            blocked = me._lbc_blocked_partners()
            if blocked:
                domain.append(("author_id", "not in", blocked.ids))
        limit = min(int(limit or 20), 50)
        articles = self.search(domain, offset=offset, limit=limit)
        return {
            "total": self.search_count(domain),
            "results": [
                {
                    "id": a.id,
                    "name": a.name,
                    "author": a.author_id.sudo().name,
                    "published_date": a.published_date,
                    "tags": a.tag_ids.mapped("name"),
                    "excerpt": html2plaintext(a.body or "")[:300],
                    "comment_count": a.comment_count,
                }
                for a in articles
            ],
        }

    def _lbc_moderation_author(self):
        return self.author_id

    def _lbc_moderation_hide(self):
        self._lbc_workflow_write({"moderation_hidden": True})
