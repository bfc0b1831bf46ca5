"""Social network pages: my network (connections, requests, member search) and conversations."""

import base64

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.lbc_base.controllers.readonly import lbc_readonly_get
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.http import request

from .portal import MAX_ATTACHMENTS, MESSAGES, PAGE_SIZE, LbcSocialPortal


class LbcSocialNetworkPortal(LbcSocialPortal):
    # ------------------------------------------------------------------ my network
    def _lbc_social_skill_arg(self, skill_id):
        """The chosen skill of the member search: an existing lbc.skill id or None."""
        if not (skill_id or "").isdigit():
            return None
        skill = request.env["lbc.skill"].browse(int(skill_id)).exists()
        return skill.id or None

    def _lbc_social_network_values(self, kw, page=1, search_result=None, error=None):
        env = request.env
        me = self._lbc_member()
        Connection = env["lbc.connection"]
        domain = [("state", "=", "accepted"), "|", ("requester_id", "=", me.id), ("addressee_id", "=", me.id)]
        total = Connection.search_count(domain)
        pager = portal_pager(url="/my/network", total=total, page=page, step=PAGE_SIZE)
        connections = Connection.search(
            domain, limit=PAGE_SIZE, offset=pager["offset"], order="date_accepted desc, id desc"
        )
        pending = Connection.search(
            [("state", "in", ("requested", "blocked")), "|", ("requester_id", "=", me.id), ("addressee_id", "=", me.id)]
        )
        received = pending.filtered(lambda c: c.state == "requested" and c.addressee_id == me)
        sent = pending.filtered(lambda c: c.state == "requested" and c.requester_id == me)
        blocked = pending.filtered(lambda c: c.state == "blocked" and c.blocked_by_id == me)
        # the other member of each of my connections (read as the member above): name and profile link only
        mine = self._lbc_social_readable_sudo(connections | pending)
        others = {c.id: c.addressee_id if c.requester_id == me else c.requester_id for c in mine}
        profile_of = self._lbc_social_profile_of(mine.requester_id | mine.addressee_id)
        return self._lbc_values(
            "lbc_social_network",
            kw,
            MESSAGES,
            lbc_noindex=True,
            error=error,
            pager=pager,
            connections=connections,
            received=received,
            sent=sent,
            blocked=blocked,
            others={cid: {"name": p.name, "profile_id": profile_of.get(p.id)} for cid, p in others.items()},
            total_connections=total,
            search=(kw.get("search") or "").strip(),
            search_result=search_result,
            skills=env["lbc.skill"].search([]),
            skill_id=self._lbc_social_skill_arg(kw.get("skill_id")),
        )

    @http.route(
        ["/my/network", "/my/network/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=lbc_readonly_get,
    )
    def portal_lbc_social_network(self, page=1, **kw):
        return request.render("lbc_social.portal_lbc_social_network", self._lbc_social_network_values(kw, page=page))

    @http.route(
        ["/my/network/search", "/my/network/search/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_lbc_social_network_search(self, page=1, search=None, skill_id=None, **kw):
        env = request.env
        query = (search or "").strip()
        kw["search"] = query
        skill = self._lbc_social_skill_arg(skill_id)
        kw["skill_id"] = str(skill or "")
        offset = (max(int(page), 1) - 1) * PAGE_SIZE
        ok, result = self._lbc_call(
            env["lbc.profile"].lbc_search_profiles,
            query,
            skill_ids=[skill] if skill else None,
            offset=offset,
            limit=PAGE_SIZE,
        )
        if not ok:
            return request.render(
                "lbc_social.portal_lbc_social_network", self._lbc_social_network_values(kw, error=result)
            )
        result["pager"] = portal_pager(
            url="/my/network/search",
            url_args={"search": query, "skill_id": kw["skill_id"]},
            total=result["total"],
            page=page,
            step=PAGE_SIZE,
        )
        return request.render(
            "lbc_social.portal_lbc_social_network", self._lbc_social_network_values(kw, search_result=result)
        )

    @http.route(
        "/my/network/<int:connection_id>/<string:action>", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_lbc_social_connection_action(self, connection_id, action, **post):
        if action not in ("accept", "decline", "withdraw", "block", "unblock"):
            raise NotFound()
        connection = self._lbc_social_record("lbc.connection", connection_id)
        ok, result = self._lbc_call(getattr(connection, f"action_{action}"))
        if not ok:
            values = self._lbc_social_network_values({}, error=result)
            return request.render("lbc_social.portal_lbc_social_network", values)
        return request.redirect(f"/my/network?msg={action}ed" if action != "withdraw" else "/my/network?msg=withdrawn")

    # ------------------------------------------------------------------ conversations
    def _lbc_social_unread_map(self, conversations):
        """{conversation id: unread messages of the member}: the model's count (the same over RPC)."""
        if not conversations:
            return {}
        return request.env["lbc.conversation"].lbc_unread_counts(conversations.ids)

    @http.route(
        ["/my/conversations", "/my/conversations/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=lbc_readonly_get,
    )
    def portal_lbc_social_conversations(self, page=1, **kw):
        env = request.env
        # unread counts of all the member's conversations at once: the page's and the total
        unread = env["lbc.conversation"].lbc_unread_counts()
        kw["page"] = page
        response = self._lbc_render_list(
            "lbc_social.portal_lbc_social_conversations",
            "lbc.conversation",
            "/my/conversations",
            [],
            kw,
            "conversations",
            "lbc_social_conversations",
            sortings={
                "date": {"label": env._("Last message"), "order": "last_message_date desc, id desc"},
                "name": {"label": env._("Subject"), "order": "name, id"},
            },
            inputs={"name": {"label": env._("Search in Subject"), "domain": lambda s: [("name", "ilike", s)]}},
            messages=MESSAGES,
            extra={"lbc_noindex": True, "unread": unread, "unread_total": sum(unread.values())},
        )
        # participants' names of the member's own conversations (read as the member by the list)
        me = self._lbc_member()
        readable = self._lbc_social_readable_sudo(response.qcontext["conversations"])
        readable.participant_ids.partner_id.mapped("name")  # one read for all the names of the page
        response.qcontext["participants"] = {
            c.id: ", ".join((c.participant_ids.partner_id - me).mapped("name")) for c in readable
        }
        return response

    def _lbc_social_conversation_render(self, conversation, kw=None, error=None, form=None):
        unread_before = self._lbc_social_unread_map(conversation).get(conversation.id, 0)
        messages = conversation.lbc_read_messages(limit=100)
        me = self._lbc_member()
        values = self._lbc_values(
            "lbc_social_conversation",
            kw,
            MESSAGES,
            lbc_noindex=True,
            error=error,
            form=form or {},
            conversation=conversation,
            thread=list(reversed(messages)),
            attachment_urls=self._lbc_social_attachment_urls([a["id"] for m in messages for a in m["attachments"]]),
            unread_before=unread_before,
            participants=", ".join(
                (self._lbc_social_readable_sudo(conversation).participant_ids.partner_id - me).mapped("name")
            ),
            me_id=me.id,
            report_base=f"/my/social/report?res_model=mail.message&redirect=/my/conversations/{conversation.id}",
        )
        return request.render("lbc_social.portal_lbc_social_conversation", values)

    def _lbc_social_attachment_urls(self, attachment_ids):
        """Download links of the attachments of a conversation the member takes part in (checked by the caller).

        Portal members have no read access on ir.attachment: the link carries the attachment's access token.
        """
        attachments = request.env["ir.attachment"].sudo().browse(attachment_ids)
        tokens = attachments.generate_access_token()
        return {
            attachment.id: f"/web/content/{attachment.id}?download=true&access_token={token}"
            for attachment, token in zip(attachments, tokens, strict=True)
        }

    @http.route("/my/conversations/<int:conversation_id>", type="http", auth="user", website=True, methods=["GET"])
    def portal_lbc_social_conversation(self, conversation_id, **kw):
        conversation = self._lbc_social_record("lbc.conversation", conversation_id)
        return self._lbc_social_conversation_render(conversation, kw)

    @http.route(
        "/my/conversations/<int:conversation_id>/send", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_lbc_social_conversation_send(self, conversation_id, body=None, **post):
        conversation = self._lbc_social_record("lbc.conversation", conversation_id)
        form = {"body": (body or "").strip()}
        files = [f for f in request.httprequest.files.getlist("attachments") if f and f.filename]
        if len(files) > MAX_ATTACHMENTS:
            error = request.env._("%(max)s files per message at most.", max=MAX_ATTACHMENTS)
            return self._lbc_social_conversation_render(conversation, error=error, form=form)
        attachments = [[f.filename, base64.b64encode(f.read()).decode()] for f in files]
        ok, result = self._lbc_call(conversation.lbc_send_message, form["body"], attachments=attachments)
        if not ok:
            return self._lbc_social_conversation_render(conversation, error=result, form=form)
        return request.redirect(f"/my/conversations/{conversation.id}?msg=sent#lbc_message_form")

    @http.route(
        "/my/conversations/<int:conversation_id>/export", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_lbc_social_conversation_export(self, conversation_id, **post):
        conversation = self._lbc_social_record("lbc.conversation", conversation_id)
        ok, result = self._lbc_call(conversation.action_export)
        if not ok:
            return self._lbc_social_conversation_render(conversation, error=result)
        return request.redirect(self._lbc_social_attachment_urls([result["attachment_id"]])[result["attachment_id"]])
