"""Market insights (feature `market_insights` of the paid plans): daily rates per skill and per region from the
platform's own contracted missions, aggregated so that no company can be identified."""

import statistics
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, float_round
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# Statistical disclosure control of the published cells (a cell: one skill, in one region or in every region).
MIN_MISSIONS = 10
"""A cell is published only with at least this many missions of other companies than the requester's: with
fewer, the quartiles come close to the rates themselves (with three missions the inclusive quartiles give the three
rates back exactly)."""
MIN_PROVIDERS = 5
"""... at least this many distinct providers other than the requester's company behind those missions ..."""
MIN_CLIENTS = 3
"""... at least this many distinct clients other than the requester's company (a client among three would
otherwise face only two others, and read their rates) ..."""
MAX_PROVIDER_SHARE = 0.5
"""... and no single provider holding more than this share of the cell's missions (dominance rule: the figures of
a dominated cell are one company's prices). The requester's own missions stay in the figures (it knows them) but never
count toward the thresholds above, so that it cannot make a thin cell pass with its own data."""
ROUND_TO = 10
"""The published quartiles are rounded to the nearest 10 (currency units): a new mission moves a figure only when it
changes the distribution, not by its exact rate. The number of withheld cells is never given (with narrow filters,
a count appearing would tell a subscriber that a competitor signed in a thin segment)."""
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
        address), for members whose plan includes market insights. A cell is given only when it passes the
        disclosure control of the module constants (``MIN_MISSIONS`` missions of ``MIN_PROVIDERS`` providers and
        ``MIN_CLIENTS`` clients, the requester's own company excluded, no provider above ``MAX_PROVIDER_SHARE`` of
        the missions), as quartiles rounded to ``ROUND_TO``: no company can be recognised. Withheld cells are
        simply absent (neither listed nor counted).

        Returns {"rows": [{skill_id, skill, region, region_label, missions, q1, median, q3}], "months",
        "currency"}; refused with the subscription offer without the feature."""
        partner = self.env.user.partner_id
        own_company = partner.commercial_partner_id.id
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
                cell = cells.setdefault(key, {"rates": [], "providers": [], "others": []})
                cell["rates"].append(float(rate))
                cell["providers"].append(provider_id)
                if own_company not in (provider_id, client_id):
                    cell["others"].append((provider_id, client_id))
        shown = {key: cell for key, cell in cells.items() if self._lbc_insight_cell_publishable(cell)}
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
                    "q1": self._lbc_insight_round(q1),
                    "median": self._lbc_insight_round(median),
                    "q3": self._lbc_insight_round(q3),
                }
            )
        rows.sort(key=lambda row: (row["skill"].lower(), bool(row["region"]), row["region_label"]))
        return {"rows": rows, "months": months, "currency": currency.name}

    @api.model
    def _lbc_insight_cell_publishable(self, cell):
        """Whether a cell passes the disclosure control: enough missions, providers and clients of other companies
        than the requester's (`cell["others"]`: their (provider, client) pairs), and no dominant provider among
        all of the cell's missions nor among the others'."""
        others = cell["others"]
        if len(others) < MIN_MISSIONS:
            return False
        if len({provider for provider, _client in others}) < MIN_PROVIDERS:
            return False
        if len({client for _provider, client in others}) < MIN_CLIENTS:
            return False
        for providers in (cell["providers"], [provider for provider, _client in others]):
            if max(map(providers.count, set(providers))) > MAX_PROVIDER_SHARE * len(providers):
                return False
        return True

    @api.model
    def _lbc_insight_round(self, value):
        """A published figure: rounded half-up to the nearest `ROUND_TO`, as an integer."""
        return int(float_round(value, precision_rounding=ROUND_TO))
