"""Demo data only: the story of several months of missions, told through the real actions.

Called once by a `<function>` of this addon's demo XML (loaded with --with-demo only). Each step runs as the user
who does it on the platform (`with_user`): the client publishes and selects, the provider bids, LBC approves and
contracts, the consultant fills and submits the activity report, the provider's approver approves it, the
client validates it, the invoicing run invoices it, LBC credits one invoiced report. Only what a story cannot
wait for (months passing: deadlines and start dates moved into the past, a certificate getting old) is written as
data, by the superuser, as XML data files do."""

import base64
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools.misc import file_open


class LbcMission(models.Model):
    _inherit = "lbc.mission"

    # --- helpers ---------------------------------------------------------------
    @api.model
    def _lbc_demo_user(self, xmlid):
        return self.env.ref(xmlid)

    @api.model
    def _lbc_demo_contract(self, tender_vals, bids, start, client_user, winner=0):
        """A tender published by `client_user`, answered by `bids` (a list of (bid vals, provider user)), whose
        deadline passed before `start`; the client selects bid `winner`, LBC approves and contracts it and starts
        the mission (the client signed its order on paper). Returns the mission."""
        env = self.env
        operator = env.ref("lbc_base.user_operator")
        today = fields.Date.context_today(self)
        tender = env["lbc.tender"].create(
            dict(
                tender_vals,
                author_id=client_user.id,
                date_start=today + timedelta(days=40),
                deadline=fields.Datetime.now() + timedelta(days=20),
            )
        )
        tender.with_user(client_user).action_publish()
        bid_records = env["lbc.tender.bid"]
        for vals, provider_user in bids:
            bid = env["lbc.tender.bid"].create(
                dict(
                    vals,
                    tender_id=tender.id,
                    author_id=provider_user.id,
                    available_from=today + timedelta(days=40),
                    labour_law_ack=True,
                )
            )
            bid.with_user(provider_user).action_submit()
            bid_records |= bid
        # months pass: the call for bids closed ten days before the mission started
        tender.write(
            {
                "deadline": fields.Datetime.to_datetime(start) - relativedelta(days=10, hours=-17),
                "date_start": start,
            }
        )
        bid_records.write({"available_from": start})
        tender._lbc_close_past_deadline()
        if winner is None:
            return tender
        bid = bid_records[winner]
        bid.with_user(client_user).action_select()
        bid.with_user(operator).action_approve()
        mission = bid.with_user(operator).action_contract()
        mission.with_user(operator).action_activate()
        return mission

    @api.model
    def _lbc_demo_report(self, mission, period, target, approver, validator, reason=None):
        """The consultant of `mission` fills the working days of `period` (up to today) and the report goes to
        `target`: 'draft', 'submitted', 'approved', 'validated' (left to the invoicing run), 'rejected' (sent back
        by the client, with `reason`). Returns the report."""
        env = self.env
        consultant = mission.consultant_id.user_ids[:1]
        today = fields.Date.context_today(self)
        month_end = (period + timedelta(days=31)).replace(day=1) - timedelta(days=1)
        days = [
            day
            for day in mission._lbc_calendar()._lbc_working_days(period, min(month_end, today))
            if mission.date_start <= day <= mission.date_end
        ]
        if not days:
            return env["lbc.activity.report"]
        Report = env["lbc.activity.report"].with_user(consultant)
        report = Report.create(
            {
                "mission_id": mission.id,
                "consultant_id": mission.consultant_id.id,
                "period": period,
                "line_ids": [fields.Command.create({"date": d, "quantity": 1.0}) for d in days],
            }
        )
        if target == "draft":
            return report
        report.action_submit()
        if target == "submitted":
            return report
        report.with_user(approver).action_approve()
        if target == "approved":
            return report
        if target == "rejected":
            report.with_user(validator).action_reject(reason)
            return report
        # validated by the client: the invoicing run (below) invoices it
        report.with_user(validator)._lbc_validate(invoice=False)
        return report

    # --- the story ----------------------------------------------------------------
    @api.model
    def _lbc_demo_story(self):
        env = self.env
        ref = env.ref
        operator = ref("lbc_base.user_operator")
        sophie = ref("lbc_base.user_sophie_bernard")
        julien = ref("lbc_base.user_julien_moreau")
        thomas = ref("lbc_base.user_thomas_lefevre")
        nadia = ref("lbc_base.user_nadia_benali")
        pierre = ref("lbc_base.user_pierre_lambert")
        camille = ref("lbc_base.user_camille_martin")
        jan = ref("lbc_base.user_jan_peeters")
        lucas = ref("lbc_base.user_lucas_garnier")
        first = fields.Date.context_today(self).replace(day=1)
        aero = ref("lbc_base.client_aero_durand")
        banque = ref("lbc_base.client_banque_hexagone")
        skill = lambda name: ref(f"lbc_base.lbc_skill_{name}").id  # noqa: E731

        # Nexa Conseil's signatory signs the self-billing mandate: LBC issues its bills itself
        ref("lbc_base.provider_nexa_conseil").with_user(thomas).action_lbc_sign_self_billing_mandate()

        # 1. Aéronautique Durand <- Brussels Cloud Experts, for seven months (its certificate expires below)
        brussels = self._lbc_demo_contract(
            {
                "name": "Ingénieur DevOps AWS – chaîne de calcul",
                "client_id": aero.id,
                "description": "<p>Automatisation de la chaîne de calcul de structures sur AWS.</p>",
                "skill_ids": [fields.Command.set([skill("aws"), skill("terraform")])],
                "location": "Toulouse",
                "remote_policy": "remote",
                "duration_days": 260,
                "max_daily_rate": 720,
            },
            [
                (
                    {
                        "provider_id": ref("lbc_base.provider_brussels_cloud").id,
                        "consultant_id": jan.partner_id.id,
                        "daily_rate": 690,
                        "message": "Terraform and EKS experts, fully remote.",
                    },
                    jan,
                )
            ],
            first - relativedelta(months=7),
            sophie,
        )
        # 2. Aéronautique Durand <- Ingénia Systèmes (Pierre Lambert), for six months; Nexa's bid lost
        ingenia = self._lbc_demo_contract(
            {
                "name": "Ingénieur systèmes CATIA – aménagement cabine",
                "client_id": aero.id,
                "description": "<p>Conception et intégration des aménagements cabine sous CATIA V5.</p>",
                "skill_ids": [fields.Command.set([skill("catia_v5"), skill("systems_engineering")])],
                "location": "Blagnac",
                "remote_policy": "on_site",
                "duration_days": 240,
                "max_daily_rate": 780,
            },
            [
                (
                    {
                        "provider_id": ref("lbc_base.provider_ingenia").id,
                        "consultant_id": pierre.partner_id.id,
                        "daily_rate": 740,
                        "message": "Quinze ans de CATIA V5 en bureau d'études aéronautique.",
                    },
                    pierre,
                ),
                (
                    {
                        "provider_id": ref("lbc_base.provider_nexa_conseil").id,
                        "consultant_id": lucas.partner_id.id,
                        "daily_rate": 690,
                        "message": "Lucas connaît les données PLM des bureaux d'études.",
                    },
                    nadia,
                ),
            ],
            first - relativedelta(months=6),
            sophie,
        )
        # 3. Aéronautique Durand <- Nexa Conseil (Lucas Garnier), for four months
        nexa = self._lbc_demo_contract(
            {
                "name": "Data engineer Python – jumeau numérique des essais",
                "client_id": aero.id,
                "description": "<p>Chaîne de données des bancs d'essais (Python, PostgreSQL).</p>",
                "skill_ids": [fields.Command.set([skill("python"), skill("postgresql")])],
                "location": "Toulouse",
                "remote_policy": "hybrid",
                "duration_days": 220,
                "max_daily_rate": 700,
            },
            [
                (
                    {
                        "provider_id": ref("lbc_base.provider_nexa_conseil").id,
                        "consultant_id": lucas.partner_id.id,
                        "daily_rate": 640,
                        "message": "Lucas a industrialisé la donnée d'essais d'un motoriste.",
                    },
                    nadia,
                )
            ],
            first - relativedelta(months=4),
            sophie,
        )
        # 4. Banque Hexagone <- Camille Martin EI (freelancer), for three months
        freelance = self._lbc_demo_contract(
            {
                "name": "Développeuse React – espace client",
                "client_id": banque.id,
                "description": "<p>Refonte de l'espace client web en React et TypeScript.</p>",
                "skill_ids": [fields.Command.set([skill("react"), skill("javascript_typescript")])],
                "location": "Paris",
                "remote_policy": "hybrid",
                "duration_days": 200,
                "max_daily_rate": 650,
            },
            [
                (
                    {
                        "provider_id": ref("lbc_base.provider_camille_martin").id,
                        "consultant_id": camille.partner_id.id,
                        "daily_rate": 600,
                        "message": "Six ans de React, dont trois dans la banque.",
                    },
                    camille,
                )
            ],
            first - relativedelta(months=3),
            julien,
        )
        # a closed tender: the bids are open to the client, no offer selected yet
        self._lbc_demo_contract(
            {
                "name": "Architecte Kubernetes – plateforme de paiement",
                "client_id": banque.id,
                "description": "<p>Architecture d'une plateforme Kubernetes pour les paiements instantanés.</p>",
                "skill_ids": [fields.Command.set([skill("kubernetes"), skill("aws")])],
                "location": "Paris",
                "remote_policy": "hybrid",
                "duration_days": 120,
                "max_daily_rate": 800,
            },
            [
                (
                    {
                        "provider_id": ref("lbc_base.provider_brussels_cloud").id,
                        "consultant_id": jan.partner_id.id,
                        "daily_rate": 760,
                        "message": "We run Kubernetes payment platforms for two Belgian banks.",
                    },
                    jan,
                ),
                (
                    {
                        "provider_id": ref("lbc_base.provider_nexa_conseil").id,
                        "consultant_id": ref("lbc_base.user_emma_girard").partner_id.id,
                        "daily_rate": 720,
                        "message": "Emma a conçu la plateforme Kubernetes d'un établissement de paiement.",
                    },
                    nadia,
                ),
            ],
            fields.Date.context_today(self) + relativedelta(days=8),
            julien,
            winner=None,
        )
        # a cancelled tender: the project was postponed before any bid
        cancelled = self._lbc_demo_contract(
            {
                "name": "Chef de projet PLM – déploiement usine",
                "client_id": aero.id,
                "description": "<p>Déploiement du PLM dans l'usine de Saint-Nazaire.</p>",
                "skill_ids": [fields.Command.set([skill("plm")])],
                "location": "Saint-Nazaire",
                "remote_policy": "on_site",
                "duration_days": 90,
                "max_daily_rate": 700,
            },
            [],
            fields.Date.context_today(self) + relativedelta(days=20),
            sophie,
            winner=None,
        )
        cancelled.with_user(sophie).action_cancel("Projet reporté à l'an prochain.")

        # the months of activity reports, oldest first: the consultant submits, the provider's approver approves
        # (LBC for a company whose consultant is its only member), the client validates; at the end of each
        # month the invoicing run invoices what the clients validated (client invoice, bill, fee invoice)
        emma = self.search([("bid_id", "=", ref("lbc_erp_client.bid_odoo_run_nexa").id)])
        plans = [
            (emma, ["invoiced", "invoiced", "submitted"], nadia, julien),
            (brussels, ["invoiced"] * 7 + ["draft"], operator, sophie),
            (ingenia, ["invoiced"] * 5 + ["approved", "draft"], operator, sophie),
            (nexa, ["invoiced"] * 3 + ["approved", "submitted"], nadia, sophie),
            (freelance, ["invoiced", "invoiced", "rejected", "draft"], operator, julien),
        ]
        months = max(len(plan) for _mission, plan, _approver, _validator in plans)
        reports = {}
        for back in range(months - 1, -1, -1):
            period = first - relativedelta(months=back)
            for mission, plan, approver, validator in plans:
                if back < len(plan):
                    reports[mission, back] = self._lbc_demo_report(
                        mission,
                        period,
                        plan[len(plan) - 1 - back],
                        approver,
                        validator,
                        reason="Le 14 était un jour de fermeture de notre site : merci de corriger.",
                    )
            env["lbc.activity.report"]._lbc_invoice_batch()
        # the client validates Ingénia's last month after the run: it waits for the next one
        reports[ingenia, 1].with_user(sophie)._lbc_validate(invoice=False)
        # LBC corrects an invoiced report: credit notes, and the report goes back to the consultant
        credited = reports[ingenia, 2]
        credited.with_user(operator).action_lbc_credit("Deux jours de congés facturés par erreur.")

        # Camille uploads her new URSSAF attestation: it waits for LBC's compliance officer
        with file_open("lbc_compliance/demo/files/vigilance_document.pdf", "rb") as file:
            pdf = file.read()
        ref("lbc_base.provider_camille_martin").with_user(camille).action_lbc_upload_compliance_document(
            "urssaf",
            "attestation_urssaf.pdf",
            base64.b64encode(pdf),
            fields.Date.context_today(self) - relativedelta(days=3),
            urssaf_code="Z9Y8X7W6V5U4T3S",
        )
        # time passes: Brussels Cloud's social security certificate gets old and expires; the six-monthly
        # check of its running mission fails
        today = fields.Date.context_today(self)
        certificate = ref("lbc_compliance.document_brussels_foreign_social")
        validity = certificate.type_id._lbc_expiry_date(today) - today
        certificate.write({"issue_date": today - validity - timedelta(days=12)})
        certificate._lbc_expire(today)
        Check = env["lbc.compliance.check"]
        due = [("state", "=", "due"), ("date_due", "<=", today)]
        while Check.search_count(due):  # the check at contracting, then the six-monthly ones due since
            Check.search(due)._lbc_run_checks(today)

        # Aéronautique Durand subscribes to the Pro plan
        ref("lbc_erp_client.lbc_subscription_plan_pro_monthly").with_user(sophie).action_subscribe(accept_terms=True)
        return True

    @api.model
    def _lbc_demo_waiting_for_lbc(self):
        """What waits for LBC's staff at first login besides the months above: a signatory to verify, an offer
        selected by its client for LBC to approve, an accountant export ready to download."""
        env = self.env
        ref = env.ref
        operator = ref("lbc_base.user_operator")
        manager = ref("lbc_base.user_manager")
        claire = ref("lbc_base.user_claire_fournier")
        julien = ref("lbc_base.user_julien_moreau")
        nadia = ref("lbc_base.user_nadia_benali")
        pierre = ref("lbc_base.user_pierre_lambert")
        nexa = ref("lbc_base.provider_nexa_conseil")
        today = fields.Date.context_today(self)
        skill = lambda name: ref(f"lbc_base.lbc_skill_{name}").id  # noqa: E731

        # Énergies Atlantique's administrator names herself its signatory (the one role a member may grant
        # itself: it binds the company only once LBC verified it) and sends LBC her Kbis extract, which the
        # operator attaches to the role: the capacity waits for LBC's verification
        claire.partner_id.with_user(claire).action_lbc_grant_role("signatory")
        role = env["lbc.company.role"].search(
            [
                ("member_id", "=", claire.partner_id.id),
                ("member_company_id", "=", ref("lbc_base.client_energies_atlantique").id),
                ("role", "=", "signatory"),
            ]
        )
        with file_open("lbc_compliance/demo/files/vigilance_document.pdf", "rb") as file:
            kbis = file.read()
        role.with_user(operator).write(
            {
                "proof_attachment_ids": [
                    fields.Command.create(
                        {"name": "extrait_kbis_energies_atlantique.pdf", "raw": kbis, "mimetype": "application/pdf"}
                    )
                ]
            }
        )

        # Banque Hexagone's call for a security expert closed four days ago; Julien selected Nexa Conseil's offer
        # over Ingénia's: LBC checks Nexa's compliance and signatory, then approves and contracts it
        tender = self._lbc_demo_contract(
            {
                "name": "Expert sécurité – revue des habilitations Odoo",
                "client_id": ref("lbc_base.client_banque_hexagone").id,
                "description": "<p>Revue des droits d'accès et des règles d'enregistrement du back-office crédit.</p>",
                "skill_ids": [fields.Command.set([skill("odoo"), skill("python")])],
                "location": "Paris",
                "remote_policy": "hybrid",
                "duration_days": 40,
                "max_daily_rate": 850,
            },
            [
                (
                    {
                        "provider_id": ref("lbc_base.provider_ingenia").id,
                        "consultant_id": pierre.partner_id.id,
                        "daily_rate": 820,
                        "message": "Audits de sécurité des systèmes industriels depuis dix ans.",
                    },
                    pierre,
                ),
                (
                    {
                        "provider_id": nexa.id,
                        "consultant_id": ref("lbc_base.user_emma_girard").partner_id.id,
                        "daily_rate": 780,
                        "message": "Emma connaît déjà votre back-office crédit et ses règles d'accès.",
                    },
                    nadia,
                ),
            ],
            today + relativedelta(days=6),
            julien,
            winner=None,
        )
        tender.bid_ids.filtered(lambda bid: bid.provider_id == nexa).with_user(julien).action_select()

        # LBC's manager asks for the accountants' exports of the months told above (FEC and invoice register);
        # the exports' cron produces them in the background
        period = {"date_from": today.replace(day=1) - relativedelta(months=8), "date_to": today}
        exports = (
            env["lbc.invoice.export"]
            .with_user(manager)
            .create([dict(period, export_format="fec"), dict(period, export_format="csv")])
        )
        env["lbc.invoice.export"].browse(exports.ids)._lbc_run()
        return True
