# The mission fixtures live with the activity reports (lbc_erp_provider); re-exported for this addon's
# tests and the portal's.
from odoo.addons.lbc_erp_provider.tests.common import START, LbcErpCommon

__all__ = ["START", "LbcErpCommon"]
