import {registry} from "@web/core/registry";

/**
 * A member without a company creates it (live SIRET check), then accepts the framework contract from the
 * company page's gate. Started on /my/company by test_portal_company.py.
 */
registry.category("web_tour.tours").add("lbc_base_company_tour", {
    steps: () => [
        {trigger: "form.o_lbc_company_create input[name=name]", run: "edit Tour Provider SAS"},
        {trigger: "form.o_lbc_company_create input[name=lbc_is_provider]", run: "check"},
        {trigger: "form.o_lbc_company_create input[name=company_registry]", run: "edit 12345678901234"},
        {
            content: "The live check refuses a wrong SIRET",
            trigger: ".o_lbc_siret_message.text-danger",
        },
        {trigger: "form.o_lbc_company_create input[name=company_registry]", run: "edit 82120035900015"},
        {
            content: "The live check accepts a valid SIRET",
            trigger: ".o_lbc_siret_message.text-success:contains(Valid SIRET)",
        },
        {trigger: "form.o_lbc_company_create input[name=street]", run: "edit 1 rue du Tour"},
        {trigger: "form.o_lbc_company_create input[name=zip]", run: "edit 75002"},
        {trigger: "form.o_lbc_company_create input[name=city]", run: "edit Paris"},
        {
            trigger: ".o_lbc_company_create_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {trigger: ".o_lbc_success"},
        {
            content: "The framework contract is still to accept",
            trigger: ".o_lbc_gate li:contains(Tour Framework Contract) a[href^='/my/agreements/']",
            run: "click",
            expectUnloadPage: true,
        },
        {trigger: ".o_lbc_agreement h3:contains(Tour Framework Contract)"},
        {
            trigger: ".o_lbc_agreement_accept",
            run: "click",
            expectUnloadPage: true,
        },
        {trigger: ".o_lbc_accepted"},
        {trigger: ".o_lbc_success"},
    ],
});
