"""Odoo's own portal pages, under LBC's rules (the pages of lbc_base's models are in lbc_portal)."""

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.http import request


class LbcBaseCustomerPortal(CustomerPortal):
    def _validate_address_values(self, address_values, partner_sudo, address_type, *args, **kwargs):
        """Odoo's My account / address form writes the member's partner as superuser: LBC's rules apply first.

        - a member's e-mail address is its login, checked at signup: not changed here (res.users refuses it
          over RPC too);
        - the name of a member company is changed by its administrators from My company (and, once the company
          is validated, by LBC): Odoo's `company_name` field would rename it for any member.
        """
        invalid_fields, missing_fields, error_messages = super()._validate_address_values(
            address_values, partner_sudo, address_type, *args, **kwargs
        )
        user = request.env.user
        if partner_sudo and user.share and partner_sudo == user.partner_id:
            email = address_values.get("email")
            if "email" in address_values and (email or False) != (partner_sudo.email or False):
                invalid_fields.add("email")
                error_messages.append(
                    request.env._(
                        "Your e-mail address is the one you signed up with: it cannot be changed here. "
                        "Please contact LBC to change it."
                    )
                )
        company = user.partner_id.commercial_partner_id
        if company.lbc_state and "company_name" in address_values:
            if (address_values["company_name"] or False) not in (False, company.name):
                invalid_fields.add("company_name")
                error_messages.append(
                    request.env._("The name of %(company)s is changed from My company.", company=company.name)
                )
            else:
                address_values.pop("company_name")
        return invalid_fields, missing_fields, error_messages
