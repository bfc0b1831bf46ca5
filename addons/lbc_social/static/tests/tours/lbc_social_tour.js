import {registry} from "@web/core/registry";

// A member (started on a public group's page) joins the group, posts, reports another member's post,
// opens that member's profile, asks to connect and writes to it (they share the group).
const SPAM_POST = ".o_lbc_post:has(.o_lbc_post_body:contains(cheap followers))";

registry.category("web_tour.tours").add("lbc_social_tour", {
    steps: () => [
        {
            content: "Join the group",
            trigger: "button.o_lbc_group_join",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Joined",
            trigger: ".o_lbc_success:contains(You joined the group)",
        },
        {
            content: "Write a post",
            trigger: ".o_lbc_post_form textarea[name=body]",
            run: "edit Posted by the tour",
        },
        {
            content: "Post it",
            trigger: "button.o_lbc_post_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The post is online",
            trigger: ".o_lbc_post_body:contains(Posted by the tour)",
        },
        {
            content: "Report the spam post",
            trigger: `${SPAM_POST} a.o_lbc_report`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Category",
            trigger: "select[name=category]",
            run: "select spam",
        },
        {
            content: "Reason",
            trigger: "textarea[name=reason]",
            run: "edit Sells followers to every member",
        },
        {
            content: "Send the report",
            trigger: "button.o_lbc_report_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Report received",
            trigger: ".o_lbc_success:contains(moderators will look)",
        },
        {
            content: "Open the author's profile",
            trigger: `${SPAM_POST} a.o_lbc_post_author`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Ask to connect",
            trigger: "button.o_lbc_connect",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Request sent",
            trigger: ".o_lbc_request_pending",
        },
        {
            content: "Write a message",
            trigger: ".o_lbc_message_form textarea[name=body]",
            run: "edit Hello from the tour",
        },
        {
            content: "Send it",
            trigger: "button.o_lbc_message_send",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The conversation shows the message",
            trigger: ".o_lbc_message_item:contains(Hello from the tour)",
        },
    ],
});
