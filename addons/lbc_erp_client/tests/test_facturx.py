from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.addons.lbc_base.tests.common import make_fr_vat
from odoo.tests import tagged

from .common import START, LbcLegalCommon
from .facturx_validation import facturx_errors

DUMP = "/tmp/lbc_facturx"  # the documents of the last run, for reading by hand when a rule fails


class FacturxCommon(LbcLegalCommon):
    """LBC as a French company with its legal identity; documents of every kind made by their real flows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.switzerland = cls.env.ref("base.ch")
        # a French provider invoices its VAT: its number is on its self-billed invoices (BR-S-02)
        cls.provider_a.sudo().write({"vat": make_fr_vat(cls.provider_a.company_registry)})

    # --- the real flows -------------------------------------------------------------
    def _run_report(self, report, approver=None, validator=None):
        report.with_user(report.consultant_id.user_ids[:1]).action_submit()
        report.with_user(approver or self.provider_approver).action_approve()
        report.with_user(validator or self.client_a_buyer).action_validate()
        return {move.lbc_invoice_kind: move for move in report.invoice_ids}

    def _foreign_client_mission(self):
        """A client established outside the EU (Switzerland) and its running mission with provider A."""
        client = self._create_company("Client CH", client=True, country=self.switzerland, vat="CHE-116.281.710 MWST")
        admin = self._create_member(client, "client_ch_admin", "project_manager", ["admin"])
        buyer = self._create_member(client, "client_ch_buyer", "buyer")
        self._validate(client)
        self.main_contract.with_user(admin).action_accept()
        for role in ("tender_publisher", "cra_approver"):
            buyer.partner_id.with_user(admin).action_lbc_grant_role(role)
        now = fields.Datetime.now()
        tender = (
            self.env["lbc.tender"]
            .with_user(buyer)
            .create(
                self._tender_vals(
                    client_id=client.id, date_start=START, duration_days=60, deadline=now + timedelta(days=5)
                )
            )
        )
        tender.action_publish()
        bid = (
            self.env["lbc.tender.bid"]
            .with_user(self.provider_a_admin)
            .create(
                {
                    "tender_id": tender.id,
                    "provider_id": self.provider_a.id,
                    "consultant_id": self.other_consultant.partner_id.id,
                    "daily_rate": 800,
                    "available_from": START,
                    "labour_law_ack": True,
                }
            )
        )
        bid.action_submit()
        tender.sudo().write({"deadline": now - timedelta(minutes=1)})
        self.env["lbc.tender"]._lbc_close_past_deadline()
        bid.with_user(buyer).action_select()
        bid.with_user(self.operator).action_approve()
        mission = bid.with_user(self.operator).action_contract()
        mission.sale_order_id.action_confirm()
        return mission, buyer

    def _belgian_provider(self):
        belgian = self._create_company("Provider BE", provider=True, country=self.belgium, vat="BE0477472701")
        admin = self._create_member(belgian, "provider_be_admin", "company_manager", ["admin", "signatory"])
        belgian.action_lbc_submit()
        belgian.action_lbc_validate()
        self.framework.with_user(admin).action_accept()
        belgian.with_user(admin).action_lbc_acknowledge_labour_law()
        mission = self._active_mission(belgian, admin, admin, rate=650)
        return belgian, admin, mission

    # --- the checks -------------------------------------------------------------------
    def _xml(self, move):
        return self.env["account.edi.xml.cii"]._export_invoice(move)[0]

    def assertFacturxValid(self, move, label, french_rules=True):
        xml = self._xml(move)
        import os

        os.makedirs(DUMP, exist_ok=True)
        with open(os.path.join(DUMP, f"{label}.xml"), "wb") as dump:
            dump.write(xml)
        errors = facturx_errors(xml, french_rules=french_rules)
        self.assertFalse(errors, f"{label} ({move.name}): {len(errors)} failed rules:\n" + "\n".join(errors))
        return xml


@tagged("post_install", "-at_install")
class TestFacturx(FacturxCommon):
    def test_client_invoice_fee_and_credit_notes(self):
        report = self._report(days=18.5)
        moves = self._run_report(report)
        invoice = moves["client_invoice"]
        self.assertEqual((invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total), (12025.0, 2405.0, 14430.0))
        xml = self.assertFacturxValid(invoice, "client_invoice")
        tree = etree.fromstring(xml)
        self.assertEqual(tree.findtext(".//{*}BusinessProcessSpecifiedDocumentContextParameter/{*}ID"), "S1")
        seller = tree.find(".//{*}SellerTradeParty")
        self.assertEqual(seller.findtext("{*}SpecifiedLegalOrganization/{*}ID"), "732829320", "SIREN, 9 digits")
        self.assertEqual(seller.find("{*}SpecifiedLegalOrganization/{*}ID").get("schemeID"), "0002")
        self.assertEqual(seller.findtext("{*}GlobalID"), "73282932000074", "SIRET, 14 digits")
        self.assertEqual(seller.find("{*}GlobalID").get("schemeID"), "0009")
        buyer = tree.find(".//{*}BuyerTradeParty")
        self.assertEqual(buyer.findtext("{*}SpecifiedLegalOrganization/{*}ID"), self.client_a.company_registry[:9])
        notes = {note.findtext("{*}SubjectCode"): note.findtext("{*}Content") for note in tree.iter("{*}IncludedNote")}
        self.assertIn("40.00", notes["PMT"])
        self.assertEqual(notes["AAB"], "Pas d'escompte pour paiement anticipé.")
        self.assertIn("RCS Paris 732829320", notes["REG"])
        self.assertFacturxValid(moves["fee"], "fee")
        refunds = report.with_user(self.operator).action_lbc_credit(reason="Two days too many")
        for refund in refunds:
            self.assertFacturxValid(refund, f"credit_note_{refund.lbc_invoice_kind}")

    def test_routing_identifiers_ready_for_an_approved_platform(self):
        """Member companies carry their electronic address in the French directory (scheme 0225, the SIREN), as
        Odoo's l10n_fr_pdp routes invoices; nothing is registered nor sent."""
        for company in (self.client_a, self.provider_a):
            self.assertEqual((company.peppol_eas, company.peppol_endpoint), ("0225", company.company_registry[:9]))

    def test_self_billed_provider_invoice(self):
        self.provider_a.with_user(self.provider_a_admin).action_lbc_sign_self_billing_mandate()
        moves = self._run_report(self._report(days=3))
        bill = moves["provider_bill"]
        self.assertEqual((bill.amount_untaxed, bill.amount_tax), (1950.0, 390.0))
        xml = self.assertFacturxValid(bill, "self_billed")
        tree = etree.fromstring(xml)
        self.assertEqual(tree.findtext(".//{*}ExchangedDocument/{*}TypeCode"), "389")
        self.assertEqual(tree.findtext(".//{*}SellerTradeParty/{*}Name"), "Provider A", "the provider sells")
        self.assertEqual(tree.findtext(".//{*}BuyerTradeParty/{*}Name"), "LBC", "LBC buys")
        refund = (
            self.env["lbc.activity.report"]
            .browse(bill.invoice_line_ids.lbc_activity_report_id.ids)
            .with_user(self.operator)
            .action_lbc_credit(reason="One day too many")
            .filtered(lambda move: move.move_type == "in_refund")
        )
        refund_xml = self.assertFacturxValid(refund, "self_billed_credit_note")
        self.assertEqual(etree.fromstring(refund_xml).findtext(".//{*}ExchangedDocument/{*}TypeCode"), "261")
        reference = self.provider_a.lbc_self_billing_mandate_ref
        self.assertTrue(reference)
        self.assertTrue(
            any(
                "Autofacturation" in (n.findtext("{*}Content") or "") and reference in n.findtext("{*}Content")
                for n in tree.iter("{*}IncludedNote")
            )
        )

    def test_belgian_provider(self):
        belgian, admin, mission = self._belgian_provider()
        belgian.with_user(admin).action_lbc_sign_self_billing_mandate()
        report = self._report(mission=mission, consultant=admin, days=10)
        moves = self._run_report(report, approver=self.operator)
        # intra-EU B2B services: the fee is reverse charged, LBC self-assesses the VAT of the provider's invoice
        self.assertEqual((moves["fee"].amount_untaxed, moves["fee"].amount_tax), (325.0, 0.0))
        self.assertEqual((moves["provider_bill"].amount_untaxed, moves["provider_bill"].amount_total), (6500.0, 6500.0))
        self.assertEqual(moves["provider_bill"].state, "posted")
        self.assertFacturxValid(moves["fee"], "fee_be")
        # a seller established abroad is outside the French e-invoicing (its invoice is e-reported): no BR-FR rules
        self.assertFacturxValid(moves["provider_bill"], "self_billed_be", french_rules=False)

    def test_foreign_client(self):
        mission, buyer = self._foreign_client_mission()
        report = self._report(mission=mission, consultant=self.other_consultant, days=5)
        moves = self._run_report(report, validator=buyer)
        invoice = moves["client_invoice"]
        # B2B services to a client outside the EU: not subject to French VAT (CGI art. 259-1)
        self.assertIn("Outside Europe", invoice.fiscal_position_id.name)
        self.assertEqual((invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total), (4000.0, 0.0, 4000.0))
        self.assertFacturxValid(invoice, "client_invoice_ch")

    def test_subscription_invoice(self):
        self.env["lbc.agreement"].create(
            {"name": "Subscription", "kind": "subscription", "version": 301, "body": "<p>Subscription</p>"}
        )
        plan = self.env.ref("lbc_erp_client.lbc_subscription_plan_pro_monthly")
        subscription = self.env["sale.subscription"].browse(
            plan.with_user(self.client_a_admin).action_subscribe(accept_terms=True)
        )
        invoice = self.env["account.move"].search([("subscription_id", "=", subscription.id)])
        self.assertFacturxValid(invoice, "subscription")


@tagged("post_install", "-at_install")
class TestLegalDocuments(FacturxCommon):
    def test_posted_documents_queued_for_the_background(self):
        """The validation does not render: the posted documents wait in Odoo's sending queue (its cron renders them
        in batches), and nothing is sent."""
        self.provider_a.with_user(self.provider_a_admin).action_lbc_sign_self_billing_mandate()
        moves = self._run_report(self._report(days=2))
        invoice, fee, bill = moves["client_invoice"], moves["fee"], moves["provider_bill"]
        for move in invoice | fee | bill:
            self.assertTrue(move.sending_data.get("lbc_legal_documents"))
            self.assertFalse(move.invoice_pdf_report_id, "no PDF rendered inside the validation")
        mails = self.env["mail.mail"].search_count(
            [("model", "=", "account.move"), ("res_id", "in", (invoice | fee).ids)]
        )
        # the body of Odoo's sending cron (account.ir_cron_account_move_send), without its commit
        queued = self.env["account.move"].search([("sending_data", "!=", False), ("state", "=", "posted")])
        self.assertEqual(queued & (invoice | fee | bill), invoice | fee | bill)
        self.env["account.move.send"]._generate_and_send_invoices(queued, from_cron=True)
        self.assertIn(b"<ram:TypeCode>389</ram:TypeCode>", bill.ubl_cii_xml_id.raw, "the self-billed invoice")
        for move in invoice | fee | bill:
            self.assertFalse(move.sending_data)
            self.assertTrue(move.invoice_pdf_report_id, "the legal PDF is stored on the invoice")
            self.assertTrue(move.ubl_cii_xml_id, "with its Factur-X XML")
            self.assertFalse(facturx_errors(move.ubl_cii_xml_id.raw), "the stored XML is the valid one")
        self.assertEqual(
            self.env["mail.mail"].search_count([("model", "=", "account.move"), ("res_id", "in", (invoice | fee).ids)]),
            mails,
            "sent to nobody",
        )
