"""The market-insights page and its model method (feature `market_insights` of the paid plans): daily rates per
skill and region of the contracted missions, only for cells that pass the disclosure control (ten missions of five
providers and three clients other than the requester's company, no dominant provider), rounded to 10; refused with
the offer to subscribe without the feature. The plans live in lbc_erp_client: here the gate is patched."""

from datetime import timedelta

from odoo import fields
from odoo.addons.lbc_base.tests.common import lbc_feature_for
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import LbcInsightsCommon, LbcPortalPageMixin


class LbcInsightsPatched(LbcInsightsCommon):
    def _insights_for(self, *companies):
        return lbc_feature_for(self.registry, "market_insights", companies)


class TestMarketInsights(LbcInsightsPatched):
    def _insights(self, user, **kw):
        return self.env["lbc.mission"].with_user(user).lbc_market_insights(**kw)

    def _python_idf(self, user, companies, **kw):
        """The Python cell in Île-de-France as `user` sees it (None: withheld)."""
        with self._insights_for(*companies):
            rows = self._insights(user, skill_ids=[self.python.id], **kw)["rows"]
        return next((row for row in rows if row["region"] == "idf"), None)

    def _observer_cell(self, **kw):
        return self._python_idf(self.observer_admin, [self.observer], **kw)

    def _provider_a_cell(self, **kw):
        return self._python_idf(self.provider_a_admin, [self.provider_a], **kw)

    def _missions(self, *keys):
        """The Python missions of the fixture's (client, provider, rate) keys."""
        indexes = [self.PYTHON_MISSIONS.index(key) for key in keys]
        return self.python_missions.browse([self.python_missions.ids[index] for index in indexes])

    def _out_of_three_months(self, missions):
        missions.date_start = fields.Date.today() - timedelta(days=200)

    def test_denied_without_the_feature(self):
        with self._insights_for(self.provider_b), self.assertRaises(UserError):
            self._insights(self.provider_a_admin)

    def test_rates_rounded_without_identifying_a_company(self):
        with self._insights_for(self.provider_a):
            result = self._insights(self.provider_a_admin)
        self.assertEqual(set(result), {"rows", "months", "currency"}, "no count of withheld cells")
        rows = {(row["skill"], row["region"]): row for row in result["rows"]}
        self.assertEqual(set(rows), {("Python", ""), ("Python", "idf")}, "the Odoo mission stands alone: withheld")
        python = rows["Python", "idf"]
        # exact quartiles 555, 610 and 665: published rounded half-up to the nearest 10
        self.assertEqual((python["missions"], python["q1"], python["median"], python["q3"]), (12, 560, 610, 670))
        self.assertEqual(python["region_label"], "Île-de-France")
        for row in result["rows"]:
            self.assertFalse([row[key] % 10 for key in ("q1", "median", "q3") if row[key] % 10])
            self.assertNotIn("provider", str(row).lower())
            self.assertNotIn("client", str(row).lower())
        self.assertEqual(self._observer_cell(), python, "the same figures for every subscriber")

    def test_a_cell_of_nine_missions_is_withheld(self):
        # provider A's two missions leave the last three months: ten missions of providers B to F are left
        self._out_of_three_months(self._missions(("b", "a", 700), ("c", "a", 720)))
        self.assertEqual(self._observer_cell(months=3)["missions"], 10, "ten missions: published")
        self._out_of_three_months(self._missions(("b", "b", 520)))
        self.assertIsNone(self._observer_cell(months=3), "nine missions: withheld")
        self.assertEqual(self._observer_cell(months=12)["missions"], 12)

    def test_the_requesters_own_missions_do_not_count(self):
        self._out_of_three_months(self._missions(("b", "b", 520)))
        self.assertEqual(self._observer_cell(months=3)["missions"], 11, "eleven missions for an outsider")
        self.assertIsNone(
            self._provider_a_cell(months=3), "provider A's two missions leave nine of the others: withheld for it"
        )
        self.assertTrue(self._provider_a_cell(months=12), "ten of the others over twelve months")

    def test_a_client_among_three_clients_sees_nothing(self):
        # client A's single mission aside, eleven missions of five providers are left, but for two clients only
        self.assertIsNone(self._python_idf(self.client_a_admin, [self.client_a]))
        self.assertIsNone(self._python_idf(self.client_b_admin, [self.client_b]))
        self.assertTrue(self._observer_cell())

    def test_a_dominated_cell_is_withheld(self):
        # provider B takes over four missions: six of twelve, exactly half (six providers are still behind the cell)
        self._missions(("c", "c", 560), ("c", "d", 600), ("c", "e", 640), ("c", "f", 680)).provider_id = self.provider_b
        self.assertTrue(self._observer_cell(), "half of the missions: not dominant")
        self._missions(("c", "a", 720)).provider_id = self.provider_b
        self.assertIsNone(self._observer_cell(), "seven of twelve missions by provider B: withheld")

    def test_three_missions_cannot_be_reconstructed(self):
        # three providers for three clients on Odoo in Île-de-France, at 500, 600 and 700: the inclusive quartiles
        # of three values are 550, 600 and 650, from which the three rates follow; such a cell is never given
        for client, provider, rate in (
            (self.client_a, self.provider_b, 500),
            (self.client_b, self.provider_c, 600),
            (self.client_c, self.provider_d, 700),
        ):
            self._mission(client, provider, rate, self.odoo_skill)
        for user, company in ((self.observer_admin, self.observer), (self.provider_a_admin, self.provider_a)):
            with self._insights_for(company):
                result = self._insights(user, skill_ids=[self.odoo_skill.id], region="idf")
            self.assertEqual(result["rows"], [])

    def test_filters(self):
        with self._insights_for(self.provider_a):
            self.assertFalse(self._insights(self.provider_a_admin, region="ara")["rows"])
            self.assertFalse(self._insights(self.provider_a_admin, skill_ids=[self.odoo_skill.id])["rows"])
            by_skill = self._insights(self.provider_a_admin, skill_ids=[self.python.id], region="idf")
            self.assertEqual([row["region"] for row in by_skill["rows"]], ["", "idf"])
            self.assertNotIn("hidden", by_skill)


@tagged("post_install", "-at_install")
class TestMarketInsightsPage(HttpCase, LbcPortalPageMixin, LbcInsightsPatched):
    def test_page_without_the_feature_shows_the_offer(self):
        self._login(self.provider_a_admin)
        with self._insights_for():
            response = self.url_open("/my/insights")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_lbc_insights_upsell", response.text)
        self.assertIn("o_lbc_insights_sample", response.text)
        self.assertIn('href="/my/lbc/status"', response.text)
        self.assertNotIn("o_lbc_insights_table", response.text)

    def test_page_with_the_feature(self):
        self._login(self.provider_a_admin)
        with self._insights_for(self.provider_a):
            response = self.url_open(f"/my/insights?skill={self.python.id}&region=idf&months=6")
        self.assertIn("o_lbc_insights_table", response.text)
        self.assertIn('o_lbc_insights_median">610 ', response.text)
        self.assertIn("o_lbc_insights_withheld", response.text, "a filter: the coarse notice, without a count")
        self.assertNotIn("o_lbc_insights_upsell", response.text)
        with self._insights_for(self.provider_a):
            response = self.url_open("/my/insights")
        self.assertNotIn("o_lbc_insights_withheld", response.text)

    def test_tour_insights(self):
        with self._insights_for(self.provider_a):
            self.start_tour("/my", "lbc_tender_insights_tour", login="provider_a_admin")
