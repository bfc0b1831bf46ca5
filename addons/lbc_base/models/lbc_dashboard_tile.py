from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval


class LbcDashboardTile(models.Model):
    """One counter of LBC's back-office dashboard: what waits for LBC (companies to validate, documents to
    verify, bids to approve...). The dashboard is a kanban of these tiles, as Odoo's inventory overview is a
    kanban of operation types: each addon adds its tiles as data; a tile counts the records of its model
    matching its domain, with the rights of the user looking at it, and opens the same records as a list."""

    _name = "lbc.dashboard.tile"
    _description = "LBC Dashboard Tile"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Char(translate=True, help="One line under the counter: what to do with these records.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    res_model = fields.Char(string="Model", required=True)
    domain = fields.Char(
        required=True,
        default="[]",
        help="The records waiting for LBC. Evaluated with context_today, relativedelta, datetime and uid.",
    )
    action_id = fields.Many2one(
        "ir.actions.act_window",
        string="List Action",
        ondelete="set null",
        help="The action whose views and search view show the records; its domain is replaced by the tile's.",
    )
    group_ids = fields.Many2many(
        "res.groups",
        "lbc_dashboard_tile_group_rel",
        "tile_id",
        "group_id",
        string="Groups",
        help="Shown to the members of any of these groups (all LBC staff if empty).",
    )
    icon = fields.Char(default="fa-inbox", help="A Font Awesome class, e.g. fa-building.")
    alert = fields.Boolean(help="Shown in red when the counter is not zero (a failure to act upon).")
    count = fields.Integer(compute="_compute_count")

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_count(self):
        for tile in self:
            model = tile._lbc_model()
            tile.count = model.search_count(tile._lbc_domain()) if model is not None else 0

    @api.constrains("res_model", "domain")
    def _check_domain(self):
        for tile in self:
            if tile.res_model not in self.env:
                raise ValidationError(self.env._("Unknown model %(model)s.", model=tile.res_model))
            try:
                domain = tile._lbc_domain()
                self.env[tile.res_model].sudo()._search(domain)
            except Exception as exc:
                raise ValidationError(
                    self.env._("The domain of the tile %(tile)s is invalid: %(error)s", tile=tile.name, error=exc)
                ) from exc

    def _lbc_model(self):
        """The tile's model as the current user, or None when the user may not read it."""
        self.ensure_one()
        if self.res_model not in self.env:
            return None
        model = self.env[self.res_model]
        return model if model.has_access("read") else None

    def _lbc_domain(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        return safe_eval(
            self.domain or "[]",
            {
                "context_today": lambda: today,
                "relativedelta": relativedelta,
                "datetime": safe_datetime,
                "uid": self.env.uid,
            },
        )

    def action_open(self):
        """The list of the records the tile counts (the same domain, the same rights)."""
        self.ensure_one()
        if self._lbc_model() is None:
            raise AccessError(self.env._("You may not see the records of %(tile)s.", tile=self.name))
        if self.action_id:
            action = self.action_id._get_action_dict()
        else:
            action = {"type": "ir.actions.act_window", "views": [[False, "list"], [False, "form"]]}
        action.update(
            {
                "name": self.name,
                "res_model": self.res_model,
                "domain": self._lbc_domain(),
                # the list shows exactly what the tile counted: no default filter, no creation from here
                "context": {"create": False},
                "target": "current",
            }
        )
        action.pop("id", None)
        return action

    @api.model
    def _lbc_staff_counters(self):
        """The tiles the current user sees, with their counters (for tests, scripts and other dashboards)."""
        return [
            {
                "id": tile.id,
                "name": tile.name,
                "count": tile.count,
                "res_model": tile.res_model,
                "domain": tile._lbc_domain(),
                "alert": tile.alert,
            }
            for tile in self.search([])
        ]
