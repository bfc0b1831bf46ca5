from odoo import fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    lbc_profile_ids = fields.One2many("lbc.profile", "partner_id", string="Social Profile")
    lbc_connection_sent_ids = fields.One2many("lbc.connection", "requester_id", string="Connections Asked")
    lbc_connection_received_ids = fields.One2many("lbc.connection", "addressee_id", string="Connections Received")
    lbc_report_received_ids = fields.One2many("lbc.content.report", "reported_partner_id", string="Reports Received")

    # --- network helpers (sudo: they answer yes/no, they never return other members' data) ---
    def _lbc_connection_with(self, other):
        self.ensure_one()
        return (
            self.env["lbc.connection"]
            .sudo()
            .search(
                [
                    "|",
                    "&",
                    ("requester_id", "=", self.id),
                    ("addressee_id", "=", other.id),
                    "&",
                    ("requester_id", "=", other.id),
                    ("addressee_id", "=", self.id),
                ],
                limit=1,
            )
        )

    def _lbc_is_connected(self, other):
        return self._lbc_connection_with(other).state == "accepted"

    def _lbc_is_blocked(self, other):
        """Whether either member blocked the other."""
        return self._lbc_connection_with(other).state == "blocked"

    def _lbc_connected_partners(self):
        self.ensure_one()
        connections = (
            self.env["lbc.connection"]
            .sudo()
            .search([("state", "=", "accepted"), "|", ("requester_id", "=", self.id), ("addressee_id", "=", self.id)])
        )
        return (connections.requester_id | connections.addressee_id) - self

    def _lbc_blocked_partners(self):
        """Members this one blocked or was blocked by."""
        self.ensure_one()
        connections = (
            self.env["lbc.connection"]
            .sudo()
            .search([("state", "=", "blocked"), "|", ("requester_id", "=", self.id), ("addressee_id", "=", self.id)])
        )
        return (connections.requester_id | connections.addressee_id) - self

    def _lbc_shares_group(self, other):
        self.ensure_one()
        memberships = self.env["lbc.social.group.member"].sudo()
        groups = memberships.search([("partner_id", "=", self.id), ("state", "=", "member")]).group_id
        return bool(
            groups
            and memberships.search_count(
                [("partner_id", "=", other.id), ("state", "=", "member"), ("group_id", "in", groups.ids)], limit=1
            )
        )

    def _lbc_check_social_active(self):
        """Refuse social actions of a member suspended by the moderators."""
        for partner in self:
            profile = partner.sudo().lbc_profile_ids[:1]
            if profile.is_suspended:
                raise UserError(
                    self.env._("Your account is suspended on the social network: you cannot do this for now.")
                )
