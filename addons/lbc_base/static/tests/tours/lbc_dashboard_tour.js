import {registry} from "@web/core/registry";

// The operator signs in, lands on LBC's dashboard (home action), opens the companies to validate in one
// click and reaches the company's form with its Validate button. The test creates "Tour Company To Validate".
registry.category("web_tour.tours").add("lbc_operator_dashboard", {
    url: "/odoo",
    steps: () => [
        {
            content: "The home action is LBC's dashboard",
            trigger: ".o_lbc_dashboard .o_kanban_record:contains('Companies to validate')",
        },
        {
            content: "Open the companies waiting for LBC",
            trigger: ".o_lbc_dashboard .o_kanban_record:contains('Companies to validate') .o_lbc_dashboard_count",
            run: "click",
        },
        {
            content: "The list shows the submitted company",
            trigger: ".o_list_view .o_data_row td:contains('Tour Company To Validate')",
            run: "click",
        },
        {
            content: "The company's form offers to validate it",
            trigger: ".o_form_view button[name='action_lbc_validate']",
        },
        {
            content: "It is the company opened from the list",
            trigger: ".o_breadcrumb .active:contains('Tour Company To Validate')",
        },
    ],
});
