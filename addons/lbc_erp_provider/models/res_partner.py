from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    lbc_self_billing_mandate = fields.Boolean(
        string="Self-billing Mandate Signed",
        readonly=True,
        copy=False,
        tracking=True,
        help="The provider signed the mandate by which LBC issues its invoices on its behalf (self-billing).",
    )
    lbc_self_billing_mandate_date = fields.Date(string="Mandate Signed On", readonly=True, copy=False)

    def action_lbc_sign_self_billing_mandate(self):
        """The provider's admin or signatory signs the self-billing mandate."""
        self.ensure_one()
        user = self.env.user
        if not self.lbc_is_provider:
            raise UserError(self.env._("%(company)s is not a provider company.", company=self.name))
        if not self._lbc_is_operator() and not (user._lbc_has_role(("admin", "signatory"), self)):
            raise AccessError(
                self.env._("Only an administrator or the signatory of %(company)s can do this.", company=self.name)
            )
        self.sudo().write(
            {"lbc_self_billing_mandate": True, "lbc_self_billing_mandate_date": fields.Date.context_today(self)}
        )
        self.sudo().message_post(body=self.env._("%(user)s signed the self-billing mandate.", user=user.name))
        return True

    def action_lbc_invite_collaborator(self, name, email):
        """A company admin invites a consultant: a portal user with the consultant profile, invited by e-mail."""
        self.ensure_one()
        self._lbc_check_company_admin()
        if not self.lbc_is_provider:
            raise UserError(self.env._("Only provider companies have consultants."))
        email = (email or "").strip().lower()
        if not name or not email or "@" not in email:
            raise UserError(self.env._("Give the consultant's name and a valid e-mail address."))
        Users = self.env["res.users"].sudo()
        if Users.with_context(active_test=False).search_count([("login", "=", email)], limit=1):
            raise UserError(
                self.env._("%(email)s already has an account: ask the member to join your company.", email=email)
            )
        user = Users.with_context(no_reset_password=True).create(
            {
                "name": name,
                "login": email,
                "email": email,
                "parent_id": self.id,
                "lbc_profile_type": "consultant",
                "group_ids": [fields.Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        user.with_context(create_user=True).action_reset_password()
        self.sudo().message_post(body=self.env._("%(name)s was invited as a consultant.", name=name))
        return user.partner_id.id
