import {registry} from "@web/core/registry";

/**
 * A provider's first steps, in two tours around the activation e-mail (test_portal_account.py reads the link):
 * lbc_portal_signup_tour signs up with a professional e-mail (the account is created, not opened: "check your
 * e-mail"); lbc_portal_account_tour follows the activation link, signs in and lands on My company to create or
 * join its company (the company and agreements journey is lbc_base's tour, the documents lbc_compliance's).
 */
registry.category("web_tour.tours").add("lbc_portal_signup_tour", {
    steps: () => [
        {trigger: "form.oe_signup_form input[name=name]", run: "edit Tina Tour"},
        {trigger: "form.oe_signup_form input[name=login]", run: "edit tina@tour-provider.example"},
        {trigger: "form.oe_signup_form input[name=password]", run: "edit Tour-Pass-2026!"},
        {trigger: "form.oe_signup_form input[name=confirm_password]", run: "edit Tour-Pass-2026!"},
        {trigger: "form.oe_signup_form input[name=lbc_accept_terms]", run: "check"},
        {
            content: "Sign up: the account is created, not opened",
            trigger: "form.oe_signup_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {trigger: ".o_lbc_activation_check_mail:contains(tina@tour-provider.example)"},
    ],
});

registry.category("web_tour.tours").add("lbc_portal_account_tour", {
    steps: () => [
        {
            content: "The activation link: confirm the address",
            trigger: ".o_lbc_activation_valid .o_lbc_activate",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_lbc_activation_activated a:contains(Sign in)",
            run: "click",
            expectUnloadPage: true,
        },
        {trigger: ".oe_login_form input[name=password]", run: "edit Tour-Pass-2026!"},
        {
            content: "Sign in: the account is open",
            trigger: ".oe_login_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Go to the company page",
            trigger: "body:not(:has(.oe_login_form))",
            run() {
                window.location.href = "/my/company";
            },
            expectUnloadPage: true,
        },
        {
            content: "The member lands on My company, to create or join its company",
            trigger: "form.o_lbc_company_create input[name=name]",
        },
    ],
});
