"""Real sample attestations for the tests: PDFs with a text layer, drawn with reportlab (Odoo's PDF library)."""

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def make_pdf(lines):
    """A one-page A4 PDF showing `lines` (its text layer is what the upload reads)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica", 11)
    y = 800
    for line in lines:
        pdf.drawString(60, y, line)
        y -= 18
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_scan_pdf():
    """A PDF with a drawing and no text at all, as a scanner makes them."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.rect(60, 600, 300, 150, fill=1)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def urssaf_attestation(company, siret, issue_date, code, validity=None):
    """The text of an URSSAF attestation de vigilance, as the URSSAF prints it (dates in French)."""
    months = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
    issued = f"{issue_date.day} {months[issue_date.month - 1]} {issue_date.year}"
    lines = [
        "Urssaf Île-de-France",
        "ATTESTATION DE VIGILANCE",
        f"Délivrée le {issued}",
        f"Dénomination sociale : {company}",
        f"SIREN : {siret[:3]} {siret[3:6]} {siret[6:9]}",
        f"SIRET du siège : {siret}",
        "L'entreprise est à jour de ses obligations en matière de déclarations et de paiement.",
        f"Code de sécurité : {code}",
    ]
    if validity:
        lines.append(f"Attestation valable jusqu'au {validity.strftime('%d/%m/%Y')}")
    return make_pdf(lines)


def kbis_extract(company, siren, issue_date):
    """The text of a Kbis extract (English translation layout, ISO dates)."""
    return make_pdf(
        [
            "Extract of registration in the trade and companies register (Kbis)",
            f"Issued on {issue_date.strftime('%B %d, %Y')}",
            f"Company name: {company}",
            f"Registration number: SIREN {siren} R.C.S. Paris",
        ]
    )
