from . import res_partner_lbc_reason
