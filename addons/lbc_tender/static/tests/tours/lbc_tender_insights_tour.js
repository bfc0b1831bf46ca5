import {registry} from "@web/core/registry";

// A provider whose plan includes market insights opens the page from /my and filters it by skill and region.
registry.category("web_tour.tours").add("lbc_tender_insights_tour", {
    steps: () => [
        {
            content: "Open the market insights from the portal home",
            trigger: "a[href='/my/insights']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Every skill: the Python rates in every region and in Île-de-France",
            trigger: ".o_lbc_insights_table td:contains(Île-de-France)",
        },
        {
            content: "Pick a region where no figure is shown",
            trigger: "select#lbc_insights_region",
            run: "selectByLabel Auvergne-Rhône-Alpes",
        },
        {
            trigger: ".o_lbc_insights_filters button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Not enough missions there, and no count of the withheld figures",
            trigger: ".o_lbc_insights_empty",
        },
        {
            trigger: ".o_lbc_insights_withheld",
        },
        {
            content: "Back to Île-de-France, Python only",
            trigger: "select#lbc_insights_region",
            run: "selectByLabel Île-de-France",
        },
        {
            trigger: "select#lbc_insights_skill",
            run: "selectByLabel Python",
        },
        {
            trigger: ".o_lbc_insights_filters button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The median of the twelve Python missions, rounded to the nearest 10",
            trigger: ".o_lbc_insights_median:contains(610)",
        },
    ],
});
