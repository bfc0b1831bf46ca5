import {registry} from "@web/core/registry";

/**
 * A purchasing director approves a tender above the company's threshold: from the portal home to the approvals
 * page, then the approval (started by lbc_erp_client.tests.test_portal_approval).
 */
registry.category("web_tour.tours").add("lbc_erp_client_approval_tour", {
    steps: () => [
        {
            content: "The portal home shows the approvals waiting",
            trigger: "a[href='/my/approvals']:contains(Purchasing Approvals)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The tender waits for the approval, with its amount",
            trigger: ".o_lbc_approval_row:has(.o_lbc_approval_name:contains(Datalake architect)):contains(excl. tax)",
        },
        {
            content: "Approve it",
            trigger:
                ".o_lbc_approval_row:has(.o_lbc_approval_name:contains(Datalake architect)) .o_lbc_approval_approve",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Approved: the message, and the tender in the history",
            trigger: ".o_lbc_success",
        },
        {
            content: "The tender is approved, no button left",
            trigger:
                ".o_lbc_approval_row:has(.o_lbc_approval_name:contains(Datalake architect)):not(:has(.o_lbc_approval_approve)) .o_lbc_approval_state.text-bg-success",
        },
    ],
});
