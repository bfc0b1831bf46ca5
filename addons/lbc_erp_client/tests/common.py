# The mission fixtures live with the activity reports (lbc_erp_provider); re-exported for this addon's
# tests and the portal's.
from odoo.addons.lbc_erp_provider.tests.common import START, LbcErpCommon

__all__ = ["START", "LbcErpCommon", "LbcLegalCommon"]


class LbcLegalCommon(LbcErpCommon):
    """LBC as a French company with the legal identity its invoices need (SIRET, VAT number, address, legal form,
    capital, RCS), as LBC's settings hold it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lbc = cls.env.company
        cls.lbc.partner_id.write(
            {
                "name": "LBC",
                "street": "10 rue de la Paix",
                "zip": "75002",
                "city": "Paris",
                "country_id": cls.france.id,
                "phone": "+33 1 23 45 67 89",
                "email": "facturation@lbc.example",
            }
        )
        cls.lbc.write(
            {
                "name": "LBC",
                "company_registry": "73282932000074",
                "vat": "FR44732829320",
                "lbc_legal_form": "SAS",
                "lbc_share_capital": 10000.0,
                "lbc_rcs_city": "Paris",
            }
        )
