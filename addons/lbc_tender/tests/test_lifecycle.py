from datetime import timedelta

from odoo import fields
from odoo.addons.lbc_base.tests.common import LbcBaseCommon
from odoo.exceptions import UserError


class TestLifecycleMission(LbcBaseCommon):
    """lbc_base's account lifecycle with missions (lbc_tender's deletion blockers)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member = cls.client_a_buyer.partner_id

    def test_deletion_refused_while_a_mission_runs(self):
        consultant = self.provider_a_consultant.partner_id
        mission = (
            self.env["lbc.mission"]
            .sudo()
            .create(
                {
                    "client_id": self.client_a.id,
                    "provider_id": self.provider_a.id,
                    "consultant_id": consultant.id,
                    "date_start": fields.Date.today(),
                    "date_end": fields.Date.today() + timedelta(days=60),
                    "daily_rate": 600,
                    "fee_mode": "percent",
                    "fee_value": 5,
                }
            )
        )
        mission._set_state("active")
        with self.assertRaisesRegex(UserError, "consultant of the running mission"):
            consultant.with_user(self.provider_a_consultant).action_lbc_request_deletion()
        with self.assertRaisesRegex(UserError, "only administrator of Provider A"):
            self.provider_a_admin.partner_id.with_user(self.provider_a_admin).action_lbc_request_deletion()
        with self.assertRaisesRegex(UserError, "only administrator of Client A"):
            self.client_a_admin.partner_id.with_user(self.client_a_admin).action_lbc_request_deletion()
        self.assertFalse(consultant.lbc_deletion_requested_date)
        # a member without a running contract may leave
        self.member.with_user(self.client_a_buyer).action_lbc_request_deletion()
        self.assertTrue(self.member.lbc_deletion_requested_date)
        # the mission ends: the consultant may leave
        mission._set_state("done")
        consultant.with_user(self.provider_a_consultant).action_lbc_request_deletion()
        self.assertTrue(consultant.lbc_deletion_requested_date)
