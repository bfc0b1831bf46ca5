from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSuiteTaxes(TransactionCase):
    """LBC's products carry the company's service taxes whatever the order of installation: the suite's own install
    (./lbc test installs it on a `db init --country FR` database, the chart loaded before or after it), an update,
    a company added later."""

    def _taxes(self, company):
        chart = self.env["account.chart.template"].with_company(company)
        return chart.ref("tva_normale_encaissement"), chart.ref("tva_acq_encaissement")

    def _lbc_products(self):
        plans = self.env["lbc.subscription.plan"].with_context(active_test=False).search([])
        return {
            "day": self.env.ref("lbc_tender.product_lbc_service_day").product_tmpl_id,
            "fee": self.env.ref("lbc_erp_provider.product_lbc_management_fee").product_tmpl_id,
            "plans": plans.product_id.product_tmpl_id,
        }

    def assertCompanyTaxes(self, company):
        sale, purchase = self._taxes(company)
        self.assertEqual((sale.amount, sale.tax_scope, sale.type_tax_use), (20.0, "service", "sale"))
        self.assertEqual((purchase.amount, purchase.tax_scope, purchase.type_tax_use), (20.0, "service", "purchase"))
        products = self._lbc_products()
        self.assertTrue(products["plans"], "the subscription plans have their product")
        for name, templates in products.items():
            for template in templates:
                with self.subTest(product=name, company=company.name):
                    mine = template.sudo().taxes_id.filtered(lambda t: t.company_id == company)
                    self.assertEqual(mine, sale, "20 % on services, the only sale tax of the company")
                    if template.purchase_ok:
                        self.assertEqual(
                            template.sudo().supplier_taxes_id.filtered(lambda t: t.company_id == company), purchase
                        )

    def test_install_left_the_taxes(self):
        """The state the suite's install left in this database (French company, French chart)."""
        company = self.env.ref("base.main_company")
        self.assertEqual(company.chart_template, "fr")
        self.assertCompanyTaxes(company)

    def test_existing_database_update(self):
        """An update (or a product edited by hand): the company's taxes are set again, the others' kept."""
        company = self.env.ref("base.main_company")
        day = self._lbc_products()["day"]
        goods = self.env["account.chart.template"].with_company(company).ref("tva_normale")
        day.write({"taxes_id": [(6, 0, goods.ids)]})
        self.env["product.template"]._lbc_set_company_taxes()
        self.assertCompanyTaxes(company)

    def test_company_added_later(self):
        """A French company created after the suite gets its chart: LBC's products get its taxes too."""
        company = self.env["res.company"].create({"name": "LBC Lyon", "country_id": self.env.ref("base.fr").id})
        self.env.user.company_ids |= company
        self.env["account.chart.template"].try_loading("fr", company, install_demo=False)
        self.assertCompanyTaxes(company)
        self.assertCompanyTaxes(self.env.ref("base.main_company"))
