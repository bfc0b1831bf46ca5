from odoo import SUPERUSER_ID, fields, models
from odoo.exceptions import AccessError
from odoo.http import request


class SaleOrder(models.Model):
    _inherit = "sale.order"

    lbc_mission_id = fields.Many2one("lbc.mission", string="Mission", readonly=True, copy=False, index=True)

    def _compute_is_expired(self):
        # a mission order stays open to the client's signature until LBC cancels the mission, after its start date
        # too (the mission then starts late): it never expires
        res = super()._compute_is_expired()
        for order in self:
            if order.lbc_mission_id:
                order.is_expired = False
        return res

    def _lbc_acting_user(self):
        """Who acts: Odoo's portal reads and confirms the order as the superuser on behalf of the request's user
        (`_document_check_access`, then `_validate_order`): that user decides, not the superuser."""
        if self.env.uid == SUPERUSER_ID and request and request.env.uid and request.env.uid != SUPERUSER_ID:
            return request.env.user
        return self.env.user

    def _lbc_signature_refusal(self):
        """Why the current user may not sign (confirm) these mission orders, or None.

        A mission order binds the client: only a member of the client holding the signatory role, whose capacity
        LBC verified, signs it, in the portal as over RPC. LBC's staff confirm it on a signature made elsewhere
        (`lbc.mission.action_activate`); internal code runs as an internal user. The public user (a link with
        the order's access token) never signs."""
        user = self._lbc_acting_user()
        if not user.share:
            return None
        for order in self.filtered("lbc_mission_id"):
            client = order.partner_id.commercial_partner_id
            if user._is_public() or not user._lbc_has_role("signatory", client, verified=True):
                return self.env._(
                    "Only a signatory of %(client)s whose capacity LBC verified signs the mission order %(order)s: "
                    "ask your company's administrator to name one in My company.",
                    client=client.name,
                    order=order.name,
                )
        return None

    def _lbc_check_signatory(self):
        refusal = self._lbc_signature_refusal()
        if refusal:
            raise AccessError(refusal)

    def _has_to_be_signed(self):
        # the portal offers the signature to the client's verified signatories only
        return super()._has_to_be_signed() and not self._lbc_signature_refusal()

    def action_confirm(self):
        # before anything is written: a member who is not a verified signatory of the client does not sign
        self._lbc_check_signatory()
        return super().action_confirm()

    def _action_confirm(self):
        res = super()._action_confirm()
        # the client signed the order of a mission (portal signature or LBC): the mission starts
        self.lbc_mission_id.sudo()._lbc_on_client_signed()
        return res
