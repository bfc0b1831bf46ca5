import { registry } from "@web/core/registry";

/**
 * A provider's first steps, in two tours around the activation e-mail (test_portal_account.py reads the link):
 * lbc_portal_signup_tour signs up with a professional e-mail (the account is created, not opened: "check your
 * e-mail"); lbc_portal_account_tour follows the activation link, signs in, creates the company (live SIRET
 * check), accepts the framework contract and uploads a vigilance document.
 */
const PDF_CONTENT = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

registry.category("web_tour.tours").add("lbc_portal_signup_tour", {
    steps: () => [
        { trigger: "form.oe_signup_form input[name=name]", run: "edit Tina Tour" },
        { trigger: "form.oe_signup_form input[name=login]", run: "edit tina@tour-provider.example" },
        { trigger: "form.oe_signup_form input[name=password]", run: "edit Tour-Pass-2026!" },
        { trigger: "form.oe_signup_form input[name=confirm_password]", run: "edit Tour-Pass-2026!" },
        { trigger: "form.oe_signup_form input[name=lbc_accept_terms]", run: "check" },
        {
            content: "Sign up: the account is created, not opened",
            trigger: "form.oe_signup_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        { trigger: ".o_lbc_activation_check_mail:contains(tina@tour-provider.example)" },
    ],
});

registry.category("web_tour.tours").add("lbc_portal_account_tour", {
    steps: () => [
        {
            content: "The activation link: confirm the address",
            trigger: ".o_lbc_activation_valid .o_lbc_activate",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_lbc_activation_activated a:contains(Sign in)",
            run: "click",
            expectUnloadPage: true,
        },
        { trigger: ".oe_login_form input[name=password]", run: "edit Tour-Pass-2026!" },
        {
            content: "Sign in: the account is open",
            trigger: ".oe_login_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Go to the company page",
            trigger: "body:not(:has(.oe_login_form))",
            run() {
                window.location.href = "/my/company";
            },
            expectUnloadPage: true,
        },
        { trigger: "form.o_lbc_company_create input[name=name]", run: "edit Tour Provider SAS" },
        { trigger: "form.o_lbc_company_create input[name=lbc_is_provider]", run: "check" },
        { trigger: "form.o_lbc_company_create input[name=company_registry]", run: "edit 12345678901234" },
        {
            content: "The live check refuses a wrong SIRET",
            trigger: ".o_lbc_siret_message.text-danger",
        },
        { trigger: "form.o_lbc_company_create input[name=company_registry]", run: "edit 82120035900015" },
        {
            content: "The live check accepts a valid SIRET",
            trigger: ".o_lbc_siret_message.text-success:contains(Valid SIRET)",
        },
        { trigger: "form.o_lbc_company_create input[name=street]", run: "edit 1 rue du Tour" },
        { trigger: "form.o_lbc_company_create input[name=zip]", run: "edit 75002" },
        { trigger: "form.o_lbc_company_create input[name=city]", run: "edit Paris" },
        {
            trigger: ".o_lbc_company_create_submit",
            run: "click",
            expectUnloadPage: true,
        },
        { trigger: ".o_lbc_success" },
        {
            content: "The framework contract is still to accept",
            trigger: ".o_lbc_gate a[href^='/my/agreements/']",
            run: "click",
            expectUnloadPage: true,
        },
        { trigger: ".o_lbc_agreement h3:contains(Tour Framework Contract)" },
        {
            trigger: ".o_lbc_agreement_accept",
            run: "click",
            expectUnloadPage: true,
        },
        { trigger: ".o_lbc_accepted" },
        {
            content: "Go to the vigilance documents",
            trigger: "body",
            run() {
                window.location.href = "/my/compliance";
            },
            expectUnloadPage: true,
        },
        { trigger: "form.o_lbc_compliance_upload select[name=type_code]", run: "select urssaf" },
        {
            content: "Set the issue date and attach a PDF",
            trigger: "form.o_lbc_compliance_upload input[name=file]",
            run() {
                const form = document.querySelector("form.o_lbc_compliance_upload");
                const issued = new Date(Date.now() - 5 * 24 * 3600 * 1000);
                form.querySelector("input[name=issue_date]").value = issued.toISOString().slice(0, 10);
                const transfer = new DataTransfer();
                transfer.items.add(new File([PDF_CONTENT], "urssaf.pdf", { type: "application/pdf" }));
                form.querySelector("input[name=file]").files = transfer.files;
            },
        },
        {
            trigger: ".o_lbc_compliance_upload_submit",
            run: "click",
            expectUnloadPage: true,
        },
        { trigger: ".o_lbc_success" },
        { trigger: ".o_lbc_compliance_row:contains(URSSAF)" },
    ],
});
