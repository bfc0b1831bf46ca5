from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.sql import escape_psql


class LbcReferencingList(models.Model):
    _name = "lbc.referencing.list"
    _description = "Referencing List of a Client"
    _inherit = ["lbc.workflow.mixin", "mail.thread"]
    _order = "client_id, name"
    # a list is one client's for good
    _lbc_parent_fields = ("client_id",)

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

    @api.constrains("name")
    def _check_name(self):
        for referencing in self:
            if not (referencing.name or "").strip():
                raise ValidationError(self.env._("Give the list a name."))

    @api.model
    def _lbc_check_name_free(self, client_id, name, exclude=None):
        """Refuse a second list of the same name for a client (before the database's unique index says it
        less clearly)."""
        domain = [("client_id", "=", client_id), ("name", "=", name)]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        if name and self.sudo().with_context(active_test=False).search_count(domain, limit=1):
            raise ValidationError(self.env._("Your company already has a list with this name."))

    @api.constrains("client_id", "provider_ids")
    def _check_providers(self):
        """A list belongs to a client company and holds validated provider companies only, whoever writes it."""
        for referencing in self.sudo():
            if not (referencing.client_id.is_company and referencing.client_id.lbc_is_client):
                raise ValidationError(self.env._("A referencing list belongs to a client company."))
            wrong = referencing.provider_ids.filtered(
                lambda p: not (p.is_company and p.lbc_is_provider and p.lbc_state == "validated")
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "%(names)s cannot be referenced: only validated provider companies can.",
                        names=", ".join(wrong.mapped("name")),
                    )
                )

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
        default_client = self.default_get(["client_id"]).get("client_id")
        for vals in vals_list:
            if isinstance(vals.get("name"), str):
                vals["name"] = vals["name"].strip()
            self._lbc_check_name_free(vals.get("client_id", default_client), vals.get("name"))
        lists = super().create(vals_list)
        lists._lbc_check_client_admin()
        return lists

    def write(self, vals):
        self._lbc_check_client_admin()
        if isinstance(vals.get("name"), str):
            vals = {**vals, "name": vals["name"].strip()}
            for referencing in self:
                self._lbc_check_name_free(referencing.client_id.id, vals["name"], exclude=referencing)
        return super().write(vals)

    # --- providers of a list ------------------------------------------------------------
    def action_add_provider(self, provider_name):
        """An administrator or a tender publisher of the client adds the validated provider company named exactly
        `provider_name` (case aside) to the list. Returns the provider's id."""
        self.ensure_one()
        self.check_access("write")
        self._lbc_check_client_admin()
        typed = (provider_name or "").strip()
        if not typed:
            raise ValidationError(self.env._("Type the exact name of a provider company."))
        # sudo: a client cannot read providers it has no relation with yet. The lookup is safe: fixed domain
        # (validated provider companies), exact name only (no pattern), and it reveals nothing but the existence
        # of a company the public marketplace already names.
        providers = (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("name", "=ilike", escape_psql(typed)),
                    ("is_company", "=", True),
                    ("lbc_is_provider", "=", True),
                    ("lbc_state", "=", "validated"),
                ],
                limit=2,
            )
        )
        if not providers:
            raise ValidationError(self.env._("No validated provider is named exactly “%(name)s”.", name=typed))
        if len(providers) > 1:
            raise ValidationError(
                self.env._("Several providers are named “%(name)s”: contact LBC to add the right one.", name=typed)
            )
        # sudo: linking checks read access on the provider, which the client gets only once the provider is in
        # one of its lists; the member's right to change this list is checked above
        self.sudo().write({"provider_ids": [fields.Command.link(providers.id)]})
        return providers.id

    def action_remove_provider(self, provider_id):
        """An administrator or a tender publisher of the client removes a provider from the list."""
        self.ensure_one()
        self._lbc_check_client_admin()
        if provider_id not in self.provider_ids.ids:
            raise ValidationError(self.env._("This provider is not in the list."))
        self.write({"provider_ids": [fields.Command.unlink(provider_id)]})
        return True
