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
