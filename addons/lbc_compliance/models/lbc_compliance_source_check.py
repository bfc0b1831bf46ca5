import json
import logging

import requests

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from . import attestation_reader

_logger = logging.getLogger(__name__)

SIRENE_URL = "https://recherche-entreprises.api.gouv.fr/search"
API_ENTREPRISE_URL = "https://entreprise.api.gouv.fr"
DEFAULT_TIMEOUT = 10
SOURCES = [
    ("sirene", "SIRENE register (recherche-entreprises.api.gouv.fr)"),
    ("urssaf", "URSSAF attestation (API Entreprise)"),
    ("vies", "EU VAT number (VIES)"),
]


class LbcComplianceSourceCheck(models.Model):
    """One verification at the source: what was asked, the answer and its time, kept as the proof."""

    _name = "lbc.compliance.source.check"
    _description = "Vigilance Verification at the Source"
    _order = "checked_at desc, id desc"

    source = fields.Selection(SOURCES, required=True, readonly=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Company", required=True, readonly=True, index=True, ondelete="cascade"
    )
    document_id = fields.Many2one("lbc.compliance.document", readonly=True, index=True, ondelete="set null")
    check_id = fields.Many2one(
        "lbc.compliance.check", string="Vigilance Check", readonly=True, index=True, ondelete="set null"
    )
    checked_at = fields.Datetime(required=True, readonly=True)
    request_url = fields.Char(string="Request", readonly=True, help="The endpoint and parameters (no credential).")
    http_status = fields.Integer(string="HTTP Status", readonly=True)
    answer = fields.Text(readonly=True, help="The source's answer, as received.")
    result = fields.Selection(
        [("passed", "Passed"), ("failed", "Failed"), ("error", "No answer (not passed)")],
        required=True,
        readonly=True,
        index=True,
    )
    summary = fields.Char(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        # proofs are written by the connectors only (sudo, after the caller was checked)
        if not self.env.su:
            raise AccessError(self.env._("Verifications at the source are recorded by the suite only."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("A verification at the source is a proof: it is never changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A verification at the source is a proof: it is never deleted."))

    # --- configuration ------------------------------------------------------------------
    @api.model
    def _lbc_param(self, key, default=None):
        return self.env["ir.config_parameter"].sudo().get_param(f"lbc_compliance.{key}", default)

    @api.model
    def _lbc_enabled(self, source):
        """Each connector is off until LBC turns it on in the settings."""
        return self._lbc_param(f"source_{source}") in ("True", "1")

    @api.model
    def _lbc_timeout(self):
        try:
            return float(self._lbc_param("source_timeout") or DEFAULT_TIMEOUT)
        except ValueError:
            return DEFAULT_TIMEOUT

    # --- transport (the one place that talks to the outside) -----------------------------
    @api.model
    def _lbc_get(self, url, params=None, headers=None):
        return requests.get(url, params=params, headers=headers, timeout=self._lbc_timeout())

    @api.model
    def _lbc_call(self, source, partner, url, params=None, headers=None, document=None, check=None, parse=None):
        """GET `url` and record the proof: `parse(status, payload)` returns (result, summary). A timeout, a
        network error, an unexpected status or answer is recorded as `error`: it never passes a check."""
        shown = requests.Request("GET", url, params=params).prepare().url
        vals = {
            "source": source,
            "partner_id": partner.id,
            "document_id": document.id if document else False,
            "check_id": check.id if check else False,
            "checked_at": fields.Datetime.now(),
            "request_url": shown,
        }
        try:
            response = self._lbc_get(url, params=params, headers=headers)
            vals["http_status"] = response.status_code
            vals["answer"] = (response.text or "")[:20000]
            try:
                payload = response.json()
            except ValueError:
                payload = None
            result, summary = parse(response.status_code, payload)
        except requests.exceptions.Timeout:
            result, summary = "error", self.env._("No answer in %(seconds)s s (timeout).", seconds=self._lbc_timeout())
        except requests.exceptions.RequestException as error:
            result, summary = "error", self.env._("The source could not be reached: %(error)s", error=str(error)[:200])
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            result, summary = "error", self.env._("Unexpected answer: %(error)s", error=str(error)[:200])
        vals.update(result=result, summary=summary)
        _logger.info("vigilance source %s for %s: %s (%s)", source, partner.display_name, result, summary)
        return self.sudo().create(vals)

    # --- connectors -------------------------------------------------------------------
    @api.model
    def _lbc_check_sirene(self, partner, check=None):
        """The company in the SIRENE register (recherche-entreprises.api.gouv.fr, open, no key): active or
        ceased, legal name, NAF code, address. A ceased or unknown company fails."""
        siren = partner.lbc_siren

        def parse(status, payload):
            if status != 200:
                return "error", self.env._("The register answered with the status %(status)s.", status=status)
            found = [r for r in payload.get("results") or [] if r.get("siren") == siren]
            if not found:
                return "failed", self.env._("SIREN %(siren)s is not in the SIRENE register.", siren=siren)
            company = found[0]
            siege = company.get("siege") or {}
            details = self.env._(
                "%(name)s, NAF %(naf)s, %(address)s",
                name=company.get("nom_complet") or company.get("nom_raison_sociale") or "",
                naf=company.get("activite_principale") or "-",
                address=siege.get("adresse") or "-",
            )
            if company.get("etat_administratif") != "A":
                return "failed", self.env._(
                    "Ceased company (closed on %(date)s): %(details)s",
                    date=company.get("date_fermeture") or "-",
                    details=details,
                )
            return "passed", self.env._("Active company: %(details)s", details=details)

        return self._lbc_call(
            "sirene", partner, SIRENE_URL, params={"q": siren, "page": 1, "per_page": 5}, check=check, parse=parse
        )

    @api.model
    def _lbc_check_urssaf(self, partner, document=None, check=None):
        """The URSSAF attestation de vigilance at the source (API Entreprise, v4, LBC's token): delivered
        (the company is up to date) passes; refused or unknown fails. The security code and validity the
        URSSAF returns are kept in the answer.

        With `document` (an uploaded URSSAF attestation), its security code is checked as well: it must be well
        formed and be the code of the attestation the URSSAF delivers for that SIREN. Any other code (an older
        attestation, or one the URSSAF did not issue) fails: the document is flagged to LBC's compliance officer
        (`_lbc_flag_source`), never passed. API Entreprise has no call that verifies a given code: the URSSAF's
        own code verification is urssaf.fr's page (with a captcha) or its separate "Attestations Vérification
        Code Sécurité" API, which LBC would subscribe to on the URSSAF's API portal."""
        siren = partner.lbc_siren
        token = self._lbc_param("api_entreprise_token")
        base = (self._lbc_param("api_entreprise_url") or API_ENTREPRISE_URL).rstrip("/")
        url = f"{base}/v4/urssaf/unites_legales/{siren}/attestation_vigilance"
        params = {
            "recipient": self._lbc_param("api_entreprise_recipient") or self.env.company.company_registry or "",
            "context": "Vigilance L.8222-1",
            "object": f"Attestation de vigilance du prestataire {siren}",
        }

        def parse(status, payload):
            if status == 404:
                return "failed", self.env._("SIREN %(siren)s is unknown to the URSSAF.", siren=siren)
            if status != 200:
                return "error", self.env._("API Entreprise answered with the status %(status)s.", status=status)
            data = payload["data"]
            code = (data.get("entity_status") or {}).get("code")
            if code != "ok":
                return "failed", self.env._(
                    "The URSSAF refuses the attestation (%(code)s): %(label)s",
                    code=code,
                    label=(data.get("entity_status") or {}).get("libelle") or "",
                )
            delivered_code = data.get("code_securite") or ""
            summary = self.env._(
                "Attestation delivered by the URSSAF, valid from %(start)s to %(end)s (security code %(code)s).",
                start=data.get("date_debut_validite") or "-",
                end=data.get("date_fin_validite") or "-",
                code=delivered_code or "-",
            )
            if not document:
                return "passed", summary
            uploaded = attestation_reader.clean_urssaf_code(document.urssaf_security_code)
            if not uploaded:
                return "failed", summary + " " + self.env._(
                    "The uploaded attestation has no security code to compare with it."
                )
            if not attestation_reader.is_urssaf_code(uploaded):
                return "failed", summary + " " + self.env._(
                    "The uploaded attestation's security code %(code)s is not well formed (15 letters and digits).",
                    code=uploaded,
                )
            if not delivered_code:
                return "error", summary + " " + self.env._(
                    "The URSSAF gave no security code to compare the uploaded attestation's with."
                )
            if uploaded != attestation_reader.clean_urssaf_code(delivered_code):
                return "failed", summary + " " + self.env._(
                    "The uploaded attestation carries another security code (%(code)s): an older attestation, or "
                    "one the URSSAF did not issue. Check it on urssaf.fr or ask the provider for the current one.",
                    code=uploaded,
                )
            return "passed", summary + " " + self.env._("The uploaded attestation carries this code.")

        if not token:
            return self.sudo().create(
                {
                    "source": "urssaf",
                    "partner_id": partner.id,
                    "document_id": document.id if document else False,
                    "check_id": check.id if check else False,
                    "checked_at": fields.Datetime.now(),
                    "request_url": url,
                    "result": "error",
                    "summary": self.env._("No API Entreprise token in the settings."),
                }
            )
        return self._lbc_call(
            "urssaf",
            partner,
            url,
            params=params,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            document=document,
            check=check,
            parse=parse,
        )

    @api.model
    def _lbc_check_vies(self, partner, check=None):
        """An EU VAT number through base_vat's VIES check (Odoo's VIES service): valid passes, invalid
        fails, pending or fault is no answer."""
        vals = {
            "source": "vies",
            "partner_id": partner.id,
            "check_id": check.id if check else False,
            "checked_at": fields.Datetime.now(),
            "request_url": f"VIES {partner.vat}",
        }
        status = partner.sudo()._check_vies_iap()
        vals["answer"] = json.dumps({"vat": partner.vat, "status": status})
        if status == "valid":
            vals.update(result="passed", summary=self.env._("VAT number %(vat)s valid in VIES.", vat=partner.vat))
        elif status == "invalid":
            vals.update(result="failed", summary=self.env._("VAT number %(vat)s invalid in VIES.", vat=partner.vat))
        else:
            vals.update(
                result="error",
                summary=self.env._("VIES gave no answer for %(vat)s (%(status)s).", vat=partner.vat, status=status),
            )
        return self.sudo().create(vals)

    @api.model
    def _lbc_check_company(self, partner, check=None, sources=("sirene", "urssaf", "vies")):
        """Every enabled connector that applies to the company. Returns the proofs."""
        proofs = self.browse()
        french = not partner.lbc_is_foreign and partner.lbc_siren
        if "sirene" in sources and french and self._lbc_enabled("sirene"):
            proofs |= self._lbc_check_sirene(partner, check=check)
        if "urssaf" in sources and french and partner.lbc_is_provider and self._lbc_enabled("urssaf"):
            proofs |= self._lbc_check_urssaf(partner, check=check)
        if "vies" in sources and partner.lbc_is_foreign and partner.vat and self._lbc_enabled("vies"):
            proofs |= self._lbc_check_vies(partner, check=check)
        return proofs
