from odoo import api, fields, models
from odoo.exceptions import AccessError


class LbcSocialGroupMember(models.Model):
    _name = "lbc.social.group.member"
    _description = "Discussion Group Membership"
    _inherit = ["lbc.workflow.mixin"]
    _order = "group_id, role, id"
    # joining, approving, leaving and roles go through the group's actions
    _lbc_workflow_fields = ("state", "role")
    _lbc_parent_fields = ("group_id", "partner_id")

    group_id = fields.Many2one("lbc.social.group", required=True, readonly=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", required=True, readonly=True, ondelete="cascade", index=True)
    role = fields.Selection(
        [("owner", "Owner"), ("moderator", "Moderator"), ("member", "Member")],
        default="member",
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [("requested", "Requested"), ("member", "Member"), ("declined", "Declined"), ("left", "Left")],
        default="member",
        required=True,
        readonly=True,
        index=True,
    )

    _group_partner_uniq = models.Constraint(
        "UNIQUE(group_id, partner_id)", "This member already belongs to or asked to join the group."
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Join or leave a group through its actions."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Memberships change through the group's actions."))
        return super().write(vals)
