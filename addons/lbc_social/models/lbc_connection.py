from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class LbcConnection(models.Model):
    _name = "lbc.connection"
    _description = "Connection between Members"
    _inherit = ["lbc.workflow.mixin"]
    _order = "write_date desc, id desc"
    # only the actions move a connection: the addressee accepts, either member blocks...
    _lbc_workflow_fields = ("state", "message", "blocked_by_id", "date_accepted")
    _lbc_parent_fields = ("requester_id", "addressee_id")

    requester_id = fields.Many2one("res.partner", required=True, readonly=True, ondelete="cascade", index=True)
    addressee_id = fields.Many2one("res.partner", required=True, readonly=True, ondelete="cascade", index=True)
    state = fields.Selection(
        [
            ("requested", "Requested"),
            ("accepted", "Connected"),
            ("declined", "Declined"),
            ("withdrawn", "Withdrawn"),
            ("blocked", "Blocked"),
        ],
        default="requested",
        required=True,
        readonly=True,
        index=True,
    )
    message = fields.Text(readonly=True)
    blocked_by_id = fields.Many2one("res.partner", readonly=True, ondelete="cascade")
    date_accepted = fields.Datetime(readonly=True)

    _pair_uniq = models.UniqueIndex(
        "(LEAST(requester_id, addressee_id), GREATEST(requester_id, addressee_id))",
        "These two members already have a connection record.",
    )
    _not_self = models.Constraint("CHECK(requester_id != addressee_id)", "A member cannot connect to itself.")

    @api.depends("requester_id", "addressee_id", "state")
    def _compute_display_name(self):
        for connection in self:
            connection.display_name = f"{connection.requester_id.name} ↔ {connection.addressee_id.name}"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Connections are made through their actions."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Connections change only through their actions."))
        return super().write(vals)

    # --- actions -----------------------------------------------------------
    def _me(self):
        return self.env.user.partner_id

    @api.model
    def lbc_request_connection(self, partner_id, message=None):
        """Ask another member to connect. Returns the connection id."""
        me = self._me()
        other = self.env["res.partner"].sudo().browse(int(partner_id)).exists()
        if not other or other == me or not other.user_ids.filtered(lambda u: u._is_portal()):
            raise UserError(self.env._("This member cannot be found."))
        me._lbc_check_social_active()
        connection = me._lbc_connection_with(other)
        if connection.state == "blocked":
            raise UserError(self.env._("You cannot connect with this member."))
        if connection.state == "accepted":
            raise UserError(self.env._("You are already connected."))
        if connection.state == "requested":
            if connection.addressee_id == me:
                raise UserError(self.env._("This member already asked you: accept the request instead."))
            raise UserError(self.env._("Your request is waiting for an answer."))
        self.env["lbc.rate.limit"]._lbc_hit("connection_request")
        vals = {"requester_id": me.id, "addressee_id": other.id, "state": "requested", "message": message}
        if connection:
            connection._lbc_workflow_write(vals)
        else:
            connection = self._lbc_workflow_create([vals])
        return connection.id

    def _check_party(self, field, states):
        me = self._me()
        for connection in self:
            if connection[field] != me:
                raise AccessError(self.env._("This is not yours to answer."))
            if connection.state not in states:
                raise UserError(self.env._("This connection cannot change that way any more."))

    def action_accept(self):
        self._check_party("addressee_id", ("requested",))
        self._lbc_workflow_write({"state": "accepted", "date_accepted": fields.Datetime.now()})
        return True

    def action_decline(self):
        self._check_party("addressee_id", ("requested",))
        self._lbc_workflow_write({"state": "declined"})
        return True

    def action_withdraw(self):
        """The requester withdraws its request, or either member ends an accepted connection."""
        me = self._me()
        for connection in self:
            if connection.state == "requested" and connection.requester_id == me:
                continue
            if connection.state == "accepted" and me in (connection.requester_id | connection.addressee_id):
                continue
            raise UserError(self.env._("This connection cannot be withdrawn."))
        self._lbc_workflow_write({"state": "withdrawn"})
        return True

    def action_block(self):
        me = self._me()
        for connection in self:
            if me not in (connection.requester_id | connection.addressee_id):
                raise AccessError(self.env._("This is not your connection."))
        # a block stays the blocker's: blocking again never takes over (and then lifts) the other member's block
        self.filtered(lambda c: c.state != "blocked")._lbc_workflow_write({"state": "blocked", "blocked_by_id": me.id})
        return True

    def action_unblock(self):
        me = self._me()
        for connection in self:
            if connection.state != "blocked" or connection.blocked_by_id != me:
                raise UserError(self.env._("Only the member who blocked can unblock."))
        self._lbc_workflow_write({"state": "withdrawn", "blocked_by_id": False})
        return True

    @api.model
    def lbc_block_member(self, partner_id):
        """Block a member, connected or not: no messages, no profile, no requests either way."""
        me = self._me()
        other = self.env["res.partner"].sudo().browse(int(partner_id)).exists()
        if not other or other == me:
            raise UserError(self.env._("This member cannot be found."))
        connection = me._lbc_connection_with(other)
        if not connection:
            connection = self._lbc_workflow_create(
                [{"requester_id": me.id, "addressee_id": other.id, "state": "withdrawn"}]
            )
        connection.action_block()
        return connection.id

    @api.model
    def lbc_my_network(self):
        """Counters of the current member's network."""
        me = self._me()
        domain_mine = ["|", ("requester_id", "=", me.id), ("addressee_id", "=", me.id)]
        return {
            "connections": self.sudo().search_count([*domain_mine, ("state", "=", "accepted")]),
            "received": self.sudo().search_count([("addressee_id", "=", me.id), ("state", "=", "requested")]),
            "sent": self.sudo().search_count([("requester_id", "=", me.id), ("state", "=", "requested")]),
        }
