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

    def test_urssaf_security_code_checked_against_the_urssaf(self):
        """The uploaded attestation's code must be the one of the attestation the URSSAF delivers for the SIREN:
        another code fails and is flagged to LBC, never passed."""
        self._enable("urssaf")
        officer = self.Check._lbc_compliance_officer()
        doc = self._upload(self.provider_a, "urssaf", urssaf_code="OLD458G1B2T8IZW")
        with patch(TRANSPORT, return_value=FakeResponse(200, urssaf_answer())):
            doc.with_user(self.compliance_officer).action_check_at_source()
        proof = doc.source_check_ids
        self.assertEqual(proof.result, "failed")
        self.assertIn("carries another security code (OLD458G1B2T8IZW)", proof.summary)
        self.assertIn("YAB458G1B2T8IZW", proof.answer, "the URSSAF's answer kept as the proof")
        self.assertTrue(proof.checked_at)
        self.assertEqual(doc.state, "submitted", "never verified")
        self.assertEqual(doc.reading_state, "uncertain", "flagged to LBC")
        self.assertIn("OLD458G1B2T8IZW", doc.reading_note)
        activity = doc.activity_ids.filtered(lambda a: "source contradicts" in a.summary)
        self.assertEqual(activity.user_id, officer)
        # the URSSAF gives no code to compare with: no answer, not passed, not flagged
        answer = urssaf_answer()
        answer["data"]["code_securite"] = None
        other = self._upload(self.provider_b, "urssaf", urssaf_code="YAB458G1B2T8IZW")
        with patch(TRANSPORT, return_value=FakeResponse(200, answer)):
            other.with_user(self.compliance_officer).action_check_at_source()
        self.assertEqual((other.source_check_ids.result, other.state), ("error", "submitted"))
        # a code entered by hand that is not well formed fails as well (the upload refuses it already)
        other.with_user(self.compliance_officer).write({"urssaf_security_code": "12-34"})
        with patch(TRANSPORT, return_value=FakeResponse(200, urssaf_answer())):
            other.with_user(self.compliance_officer).action_check_at_source()
        self.assertIn("not well formed", other.source_check_ids.sorted("id")[-1].summary)
        self.assertEqual((other.state, other.reading_state), ("submitted", "uncertain"))
        # the right code: verified at the source, the answer as its proof
        other.with_user(self.compliance_officer).write({"urssaf_security_code": "yab458g1b2t8izw"})
        with patch(TRANSPORT, return_value=FakeResponse(200, urssaf_answer())):
            other.with_user(self.compliance_officer).action_check_at_source()
        self.assertEqual((other.state, other.verification_method), ("verified", "urssaf_api"))
        self.assertIn("carries this code", other.verification_note)

    def test_validation_refused_for_ceased_company_and_vies(self):
        self._enable("sirene", "vies")
        company = self._create_company("Ceased Co", provider=True)
        company.action_lbc_submit()
        siren = company.lbc_siren
        for answer, message, result in (
            (FakeResponse(200, sirene_answer(siren, "C", "2025-01-01")), "Ceased company", "failed"),
            (requests.exceptions.ConnectTimeout("slow"), "timeout", "error"),
        ):
            with self.subTest(message), patch(TRANSPORT) as get:
                get.side_effect = answer if isinstance(answer, Exception) else None
                get.return_value = answer
                action = company.with_user(self.operator).action_lbc_validate()
                self.assertEqual(action["params"]["type"], "danger")
                self.assertIn(message, action["params"]["message"])
                self.assertEqual(company.lbc_state, "submitted", "refused through the state")
                self.assertIn(message, company.sudo().lbc_source_refusal)
                proof = company.sudo().lbc_source_check_ids.sorted("id")[-1]
                self.assertEqual((proof.source, proof.result), ("sirene", result))
        with patch(TRANSPORT, return_value=FakeResponse(200, sirene_answer(siren))):
            self.assertIs(company.with_user(self.operator).action_lbc_validate(), True)
        self.assertEqual(company.lbc_state, "validated")
        self.assertFalse(company.sudo().lbc_source_refusal)
        proofs = company.sudo().lbc_source_check_ids.sorted("id")
        self.assertEqual(proofs.mapped("result"), ["failed", "error", "passed"], "each answer kept as a proof")
        # a Belgian provider: its VAT number through base_vat's VIES check
        foreign = self._create_company("Brussels Co", provider=True, country=self.belgium, vat="BE0477472701")
        foreign.action_lbc_submit()
        with patch(VIES_TRANSPORT, return_value=FakeResponse(200, {"status": "invalid"})):
            action = foreign.with_user(self.operator).action_lbc_validate()
        self.assertIn("invalid in VIES", action["params"]["message"])
        with patch(VIES_TRANSPORT, side_effect=requests.exceptions.ConnectTimeout("slow")):
            with mute_logger("odoo.addons.base_vat.models.res_partner"):
                action = foreign.with_user(self.operator).action_lbc_validate()
        self.assertIn("no answer", action["params"]["message"])
        self.assertEqual(foreign.lbc_state, "submitted")
        with patch(VIES_TRANSPORT, return_value=FakeResponse(200, {"status": "valid"})):
            foreign.with_user(self.operator).action_lbc_validate()
        self.assertEqual(foreign.lbc_state, "validated")
        self.assertEqual(foreign.sudo().lbc_source_check_ids.mapped("result").count("passed"), 1)

    def test_refused_validation_proof_is_committed(self):
        """The refusal's proof outlives the call: the request's transaction is not rolled back by a refusal.
        Checked after a savepoint the call runs in (as a portal or RPC call runs), which an exception would roll
        back, and the company named in the operator's chatter."""
        self._enable("sirene")
        company = self._create_company("Ceased Again", provider=True)
        company.action_lbc_submit()
        with patch(TRANSPORT, return_value=FakeResponse(200, sirene_answer(company.lbc_siren, "C", "2025-01-01"))):
            with self.env.cr.savepoint():
                company.with_user(self.operator).action_lbc_validate()
        self.env.invalidate_all()
        proof = self.Source.search([("partner_id", "=", company.id)])
        self.assertEqual(proof.result, "failed")
        self.assertIn('"etat_administratif": "C"', proof.answer)
        self.assertIn("Ceased company", company.message_ids[0].body)
        # a batch: the active company is validated, the ceased one is refused, both proofs kept
        active = self._create_company("Active Co", provider=True)
        active.action_lbc_submit()

        def get(url, params=None, headers=None, timeout=None):
            state = "C" if params["q"] == company.lbc_siren else "A"
            return FakeResponse(200, sirene_answer(params["q"], state, "2025-01-01" if state == "C" else None))

        with patch(TRANSPORT, side_effect=get):
            action = (company | active).with_user(self.operator).action_lbc_validate()
        self.assertIn("Ceased Again", action["params"]["message"])
        self.assertEqual((company.lbc_state, active.lbc_state), ("submitted", "validated"))
        self.assertEqual(len(self.Source.search([("partner_id", "in", (company | active).ids)])), 3)
