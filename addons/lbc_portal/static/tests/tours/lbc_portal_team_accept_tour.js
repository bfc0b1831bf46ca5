import {registry} from "@web/core/registry";

// The provider's new consultant accepts its invitation through LBC's signup form (password and terms of use):
// a step of lbc_portal.tests.test_provider_journey.TestProviderJourney.

registry.category("web_tour.tours").add("lbc_team_accept_tour", {
    steps: () => [
        {
            content: "The invitation link opens the signup form with the invitee's login",
            trigger: "input[name='login'][value='nina.newcomer@provider-a.example']",
        },
        {
            content: "Choose a password",
            trigger: "input[name='password']",
            run: "edit nina.newcomer@provider-a.example",
        },
        {
            content: "Confirm it",
            trigger: "input[name='confirm_password']",
            run: "edit nina.newcomer@provider-a.example",
        },
        {
            content: "Accept the terms of use",
            trigger: "input[name='lbc_accept_terms']",
            run: "check",
        },
        {
            content: "Accept",
            trigger: "form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The new member lands on its company's members, signed in",
            trigger: ".o_lbc_members_page tr.o_lbc_member[data-email='nina.newcomer@provider-a.example']",
        },
    ],
});
