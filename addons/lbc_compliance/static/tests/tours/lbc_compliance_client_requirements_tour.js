import {registry} from "@web/core/registry";

/**
 * A client's company admin chooses the extra documents its providers must hold for its missions: from the
 * providers' vigilance page to the requirements page, ticks the professional liability insurance certificate and
 * saves (started by lbc_compliance.tests.test_portal_client_requirements).
 */
registry.category("web_tour.tours").add("lbc_compliance_client_requirements_tour", {
    steps: () => [
        {
            content: "The providers' vigilance page leads to the requirements",
            trigger: "a.o_lbc_client_requirements_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The insurance certificate is offered with its validity, not required yet",
            trigger:
                ".o_lbc_client_requirement[data-code='liability_insurance']:contains(12 months):not(:has(.o_lbc_client_requirement_current))",
        },
        {
            content: "Require it",
            trigger: ".o_lbc_client_requirement[data-code='liability_insurance'] input[type='checkbox']",
            run: "check",
        },
        {
            content: "Save",
            trigger: "button.o_lbc_client_requirements_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Saved, and now shown as required",
            trigger:
                ".o_lbc_success:contains(Saved) ~ form .o_lbc_client_requirement[data-code='liability_insurance'] .o_lbc_client_requirement_current",
        },
    ],
});
