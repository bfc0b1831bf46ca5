import csv
import io
import os
import zipfile
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools import config
from odoo.tools.pdf import OdooPdfFileReader

from .common import LbcLegalCommon
from .facturx_validation import facturx_errors


class ExportCommon(LbcLegalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        report = cls._report(cls, days=18.5)
        report.with_user(cls.provider_a_consultant).action_submit()
        report.with_user(cls.provider_approver).action_approve()
        report.with_user(cls.client_a_buyer).action_validate()
        cls.report = report
        cls.client_invoice = report.invoice_ids.filtered(lambda m: m.lbc_invoice_kind == "client_invoice")
        cls.accountant = cls.env["res.users"].create(
            {
                "name": "LBC Accountant",
                "login": "lbc_accountant",
                "group_ids": [
                    (6, 0, [cls.env.ref("account.group_account_invoice").id, cls.env.ref("base.group_user").id])
                ],
            }
        )

    def _export(self, export_format):
        export = (
            self.env["lbc.invoice.export"]
            .with_user(self.accountant)
            .create({"export_format": export_format, "date_from": "2026-01-01", "date_to": "2099-12-31"})
        )
        self.assertEqual(export.state, "queued")
        # the test server renders real PDFs only when asked to (wkhtmltopdf)
        export.sudo().with_context(force_report_rendering=True)._lbc_run()
        self.assertEqual(export.state, "done", export.error)
        self.assertIn(self.accountant.partner_id, export.message_ids.partner_ids, "the requester is notified")
        return export.attachment_id.raw


class TestExports(ExportCommon):
    def test_fec_contains_invoices_and_balances(self):
        content = self._export("fec").decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(content), delimiter="|"))
        header, lines = rows[0], rows[1:]
        self.assertIn("EcritureNum", header)
        self.assertIn(self.client_invoice.name, {line[header.index("EcritureNum")] for line in lines})

        def amount(text):
            return float(text.replace(",", ".") or 0)

        debit = sum(amount(line[header.index("Debit")]) for line in lines)
        credit = sum(amount(line[header.index("Credit")]) for line in lines)
        self.assertAlmostEqual(debit, credit, places=2)
        self.assertGreaterEqual(debit, 14430.00)

    def test_register_csv_and_xlsx(self):
        content = self._export("csv").decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
        mine = [row for row in rows if row["Number"] == self.client_invoice.name]
        self.assertEqual(len(mine), 1)
        self.assertAlmostEqual(float(mine[0]["Untaxed"]), 12025.00, places=2)
        xlsx = self._export("xlsx")
        self.assertTrue(zipfile.is_zipfile(io.BytesIO(xlsx)), "an XLSX file is a zip archive")

    def test_bad_period_refused(self):
        with self.assertRaisesRegex(Exception, "before its start"):
            self.env["lbc.invoice.export"].with_user(self.accountant).create(
                {"export_format": "csv", "date_from": "2027-05-01", "date_to": "2027-01-01"}
            )


@tagged("post_install", "-at_install")
class TestExportZip(HttpCase, ExportCommon):
    def test_zip_of_legal_documents(self):
        """The ZIP holds the legal documents Odoo's sending stored on each invoice: a PDF/A-3 with its Factur-X XML
        and XMP metadata; the export takes them, never renders."""
        # as in production: under test_enable Odoo's sending neither renders with wkhtmltopdf nor embeds the XML;
        # one document per wkhtmltopdf call (Debian's wkhtmltopdf cannot join several in a test)
        documents = self.env["account.move"].search([("sending_data", "!=", False), ("state", "=", "posted")])
        self.assertIn(self.client_invoice, documents, "queued when posted")
        with patch.dict(config._runtime_options, {"test_enable": False}):
            for document in documents.with_context(force_report_rendering=True):
                document._lbc_legal_documents()
        self.assertTrue(self.client_invoice.invoice_pdf_report_id)
        with patch.object(type(self.env["ir.actions.report"]), "_render_qweb_pdf", side_effect=AssertionError):
            archive = zipfile.ZipFile(io.BytesIO(self._export("zip")))
        name = f"{self.client_invoice.name.replace('/', '_')}.pdf"
        self.assertIn(name, archive.namelist())
        pdf = archive.read(name)
        self.assertTrue(pdf.startswith(b"%PDF"))
        os.makedirs("/tmp/lbc_facturx", exist_ok=True)  # for reading by hand
        with open("/tmp/lbc_facturx/legal_document.pdf", "wb") as dump:
            dump.write(pdf)
        self.assertEqual(pdf, self.client_invoice.invoice_pdf_report_id.raw, "the stored legal document")
        reader = OdooPdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = dict(reader.getAttachments())
        self.assertIn("factur-x.xml", embedded)
        self.assertIn(b"CrossIndustryInvoice", embedded["factur-x.xml"])
        self.assertIn(b"urn:cen.eu:en16931:2017", embedded["factur-x.xml"])
        self.assertFalse(facturx_errors(embedded["factur-x.xml"]), "the embedded XML passes the validators")
        metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
        self.assertIn(b"<pdfaid:part>3</pdfaid:part>", metadata, "PDF/A-3")
        self.assertIn(b"EN 16931</fx:ConformanceLevel>", metadata, "the XMP says the XML's profile")
