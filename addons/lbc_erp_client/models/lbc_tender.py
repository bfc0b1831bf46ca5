from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class LbcTender(models.Model):
    _inherit = "lbc.tender"
    # computed from the referencing lists: never given by the client
    _lbc_workflow_fields = ("audience_provider_ids",)

    audience = fields.Selection(selection_add=[("lists", "My referencing lists")], ondelete={"lists": "set default"})
    referencing_list_ids = fields.Many2many(
        "lbc.referencing.list",
        string="Referencing Lists",
        domain="[('client_id', '=', client_id)]",
        help="Only the providers of these lists see the tender.",
    )
    audience_provider_ids = fields.Many2many(
        "res.partner",
        "lbc_tender_audience_provider_rel",
        "tender_id",
        "provider_id",
        compute="_compute_audience_provider_ids",
        store=True,
        string="Providers in the Audience",
    )

    @api.depends("audience", "referencing_list_ids.provider_ids")
    def _compute_audience_provider_ids(self):
        for tender in self:
            tender.audience_provider_ids = (
                tender.referencing_list_ids.provider_ids if tender.audience == "lists" else False
            )

    @api.model
    def _lbc_audience_domain(self, provider):
        """A tender restricted to referencing lists is meant for the providers on those lists only."""
        return super()._lbc_audience_domain(provider) | (
            Domain("audience", "=", "lists") & Domain("audience_provider_ids", "in", provider.ids)
        )

    def _publish_blockers(self):
        problems = super()._publish_blockers()
        if self.audience == "lists" and not self.sudo().referencing_list_ids.provider_ids:
            problems.append(self.env._("the chosen referencing lists hold no provider"))
        if self.referencing_list_ids.filtered(lambda rl: rl.client_id != self.client_id):
            raise UserError(self.env._("A tender uses only its client's referencing lists."))
        return problems
