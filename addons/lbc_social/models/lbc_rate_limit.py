from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import SQL

# action: (default maximum, default window in minutes); both overridable through ir.config_parameter
# `lbc_social.rate_limit.<action>` and `lbc_social.rate_window.<action>`.
RATE_DEFAULTS = {
    "conversation_new": (10, 1440),
    "group_post": (20, 60),
    "comment": (30, 60),
    "same_message": (3, 60),
    "profile_view": (100, 60),
    "member_search": (30, 60),
    "report": (20, 1440),
    "connection_request": (50, 1440),
}

# Profile views and member searches are the pages a scraper reads: they stay on the primary (not `readonly`) and
# count each hit with one atomic upsert. A count kept off the primary (in the session, written every few hits) was
# bypassed by parallel requests on one session (the last session save wins) and by new sessions (hits never
# written): an anti-scraping limit needs a counter that every server increments atomically.


class LbcRateLimit(models.Model):
    """Counters of member actions per fixed time window, stored in PostgreSQL.

    Odoo runs several worker processes on several hosts: the counters live in the database,
    incremented with one atomic upsert (a concurrent increment of the same counter raises a
    serialization error and Odoo replays the request, so no hit is lost).
    """

    _name = "lbc.rate.limit"
    _description = "Rate Limit Counter"
    _order = "window_start desc, id desc"

    key = fields.Char(required=True, readonly=True, help="Who: partner:<id> or ip:<address>.")
    action = fields.Char(required=True, readonly=True)
    window_start = fields.Datetime(required=True, readonly=True)
    hits = fields.Integer(required=True, default=0, readonly=True)

    _key_action_window_uniq = models.Constraint(
        "UNIQUE(key, action, window_start)", "One counter per key, action and window."
    )

    @api.model
    def _lbc_limits(self, action):
        default_max, default_window = RATE_DEFAULTS.get(action, (100, 60))
        icp = self.env["ir.config_parameter"].sudo()
        try:
            maximum = int(icp.get_param(f"lbc_social.rate_limit.{action}", default_max))
            window = int(icp.get_param(f"lbc_social.rate_window.{action}", default_window))
        except ValueError:
            maximum, window = default_max, default_window
        return maximum, max(window, 1)

    @api.model
    def _lbc_window_start(self, window_minutes):
        epoch = fields.Datetime.to_datetime("1970-01-01")
        epoch_minutes = int((fields.Datetime.now() - epoch).total_seconds() // 60)
        return epoch + timedelta(minutes=epoch_minutes - epoch_minutes % window_minutes)

    @api.model
    def _lbc_increment(self, key, action, window_start, count):
        self.env.cr.execute(
            SQL(
                """INSERT INTO lbc_rate_limit (key, action, window_start, hits, create_date, write_date)
                   VALUES (%(key)s, %(action)s, %(start)s, %(count)s,
                           now() at time zone 'UTC', now() at time zone 'UTC')
                   ON CONFLICT (key, action, window_start)
                   DO UPDATE SET hits = lbc_rate_limit.hits + EXCLUDED.hits, write_date = EXCLUDED.write_date
                   RETURNING hits""",
                key=key,
                action=action,
                start=window_start,
                count=count,
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _lbc_hit(self, action, partner=None, count=1, message=None):
        """Count `count` hits of `action` for the member (and its IP address when in a request).

        Raise a UserError, and count nothing, when a limit would be exceeded.
        Superuser calls and LBC staff are not limited.
        """
        if self.env.su or self.env.user._is_internal() or count <= 0:
            return True
        partner = partner or self.env.user.partner_id
        # "same_message:<digest>" counts per text with the limits of "same_message"
        maximum, window = self._lbc_limits(action.split(":")[0])
        window_start = self._lbc_window_start(window)
        keys = [f"partner:{partner.id}"]
        if request and getattr(request, "httprequest", None) and request.httprequest.remote_addr:
            keys.append(f"ip:{request.httprequest.remote_addr}")
        error = message or self.env._(
            "You reached the limit of %(max)s actions of this kind (%(action)s) "
            "in %(window)s minutes. Please try again later.",
            max=maximum,
            action=action.replace("_", " "),
            window=window,
        )
        for key in keys:
            hits = self._lbc_increment(key, action, window_start, count)
            if hits > maximum:
                raise UserError(error)
        return True

    @api.model
    def _lbc_hits(self, action, partner):
        """Current count of the member's window (for tests and the staff views)."""
        _maximum, window = self._lbc_limits(action.split(":")[0])
        counter = self.sudo().search(
            [
                ("key", "=", f"partner:{partner.id}"),
                ("action", "=", action),
                ("window_start", "=", self._lbc_window_start(window)),
            ],
            limit=1,
        )
        return counter.hits

    @api.autovacuum
    def _gc_lbc_rate_limit(self):
        """Drop the counters of windows that ended more than two days ago."""
        limit = fields.Datetime.now() - timedelta(days=2)
        self.env.cr.execute(SQL("DELETE FROM lbc_rate_limit WHERE window_start < %s", limit))
