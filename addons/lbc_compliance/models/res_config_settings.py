from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lbc_compliance_source_sirene = fields.Boolean(
        string="SIRENE Register",
        config_parameter="lbc_compliance.source_sirene",
        help="Check French companies in the SIRENE register (recherche-entreprises.api.gouv.fr) at validation "
        "and at each six-monthly check: a ceased company fails.",
    )
    lbc_compliance_source_urssaf = fields.Boolean(
        string="URSSAF Attestation (API Entreprise)",
        config_parameter="lbc_compliance.source_urssaf",
        help="Ask the URSSAF, through API Entreprise, whether the provider's attestation de vigilance is delivered.",
    )
    lbc_compliance_source_vies = fields.Boolean(
        string="EU VAT Numbers (VIES)",
        config_parameter="lbc_compliance.source_vies",
        help="Check the VAT number of providers established in the EU in VIES (base_vat's check).",
    )
    lbc_compliance_api_entreprise_token = fields.Char(
        string="API Entreprise Token", config_parameter="lbc_compliance.api_entreprise_token"
    )
    lbc_compliance_api_entreprise_url = fields.Char(
        string="API Entreprise URL",
        config_parameter="lbc_compliance.api_entreprise_url",
        help="Empty: https://entreprise.api.gouv.fr (https://staging.entreprise.api.gouv.fr to test).",
    )
    lbc_compliance_api_entreprise_recipient = fields.Char(
        string="Recipient SIRET",
        config_parameter="lbc_compliance.api_entreprise_recipient",
        help="LBC's SIRET, sent as the recipient of each API Entreprise call (empty: the company's registry).",
    )
    lbc_compliance_source_timeout = fields.Integer(
        string="Timeout (seconds)",
        config_parameter="lbc_compliance.source_timeout",
        default=10,
        help="A source that does not answer in time never passes a check.",
    )
