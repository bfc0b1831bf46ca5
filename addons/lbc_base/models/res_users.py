from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _lbc_has_role(self, role, company=None, verified=False):
        """Whether the user holds `role` in `company` (default: its own company).

        `verified=True` requires the role to be verified by LBC (the signatory's capacity).
        """
        self.ensure_one()
        partner = self.partner_id
        company = company or partner.parent_id
        if not company or partner.parent_id != company:
            return False
        domain = [("member_id", "=", partner.id), ("member_company_id", "=", company.id), ("role", "=", role)]
        if verified:
            domain.append(("verification_state", "=", "verified"))
        return bool(self.env["lbc.company.role"].sudo().search_count(domain, limit=1))
