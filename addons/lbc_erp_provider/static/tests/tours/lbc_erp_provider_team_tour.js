import {registry} from "@web/core/registry";

// The journey of a provider's new consultant, one tour per actor (test_provider_pages.TestProviderJourney):
// the admin invites it, it accepts the invitation (lbc_portal's tour: its signup form), the admin assigns it to a
// mission, it reports its days.

function selectOptionContaining(text) {
    return function () {
        const option = [...this.anchor.options].find((opt) => opt.textContent.includes(text));
        if (!option) {
            throw new Error(`No option containing ${text}`);
        }
        this.anchor.value = option.value;
        this.anchor.dispatchEvent(new Event("change", {bubbles: true}));
    };
}

registry.category("web_tour.tours").add("lbc_team_invite_tour", {
    steps: () => [
        {
            content: "The admin sees the invitation form",
            trigger: ".o_lbc_member_invite",
        },
        {
            content: "Name",
            trigger: "input[name='name']",
            run: "edit Nina Newcomer",
        },
        {
            content: "Professional e-mail",
            trigger: "input[name='email']",
            run: "edit nina.newcomer@provider-a.example",
        },
        {
            content: "Consultant profile",
            trigger: "select[name='profile_type']",
            run: "select consultant",
        },
        {
            content: "Send the invitation",
            trigger: "button.o_lbc_member_invite_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The invitation is sent",
            trigger: ".o_lbc_success",
        },
        {
            content: "The invitee is listed, its invitation pending",
            trigger: "tr.o_lbc_member[data-email='nina.newcomer@provider-a.example'] .o_lbc_member_pending",
        },
    ],
});

registry.category("web_tour.tours").add("lbc_team_assign_tour", {
    steps: () => [
        {
            content: "Choose the mission",
            trigger: "select[name='mission_id']",
            run: selectOptionContaining("Client A"),
        },
        {
            content: "Choose the new consultant",
            trigger: "select[name='consultant_id']",
            run: selectOptionContaining("Nina Newcomer"),
        },
        {
            content: "Assign",
            trigger: "button.o_lbc_assign_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The consultant is assigned",
            trigger: ".o_lbc_success",
        },
        {
            content: "Its running assignment is listed",
            trigger: "tr.o_lbc_assignment[data-consultant='Nina Newcomer'] .o_lbc_assignment_end",
        },
    ],
});

registry.category("web_tour.tours").add("lbc_team_report_tour", {
    steps: () => [
        {
            content: "The assigned consultant opens its first month from the mission",
            trigger: "a.o_lbc_month_link:first",
            run: "click",
            expectUnloadPage: true,
        },
        ...["2027-03-01", "2027-03-02", "2027-03-03"].map((day) => ({
            content: `A whole day on ${day}`,
            trigger: `select[name='qty_${day}']`,
            run: "select 1",
        })),
        {
            content: "Save and submit",
            trigger: "button.o_lbc_cra_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The report is submitted with its 3 days",
            trigger: ".o_lbc_success:contains(submitted)",
        },
        {
            content: "3 days",
            trigger: ".o_lbc_days_total:contains(3)",
        },
    ],
});
