"""Market insights (feature `market_insights` of the paid plans): daily rates per skill and per region from the
platform's own contracted missions, aggregated so that no company can be identified."""

import statistics
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# a cell is shown only when this many distinct providers AND distinct clients are behind it
MIN_COMPANIES = 3
PERIODS = (3, 6, 12, 24)
# the French regions by department (first digits of the client's postal code)
REGION_NAMES = {
    "ara": _lt("Auvergne-Rhône-Alpes"),
    "bfc": _lt("Bourgogne-Franche-Comté"),
    "bre": _lt("Brittany"),
    "cvl": _lt("Centre-Val de Loire"),
    "cor": _lt("Corsica"),
    "ges": _lt("Grand Est"),
    "hdf": _lt("Hauts-de-France"),
    "idf": _lt("Île-de-France"),
    "nor": _lt("Normandy"),
    "naq": _lt("Nouvelle-Aquitaine"),
    "occ": _lt("Occitanie"),
    "pdl": _lt("Pays de la Loire"),
    "pac": _lt("Provence-Alpes-Côte d'Azur"),
    "gp": _lt("Guadeloupe"),
    "mq": _lt("Martinique"),
    "gf": _lt("French Guiana"),
    "re": _lt("Réunion"),
    "yt": _lt("Mayotte"),
    "abroad": _lt("Outside France"),
}
REGION_DEPARTMENTS = {
    "ara": "01 03 07 15 26 38 42 43 63 69 73 74",
    "bfc": "21 25 39 58 70 71 89 90",
    "bre": "22 29 35 56",
    "cvl": "18 28 36 37 41 45",
    "cor": "20",
    "ges": "08 10 51 52 54 55 57 67 68 88",
    "hdf": "02 59 60 62 80",
    "idf": "75 77 78 91 92 93 94 95",
    "nor": "14 27 50 61 76",
    "naq": "16 17 19 23 24 33 40 47 64 79 86 87",
    "occ": "09 11 12 30 31 32 34 46 48 65 66 81 82",
    "pdl": "44 49 53 72 85",
    "pac": "04 05 06 13 83 84",
    "gp": "971",
    "mq": "972",
    "gf": "973",
    "re": "974",
    "yt": "976",
    "abroad": "",
}
DEPARTMENT_REGION = {dep: code for code, deps in REGION_DEPARTMENTS.items() for dep in deps.split()}


def region_of(country_code, zip_code):
    """The region code of an address (France: from the postal code; elsewhere: abroad; unknown: None)."""
    if country_code and country_code != "FR":
        return "abroad"
    digits = "".join(ch for ch in (zip_code or "") if ch.isdigit())
    if len(digits) < 2:
        return None
    return DEPARTMENT_REGION.get(digits[:3]) or DEPARTMENT_REGION.get(digits[:2])


class LbcMission(models.Model):
    _inherit = "lbc.mission"

    @api.model
    def _lbc_insight_regions(self):
        return [(code, str(label)) for code, label in REGION_NAMES.items()]

    @api.model
    def lbc_market_insights(self, skill_ids=None, region=None, months=12):
        """Daily rates of the platform's contracted missions, per skill and region (the region of the client's
        address), for members whose plan includes market insights. Only cells behind at least three distinct
        providers and three distinct clients are given, as quartiles: no company can be recognised.

        Returns {"rows": [{skill_id, skill, region, region_label, missions, q1, median, q3}], "hidden": number of
        cells withheld, "months", "currency"}; refused with the subscription offer without the feature."""
        partner = self.env.user.partner_id
        if not self.env["res.partner"]._lbc_is_operator():
            partner._lbc_check_feature("market_insights")
        try:
            months = int(months or 12)
        except (TypeError, ValueError):
            months = 12
        if months not in PERIODS:
            months = 12
        skill_ids = [int(s) for s in (skill_ids or []) if str(s).isdigit() or isinstance(s, int)]
        regions = dict(self._lbc_insight_regions())
        if region and region not in regions:
            region = None
        since = fields.Date.context_today(self) - timedelta(days=round(months * 30.44))
        currency = self.env.company.currency_id
        skill_field = self.env["lbc.tender"]._fields["skill_ids"]
        # aggregated figures of every company's missions: read as superuser, after the feature check above
        query = SQL(
            """
            SELECT rel.%(skill_col)s, m.daily_rate, m.provider_id, m.client_id, country.code, client.zip
              FROM lbc_mission m
              JOIN %(rel)s rel ON rel.%(tender_col)s = m.tender_id
              JOIN res_partner client ON client.id = m.client_id
         LEFT JOIN res_country country ON country.id = client.country_id
             WHERE m.state IN ('active', 'done', 'terminated')
               AND m.date_start >= %(since)s
               AND m.currency_id = %(currency)s
               %(skill_filter)s
            """,
            skill_col=SQL.identifier(skill_field.column2),
            rel=SQL.identifier(skill_field.relation),
            tender_col=SQL.identifier(skill_field.column1),
            since=since,
            currency=currency.id,
            skill_filter=SQL("AND rel.%s IN %s", SQL.identifier(skill_field.column2), tuple(skill_ids))
            if skill_ids
            else SQL(),
        )
        self.env.flush_all()
        self.env.cr.execute(query)
        cells = {}
        for skill_id, rate, provider_id, client_id, country_code, zip_code in self.env.cr.fetchall():
            cell_region = region_of(country_code, zip_code)
            if region and cell_region != region:
                continue
            # each skill in every region together, and in its own region
            for key in ((skill_id, False), (skill_id, cell_region)) if cell_region else ((skill_id, False),):
                cell = cells.setdefault(key, {"rates": [], "providers": set(), "clients": set()})
                cell["rates"].append(float(rate))
                cell["providers"].add(provider_id)
                cell["clients"].add(client_id)
        shown = {
            key: cell
            for key, cell in cells.items()
            if len(cell["providers"]) >= MIN_COMPANIES and len(cell["clients"]) >= MIN_COMPANIES
        }
        skills = self.env["lbc.skill"].sudo().browse({skill_id for skill_id, _region in shown})
        names = {skill.id: skill.name for skill in skills}
        rows = []
        for (skill_id, cell_region), cell in shown.items():
            q1, median, q3 = statistics.quantiles(cell["rates"], n=4, method="inclusive")
            rows.append(
                {
                    "skill_id": skill_id,
                    "skill": names[skill_id],
                    "region": cell_region or "",
                    "region_label": regions[cell_region] if cell_region else self.env._("All regions"),
                    "missions": len(cell["rates"]),
                    "q1": round(q1, 2),
                    "median": round(median, 2),
                    "q3": round(q3, 2),
                }
            )
        rows.sort(key=lambda row: (row["skill"].lower(), bool(row["region"]), row["region_label"]))
        return {"rows": rows, "hidden": len(cells) - len(shown), "months": months, "currency": currency.name}
