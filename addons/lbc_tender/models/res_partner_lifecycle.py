from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _lbc_deletion_blockers(self):
        """A member cannot leave while it would break a running mission: it is the consultant of an active
        mission, or the only administrator or signatory of a company with active missions."""
        blockers = super()._lbc_deletion_blockers()
        Mission = self.env["lbc.mission"].sudo()
        missions = Mission.search([("consultant_id", "=", self.id), ("state", "=", "active")])
        if missions:
            blockers.append(
                self.env._(
                    "you are the consultant of the running mission(s) %(missions)s.",
                    missions=", ".join(missions.mapped("name")),
                )
            )
        company = self.parent_id
        if company:
            running = Mission.search_count(
                ["|", ("client_id", "=", company.id), ("provider_id", "=", company.id), ("state", "=", "active")],
                limit=1,
            )
            if running:
                roles = company.sudo().lbc_role_ids
                for role, label in (("admin", self.env._("administrator")), ("signatory", self.env._("signatory"))):
                    holders = roles.filtered(lambda r, role=role: r.role == role).member_id
                    if holders == self:
                        blockers.append(
                            self.env._(
                                "you are the only %(role)s of %(company)s, which has running missions: "
                                "name another %(role)s first.",
                                role=label,
                                company=company.name,
                            )
                        )
        return blockers
