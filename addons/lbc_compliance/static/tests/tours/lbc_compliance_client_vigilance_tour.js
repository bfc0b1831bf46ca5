import {registry} from "@web/core/registry";

/**
 * A client member opens the URSSAF attestation of a provider it contracts with: from the portal home to the
 * providers' vigilance page, then the document with its security code, the link to urssaf.fr's verification page
 * and the PDF (started by lbc_erp_client.tests.test_portal_provider_vigilance).
 */
registry.category("web_tour.tours").add("lbc_compliance_client_vigilance_tour", {
    steps: () => [
        {
            content: "The portal home leads to the providers' vigilance",
            trigger: "a[href='/my/vigilance']:contains(Providers' vigilance)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The provider and its status",
            trigger: ".o_lbc_provider_vigilance_card:contains(Provider A) .o_lbc_provider_state.text-bg-success",
        },
        {
            content: "Open its URSSAF attestation",
            trigger: ".o_lbc_provider_vigilance_row a.o_lbc_provider_vigilance_link:contains(URSSAF)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The security code is shown",
            trigger: ".o_lbc_urssaf_code:contains(7QH2KX9MW4RTB5N)",
        },
        {
            content: "The link to urssaf.fr's verification page",
            trigger: "a.o_lbc_urssaf_verify[href^='https://www.urssaf.fr/'][target='_blank']",
        },
        {
            content: "The attestation downloads as a PDF",
            trigger: "a.o_lbc_document_download",
            async run() {
                const link = document.querySelector("a.o_lbc_document_download");
                const response = await fetch(link.href);
                const type = response.headers.get("Content-Type") || "";
                if (response.status !== 200 || !type.includes("application/pdf")) {
                    throw new Error(`The attestation did not download: ${response.status} ${type}`);
                }
                const head = new TextDecoder().decode((await response.arrayBuffer()).slice(0, 5));
                if (head !== "%PDF-") {
                    throw new Error(`The download is not a PDF: ${head}`);
                }
                document.body.classList.add("o_lbc_download_checked");
            },
        },
        {
            content: "Checked",
            trigger: "body.o_lbc_download_checked",
        },
    ],
});
