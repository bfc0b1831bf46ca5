from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import LbcBaseCommon, make_siret


class TestDashboard(LbcBaseCommon):
    """LBC's back-office home: a dashboard of counters of what waits for LBC, each opening its list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, "lbc_manager", groups="lbc_base.group_manager", name="LBC Manager")
        cls.moderator = new_test_user(cls.env, "lbc_moderator", groups="lbc_base.group_moderator", name="LBC Moderator")
        cls.tile_companies = cls.env.ref("lbc_base.lbc_dashboard_tile_company_to_validate")
        cls.tile_signatories = cls.env.ref("lbc_base.lbc_dashboard_tile_signatory_to_verify")

    def _count(self, tile, user):
        tile = tile.with_user(user)
        tile.invalidate_recordset(["count"])
        return tile.count

    def _listed(self, tile, user):
        action = tile.with_user(user).action_open()
        return self.env[action["res_model"]].with_user(user).search(action["domain"])

    def test_companies_to_validate_counter_follows_the_records(self):
        before = self._count(self.tile_companies, self.operator)
        company = self._create_company("Dashboard Newcomer", client=True)
        self.assertEqual(self._count(self.tile_companies, self.operator), before, "a draft company does not wait")
        company.action_lbc_submit()
        self.assertEqual(self._count(self.tile_companies, self.operator), before + 1)
        self.assertIn(company, self._listed(self.tile_companies, self.operator))
        company.action_lbc_validate()
        self.assertEqual(self._count(self.tile_companies, self.operator), before)
        self.assertNotIn(company, self._listed(self.tile_companies, self.operator))

    def test_signatories_to_verify_counter_follows_the_records(self):
        before = self._count(self.tile_signatories, self.operator)
        member = self._create_member(self.client_b, "dashboard_signatory", "purchasing_director")
        role = self.env["lbc.company.role"].create(
            {"member_id": member.partner_id.id, "member_company_id": self.client_b.id, "role": "signatory"}
        )
        self.assertEqual(role.verification_state, "to_verify")
        self.assertEqual(self._count(self.tile_signatories, self.operator), before + 1)
        self.assertIn(role, self._listed(self.tile_signatories, self.operator))
        role.proof_attachment_ids = [(0, 0, {"name": "kbis.txt", "raw": b"Extrait Kbis", "mimetype": "text/plain"})]
        role.with_user(self.operator).action_verify()
        self.assertEqual(self._count(self.tile_signatories, self.operator), before)

    def test_tile_opens_its_filtered_list_in_one_click(self):
        self._create_company("Dashboard Submitted", client=True).action_lbc_submit()
        action = self.tile_companies.with_user(self.operator).action_open()
        self.assertEqual(action["type"], "ir.actions.act_window")
        self.assertEqual(action["res_model"], "res.partner")
        self.assertEqual(action["name"], self.tile_companies.name)
        self.assertEqual(action["views"][0][1], "list", "the tile opens a list first")
        self.assertEqual(
            action["views"][0][0],
            self.env.ref("lbc_base.res_partner_view_list_lbc_company").id,
            "the list of the validation queue",
        )
        listed = self.env["res.partner"].with_user(self.operator).search(action["domain"])
        self.assertTrue(listed)
        self.assertEqual(set(listed.mapped("lbc_state")), {"submitted"})
        self.assertTrue(all(listed.mapped("is_company")))
        self.assertNotIn("search_default_to_validate", action["context"], "the list shows what the tile counted")

    def test_every_tile_counts_what_its_list_shows(self):
        """Whatever the installed addons add: each visible tile's counter is the size of the list it opens."""
        for user in (self.operator, self.compliance_officer, self.moderator, self.manager):
            counters = self.env["lbc.dashboard.tile"].with_user(user)._lbc_staff_counters()
            self.assertTrue(counters, f"{user.login} sees a dashboard")
            for counter in counters:
                tile = self.env["lbc.dashboard.tile"].browse(counter["id"])
                with self.subTest(user=user.login, tile=counter["name"]):
                    self.assertEqual(len(self._listed(tile, user)), counter["count"])

    def test_each_staff_member_sees_only_its_tiles(self):
        Tile = self.env["lbc.dashboard.tile"]
        managers_only = Tile.create(
            {
                "name": "Managers only",
                "res_model": "res.partner",
                "domain": "[('lbc_state', '=', 'suspended')]",
                "group_ids": [(6, 0, [self.env.ref("lbc_base.group_manager").id])],
            }
        )
        self.assertIn(managers_only, Tile.with_user(self.manager).search([]))
        self.assertNotIn(managers_only, Tile.with_user(self.operator).search([]))
        self.assertNotIn(managers_only, Tile.with_user(self.compliance_officer).search([]))
        self.assertIn(self.tile_companies, Tile.with_user(self.operator).search([]))
        self.assertIn(self.tile_companies, Tile.with_user(self.compliance_officer).search([]))
        self.assertIn(self.tile_companies, Tile.with_user(self.manager).search([]))
        # members have no back office
        with self.assertRaises(AccessError):
            Tile.with_user(self.client_a_admin).search([])
        # the counters are the user's: a model it may not read counts nothing and does not open
        hidden = Tile.create({"name": "Settings", "res_model": "res.config.settings", "domain": "[]"})
        self.assertEqual(self._count(hidden, self.operator), 0)
        with self.assertRaises(AccessError):
            hidden.with_user(self.operator).action_open()
        # only managers configure the tiles
        with self.assertRaises(AccessError):
            self.tile_companies.with_user(self.operator).write({"domain": "[]"})

    def test_staff_home_is_the_dashboard(self):
        dashboard = self.env.ref("lbc_base.lbc_dashboard_action")
        root = self.env.ref("lbc_base.lbc_menu_root")
        self.assertEqual(root.action, dashboard, "the LBC app opens on the dashboard")
        # the first app of every LBC staff member (Odoo's web client opens it when there is no home action)
        for user in (self.operator, self.compliance_officer, self.moderator, self.manager):
            menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
            first_app = menus["root"]["children"][0]
            self.assertEqual(first_app, root.id, f"{user.login} lands in LBC")
        # the staff demo logins have it as their home action and work in French
        for xmlid in ("user_operator", "user_compliance", "user_moderator", "user_manager"):
            user = self.env.ref(f"lbc_base.{xmlid}", raise_if_not_found=False)
            if user:
                self.assertEqual(user.action_id.id, dashboard.id)
                self.assertEqual(user.lang, "fr_FR")


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    def test_operator_from_dashboard_to_a_company_to_validate(self):
        operator = new_test_user(
            self.env, "lbc_tour_operator", groups="lbc_base.group_operator", name="LBC Tour Operator"
        )
        operator.action_id = self.env.ref("lbc_base.lbc_dashboard_action").id
        company = self.env["res.partner"].create(
            {
                "name": "Tour Company To Validate",
                "is_company": True,
                "lbc_is_client": True,
                "street": "1 rue de la Visite",
                "zip": "75002",
                "city": "Paris",
                "country_id": self.env.ref("base.fr").id,
                "email": "contact@tour-company.example",
                "company_registry": make_siret(4242),
            }
        )
        company.action_lbc_submit()
        self.start_tour("/odoo", "lbc_operator_dashboard", login="lbc_tour_operator")
