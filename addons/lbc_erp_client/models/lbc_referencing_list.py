from odoo import api, fields, models
from odoo.exceptions import AccessError


class LbcReferencingList(models.Model):
    _name = "lbc.referencing.list"
    _description = "Referencing List of a Client"
    _inherit = ["mail.thread"]
    _order = "client_id, name"

    name = fields.Char(required=True, tracking=True)
    client_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_company", "=", True), ("lbc_is_client", "=", True)],
        default=lambda self: self.env.user.partner_id.commercial_partner_id.filtered("lbc_is_client"),
    )
    provider_ids = fields.Many2many(
        "res.partner",
        "lbc_referencing_list_provider_rel",
        "list_id",
        "provider_id",
        string="Providers",
        domain=[("is_company", "=", True), ("lbc_is_provider", "=", True), ("lbc_state", "=", "validated")],
    )
    active = fields.Boolean(default=True)
    provider_count = fields.Integer(compute="_compute_provider_count")

    _name_client_uniq = models.Constraint("UNIQUE(client_id, name)", "This client already has a list with this name.")

    @api.depends("provider_ids")
    def _compute_provider_count(self):
        for referencing in self:
            referencing.provider_count = len(referencing.provider_ids)

    def _lbc_check_client_admin(self):
        if self.env["res.partner"]._lbc_is_operator():
            return
        user = self.env.user
        for referencing in self:
            client = referencing.client_id
            if not (user._lbc_has_role(("admin", "tender_publisher"), client)):
                raise AccessError(self.env._("Only an administrator or a tender publisher of the client can do this."))

    @api.model_create_multi
    def create(self, vals_list):
        lists = super().create(vals_list)
        lists._lbc_check_client_admin()
        return lists

    def write(self, vals):
        self._lbc_check_client_admin()
        return super().write(vals)
