import { registry } from "@web/core/registry";

/**
 * A provider's first step: signup with a professional e-mail (b2c: the password is chosen on the signup page,
 * which activates the account), the terms accepted, landing on My company to create or join its company (the
 * company and agreements journey is lbc_base's tour, the documents lbc_compliance's). Started on
 * /web/signup?redirect=/my/company by test_portal_account.py.
 */
registry.category("web_tour.tours").add("lbc_portal_account_tour", {
    steps: () => [
        { trigger: "form.oe_signup_form input[name=name]", run: "edit Tina Tour" },
        { trigger: "form.oe_signup_form input[name=login]", run: "edit tina@tour-provider.example" },
        { trigger: "form.oe_signup_form input[name=password]", run: "edit Tour-Pass-2026!" },
        { trigger: "form.oe_signup_form input[name=confirm_password]", run: "edit Tour-Pass-2026!" },
        { trigger: "form.oe_signup_form input[name=lbc_accept_terms]", run: "check" },
        {
            content: "Sign up: the account is active at once",
            trigger: "form.oe_signup_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The member lands on My company, to create or join its company",
            trigger: "form.o_lbc_company_create input[name=name]",
        },
    ],
});
