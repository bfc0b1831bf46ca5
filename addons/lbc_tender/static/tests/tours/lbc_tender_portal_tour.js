import {registry} from "@web/core/registry";

// A client publishes a tender from the portal (started at /my/tenders).
registry.category("web_tour.tours").add("lbc_tender_portal_tour", {
    steps: () => [
        {
            content: "Create a new tender",
            trigger: "a.o_lbc_tender_new",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Title",
            trigger: "input[name=name]",
            run: "edit Portal tour: Odoo developer",
        },
        {
            content: "Description",
            trigger: "textarea[name=description]",
            run: "edit Migrate our ERP to Odoo 19.",
        },
        {
            content: "Python skill",
            trigger: ".o_lbc_skill_box input[data-lbc-skill=python]",
            run: "check",
        },
        {
            content: "Location",
            trigger: "input[name=location]",
            run: "edit Lyon",
        },
        {
            content: "Maximum daily rate",
            trigger: "input[name=max_daily_rate]",
            run: "edit 700",
        },
        {
            content: "Open the bids (not sealed)",
            trigger: "input[name=sealed]",
            run: "uncheck",
        },
        {
            content: "Save and publish",
            trigger: "button.o_lbc_tender_publish",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The tender is published",
            trigger: ".o_lbc_success:contains(published)",
        },
        {
            content: "Its page shows the title",
            trigger: ".o_lbc_tender_page h2:contains(Portal tour: Odoo developer)",
        },
    ],
});

// The client selects the best bid on its tender page (started at /my/tenders/<id>).
registry.category("web_tour.tours").add("lbc_tender_portal_select_tour", {
    steps: () => [
        {
            content: "Select the bid",
            trigger: "button.o_lbc_bid_select",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The bid is selected",
            trigger: ".o_lbc_success:contains(selected)",
        },
    ],
});
