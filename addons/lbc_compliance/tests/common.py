import base64
from datetime import timedelta

from odoo import fields
from odoo.addons.lbc_base.tests.common import LbcBaseCommon

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
FRENCH_CODES = ("urssaf", "tax", "kbis", "employee_statement", "foreign_workers")
FOREIGN_CODES = ("foreign_vat", "foreign_social")


class LbcComplianceCommon(LbcBaseCommon):
    """Providers A (French, admin + consultant), B (French) and C (Belgian), a client engagement."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.Doc = cls.env["lbc.compliance.document"]
        cls.Check = cls.env["lbc.compliance.check"]
        cls.types = {
            code: cls.env["lbc.compliance.document.type"].search([("code", "=", code)])
            for code in FRENCH_CODES + FOREIGN_CODES
        }
        cls.provider_b = cls._create_company("Provider B", provider=True)
        cls.provider_b_admin = cls._create_member(cls.provider_b, "provider_b_admin", "company_manager", ["admin"])
        cls.provider_c = cls._create_company("Provider C", provider=True, country=cls.belgium, vat="BE0477472701")
        cls.provider_c_admin = cls._create_member(cls.provider_c, "provider_c_admin", "company_manager", ["admin"])
        # any record can be an engagement (lbc_tender passes its lbc.mission)
        cls.mission = cls.env["res.partner"].create({"name": "Mission Alpha"})

    @classmethod
    def _create_urssaf_document(cls, partner, security_code=None, issue_date="2026-10-01"):
        """An URSSAF attestation of `partner` as LBC's back office enters it (sudo create, awaiting review)."""
        vals = {
            "partner_id": partner.id,
            "type_id": cls.env.ref("lbc_compliance.document_type_urssaf").id,
            "file": "JVBERi0xLjQKJSVFT0YK",  # %PDF-1.4 %%EOF
            "file_name": "urssaf.pdf",
            "issue_date": issue_date,
        }
        if security_code:
            vals["urssaf_security_code"] = security_code
        return cls.env["lbc.compliance.document"].sudo().create(vals)

    def _upload(self, provider, code, issue_date=None, user=None, content=PDF, filename=None, urssaf_code=None):
        user = (
            user
            or {
                self.provider_a: self.provider_a_admin,
                self.provider_b: self.provider_b_admin,
                self.provider_c: self.provider_c_admin,
            }[provider]
        )
        doc_id = provider.with_user(user).action_lbc_upload_compliance_document(
            code,
            filename or f"{code}.pdf",
            base64.b64encode(content),
            issue_date or self.today - timedelta(days=10),
            urssaf_code=urssaf_code,
        )
        return self.Doc.browse(doc_id)

    def _make_compliant(self, provider, issue_date=None, codes=None):
        codes = codes or (FOREIGN_CODES if provider.lbc_is_foreign else FRENCH_CODES)
        docs = self.Doc
        for code in codes:
            docs |= self._upload(provider, code, issue_date)
        docs.with_user(self.compliance_officer).action_verify(note="Checked by hand.")
        return docs
