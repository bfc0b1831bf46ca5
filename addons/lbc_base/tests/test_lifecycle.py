import base64
import io
import json
import zipfile
from datetime import timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from markupsafe import Markup

from odoo import fields
from odoo.addons.lbc_base.models.lbc_security_report import LbcRateLimitError
from odoo.addons.lbc_base.models.res_partner_lifecycle import _privacy_replace_html, _privacy_replace_text
from odoo.exceptions import AccessDenied, AccessError, UserError, ValidationError
from odoo.modules import module as odoo_module
from odoo.tests import tagged

from .common import LbcBaseCommon


class TestLifecycle(LbcBaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member = cls.client_a_buyer.partner_id
        cls.member.sudo().phone = "+33 6 12 34 56 78"

    def _authenticate(self, user, password=None):
        credential = {"login": user.login, "password": password or user.login, "type": "password"}
        return self.env["res.users"].authenticate(credential, {"interactive": False})

    def _messages(self, partner):
        return self.env["mail.message"].search([("model", "=", "res.partner"), ("res_id", "=", partner.id)])

    # --- inactivity: 36 months, then 30 days -------------------------------------------------
    def test_inactivity_deactivates_after_36_months(self):
        now = fields.Datetime.now()
        # the admin signed in a month before the run: it stays active
        self.env.cr.execute(
            "INSERT INTO res_users_log (create_uid, write_uid, create_date, write_date) VALUES (%s, %s, %s, %s)",
            (self.client_a_admin.id, self.client_a_admin.id, now + relativedelta(months=35), now),
        )
        with freeze_time(now + relativedelta(months=36) - timedelta(days=1)):
            self.env["res.partner"]._lbc_process_inactivity()
        self.assertEqual(self.member.lbc_account_state, "active", "not yet 36 months")
        before = len(self._messages(self.member))
        with freeze_time(now + relativedelta(months=36, days=1)):
            self.env["res.partner"]._lbc_process_inactivity()
            self.env["res.partner"]._lbc_process_inactivity()  # safe to re-run
        self.assertEqual(self.member.lbc_account_state, "deactivated")
        self.assertEqual(self.member.lbc_deactivation_reason, "inactivity")
        self.assertEqual(self.client_a_admin.partner_id.lbc_account_state, "active")
        self.assertEqual(self.client_a.lbc_state, "draft", "the company is untouched")
        mails = self._messages(self.member)[: len(self._messages(self.member)) - before]
        self.assertTrue(
            mails.filtered(lambda m: "36 months" in str(m.body)), "the member is told by e-mail (and in the chatter)"
        )

    def test_inactivity_reactivated_by_signing_in_within_30_days(self):
        now = fields.Datetime.now()
        with freeze_time(now):
            self.member._lbc_deactivate("inactivity")
        with freeze_time(now + timedelta(days=29)):
            auth = self._authenticate(self.client_a_buyer)
        self.assertEqual(auth["uid"], self.client_a_buyer.id)
        self.assertEqual(self.member.lbc_account_state, "active")

    def test_inactivity_anonymised_after_30_days(self):
        now = fields.Datetime.now()
        with freeze_time(now):
            self.member._lbc_deactivate("inactivity")
        with freeze_time(now + timedelta(days=29)):
            self.env["res.partner"]._lbc_process_anonymisation()
        self.assertEqual(self.member.lbc_account_state, "deactivated", "still within the 30 days")
        with freeze_time(now + timedelta(days=31)):
            self.env["res.partner"]._lbc_process_anonymisation()
            with self.assertRaises(AccessDenied):
                self._authenticate(self.client_a_buyer)
            with self.assertRaises(UserError):
                self.member.with_user(self.operator).action_lbc_reactivate()
        self.assertEqual(self.member.lbc_account_state, "anonymised")

    # --- deletion by the member: 48 hours, 30 days -------------------------------------------------
    def test_deletion_deactivated_within_48_hours_then_anonymised(self):
        now = fields.Datetime.now()
        with freeze_time(now):
            self.member.with_user(self.client_a_buyer).action_lbc_request_deletion()
        self.assertEqual(self.member.lbc_account_state, "active")
        self.assertTrue(self.member.lbc_deletion_requested_date)
        with freeze_time(now + timedelta(hours=48)):
            self.env["res.partner"]._cron_lbc_lifecycle()
        self.assertEqual(self.member.lbc_account_state, "deactivated")
        self.assertEqual(self.member.lbc_deactivation_reason, "deletion")
        deactivated_on = self.member.lbc_deactivation_date
        self.assertLessEqual(deactivated_on - now, timedelta(hours=48))
        with freeze_time(deactivated_on + timedelta(days=31)):
            self.env["res.partner"]._cron_lbc_lifecycle()
        self.assertEqual(self.member.lbc_account_state, "anonymised")

    def test_deletion_reactivation_on_request_within_30_days(self):
        now = fields.Datetime.now()
        with freeze_time(now):
            self.member.with_user(self.client_a_buyer).action_lbc_request_deletion()
            self.env["res.partner"]._lbc_process_deletion_requests()
        self.assertEqual(self.member.lbc_account_state, "deactivated")
        with freeze_time(now + timedelta(days=20)):
            with self.assertRaises(AccessError):
                self.member.with_user(self.client_a_buyer).action_lbc_reactivate()
            with self.assertRaises(AccessDenied):
                self._authenticate(self.client_a_buyer)
            self.member.with_user(self.operator).action_lbc_reactivate()
        self.assertEqual(self.member.lbc_account_state, "active")
        self.assertFalse(self.member.lbc_deletion_requested_date)
        self.assertEqual(self._authenticate(self.client_a_buyer)["uid"], self.client_a_buyer.id)

    def test_deletion_only_of_own_account(self):
        with self.assertRaises(AccessError):
            self.member.with_user(self.client_a_admin).action_lbc_request_deletion()
        with self.assertRaises(UserError):
            self.member.with_user(self.client_a_buyer).write({"lbc_account_state": "deactivated"})

    # --- suspension for a breach: 8 days ---------------------------------------------------------
    def test_suspension_with_notice_then_termination_after_8_days(self):
        now = fields.Datetime.now()
        with self.assertRaises(AccessError):
            self.member.with_user(self.client_a_admin).action_lbc_suspend_member(reason="Spam")
        with freeze_time(now):
            self.member.with_user(self.operator).action_lbc_suspend_member(reason="Repeated spam", notice=True)
        self.assertEqual(self.member.lbc_account_state, "suspended")
        self.assertEqual(self.member.lbc_suspension_deadline, now + timedelta(days=8))
        self.assertTrue(self._messages(self.member).filtered(lambda m: "formal notice" in str(m.body)))
        with self.assertRaises(AccessDenied):
            self._authenticate(self.client_a_buyer)
        self.assertEqual(self.client_a.lbc_state, "draft", "the company and its missions go on")
        with freeze_time(now + timedelta(days=7)):
            with self.assertRaisesRegex(UserError, "cure the breach"):
                self.member.with_user(self.operator).action_lbc_terminate_member()
            self.env["res.partner"]._lbc_process_breach_deadlines()
            self.assertFalse(self.member.activity_ids)
        with freeze_time(now + timedelta(days=8, hours=1)):
            self.env["res.partner"]._lbc_process_breach_deadlines()
            self.env["res.partner"]._lbc_process_breach_deadlines()
            self.assertEqual(len(self.member.activity_ids), 1, "LBC is asked once to decide")
            self.member.with_user(self.operator).action_lbc_terminate_member()
        self.assertEqual(self.member.lbc_account_state, "deactivated")
        self.assertEqual(self.member.lbc_deactivation_reason, "termination")
        with self.assertRaises(AccessError):
            self.member.with_user(self.client_a_buyer).action_lbc_reactivate()

    def test_immediate_suspension_and_lift(self):
        self.member.with_user(self.operator).action_lbc_suspend_member(reason="Fraud attempt", notice=False)
        self.assertEqual(self.member.lbc_account_state, "suspended")
        self.assertFalse(self.member.lbc_suspension_deadline)
        self.assertEqual(self.client_a_buyer.lbc_account_state, "suspended", "copied on the user's session token")
        with self.assertRaises(AccessDenied):
            self._authenticate(self.client_a_buyer)
        with self.assertRaises(AccessDenied):
            self.env["res.users"]._check_uid_passwd(self.client_a_buyer.id, self.client_a_buyer.login)
        self.member.with_user(self.operator).action_lbc_lift_member_suspension()
        self.assertEqual(self._authenticate(self.client_a_buyer)["uid"], self.client_a_buyer.id)

    # --- death ------------------------------------------------------------------------------------------
    def test_death_blocks_export_and_automatic_anonymisation(self):
        now = fields.Datetime.now()
        with freeze_time(now):
            self.member.with_user(self.operator).action_lbc_record_death(note="Death certificate received")
        self.assertEqual(self.member.lbc_deactivation_reason, "death")
        self.assertTrue(self.member.lbc_heirs_court_order)
        with self.assertRaises(AccessError):
            self.member.with_user(self.operator)._lbc_personal_data_zip()
        with self.assertRaises(AccessError):
            self.member.with_user(self.operator).action_lbc_export_personal_data()
        with freeze_time(now + timedelta(days=60)):
            self.env["res.partner"]._lbc_process_anonymisation()
        self.assertEqual(self.member.lbc_account_state, "deactivated", "kept for the heirs' court decision")

    # --- personal data ------------------------------------------------------------------------------------
    def test_export_contains_everything_and_only_the_members(self):
        other = self.client_a_admin.partner_id
        self.env["ir.attachment"].create(
            {"name": "mine.txt", "raw": b"my file", "res_model": "res.partner", "res_id": self.member.id}
        )
        self.env["ir.attachment"].with_user(self.client_a_buyer).sudo().create(
            {"name": "upload.txt", "raw": b"my upload"}
        )
        self.env["ir.attachment"].create(
            {"name": "theirs.txt", "raw": b"their file", "res_model": "res.partner", "res_id": other.id}
        )
        self.member.message_post(body="A note", author_id=self.member.id, message_type="comment")
        other.message_post(body="Their note", author_id=other.id, message_type="comment")
        with self.assertRaises(AccessError):
            other.with_user(self.client_a_buyer)._lbc_personal_data_zip()
        filename, content = self.member.with_user(self.client_a_buyer)._lbc_personal_data_zip()
        self.assertTrue(filename.endswith(".zip"))
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = archive.namelist()
        data = json.loads(archive.read("data.json"))
        self.assertEqual(data["profile"]["email"], "client_a_buyer@example.com")
        self.assertEqual(data["profile"]["phone"], "+33 6 12 34 56 78")
        self.assertEqual(data["account"]["login"], "client_a_buyer")
        self.assertEqual(data["company"], "Client A")
        self.assertIn("A note", json.dumps(data["messages"]))
        self.assertTrue(any(name.endswith("mine.txt") for name in names))
        self.assertTrue(any(name.endswith("upload.txt") for name in names))
        self.assertFalse(any(name.endswith("theirs.txt") for name in names))
        whole = json.dumps(data)
        self.assertNotIn("client_a_admin", whole)
        self.assertNotIn("Their note", whole)

    def test_marketing_opt_out_by_the_member(self):
        self.member.with_user(self.client_a_buyer).action_lbc_update_privacy({"lbc_marketing_opt_out": True})
        self.assertTrue(self.member.lbc_marketing_opt_out)
        with self.assertRaises(AccessError):
            self.member.with_user(self.client_a_buyer).action_lbc_update_privacy({"lbc_account_state": "active"})
        with self.assertRaises(AccessError):
            self.member.with_user(self.client_a_admin).action_lbc_update_privacy({"lbc_marketing_opt_out": False})

    def test_anonymisation_replaces_whole_names_only(self):
        """The person's full name (accents and case ignored), e-mail and phone are replaced where they stand; a word
        that contains the name, a longer name or address, a first name alone stay; HTML keeps its markup."""
        member = self.member.sudo()
        member.write({"name": "Ann Éva", "email": "ann.eva@example.com"})
        patterns = member._lbc_privacy_patterns("ann.eva@example.com")
        label = f"Anonymised member {member.id}"
        self.assertEqual(
            _privacy_replace_text(
                "Evaluation planning by ANN  EVA, ann.eva@example.com, 06 12 34 56 78; Ann Evans, "
                "jo.ann.eva@example.com, ann.eva@example.com.au, Eva, Ann",
                patterns,
            ),
            f"Evaluation planning by {label}, ***, ***; Ann Evans, jo.ann.eva@example.com, "
            "ann.eva@example.com.au, Eva, Ann",
        )
        body = Markup(
            '<p title="Ann Eva">Évaluation by Ann&nbsp;Eva &amp; co, <a href="mailto:ann.eva@example.com">'
            'ann.eva@example.com</a> <b class="eva">Eva</b></p>'
        )
        replaced = _privacy_replace_html(body, patterns)
        self.assertIsInstance(replaced, Markup)
        self.assertEqual(
            str(replaced),
            f'<p title="{label}">Évaluation by {label} &amp; co, <a href="mailto:***">***</a> '
            '<b class="eva">Eva</b></p>',
        )
        untouched = Markup("<p>Ann&#39;s évaluation &lt;planning&gt;</p>")
        self.assertEqual(str(_privacy_replace_html(untouched, patterns)), str(untouched), "left byte for byte")
        member.name = "Eva"
        self.assertEqual(
            _privacy_replace_text("Eva planning", member._lbc_privacy_patterns("ann.eva@example.com")),
            "Eva planning",
            "a name shorter than 4 letters is not searched",
        )
        # the company's chatter keeps the others' words, loses the person's
        member.name = "Ann Éva"
        quoted = self.client_a.message_post(body=Markup("<p>Evaluation planning by Ann Eva</p>"))
        other = self.client_a.message_post(body=Markup("<p>Eva&#39;s evaluation planning</p>"))
        other_body = str(other.body)
        member.with_user(self.operator).action_lbc_anonymise()
        self.assertEqual(str(quoted.body), f"<p>Evaluation planning by {label}</p>")
        self.assertEqual(str(other.body), other_body)
        self.assertIn("evaluation planning", other_body)

    def test_anonymisation_leaves_no_personal_data(self):
        old_name, old_email, old_phone = self.member.name, self.member.email, self.member.phone
        self.member.image_1920 = base64.b64encode(
            base64.b64decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
            )
        )
        self.member.with_user(self.operator).action_lbc_suspend_member(reason=f"{old_name} posted spam")
        with self.assertRaises(AccessError):
            self.member.with_user(self.client_a_admin).action_lbc_anonymise()
        logs_before = self.env["privacy.log"].search([])
        self.member.with_user(self.operator).action_lbc_anonymise()
        log = self.env["privacy.log"].search([]) - logs_before
        self.assertEqual(len(log), 1, "one privacy log per anonymisation")
        self.assertEqual(log.user_id, self.operator, "the log names who erased")
        self.assertNotIn(old_email, log.anonymized_email, "the log keeps the e-mail masked")
        self.assertIn(f"#{self.member.id}", log.execution_details)
        self.assertIn("nothing found", log.additional_note)
        self.assertEqual(self.env["privacy.log"].with_user(self.operator).search([("id", "=", log.id)]), log)
        self.assertTrue(log.with_user(self.operator).execution_details, "LBC reads the log in the back office")
        with self.assertRaises(AccessError):
            log.with_user(self.client_a_admin).read(["execution_details"])
        with self.assertRaises(AccessError):
            log.with_user(self.operator).unlink()
        self.assertFalse(self.env["privacy.lookup.wizard"].search([("email", "=", old_email)]))
        self.member.with_user(self.operator).action_lbc_anonymise()
        self.assertFalse(self.env["privacy.log"].search([]) - logs_before - log, "run twice: nothing more")
        Partner = self.env["res.partner"].with_context(active_test=False)
        Users = self.env["res.users"].with_context(active_test=False)
        self.assertFalse(Partner.search([("name", "ilike", old_name)]))
        self.assertFalse(Partner.search([("email", "ilike", old_email)]))
        self.assertFalse(Partner.search([("phone", "ilike", old_phone)]))
        self.assertFalse(Users.search([("login", "=", "client_a_buyer")]))
        self.assertFalse(self.env["mail.message"].search([("body", "ilike", old_name)]))
        self.assertFalse(self.env["mail.message"].search([("email_from", "ilike", old_email)]))
        self.assertFalse(self.member.image_1920)
        lookup = self.env["privacy.lookup.wizard"].create({"name": old_name, "email": old_email})
        lookup.action_lookup()
        self.assertFalse(lookup.line_ids, "Odoo's privacy lookup finds nothing of the member any more")
        self.assertEqual(self.member.lbc_account_state, "anonymised")
        self.assertEqual(self.member.parent_id, self.client_a, "the links to contracts and invoices stay")
        self.assertFalse(self.client_a_buyer.active)
        with self.assertRaises(AccessDenied):
            self._authenticate(self.client_a_buyer, "client_a_buyer")

    # --- retention --------------------------------------------------------------------------------------
    def test_retention_rules(self):
        Rule = self.env["lbc.retention.rule"]
        with self.assertRaises(ValidationError):
            Rule.create({"name": "Invoices", "model_name": "account.move", "date_field": "date", "action": "unlink"})
        rule = Rule.create(
            {
                "name": "Partner files",
                "model_name": "res.partner",
                "date_field": "create_date",
                "years": 3,
                "domain": f"[('id', '=', {self.member.id})]",
                "action": "purge_files",
            }
        )
        attachment = self.env["ir.attachment"].create(
            {"name": "old.txt", "raw": b"old", "res_model": "res.partner", "res_id": self.member.id}
        )
        with freeze_time(fields.Datetime.now() + relativedelta(years=2)):
            self.assertEqual(rule._lbc_apply(), 0)
        self.assertTrue(attachment.exists())
        with freeze_time(fields.Datetime.now() + relativedelta(years=3, days=1)):
            self.assertEqual(rule._lbc_apply(), 1)
        self.assertFalse(attachment.exists())
        self.assertTrue(self.member.exists(), "the record stays, its files go")
        self.assertTrue(self.env.ref("lbc_base.lbc_retention_rule_invoice").action != "unlink")

    # --- member security ----------------------------------------------------------------------------------
    def test_vulnerability_reports_rate_limited(self):
        Report = self.env["lbc.security.report"]
        for index in range(5):
            Report._lbc_submit("203.0.113.7", f"XSS {index}", "Steps...", "finder@example.com")
        with self.assertRaises(LbcRateLimitError):
            Report._lbc_submit("203.0.113.7", "XSS 6", "Steps...")
        Report._lbc_submit("203.0.113.8", "Other address", "Steps...")
        with self.assertRaises(UserError):
            Report._lbc_submit("203.0.113.9", "", "")
        mail = self.env["mail.mail"].search([("model", "=", "lbc.security.report")], limit=1)
        self.assertEqual(mail.email_to, "security@lbc.example")


# post_install: the password policy holds once the registry is ready (never while addons are installed)
@tagged("post_install", "-at_install")
class TestPasswordPolicy(LbcBaseCommon):
    def test_password_policy_and_cooldown(self):
        ICP = self.env["ir.config_parameter"].sudo()
        self.assertEqual(ICP.get_param("auth_password_policy.minlength"), "12")
        self.assertEqual(ICP.get_param("base.login_cooldown_after"), "5")
        self.assertEqual(ICP.get_param("base.login_cooldown_duration"), "60")
        Users = self.env["res.users"]
        # outside the test runner (and data loading) the policy holds
        with patch.object(odoo_module, "current_test", None):
            with self.assertRaisesRegex(UserError, "at least 12 characters"):
                Users._check_password_policy(["lbc-demo"])
            Users._check_password_policy(["a-long-enough-one"])
            with self.assertRaises(UserError):
                self.client_a_buyer.write({"password": "short-pw"})
