from . import res_partner_lbc_reason
from . import res_partner_lbc_lifecycle
