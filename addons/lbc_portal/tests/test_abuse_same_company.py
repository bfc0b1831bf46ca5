"""Abuse: members of the very company concerned try to move a workflow they do not own; none may succeed.

Beside the cross-company matrix (test_abuse_access.py): every stateful model x every role a member can hold in
the company concerned (client: admin, signatory, tender publisher, buyer, purchase approver, CRA approver;
provider: admin, signatory, sales manager, CRA approver, consultant; and a member without company) x

- writing each workflow and parent field (the fields the models declare to the workflow mixin, plus a floor list
  per model of the fields the issue names, so that a model that forgets one fails here);
- creating in a later state through the values and through `default_<field>` context keys, directly and through
  the public methods that create;
- calling each public action with every internal context key the code used to read;
- moving a child record to another parent;
- reading sealed bids and hidden profile sections through every ORM read path.

Every attempt runs in a savepoint rolled back afterwards, so each one starts from the same records. An attempt
succeeds when it is not refused (writes, creates with forged values), when the record's state moved (actions,
creates through `default_*`), or when a secret comes back (reads). All successes are collected and listed at the
end; any other exception than AccessError / UserError / ValidationError (MissingError for reads) is a failure too.
"""

import base64
import json
import logging
from datetime import datetime, timedelta

import psycopg2

from odoo import fields
from odoo.addons.lbc_erp_client.tests.common import START, LbcErpCommon
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)

# psycopg2's integrity errors are answered as a ValidationError by the RPC layer (odoo.service.model)
REFUSALS = (AccessError, UserError, ValidationError, psycopg2.IntegrityError)
READ_REFUSALS = (*REFUSALS, MissingError)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# every internal context key the code read at some point (git log -p | grep -o 'context.get("lbc_[a-z_]*"')
INTERNAL_CONTEXT = {
    "lbc_state_change": True,
    "lbc_lifecycle_change": True,
    "lbc_tender_state_change": True,
    "lbc_bid_state_change": True,
    "lbc_mission_state_change": True,
    "lbc_report_state_change": True,
    "lbc_compliance_state_change": True,
    "lbc_cron": True,
    "lbc_verification_method": "urssaf_online",
    "lbc_compliance_date": "2000-01-01",
    "lbc_defer_invoicing": True,
    "lbc_reason_action": "validate",
    "lbc_lifecycle_action": "reactivate",
    "lbc_accept_terms": True,
}

# the fields the issue names, per model: refused to every member whatever the model declares
FLOOR_WORKFLOW = {
    "lbc.tender": (
        "state",
        "published_date",
        "awarded_bid_id",
        "cancel_reason",
        "author_id",
        "reference",
        "purchase_approval_state",
        "purchase_approval_reason",
        "purchase_approved_by_id",
    ),
    "lbc.tender.bid": ("state", "submitted_date", "rejection_reason", "mission_id"),
    "lbc.mission": (
        "state",
        "termination_reason",
        "sale_order_id",
        "purchase_order_id",
        "daily_rate",
        "fee_mode",
        "fee_value",
        "purchase_approval_state",
        "purchase_approval_reason",
        "purchase_approved_by_id",
    ),
    "lbc.activity.report": (
        "state",
        "submitted_date",
        "approved_by_id",
        "validated_by_id",
        "validated_date",
        "rejection_reason",
    ),
    "lbc.activity.report.line": (),
    "lbc.compliance.document": (
        "state",
        "verification_method",
        "verified_by_id",
        "verified_date",
        "rejection_reason",
        "rejected_by_id",
        "is_current",
        "expired_date",
        "superseded_by_id",
    ),
    "lbc.compliance.check": ("state", "date_checked", "result_note", "date_due"),
    "lbc.company.role": ("verification_state", "verified_by_id", "verified_date", "refusal_reason", "role"),
    "lbc.join.request": ("state", "decided_by_id", "decision_date", "refusal_reason"),
    "res.partner": (
        "lbc_state",
        "lbc_state_reason",
        "lbc_submitted_date",
        "lbc_validated_date",
        "lbc_validated_by_id",
        "lbc_account_state",
        "lbc_deactivation_date",
        "lbc_deactivation_reason",
        "lbc_deletion_requested_date",
        "lbc_suspension_date",
        "lbc_suspension_deadline",
        "lbc_suspension_reason",
        "lbc_death_date",
        "lbc_anonymised_date",
    ),
    "sale.subscription": (
        "lbc_state",
        "lbc_term_start",
        "lbc_term_end",
        "lbc_cancel_date",
        "lbc_plan_id",
        "date_start",
        "recurring_next_date",
        "stage_id",
        "template_id",
    ),
    "lbc.content.report": ("state", "moderator_id", "decision_date", "decision_note", "content_snapshot"),
    "lbc.article": ("state", "published_date", "moderation_hidden"),
    "lbc.recommendation": ("state", "moderation_hidden"),
    "lbc.connection": ("state", "blocked_by_id", "date_accepted"),
    "lbc.social.group.member": ("state", "role"),
    "lbc.profile.experience": ("state", "source", "recommendation_id"),
    "lbc.profile.skill": (),
    "lbc.profile.education": (),
}
FLOOR_PARENT = {
    "lbc.tender": ("client_id",),
    "lbc.tender.bid": ("tender_id", "provider_id"),
    "lbc.mission": ("bid_id", "client_id", "provider_id", "consultant_id"),
    "lbc.activity.report": ("mission_id", "consultant_id"),
    "lbc.activity.report.line": ("report_id",),
    "lbc.compliance.document": ("partner_id",),
    "lbc.compliance.check": ("partner_id", "client_id"),
    "lbc.company.role": ("member_id", "member_company_id"),
    "lbc.join.request": ("member_id", "member_company_id"),
    "res.partner": ("parent_id",),
    "sale.subscription": ("partner_id",),
    "lbc.content.report": ("reporter_id", "reported_partner_id"),
    "lbc.article": ("author_id",),
    "lbc.recommendation": ("author_id", "recipient_id"),
    "lbc.connection": ("requester_id", "addressee_id"),
    "lbc.social.group.member": ("group_id", "partner_id"),
    "lbc.profile.experience": ("profile_id",),
    "lbc.profile.skill": ("profile_id",),
    "lbc.profile.education": ("profile_id",),
}
# preferred forged values of a selection: the most advanced step a member could want to reach
PREFERRED = (
    "validated",
    "verified",
    "approved",
    "accepted",
    "published",
    "awarded",
    "contracted",
    "passed",
    "member",
    "owner",
    "admin",
    "selected",
    "active",
    "dismissed",
    "abusive",
    "urssaf_online",
    "platform",
)
# the roles a member can hold in the company concerned
CA, CS, CP, CB, CD, CC = (
    "client admin",
    "client signatory",
    "client tender publisher",
    "client buyer",
    "client purchase approver",
    "client CRA approver",
)
PA, PS, PM, PC, PK = (
    "provider admin",
    "provider signatory",
    "provider sales manager",
    "provider CRA approver",
    "consultant",
)
LONER = "member without company"
HIDDEN_FIELDS = ("summary", "experience_ids", "skill_ids", "education_ids", "mobility_cities")
HIDDEN_KEYS = {"summary", "experience", "skills", "education", "mobility"}
PROVIDER = {PA, PS, PM, PC, PK}
CLIENT = {CA, CS, CP, CB, CD, CC}
PUBLISHERS = {CA, CP}


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestAbuseSameCompany(HttpCase, LbcErpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        Role = env["lbc.company.role"]
        cls.has_purchase_approver = "purchase_approver" in dict(Role._fields["role"].selection)

        def member(company, login, profile_type, roles=(), granter=None):
            user = cls._create_member(company, login, profile_type)
            for role in roles:
                if role in dict(Role._fields["role"].selection):
                    user.partner_id.with_user(granter).action_lbc_grant_role(role)
            return user

        # --- one member per role of the company concerned, roles granted as the company admin does
        cls.sc_signatory = member(cls.client_a, "sc_signatory", "project_manager", ["signatory"], cls.client_a_admin)
        cls.sc_buyer = member(cls.client_a, "sc_buyer", "buyer")
        cls.sc_director = member(
            cls.client_a, "sc_director", "purchasing_director", ["purchase_approver"], cls.client_a_admin
        )
        cls.sc_cra = member(cls.client_a, "sc_cra", "project_manager", ["cra_approver"], cls.client_a_admin)
        cls.sp_signatory = member(
            cls.provider_a, "sp_signatory", "company_manager", ["signatory"], cls.provider_a_admin
        )
        cls.sp_sales = member(cls.provider_a, "sp_sales", "sales_manager")
        cls.loner = new_test_user(
            env, "sp_loner", groups="base.group_portal", name="Lone Member", email="lone@x.example"
        )
        cls.roles = {
            CA: cls.client_a_admin,
            CS: cls.sc_signatory,
            CP: cls.client_a_buyer,  # tender publisher (and CRA approver) of client A
            CB: cls.sc_buyer,
            CD: cls.sc_director,
            CC: cls.sc_cra,
            PA: cls.provider_a_admin,  # admin and signatory of provider A
            PS: cls.sp_signatory,
            PM: cls.sp_sales,
            PC: cls.provider_approver,
            PK: cls.provider_a_consultant,
            LONER: cls.loner,
        }
        cls.role_of = {user: label for label, user in cls.roles.items()}
        now = fields.Datetime.now()

        # --- tenders: a draft, a sealed published one with bids of provider A and of a competitor, one awaiting
        # the purchase approval, ones closed and cancelled before their deadline, the unsealed one whose bid the
        # client selected, the awarded one of the mission
        Tender = env["lbc.tender"].with_user(cls.client_a_buyer)
        cls.t_draft = Tender.create(cls._tender_vals(name="Draft tender"))

        def published(name, sealed=True):
            tender = Tender.create(cls._tender_vals(name=name, sealed=sealed))
            tender.action_publish()
            return tender.sudo()

        def bid(tender, admin, provider, consultant, message, rate=650):
            record = (
                env["lbc.tender.bid"]
                .with_user(admin)
                .create(
                    {
                        "tender_id": tender.id,
                        "provider_id": provider.id,
                        "consultant_id": consultant.partner_id.id,
                        "daily_rate": rate,
                        "available_from": tender.date_start,
                        "message": message,
                        "labour_law_ack": True,
                    }
                )
            )
            record.action_submit()
            return record.sudo()

        cls.t_sealed = published("Sealed tender")
        cls.b_sealed = bid(cls.t_sealed, cls.provider_a_admin, cls.provider_a, cls.provider_a_consultant, "SECRET-A")
        # a change of rate while sealed: a tracking value exists
        try:
            with env.cr.savepoint():
                cls.b_sealed.with_user(cls.provider_a_admin).write({"daily_rate": 640})
        except (AccessError, UserError):
            _logger.warning("same-company matrix: the provider could not change its sealed bid's rate")
        cv = env["ir.attachment"].create(
            {"name": "cv-secret.pdf", "raw": PDF, "res_model": "lbc.tender.bid", "res_id": cls.b_sealed.id}
        )
        cls.b_sealed.sudo().attachment_ids = [(4, cv.id)]
        cls._make_provider_contractable(cls.provider_b)
        cls.b_competitor = bid(cls.t_sealed, cls.provider_b_admin, cls.provider_b, cls.provider_b_admin, "SECRET-B")
        cls.t_other = published("Other tender")
        cls.t_closed = published("Closed early")
        cls.b_closed = bid(cls.t_closed, cls.provider_a_admin, cls.provider_a, cls.provider_a_consultant, "SECRET-C")
        cls.t_closed.with_user(cls.client_a_buyer).action_close()
        cls.t_cancelled = published("Cancelled early")
        cls.b_cancelled = bid(
            cls.t_cancelled, cls.provider_a_admin, cls.provider_a, cls.provider_a_consultant, "SECRET-X"
        )
        cls.t_cancelled.with_user(cls.client_a_buyer).action_cancel(reason="Budget cut")
        cls.t_unsealed = published("Unsealed tender", sealed=False)
        cls.b_selected = bid(cls.t_unsealed, cls.provider_a_admin, cls.provider_a, cls.provider_a_consultant, "Open")
        cls.b_selected.with_user(cls.client_a_buyer).action_select()
        cls.t_approval = Tender.create(cls._tender_vals(name="Big tender")).sudo()
        cls.t_approval.write({"purchase_approval_state": "to_approve"})
        cls.sealed_bids = cls.b_sealed | cls.b_competitor | cls.b_closed | cls.b_cancelled

        # --- activity reports of the mission: a draft (March), a submitted (April), an approved (May)
        cls.r_draft = LbcErpCommon._report(cls, days=3)
        cls.r_submitted = LbcErpCommon._report(cls, days=2, month=START.replace(month=4))
        cls.r_submitted.with_user(cls.provider_a_consultant).action_submit()
        cls.r_approved = LbcErpCommon._report(cls, days=2, month=START.replace(month=5))
        cls.r_approved.with_user(cls.provider_a_consultant).action_submit()
        cls.r_approved.with_user(cls.provider_approver).action_approve()

        # --- compliance: provider A's verified documents and a new upload awaiting review
        Document = env["lbc.compliance.document"]
        cls.d_verified = Document.search([("partner_id", "=", cls.provider_a.id), ("state", "=", "verified")], limit=1)
        doc_id = cls.provider_a.with_user(cls.provider_a_admin).action_lbc_upload_compliance_document(
            "kbis", "kbis.pdf", base64.b64encode(PDF), fields.Date.today()
        )
        cls.d_submitted = Document.browse(doc_id)
        cls.check = env["lbc.compliance.check"].search([("partner_id", "=", cls.provider_a.id)], limit=1)

        # --- company roles, join requests, subscription
        cls.role_client_signatory = Role.search([("member_id", "=", cls.sc_signatory.partner_id.id)])
        cls.role_provider_cra = Role.search(
            [("member_id", "=", cls.provider_approver.partner_id.id), ("role", "=", "cra_approver")]
        )
        cls.role_provider_signatory = Role.search(
            [("member_id", "=", cls.provider_a_admin.partner_id.id), ("role", "=", "signatory")]
        )
        newcomer = new_test_user(env, "sc_newcomer", groups="base.group_portal", email="newcomer@x.example")
        Join = env["lbc.join.request"].sudo()
        cls.j_client = Join.create({"member_id": newcomer.partner_id.id, "member_company_id": cls.client_a.id})
        cls.j_loner = Join.create({"member_id": cls.loner.partner_id.id, "member_company_id": cls.provider_a.id})
        plan = env.ref("lbc_erp_client.lbc_subscription_plan_pro_monthly")
        if not env["lbc.agreement"]._lbc_current("subscription"):
            env["lbc.agreement"].create(
                {"name": "Subscription", "kind": "subscription", "version": 601, "body": "<p>Subscription</p>"}
            )
        cls.subscription = env["sale.subscription"].browse(
            plan.with_user(cls.client_a_admin).action_subscribe(accept_terms=True)
        )
        cls.plan = plan
        # a company LBC has not validated, with its own admin (publisher by its role)
        cls.client_c = cls._create_company("Client C", client=True)
        cls.client_c_admin = cls._create_member(cls.client_c, "client_c_admin", "project_manager", ["admin"])

        # --- social network
        Profile = env["lbc.profile"].sudo()
        cls.profiles = {user: Profile._lbc_get_or_create(user.partner_id) for user in cls.roles.values()}
        cls.p_hidden = cls.profiles[cls.provider_a_consultant]
        cls.p_hidden.write(
            {
                "summary": "SECRET-SUMMARY",
                "mobility_cities": "SECRET-CITY",
                **{f"visibility_{s}": "private" for s in ("summary", "experience", "skills", "education", "mobility")},
            }
        )
        cls.x_hidden = (
            env["lbc.profile.experience"].sudo().create({"profile_id": cls.p_hidden.id, "title": "SECRET-XP"})
        )
        cls.x_offered = (
            env["lbc.profile.experience"]
            .sudo()
            .create(
                {"profile_id": cls.p_hidden.id, "title": "Platform mission", "source": "platform", "state": "offered"}
            )
        )
        cls.s_hidden = (
            env["lbc.profile.skill"].sudo().create({"profile_id": cls.p_hidden.id, "skill_id": cls.python.id})
        )
        cls.e_hidden = (
            env["lbc.profile.education"].sudo().create({"profile_id": cls.p_hidden.id, "school": "SECRET-SCHOOL"})
        )
        Article = env["lbc.article"].sudo()
        consultant = cls.provider_a_consultant.partner_id
        cls.a_draft = Article.create({"name": "Draft article", "author_id": consultant.id, "body": "<p>Draft</p>"})
        cls.a_published = Article.create(
            {
                "name": "Published article",
                "author_id": cls.client_a_buyer.partner_id.id,
                "body": "<p>Hello</p>",
                "state": "published",
                "published_date": now,
            }
        )
        cls.content_report = (
            env["lbc.content.report"]
            .sudo()
            .create(
                {
                    "reporter_id": cls.sc_buyer.partner_id.id,
                    "res_model": "lbc.article",
                    "res_id": cls.a_published.id,
                    "reported_partner_id": cls.client_a_buyer.partner_id.id,
                    "category": "spam",
                    "reason": "Spam",
                }
            )
        )
        Recommendation = env["lbc.recommendation"].sudo()
        provider_admin = cls.provider_a_admin.partner_id
        cls.rec_requested = Recommendation.create(
            {"author_id": provider_admin.id, "recipient_id": consultant.id, "request_message": "Please"}
        )
        cls.rec_given = Recommendation.create(
            {
                "author_id": cls.provider_approver.partner_id.id,
                "recipient_id": consultant.id,
                "body": "Great work",
                "state": "given",
            }
        )
        cls.connection = (
            env["lbc.connection"]
            .sudo()
            .create({"requester_id": consultant.id, "addressee_id": cls.provider_approver.partner_id.id})
        )
        cls.group = (
            env["lbc.social.group"]
            .sudo()
            .create(
                {
                    "name": "Provider A guild",
                    "privacy": "request",
                    "membership_ids": [
                        (0, 0, {"partner_id": provider_admin.id, "role": "owner", "state": "member"}),
                        (0, 0, {"partner_id": consultant.id, "state": "requested"}),
                        (0, 0, {"partner_id": cls.sp_sales.partner_id.id, "state": "member"}),
                    ],
                }
            )
        )
        cls.m_requested = cls.group.membership_ids.filtered(lambda m: m.partner_id == consultant)
        cls.m_member = cls.group.membership_ids.filtered(lambda m: m.partner_id == cls.sp_sales.partner_id)

        cls.api_keys = {
            user.id: env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate("rpc", "same-company abuse test", datetime.now() + timedelta(days=1))
            for user in (*cls.roles.values(), cls.client_c_admin)
        }

    # ------------------------------------------------------------------ the victims
    def _victims(self):
        """(label, record, [(method, args, roles allowed to call it)]) of every stateful record of the matrix."""
        reason = ("pwned",)
        tender_actions = [
            ("action_publish", (), PUBLISHERS),
            ("action_close", (), PUBLISHERS),
            ("action_cancel", reason, PUBLISHERS),
            ("action_purchase_approve", (), {CD}),
            ("action_purchase_refuse", reason, {CD}),
        ]
        bid_actions = [
            ("action_submit", (), PROVIDER),
            ("action_withdraw", (), PROVIDER),
            ("action_select", (), PUBLISHERS),
            ("action_reject", reason, PUBLISHERS),
            ("action_approve", (), set()),
            ("action_contract", (), set()),
        ]
        report_actions = [
            ("action_submit", (), {PK, PA, PC}),
            ("action_approve", (), {PA, PC}),
            ("action_reject", reason, {PA, PC, CA, CC, CP}),
            ("action_validate", (), {CA, CC, CP}),
            ("action_lbc_credit", reason, set()),
        ]

        def company_actions(admins):
            return [
                ("action_lbc_submit", (), admins),
                ("action_lbc_validate", (), set()),
                ("action_lbc_reject", reason, set()),
                ("action_lbc_suspend", reason, set()),
                ("action_lbc_reinstate", (), set()),
            ]

        def member_actions(user):
            me = {self.role_of[user]}
            admin = {PA} if user.partner_id.parent_id == self.provider_a else {CA}
            return [
                ("action_lbc_suspend_member", reason, set()),
                ("action_lbc_lift_member_suspension", (), set()),
                ("action_lbc_terminate_member", reason, set()),
                ("action_lbc_record_death", (), set()),
                ("action_lbc_anonymise", (), set()),
                ("action_lbc_request_deletion", (), me),
                ("action_lbc_cancel_deletion", (), me),
                ("action_lbc_reactivate", (), me),
                ("action_lbc_leave_company", (), me | admin),
                ("action_lbc_grant_role", ("admin",), admin),
            ]

        moderation = [
            (m, reason, set())
            for m in ("action_hide", "action_warn", "action_suspend", "action_dismiss", "action_mark_abusive")
        ]
        sealed_tender_actions = [a if a[0] != "action_select" else (a[0], a[1], set()) for a in bid_actions]
        consultant, approver = self.provider_a_consultant.partner_id, self.provider_approver.partner_id
        return [
            ("tender draft", self.t_draft, tender_actions),
            ("tender published sealed", self.t_sealed, tender_actions),
            ("tender awaiting approval", self.t_approval, tender_actions),
            ("tender closed early", self.t_closed, tender_actions),
            ("tender awarded", self.mission.tender_id, tender_actions),
            ("bid sealed", self.b_sealed, sealed_tender_actions),
            ("bid of a competitor", self.b_competitor, sealed_tender_actions),
            ("bid selected", self.b_selected, bid_actions),
            ("bid contracted", self.mission.bid_id, bid_actions),
            (
                "mission",
                self.mission,
                [
                    ("action_activate", (), set()),
                    ("action_done", (), set()),
                    ("action_terminate", reason, set()),
                    ("action_purchase_approve", (), {CD}),
                    ("action_purchase_refuse", reason, {CD}),
                ],
            ),
            ("report draft", self.r_draft, report_actions),
            ("report submitted", self.r_submitted, report_actions),
            ("report approved", self.r_approved, report_actions),
            ("day of a draft report", self.r_draft.line_ids[:1], []),
            ("day of a submitted report", self.r_submitted.line_ids[:1], []),
            (
                "document verified",
                self.d_verified,
                [("action_verify", ("urssaf_online",), set()), ("action_reject", reason, set())],
            ),
            (
                "document submitted",
                self.d_submitted,
                [("action_verify", ("manual",), set()), ("action_reject", reason, set())],
            ),
            ("compliance check", self.check, [("action_recheck", (), set())]),
            *[
                (
                    label,
                    role,
                    [
                        ("action_verify", (), set()),
                        ("action_refuse", reason, set()),
                        ("action_revoke", (), {CA} if role.member_company_id == self.client_a else {PA}),
                    ],
                )
                for label, role in (
                    ("role client signatory", self.role_client_signatory),
                    ("role provider CRA approver", self.role_provider_cra),
                    ("role provider signatory", self.role_provider_signatory),
                )
            ],
            (
                "join request to client",
                self.j_client,
                [("action_accept", (), {CA}), ("action_refuse", reason, {CA}), ("action_cancel", (), set())],
            ),
            (
                "join request to provider",
                self.j_loner,
                [("action_accept", (), {PA}), ("action_refuse", reason, {PA}), ("action_cancel", (), {LONER})],
            ),
            ("company client", self.client_a, company_actions({CA})),
            ("company provider", self.provider_a, company_actions({PA})),
            ("company not validated", self.client_c, company_actions(set())),
            ("member consultant", consultant, member_actions(self.provider_a_consultant)),
            ("member tender publisher", self.client_a_buyer.partner_id, member_actions(self.client_a_buyer)),
            ("subscription", self.subscription, [("action_lbc_cancel", (), {CA})]),
            ("content report", self.content_report, [*moderation, ("action_open_content", (), set())]),
            ("article draft", self.a_draft, [("action_publish", (), {PK}), ("action_unpublish", (), {PK})]),
            ("article published", self.a_published, [("action_publish", (), {CP}), ("action_unpublish", (), {CP})]),
            (
                "recommendation requested",
                self.rec_requested,
                [("action_accept", (), {PK}), ("action_hide", (), {PK}), ("action_decline", (), {PA})],
            ),
            (
                "recommendation given",
                self.rec_given,
                [("action_accept", (), {PK}), ("action_hide", (), {PK}), ("action_decline", (), {PC})],
            ),
            (
                "connection requested",
                self.connection,
                [
                    ("action_accept", (), {PC}),
                    ("action_decline", (), {PC}),
                    ("action_withdraw", (), {PK}),
                    ("action_block", (), {PK, PC}),
                    ("action_unblock", (), set()),
                ],
            ),
            (
                "group",
                self.group,
                [
                    ("action_approve_member", (consultant.id,), {PA}),
                    ("action_decline_member", (consultant.id,), {PA}),
                    ("action_set_role", (self.sp_sales.partner_id.id, "owner"), {PA}),
                    ("action_set_role", (approver.id, "owner"), {PA}),
                ],
            ),
            ("group membership requested", self.m_requested, []),
            ("group membership", self.m_member, []),
            ("experience offered", self.x_offered, [("action_accept", (), {PK}), ("action_decline", (), {PK})]),
            ("experience", self.x_hidden, []),
            ("skill", self.s_hidden, []),
            ("education", self.e_hidden, []),
        ]

    # ------------------------------------------------------------------ helpers
    def setUp(self):
        super().setUp()
        self.maxDiff = None
        self.attempts = 0
        self.successes = []
        self.errors = []

    def _guarded(self, model):
        """Workflow and parent fields of a model: what it declares to the mixin plus the floor list."""
        Model = self.env[model]
        workflow = set(FLOOR_WORKFLOW.get(model, ()))
        parents = set(FLOOR_PARENT.get(model, ()))
        if hasattr(Model, "_lbc_guarded_workflow_fields"):
            workflow |= Model._lbc_guarded_workflow_fields()
            parents |= Model._lbc_guarded_parent_fields()
        workflow = {f for f in workflow if f in Model._fields and Model._fields[f].store}
        parents = {f for f in parents if f in Model._fields and Model._fields[f].store} - workflow
        return workflow, parents

    def _watched(self, record):
        workflow, parents = self._guarded(record._name)
        names = workflow | parents
        if record._name == "res.partner":
            names |= {"parent_id", "active"}
        return sorted(n for n in names if record._fields[n].type not in ("one2many",))

    def _snapshot(self, record):
        self.env.flush_all()
        self.env.invalidate_all()
        return record.sudo().with_context(active_test=False).read(self._watched(record))

    def _other_partner(self, current, user):
        companies = [self.client_b, self.provider_b, self.client_a, self.provider_a]
        if current.is_company:
            return next(c for c in companies if c != current)
        candidates = [user.partner_id, self.sc_buyer.partner_id, self.sp_sales.partner_id]
        return next(p for p in candidates if p != current)

    def _forged_for(self, record, fname, user):
        return self._forged(record._fields[fname], record.sudo()[fname], user)

    def _forged_default(self, model, fname, user):
        """A forged value of `fname` for a new record: different from the field's default (and from the acting
        user, that a legitimate creation may record); None for computed fields, that no default sets."""
        field = self.env[model]._fields[fname]
        if field.compute or field.related:
            return None
        default = self.env[model].sudo().default_get([fname]).get(fname)
        if field.type == "many2one" and field.comodel_name == "res.users":
            return next(u for u in (self.operator, self.client_b_admin) if u.id not in (default, user.id)).id
        value = self._forged(field, default, user)
        return None if isinstance(value, list) else value

    def _forged(self, field, current, user):
        """A value of `field` different from `current`, in write format; None to skip."""
        ftype = field.type
        if ftype == "selection":
            values = [v for v, _label in field._description_selection(self.env)]
            choices = [v for v in values if v != current]
            preferred = [v for v in PREFERRED if v in choices]
            return (preferred or choices or [None])[0]
        if ftype == "many2one":
            comodel = field.comodel_name
            if not hasattr(current, "_name"):
                current = self.env[comodel].browse(current or [])
            if comodel == "res.users":
                return next(u for u in (user, self.operator) if u != current).id
            if comodel == "res.partner":
                return self._other_partner(current, user).id
            preferred = {
                "lbc.tender": self.t_other,
                "lbc.tender.bid": self.b_selected,
                "lbc.activity.report": self.r_draft,
                "lbc.profile": self.profiles.get(user),
                "lbc.mission": self.mission,
            }.get(comodel)
            if preferred and preferred != current:
                return preferred.id
            other = self.env[comodel].sudo().search([("id", "!=", current.id or 0)], limit=1)
            return other.id or None
        if ftype == "many2many":
            other = self.env[field.comodel_name].sudo().search([], limit=1)
            return [(6, 0, other.ids)] if other else None
        if ftype in ("char", "text", "html"):
            return "pwned"
        if ftype == "boolean":
            return not current
        if ftype == "date":
            return fields.Date.today() + timedelta(days=400)
        if ftype == "datetime":
            return fields.Datetime.now() + timedelta(days=400)
        if ftype in ("integer", "float", "monetary", "many2one_reference"):
            return (current or 0) + 1
        return None

    @staticmethod
    def _raw(value):
        return value.id if hasattr(value, "_name") and len(value) <= 1 else value

    def _same(self, got, value):
        got = self._raw(got)
        if isinstance(value, datetime) and isinstance(got, datetime):
            return abs((got - value).total_seconds()) < 2
        return got == value

    def _try(self, label, func, refused_is_success=False, read=False):
        """Run one attempt in a savepoint always rolled back. `func` returns True when the attempt succeeded
        (it ran without refusal: its own check of what it obtained)."""
        self.attempts += 1
        refusals = READ_REFUSALS if read else REFUSALS
        try:
            with self.env.cr.savepoint() as savepoint:
                try:
                    succeeded = func()
                except refusals as exc:
                    if not str(exc.args[0] if exc.args else "").strip():
                        self.errors.append(f"{label}: refused without a message ({type(exc).__name__})")
                    succeeded = False
                except Exception as exc:  # the matrix lists every other exception
                    self.errors.append(f"{label}: {type(exc).__name__}: {exc}")
                    succeeded = False
                savepoint.close(rollback=True)
        except Exception as exc:  # a failure at flush or release of the savepoint
            self.errors.append(f"{label}: at savepoint: {type(exc).__name__}: {exc}")
            succeeded = False
        self.env.invalidate_all()
        if succeeded:
            self.successes.append(f"{label}: {succeeded if isinstance(succeeded, str) else 'succeeded'}")

    # ------------------------------------------------------------------ attempts
    def _write_attempts(self, label, record):
        workflow, parents = self._guarded(record._name)
        extra = set()
        if record._name == "lbc.activity.report.line" and record.report_id.state != "draft":
            extra = {"date", "quantity", "worked_off_day", "comment"}
        if record._name == "lbc.activity.report" and record.state != "draft":
            extra = {"line_ids"}
        if record._name == "lbc.tender.bid" and record.state not in ("draft", "submitted"):
            extra = {"daily_rate", "consultant_id", "available_from", "message"}
        if record._name == "lbc.tender" and record.state != "draft":
            extra = {"deadline", "max_daily_rate", "date_start", "sealed", "audience"}
        # a stored related link writes through to the parent (report.client_id -> mission.client_id...)
        extra |= {
            name
            for name, field in record._fields.items()
            if field.related and field.store and field.type == "many2one" and record._name != "res.partner"
        }
        for user in self.roles.values():
            role = self.role_of[user]
            for fname in sorted(workflow | parents | extra):
                if record._name == "res.partner" and not record.is_company and fname.startswith("lbc_state"):
                    continue
                if fname == "line_ids":
                    value = [(1, record.line_ids[:1].id, {"quantity": 0.5})]
                else:
                    value = self._forged_for(record, fname, user)
                if value is None:
                    continue
                kind = "move" if fname in parents or record._fields[fname].related else "write"

                def attempt(record=record, user=user, fname=fname, value=value):  # pylint: disable=dangerous-default-value
                    target = record.with_user(user).with_context(**INTERNAL_CONTEXT)
                    before = self._raw(record.sudo()[fname])
                    target.write({fname: value})
                    target.env.flush_all()
                    self.env.invalidate_all()
                    after = self._raw(record.sudo()[fname])
                    if record._fields[fname].related and after == before:
                        return False  # a related link written back to itself
                    return f"accepted ({fname} now {after!r})"

                self._try(f"{role}: {kind} {record._name}.{fname} on {label}", attempt)
            # a company admin's own path of writing its company goes through action_lbc_update
            if record._name == "res.partner" and record.is_company:
                for fname in sorted(workflow):
                    value = self._forged_for(record, fname, user)
                    if value is None:
                        continue

                    def update(record=record, user=user, fname=fname, value=value):
                        record.with_user(user).with_context(**INTERNAL_CONTEXT).action_lbc_update({fname: value})
                        self.env.flush_all()
                        return f"accepted ({fname} now {self._raw(record.sudo()[fname])!r})"

                    self._try(f"{role}: action_lbc_update({fname}) on {label}", update)

    def _action_attempts(self, label, record, actions):
        for method, args, allowed in actions:
            for user in self.roles.values():
                role = self.role_of[user]
                if role in allowed:
                    continue

                def attempt(record=record, user=user, method=method, args=args):
                    before = self._snapshot(record)
                    extra_before = self._side_effects(record)
                    target = record.with_user(user).with_context(**INTERNAL_CONTEXT)
                    getattr(target, method)(*args)
                    after = self._snapshot(record)
                    extra_after = self._side_effects(record)
                    if before != after or extra_before != extra_after:
                        changed = [
                            f"{k}: {b[k]!r} -> {a[k]!r}"
                            for b, a in zip(before, after, strict=True)
                            for k in a
                            if a[k] != b[k]
                        ]
                        return "moved " + (", ".join(changed) or f"{extra_before} -> {extra_after}")
                    return False

                self._try(f"{role}: {record._name}.{method}{args} on {label} (all internal context keys)", attempt)

    def _side_effects(self, record):
        """What an action changes besides the record's own fields (memberships, roles, company)."""
        if record._name == "lbc.social.group":
            return sorted(record.sudo().membership_ids.mapped(lambda m: (m.partner_id.id, m.state, m.role)))
        if record._name == "res.partner" and not record.is_company:
            roles = self.env["lbc.company.role"].sudo().search([("member_id", "=", record.id)])
            return sorted(roles.mapped(lambda r: (r.role, r.active))), record.sudo().parent_id.id
        return None

    def _create_factories(self):
        """model -> function(user) returning the values of a legitimate creation (or None to skip the user)."""
        consultant = self.provider_a_consultant.partner_id

        def report(user):
            self.r_draft.sudo().unlink()  # its month becomes free (rolled back with the attempt)
            return {
                "mission_id": self.mission.id,
                "consultant_id": consultant.id,
                "period": START,
                "line_ids": [(0, 0, {"date": self.working_days(START, 1)[0], "quantity": 1.0})],
            }

        def line_in_submitted(user):
            used = set(self.r_submitted.line_ids.mapped("date"))
            day = next(d for d in self.working_days(self.r_submitted.period, 10) if d not in used)
            return {"report_id": self.r_submitted.id, "date": day, "quantity": 1.0}

        return {
            "lbc.tender": lambda user: self._tender_vals(name="Forged"),
            "lbc.tender.bid": lambda user: {
                "tender_id": self.t_other.id,
                "provider_id": self.provider_a.id,
                "consultant_id": consultant.id,
                "daily_rate": 600,
                "available_from": self.t_other.date_start,
                "labour_law_ack": True,
            },
            "lbc.mission": lambda user: self.mission.sudo().copy_data()[0],
            "lbc.activity.report": report,
            "lbc.activity.report.line": line_in_submitted,
            "lbc.compliance.document": lambda user: {
                "partner_id": self.provider_a.id,
                "type_id": self.d_submitted.type_id.id,
                "file": base64.b64encode(PDF),
                "file_name": "forged.pdf",
                "issue_date": fields.Date.today(),
            },
            "lbc.compliance.check": lambda user: {
                **self.check.sudo().copy_data()[0],
                "date_due": fields.Date.today() + timedelta(days=999),
            },
            "lbc.company.role": lambda user: {
                "member_id": user.partner_id.id,
                "member_company_id": (user.partner_id.parent_id or self.client_a).id,
                "role": "cra_approver",
            },
            "lbc.join.request": lambda user: {
                "member_id": self.loner.partner_id.id,
                "member_company_id": self.client_a.id,
            },
            "res.partner": lambda user: {"name": "Forged Co", "is_company": True, "lbc_is_client": True},
            "sale.subscription": lambda user: {
                "partner_id": (user.partner_id.parent_id or user.partner_id).id,
                "template_id": self.plan.template_id.id,
                "lbc_plan_id": self.plan.id,
                "pricelist_id": self.subscription.pricelist_id.id,
                "date_start": fields.Date.today(),
                "recurring_next_date": fields.Date.today() + timedelta(days=3650),
            },
            "lbc.content.report": lambda user: {
                "reporter_id": user.partner_id.id,
                "res_model": "lbc.article",
                "res_id": self.a_published.id,
                "category": "spam",
                "reason": "x",
            },
            "lbc.article": lambda user: {"name": "Forged", "body": "<p>x</p>"},
            "lbc.recommendation": lambda user: {
                "author_id": self.provider_approver.partner_id.id,
                "recipient_id": user.partner_id.id,
                "body": "Forged praise",
            },
            "lbc.connection": lambda user: {
                "requester_id": user.partner_id.id,
                "addressee_id": self._other_partner(user.partner_id, user).id,
            },
            "lbc.social.group.member": lambda user: {"group_id": self.group.id, "partner_id": user.partner_id.id},
            "lbc.profile.experience": lambda user: {"profile_id": self.profiles[user].id, "title": "Forged"},
        }

    # creating these at all is an escalation for a member (whatever the values)
    FORBIDDEN_CREATES = {
        "lbc.mission",
        "lbc.activity.report.line",  # in a submitted report
        "lbc.compliance.document",  # outside the upload action
        "lbc.compliance.check",
        "sale.subscription",  # outside action_subscribe (no invoice)
        "lbc.content.report",
        "lbc.recommendation",
        "lbc.connection",
        "lbc.social.group.member",
    }

    def _create_attempts(self):
        for model, factory in self._create_factories().items():
            workflow, _parents = self._guarded(model)
            for user in self.roles.values():
                role = self.role_of[user]
                if model in self.FORBIDDEN_CREATES:

                    def plain(model=model, factory=factory, user=user):
                        record = self.env[model].with_user(user).with_context(**INTERNAL_CONTEXT).create(factory(user))
                        self.env.flush_all()
                        return f"created {model}({record.id})"

                    self._try(f"{role}: create {model}", plain)
                if model == "lbc.company.role":

                    def self_grant(model=model, factory=factory, user=user):
                        record = self.env[model].with_user(user).create(factory(user))
                        self.env.flush_all()
                        return f"granted itself {record.sudo().role}"

                    self._try(f"{role}: create {model} for itself", self_grant)
                for fname in sorted(workflow):
                    if model == "res.partner" and not fname.startswith("lbc_state") and fname != "lbc_validated_by_id":
                        continue
                    value = self._forged_default(model, fname, user)
                    if value is None:
                        continue

                    def in_vals(model=model, factory=factory, user=user, fname=fname, value=value):
                        vals = {**factory(user), fname: value}
                        record = self.env[model].with_user(user).with_context(**INTERNAL_CONTEXT).create(vals)
                        self.env.flush_all()
                        return f"created {model}({record.id}) with {fname}={self._raw(record.sudo()[fname])!r}"

                    def in_default(model=model, factory=factory, user=user, fname=fname, value=value):
                        context = {**INTERNAL_CONTEXT, f"default_{fname}": value}
                        record = self.env[model].with_user(user).with_context(**context).create(factory(user))
                        self.env.flush_all()
                        got = record.sudo()[fname]
                        return f"created {model}({record.id}) with {fname}={got!r}" if self._same(got, value) else False

                    self._try(f"{role}: create {model} with {fname}={value!r} in vals", in_vals)
                    self._try(f"{role}: create {model} with default_{fname}={value!r} in context", in_default)

    def _method_create_attempts(self):
        """The public methods that create records, called with forged default_* keys and internal keys."""
        kbis = base64.b64encode(PDF)

        operator = self.operator.id
        # what each method would never produce by itself
        forged_defaults = {
            "lbc.compliance.document": {
                "state": "verified",
                "verified_by_id": operator,
                "verification_method": "urssaf_online",
                "verified_date": fields.Datetime.now() - timedelta(days=1),
            },
            "lbc.join.request": {"state": "accepted", "decided_by_id": operator},
            "lbc.connection": {"state": "accepted", "date_accepted": fields.Datetime.now() - timedelta(days=1)},
            "lbc.recommendation": {"state": "accepted", "body": "Forged praise"},
            "lbc.content.report": {"state": "dismissed", "moderator_id": operator},
            "lbc.social.group.member": {"role": "owner"},
            "lbc.company.role": {"verification_state": "verified", "verified_by_id": operator},
            "res.partner": {"lbc_state": "validated", "lbc_validated_by_id": operator},
        }

        def forged_context(model):
            return {**INTERNAL_CONTEXT, **{f"default_{k}": v for k, v in forged_defaults[model].items()}}

        def leaked(record, context):
            record = record.sudo()
            forged = {
                k[8:]: v
                for k, v in context.items()
                if k.startswith("default_") and k[8:] in record._fields and self._same(record[k[8:]], v)
            }
            return f"created {record._name}({record.id}) with {forged}" if forged else False

        calls = []
        for user in self.roles.values():
            partner = user.partner_id
            company = partner.parent_id
            calls += [
                (
                    user,
                    "lbc.compliance.document",
                    lambda ctx, user=user: self.env["lbc.compliance.document"].browse(
                        self.provider_a.with_user(user)
                        .with_context(**ctx)
                        .action_lbc_upload_compliance_document("kbis", "k.pdf", kbis, fields.Date.today())
                    ),
                ),
                (
                    user,
                    "lbc.join.request",
                    lambda ctx, user=user: self.env["lbc.join.request"].browse(
                        self.env["res.partner"]
                        .with_user(user)
                        .with_context(**ctx)
                        .action_lbc_request_join(self.client_b.id)
                    ),
                ),
                (
                    user,
                    "lbc.connection",
                    lambda ctx, user=user: (
                        self.env["lbc.connection"]
                        .with_user(user)
                        .with_context(**ctx)
                        .lbc_request_connection(self.client_b_admin.partner_id.id)
                        and self.env["lbc.connection"].sudo().search([], order="id desc", limit=1)
                    ),
                ),
                (
                    user,
                    "lbc.recommendation",
                    lambda ctx, user=user: self.env["lbc.recommendation"].browse(
                        self.env["lbc.recommendation"]
                        .with_user(user)
                        .with_context(**ctx)
                        .lbc_ask_recommendation(self.client_b_admin.partner_id.id)
                    ),
                ),
                (
                    user,
                    "lbc.content.report",
                    lambda ctx, user=user: (
                        self.env["lbc.content.report"]
                        .with_user(user)
                        .with_context(**ctx)
                        .lbc_report_content("lbc.article", self.a_published.id, "spam", "x")
                        and self.env["lbc.content.report"].sudo().search([], order="id desc", limit=1)
                    ),
                ),
                (
                    user,
                    "lbc.social.group.member",
                    lambda ctx, user=user: (
                        self.group.with_user(user).with_context(**ctx).action_join()
                        and self.group.sudo().membership_ids.filtered(
                            lambda m, user=user: m.partner_id == user.partner_id
                        )
                    ),
                ),
            ]
            if company:
                calls.append(
                    (
                        user,
                        "lbc.company.role",
                        lambda ctx, user=user: (
                            user.partner_id.with_user(user)
                            .with_context(**ctx)
                            .action_lbc_grant_role("tender_publisher")
                            and self.env["lbc.company.role"]
                            .sudo()
                            .search(
                                [("member_id", "=", user.partner_id.id), ("role", "=", "tender_publisher")], limit=1
                            )
                        ),
                    )
                )
            else:
                calls.append(
                    (
                        user,
                        "res.partner",
                        lambda ctx, user=user: self.env["res.partner"].browse(
                            self.env["res.partner"]
                            .with_user(user)
                            .with_context(**ctx)
                            .lbc_create_company(
                                {
                                    "name": "Loner Co",
                                    "lbc_is_client": True,
                                    "street": "1 rue",
                                    "city": "Paris",
                                    "country_id": self.france.id,
                                }
                            )
                        ),
                    )
                )
        for user, model, call in calls:
            context = forged_context(model)

            def attempt(call=call, context=context):
                record = call(context)
                self.env.flush_all()
                return leaked(record, context) if record else False

            self._try(f"{self.role_of[user]}: public method creating {model} with forged default_* keys", attempt)

    def _self_grant_attempts(self):
        """A member never grants itself authority (nor does it through another member of its company)."""
        roles = ("admin", "signatory", "tender_publisher", "cra_approver", "purchase_approver")
        roles = [r for r in roles if r in dict(self.env["lbc.company.role"]._fields["role"].selection)]
        for user in self.roles.values():
            label = self.role_of[user]
            if not user.partner_id.parent_id:
                continue
            for role in roles:
                if label in (CA, PA) and role == "signatory":
                    continue  # an admin may name itself signatory: the capacity counts once LBC verified it

                def attempt(user=user, role=role):
                    Role = self.env["lbc.company.role"].sudo()
                    domain = [("member_id", "=", user.partner_id.id), ("role", "=", role), ("active", "=", True)]
                    before = Role.search_count(domain)
                    user.partner_id.with_user(user).with_context(**INTERNAL_CONTEXT).action_lbc_grant_role(role)
                    return f"now holds {role}" if Role.search_count(domain) > before else False

                self._try(f"{label}: action_lbc_grant_role({role!r}) on itself", attempt)

    def _duty_attempts(self):
        """Separation of duties even when the member holds the role: the consultant never approves its own report,
        the author of a commitment never approves its purchase."""

        def consultant_approves_own_report():
            self.provider_a_consultant.partner_id.with_user(self.provider_a_admin).action_lbc_grant_role("cra_approver")
            self.r_submitted.with_user(self.provider_a_consultant).with_context(**INTERNAL_CONTEXT).action_approve()
            return "approved its own report" if self.r_submitted.sudo().state == "approved" else False

        def author_approves_own_purchase():
            self.client_a_buyer.partner_id.with_user(self.client_a_admin).action_lbc_grant_role("purchase_approver")
            self.t_approval.with_user(self.client_a_buyer).with_context(**INTERNAL_CONTEXT).action_purchase_approve()
            return "approved its own tender" if self.t_approval.sudo().purchase_approval_state == "approved" else False

        self._try(
            f"{PK} holding the CRA approver role: action_approve on its own report", consultant_approves_own_report
        )
        if self.has_purchase_approver:
            self._try(
                f"{CP} holding the purchase approver role: action_purchase_approve on its own tender",
                author_approves_own_purchase,
            )

    def _draft_company_attempts(self):
        """A company LBC has not validated neither validates itself nor publishes."""
        admin = self.client_c_admin
        Tender = self.env["lbc.tender"].with_user(admin).with_context(**INTERNAL_CONTEXT)

        def publish():
            tender = Tender.create(self._tender_vals(name="Unvalidated", client_id=self.client_c.id))
            tender.action_publish()
            return f"published {tender.id}" if tender.sudo().state == "published" else False

        def validate():
            self.client_c.with_user(admin).with_context(**INTERNAL_CONTEXT).action_lbc_validate()
            return "validated" if self.client_c.sudo().lbc_state == "validated" else False

        def write_state():
            self.client_c.with_user(admin).with_context(**INTERNAL_CONTEXT).write({"lbc_state": "validated"})
            return "validated"

        for name, func in (("publishes a tender", publish), ("validates", validate), ("writes lbc_state", write_state)):
            self._try(f"admin of a company not validated {name}", func)

    # ------------------------------------------------------------------ reads
    SEALED_FIELDS = ("daily_rate", "consultant_id", "message", "available_from", "attachment_ids", "score")

    def _sealed_read_attempts(self, bids=None, readers=None):
        if readers is None:
            readers = [u for u in self.roles.values() if self.role_of[u] in CLIENT] + [self.provider_b_admin]
        Message = self.env["mail.message"]
        for bid in bids or self.sealed_bids:
            bid = bid.sudo()
            secret = {
                "rate": bid.daily_rate,
                "consultant": bid.consultant_id.id,
                "message": bid.message,
            }
            for user in readers:
                if user.partner_id.commercial_partner_id == bid.provider_id:
                    continue
                role = self.role_of.get(user, "competitor admin")
                Bid = self.env["lbc.tender.bid"].with_user(user)
                where = f"sealed bid {bid.message} ({bid.tender_id.state})"

                def leaks(rows):
                    found = sorted({fname for row in rows for fname in self.SEALED_FIELDS if row.get(fname)})
                    return f"got {found}" if found else False

                paths = {
                    "read": lambda Bid=Bid, bid=bid: leaks(Bid.browse(bid.id).read(list(self.SEALED_FIELDS))),
                    "search_read": lambda Bid=Bid, bid=bid: leaks(
                        Bid.search_read([("id", "=", bid.id)], list(self.SEALED_FIELDS))
                    ),
                    "web_read": lambda Bid=Bid, bid=bid: leaks(
                        Bid.browse(bid.id).web_read({f: {} for f in ("daily_rate", "message", "available_from")})
                    ),
                    "formatted_read_group": lambda Bid=Bid, bid=bid: (
                        "sum of rates"
                        if any(
                            g.get("daily_rate:sum")
                            for g in Bid.formatted_read_group(
                                [("id", "=", bid.id)], ["tender_id"], ["daily_rate:sum", "score:max"]
                            )
                        )
                        else False
                    ),
                    "read_group": lambda Bid=Bid, bid=bid: (
                        "sum of rates"
                        if any(
                            g.get("daily_rate")
                            for g in Bid.read_group([("id", "=", bid.id)], ["daily_rate:sum"], ["tender_id"])
                        )
                        else False
                    ),
                    "search on the rate": lambda Bid=Bid, bid=bid, s=secret: (
                        "rate probed"
                        if Bid.search_count([("id", "=", bid.id), ("daily_rate", "=", s["rate"])])
                        and not Bid.search_count([("id", "=", bid.id), ("daily_rate", "=", s["rate"] + 1)])
                        else False
                    ),
                    "search on the consultant": lambda Bid=Bid, bid=bid, s=secret: (
                        "consultant probed"
                        if Bid.search([("id", "=", bid.id), ("consultant_id", "=", s["consultant"])])
                        and not Bid.search([("id", "=", bid.id), ("consultant_id", "!=", s["consultant"])])
                        else False
                    ),
                    "search on the message": lambda Bid=Bid, bid=bid, s=secret: (
                        "message probed"
                        if Bid.search_count([("id", "=", bid.id), ("message", "=", s["message"])])
                        and not Bid.search_count([("id", "=", bid.id), ("message", "=", "other")])
                        else False
                    ),
                    "name_search": lambda Bid=Bid, bid=bid, s=secret: (
                        "found by the message"
                        if bid.id in [r[0] for r in Bid.name_search(s["message"])]
                        and bid.id not in [r[0] for r in Bid.name_search("no-such-text-1x9")]
                        else False
                    ),
                    "chatter": lambda user=user, bid=bid: (
                        "messages or tracking"
                        if Message.with_user(user).search_read(
                            [("model", "=", "lbc.tender.bid"), ("res_id", "=", bid.id)], ["body", "tracking_value_ids"]
                        )
                        and self.env["mail.tracking.value"]
                        .with_user(user)
                        .search_count([("mail_message_id.res_id", "=", bid.id)])
                        else False
                    ),
                    "attachments": lambda user=user, bid=bid: (
                        "CV readable"
                        if self.env["ir.attachment"]
                        .with_user(user)
                        .search_read([("res_model", "=", "lbc.tender.bid"), ("res_id", "=", bid.id)], ["datas"])
                        else False
                    ),
                    "through the tender": lambda user=user, bid=bid: leaks(
                        self.env["lbc.tender"]
                        .with_user(user)
                        .browse(bid.tender_id.id)
                        .bid_ids.filtered(lambda b, bid=bid: b.id == bid.id)
                        .read(list(self.SEALED_FIELDS))
                    ),
                }
                for path, func in paths.items():
                    self._try(f"{role}: {path} of {where}", func, read=True)

    def _hidden_profile_attempts(self, viewers=None):
        profile = self.p_hidden
        for user in viewers or self.roles.values():
            role = self.role_of[user]
            if user == self.provider_a_consultant and viewers is None:
                continue
            Profile = self.env["lbc.profile"].with_user(user)
            where = "hidden sections of the consultant's profile"

            def leaks(rows):
                found = sorted({f for row in rows for f in HIDDEN_FIELDS if row.get(f)})
                return f"got {found}" if found else False

            paths = {
                "read": lambda Profile=Profile: leaks(Profile.browse(profile.id).read(list(HIDDEN_FIELDS))),
                "search_read": lambda Profile=Profile: leaks(
                    Profile.search_read([("id", "=", profile.id)], list(HIDDEN_FIELDS), limit=1)
                ),
                "web_read": lambda Profile=Profile: leaks(
                    Profile.browse(profile.id).web_read({"summary": {}, "mobility_cities": {}})
                ),
                "lbc_read_profile": lambda Profile=Profile: (
                    sorted(set(Profile.lbc_read_profile(profile.id)) & HIDDEN_KEYS) and "got hidden sections"
                ),
                "lbc_search_profiles on the summary": lambda Profile=Profile: (
                    "found by hidden text"
                    if (found := Profile.lbc_search_profiles(query="SECRET-SUMMARY"))["total"]
                    or profile.id in [r["id"] for r in found["results"]]
                    else False
                ),
                "formatted_read_group": lambda Profile=Profile: (
                    "grouped by hidden city"
                    if any(
                        g.get("mobility_cities")
                        for g in Profile.formatted_read_group(
                            [("id", "=", profile.id)], ["mobility_cities"], ["__count"]
                        )
                    )
                    else False
                ),
            }
            probes = {
                "summary": ("summary", "=", "SECRET-SUMMARY"),
                "city": ("mobility_cities", "=", "SECRET-CITY"),
                "experience": ("experience_ids.title", "=", "SECRET-XP"),
                "skill": ("skill_ids.skill_id", "=", self.python.id),
                "education": ("education_ids.school", "=", "SECRET-SCHOOL"),
            }
            for name, leaf in probes.items():
                paths[f"search_count on the {name}"] = lambda Profile=Profile, leaf=leaf: (
                    "probed" if Profile.search_count([("id", "=", profile.id), leaf], limit=1) else False
                )
            sections = {
                "lbc.profile.experience": (self.x_hidden, "title", "SECRET-XP"),
                "lbc.profile.skill": (self.s_hidden, "skill_id", self.python.id),
                "lbc.profile.education": (self.e_hidden, "school", "SECRET-SCHOOL"),
            }
            for model, (record, fname, secret) in sections.items():
                Section = self.env[model].with_user(user)
                paths[f"read {model}"] = lambda Section=Section, record=record, fname=fname: (
                    "read" if Section.browse(record.id).read([fname]) else False
                )
                paths[f"search_read {model}"] = lambda Section=Section, fname=fname: (
                    "listed" if Section.search_read([("profile_id", "=", profile.id)], [fname]) else False
                )
                paths[f"search_count {model}"] = lambda Section=Section, fname=fname, secret=secret: (
                    "probed" if Section.search_count([(fname, "=", secret)]) else False
                )
                paths[f"formatted_read_group {model}"] = lambda Section=Section: (
                    "counted"
                    if any(
                        g.get("__count")
                        for g in Section.formatted_read_group(
                            [("profile_id", "=", profile.id)], ["profile_id"], ["__count"]
                        )
                    )
                    else False
                )
                paths[f"name_search {model}"] = lambda Section=Section, record=record: (
                    "named" if record.id in [r[0] for r in Section.name_search("", limit=1000)] else False
                )
            for path, func in paths.items():
                self._try(f"{role}: {path} of the {where}", func, read=True)

    # ------------------------------------------------------------------ the matrix
    @mute_logger("odoo.models", "odoo.sql_db", "odoo.http", "odoo.addons.mail", "odoo.addons.base.models.ir_rule")
    def test_same_company_matrix(self):
        victims = self._victims()
        for label, record, _actions in victims:
            self.assertTrue(record, f"fixture: no record for {label}")
            self.assertEqual(len(record), 1, f"fixture: one record for {label}")
        for label, record, actions in victims:
            self._write_attempts(label, record)
            self._action_attempts(label, record, actions)
        self._create_attempts()
        self._method_create_attempts()
        self._self_grant_attempts()
        self._duty_attempts()
        self._draft_company_attempts()
        self._sealed_read_attempts()
        self._hidden_profile_attempts()
        _logger.info(
            "same-company matrix: %s attempts, %s succeeded, %s errors",
            self.attempts,
            len(self.successes),
            len(self.errors),
        )
        for line in self.successes:
            _logger.info("SUCCEEDED %s", line)
        for line in self.errors:
            _logger.info("ERROR %s", line)
        self.assertGreaterEqual(self.attempts, 500, "the matrix must make at least 500 attempts")
        report = "\n".join(
            [
                f"{len(self.successes)} of {self.attempts} attempts succeeded:",
                *self.successes,
                f"{len(self.errors)} attempts raised another error than a refusal:",
                *self.errors,
            ]
        )
        self.assertFalse(self.successes or self.errors, report)

    def test_matrix_detects_what_it_should(self):
        """The matrix's own machinery counts as successes the attempts that the right role may make: it can fail."""
        self._action_attempts("canary", self.r_submitted, [("action_approve", (), set())])
        self.assertTrue(any(s.startswith(f"{PC}:") and "moved" in s for s in self.successes), self.successes)
        self.successes = []
        self._try(
            "canary write",
            lambda: self.t_draft.with_user(self.client_a_buyer).write({"description": "<p>More</p>"}) and "written",
        )
        self.assertEqual(len(self.successes), 1)
        self.successes = []

        def forged_default():
            vals = {k: v for k, v in self._tender_vals().items() if k != "remote_policy"}
            tender = self.env["lbc.tender"].with_user(self.client_a_buyer).with_context(default_remote_policy="remote")
            return "forged" if self._same(tender.create(vals).sudo().remote_policy, "remote") else False

        self._try("canary default", forged_default)
        self.assertEqual(len(self.successes), 1)
        self.successes = []
        self._sealed_read_attempts(bids=self.b_selected, readers=[self.client_a_buyer])
        self.assertTrue(any(": read of" in s for s in self.successes), self.successes)
        self.successes = []
        self._hidden_profile_attempts(viewers=[self.provider_a_consultant])
        self.assertTrue(any(": read of" in s for s in self.successes), self.successes)
        self.assertEqual(self.errors, [])

    # ------------------------------------------------------------------ the legitimate paths still work
    def test_legitimate_paths(self):
        """The matrix cannot pass by refusing everything: the right role moves each workflow."""
        ctx = {"default_state": "published", "lbc_tender_state_change": True}
        tender = self.env["lbc.tender"].with_user(self.client_a_buyer).with_context(**ctx).create(self._tender_vals())
        self.assertEqual(tender.state, "draft", "a tender is created in its first state")
        tender.with_user(self.client_a_buyer).action_publish()
        self.assertEqual(tender.sudo().state, "published")
        bid = (
            self.env["lbc.tender.bid"]
            .with_user(self.provider_a_admin)
            .with_context(default_state="approved")
            .create(
                {
                    "tender_id": tender.id,
                    "provider_id": self.provider_a.id,
                    "consultant_id": self.provider_a_consultant.partner_id.id,
                    "daily_rate": 600,
                    "available_from": tender.date_start,
                    "labour_law_ack": True,
                }
            )
        )
        self.assertEqual(bid.state, "draft")
        bid.action_submit()
        self.assertEqual(bid.sudo().state, "submitted")
        self.b_selected.with_user(self.operator).action_approve()
        self.assertEqual(self.b_selected.state, "approved")
        self.t_approval.with_user(self.sc_director).action_purchase_approve()
        self.assertEqual(self.t_approval.purchase_approval_state, "approved")
        # the reports: submitted by the consultant, approved by the provider, validated by the client
        self.r_draft.with_user(self.provider_a_consultant).action_submit()
        self.assertEqual(self.r_draft.state, "submitted")
        self.r_submitted.with_user(self.provider_approver).action_approve()
        self.assertEqual(self.r_submitted.state, "approved")
        self.r_approved.with_user(self.sc_cra).action_validate()
        self.assertIn(self.r_approved.state, ("validated", "invoiced"))
        self.d_submitted.with_user(self.compliance_officer).action_verify()
        self.assertEqual(self.d_submitted.state, "verified")
        self.role_client_signatory.proof_attachment_ids = [(0, 0, {"name": "kbis.pdf", "raw": PDF})]
        self.role_client_signatory.with_user(self.compliance_officer).action_verify()
        self.assertEqual(self.role_client_signatory.verification_state, "verified")
        self.j_loner.with_user(self.provider_a_admin).action_accept()
        self.assertEqual(self.j_loner.state, "accepted")
        self.subscription.with_user(self.client_a_admin).action_lbc_cancel()
        self.assertEqual(self.subscription.lbc_state, "cancelled")
        self.client_c.with_user(self.client_c_admin).action_lbc_submit()
        self.client_c.with_user(self.operator).action_lbc_validate()
        self.assertEqual(self.client_c.lbc_state, "validated")
        self.sc_buyer.partner_id.with_user(self.client_a_admin).action_lbc_grant_role("tender_publisher")
        self.assertTrue(self.sc_buyer._lbc_has_role("tender_publisher", self.client_a))
        # the social network
        self.connection.with_user(self.provider_approver).action_accept()
        self.assertEqual(self.connection.state, "accepted")
        self.x_offered.with_user(self.provider_a_consultant).action_accept()
        self.assertEqual(self.x_offered.state, "accepted")
        self.rec_given.with_user(self.provider_a_consultant).action_accept()
        self.assertEqual(self.rec_given.state, "accepted")
        self.group.with_user(self.provider_a_admin).action_approve_member(self.provider_a_consultant.partner_id.id)
        self.assertEqual(self.m_requested.state, "member")
        self.a_draft.with_user(self.provider_a_consultant).action_publish()
        self.assertEqual(self.a_draft.state, "published")
        # the owner still reads its hidden sections
        profile = self.env["lbc.profile"].with_user(self.provider_a_consultant).lbc_read_profile(self.p_hidden.id)
        self.assertEqual(profile.get("summary"), "SECRET-SUMMARY")

    def test_sealed_bids_open_at_the_deadline(self):
        """After the deadline the client reads the bids it could not read before (the read paths are not closed
        to everybody)."""
        self.t_sealed.with_context(lbc_tender_state_change=True).write(
            {"deadline": fields.Datetime.now() - timedelta(minutes=1)}
        )
        self.env["lbc.tender"]._lbc_close_past_deadline()
        self.env.invalidate_all()
        rows = (
            self.env["lbc.tender.bid"]
            .with_user(self.client_a_buyer)
            .search_read([("tender_id", "=", self.t_sealed.id)], ["daily_rate", "message"])
        )
        self.assertEqual(sorted(r["message"] for r in rows), ["SECRET-A", "SECRET-B"])
        self.assertTrue(all(r["daily_rate"] for r in rows))

    # ------------------------------------------------------------------ a sample over the JSON-2 API
    def _json2(self, user, model, method, payload):
        return self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.api_keys[user.id]}"},
        )

    @mute_logger("odoo.http", "odoo.sql_db", "odoo.models", "odoo.addons.rpc.controllers.json2")
    def test_json2_sample(self):
        context = {**INTERNAL_CONTEXT, "default_state": "validated"}
        calls = [
            (self.provider_a_consultant, self.r_submitted, "action_approve", {}),
            (self.provider_a_consultant, self.r_approved, "action_validate", {}),
            (self.provider_a_consultant, self.r_approved, "write", {"vals": {"state": "validated"}}),
            (self.provider_a_admin, self.b_selected, "action_approve", {}),
            (self.provider_a_admin, self.d_submitted, "action_verify", {"method": "urssaf_online"}),
            (self.client_a_buyer, self.t_approval, "action_purchase_approve", {}),
            (self.client_a_buyer, self.t_approval, "write", {"vals": {"purchase_approval_state": "approved"}}),
            (self.client_a_admin, self.role_client_signatory, "write", {"vals": {"verification_state": "verified"}}),
            (self.client_a_admin, self.role_client_signatory, "action_verify", {}),
            (self.client_c_admin, self.client_c, "action_lbc_validate", {}),
            (self.sc_buyer, self.t_draft, "write", {"vals": {"state": "published"}}),
            (self.sc_buyer, self.sc_buyer.partner_id, "action_lbc_grant_role", {"role": "tender_publisher"}),
        ]
        attempts, succeeded = 0, []
        for user, record, method, kwargs in calls:
            before = self._snapshot(record)
            roles_before = self.env["lbc.company.role"].sudo().search_count([])
            response = self._json2(user, record._name, method, {"ids": record.ids, "context": context, **kwargs})
            attempts += 1
            self.assertNotEqual(response.status_code, 500, f"{method} on {record._name}: {response.text[:300]}")
            if response.ok:
                after = self._snapshot(record)
                if after != before or self.env["lbc.company.role"].sudo().search_count([]) != roles_before:
                    succeeded.append(f"json2 {user.login}: {record._name}.{method}({kwargs}) moved {before} -> {after}")
            else:
                body = response.json()
                self.assertTrue(body.get("message"), f"refused without a message: {body}")
        # sealed bids over the API: the client reads no rate before the deadline
        for user in (self.client_a_buyer, self.client_a_admin):
            response = self._json2(
                user,
                "lbc.tender.bid",
                "search_read",
                {"domain": [["tender_id", "=", self.t_sealed.id]], "fields": ["daily_rate", "message"]},
            )
            attempts += 1
            if response.ok and any(r.get("daily_rate") or r.get("message") for r in response.json()):
                succeeded.append(f"json2 {user.login}: search_read of sealed bids: {response.json()}")
        # the same API moves a workflow for the right role (the sample can tell acceptance from refusal)
        response = self._json2(
            self.provider_approver, "lbc.activity.report", "action_approve", {"ids": self.r_submitted.ids}
        )
        self.assertTrue(response.ok, response.text[:300])
        self.env.invalidate_all()
        self.assertEqual(self.r_submitted.state, "approved")
        _logger.info("same-company JSON-2 sample: %s attempts, %s succeeded", attempts, len(succeeded))
        self.assertEqual(succeeded, [], f"{len(succeeded)} of {attempts} JSON-2 attempts succeeded")
