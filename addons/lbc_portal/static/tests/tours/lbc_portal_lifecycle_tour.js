import { registry } from "@web/core/registry";

/**
 * On a 375 px wide phone (test_portal_lifecycle.py sets the browser size), the member pages scroll only
 * vertically: /my, the status page, the tenders and the activity reports.
 */
function checkNoHorizontalOverflow() {
    const width = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth > width + 1) {
        const culprits = [...document.body.querySelectorAll("*")]
            .filter((el) => el.getBoundingClientRect().right > width + 1)
            .slice(0, 5)
            .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`);
        throw new Error(
            `${window.location.pathname}: ${scrollWidth}px wide for a ${width}px screen (${culprits.join(", ")})`
        );
    }
}

function goTo(url) {
    return {
        content: `Open ${url}`,
        trigger: "body",
        run() {
            window.location.href = url;
        },
        expectUnloadPage: true,
    };
}

registry.category("web_tour.tours").add("lbc_portal_lifecycle_tour", {
    steps: () => [
        { content: "/my and its counters", trigger: ".o_portal_my_home:not(:has(.o_portal_doc_spinner))" },
        { content: "/my fits the screen", trigger: "body", run: checkNoHorizontalOverflow },
        goTo("/my/lbc/status"),
        { content: "The status page", trigger: ".o_lbc_status .o_lbc_subscription" },
        { content: "The status page fits the screen", trigger: "body", run: checkNoHorizontalOverflow },
        goTo("/my/tenders"),
        { content: "The tenders", trigger: ".o_portal_wrap" },
        { content: "The tenders fit the screen", trigger: "body", run: checkNoHorizontalOverflow },
        goTo("/my/reports"),
        { content: "The activity reports", trigger: ".o_portal_wrap" },
        { content: "The reports fit the screen", trigger: "body", run: checkNoHorizontalOverflow },
    ],
});
