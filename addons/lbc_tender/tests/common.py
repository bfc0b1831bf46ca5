import base64
from datetime import timedelta

from odoo import fields
from odoo.addons.lbc_base.tests.common import LbcBaseCommon, LbcPortalPageMixin  # noqa: F401 (the page tests' helpers)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class LbcTenderCommon(LbcBaseCommon):
    """Validated client A and providers A and B with their agreements; no demo data used."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Agreement = cls.env["lbc.agreement"]
        Agreement.search([]).write({"active": False})
        cls.framework = Agreement.create(
            {"name": "Framework", "kind": "provider_framework", "version": 301, "body": "<p>Framework</p>"}
        )
        cls.main_contract = Agreement.create(
            {"name": "Main", "kind": "client_main", "version": 301, "body": "<p>Main</p>"}
        )
        cls.python = cls.env.ref("lbc_base.lbc_skill_python")
        cls.odoo_skill = cls.env.ref("lbc_base.lbc_skill_odoo")
        cls.provider_b = cls._create_company("Provider B", provider=True)
        cls.provider_b_admin = cls._create_member(cls.provider_b, "provider_b_admin", "company_manager", ["admin"])
        cls._validate(cls.client_a, cls.client_b, cls.provider_a, cls.provider_b)
        cls.main_contract.with_user(cls.client_a_admin).action_accept()
        for provider, admin in ((cls.provider_a, cls.provider_a_admin), (cls.provider_b, cls.provider_b_admin)):
            cls.framework.with_user(admin).action_accept()
            provider.with_user(admin).action_lbc_acknowledge_labour_law()
            provider.lbc_skill_ids = [(6, 0, cls.python.ids)]
        cls.client_a_buyer.partner_id.with_user(cls.client_a_admin).action_lbc_grant_role("tender_publisher")

    @classmethod
    def _tender_vals(cls, **vals):
        now = fields.Datetime.now()
        values = {
            "name": "Python developer",
            "client_id": cls.client_a.id,
            "description": "<p>Build things</p>",
            "skill_ids": [(6, 0, (cls.python | cls.odoo_skill).ids)],
            "location": "Paris",
            "date_start": (now + timedelta(days=30)).date(),
            "duration_days": 20,
            "max_daily_rate": 700,
            "deadline": now + timedelta(days=7),
        }
        values.update(vals)
        return values

    def _published_tender(self, **vals):
        tender = self.env["lbc.tender"].with_user(self.client_a_buyer).create(self._tender_vals(**vals))
        tender.action_publish()
        return tender.sudo()

    def _bid(self, tender, provider_user, consultant=None, rate=650, submit=True):
        bid = (
            self.env["lbc.tender.bid"]
            .with_user(provider_user)
            .create(
                {
                    "tender_id": tender.id,
                    "provider_id": provider_user.partner_id.parent_id.id,
                    "consultant_id": (consultant or provider_user).partner_id.id,
                    "daily_rate": rate,
                    "available_from": tender.date_start,
                    "message": "Our best consultant",
                    "labour_law_ack": True,
                }
            )
        )
        if submit:
            bid.action_submit()
        return bid.sudo()

    def _pass_deadline(self, tender):
        # as superuser (the deadline of a published tender is frozen for everybody else)
        tender.sudo().write({"deadline": fields.Datetime.now() - timedelta(minutes=1)})
        self.env["lbc.tender"]._lbc_close_past_deadline()

    def _make_compliant(self, provider):
        """Upload and verify every vigilance document the provider must hold."""
        types = self.env["lbc.compliance.document.type"]._lbc_required_types(provider.lbc_is_foreign)
        admin = provider.lbc_admin_partner_ids.user_ids[:1]
        for doc_type in types:
            doc_id = provider.with_user(admin).action_lbc_upload_compliance_document(
                doc_type.code, f"{doc_type.code}.pdf", base64.b64encode(PDF), fields.Date.today()
            )
            self.env["lbc.compliance.document"].browse(doc_id).with_user(self.compliance_officer).action_verify()

    def _verify_signatory(self, provider):
        role = provider.lbc_role_ids.filtered(lambda r: r.role == "signatory")
        role.proof_attachment_ids = [(0, 0, {"name": "kbis.pdf", "raw": PDF})]
        role.with_user(self.compliance_officer).action_verify()


class LbcInsightsCommon(LbcTenderCommon):
    """Thirteen contracted missions of market data. Python in Île-de-France: twelve missions at 500 to 720 a day
    (step 20), two for each of providers A to F, for client A (one), B (six) and C (five): a cell that passes the
    disclosure control for an outsider (the observer, a company without missions) and for provider A (ten missions
    of five other providers). One Odoo mission in Lyon (alone: never shown)."""

    # (client, provider, daily rate) of the Python missions in Île-de-France
    PYTHON_MISSIONS = (
        ("a", "b", 500),
        ("b", "b", 520),
        ("b", "c", 540),
        ("c", "c", 560),
        ("b", "d", 580),
        ("c", "d", 600),
        ("b", "e", 620),
        ("c", "e", 640),
        ("b", "f", 660),
        ("c", "f", 680),
        ("b", "a", 700),
        ("c", "a", 720),
    )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client_c = cls._create_company("Client C", client=True)
        cls.provider_c = cls._create_company("Provider C", provider=True)
        cls.provider_d = cls._create_company("Provider D", provider=True)
        cls.provider_e = cls._create_company("Provider E", provider=True)
        cls.provider_f = cls._create_company("Provider F", provider=True)
        cls.observer = cls._create_company("Observer", provider=True)
        cls.observer_admin = cls._create_member(cls.observer, "observer_admin", "company_manager", ["admin"])
        cls._validate(cls.client_c, cls.provider_c, cls.provider_d, cls.provider_e, cls.provider_f, cls.observer)
        for company, zip_code in ((cls.client_a, "75008"), (cls.client_b, "92100"), (cls.client_c, "93200")):
            company.zip = zip_code
        cls.python_missions = cls.env["lbc.mission"]
        for client, provider, rate in cls.PYTHON_MISSIONS:
            cls.python_missions |= cls._mission(
                getattr(cls, f"client_{client}"), getattr(cls, f"provider_{provider}"), rate, cls.python
            )
        # one Odoo mission in Lyon: alone, never shown
        cls.client_a_lyon = cls._create_company("Client Lyon", client=True, zip="69002")
        cls._validate(cls.client_a_lyon)
        cls._mission(cls.client_a_lyon, cls.provider_a, 900, cls.odoo_skill)

    @classmethod
    def _mission(cls, client, provider, rate, skill):
        now = fields.Datetime.now()
        tender = (
            cls.env["lbc.tender"]
            .sudo()
            .create(cls._tender_vals(client_id=client.id, skill_ids=[(6, 0, skill.ids)], name=f"{skill.name} job"))
        )
        tender._lbc_workflow_write({"state": "published", "published_date": now})
        consultant = cls.env["res.partner"].create({"name": f"Consultant of {provider.name}", "parent_id": provider.id})
        bid = cls.env["lbc.tender.bid"]._lbc_workflow_create(
            [
                {
                    "tender_id": tender.id,
                    "provider_id": provider.id,
                    "consultant_id": consultant.id,
                    "daily_rate": rate,
                    "available_from": tender.date_start,
                    "labour_law_ack": True,
                    "state": "contracted",
                }
            ]
        )
        return cls.env["lbc.mission"]._lbc_workflow_create(
            [
                {
                    "bid_id": bid.id,
                    "client_id": client.id,
                    "provider_id": provider.id,
                    "consultant_id": consultant.id,
                    "date_start": fields.Date.today() - timedelta(days=30),
                    "date_end": fields.Date.today() + timedelta(days=30),
                    "daily_rate": rate,
                    "fee_mode": "percent",
                    "fee_value": 5,
                    "state": "active",
                }
            ]
        )
