"""The client's signature of a mission order on Odoo's quotation page (/my/orders/<id>/accept).

Odoo's page offers the signature when `sale.order._has_to_be_signed()`, which LBC restricts to the verified
signatories of the client; a signature posted anyway gets the model's own refusal (`_lbc_signature_refusal`, the
same as `action_confirm` over RPC) instead of Odoo's generic answer, before anything is written.
"""

from odoo import http
from odoo.addons.sale.controllers.portal import CustomerPortal as SaleCustomerPortal
from odoo.exceptions import AccessError, MissingError
from odoo.http import request


class LbcSaleOrderPortal(SaleCustomerPortal):
    @http.route()
    def portal_quote_accept(self, order_id, access_token=None, name=None, signature=None):
        token = access_token or request.httprequest.args.get("access_token")
        try:
            order = self._document_check_access("sale.order", order_id, access_token=token)
        except (AccessError, MissingError):
            return super().portal_quote_accept(order_id, access_token=access_token, name=name, signature=signature)
        # the refusal depends on the user of the request (the order is the portal's sudo copy: env.user is kept)
        refusal = order._lbc_signature_refusal()
        if refusal:
            return {"error": refusal}
        return super().portal_quote_accept(order_id, access_token=access_token, name=name, signature=signature)
