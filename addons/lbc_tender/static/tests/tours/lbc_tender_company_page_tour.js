import {registry} from "@web/core/registry";

// A client opens the page of its provider from a mission, then from a bid (started at the mission's page).
registry.category("web_tour.tours").add("lbc_tender_company_page_tour", {
    steps: () => [
        {
            content: "Open the provider's page from the mission",
            trigger: "a.o_lbc_mission_provider:contains(Provider A)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The provider's page: name, presentation, vigilance status",
            trigger: ".o_lbc_company_page_name:contains(Provider A)",
        },
        {
            trigger: ".o_lbc_company_page_description:contains(Odoo experts since 2010)",
        },
        {
            trigger: ".o_lbc_company_page_compliance",
        },
        {
            content: "The mission links back",
            trigger: ".o_lbc_company_page_missions a",
        },
        {
            content: "Open the bid of Provider A from its page",
            trigger: ".o_lbc_company_page_bids a:contains(Contracted tender)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "From the bid, the provider's page again",
            trigger: ".o_lbc_bid_page a.o_lbc_company_page_link:contains(Provider A)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back on the provider's page",
            trigger: ".o_lbc_company_page_name:contains(Provider A)",
        },
    ],
});
