import {registry} from "@web/core/registry";

/**
 * A provider's administrator uploads a vigilance document. Started on /my/compliance by
 * test_portal_document.py.
 */
const PDF_CONTENT = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

registry.category("web_tour.tours").add("lbc_compliance_document_tour", {
    steps: () => [
        {trigger: "form.o_lbc_compliance_upload select[name=type_code]", run: "select urssaf"},
        {
            content: "Set the issue date and attach a PDF",
            trigger: "form.o_lbc_compliance_upload input[name=file]",
            run() {
                const form = document.querySelector("form.o_lbc_compliance_upload");
                const issued = new Date(Date.now() - 5 * 24 * 3600 * 1000);
                form.querySelector("input[name=issue_date]").value = issued.toISOString().slice(0, 10);
                const transfer = new DataTransfer();
                transfer.items.add(new File([PDF_CONTENT], "urssaf.pdf", {type: "application/pdf"}));
                form.querySelector("input[name=file]").files = transfer.files;
            },
        },
        {
            trigger: ".o_lbc_compliance_upload_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {trigger: ".o_lbc_success"},
        {trigger: ".o_lbc_compliance_row:contains(URSSAF)"},
    ],
});
