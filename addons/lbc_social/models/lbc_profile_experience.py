from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class LbcProfileExperience(models.Model):
    _name = "lbc.profile.experience"
    _description = "Profile Mission History Entry"
    _order = "date_start desc, id desc"

    profile_id = fields.Many2one("lbc.profile", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="profile_id.partner_id", store=True, index=True)
    title = fields.Char(required=True)
    company_name = fields.Char(string="Company")
    date_start = fields.Date(string="Start")
    date_end = fields.Date(string="End")
    description = fields.Text()
    skill_ids = fields.Many2many("lbc.skill", string="Skills")
    source = fields.Selection(
        [("manual", "Entered by the member"), ("platform", "Mission on the platform")],
        default="manual",
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [("offered", "Offered"), ("accepted", "On the profile"), ("declined", "Declined")],
        default="accepted",
        required=True,
        readonly=True,
    )
    recommendation_id = fields.Many2one("lbc.recommendation", readonly=True, ondelete="set null")

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for entry in self:
            if entry.date_start and entry.date_end and entry.date_end < entry.date_start:
                raise ValidationError(self.env._("A mission cannot end before it starts."))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if {"state", "source", "recommendation_id"} & set(vals):
                    raise UserError(self.env._("Platform missions are offered by the platform only."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and {"state", "source", "recommendation_id", "profile_id"} & set(vals):
            raise UserError(self.env._("Use the Accept or Decline actions."))
        return super().write(vals)

    def _check_owner(self):
        for entry in self:
            if entry.partner_id != self.env.user.partner_id and not self.env.su:
                raise AccessError(self.env._("Only the member can answer this offer."))
            if entry.state != "offered":
                raise UserError(self.env._("This entry is not waiting for an answer."))

    def action_accept(self):
        """Put a mission offered by the platform onto the profile (with the client's recommendation)."""
        self._check_owner()
        self.sudo().write({"state": "accepted"})
        self.recommendation_id.filtered(lambda r: r.state == "given").sudo().write({"state": "accepted"})
        return True

    def action_decline(self):
        self._check_owner()
        self.sudo().write({"state": "declined"})
        return True
