from datetime import date, timedelta

from odoo import fields
from odoo.addons.lbc_tender.tests.common import LbcTenderCommon
from odoo.exceptions import UserError

START = date(2027, 3, 1)  # a Monday; Easter Monday 2027 is March 29


class LbcErpCommon(LbcTenderCommon):
    """An active mission of provider A (consultant) for client A at 650 EUR a day from March 2027."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client_a_buyer.partner_id.with_user(cls.client_a_admin).action_lbc_grant_role("cra_approver")
        cls.provider_approver = cls._create_member(
            cls.provider_a, "provider_a_approver", "sales_manager", ["cra_approver"]
        )
        cls.other_consultant = cls._create_member(cls.provider_a, "provider_a_other", "consultant")
        cls.mission = cls._active_mission(cls.provider_a, cls.provider_a_admin, cls.provider_a_consultant, rate=650)

    @classmethod
    def _active_mission(cls, provider, admin, consultant, rate):
        now = fields.Datetime.now()
        tender = (
            cls.env["lbc.tender"]
            .with_user(cls.client_a_buyer)
            .create(cls._tender_vals(date_start=START, duration_days=60, deadline=now + timedelta(days=5)))
        )
        tender.action_publish()
        bid = (
            cls.env["lbc.tender.bid"]
            .with_user(admin)
            .create(
                {
                    "tender_id": tender.id,
                    "provider_id": provider.id,
                    "consultant_id": consultant.partner_id.id,
                    "daily_rate": rate,
                    "available_from": START,
                    "labour_law_ack": True,
                }
            )
        )
        bid.action_submit()
        tender.sudo().write({"deadline": now - timedelta(minutes=1)})
        cls.env["lbc.tender"]._lbc_close_past_deadline()
        bid.with_user(cls.client_a_buyer).action_select()
        cls._make_provider_contractable(provider)
        bid.with_user(cls.operator).action_approve()
        mission = bid.with_user(cls.operator).action_contract()
        mission.sale_order_id.action_confirm()
        return mission

    @classmethod
    def _make_provider_contractable(cls, provider):
        try:
            provider._lbc_compliance_gate()
        except UserError:
            LbcTenderCommon._make_compliant(cls, provider)
        if not provider.lbc_role_ids.filtered(lambda r: r.role == "signatory" and r.verification_state == "verified"):
            LbcTenderCommon._verify_signatory(cls, provider)

    @classmethod
    def working_days(cls, month_start, count, mission=None):
        """The first `count` working days from `month_start` in the working calendar of the mission (also
        from setUpClass, through the class)."""
        calendar = (mission or cls.mission)._lbc_calendar()
        return calendar._lbc_working_days(month_start, month_start + timedelta(days=2 * count + 14))[:count]

    def _report(self, mission=None, consultant=None, days=18.5, month=START, user=None):
        """A report of `days` days (whole days, then a half day) in `month`, submitted and approved."""
        mission = mission or self.mission
        consultant = consultant or self.provider_a_consultant
        whole = int(days)
        dates = self.working_days(month, whole + (1 if days - whole else 0))
        lines = [(0, 0, {"date": d, "quantity": 1.0}) for d in dates[:whole]]
        if days - whole:
            lines.append((0, 0, {"date": dates[-1], "quantity": 0.5}))
        report = (
            self.env["lbc.activity.report"]
            .with_user(user or consultant)
            .create(
                {
                    "mission_id": mission.id,
                    "consultant_id": consultant.partner_id.id,
                    "period": month,
                    "line_ids": lines,
                }
            )
        )
        return report.sudo()
