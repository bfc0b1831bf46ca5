from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain


class ResPartner(models.Model):
    _inherit = "res.partner"

    lbc_skill_ids = fields.Many2many(
        "lbc.skill",
        "lbc_partner_skill_rel",
        "partner_id",
        "skill_id",
        string="Skills Offered",
        help="Providers whose skills match a new tender receive it in their daily digest.",
    )
    lbc_labour_law_ack_date = fields.Datetime(
        string="Labour-law Obligations Acknowledged On",
        readonly=True,
        copy=False,
        help="The provider acknowledged once that it does not lend labour for profit (L.8241-1) "
        "nor practise 'marchandage' (L.8231-1).",
    )
    lbc_labour_law_ack_user_id = fields.Many2one("res.users", string="Acknowledged By", readonly=True, copy=False)
    lbc_fee_mode = fields.Selection(
        [("per_day", "Fixed amount per invoiced day"), ("percent", "Percentage of the invoiced amount")],
        string="Own Fee Mode",
        help="Leave empty to apply LBC's default management fee.",
    )
    lbc_fee_value = fields.Float(string="Own Fee Value", digits=(16, 2))
    lbc_tender_digest_date = fields.Date(string="Last Tender Digest", readonly=True, copy=False)
    lbc_bid_ids = fields.One2many("lbc.tender.bid", "provider_id", string="Bids")
    lbc_provider_mission_ids = fields.One2many("lbc.mission", "provider_id", string="Missions as Provider")
    lbc_consultant_bid_ids = fields.One2many("lbc.tender.bid", "consultant_id", string="Bids as Consultant")
    lbc_tender_access = fields.Boolean(
        compute="_compute_lbc_tender_access",
        help="Whether the provider's members see published tenders: company validated, current framework "
        "contract accepted, labour-law obligations acknowledged.",
    )

    @api.depends_context("uid")
    def _compute_lbc_tender_access(self):
        for partner in self:
            partner.lbc_tender_access = not partner.sudo()._lbc_tender_access_missing()

    def _lbc_tender_access_missing(self):
        """What keeps this provider from the marketplace (empty list: nothing)."""
        self.ensure_one()
        missing = []
        if not self.is_company or not self.lbc_is_provider:
            return [self.env._("%(company)s is not a provider company", company=self.name)]
        if self.lbc_state != "validated":
            missing.append(self.env._("the company is not validated by LBC"))
        if not self.lbc_has_accepted("provider_framework"):
            missing.append(self.env._("the current provider framework contract is not accepted"))
        if not self.lbc_labour_law_ack_date:
            missing.append(self.env._("the labour-law obligations are not acknowledged"))
        return missing

    def _lbc_fee_terms(self):
        """(mode, value) of the management fee for this provider: its own terms or LBC's defaults."""
        self.ensure_one()
        if self.lbc_fee_mode:
            return self.lbc_fee_mode, self.lbc_fee_value
        company = self.env.company
        return company.lbc_fee_mode, company.lbc_fee_value

    def action_lbc_acknowledge_labour_law(self):
        """A provider's admin or signatory acknowledges once the labour-law obligations."""
        self.ensure_one()
        user = self.env.user
        if not self.lbc_is_provider:
            raise UserError(self.env._("%(company)s is not a provider company.", company=self.name))
        if not self._lbc_is_operator() and not (user._lbc_has_role(("admin", "signatory"), self, verified=True)):
            raise AccessError(
                self.env._(
                    "Only an administrator of %(company)s, or its signatory once verified by LBC, can do this.",
                    company=self.name,
                )
            )
        if not self.lbc_labour_law_ack_date:
            self.sudo().write({"lbc_labour_law_ack_date": fields.Datetime.now(), "lbc_labour_law_ack_user_id": user.id})
            self.sudo().message_post(
                body=self.env._(
                    "%(user)s acknowledged the labour-law obligations: no illicit lending of labour for profit "
                    "(L.8241-1), no 'marchandage' (L.8231-1).",
                    user=user.name,
                )
            )
            # tender visibility rules read this flag: recompute them
            self.env.registry.clear_cache()
        return True

    def action_lbc_set_skills(self, skill_ids):
        """A company admin sets the skills its company offers (the whole list): the daily tender alerts and the
        skills match of its bids read them."""
        self.ensure_one()
        if not self.is_company or not self.lbc_state or not self.lbc_is_provider:
            raise UserError(self.env._("%(company)s is not a provider company.", company=self.display_name))
        self._lbc_check_company_admin()
        ids = list(dict.fromkeys(int(skill_id) for skill_id in skill_ids or ()))
        skills = self.env["lbc.skill"].browse(ids).exists()
        if len(skills) != len(ids):
            raise UserError(self.env._("Choose the skills from the list."))
        before = self.sudo().lbc_skill_ids
        # sudo after the checks above: members do not write their company; only its skills are written
        self._lbc_workflow_write({"lbc_skill_ids": [Command.set(skills.ids)]})
        added, removed = skills - before, before - skills
        if added or removed:
            self.sudo().message_post(
                body=self.env._(
                    "%(user)s changed the skills offered. Added: %(added)s. Removed: %(removed)s.",
                    user=self.env.user.name,
                    added=", ".join(added.mapped("name")) or "-",
                    removed=", ".join(removed.mapped("name")) or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # --- account deletion (lbc_base) ---------------------------------------------------------
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

    def _lbc_shares_engagement(self, other):
        """A client's members and a provider's members (consultants included) share an engagement while a
        live bid or a mission links their companies."""
        self.ensure_one()
        if super()._lbc_shares_engagement(other):
            return True
        mine, theirs = self.commercial_partner_id, other.commercial_partner_id
        if mine == theirs:
            return False
        pair = (mine | theirs).ids
        if (
            self.env["lbc.mission"]
            .sudo()
            .search_count(
                [("client_id", "in", pair), ("provider_id", "in", pair), ("state", "in", ("draft", "active"))], limit=1
            )
        ):
            return True
        return bool(
            self.env["lbc.tender.bid"]
            .sudo()
            .search_count(
                [
                    ("client_id", "in", pair),
                    ("provider_id", "in", pair),
                    # a submitted bid on a sealed tender links nobody before the deadline: who bid stays sealed
                    "|",
                    ("state", "in", ("selected", "approved", "contracted")),
                    "&",
                    ("state", "=", "submitted"),
                    ("tender_id.lbc_bids_open", "=", True),
                ],
                limit=1,
            )
        )

    # --- the company page (lbc_base): the other party within the marketplace -----------------
    @api.model
    def _lbc_page_visible_domain(self):
        """lbc_base's own company, and the other party within the marketplace and contracting:

        - the client of a tender the member's company can see or bid on (the tender's record rules: published
          to the providers with access to the marketplace, to its referencing lists with lbc_erp_client, or bid
          on);
        - the provider of a bid on the member's tenders, once the client may read that bid (sealed bids: after
          the deadline, never a draft or withdrawn bid);
        - both parties of the member's missions.

        Each part is a sub-query evaluated with the member's own rights at the time of the query (no cache to
        clear): nothing here reads a tender, bid or mission the member could not read over RPC."""
        domain = super()._lbc_page_visible_domain()
        user = self.env.user
        company = user.partner_id.parent_id
        if user._is_internal() or user._is_public() or not company.lbc_state:
            return domain
        # the member's own record rules decide (this runs inside res.partner's rules, applied as superuser)
        env = self.env(su=False)
        Tender, Bid, Mission = env["lbc.tender"], env["lbc.tender.bid"], env["lbc.mission"]
        parts = [domain]
        if Tender.has_access("read"):
            tenders = Tender._search([("client_id", "!=", company.id), ("state", "!=", "draft")])
            parts.append(Domain("id", "in", tenders.subselect("client_id")))
        if Bid.has_access("read"):
            bids = Bid._search([("client_id", "=", company.id), ("state", "not in", ("draft", "withdrawn"))])
            parts.append(Domain("id", "in", bids.subselect("provider_id")))
        if Mission.has_access("read"):
            missions = Mission._search([])
            parts.append(Domain("id", "in", missions.subselect("client_id")))
            parts.append(Domain("id", "in", Mission._search([]).subselect("provider_id")))
        return Domain.OR(parts)


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def lbc_access_missing(self, needs=("company", "validated", "agreements", "labour_law")):
        missing = super().lbc_access_missing(needs=needs)
        company = self._lbc_me()[1]
        if "labour_law" in needs and company.lbc_is_provider and not company.lbc_labour_law_ack_date:
            missing.append(
                {
                    "code": "labour_law",
                    "text": self.env._(
                        "%(company)s has not acknowledged its labour-law obligations (no illicit lending of "
                        "labour for profit, L.8241-1; no 'marchandage', L.8231-1).",
                        company=company.name,
                    ),
                    "action": "/my/company/acknowledge_labour_law",
                    "label": self.env._("I acknowledge these obligations"),
                }
            )
        return missing
