"""Portal pages of the marketplace: the client's tenders, the providers' tender search, the missions.

Every read and every action runs with the member's own rights: record rules decide what a member sees, the
models' `action_*` methods decide what a member may do. The bids are in `portal_bid.py`; the apps above extend
these pages by subclassing `LbcTenderPortal` (lbc_erp_provider: the activity reports of a mission,
lbc_erp_client: the referencing lists of a tender).
"""

from datetime import date, datetime, timedelta

import pytz
from werkzeug.exceptions import NotFound

from odoo import Command, fields, http
from odoo.addons.lbc_base.controllers.portal import LbcPortal
from odoo.addons.lbc_base.controllers.readonly import lbc_readonly_get
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request
from odoo.tools import html2plaintext, plaintext2html
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
MESSAGES = {
    "created": _lt("The tender was saved as a draft."),
    "saved": _lt("Your changes were saved."),
    "published": _lt("The tender is published: providers can bid until the deadline."),
    "closed": _lt("The tender is closed: no new bids."),
    "cancelled": _lt("The tender is cancelled; the live bids were rejected."),
    "weights": _lt("The comparison weights were saved."),
    "selected": _lt("The bid is selected: LBC checks the provider and approves it."),
    "rejected": _lt("The bid was rejected; the provider is informed."),
    "submitted": _lt("Your bid is submitted."),
    "withdrawn": _lt("Your bid is withdrawn."),
}


class LbcTenderPortal(LbcPortal):
    # ------------------------------------------------------------------ helpers
    def _lbc_tz(self):
        return pytz.timezone(request.env.user.tz or request.env.context.get("tz") or "Europe/Paris")

    def _lbc_parse_datetime_local(self, value):
        """A datetime-local input (member's time zone) as naive UTC."""
        local = datetime.strptime(value, "%Y-%m-%dT%H:%M")
        return self._lbc_tz().localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    def _lbc_datetime_local(self, value):
        if not value:
            return ""
        return pytz.utc.localize(value).astimezone(self._lbc_tz()).strftime("%Y-%m-%dT%H:%M")

    def _lbc_act(self, model, record_id, action, refused, done_url):
        """An action on a detail page's record: the record as the member (or back to /my), `action(record)`
        in a savepoint, then `done_url(record)`, or `refused(record, message)`: the page again with the
        model's refusal."""
        try:
            record = self._lbc_record(model, record_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        ok, result = self._lbc_call(action, record)
        if not ok:
            record.invalidate_recordset()
            return refused(record, result)
        return request.redirect(done_url(record))

    # ------------------------------------------------------------------ /my counters
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        env = request.env
        company = self._lbc_company()
        if "lbc_tender_count" in counters:
            Tender = env["lbc.tender"]
            values["lbc_tender_count"] = (
                Tender.search_count([("client_id", "=", company.id)])
                if company.lbc_is_client and Tender.has_access("read")
                else 0
            )
        if "lbc_tender_search_count" in counters:
            Tender = env["lbc.tender"]
            values["lbc_tender_search_count"] = (
                Tender.search_count([("state", "=", "published"), ("client_id", "!=", company.id)])
                if company.lbc_is_provider and Tender.has_access("read")
                else 0
            )
        if "lbc_bid_count" in counters:
            Bid = env["lbc.tender.bid"]
            values["lbc_bid_count"] = (
                Bid.search_count([("provider_id", "=", company.id)])
                if company.lbc_is_provider and Bid.has_access("read")
                else 0
            )
        if "lbc_mission_count" in counters:
            Mission = env["lbc.mission"]
            values["lbc_mission_count"] = Mission.search_count([]) if Mission.has_access("read") else 0
        return values

    # ------------------------------------------------------------------ tenders (client)
    @http.route(
        ["/my/tenders", "/my/tenders/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=lbc_readonly_get,
    )
    def portal_my_tenders(self, page=1, **kw):
        company = self._lbc_company()
        sortings = {
            "deadline": {"label": request.env._("Deadline"), "order": "deadline desc, id desc"},
            "date": {"label": request.env._("Newest"), "order": "create_date desc, id desc"},
            "name": {"label": request.env._("Title"), "order": "name asc, id asc"},
        }
        filters = {"all": {"label": request.env._("All"), "domain": []}}
        for state, label in request.env["lbc.tender"]._fields["state"]._description_selection(request.env):
            filters[state] = {"label": label, "domain": [("state", "=", state)]}
        inputs = {
            "name": {"label": request.env._("Search in Title"), "domain": lambda s: [("name", "ilike", s)]},
            "reference": {
                "label": request.env._("Search in Reference"),
                "domain": lambda s: [("reference", "ilike", s)],
            },
        }
        kw["page"] = page
        return self._lbc_render_list(
            "lbc_tender.portal_my_lbc_tenders",
            "lbc.tender",
            "/my/tenders",
            [("client_id", "=", company.id)],
            kw,
            "tenders",
            "lbc_tender",
            sortings=sortings,
            filters=filters,
            inputs=inputs,
            messages=MESSAGES,
        )

    # hooks of the tender form: an app above adds its own fields (lbc_erp_client: the referencing lists)
    def _lbc_tender_form_read(self, tender):
        """The extra fields of the form, as `tender` has them (or their defaults for a new tender)."""
        return {}

    def _lbc_tender_form_parse(self, post):
        """(extra fields as typed, extra values for the model) of a posted tender form."""
        return {}, {}

    def _lbc_tender_form_options(self):
        """The extra values the form's inherited parts render (choices of the extra fields)."""
        return {}

    def _lbc_tender_form_values(self, tender=None, form=None, error=None):
        env = request.env
        if form is None:
            if tender:
                form = {
                    "name": tender.name,
                    "description": html2plaintext(tender.description or ""),
                    "skill_ids": tender.skill_ids.ids,
                    "location": tender.location or "",
                    "remote_policy": tender.remote_policy,
                    "date_start": tender.date_start and tender.date_start.isoformat(),
                    "duration_days": tender.duration_days,
                    "max_daily_rate": tender.max_daily_rate,
                    "show_max_rate": tender.show_max_rate,
                    "deadline": self._lbc_datetime_local(tender.deadline),
                    "sealed": tender.sealed,
                    "audience": tender.audience,
                }
            else:
                today = fields.Date.context_today(request.env.user)
                deadline = datetime.combine(today + timedelta(days=14), datetime.min.time()).replace(hour=12)
                form = {
                    "remote_policy": "hybrid",
                    "show_max_rate": True,
                    "sealed": True,
                    "audience": "all",
                    "date_start": (today + timedelta(days=30)).isoformat(),
                    "duration_days": 20,
                    "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
                    "skill_ids": [],
                }
            form.update(self._lbc_tender_form_read(tender))
        return self._lbc_values(
            "lbc_tender_form",
            tender=tender,
            form=form,
            error=error,
            skills=env["lbc.skill"].search([]),
            remote_policies=env["lbc.tender"]._fields["remote_policy"]._description_selection(env),
            audiences=env["lbc.tender"]._fields["audience"]._description_selection(env),
            **self._lbc_tender_form_options(),
        )

    def _lbc_parse_tender_form(self, post):
        """(form as typed, vals for the model, list of error messages)."""
        form = {
            "name": (post.get("name") or "").strip(),
            "description": (post.get("description") or "").strip(),
            "skill_ids": [int(s) for s in request.httprequest.form.getlist("skill_ids") if s.isdigit()],
            "location": (post.get("location") or "").strip(),
            "remote_policy": post.get("remote_policy") or "hybrid",
            "date_start": post.get("date_start") or "",
            "duration_days": post.get("duration_days") or "",
            "max_daily_rate": post.get("max_daily_rate") or "",
            "show_max_rate": bool(post.get("show_max_rate")),
            "deadline": post.get("deadline") or "",
            "sealed": bool(post.get("sealed")),
            "audience": post.get("audience") or "all",
        }
        errors = []
        vals = {
            "name": form["name"],
            "description": plaintext2html(form["description"]) if form["description"] else False,
            "skill_ids": [Command.set(form["skill_ids"])],
            "location": form["location"] or False,
            "show_max_rate": form["show_max_rate"],
            "sealed": form["sealed"],
        }
        extra_form, extra_vals = self._lbc_tender_form_parse(post)
        form.update(extra_form)
        vals.update(extra_vals)
        if not form["name"]:
            errors.append(request.env._("Give the tender a title."))
        if not form["description"]:
            errors.append(request.env._("Describe the mission."))
        policies = dict(request.env["lbc.tender"]._fields["remote_policy"]._description_selection(request.env))
        if form["remote_policy"] not in policies:
            errors.append(request.env._("Choose a remote policy."))
        else:
            vals["remote_policy"] = form["remote_policy"]
        audiences = dict(request.env["lbc.tender"]._fields["audience"]._description_selection(request.env))
        if form["audience"] not in audiences:
            errors.append(request.env._("Choose who sees the tender."))
        else:
            vals["audience"] = form["audience"]
        try:
            vals["date_start"] = date.fromisoformat(form["date_start"])
        except ValueError:
            errors.append(request.env._("Give the start date of the mission."))
        try:
            vals["duration_days"] = int(form["duration_days"])
            if vals["duration_days"] <= 0:
                errors.append(request.env._("The duration must be at least one day."))
        except ValueError:
            errors.append(request.env._("Give the duration in days (a whole number)."))
        try:
            vals["max_daily_rate"] = float(form["max_daily_rate"]) if form["max_daily_rate"] else 0.0
        except ValueError:
            errors.append(request.env._("The maximum daily rate must be a number."))
        try:
            vals["deadline"] = self._lbc_parse_datetime_local(form["deadline"])
        except ValueError:
            errors.append(request.env._("Give the bid deadline (date and time)."))
        return form, vals, errors

    def _lbc_tender_form_submit(self, tender, post):
        """The posted form of a new tender (`tender` empty) or of a draft: saved, published when asked."""
        form, vals, errors = self._lbc_parse_tender_form(post)
        if errors:
            return request.render(
                "lbc_tender.portal_my_lbc_tender_form",
                self._lbc_tender_form_values(tender, form=form, error="\n".join(errors)),
            )

        def save():
            record = tender
            if record:
                record.write(vals)
            else:
                record = request.env["lbc.tender"].create({**vals, "client_id": self._lbc_company().id})
            if post.get("publish"):
                record.action_publish()
            return record

        ok, result = self._lbc_call(save)
        if not ok:
            return request.render(
                "lbc_tender.portal_my_lbc_tender_form", self._lbc_tender_form_values(tender, form=form, error=result)
            )
        msg = "published" if post.get("publish") else ("saved" if tender else "created")
        return request.redirect(f"/my/tenders/{result.id}?msg={msg}")

    @http.route(
        "/my/tenders/new", type="http", auth="user", website=True, methods=["GET", "POST"], readonly=lbc_readonly_get
    )
    def portal_my_tender_new(self, **post):
        if not self._lbc_company().lbc_is_client:
            raise NotFound()
        if request.httprequest.method == "GET":
            return request.render("lbc_tender.portal_my_lbc_tender_form", self._lbc_tender_form_values())
        return self._lbc_tender_form_submit(request.env["lbc.tender"], post)

    @http.route(
        "/my/tenders/<int:tender_id>/edit",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
        readonly=lbc_readonly_get,
    )
    def portal_my_tender_edit(self, tender_id, **post):
        try:
            tender = self._lbc_record("lbc.tender", tender_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if tender.client_id != self._lbc_company() or tender.state != "draft":
            return request.redirect(f"/my/tenders/{tender.id}")
        if request.httprequest.method == "GET":
            return request.render("lbc_tender.portal_my_lbc_tender_form", self._lbc_tender_form_values(tender))
        return self._lbc_tender_form_submit(tender, post)

    def _lbc_tender_page_values(self, tender, error=None, **kw):
        env = request.env
        company = self._lbc_company()
        is_client = tender.client_id == company
        # as the member: the client sees the bids once visible (sealed until the deadline), a provider its own
        bids = env["lbc.tender.bid"].search([("tender_id", "=", tender.id)])
        if is_client:
            bids = bids.sorted(lambda b: (-b.score, b.daily_rate))
        my_live_bid = bids.filtered(lambda b: b.provider_id == company and b.state not in ("rejected", "withdrawn"))[:1]
        can_bid = (
            not is_client
            and company.lbc_is_provider
            and tender.state == "published"
            and tender.deadline > fields.Datetime.now()
            and not my_live_bid
        )
        page_name = "lbc_tender" if is_client else "lbc_tender_search"
        values = self._get_page_view_values(
            tender, None, self._lbc_values(page_name, kw, MESSAGES), "my_tenders_history", False, **kw
        )
        values.update(
            {
                "tender": tender,
                "is_client": is_client,
                "bids": bids,
                "my_bid": my_live_bid,
                "can_bid": can_bid,
                "has_selection": bool(bids.filtered(lambda b: b.state in ("selected", "approved", "contracted"))),
                "sealed_hidden": is_client and not tender._lbc_bids_are_open(),
                "error": error,
            }
        )
        return values

    @http.route("/my/tenders/<int:tender_id>", type="http", auth="user", website=True, readonly=lbc_readonly_get)
    def portal_my_tender(self, tender_id, **kw):
        try:
            tender = self._lbc_record("lbc.tender", tender_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return request.render("lbc_tender.portal_my_lbc_tender", self._lbc_tender_page_values(tender, **kw))

    def _lbc_tender_refused(self, tender, error):
        return request.render("lbc_tender.portal_my_lbc_tender", self._lbc_tender_page_values(tender, error=error))

    def _lbc_tender_action(self, tender_id, action, msg):
        return self._lbc_act(
            "lbc.tender",
            tender_id,
            action,
            self._lbc_tender_refused,
            lambda tender: f"/my/tenders/{tender.id}?msg={msg}",
        )

    @http.route("/my/tenders/<int:tender_id>/publish", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_tender_publish(self, tender_id, **post):
        return self._lbc_tender_action(tender_id, lambda t: t.action_publish(), "published")

    @http.route("/my/tenders/<int:tender_id>/close", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_tender_close(self, tender_id, **post):
        return self._lbc_tender_action(tender_id, lambda t: t.action_close(), "closed")

    @http.route("/my/tenders/<int:tender_id>/cancel", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_tender_cancel(self, tender_id, reason=None, **post):
        return self._lbc_tender_action(tender_id, lambda t: t.action_cancel(reason=reason), "cancelled")

    @http.route("/my/tenders/<int:tender_id>/weights", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_tender_weights(self, tender_id, **post):
        def save(tender):
            try:
                vals = {
                    field: int(post.get(field) or 0)
                    for field in ("weight_rate", "weight_availability", "weight_skills")
                }
            except ValueError as e:
                raise ValidationError(request.env._("Weights are whole numbers.")) from e
            if any(v < 0 for v in vals.values()):
                raise ValidationError(request.env._("Weights cannot be negative."))
            if tender.client_id != self._lbc_company():
                raise AccessError(request.env._("You can only manage the tenders of your own company."))
            tender.write(vals)

        return self._lbc_tender_action(tender_id, save, "weights")

    # ------------------------------------------------------------------ tender search (providers)
    @http.route(
        ["/my/tenders/search", "/my/tenders/search/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=lbc_readonly_get,
    )
    def portal_tender_search(self, page=1, **kw):
        env = request.env
        company = self._lbc_company()
        # record rules decide what the member sees: published tenders meant for its company
        domain = [("state", "=", "published"), ("client_id", "!=", company.id)]
        text = (kw.get("search") or "").strip()
        if text:
            domain += ["|", "|", ("name", "ilike", text), ("description", "ilike", text), ("reference", "ilike", text)]
        skill_ids = [int(s) for s in request.httprequest.args.getlist("skill_ids") if s.isdigit()]
        if skill_ids:
            domain.append(("skill_ids", "in", skill_ids))
        location = (kw.get("location") or "").strip()
        if location:
            domain.append(("location", "ilike", location))
        remote = kw.get("remote_policy")
        if remote in ("on_site", "hybrid", "remote"):
            domain.append(("remote_policy", "=", remote))
        error = None
        try:
            max_rate = float(kw["min_rate"]) if kw.get("min_rate") else None
        except ValueError:
            max_rate, error = None, request.env._("The daily rate must be a number.")
        if max_rate:
            # the rate the provider asks fits under the tender's maximum (or the tender shows none)
            domain += [
                "|",
                "|",
                ("show_max_rate", "=", False),
                ("max_daily_rate", "=", 0),
                ("max_daily_rate", ">=", max_rate),
            ]
        start_before = kw.get("start_before")
        if start_before:
            try:
                domain.append(("date_start", "<=", date.fromisoformat(start_before)))
            except ValueError:
                error = request.env._("The start date is not a valid date.")
        sortings = {
            "deadline": {"label": request.env._("Deadline"), "order": "deadline asc, id desc"},
            "date": {"label": request.env._("Newest"), "order": "published_date desc, id desc"},
            "start": {"label": request.env._("Start Date"), "order": "date_start asc, id desc"},
        }
        sortby = kw.get("sortby") if kw.get("sortby") in sortings else "deadline"
        Tender = env["lbc.tender"]
        total = Tender.search_count(domain)
        url_args = {
            k: v for k, v in kw.items() if k in ("search", "location", "remote_policy", "min_rate", "start_before")
        }
        url_args["sortby"] = sortby
        pager = portal_pager(
            url="/my/tenders/search", url_args=url_args, total=total, page=page, step=self._items_per_page
        )
        tenders = Tender.search(
            domain, order=sortings[sortby]["order"], limit=self._items_per_page, offset=pager["offset"]
        )
        values = self._lbc_values(
            "lbc_tender_search",
            tenders=tenders,
            pager=pager,
            default_url="/my/tenders/search",
            searchbar_sortings=sortings,
            sortby=sortby,
            skills=env["lbc.skill"].search([]),
            criteria={
                "search": text,
                "skill_ids": skill_ids,
                "location": location,
                "remote_policy": remote or "",
                "min_rate": kw.get("min_rate") or "",
                "start_before": start_before or "",
            },
            remote_policies=Tender._fields["remote_policy"]._description_selection(env),
            # sudo: the member's own company only, to tell it what keeps it from the marketplace
            tender_access_missing=company.lbc_is_provider and company.sudo()._lbc_tender_access_missing(),
            error=error,
        )
        return request.render("lbc_tender.portal_lbc_tender_search", values)

    # ------------------------------------------------------------------ missions
    @http.route(
        ["/my/missions", "/my/missions/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=lbc_readonly_get,
    )
    def portal_my_missions(self, page=1, **kw):
        sortings = {
            "date": {"label": request.env._("Start Date"), "order": "date_start desc, id desc"},
            "name": {"label": request.env._("Reference"), "order": "name asc, id asc"},
            "end": {"label": request.env._("End Date"), "order": "date_end asc, id desc"},
        }
        filters = {
            "all": {"label": request.env._("All"), "domain": []},
            "active": {"label": request.env._("Active"), "domain": [("state", "=", "active")]},
            "draft": {"label": request.env._("Waiting for the Order Signature"), "domain": [("state", "=", "draft")]},
            "done": {"label": request.env._("Done or Terminated"), "domain": [("state", "in", ("done", "terminated"))]},
        }
        inputs = {
            "name": {"label": request.env._("Search in Reference"), "domain": lambda s: [("name", "ilike", s)]},
            "tender": {
                "label": request.env._("Search in Tender"),
                "domain": lambda s: [("tender_id.name", "ilike", s)],
            },
        }
        kw["page"] = page
        return self._lbc_render_list(
            "lbc_tender.portal_my_lbc_missions",
            "lbc.mission",
            "/my/missions",
            [],
            kw,
            "missions",
            "lbc_mission",
            sortings=sortings,
            filters=filters,
            inputs=inputs,
            messages=MESSAGES,
        )

    def _lbc_mission_page_values(self, mission, **kw):
        """The values of a mission's page; lbc_erp_provider adds its activity reports."""
        company = self._lbc_company()
        values = self._get_page_view_values(
            mission, None, self._lbc_values("lbc_mission", kw, MESSAGES), "my_missions_history", False, **kw
        )
        values.update(
            {
                "mission": mission,
                "is_client": mission.client_id == company,
                "is_provider": mission.provider_id == company,
                "is_consultant": mission.consultant_id == request.env.user.partner_id,
                "error": None,
            }
        )
        return values

    @http.route("/my/missions/<int:mission_id>", type="http", auth="user", website=True, readonly=lbc_readonly_get)
    def portal_my_mission(self, mission_id, **kw):
        try:
            mission = self._lbc_record("lbc.mission", mission_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return request.render("lbc_tender.portal_my_lbc_mission", self._lbc_mission_page_values(mission, **kw))
