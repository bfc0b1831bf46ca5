import {registry} from "@web/core/registry";

/**
 * The upload form pre-fills itself from the chosen attestation (read on the server, nothing stored), then
 * uploads it. Started on /my/compliance by test_portal_document.py.
 */
function pad(n) {
    return String(n).padStart(2, "0");
}

function issuedDate() {
    return new Date(Date.now() - 3 * 24 * 3600 * 1000);
}

/** A one-page PDF whose text layer is `text` (ASCII), with its cross-reference table. */
function makePdf(text) {
    const stream = `BT /F1 11 Tf 40 750 Td (${text}) Tj ET`;
    const objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R " +
            "/Resources << /Font << /F1 5 0 R >> >> >>",
        `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ];
    let out = "%PDF-1.4\n";
    const offsets = [];
    objects.forEach((object, index) => {
        offsets.push(out.length);
        out += `${index + 1} 0 obj\n${object}\nendobj\n`;
    });
    const xref = out.length;
    out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
    out += offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
    out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    return out;
}

registry.category("web_tour.tours").add("lbc_compliance_reading_tour", {
    steps: () => [
        {trigger: "form.o_lbc_compliance_upload select[name=type_code]", run: "select urssaf"},
        {
            content: "Choose an attestation: the form reads it",
            trigger: "form.o_lbc_compliance_upload input[name=file]",
            run() {
                const issued = issuedDate();
                const printed = `${pad(issued.getDate())}/${pad(issued.getMonth() + 1)}/${issued.getFullYear()}`;
                const text = `Attestation de vigilance delivree le ${printed} - Code de securite : TOURCODE1234567`;
                const transfer = new DataTransfer();
                transfer.items.add(new File([makePdf(text)], "attestation.pdf", {type: "application/pdf"}));
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", {bubbles: true}));
            },
        },
        {
            content: "What was read is shown (no SIREN in this one: LBC will check it by hand)",
            trigger: ".o_lbc_compliance_reading_preview:contains(SIREN)",
        },
        {
            content: "The issue date and the code are pre-filled",
            trigger: "form.o_lbc_compliance_upload input[name=urssaf_code]:value(TOURCODE1234567)",
            run() {
                const issued = issuedDate();
                const expected = `${issued.getFullYear()}-${pad(issued.getMonth() + 1)}-${pad(issued.getDate())}`;
                const value = document.querySelector("form.o_lbc_compliance_upload input[name=issue_date]").value;
                if (value !== expected) {
                    throw new Error(`issue date not pre-filled: ${value} instead of ${expected}`);
                }
            },
        },
        {trigger: ".o_lbc_compliance_upload_submit", run: "click", expectUnloadPage: true},
        {trigger: ".o_lbc_success:contains(LBC checks it by hand)"},
    ],
});
