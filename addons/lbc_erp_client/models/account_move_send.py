import io
import logging

from odoo import api, fields, models, tools
from odoo.tools.pdf import DictionaryObject, NameObject, NumberObject, OdooPdfFileReader, OdooPdfFileWriter

_logger = logging.getLogger(__name__)

# how LBC's legal documents are made: the PDF/A-3 with its Factur-X XML, stored on the invoice, sent to nobody
# (members get their documents in the portal, LBC sends by hand when it wants to)
LBC_LEGAL_DOCUMENTS = {"sending_methods": ["manual"], "invoice_edi_format": "facturx"}


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_default_sending_settings(self, move, from_cron=False, **custom_settings):
        # Odoo's sending queue takes the partner's sending method and format: the documents LBC queued when posting
        # are made the legal way and sent to nobody, whatever the member's preferences
        if from_cron and (move.sending_data or {}).get("lbc_legal_documents"):
            custom_settings = {**LBC_LEGAL_DOCUMENTS, **custom_settings}
        elif move.subscription_id.lbc_plan_id:
            # an LBC subscription's invoice, sent by OCA's engine: the legal format too (PDF/A-3 with Factur-X)
            custom_settings = {"invoice_edi_format": LBC_LEGAL_DOCUMENTS["invoice_edi_format"], **custom_settings}
        return super()._get_default_sending_settings(move, from_cron=from_cron, **custom_settings)

    @api.model
    def _generate_and_send_invoices(self, moves, from_cron=False, allow_raising=True, allow_fallback_pdf=False, **kw):
        # an LBC subscription's invoice (sent by OCA's engine when it is posted) is e-mailed even when its legal
        # documents cannot be made yet (LBC's company identity incomplete): with a pro forma PDF, the error on the
        # invoice's chatter, the legal documents made later (the invoice has no PDF report yet)
        if moves and all(move.subscription_id.lbc_plan_id for move in moves):
            allow_fallback_pdf = True
        return super()._generate_and_send_invoices(
            moves, from_cron=from_cron, allow_raising=allow_raising, allow_fallback_pdf=allow_fallback_pdf, **kw
        )

    def _hook_invoice_document_after_pdf_report_render(self, invoice, invoice_data):
        """Odoo embeds the Factur-X XML, then makes the PDF a PDF/A-3 with its XMP metadata unless the PDF "looks"
        PDF/A already: its test is a binary comment on the second line, which every PDF wkhtmltopdf writes. A French
        invoice's PDF without XMP metadata is made PDF/A-3 here, as Odoo would have."""
        super()._hook_invoice_document_after_pdf_report_render(invoice, invoice_data)
        if tools.config["test_enable"] or invoice.country_code != "FR":
            return  # Odoo neither renders nor embeds under tests
        pdf_values = (
            (not self.env.context.get("custom_template_facturx") and invoice.invoice_pdf_report_id)
            or invoice_data.get("pdf_attachment_values")
            or invoice_data.get("proforma_pdf_attachment_values")
        )
        if not pdf_values or not pdf_values["raw"]:
            return
        reader = OdooPdfFileReader(io.BytesIO(pdf_values["raw"]), strict=False)
        if "/Metadata" in reader.trailer["/Root"]:
            return
        writer = OdooPdfFileWriter()
        writer.cloneReaderDocumentRoot(reader)
        if "/Outlines" not in writer._root_object:  # PDF/A wants one (Odoo's conversion counts on it)
            outlines = DictionaryObject(
                {NameObject("/Type"): NameObject("/Outlines"), NameObject("/Count"): NumberObject(0)}
            )
            writer._root_object[NameObject("/Outlines")] = writer._addObject(outlines)
        try:
            writer.convert_to_pdfa()
        except Exception:  # as Odoo: the PDF stays a valid PDF with its XML, and the error is logged
            _logger.exception("Error while converting %s to PDF/A", invoice.name)
        metadata = self.env["ir.qweb"]._render(
            "account_edi_ubl_cii.account_invoice_pdfa_3_facturx_metadata",
            {"title": invoice.name, "date": fields.Date.context_today(self)},
        )
        writer.add_file_metadata(metadata.encode())
        buffer = io.BytesIO()
        writer.write(buffer)
        pdf_values["raw"] = buffer.getvalue()
