from odoo import api, models

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
        return super()._get_default_sending_settings(move, from_cron=from_cron, **custom_settings)
