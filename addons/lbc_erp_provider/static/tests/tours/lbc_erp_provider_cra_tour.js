import {registry} from "@web/core/registry";

const DAYS = ["2027-03-01", "2027-03-02", "2027-03-03", "2027-03-04"];

// The consultant fills March 2027 in the calendar grid and submits it (started at the month's URL).
registry.category("web_tour.tours").add("lbc_erp_provider_cra_tour", {
    steps: () => [
        {
            content: "The calendar grid shows Easter Monday as a holiday",
            trigger: ".o_lbc_cra_day.o_lbc_cra_holiday[data-date='2027-03-29']",
        },
        ...DAYS.map((day) => ({
            content: `A whole day on ${day}`,
            trigger: `select[name='qty_${day}']`,
            run: "select 1",
        })),
        {
            content: "A half day on Friday",
            trigger: "select[name='qty_2027-03-05']",
            run: "select 0.5",
        },
        {
            content: "Save and submit",
            trigger: "button.o_lbc_cra_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The report is submitted",
            trigger: ".o_lbc_success:contains(submitted)",
        },
        {
            content: "4.5 days",
            trigger: ".o_lbc_days_total:contains(4.5)",
        },
    ],
});
