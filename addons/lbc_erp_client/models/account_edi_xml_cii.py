"""LBC's Factur-X: Odoo's CII builder, made to pass the EN 16931 profile of Factur-X and the French reform's rules.

Odoo builds the document from its QWeb template; LBC completes it on the tree, as Odoo itself post-processes its
UBL (`account.move.send._postprocess_invoice_ubl_xml`):

- the profile: EN 16931 (BT-24), and the billing mode of the French reform (BT-23: S1 for services...);
- the parties as the law sees them (on a self-billed invoice, type 389 / 261, the provider sells and LBC buys),
  each with its SIRET (BT-29/BT-46, scheme 0009), its SIREN (BT-30/BT-47, scheme 0002), its electronic address
  (BT-34/BT-49: scheme 0225 with the SIREN in France, its e-mail abroad) and its VAT number;
- the notes every French B2B invoice carries (PMD, PMT, AAB: LBC's settings), the seller's legal mention (REG)
  and "Autofacturation" with the mandate's reference (on a self-billed invoice);
- the period invoiced (the activity reports' months), the client's order (BT-13), the invoice a credit note
  corrects (BT-25/BT-26).
"""

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import models
from odoo.tools import cleanup_xml_node

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
EN16931 = "urn:cen.eu:en16931:2017"


def _ram(tag, text=None, **attrib):
    node = etree.Element(f"{{{NS['ram']}}}{tag}", **attrib)
    if text is not None:
        node.text = str(text)
    return node


def _child(parent, tag, text=None, **attrib):
    node = _ram(tag, text, **attrib)
    parent.append(node)
    return node


def _date(parent, tag, value, ns="udt"):
    holder = _child(parent, tag)
    string = etree.SubElement(holder, f"{{{NS[ns]}}}DateTimeString", format="102")
    string.text = value.strftime("%Y%m%d")
    return holder


def _insert_after(parent, node, *preceding):
    """Insert `node` in `parent` after the last child named in `preceding` (the schema's order), else first."""
    index = 0
    for position, child in enumerate(parent):
        if etree.QName(child).localname in preceding:
            index = position + 1
    parent.insert(index, node)


class AccountEdiXmlCii(models.AbstractModel):
    _inherit = "account.edi.xml.cii"

    # --- values -------------------------------------------------------------------------
    def _lbc_type_code(self, invoice):
        if invoice._lbc_is_self_billed():
            return "389" if invoice.move_type == "in_invoice" else "261"
        return "381" if invoice.move_type in ("out_refund", "in_refund") else "380"

    def _lbc_billing_mode(self, invoice):
        """BT-23, the French billing mode: B (goods), S (services) or M (both), 1 for a document to be paid."""
        lines = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        scopes = {
            line.tax_ids[:1].tax_scope or ("service" if line.product_id.type == "service" else "consu")
            for line in lines
        }
        if scopes == {"consu"}:
            return "B1"
        return "M1" if "consu" in scopes else "S1"

    def _get_exchanged_document_vals(self, invoice):
        vals = super()._get_exchanged_document_vals(invoice)
        vals["type_code"] = self._lbc_type_code(invoice)
        notes = [
            {"subject_code": code, "content": content}
            for code, content in invoice._lbc_legal_notes().items()
            if content
        ]
        # l10n_fr_pdp adds the same three notes when the company sends through it: once each (BR-FR-06)
        codes = {note["subject_code"] for note in notes}
        vals["included_note_list"] = [
            note for note in vals["included_note_list"] if note.get("subject_code") not in codes
        ] + notes
        seller = invoice._lbc_seller_buyer()[0]
        mention = invoice._lbc_self_billing_mention()
        if seller == invoice.company_id.partner_id:
            mention = invoice.company_id._lbc_legal_mention()
        if mention:
            vals["included_note_list"].append({"subject_code": "REG", "content": mention})
        return vals

    def _export_invoice_vals(self, invoice):
        vals = super()._export_invoice_vals(invoice)
        vals["document_context_id"] = EN16931
        return vals

    def _export_invoice_constraints(self, invoice, vals):
        constraints = super()._export_invoice_constraints(invoice, vals)
        # Odoo asks German XRechnung's payment instructions and seller phone of every CII document (BR-DE-*): they
        # are not rules of Factur-X nor of the French reform
        for key in ("seller_payment_instructions_1", "seller_payment_instructions_2", "seller_phone"):
            constraints.pop(key, None)
        return constraints

    # --- the document -------------------------------------------------------------------
    def _export_invoice(self, invoice):
        xml, errors = super()._export_invoice(invoice)
        tree = etree.fromstring(xml)
        self._lbc_complete_tree(invoice, tree)
        return etree.tostring(cleanup_xml_node(tree), xml_declaration=True, encoding="UTF-8"), errors

    def _lbc_complete_tree(self, invoice, tree):
        context = tree.find("rsm:ExchangedDocumentContext", NS)
        for old in context.findall("ram:BusinessProcessSpecifiedDocumentContextParameter", NS):
            context.remove(old)
        process = _ram("BusinessProcessSpecifiedDocumentContextParameter")
        _child(process, "ID", self._lbc_billing_mode(invoice))
        _insert_after(context, process, "TestIndicator")

        transaction = tree.find("rsm:SupplyChainTradeTransaction", NS)
        agreement = transaction.find("ram:ApplicableHeaderTradeAgreement", NS)
        seller, buyer = invoice._lbc_seller_buyer()
        self._lbc_party(agreement.find("ram:SellerTradeParty", NS), seller)
        self._lbc_party(agreement.find("ram:BuyerTradeParty", NS), buyer)
        # BT-10: the buyer's reference is the client's, not Odoo's partner reference
        for reference in agreement.findall("ram:BuyerReference", NS):
            agreement.remove(reference)
        # BT-13: the client's order (LBC's sale order, the "BDC client"), only when there is one
        for order in agreement.findall("ram:BuyerOrderReferencedDocument", NS):
            agreement.remove(order)
        orders = invoice.invoice_line_ids.sale_line_ids.order_id
        if len(orders) == 1:
            document = _ram("BuyerOrderReferencedDocument")
            _child(document, "IssuerAssignedID", orders.client_order_ref or orders.name)
            _insert_after(agreement, document, "SellerOrderReferencedDocument", "SellerTaxRepresentativeTradeParty",
                          "BuyerTradeParty", "SellerTradeParty")  # fmt: skip

        # services: no ship-to party; the delivery date is the end of the period invoiced
        delivery = transaction.find("ram:ApplicableHeaderTradeDelivery", NS)
        for ship_to in delivery.findall("ram:ShipToTradeParty", NS):
            delivery.remove(ship_to)
        start, end = invoice._lbc_billing_period()
        settlement = transaction.find("ram:ApplicableHeaderTradeSettlement", NS)
        if start:
            for period in settlement.findall("ram:BillingSpecifiedPeriod", NS):
                settlement.remove(period)
            period = _ram("BillingSpecifiedPeriod")
            _date(period, "StartDateTime", start)
            _date(period, "EndDateTime", end)
            _insert_after(settlement, period, "ApplicableTradeTax")
            for line_item in transaction.findall("ram:IncludedSupplyChainTradeLineItem", NS):
                self._lbc_line_period(invoice, line_item)

        self._lbc_taxes(invoice, transaction, agreement)

        # BT-25/BT-26: the invoice a credit note corrects
        original = invoice.reversed_entry_id
        if original and original.name:
            for old in settlement.findall("ram:InvoiceReferencedDocument", NS):
                settlement.remove(old)
            reference = _ram("InvoiceReferencedDocument")
            _child(reference, "IssuerAssignedID", original.name)
            if original.invoice_date:
                _date(reference, "FormattedIssueDateTime", original.invoice_date, ns="qdt")
            _insert_after(settlement, reference, "SpecifiedTradeSettlementHeaderMonetarySummation")

    def _lbc_taxes(self, invoice, transaction, agreement):
        """VAT as the seller states it.

        - Self-billed by LBC for a provider of another EU country: LBC self-assesses the VAT (a purchase tax whose
          two repartition lines cancel out); the provider's invoice is reverse charged: category AE, rate 0
          (BR-AE-*), with its exemption reason.
        - Not subject to French VAT (category O, a service to a client outside the EU): no rate, and no VAT
          number of either party (BR-O-02, BR-O-05)."""
        product_lines = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        reverse_charge = invoice._lbc_is_self_billed() and any(tax.has_negative_factor for tax in product_lines.tax_ids)
        taxes = transaction.findall(".//ram:ApplicableTradeTax", NS)
        for tax in taxes:
            category = tax.find("ram:CategoryCode", NS)
            if reverse_charge and category is not None and category.text == "S":
                category.text = "AE"
                rate = tax.find("ram:RateApplicablePercent", NS)
                if rate is not None:
                    rate.text = "0"
                if tax.getparent().tag == f"{{{NS['ram']}}}ApplicableHeaderTradeSettlement":
                    for old in tax.findall("ram:ExemptionReason", NS) + tax.findall("ram:ExemptionReasonCode", NS):
                        tax.remove(old)
                    _insert_after(tax, _ram("ExemptionReason", "Autoliquidation"), "TypeCode")
                    _insert_after(tax, _ram("ExemptionReasonCode", "VATEX-EU-AE"), "CategoryCode")
            if category is not None and category.text == "O":
                for rate in tax.findall("ram:RateApplicablePercent", NS):
                    tax.remove(rate)
        if any(tax.findtext("ram:CategoryCode", namespaces=NS) == "O" for tax in taxes):
            for party in ("ram:SellerTradeParty", "ram:BuyerTradeParty"):
                for registration in agreement.findall(f"{party}/ram:SpecifiedTaxRegistration", NS):
                    registration.getparent().remove(registration)

    def _lbc_line_period(self, invoice, line_item):
        """BT-134/BT-135: the month of the activity report a line invoices."""
        index = line_item.findtext("ram:AssociatedDocumentLineDocument/ram:LineID", namespaces=NS)
        lines = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        try:
            line = lines[int(index) - 1]
        except (TypeError, ValueError, IndexError):
            return
        report = line.lbc_activity_report_id
        if not report:
            return
        line_settlement = line_item.find("ram:SpecifiedLineTradeSettlement", NS)
        for old in line_settlement.findall("ram:BillingSpecifiedPeriod", NS):
            line_settlement.remove(old)
        period = _ram("BillingSpecifiedPeriod")
        _date(period, "StartDateTime", report.period)
        _date(period, "EndDateTime", report.period + relativedelta(months=1, days=-1))
        _insert_after(line_settlement, period, "ApplicableTradeTax")

    def _lbc_party(self, party, partner):
        """Rebuild a trade party from the partner, in the schema's order: SIRET (GlobalID 0009), name, SIREN (legal
        organization 0002), address, electronic address, VAT number."""
        partner = partner.commercial_partner_id
        for child in list(party):
            party.remove(child)
        french = partner.country_id.code == "FR"
        registry = (partner.company_registry or "").replace(" ", "")
        siret = registry if french and len(registry) == 14 and registry.isdigit() else ""
        siren = registry[:9] if french and len(registry) in (9, 14) and registry.isdigit() else ""
        if siret:
            _child(party, "GlobalID", siret, schemeID="0009")
        _child(party, "Name", partner.name)
        if siren:
            organization = _child(party, "SpecifiedLegalOrganization")
            _child(organization, "ID", siren, schemeID="0002")
        address = _child(party, "PostalTradeAddress")
        if partner.zip:
            _child(address, "PostcodeCode", partner.zip)
        if partner.street:
            _child(address, "LineOne", partner.street)
        if partner.street2:
            _child(address, "LineTwo", partner.street2)
        if partner.city:
            _child(address, "CityName", partner.city)
        _child(address, "CountryID", partner.country_id.code or "FR")
        if siren:
            communication = _child(party, "URIUniversalCommunication")
            _child(communication, "URIID", siren, schemeID="0225")
        elif partner.email:
            communication = _child(party, "URIUniversalCommunication")
            _child(communication, "URIID", partner.email, schemeID="EM")
        if partner.vat and partner.vat != "/":
            registration = _child(party, "SpecifiedTaxRegistration")
            _child(registration, "ID", partner.vat.replace(" ", ""), schemeID="VA")
