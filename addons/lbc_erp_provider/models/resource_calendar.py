from datetime import date, datetime, time

import holidays as holidays_lib

from odoo import api, fields, models

# French departments whose public holidays differ from metropolitan France (subdivision codes of `holidays`):
# Moselle (57) and Alsace (67, 68: "6AE") keep Good Friday and 26 December
FRENCH_ZIP_SUBDIVISIONS = {"57": "57", "67": "6AE", "68": "6AE"}
# France's overseas departments and collectivities, which Odoo has as countries of their own (l10n_fr's
# codes), as subdivisions of France in `holidays`
FRENCH_OVERSEAS_SUBDIVISIONS = {
    "GP": "971",
    "MQ": "972",
    "GF": "973",
    "RE": "974",
    "YT": "976",
    "BL": "BL",
    "MF": "MF",
    "NC": "NC",
    "PF": "PF",
    "PM": "PM",
    "TF": "TF",
    "WF": "WF",
}
SUBDIVISION_NAMES = {"57": "Moselle", "6AE": "Alsace"}


class ResourceCalendar(models.Model):
    """The working calendar of a place of work: Monday to Friday, and the public holidays of its country (and
    region: Alsace-Moselle, the overseas departments) from the `holidays` package as the calendar's global
    leaves. Activity reports, their grids and the demo read the days off there, so that a day LBC adds by
    hand to a calendar counts too."""

    _inherit = "resource.calendar"

    lbc_country_code = fields.Char(string="Public Holidays of", readonly=True, help="ISO code of the country.")
    lbc_subdivision = fields.Char(string="Region", readonly=True, help="Subdivision code of the holidays package.")
    lbc_holiday_years = fields.Char(
        readonly=True, help="The years whose public holidays were loaded from the holidays package."
    )

    _lbc_one_per_region = models.UniqueIndex(
        "(lbc_country_code, COALESCE(lbc_subdivision, '')) WHERE lbc_country_code IS NOT NULL",
        "There is one working calendar per region.",
    )

    @api.model
    def _lbc_region(self, partner):
        """(country code, subdivision or '') of the public holidays that apply at `partner`'s address."""
        partner = partner.commercial_partner_id if partner else partner
        code = (partner and partner.country_id.code) or "FR"
        if code in FRENCH_OVERSEAS_SUBDIVISIONS:
            return "FR", FRENCH_OVERSEAS_SUBDIVISIONS[code]
        if code == "FR":
            return "FR", FRENCH_ZIP_SUBDIVISIONS.get(((partner and partner.zip) or "").strip()[:2], "")
        return code, ""

    @api.model
    def _lbc_calendar_for(self, partner):
        """The working calendar of the region of `partner`'s address, made on first use."""
        country_code, subdivision = self._lbc_region(partner)
        calendars = self.sudo().with_context(active_test=False)  # platform data derived from public holidays
        calendar = calendars.search(
            [
                ("lbc_country_code", "=", country_code),
                ("lbc_subdivision", "=", subdivision or False),
                ("company_id", "in", [False, self.env.company.id]),
            ],
            limit=1,
        )
        if not calendar:
            country = self.env["res.country"].search([("code", "=", country_code)], limit=1)
            name = country.name or country_code
            if subdivision:
                name = f"{name} ({SUBDIVISION_NAMES.get(subdivision, subdivision)})"
            calendar = calendars.create(
                {
                    "name": self.env._("Working days – %(region)s", region=name),
                    "lbc_country_code": country_code,
                    "lbc_subdivision": subdivision or False,
                    "company_id": False,
                    "tz": "Europe/Paris" if country_code == "FR" and subdivision in ("", "57", "6AE") else "UTC",
                }
            )
        return calendar.sudo(False)

    def _lbc_missing_holiday_years(self, years):
        loaded = {int(y) for y in (self.lbc_holiday_years or "").split(",") if y}
        return sorted(set(years) - loaded) if self.lbc_country_code else []

    def _lbc_computed_holidays(self, years):
        """{date: name} of the region's public holidays of `years`, from the `holidays` package."""
        try:
            return holidays_lib.country_holidays(
                self.lbc_country_code, subdiv=self.lbc_subdivision or None, years=list(years), language="fr"
            )
        except NotImplementedError:  # a country the package does not know: weekends only
            return {}

    def _lbc_load_public_holidays(self, years):
        """Adds the public holidays of `years` (not loaded yet) to the calendar's global leaves."""
        self.ensure_one()
        loaded = {int(y) for y in (self.lbc_holiday_years or "").split(",") if y}
        missing = sorted(set(years) - loaded)
        if not missing or not self.lbc_country_code:
            return
        found = self._lbc_computed_holidays(missing)
        self.env["resource.calendar.leaves"].sudo().create(
            [
                {
                    "name": name,
                    "calendar_id": self.id,
                    "resource_id": False,
                    "date_from": datetime.combine(day, time.min),
                    "date_to": datetime.combine(day, time.max).replace(microsecond=0),
                    "time_type": "leave",
                }
                for day, name in sorted(found.items())
            ]
        )
        self.sudo().lbc_holiday_years = ",".join(str(y) for y in sorted(loaded | set(missing)))

    def _lbc_public_holidays(self, date_from, date_to):
        """{date: name} of the calendar's days off (global leaves) between two dates, both included. Read and
        loaded as superuser: public holidays are public, whoever asks (a member's activity report)."""
        self.ensure_one()
        calendar = self.sudo()
        years = range(date_from.year, date_to.year + 1)
        computed = {}
        if self.env.cr.readonly:
            # a page read on the replica stores nothing: the years not loaded yet are computed, not loaded
            missing = calendar._lbc_missing_holiday_years(years)
            computed = calendar._lbc_computed_holidays(missing) if missing else {}
        else:
            calendar._lbc_load_public_holidays(years)
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("calendar_id", "=", calendar.id),
                    ("resource_id", "=", False),
                    ("date_from", "<=", datetime.combine(date_to, time.max)),
                    ("date_to", ">=", datetime.combine(date_from, time.min)),
                ]
            )
        )
        days = {}
        for leave in leaves:
            day = leave.date_from.date()
            while day <= leave.date_to.date():
                if date_from <= day <= date_to:
                    days.setdefault(day, leave.name)
                day = date.fromordinal(day.toordinal() + 1)
        for day, name in sorted(computed.items()):
            if date_from <= day <= date_to:
                days.setdefault(day, name)
        return days

    def _lbc_working_days(self, date_from, date_to):
        """The working days (Monday to Friday, not a public holiday) between two dates, both included."""
        self.ensure_one()
        off = self._lbc_public_holidays(date_from, date_to)
        return [
            date.fromordinal(n)
            for n in range(date_from.toordinal(), date_to.toordinal() + 1)
            if date.fromordinal(n).weekday() < 5 and date.fromordinal(n) not in off
        ]
