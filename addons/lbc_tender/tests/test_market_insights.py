"""The market-insights page and its model method (feature `market_insights` of the paid plans): daily rates per
skill and region of the contracted missions, only where three providers and three clients are behind a figure;
refused with the offer to subscribe without the feature. The plans live in lbc_erp_client: here the gate is
patched."""

from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import LbcInsightsCommon, LbcPortalPageMixin


class LbcInsightsPatched(LbcInsightsCommon):
    @contextmanager
    def _insights_for(self, *companies):
        def has_feature(partner, code):
            return code == "market_insights" and partner.commercial_partner_id in companies

        with patch.object(self.registry["res.partner"], "_lbc_has_feature", has_feature):
            yield


class TestMarketInsights(LbcInsightsPatched):
    def _insights(self, user, **kw):
        return self.env["lbc.mission"].with_user(user).lbc_market_insights(**kw)

    def test_denied_without_the_feature(self):
        with self._insights_for(self.provider_b), self.assertRaises(UserError):
            self._insights(self.provider_a_admin)

    def test_rates_without_identifying_a_company(self):
        with self._insights_for(self.provider_a):
            result = self._insights(self.provider_a_admin)
        rows = {(row["skill"], row["region"]): row for row in result["rows"]}
        self.assertEqual(set(rows), {("Python", ""), ("Python", "idf")}, "the Odoo mission stands alone: withheld")
        python = rows["Python", "idf"]
        self.assertEqual((python["missions"], python["q1"], python["median"], python["q3"]), (3, 550, 600, 650))
        self.assertEqual(python["region_label"], "Île-de-France")
        self.assertEqual(result["hidden"], 2, "Odoo in every region and in Auvergne-Rhône-Alpes")
        for row in result["rows"]:
            self.assertNotIn("provider", str(row).lower())
            self.assertNotIn("client", str(row).lower())

    def test_filters(self):
        with self._insights_for(self.provider_a):
            self.assertFalse(self._insights(self.provider_a_admin, region="ara")["rows"])
            self.assertFalse(self._insights(self.provider_a_admin, skill_ids=[self.odoo_skill.id])["rows"])
            by_skill = self._insights(self.provider_a_admin, skill_ids=[self.python.id], region="idf")
            self.assertEqual([row["region"] for row in by_skill["rows"]], ["", "idf"])
        # a mission older than the period drops out: two providers are left, not enough
        self.env["lbc.mission"].search([("client_id", "=", self.client_c.id)]).date_start = fields.Date.today() - (
            timedelta(days=200)
        )
        with self._insights_for(self.provider_a):
            self.assertFalse(self._insights(self.provider_a_admin, months=3)["rows"])
            self.assertTrue(self._insights(self.provider_a_admin, months=12)["rows"])

    def test_two_missions_of_one_provider_do_not_make_three(self):
        self.env["lbc.mission"].search([("client_id", "=", self.client_c.id)]).provider_id = self.provider_b
        with self._insights_for(self.provider_a):
            self.assertFalse(self._insights(self.provider_a_admin)["rows"], "two providers only")


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
        self.assertIn("600.0", response.text)
        self.assertNotIn("o_lbc_insights_upsell", response.text)

    def test_tour_insights(self):
        with self._insights_for(self.provider_a):
            self.start_tour("/my", "lbc_tender_insights_tour", login="provider_a_admin")
