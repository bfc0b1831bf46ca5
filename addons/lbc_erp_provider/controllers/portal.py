"""Portal pages of the provider's ERP: the monthly activity reports (CRA calendar) of a mission, their
approval, and the dashboard (the provider's side; lbc_erp_client adds the client's).

Extends lbc_tender's mission page (its reports, the months its consultant fills) by subclassing its controller,
as Odoo's `hr_timesheet` extends `project`'s pages. Every read and action runs with the member's own rights.
"""

import json
from datetime import date, datetime, timedelta

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.addons.lbc_base.controllers.portal import BUSINESS_ERRORS
from odoo.addons.lbc_base.controllers.readonly import lbc_readonly_get
from odoo.addons.lbc_tender.controllers.portal import LbcTenderPortal
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
MESSAGES = {
    "report_saved": _lt("Your days are saved."),
    "report_submitted": _lt("The report is submitted to your company for approval."),
    "report_approved": _lt("The report is approved and sent to the client."),
    "report_validated": _lt("The report is validated: the invoices are issued."),
    "report_rejected": _lt("The report was sent back to the consultant."),
}


class LbcErpProviderPortal(LbcTenderPortal):
    def _lbc_reports_to_act_domain(self):
        return request.env["lbc.activity.report"]._lbc_to_act_domain()

    # ------------------------------------------------------------------ /my counters
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "lbc_report_count" in counters:
            Report = request.env["lbc.activity.report"]
            values["lbc_report_count"] = (
                Report.search_count(self._lbc_reports_to_act_domain()) if Report.has_access("read") else 0
            )
        return values

    # ------------------------------------------------------------------ the mission page: its reports
    @staticmethod
    def _lbc_months(date_from, date_to):
        months, current = [], date_from.replace(day=1)
        while current <= date_to:
            months.append(current)
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
        return months

    def _lbc_mission_page_values(self, mission, **kw):
        values = super()._lbc_mission_page_values(mission, **kw)
        is_consultant = request.env.user.partner_id in mission._lbc_consultants()
        values.update(
            {
                "is_consultant": is_consultant,
                "reports": request.env["lbc.activity.report"].search([("mission_id", "=", mission.id)]),
                "months": self._lbc_months(mission.date_start, mission.date_end) if is_consultant else [],
                "error": kw.get("error") and request.env._("This month is outside the mission."),
            }
        )
        return values

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
            # not the mission's consultant: the page does not exist for it
            raise NotFound() from e
        except BUSINESS_ERRORS:
            return request.redirect(f"/my/missions/{mission.id}?error=month")
        return request.redirect(f"/my/reports/{report_id}")

    # ------------------------------------------------------------------ activity reports (CRA)
    @http.route(
        ["/my/reports", "/my/reports/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=lbc_readonly_get,
    )
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
            "lbc_erp_provider.portal_my_lbc_reports",
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
        allowed = report._lbc_allowed_actions()
        values = self._get_page_view_values(
            report, None, self._lbc_values("lbc_report", kw, MESSAGES), "my_reports_history", False, **kw
        )
        values.update(
            {
                "report": report,
                "days": days,
                "leading_blanks": days[0]["date"].weekday(),
                "lbc_editable": "edit" in allowed and report.consultant_id == user.partner_id,
                "can_approve": "approve" in allowed,
                "can_validate": "validate" in allowed,
                "invoices": request.env["account.move"].search([("lbc_activity_report_ids", "=", report.id)]),
                "error": error,
            }
        )
        return values

    @http.route("/my/reports/<int:report_id>", type="http", auth="user", website=True, readonly=lbc_readonly_get)
    def portal_my_report(self, report_id, **kw):
        try:
            report = self._lbc_record("lbc.activity.report", report_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return request.render("lbc_erp_provider.portal_my_lbc_report", self._lbc_report_values(report, **kw))

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

    def _lbc_report_action(self, report_id, action, msg, typed=None):
        return self._lbc_act(
            "lbc.activity.report",
            report_id,
            action,
            lambda report, error: request.render(
                "lbc_erp_provider.portal_my_lbc_report", self._lbc_report_values(report, error=error, typed=typed)
            ),
            lambda report: f"/my/reports/{report.id}?msg={msg}",
        )

    @http.route("/my/reports/<int:report_id>/save", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_report_save(self, report_id, **post):
        def save(report):
            report.action_save_days(self._lbc_report_grid_days(report, post))
            if post.get("submit"):
                report.action_submit()

        msg = "report_submitted" if post.get("submit") else "report_saved"
        return self._lbc_report_action(report_id, save, msg, typed=post)

    @http.route("/my/reports/<int:report_id>/approve", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_report_approve(self, report_id, **post):
        return self._lbc_report_action(report_id, lambda r: r.action_approve(), "report_approved")

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

    def _lbc_dashboard_values(self, data):
        """The dashboard's values from the model's data (`res.partner.lbc_dashboard_data`); lbc_erp_client adds
        the client's side."""
        if "provider" not in data:
            return {}
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

    @http.route("/my/dashboard", type="http", auth="user", website=True, readonly=lbc_readonly_get)
    def portal_my_dashboard(self, **kw):
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
        data = request.env["res.partner"].lbc_dashboard_data(month=today)
        values = self._lbc_values(
            "lbc_dashboard", company=self._lbc_company(), dashboard_month=today, **self._lbc_dashboard_values(data)
        )
        return request.render("lbc_erp_provider.portal_my_lbc_dashboard", values)
