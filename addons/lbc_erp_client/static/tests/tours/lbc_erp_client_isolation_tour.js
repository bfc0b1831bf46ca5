import {registry} from "@web/core/registry";

/**
 * Tour 4: a member of another company opens the page of one of company A's records (started on that page by
 * lbc_erp_client.tests.test_portal_tour_isolation, once per page). The page must be refused (403/404) or send back to /my, and
 * no name of company A may appear on it: the names come in the `lbc_forbidden` cookie (JSON, URL-encoded).
 */
function forbiddenNames() {
    const cookie = document.cookie.split("; ").find((item) => item.startsWith("lbc_forbidden="));
    if (!cookie) {
        throw new Error("The lbc_forbidden cookie is missing: nothing to check.");
    }
    return JSON.parse(decodeURIComponent(cookie.slice("lbc_forbidden=".length)));
}

registry.category("web_tour.tours").add("lbc_erp_client_isolation_tour", {
    steps: () => [
        {
            content: "The landing page is loaded (the /my counters too)",
            trigger: "body:not(:has(.o_portal_doc_spinner))",
        },
        {
            content: "Refused or sent back to /my, and nothing of company A shown",
            trigger: "body",
            run() {
                const path = window.location.pathname.replace(/\/+$/, "");
                const text = document.body.innerText;
                const onHome = ["/my", "/my/home"].includes(path);
                const refused = /\b(403|404)\b|forbidden|not found|access denied/i.test(`${document.title}\n${text}`);
                const problems = [];
                if (!onHome && !refused) {
                    problems.push("opened for a member of another company");
                }
                const leaks = forbiddenNames().filter((name) => text.includes(name));
                if (leaks.length) {
                    problems.push(`shows company A's names: ${leaks.join(", ")}`);
                }
                if (problems.length) {
                    throw new Error(`${window.location.href} ${problems.join("; ")}`);
                }
            },
        },
    ],
});
