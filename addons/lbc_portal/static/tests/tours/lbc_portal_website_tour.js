import {registry} from "@web/core/registry";

/**
 * A visitor on LBC's home page: the services, the live counts, then the provider's sign-up call, which leads
 * to the signup form. Started on / by test_website.py, signed out.
 */
registry.category("web_tour.tours").add("lbc_portal_website_tour", {
    steps: () => [
        {
            content: "The home page presents the three services",
            trigger: "#lbc-services .o_lbc_site_card:eq(2)",
        },
        {
            content: "The live counts are numbers",
            trigger: ".o_lbc_site_figures .o_lbc_figure_open_tenders",
            run() {
                for (const selector of [".o_lbc_figure_open_tenders", ".o_lbc_figure_validated_providers"]) {
                    const text = document.querySelector(selector).textContent.trim();
                    if (!/^\d+$/.test(text)) {
                        throw new Error(`${selector} shows "${text}", not a count`);
                    }
                }
            },
        },
        {
            content: "How contracting and vigilance work",
            trigger: "#lbc-how .o_lbc_site_steps li:eq(4)",
        },
        {
            content: "The provider's sign-up call",
            trigger: ".o_lbc_site_hero a.o_lbc_signup_provider",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The signup form, with the terms of use to accept",
            trigger: "form.oe_signup_form input[name=login]",
        },
        {trigger: "form.oe_signup_form input[name=lbc_accept_terms]"},
        {content: "The terms in force, from every page's footer", trigger: "footer a[href$='/legal/terms']"},
    ],
});
