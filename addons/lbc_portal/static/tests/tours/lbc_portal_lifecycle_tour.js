import {registry} from "@web/core/registry";

/**
 * On a 375 px wide phone (test_portal_lifecycle.py sets the browser size), every member page scrolls only
 * vertically. The pages come in the `lbc_mobile_urls` cookie (JSON, URL-encoded: the record ids are the test's
 * fixtures); the tour opens each one, checks it was not sent elsewhere and is not wider than the screen, and
 * fails at the end naming every page that overflowed, with the elements that stick out.
 */
const COOKIE = "lbc_mobile_urls";
const FAILURES = "lbc_mobile_overflows";

function pages() {
    const cookie = document.cookie.split("; ").find((item) => item.startsWith(`${COOKIE}=`));
    if (!cookie) {
        throw new Error(`The ${COOKIE} cookie is missing: no page to check.`);
    }
    return JSON.parse(decodeURIComponent(cookie.slice(COOKIE.length + 1)));
}

function failures() {
    return JSON.parse(window.sessionStorage.getItem(FAILURES) || "[]");
}

function describe(el) {
    const id = el.id ? `#${el.id}` : "";
    const classes = [...el.classList].map((name) => `.${name}`).join("");
    const text = (el.innerText || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return `${el.tagName.toLowerCase()}${id}${classes}${text ? ` "${text}"` : ""}`;
}

/**
 * Whether `el` cannot widen the page: it is fixed on the screen (e.g. the closed mobile menu, pushed off the
 * screen) or inside such an element, or an ancestor scrolls or clips it within the screen (.table-responsive).
 */
function cannotWidenPage(el, width) {
    for (let node = el; node && node !== document.body; node = node.parentElement) {
        const style = window.getComputedStyle(node);
        if (style.position === "fixed") {
            return true;
        }
        if (node !== el && style.overflowX !== "visible" && node.getBoundingClientRect().right <= width + 1) {
            return true;
        }
    }
    return false;
}

/** The page's problem (a text), or null when it fits the screen. */
function overflowOf(url) {
    const here = window.location.pathname + window.location.search;
    if (here !== url) {
        return `${url}: sent to ${here} instead, the page was not checked`;
    }
    // the visible width: the screen's, less the scrollbar where the browser shows one
    const width = document.documentElement.clientWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth <= width + 1) {
        return null;
    }
    const culprits = [...document.body.querySelectorAll("*")]
        .filter((el) => el.getBoundingClientRect().right > width + 1 && !cannotWidenPage(el, width))
        .slice(0, 5)
        .map(describe);
    return `${url}: ${scrollWidth}px wide for ${width}px visible (${culprits.join(", ")})`;
}

function checkPage(url) {
    return [
        {
            content: `Open ${url}`,
            trigger: "body",
            run() {
                window.location.href = url;
            },
            expectUnloadPage: true,
        },
        {
            content: `${url} fits a ${window.innerWidth}px wide screen`,
            // the /my counters are loaded
            trigger: "body:not(:has(.o_portal_doc_spinner))",
            run() {
                const problem = overflowOf(url);
                if (problem) {
                    window.sessionStorage.setItem(FAILURES, JSON.stringify([...failures(), problem]));
                }
            },
        },
    ];
}

registry.category("web_tour.tours").add("lbc_portal_lifecycle_tour", {
    steps: () => [
        {
            content: "Start with no page found too wide",
            trigger: "body",
            run() {
                window.sessionStorage.removeItem(FAILURES);
            },
        },
        ...pages().flatMap(checkPage),
        {
            content: "Every page fits the screen",
            trigger: "body",
            run() {
                const found = failures();
                if (found.length) {
                    throw new Error(
                        `${found.length} page(s) scroll horizontally at ${window.innerWidth}px:\n${found.join("\n")}`
                    );
                }
            },
        },
    ],
});
