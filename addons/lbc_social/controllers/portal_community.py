"""Social network pages: content reports, groups, articles and the feed."""

from werkzeug.exceptions import NotFound

from odoo import Command, http
from odoo.addons.lbc_base.controllers.readonly import lbc_readonly_get
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.http import request
from odoo.tools import html2plaintext, plaintext2html

from .portal import MESSAGES, PAGE_SIZE
from .portal_network import LbcSocialNetworkPortal


def _local_url(url, default):
    """A redirect target typed by the client: only paths of this site."""
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return default


class LbcSocialCommunityPortal(LbcSocialNetworkPortal):
    # ------------------------------------------------------------------ report content
    def _lbc_social_report_render(self, res_model, res_id, redirect, form=None, error=None):
        env = request.env
        values = self._lbc_values(
            "lbc_social_report",
            None,
            MESSAGES,
            lbc_noindex=True,
            error=error,
            form=form or {},
            res_model=res_model,
            res_id=res_id,
            redirect=_local_url(redirect, "/my/network"),
            categories=env["lbc.content.report"]._fields["category"]._description_selection(env),
            content_label=dict(env["lbc.content.report"]._fields["res_model"]._description_selection(env)).get(
                res_model, ""
            ),
        )
        return request.render("lbc_social.portal_lbc_social_report", values)

    @http.route("/my/social/report", type="http", auth="user", website=True, methods=["GET"], readonly=True)
    def portal_lbc_social_report(self, res_model=None, res_id=None, redirect=None, **kw):
        if (
            res_model not in dict(request.env["lbc.content.report"]._fields["res_model"].selection)
            or not (res_id or "").isdigit()
        ):
            raise NotFound()
        return self._lbc_social_report_render(res_model, int(res_id), redirect)

    @http.route("/my/social/report", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_social_report_post(self, res_model=None, res_id=None, redirect=None, **post):
        if not (res_id or "").isdigit():
            raise NotFound()
        form = {"category": post.get("category") or "", "reason": (post.get("reason") or "").strip()}
        ok, result = self._lbc_call(
            request.env["lbc.content.report"].lbc_report_content,
            res_model,
            int(res_id),
            form["category"],
            form["reason"],
        )
        if not ok:
            return self._lbc_social_report_render(res_model, int(res_id), redirect, form=form, error=result)
        target = _local_url(redirect, "/my/network")
        return request.redirect(f"{target}{'&' if '?' in target else '?'}msg=reported")

    # ------------------------------------------------------------------ groups
    def _lbc_social_groups_render(self, kw, error=None, form=None):
        env = request.env
        me = self._lbc_member()
        mine = [("partner_id", "=", me.id), ("state", "in", ("member", "requested"))]
        response = self._lbc_render_list(
            "lbc_social.portal_lbc_social_groups",
            "lbc.social.group",
            "/my/groups",
            [],
            kw,
            "groups",
            "lbc_social_groups",
            sortings={"name": {"label": env._("Name"), "order": "name, id"}},
            filters={
                "all": {"label": env._("All Groups"), "domain": []},
                "mine": {"label": env._("My Groups"), "domain": [("membership_ids", "any", mine)]},
            },
            inputs={
                "name": {
                    "label": env._("Search in Groups"),
                    "domain": lambda s: ["|", ("name", "ilike", s), ("description", "ilike", s)],
                }
            },
            messages=MESSAGES,
            extra={
                "lbc_noindex": True,
                "error": error,
                "form": form or {"privacy": "public"},
                "privacies": env["lbc.social.group"]._fields["privacy"]._description_selection(env),
            },
        )
        memberships = env["lbc.social.group.member"].search(
            [("group_id", "in", response.qcontext["groups"].ids), ("partner_id", "=", me.id)]
        )
        response.qcontext["my_states"] = {m.group_id.id: m.state for m in memberships}
        return response

    @http.route(
        ["/my/groups", "/my/groups/page/<int:page>"], type="http", auth="user", website=True, readonly=lbc_readonly_get
    )
    def portal_lbc_social_groups(self, page=1, **kw):
        kw["page"] = page
        return self._lbc_social_groups_render(kw)

    @http.route("/my/groups/new", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_social_group_new(self, name=None, description=None, privacy=None, **post):
        form = {"name": (name or "").strip(), "description": (description or "").strip(), "privacy": privacy}
        if not form["name"]:
            ok, result = False, request.env._("Give the group a name.")
        else:
            ok, result = self._lbc_call(
                request.env["lbc.social.group"].lbc_create_group,
                form["name"],
                description=form["description"] or None,
                privacy=privacy or "public",
            )
        if not ok:
            return self._lbc_social_groups_render({}, error=result, form=form)
        return request.redirect(f"/my/groups/{result}?msg=group_created")

    def _lbc_social_group_render(self, group, kw=None, error=None, forms=None):
        env = request.env
        me = self._lbc_member()
        membership = env["lbc.social.group.member"].search(
            [("group_id", "=", group.id), ("partner_id", "=", me.id)], limit=1
        )
        is_member = membership.state == "member"
        is_manager = is_member and membership.role in ("owner", "moderator")
        Post = env["lbc.social.post"]
        page = int((kw or {}).get("page") or 1)
        domain = [("group_id", "=", group.id), ("parent_id", "=", False)]
        total = Post.search_count(domain)
        pager = portal_pager(url=f"/my/groups/{group.id}", total=total, page=page, step=PAGE_SIZE)
        posts = Post.search(domain, limit=PAGE_SIZE, offset=pager["offset"])
        replies = Post.search([("parent_id", "in", posts.ids)], order="create_date asc, id asc")
        # authors of the posts the member reads (rules above): names and profile links only
        authors = self._lbc_social_readable_sudo(posts | replies).author_id
        profile_of = self._lbc_social_profile_of(authors)
        requests_pending = env["lbc.social.group.member"]
        if is_manager:
            requests_pending = env["lbc.social.group.member"].search(
                [("group_id", "=", group.id), ("state", "=", "requested")]
            )
        values = self._lbc_values(
            "lbc_social_group",
            kw,
            MESSAGES,
            lbc_noindex=True,
            error=error,
            forms=forms or {},
            group=group,
            membership=membership,
            is_member=is_member,
            is_manager=is_manager,
            posts=posts,
            replies={p.id: replies.filtered(lambda r, p=p: r.parent_id == p) for p in posts},
            author_names={a.id: a.name for a in authors},
            author_profiles=profile_of,
            author_of={p.id: p.author_id.id for p in self._lbc_social_readable_sudo(posts | replies)},
            requests_pending=requests_pending,
            requester_names={m.id: m.partner_id.name for m in self._lbc_social_readable_sudo(requests_pending)},
            **self._lbc_social_group_roles(group, membership),
            pager=pager,
            me_id=me.id,
            report_base=f"/my/social/report?res_model=lbc.social.post&redirect=/my/groups/{group.id}",
        )
        return request.render("lbc_social.portal_lbc_social_group", values)

    def _lbc_social_group_roles(self, group, membership):
        """For the group's owners: its members, their names and the roles they can be given."""
        env = request.env
        GroupMember = env["lbc.social.group.member"]
        members = GroupMember
        if membership.state == "member" and membership.role == "owner":
            members = GroupMember.search([("group_id", "=", group.id), ("state", "=", "member")])
        return {
            "role_members": members,
            "role_member_names": {m.id: m.partner_id.name for m in self._lbc_social_readable_sudo(members)},
            "roles": GroupMember._fields["role"]._description_selection(env),
        }

    @http.route(
        ["/my/groups/<int:group_id>", "/my/groups/<int:group_id>/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
        readonly=True,
    )
    def portal_lbc_social_group(self, group_id, page=1, **kw):
        group = self._lbc_social_record("lbc.social.group", group_id)
        kw["page"] = page
        return self._lbc_social_group_render(group, kw)

    @http.route("/my/groups/<int:group_id>/<string:action>", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_social_group_action(self, group_id, action, **post):
        group = self._lbc_social_record("lbc.social.group", group_id)
        form = {"body": (post.get("body") or "").strip(), "parent_id": post.get("parent_id") or ""}
        partner_id = int(post["partner_id"]) if (post.get("partner_id") or "").isdigit() else 0
        if action == "join":
            ok, result = self._lbc_call(group.action_join)
            msg = "joined" if result == "member" else "join_requested"
        elif action == "leave":
            ok, result = self._lbc_call(group.action_leave)
            msg = "left"
        elif action == "post":
            parent_id = int(form["parent_id"]) if form["parent_id"].isdigit() else None
            ok, result = self._lbc_call(group.action_post, form["body"], parent_id=parent_id)
            msg = "posted"
        elif action in ("approve", "decline") and partner_id:
            method = group.action_approve_member if action == "approve" else group.action_decline_member
            ok, result = self._lbc_call(method, partner_id)
            msg = f"member_{action}d"
        elif action == "role" and partner_id:
            ok, result = self._lbc_call(group.action_set_role, partner_id, post.get("role") or "")
            msg = "role_set"
        elif action == "hide" and (post.get("post_id") or "").isdigit():
            target = self._lbc_social_record("lbc.social.post", post["post_id"])
            if target.group_id != group:
                raise NotFound()
            ok, result = self._lbc_call(target.action_hide)
            msg = "hidden"
        else:
            raise NotFound()
        if not ok:
            return self._lbc_social_group_render(group, error=result, forms={action: form})
        return request.redirect(f"/my/groups/{group.id}?msg={msg}")

    # ------------------------------------------------------------------ articles
    @http.route(
        ["/my/articles", "/my/articles/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=lbc_readonly_get,
    )
    def portal_lbc_social_articles(self, page=1, **kw):
        env = request.env
        kw["page"] = page
        return self._lbc_render_list(
            "lbc_social.portal_lbc_social_articles",
            "lbc.article",
            "/my/articles",
            [("author_id", "=", self._lbc_member().id)],
            kw,
            "articles",
            "lbc_social_articles",
            sortings={
                "date": {"label": env._("Last change"), "order": "write_date desc, id desc"},
                "name": {"label": env._("Title"), "order": "name, id"},
            },
            filters={
                "all": {"label": env._("All"), "domain": []},
                "published": {"label": env._("Published"), "domain": [("state", "=", "published")]},
                "draft": {"label": env._("Not published"), "domain": [("state", "!=", "published")]},
            },
            inputs={"name": {"label": env._("Search in Title"), "domain": lambda s: [("name", "ilike", s)]}},
            messages=MESSAGES,
            extra={"lbc_noindex": True},
        )

    def _lbc_social_article_form_render(self, article=None, form=None, error=None, kw=None):
        env = request.env
        if form is None:
            form = {
                "name": article.name if article else "",
                "body": html2plaintext(article.body or "") if article else "",
                "tag_ids": article.tag_ids.ids if article else [],
            }
        values = self._lbc_values(
            "lbc_social_article_form",
            kw,
            MESSAGES,
            lbc_noindex=True,
            article=article,
            form=form,
            error=error,
            tags=env["lbc.article.tag"].search([]),
        )
        return request.render("lbc_social.portal_lbc_social_article_form", values)

    def _lbc_social_my_article(self, article_id):
        article = self._lbc_social_record("lbc.article", article_id)
        if article.author_id != self._lbc_member():
            raise NotFound()
        return article

    @http.route(
        ["/my/articles/new", "/my/articles/<int:article_id>/edit"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
        readonly=lbc_readonly_get,
    )
    def portal_lbc_social_article_edit(self, article_id=None, **post):
        env = request.env
        article = self._lbc_social_my_article(article_id) if article_id else None
        if request.httprequest.method == "GET":
            return self._lbc_social_article_form_render(article, kw=post)
        form = {
            "name": (post.get("name") or "").strip(),
            "body": (post.get("body") or "").strip(),
            "tag_ids": [int(t) for t in request.httprequest.form.getlist("tag_ids") if t.isdigit()],
        }
        if not form["name"]:
            return self._lbc_social_article_form_render(article, form, env._("Give the article a title."))
        vals = {
            "name": form["name"],
            "body": plaintext2html(form["body"]) if form["body"] else False,
            "tag_ids": [Command.set(form["tag_ids"])],
        }

        def save(record):
            if record:
                record.write(vals)
            else:
                record = env["lbc.article"].create(vals)
            if post.get("publish"):
                record.action_publish()
            return record

        ok, result = self._lbc_call(save, article)
        if not ok:
            return self._lbc_social_article_form_render(article, form, result)
        msg = "article_published" if post.get("publish") else "article_saved"
        return request.redirect(f"/my/articles?msg={msg}")

    @http.route(
        "/my/articles/<int:article_id>/<string:action>", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_lbc_social_article_action(self, article_id, action, **post):
        if action not in ("publish", "unpublish"):
            raise NotFound()
        article = self._lbc_social_my_article(article_id)
        ok, result = self._lbc_call(getattr(article, f"action_{action}"))
        if not ok:
            return self._lbc_social_article_form_render(article, error=result)
        return request.redirect(f"/my/articles?msg=article_{action}ed")

    # ------------------------------------------------------------------ feed
    @http.route(
        ["/feed", "/feed/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        sitemap=False,
        readonly=lbc_readonly_get,
    )
    def portal_lbc_social_feed(self, page=1, tag=None, **kw):
        env = request.env
        tag_ids = [int(tag)] if (tag or "").isdigit() else None
        offset = (max(int(page), 1) - 1) * PAGE_SIZE
        feed = env["lbc.article"].lbc_feed(offset=offset, limit=PAGE_SIZE, tag_ids=tag_ids)
        pager = portal_pager(url="/feed", url_args={"tag": tag or ""}, total=feed["total"], page=page, step=PAGE_SIZE)
        values = self._lbc_values(
            "lbc_social_feed",
            kw,
            MESSAGES,
            lbc_noindex=True,
            pager=pager,
            feed=feed["results"],
            tags=env["lbc.article.tag"].search([]),
        )
        return request.render("lbc_social.portal_lbc_social_feed", values)

    def _lbc_social_feed_article_render(self, article, kw=None, error=None, form=None):
        if article.state != "published" or article.moderation_hidden:
            if article.author_id != self._lbc_member():
                raise NotFound()
        # comments of an article the member reads (checked by the caller)
        comments = (
            request.env["mail.message"]
            .sudo()
            .search(
                [("model", "=", "lbc.article"), ("res_id", "=", article.id), ("message_type", "=", "comment")],
                order="id asc",
            )
        )
        author = self._lbc_social_readable_sudo(article).author_id
        values = self._lbc_values(
            "lbc_social_feed_article",
            kw,
            MESSAGES,
            lbc_noindex=True,
            error=error,
            form=form or {},
            article=article,
            author_name=author.name,
            author_profile=self._lbc_social_profile_of(author).get(author.id),
            comments=[
                {"id": c.id, "author": c.author_id.name, "date": c.date, "body": html2plaintext(c.body or "")}
                for c in comments
            ],
            report_url=self._lbc_social_report_url("lbc.article", article.id, f"/feed/{article.id}"),
            report_base=f"/my/social/report?res_model=mail.message&redirect=/feed/{article.id}",
        )
        return request.render("lbc_social.portal_lbc_social_feed_article", values)

    @http.route(
        "/feed/<int:article_id>", type="http", auth="user", website=True, methods=["GET"], sitemap=False, readonly=True
    )
    def portal_lbc_social_feed_article(self, article_id, **kw):
        return self._lbc_social_feed_article_render(self._lbc_social_record("lbc.article", article_id), kw)

    @http.route("/feed/<int:article_id>/comment", type="http", auth="user", website=True, methods=["POST"])
    def portal_lbc_social_feed_comment(self, article_id, body=None, **post):
        article = self._lbc_social_record("lbc.article", article_id)
        form = {"body": (body or "").strip()}
        ok, result = self._lbc_call(article.action_comment, form["body"])
        if not ok:
            return self._lbc_social_feed_article_render(article, error=result, form=form)
        return request.redirect(f"/feed/{article.id}?msg=commented#lbc_comments")
