"""LBC's public website: its name, language and logo, the legal notices, the live figures of the home page."""

import base64

from odoo import api, fields, models
from odoo.tools import file_open

LOGO_PATH = "lbc_portal/static/src/img/lbc_logo.svg"
FAVICON_PATH = "lbc_portal/static/src/img/lbc_favicon.svg"


class Website(models.Model):
    _inherit = "website"

    # Legal notices (mentions légales, loi n° 2004-575 du 21 juin 2004, art. 6): shown in the footer and on /legal.
    # An empty field falls back on LBC's company (name, address, SIREN, e-mail, phone): see _lbc_legal_notice().
    lbc_legal_publisher = fields.Char(
        string="Publisher",
        default="LBC SAS",
        help="Name and legal form of the company publishing the site.",
    )
    lbc_legal_address = fields.Char(string="Registered Office", help="Default: the address of LBC's company.")
    lbc_legal_siren = fields.Char(string="SIREN", help="Default: from the SIRET of LBC's company.")
    lbc_legal_capital = fields.Char(string="Share Capital", help="e.g. SAS au capital de 10 000 €")
    lbc_legal_director = fields.Char(
        string="Publication Director", default="Le président de LBC SAS", help="Directeur de la publication."
    )
    lbc_legal_host = fields.Text(string="Host", help="Name, address and phone number of the hosting provider.")
    lbc_legal_email = fields.Char(string="Contact E-mail", help="Default: the e-mail of LBC's company.")
    lbc_legal_phone = fields.Char(string="Contact Phone", help="Default: the phone of LBC's company.")

    @api.model
    def _lbc_public_figures(self):
        """The counts shown to visitors on the home page, read at each call (no cache, whichever worker answers).

        sudo: visitors may read no tender nor company; only two numbers leave this method, never a record.
        """
        now = fields.Datetime.now()
        tenders = self.env["lbc.tender"].sudo().search_count([("state", "=", "published"), ("deadline", ">", now)])
        providers = (
            self.env["res.partner"]
            .sudo()
            .search_count([("is_company", "=", True), ("lbc_is_provider", "=", True), ("lbc_state", "=", "validated")])
        )
        return {"open_tenders": tenders, "validated_providers": providers}

    def _lbc_legal_notice(self):
        """The legal notices of this website, with LBC's company data where a field is left empty."""
        self.ensure_one()
        # sudo: the publisher's company data is public by law (legal notices); only these fields are returned
        website = self.sudo()
        partner = website.company_id.partner_id
        address = ", ".join(
            part
            for part in (
                partner.street,
                partner.street2,
                " ".join(filter(None, (partner.zip, partner.city))),
                partner.country_id.name,
            )
            if part
        )
        registry = (partner.company_registry or "").replace(" ", "")
        return {
            "publisher": website.lbc_legal_publisher or website.company_id.name,
            "address": website.lbc_legal_address or (address if partner.street else ""),
            "siren": website.lbc_legal_siren or (registry[:9] if len(registry) >= 9 else ""),
            "vat": partner.vat or "",
            "capital": website.lbc_legal_capital or "",
            "director": website.lbc_legal_director or "",
            "host": website.lbc_legal_host or "",
            "email": website.lbc_legal_email or partner.email or "",
            "phone": website.lbc_legal_phone or partner.phone or "",
        }

    @api.model
    def _lbc_setup_website(self):
        """LBC's name, language and logo on the default website; idempotent, keeps what LBC has changed since.

        Called by data/website_data.xml at each install and update: the builder's default name is replaced,
        French becomes the default language when installed, the builder's default logo becomes LBC's.
        """
        website = self.env.ref("website.default_website", raise_if_not_found=False)
        if not website:
            return
        vals = {}
        if not website.name or website.name.startswith("My Website"):
            vals["name"] = "LBC"
        french = self.env["res.lang"]._lang_get("fr_FR")
        if french and french.active:
            if french not in website.language_ids:
                vals["language_ids"] = [fields.Command.link(french.id)]
            if website.default_lang_id.code == "en_US":
                vals["default_lang_id"] = french.id
        with file_open(LOGO_PATH, "rb") as logo:
            lbc_logo = base64.b64encode(logo.read())
        if not website.logo or website.logo == website._default_logo():
            vals["logo"] = lbc_logo
            with file_open(FAVICON_PATH, "rb") as favicon:
                vals["favicon"] = base64.b64encode(favicon.read())
        if vals:
            website.write(vals)
