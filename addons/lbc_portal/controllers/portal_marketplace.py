"""Marketplace and ERP pages of the member portal: tenders, bids, referencing lists, missions,
monthly activity reports (CRA calendar), suppliers and dashboards.

Every read and every action runs with the member's own rights: record rules decide what a member sees,
the models' `action_*` methods decide what a member may do. `_document_check_access` is only used as the
gate of a detail page; the page then reads the record again as the member (never the sudo copy).
"""

import base64
import json
from datetime import date, datetime, timedelta

import pytz
from werkzeug.exceptions import NotFound

from odoo import Command, fields, http
from odoo.addons.lbc_base.controllers.portal import LbcPortal
from odoo.addons.lbc_tender.models.lbc_tender_bid import CV_MAX_FILES as BID_CV_MAX_FILES
from odoo.addons.lbc_tender.models.lbc_tender_bid import CV_MAX_SIZE as BID_CV_MAX_SIZE
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import html2plaintext, plaintext2html
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
FORM_ERRORS = (UserError, ValidationError, AccessError)
# the bid model checks the CVs (count, size, content); the page only bounds what it reads of an upload
CV_MAX_SIZE = BID_CV_MAX_SIZE
CV_MAX_FILES = BID_CV_MAX_FILES
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
    "list_created": _lt("The referencing list was created."),
    "provider_added": _lt("The provider was added to the list."),
    "provider_removed": _lt("The provider was removed from the list."),
    "report_saved": _lt("Your days are saved."),
    "report_submitted": _lt("The report is submitted to your company for approval."),
    "report_approved": _lt("The report is approved and sent to the client."),
    "report_validated": _lt("The report is validated: the invoices are issued."),
    "report_rejected": _lt("The report was sent back to the consultant."),
}


class LbcMarketplacePortal(LbcPortal):
    # ------------------------------------------------------------------ helpers

    def _lbc_reports_to_act_domain(self):
        return request.env["lbc.activity.report"]._lbc_to_act_domain()

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
        if "lbc_report_count" in counters:
            Report = env["lbc.activity.report"]
            values["lbc_report_count"] = (
                Report.search_count(self._lbc_reports_to_act_domain()) if Report.has_access("read") else 0
            )
        if "lbc_referencing_count" in counters:
            Lists = env["lbc.referencing.list"]
            values["lbc_referencing_count"] = (
                Lists.search_count([("client_id", "=", company.id)])
                if company.lbc_is_client and Lists.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------------ generic list

    # ------------------------------------------------------------------ tenders (client)
    @http.route(["/my/tenders", "/my/tenders/page/<int:page>"], type="http", auth="user", website=True)
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
            "lbc_portal.portal_my_lbc_tenders",
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

    def _lbc_tender_form_values(self, tender=None, form=None, error=None):
        env = request.env
        company = self._lbc_company()
        if form is None:
            form = {}
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
                    "referencing_list_ids": tender.referencing_list_ids.ids,
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
                    "referencing_list_ids": [],
                }
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "lbc_tender_form",
                "tender": tender,
                "form": form,
                "error": error,
                "skills": env["lbc.skill"].search([]),
                "referencing_lists": env["lbc.referencing.list"].search([("client_id", "=", company.id)]),
                "remote_policies": env["lbc.tender"]._fields["remote_policy"]._description_selection(env),
                "audiences": env["lbc.tender"]._fields["audience"]._description_selection(env),
            }
        )
        return values

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
            "referencing_list_ids": [
                int(s) for s in request.httprequest.form.getlist("referencing_list_ids") if s.isdigit()
            ],
        }
        errors = []
        vals = {
            "name": form["name"],
            "description": plaintext2html(form["description"]) if form["description"] else False,
            "skill_ids": [Command.set(form["skill_ids"])],
            "location": form["location"] or False,
            "show_max_rate": form["show_max_rate"],
            "sealed": form["sealed"],
            "referencing_list_ids": [Command.set(form["referencing_list_ids"])],
        }
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

    @http.route("/my/tenders/new", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_my_tender_new(self, **post):
        company = self._lbc_company()
        if not company.lbc_is_client:
            raise NotFound()
        if request.httprequest.method == "GET":
            return request.render("lbc_portal.portal_my_lbc_tender_form", self._lbc_tender_form_values())
        form, vals, errors = self._lbc_parse_tender_form(post)
        if errors:
            return request.render(
                "lbc_portal.portal_my_lbc_tender_form", self._lbc_tender_form_values(form=form, error="\n".join(errors))
            )
        vals["client_id"] = company.id
        try:
            with request.env.cr.savepoint():
                tender = request.env["lbc.tender"].create(vals)
                if post.get("publish"):
                    tender.action_publish()
        except FORM_ERRORS as e:
            return request.render(
                "lbc_portal.portal_my_lbc_tender_form", self._lbc_tender_form_values(form=form, error=e.args[0])
            )
        return request.redirect(f"/my/tenders/{tender.id}?msg={'published' if post.get('publish') else 'created'}")

    @http.route("/my/tenders/<int:tender_id>/edit", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_my_tender_edit(self, tender_id, **post):
        try:
            tender = self._lbc_record("lbc.tender", tender_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if tender.client_id != self._lbc_company() or tender.state != "draft":
            return request.redirect(f"/my/tenders/{tender.id}")
        if request.httprequest.method == "GET":
            return request.render("lbc_portal.portal_my_lbc_tender_form", self._lbc_tender_form_values(tender))
        form, vals, errors = self._lbc_parse_tender_form(post)
        if errors:
            return request.render(
                "lbc_portal.portal_my_lbc_tender_form",
                self._lbc_tender_form_values(tender, form=form, error="\n".join(errors)),
            )
        try:
            with request.env.cr.savepoint():
                tender.write(vals)
                if post.get("publish"):
                    tender.action_publish()
        except FORM_ERRORS as e:
            return request.render(
                "lbc_portal.portal_my_lbc_tender_form", self._lbc_tender_form_values(tender, form=form, error=e.args[0])
            )
        return request.redirect(f"/my/tenders/{tender.id}?msg={'published' if post.get('publish') else 'saved'}")

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
        values = self._prepare_portal_layout_values()
        values = self._get_page_view_values(tender, None, values, "my_tenders_history", False, **kw)
        values.update(
            {
                "page_name": "lbc_tender" if is_client else "lbc_tender_search",
                "tender": tender,
                "is_client": is_client,
                "bids": bids,
                "my_bid": my_live_bid,
                "can_bid": can_bid,
                "has_selection": bool(bids.filtered(lambda b: b.state in ("selected", "approved", "contracted"))),
                "sealed_hidden": is_client and not tender._lbc_bids_are_open(),
                "error": error,
                "lbc_message": self._lbc_message(kw, MESSAGES),
            }
        )
        return values

    @http.route("/my/tenders/<int:tender_id>", type="http", auth="user", website=True)
    def portal_my_tender(self, tender_id, **kw):
        try:
            tender = self._lbc_record("lbc.tender", tender_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return request.render("lbc_portal.portal_my_lbc_tender", self._lbc_tender_page_values(tender, **kw))

    def _lbc_tender_action(self, tender_id, action, msg, **post):
        try:
            tender = self._lbc_record("lbc.tender", tender_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            with request.env.cr.savepoint():
                action(tender)
        except FORM_ERRORS as e:
            return request.render(
                "lbc_portal.portal_my_lbc_tender", self._lbc_tender_page_values(tender, error=e.args[0])
            )
        return request.redirect(f"/my/tenders/{tender.id}?msg={msg}")

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
    @http.route(["/my/tenders/search", "/my/tenders/search/page/<int:page>"], type="http", auth="user", website=True)
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
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "lbc_tender_search",
                "tenders": tenders,
                "pager": pager,
                "default_url": "/my/tenders/search",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "skills": env["lbc.skill"].search([]),
                "criteria": {
                    "search": text,
                    "skill_ids": skill_ids,
                    "location": location,
                    "remote_policy": remote or "",
                    "min_rate": kw.get("min_rate") or "",
                    "start_before": start_before or "",
                },
                "remote_policies": Tender._fields["remote_policy"]._description_selection(env),
                # sudo: the member's own company only, to tell it what keeps it from the marketplace
                "tender_access_missing": company.lbc_is_provider and company.sudo()._lbc_tender_access_missing(),
                "error": error,
            }
        )
        return request.render("lbc_portal.portal_lbc_tender_search", values)

    # ------------------------------------------------------------------ bids (providers)
    def _lbc_bid_form_values(self, tender, form=None, error=None):
        company = self._lbc_company()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "lbc_tender_search",
                "tender": tender,
                "consultants": company.lbc_member_ids,
                "form": form
                or {
                    "consultant_id": request.env.user.partner_id.id,
                    "available_from": tender.date_start.isoformat(),
                },
                "error": error,
                "cv_max_mb": CV_MAX_SIZE // (1024 * 1024),
            }
        )
        return values

    def _lbc_read_cvs(self):
        """[(name, base64)] of the uploaded CVs, read up to the size cap (the bid's `action_attach_cv` checks
        the count, the size and the content)."""
        files = [f for f in request.httprequest.files.getlist("cv_files") if f and f.filename]
        if len(files) > CV_MAX_FILES:
            raise ValidationError(request.env._("Attach at most %(count)s files.", count=CV_MAX_FILES))
        result = []
        for upload in files:
            content = upload.read(CV_MAX_SIZE + 1)
            if len(content) > CV_MAX_SIZE:  # not read further: the model would refuse it anyway
                raise ValidationError(
                    request.env._(
                        "%(file)s is larger than %(size)s MB.",
                        file=upload.filename,
                        size=max(CV_MAX_SIZE // (1024 * 1024), 1),
                    )
                )
            result.append((upload.filename, base64.b64encode(content)))
        return result

    @http.route("/my/tenders/<int:tender_id>/bid", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_tender_bid(self, tender_id, **post):
        try:
            tender = self._lbc_record("lbc.tender", tender_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        company = self._lbc_company()
        if not company.lbc_is_provider or tender.client_id == company:
            return request.redirect(f"/my/tenders/{tender.id}")
        if request.httprequest.method == "GET":
            return request.render("lbc_portal.portal_lbc_bid_form", self._lbc_bid_form_values(tender))
        form = {
            "consultant_id": int(post["consultant_id"]) if (post.get("consultant_id") or "").isdigit() else False,
            "daily_rate": post.get("daily_rate") or "",
            "available_from": post.get("available_from") or "",
            "message": post.get("message") or "",
            "labour_law_ack": bool(post.get("labour_law_ack")),
        }
        try:
            if form["consultant_id"] not in company.lbc_member_ids.ids:
                raise ValidationError(request.env._("Choose the consultant among your company's members."))
            try:
                rate = float(form["daily_rate"])
            except ValueError as e:
                raise ValidationError(request.env._("The daily rate must be a number.")) from e
            try:
                available = date.fromisoformat(form["available_from"])
            except ValueError as e:
                raise ValidationError(request.env._("Give the date from which the consultant is available.")) from e
            if not form["labour_law_ack"]:
                raise ValidationError(
                    request.env._(
                        "Tick the labour-law acknowledgement: your company keeps the authority over its consultant "
                        "(no illicit lending of labour, no 'marchandage')."
                    )
                )
            cvs = self._lbc_read_cvs()
            with request.env.cr.savepoint():
                bid = request.env["lbc.tender.bid"].create(
                    {
                        "tender_id": tender.id,
                        "provider_id": company.id,
                        "consultant_id": form["consultant_id"],
                        "daily_rate": rate,
                        "available_from": available,
                        "message": form["message"],
                        "labour_law_ack": form["labour_law_ack"],
                    }
                )
                for name, datas in cvs:
                    bid.action_attach_cv(name, datas)
                bid.action_submit()
        except FORM_ERRORS as e:
            return request.render("lbc_portal.portal_lbc_bid_form", self._lbc_bid_form_values(tender, form, e.args[0]))
        return request.redirect(f"/my/bids/{bid.id}?msg=submitted")

    @http.route(["/my/bids", "/my/bids/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_bids(self, page=1, **kw):
        company = self._lbc_company()
        sortings = {
            "date": {"label": request.env._("Newest"), "order": "create_date desc, id desc"},
            "rate": {"label": request.env._("Daily Rate"), "order": "daily_rate asc, id desc"},
            "tender": {"label": request.env._("Tender"), "order": "tender_id, id desc"},
        }
        filters = {
            "all": {"label": request.env._("All"), "domain": []},
            "live": {
                "label": request.env._("Live"),
                "domain": [("state", "in", ("draft", "submitted", "selected", "approved"))],
            },
            "won": {"label": request.env._("Won"), "domain": [("state", "=", "contracted")]},
            "closed": {
                "label": request.env._("Rejected or Withdrawn"),
                "domain": [("state", "in", ("rejected", "withdrawn"))],
            },
        }
        inputs = {
            "tender": {
                "label": request.env._("Search in Tender"),
                "domain": lambda s: [("tender_id.name", "ilike", s)],
            },
        }
        kw["page"] = page
        return self._lbc_render_list(
            "lbc_portal.portal_my_lbc_bids",
            "lbc.tender.bid",
            "/my/bids",
            [("provider_id", "=", company.id)],
            kw,
            "bids",
            "lbc_bid",
            sortings=sortings,
            filters=filters,
            inputs=inputs,
            messages=MESSAGES,
        )

    def _lbc_bid_page_values(self, bid, error=None, **kw):
        company = self._lbc_company()
        values = self._prepare_portal_layout_values()
        values = self._get_page_view_values(bid, None, values, "my_bid_history", False, **kw)
        is_provider = bid.provider_id == company
        values.update(
            {
                "page_name": "lbc_bid",
                "bid": bid,
                "is_provider": is_provider,
                "is_client": bid.client_id == company,
                "attachments": self._lbc_bid_attachments(bid),
                "error": error,
                "lbc_message": self._lbc_message(kw, MESSAGES),
            }
        )
        return values

    def _lbc_bid_attachments(self, bid):
        """[(name, download url)] of the bid's CVs. `bid` was checked readable by the member
        (`_lbc_mk_record`); portal members have no ACL on ir.attachment, hence the sudo and the access tokens."""
        bid.check_access("read")
        return [
            (att.name, f"/web/content/{att.id}?access_token={att.generate_access_token()[0]}&download=true")
            for att in bid.sudo().attachment_ids
        ]

    @http.route("/my/bids/<int:bid_id>", type="http", auth="user", website=True)
    def portal_my_bid(self, bid_id, **kw):
        try:
            bid = self._lbc_record("lbc.tender.bid", bid_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return request.render("lbc_portal.portal_my_lbc_bid", self._lbc_bid_page_values(bid, **kw))

    def _lbc_bid_action(self, bid_id, action, msg, back_to_tender=False):
        try:
            bid = self._lbc_record("lbc.tender.bid", bid_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            with request.env.cr.savepoint():
                action(bid)
        except FORM_ERRORS as e:
            if back_to_tender:
                tender = request.env["lbc.tender"].browse(bid.tender_id.id)
                return request.render(
                    "lbc_portal.portal_my_lbc_tender", self._lbc_tender_page_values(tender, error=e.args[0])
                )
            return request.render("lbc_portal.portal_my_lbc_bid", self._lbc_bid_page_values(bid, error=e.args[0]))
        if back_to_tender:
            return request.redirect(f"/my/tenders/{bid.tender_id.id}?msg={msg}")
        return request.redirect(f"/my/bids/{bid.id}?msg={msg}")

    @http.route("/my/bids/<int:bid_id>/withdraw", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_bid_withdraw(self, bid_id, **post):
        return self._lbc_bid_action(bid_id, lambda b: b.action_withdraw(), "withdrawn")

    @http.route("/my/bids/<int:bid_id>/select", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_bid_select(self, bid_id, **post):
        return self._lbc_bid_action(bid_id, lambda b: b.action_select(), "selected", back_to_tender=True)

    @http.route("/my/bids/<int:bid_id>/reject", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_bid_reject(self, bid_id, reason=None, **post):
        return self._lbc_bid_action(bid_id, lambda b: b.action_reject(reason=reason), "rejected", back_to_tender=True)

    # ------------------------------------------------------------------ referencing lists (clients)
    @http.route(["/my/referencing", "/my/referencing/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_referencing(self, page=1, error=None, typed_name=None, **kw):
        company = self._lbc_company()
        if not company.lbc_is_client:
            raise NotFound()
        sortings = {
            "name": {"label": request.env._("Name"), "order": "name asc, id asc"},
            "date": {"label": request.env._("Newest"), "order": "create_date desc, id desc"},
        }
        filters = {"all": {"label": request.env._("All"), "domain": []}}
        inputs = {"name": {"label": request.env._("Search in Name"), "domain": lambda s: [("name", "ilike", s)]}}
        kw["page"] = page
        return self._lbc_render_list(
            "lbc_portal.portal_my_lbc_referencing_lists",
            "lbc.referencing.list",
            "/my/referencing",
            [("client_id", "=", company.id)],
            kw,
            "referencing_lists",
            "lbc_referencing",
            sortings=sortings,
            filters=filters,
            inputs=inputs,
            messages=MESSAGES,
            extra={"error": error, "typed_name": typed_name or ""},
        )

    @http.route("/my/referencing/new", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_referencing_new(self, name=None, **post):
        company = self._lbc_company()
        if not company.lbc_is_client:
            raise NotFound()
        name = (name or "").strip()
        try:
            with request.env.cr.savepoint():
                ref_list = request.env["lbc.referencing.list"].create({"name": name, "client_id": company.id})
        except FORM_ERRORS as e:
            return self.portal_my_referencing(error=e.args[0], typed_name=name)
        return request.redirect(f"/my/referencing/{ref_list.id}?msg=list_created")

    def _lbc_referencing_values(self, ref_list, error=None, typed=None, **kw):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "lbc_referencing",
                "ref_list": ref_list,
                "providers": ref_list.provider_ids,
                "error": error,
                "typed": typed or "",
                "lbc_message": self._lbc_message(kw, MESSAGES),
            }
        )
        return values

    @http.route("/my/referencing/<int:list_id>", type="http", auth="user", website=True)
    def portal_my_referencing_list(self, list_id, **kw):
        try:
            ref_list = self._lbc_record("lbc.referencing.list", list_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return request.render("lbc_portal.portal_my_lbc_referencing_list", self._lbc_referencing_values(ref_list, **kw))

    @http.route("/my/referencing/<int:list_id>/add", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_referencing_add(self, list_id, provider_name=None, **post):
        try:
            ref_list = self._lbc_record("lbc.referencing.list", list_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        typed = (provider_name or "").strip()
        try:
            with request.env.cr.savepoint():
                ref_list.action_add_provider(typed)
        except FORM_ERRORS as e:
            return request.render(
                "lbc_portal.portal_my_lbc_referencing_list",
                self._lbc_referencing_values(ref_list, error=e.args[0], typed=typed),
            )
        return request.redirect(f"/my/referencing/{ref_list.id}?msg=provider_added")

    @http.route("/my/referencing/<int:list_id>/remove", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_referencing_remove(self, list_id, provider_id=None, **post):
        try:
            ref_list = self._lbc_record("lbc.referencing.list", list_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            provider_id = int(provider_id or 0)
            with request.env.cr.savepoint():
                ref_list.action_remove_provider(provider_id)
        except (ValueError, *FORM_ERRORS) as e:
            return request.render(
                "lbc_portal.portal_my_lbc_referencing_list",
                self._lbc_referencing_values(ref_list, error=str(e.args[0])),
            )
        return request.redirect(f"/my/referencing/{ref_list.id}?msg=provider_removed")

    # ------------------------------------------------------------------ suppliers (clients)
    @http.route("/my/suppliers", type="http", auth="user", website=True)
    def portal_my_suppliers(self, **kw):
        company = self._lbc_company()
        if not company.lbc_is_client:
            raise NotFound()
        providers, active_missions = company.with_env(request.env)._lbc_suppliers()
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "lbc_suppliers", "providers": providers, "active_missions": active_missions})
        return request.render("lbc_portal.portal_my_lbc_suppliers", values)

    # ------------------------------------------------------------------ missions
    @http.route(["/my/missions", "/my/missions/page/<int:page>"], type="http", auth="user", website=True)
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
            "lbc_portal.portal_my_lbc_missions",
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

    @staticmethod
    def _lbc_months(date_from, date_to):
        months, current = [], date_from.replace(day=1)
        while current <= date_to:
            months.append(current)
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
        return months

    @http.route("/my/missions/<int:mission_id>", type="http", auth="user", website=True)
    def portal_my_mission(self, mission_id, **kw):
        try:
            mission = self._lbc_record("lbc.mission", mission_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        company = self._lbc_company()
        partner = request.env.user.partner_id
        is_consultant = partner in mission._lbc_consultants()
        values = self._prepare_portal_layout_values()
        values = self._get_page_view_values(mission, None, values, "my_missions_history", False, **kw)
        values.update(
            {
                "page_name": "lbc_mission",
                "mission": mission,
                "is_client": mission.client_id == company,
                "is_provider": mission.provider_id == company,
                "is_consultant": is_consultant,
                "reports": request.env["lbc.activity.report"].search([("mission_id", "=", mission.id)]),
                "months": self._lbc_months(mission.date_start, mission.date_end) if is_consultant else [],
                "error": kw.get("error") and request.env._("This month is outside the mission."),
            }
        )
        return request.render("lbc_portal.portal_my_lbc_mission", values)

    @http.route(
        "/my/missions/<int:mission_id>/report/<string:month>", type="http", auth="user", website=True, methods=["GET"]
    )
    def portal_my_mission_report(self, mission_id, month, **kw):
        """The consultant's report of the month: opened, or created as the consultant on first visit."""
        try:
            mission = self._lbc_record("lbc.mission", mission_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            period = datetime.strptime(month, "%Y-%m").date()
        except ValueError as e:
            raise NotFound() from e
        try:
            with request.env.cr.savepoint():
                report_id = mission.action_lbc_open_report(period)
        except AccessError as e:
            raise NotFound() from e
        except FORM_ERRORS:
            return request.redirect(f"/my/missions/{mission.id}?error=month")
        return request.redirect(f"/my/reports/{report_id}")

    # ------------------------------------------------------------------ activity reports (CRA)
    @http.route(["/my/reports", "/my/reports/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_reports(self, page=1, **kw):
        sortings = {
            "period": {"label": request.env._("Month"), "order": "period desc, id desc"},
            "mission": {"label": request.env._("Mission"), "order": "mission_id, period desc"},
            "state": {"label": request.env._("Status"), "order": "state, period desc"},
        }
        filters = {
            "to_act": {"label": request.env._("To Act On"), "domain": self._lbc_reports_to_act_domain()},
            "all": {"label": request.env._("All"), "domain": []},
        }
        for state, label in request.env["lbc.activity.report"]._fields["state"]._description_selection(request.env):
            filters[state] = {"label": label, "domain": [("state", "=", state)]}
        inputs = {
            "mission": {
                "label": request.env._("Search in Mission"),
                "domain": lambda s: [("mission_id.name", "ilike", s)],
            },
            "consultant": {
                "label": request.env._("Search in Consultant"),
                "domain": lambda s: [("consultant_id.name", "ilike", s)],
            },
        }
        kw["page"] = page
        if "filterby" not in kw:
            kw["filterby"] = "to_act"
        return self._lbc_render_list(
            "lbc_portal.portal_my_lbc_reports",
            "lbc.activity.report",
            "/my/reports",
            [],
            kw,
            "reports",
            "lbc_report",
            sortings=sortings,
            filters=filters,
            inputs=inputs,
            messages=MESSAGES,
        )

    def _lbc_report_days(self, report, typed=None):
        """The report's calendar (the model's), showing what was typed when a save was refused."""
        days = report._lbc_calendar_days()
        if typed is not None:
            for day in days:
                key = day["key"]
                day.update(
                    {
                        "quantity": typed.get(f"qty_{key}", ""),
                        "off": bool(typed.get(f"off_{key}")),
                        "comment": typed.get(f"comment_{key}", ""),
                    }
                )
        return days

    def _lbc_report_values(self, report, error=None, typed=None, **kw):
        user = request.env.user
        days = self._lbc_report_days(report, typed)
        first_weekday = days[0]["date"].weekday()
        values = self._prepare_portal_layout_values()
        values = self._get_page_view_values(report, None, values, "my_reports_history", False, **kw)
        allowed = report._lbc_allowed_actions()
        values.update(
            {
                "page_name": "lbc_report",
                "report": report,
                "days": days,
                "leading_blanks": first_weekday,
                "lbc_editable": "edit" in allowed and report.consultant_id == user.partner_id,
                "can_approve": "approve" in allowed,
                "can_validate": "validate" in allowed,
                "invoices": request.env["account.move"].search([("lbc_activity_report_ids", "=", report.id)]),
                "error": error,
                "lbc_message": self._lbc_message(kw, MESSAGES),
            }
        )
        return values

    @http.route("/my/reports/<int:report_id>", type="http", auth="user", website=True)
    def portal_my_report(self, report_id, **kw):
        try:
            report = self._lbc_record("lbc.activity.report", report_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return request.render("lbc_portal.portal_my_lbc_report", self._lbc_report_values(report, **kw))

    def _lbc_report_grid_days(self, report, post):
        """The calendar grid's days (one select, one flag and one comment per day of the mission) as the
        model's `action_save_days` takes them; the rules are the model's."""
        days = {}
        for day in report._lbc_calendar_days():
            key = day["key"]
            quantity = (post.get(f"qty_{key}") or "").strip()
            if day["in_mission"] and quantity:
                days[key] = {
                    "quantity": quantity,
                    "worked_off_day": bool(post.get(f"off_{key}")),
                    "comment": post.get(f"comment_{key}") or "",
                }
        return days

    @http.route("/my/reports/<int:report_id>/save", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_report_save(self, report_id, **post):
        try:
            report = self._lbc_record("lbc.activity.report", report_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            with request.env.cr.savepoint():
                report.action_save_days(self._lbc_report_grid_days(report, post))
                if post.get("submit"):
                    report.action_submit()
        except FORM_ERRORS as e:
            report.invalidate_recordset()
            return request.render(
                "lbc_portal.portal_my_lbc_report", self._lbc_report_values(report, error=e.args[0], typed=post)
            )
        return request.redirect(
            f"/my/reports/{report.id}?msg={'report_submitted' if post.get('submit') else 'report_saved'}"
        )

    def _lbc_report_action(self, report_id, action, msg):
        try:
            report = self._lbc_record("lbc.activity.report", report_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            with request.env.cr.savepoint():
                action(report)
        except FORM_ERRORS as e:
            report.invalidate_recordset()
            return request.render("lbc_portal.portal_my_lbc_report", self._lbc_report_values(report, error=e.args[0]))
        return request.redirect(f"/my/reports/{report.id}?msg={msg}")

    @http.route("/my/reports/<int:report_id>/approve", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_report_approve(self, report_id, **post):
        return self._lbc_report_action(report_id, lambda r: r.action_approve(), "report_approved")

    @http.route("/my/reports/<int:report_id>/validate", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_report_validate(self, report_id, **post):
        return self._lbc_report_action(report_id, lambda r: r.action_validate(), "report_validated")

    @http.route("/my/reports/<int:report_id>/reject", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_report_reject(self, report_id, reason=None, **post):
        return self._lbc_report_action(report_id, lambda r: r.action_reject(reason=reason), "report_rejected")

    # ------------------------------------------------------------------ dashboard
    def _lbc_chart(self, kind, labels, datasets):
        return json.dumps(
            {
                "type": kind,
                "data": {"labels": labels, "datasets": datasets},
                "options": {"responsive": True, "maintainAspectRatio": False},
            }
        )

    def _lbc_provider_dashboard(self, data):
        provider = data["provider"]
        labels = [fields.Date.to_date(m).strftime("%m/%Y") for m in data["months"]]
        return {
            "provider_days_chart": self._lbc_chart(
                "bar",
                [name for name, _days in provider["days_per_consultant"]],
                [
                    {
                        "label": request.env._("Days this month"),
                        "data": [days for _name, days in provider["days_per_consultant"]],
                    }
                ],
            ),
            "provider_money_chart": self._lbc_chart(
                "line",
                labels,
                [
                    {"label": request.env._("Revenue (excl. tax)"), "data": provider["revenue"]},
                    {"label": request.env._("LBC fees (excl. tax)"), "data": provider["fees"]},
                ],
            ),
            "provider_days_total": provider["days_total"],
            "provider_unpaid_count": provider["unpaid_count"],
            "provider_unpaid_amount": provider["unpaid_amount"],
        }

    def _lbc_client_dashboard(self, data):
        client = data["client"]
        labels = [fields.Date.to_date(m).strftime("%m/%Y") for m in data["months"]]
        datasets = [{"label": name, "data": amounts} for name, amounts in client["spend_per_provider"]]
        return {
            "client_spend_chart": self._lbc_chart("bar", labels, datasets),
            "client_active_missions": client["active_missions"],
            "client_reports_waiting": client["reports_waiting"],
        }

    @http.route("/my/dashboard", type="http", auth="user", website=True)
    def portal_my_dashboard(self, **kw):
        company = self._lbc_company()
        today = fields.Date.context_today(request.env.user)
        month = kw.get("month") or ""
        if (
            len(month) == 7
            and month[:4].isdigit()
            and month[4] == "-"
            and month[5:].isdigit()
            and 1 <= int(month[5:]) <= 12
        ):
            # the month the dashboard looks at (its charts show the twelve months up to it)
            today = date(int(month[:4]), int(month[5:]), 1)
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "lbc_dashboard", "company": company, "dashboard_month": today})
        data = request.env["res.partner"].lbc_dashboard_data(month=today)
        if "provider" in data:
            values.update(self._lbc_provider_dashboard(data))
        if "client" in data:
            values.update(self._lbc_client_dashboard(data))
        return request.render("lbc_portal.portal_my_lbc_dashboard", values)
