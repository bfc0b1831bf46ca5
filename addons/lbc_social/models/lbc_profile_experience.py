from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class LbcProfileExperience(models.Model):
    _name = "lbc.profile.experience"
    _description = "Profile Mission History Entry"
    _inherit = ["lbc.workflow.mixin"]
    _order = "date_start desc, id desc"
    # an entry stays on its profile; the platform offers missions, the member answers the offer
    _lbc_workflow_fields = ("partner_id", "source", "state", "recommendation_id")
    _lbc_parent_fields = ("profile_id",)

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

    def _lbc_workflow_locked_fields(self):
        """A mission done on the platform is the platform's record: the member accepts or declines it as is."""
        if any(entry.source == "platform" for entry in self):
            return {"title", "company_name", "date_start", "date_end", "description", "skill_ids"}
        return set()

    def _check_owner(self):
        for entry in self:
            if entry.sudo().profile_id.partner_id != self.env.user.partner_id and not self.env.su:
                raise AccessError(self.env._("Only the member can answer this offer."))
            if entry.state != "offered":
                raise UserError(self.env._("This entry is not waiting for an answer."))

    def action_accept(self):
        """Put a mission offered by the platform onto the profile (with the client's recommendation)."""
        self._check_owner()
        self._lbc_workflow_write({"state": "accepted"})
        self.recommendation_id.filtered(lambda r: r.state == "given")._lbc_set_state("accepted")
        return True

    def action_decline(self):
        self._check_owner()
        self._lbc_workflow_write({"state": "declined"})
        return True
