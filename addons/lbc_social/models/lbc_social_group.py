from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.lbc_base.models.lbc_workflow_mixin import lbc_clean
from odoo.exceptions import AccessError, UserError


class LbcSocialGroup(models.Model):
    _name = "lbc.social.group"
    _description = "Discussion Group"
    _inherit = ["mail.thread"]
    _order = "name, id"

    name = fields.Char(required=True, tracking=True)
    description = fields.Text()
    privacy = fields.Selection(
        [("public", "Public: anyone joins"), ("request", "On request: moderators approve")],
        default="public",
        required=True,
        tracking=True,
    )
    active = fields.Boolean(default=True)
    membership_ids = fields.One2many("lbc.social.group.member", "group_id", string="Memberships")
    post_ids = fields.One2many("lbc.social.post", "group_id", string="Posts", domain=[("parent_id", "=", False)])
    member_count = fields.Integer(compute="_compute_member_count")
    post_count = fields.Integer(compute="_compute_post_count")

    def _compute_member_count(self):
        data = dict(
            self.env["lbc.social.group.member"]
            .sudo()
            ._read_group([("group_id", "in", self.ids), ("state", "=", "member")], ["group_id"], ["__count"])
        )
        for group in self:
            group.member_count = data.get(group._origin, 0)

    def _compute_post_count(self):
        data = dict(
            self.env["lbc.social.post"]._read_group(
                [("group_id", "in", self.ids), ("parent_id", "=", False)], ["group_id"], ["__count"]
            )
        )
        for group in self:
            group.post_count = data.get(group._origin, 0)

    # --- helpers --------------------------------------------------------------
    def _lbc_membership(self, partner):
        self.ensure_one()
        return self.sudo().membership_ids.filtered(lambda m: m.partner_id == partner)

    def _lbc_is_member(self, partner):
        return self._lbc_membership(partner).state == "member"

    def _lbc_check_manager(self, roles=("owner", "moderator")):
        """Group owners and moderators (or LBC moderators) manage the group."""
        if self.env.su or self.env.user.has_group("lbc_base.group_moderator"):
            return
        me = self.env.user.partner_id
        for group in self:
            membership = group._lbc_membership(me)
            if membership.state != "member" or membership.role not in roles:
                raise AccessError(self.env._("Only the group's owners and moderators can do this."))

    # --- API for members -------------------------------------------------------
    @api.model
    def lbc_create_group(self, name, description=None, privacy="public"):
        """Create a group; the current member becomes its owner. Returns its id."""
        me = self.env.user.partner_id
        if self.env.user._is_public():
            raise AccessError(self.env._("Please sign in."))
        me._lbc_check_social_active()
        if privacy not in ("public", "request"):
            raise UserError(self.env._("A group is public or on request."))
        group = lbc_clean(self.sudo()).create({"name": name, "description": description, "privacy": privacy})
        self.env["lbc.social.group.member"]._lbc_workflow_create(
            [{"group_id": group.id, "partner_id": me.id, "role": "owner", "state": "member"}]
        )
        group.message_subscribe(partner_ids=me.ids)
        return group.id

    def action_join(self):
        """Join a public group, or ask to join a group on request."""
        self.ensure_one()
        me = self.env.user.partner_id
        me._lbc_check_social_active()
        membership = self._lbc_membership(me)
        if membership.state in ("member", "requested"):
            raise UserError(self.env._("You already belong to this group or asked to join it."))
        state = "member" if self.privacy == "public" else "requested"
        if membership:
            membership._lbc_workflow_write({"state": state, "role": "member"})
        else:
            self.env["lbc.social.group.member"]._lbc_workflow_create(
                [{"group_id": self.id, "partner_id": me.id, "role": "member", "state": state}]
            )
        if state == "member":
            self.sudo().message_subscribe(partner_ids=me.ids)
        else:
            managers = self.sudo().membership_ids.filtered(
                lambda m: m.state == "member" and m.role in ("owner", "moderator")
            )
            self.sudo().message_notify(
                body=self.env._("%(name)s asks to join the group %(group)s.", name=me.name, group=self.name),
                partner_ids=managers.partner_id.ids,
                subject=self.name,
            )
        return state

    def action_leave(self):
        self.ensure_one()
        me = self.env.user.partner_id
        membership = self._lbc_membership(me)
        if membership.state not in ("member", "requested"):
            raise UserError(self.env._("You do not belong to this group."))
        if membership.role == "owner" and len(self.sudo().membership_ids.filtered(lambda m: m.role == "owner")) == 1:
            raise UserError(self.env._("Give the group another owner before you leave it."))
        membership._lbc_workflow_write({"state": "left", "role": "member"})
        self.sudo().message_unsubscribe(partner_ids=me.ids)
        return True

    def _lbc_requested(self, partner_id):
        membership = self._lbc_membership(self.env["res.partner"].browse(int(partner_id)))
        if membership.state != "requested":
            raise UserError(self.env._("This member did not ask to join."))
        return membership

    def action_approve_member(self, partner_id):
        self.ensure_one()
        self._lbc_check_manager()
        membership = self._lbc_requested(partner_id)
        membership._lbc_workflow_write({"state": "member"})
        self.sudo().message_subscribe(partner_ids=membership.partner_id.ids)
        self.sudo().message_notify(
            body=self.env._("Welcome to the group %(group)s.", group=self.name),
            partner_ids=membership.partner_id.ids,
            subject=self.name,
        )
        return True

    def action_decline_member(self, partner_id):
        self.ensure_one()
        self._lbc_check_manager()
        self._lbc_requested(partner_id)._lbc_workflow_write({"state": "declined"})
        return True

    def action_set_role(self, partner_id, role):
        """Owners appoint moderators and other owners."""
        self.ensure_one()
        self._lbc_check_manager(roles=("owner",))
        if role not in ("owner", "moderator", "member"):
            raise UserError(self.env._("Unknown role."))
        membership = self._lbc_membership(self.env["res.partner"].browse(int(partner_id)))
        if membership.state != "member":
            raise UserError(self.env._("Only members of the group get a role."))
        if membership.role == "owner" and role != "owner":
            if len(self.sudo().membership_ids.filtered(lambda m: m.role == "owner" and m.state == "member")) == 1:
                raise UserError(self.env._("A group keeps at least one owner."))
        membership._lbc_workflow_write({"role": role})
        return True

    def action_post(self, body, parent_id=None):
        """Post in the group, or reply to a post (parent_id). Returns the post id."""
        self.ensure_one()
        me = self.env.user.partner_id
        me._lbc_check_social_active()
        if not self._lbc_is_member(me):
            raise AccessError(self.env._("Join the group to post in it."))
        if not (body or "").strip():
            raise UserError(self.env._("The post is empty."))
        parent = self.env["lbc.social.post"]
        if parent_id:
            parent = parent.browse(int(parent_id))
            parent.check_access("read")
            if parent.group_id != self or parent.parent_id:
                raise UserError(self.env._("Reply to a post of this group."))
        self.env["lbc.rate.limit"]._lbc_hit(
            "group_post",
            message=self.env._("You posted a lot in a short time: please wait a little before posting again."),
        )
        post = self.env["lbc.social.post"]._lbc_workflow_create(
            [{"group_id": self.id, "author_id": me.id, "body": body, "parent_id": parent.id}]
        )
        recipients = self.sudo().membership_ids.filtered(lambda m: m.state == "member").partner_id - me
        if parent:
            recipients = parent.author_id - me
        if recipients:
            self.sudo().message_notify(
                body=Markup("<p>%s</p>") % self.env._("%(name)s posted in %(group)s.", name=me.name, group=self.name),
                partner_ids=recipients.ids,
                subject=self.name,
            )
        return post.id
