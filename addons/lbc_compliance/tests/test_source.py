import json
from datetime import timedelta
from unittest.mock import patch

import requests

from odoo.exceptions import UserError
from odoo.tools import mute_logger

from .common import LbcComplianceCommon

TRANSPORT = "odoo.addons.lbc_compliance.models.lbc_compliance_source_check.requests.get"
VIES_TRANSPORT = "odoo.addons.base_vat.models.res_partner.requests.post"


class FakeResponse:
    def __init__(self, status, payload):
        self.status_code = status
        self.payload = payload
        self.text = json.dumps(payload)

    def json(self):
        return self.payload

    def raise_for_status(self):
        if self.status_code >= 400:
            raise requests.exceptions.HTTPError(self.status_code)


def sirene_answer(siren, state="A", closed=None):
    return {
        "results": [
            {
                "siren": siren,
                "nom_complet": "PROVIDER A SAS",
                "etat_administratif": state,
                "activite_principale": "62.02A",
                "date_fermeture": closed,
                "siege": {"adresse": "1 RUE DE TEST 75001 PARIS"},
            }
        ],
        "total_results": 1,
    }


def urssaf_answer(status="ok"):
    delivered = status == "ok"
    return {
        "data": {
            "document_url": "https://storage.entreprise.api.gouv.fr/attestation.pdf" if delivered else None,
            "document_url_expires_in": 86400 if delivered else None,
            "date_debut_validite": "2026-11-30" if delivered else None,
            "date_fin_validite": "2027-05-31" if delivered else None,
            "code_securite": "YAB458G1B2T8IZW" if delivered else None,
            "entity_status": {"code": status, "libelle": "Attestation délivrée" if delivered else "Refusée"},
        },
        "links": {},
        "meta": {},
    }


class TestSourceConnectors(LbcComplianceCommon):
    """SIRENE, URSSAF (API Entreprise) and VIES with the transport patched: valid, invalid, ceased, timeout."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Source = cls.env["lbc.compliance.source.check"]
        cls.siren_a = cls.provider_a.lbc_siren
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("lbc_compliance.api_entreprise_token", "secret-token")
        params.set_param("lbc_compliance.api_entreprise_recipient", "11122233300013")

    def _enable(self, *sources):
        for source in sources:
            self.env["ir.config_parameter"].sudo().set_param(f"lbc_compliance.source_{source}", "True")

    def test_off_until_configured(self):
        with patch(TRANSPORT) as get:
            self.assertFalse(self.Source._lbc_check_company(self.provider_a))
            get.assert_not_called()
        settings = self.env["res.config.settings"].create({"lbc_compliance_source_sirene": True})
        settings.execute()
        self.assertTrue(self.Source._lbc_enabled("sirene"))
        self.assertFalse(self.Source._lbc_enabled("urssaf"))

    def test_sirene_active_ceased_unknown_timeout(self):
        self._enable("sirene")
        cases = [
            (FakeResponse(200, sirene_answer(self.siren_a)), "passed", "Active company: PROVIDER A SAS, NAF 62.02A"),
            (FakeResponse(200, sirene_answer(self.siren_a, "C", "2026-06-30")), "failed", "Ceased company"),
            (FakeResponse(200, {"results": [], "total_results": 0}), "failed", "is not in the SIRENE register"),
            (requests.exceptions.ConnectTimeout("slow"), "error", "timeout"),
            (FakeResponse(503, {"erreur": "indisponible"}), "error", "status 503"),
        ]
        for answer, result, summary in cases:
            with self.subTest(result=result, summary=summary), patch(TRANSPORT) as get:
                get.side_effect = answer if isinstance(answer, Exception) else None
                get.return_value = answer
                proof = self.Source._lbc_check_company(self.provider_a)
                self.assertEqual(proof.result, result)
                self.assertIn(summary, proof.summary)
                self.assertTrue(proof.checked_at)
                url, kwargs = get.call_args.args[0], get.call_args.kwargs
                self.assertEqual(url, "https://recherche-entreprises.api.gouv.fr/search")
                self.assertEqual(kwargs["params"]["q"], self.siren_a)
                self.assertEqual(kwargs["timeout"], 10.0)
        ok = self.Source.search([("partner_id", "=", self.provider_a.id), ("result", "=", "passed")])
        self.assertIn('"etat_administratif": "A"', ok.answer, "the answer is kept as the proof")
        with self.assertRaises(UserError):
            ok.with_user(self.compliance_officer).write({"result": "failed"})

    def test_six_monthly_check_fails_on_ceased_company_and_timeout(self):
        self._make_compliant(self.provider_a)
        self._enable("sirene", "urssaf")
        check = self.Check._lbc_start_engagement(
            self.provider_a, self.mission, self.client_a, self.today, self.today + timedelta(days=300)
        )

        def transport(answers):
            def get(url, params=None, headers=None, timeout=None):
                answer = answers["urssaf" if "attestation_vigilance" in url else "sirene"]
                if isinstance(answer, Exception):
                    raise answer
                return answer

            return get

        # valid at both sources: passes, the answers kept on the check
        with patch(
            TRANSPORT,
            side_effect=transport(
                {
                    "sirene": FakeResponse(200, sirene_answer(self.siren_a)),
                    "urssaf": FakeResponse(200, urssaf_answer()),
                }
            ),
        ) as get:
            self.Check._cron_lbc_compliance(run_date=self.today)
        self.assertEqual(check.state, "passed")
        self.assertEqual(sorted(check.source_check_ids.mapped("source")), ["sirene", "urssaf"])
        self.assertIn("valid from 2026-11-30 to 2027-05-31", check.result_note)
        urssaf_call = next(c for c in get.call_args_list if "attestation_vigilance" in c.args[0])
        self.assertEqual(
            urssaf_call.args[0],
            f"https://entreprise.api.gouv.fr/v4/urssaf/unites_legales/{self.siren_a}/attestation_vigilance",
        )
        self.assertEqual(urssaf_call.kwargs["headers"]["Authorization"], "Bearer secret-token")
        self.assertEqual(urssaf_call.kwargs["params"]["recipient"], "11122233300013")
        self.assertNotIn("secret-token", check.source_check_ids.mapped("request_url")[0], "no credential stored")

        # ceased in the register: the check fails
        second = self.Check._lbc_engagement_checks(self.mission) - check
        with patch(
            TRANSPORT,
            side_effect=transport(
                {
                    "sirene": FakeResponse(200, sirene_answer(self.siren_a, "C", "2027-01-15")),
                    "urssaf": FakeResponse(200, urssaf_answer()),
                }
            ),
        ):
            second.with_user(self.compliance_officer).action_recheck()
        self.assertEqual(second.state, "failed")
        self.assertIn("Ceased company", second.result_note)

        # no answer: never passes
        with patch(
            TRANSPORT,
            side_effect=transport(
                {
                    "sirene": requests.exceptions.ReadTimeout("slow"),
                    "urssaf": FakeResponse(200, urssaf_answer()),
                }
            ),
        ):
            second.with_user(self.compliance_officer).action_recheck()
        self.assertEqual(second.state, "failed")
        self.assertIn("timeout", second.result_note)

        # the URSSAF refuses the attestation: fails
        with patch(
            TRANSPORT,
            side_effect=transport(
                {
                    "sirene": FakeResponse(200, sirene_answer(self.siren_a)),
                    "urssaf": FakeResponse(200, urssaf_answer("refus_de_delivrance")),
                }
            ),
        ):
            second.with_user(self.compliance_officer).action_recheck()
        self.assertEqual(second.state, "failed")
        self.assertIn("refuses the attestation", second.result_note)

    def test_urssaf_document_checked_at_source(self):
        doc = self._upload(self.provider_a, "urssaf", urssaf_code="YAB458G1B2T8IZW")
        with self.assertRaisesRegex(UserError, "is off"):
            doc.with_user(self.compliance_officer).action_check_at_source()
        self._enable("urssaf")
        with self.assertRaises(UserError):
            doc.with_user(self.provider_a_admin).action_check_at_source()
        with patch(TRANSPORT, return_value=FakeResponse(404, {"errors": [{"code": "04003"}]})):
            doc.with_user(self.compliance_officer).action_check_at_source()
        self.assertEqual(doc.state, "submitted", "unknown to the URSSAF: not verified")
        self.assertEqual(doc.source_check_ids.result, "failed")
        with patch(TRANSPORT, side_effect=requests.exceptions.ConnectTimeout("slow")):
            doc.with_user(self.compliance_officer).action_check_at_source()
        self.assertEqual(doc.state, "submitted", "a timeout never verifies")
        with patch(TRANSPORT, return_value=FakeResponse(200, urssaf_answer())):
            doc.with_user(self.compliance_officer).action_check_at_source()
        self.assertEqual(doc.state, "verified")
        self.assertEqual(doc.verification_method, "urssaf_api")
        self.assertIn("YAB458G1B2T8IZW", doc.verification_note)
        self.assertEqual(len(doc.source_check_ids), 3, "each answer kept with its time")

    def test_validation_refused_for_ceased_company_and_vies(self):
        self._enable("sirene", "vies")
        company = self._create_company("Ceased Co", provider=True)
        company.action_lbc_submit()
        siren = company.lbc_siren
        for answer, message in (
            (FakeResponse(200, sirene_answer(siren, "C", "2025-01-01")), "Ceased company"),
            (requests.exceptions.ConnectTimeout("slow"), "timeout"),
        ):
            with self.subTest(message), patch(TRANSPORT) as get, self.assertRaisesRegex(UserError, message):
                get.side_effect = answer if isinstance(answer, Exception) else None
                get.return_value = answer
                company.with_user(self.operator).action_lbc_validate()
        self.assertEqual(company.lbc_state, "submitted")
        with patch(TRANSPORT, return_value=FakeResponse(200, sirene_answer(siren))):
            company.with_user(self.operator).action_lbc_validate()
        self.assertEqual(company.lbc_state, "validated")
        proof = company.sudo().lbc_source_check_ids.sorted("id")[-1]
        self.assertEqual((proof.source, proof.result), ("sirene", "passed"), "the answer kept as proof")
        # a Belgian provider: its VAT number through base_vat's VIES check
        foreign = self._create_company("Brussels Co", provider=True, country=self.belgium, vat="BE0477472701")
        foreign.action_lbc_submit()
        with patch(VIES_TRANSPORT, return_value=FakeResponse(200, {"status": "invalid"})):
            with self.assertRaisesRegex(UserError, "invalid in VIES"):
                foreign.with_user(self.operator).action_lbc_validate()
        with patch(VIES_TRANSPORT, side_effect=requests.exceptions.ConnectTimeout("slow")):
            with mute_logger("odoo.addons.base_vat.models.res_partner"), self.assertRaisesRegex(UserError, "no answer"):
                foreign.with_user(self.operator).action_lbc_validate()
        with patch(VIES_TRANSPORT, return_value=FakeResponse(200, {"status": "valid"})):
            foreign.with_user(self.operator).action_lbc_validate()
        self.assertEqual(foreign.lbc_state, "validated")
