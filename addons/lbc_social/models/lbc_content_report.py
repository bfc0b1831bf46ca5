from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext

REPORTABLE_MODELS = {
    "lbc.profile": "Profile",
    "mail.message": "Message",
    "lbc.social.post": "Post",
    "lbc.article": "Article",
    "lbc.recommendation": "Recommendation",
}
CATEGORIES = [
    ("unlawful", "Unlawful content"),
    ("defamatory", "Defamatory"),
    ("offensive", "Offensive or violent"),
    ("political", "Political"),
    ("racist", "Racist or xenophobic"),
    ("spam", "Spam"),
    ("crimes_against_humanity", "Apology of crimes against humanity"),
    ("hatred", "Incitement to hatred"),
    ("child_abuse", "Child abuse"),
    ("human_dignity", "Attack on human dignity"),
    ("gambling", "Illegal gambling"),
    ("other", "Other"),
]


class LbcContentReport(models.Model):
    _name = "lbc.content.report"
    _description = "Content Report"
    _inherit = ["lbc.workflow.mixin", "mail.thread"]
    _order = "state_sequence, create_date desc, id desc"
    # a report is filed by lbc_report_content and decided by the moderators' actions only
    _lbc_workflow_fields = (
        "res_model",
        "res_id",
        "reported_partner_id",
        "content_snapshot",
        "category",
        "reason",
        "state",
        "moderator_id",
        "decision_date",
        "decision_note",
    )
    _lbc_parent_fields = ("reporter_id",)

    reporter_id = fields.Many2one("res.partner", required=True, readonly=True, ondelete="cascade", index=True)
    res_model = fields.Selection(
        list(REPORTABLE_MODELS.items()),
        string="Content Type",
        required=True,
        readonly=True,
    )
    res_id = fields.Integer(string="Content ID", required=True, readonly=True)
    reported_partner_id = fields.Many2one(
        "res.partner", string="Reported Member", readonly=True, index=True, ondelete="cascade"
    )
    content_snapshot = fields.Text(readonly=True, help="The content as it was when reported.")
    category = fields.Selection(CATEGORIES, required=True, readonly=True)
    reason = fields.Text(required=True, readonly=True)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("hidden", "Content hidden"),
            ("warned", "Member warned"),
            ("suspended", "Member suspended"),
            ("dismissed", "Dismissed"),
            ("abusive", "Abusive report"),
        ],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    moderator_id = fields.Many2one("res.users", readonly=True)
    decision_date = fields.Datetime(readonly=True)
    decision_note = fields.Text(readonly=True)

    _one_open_per_reporter = models.UniqueIndex(
        "(reporter_id, res_model, res_id) WHERE state = 'open'", "You already reported this content."
    )

    @api.depends("state")
    def _compute_state_sequence(self):
        for report in self:
            report.state_sequence = 0 if report.state == "open" else 1

    @api.depends("res_model", "res_id", "category")
    def _compute_display_name(self):
        labels = dict(self._fields["res_model"]._description_selection(self.env))
        for report in self:
            report.display_name = f"{labels.get(report.res_model, '')} #{report.res_id}"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Report content with lbc_report_content."))
        return super().create(vals_list)

    # --- reporting ------------------------------------------------------------
    @api.model
    def _lbc_snapshot(self, record, reporter_user=None):
        """The reported content as the reporter sees it: never more (a profile's hidden sections stay out)."""
        if record._name == "mail.message":
            return html2plaintext(record.body or "")
        if record._name == "lbc.profile":
            sections = record.sudo()._lbc_visible_sections(reporter_user or self.env.user)
            return "\n".join(
                filter(
                    None,
                    [
                        record.name,
                        record.headline if "card" in sections else None,
                        record.summary if "summary" in sections else None,
                    ],
                )
            )
        if record._name == "lbc.article":
            return f"{record.name}\n{html2plaintext(record.body or '')}"
        return record.body or ""

    @api.model
    def lbc_report_content(self, res_model, res_id, category, reason):
        """Report a profile, message, post, article or recommendation the current member can see."""
        me = self.env.user.partner_id
        if self.env.user._is_public():
            raise AccessError(self.env._("Please sign in to report content."))
        if res_model not in REPORTABLE_MODELS:
            raise UserError(self.env._("This kind of content cannot be reported."))
        if category not in dict(CATEGORIES):
            raise UserError(self.env._("Choose a category."))
        if not (reason or "").strip():
            raise UserError(self.env._("Please explain the reason of your report."))
        record = self.env[res_model].browse(int(res_id)).exists()
        if not record:
            raise UserError(self.env._("This content does not exist any more."))
        if res_model == "lbc.profile":
            if not record.sudo()._lbc_visible_sections(self.env.user):
                raise AccessError(self.env._("You cannot see this profile."))
        elif res_model == "lbc.recommendation":
            if not record._lbc_reportable_by(self.env.user):
                raise AccessError(self.env._("You cannot see this recommendation."))
        elif res_model == "mail.message":
            if record.model not in ("lbc.conversation", "lbc.article"):
                raise UserError(self.env._("This kind of content cannot be reported."))
            record.check_access("read")
        else:
            record.check_access("read")
        record = record.sudo()
        author = record.author_id if res_model == "mail.message" else record._lbc_moderation_author()
        if self.sudo().search_count(
            [
                ("reporter_id", "=", me.id),
                ("res_model", "=", res_model),
                ("res_id", "=", record.id),
                ("state", "=", "open"),
            ],
            limit=1,
        ):
            raise UserError(self.env._("You already reported this content: the moderators are on it."))
        self.env["lbc.rate.limit"]._lbc_hit("report")
        report = self._lbc_workflow_create(
            [
                {
                    "reporter_id": me.id,
                    "res_model": res_model,
                    "res_id": record.id,
                    "reported_partner_id": author.id,
                    "content_snapshot": self._lbc_snapshot(record, self.env.user),
                    "category": category,
                    "reason": reason.strip(),
                }
            ]
        )
        return report.id

    # --- moderation -------------------------------------------------------------
    def _lbc_target(self):
        self.ensure_one()
        return self.env[self.res_model].sudo().browse(self.res_id).exists()

    def _check_moderator(self, states=("open",)):
        if self.env.su:
            return
        if not self.env.user.has_group("lbc_base.group_moderator"):
            raise AccessError(self.env._("Only LBC moderators handle reports."))
        me = self.env.user.partner_id
        for report in self:
            # nobody judges its own case: neither the reported member nor the reporter
            if me in (report.reported_partner_id | report.reporter_id):
                raise AccessError(
                    self.env._("Reports on your own content, or filed by you, are for another moderator.")
                )
            if report.state not in states:
                raise UserError(self.env._("This report was already handled."))

    def _lbc_decide(self, state, note=None):
        self._lbc_workflow_write(
            {
                "state": state,
                "moderator_id": self.env.user.id,
                "decision_date": fields.Datetime.now(),
                "decision_note": note,
            }
        )

    def _lbc_hide_target(self):
        for report in self:
            target = report._lbc_target()
            if not target:
                continue
            if target._name == "mail.message":
                target.write(
                    {
                        "body": Markup("<p><i>%s</i></p>") % self.env._("This message was removed by the moderators."),
                        "attachment_ids": [fields.Command.clear()],
                    }
                )
            else:
                target._lbc_moderation_hide()

    def _lbc_notify_author(self, body):
        for report in self.filtered("reported_partner_id"):
            report.sudo().message_notify(
                body=body, partner_ids=report.reported_partner_id.ids, subject=self.env._("LBC moderation")
            )

    def action_hide(self, note=None):
        """Hide the reported content: gone for everyone but the moderators."""
        self._check_moderator()
        self._lbc_hide_target()
        self._lbc_decide("hidden", note)
        self._lbc_notify_author(
            self.env._("Content of yours was hidden by the moderators after a report: it breaks the terms of use.")
        )
        return True

    def action_warn(self, note=None):
        """Warn the author of the content (the content stays)."""
        self._check_moderator()
        self._lbc_decide("warned", note)
        self._lbc_notify_author(
            self.env._(
                "Warning from the LBC moderators: content of yours was reported and breaks the terms of use. %(note)s",
                note=note or "",
            )
        )
        return True

    def action_suspend(self, note=None):
        """Hide the content and suspend the author on the social network."""
        self._check_moderator()
        self._lbc_hide_target()
        for report in self.filtered("reported_partner_id"):
            self.env["lbc.profile"]._lbc_get_or_create(report.reported_partner_id)._lbc_suspend()
        self._lbc_decide("suspended", note)
        self._lbc_notify_author(
            self.env._("Your account is suspended on the LBC social network after a report. %(note)s", note=note or "")
        )
        return True

    def action_dismiss(self, note=None):
        self._check_moderator()
        self._lbc_decide("dismissed", note)
        return True

    def action_mark_abusive(self, note=None):
        """The report itself abuses the reporting tool."""
        self._check_moderator()
        self._lbc_decide("abusive", note)
        return True

    def action_open_content(self):
        """Moderators open the reported record in the backend."""
        self.ensure_one()
        self._check_moderator(states=[s for s, _label in self._fields["state"].selection])
        if self.res_model == "mail.message":
            message = self._lbc_target()
            return {
                "type": "ir.actions.act_window",
                "res_model": message.model,
                "res_id": message.res_id,
                "view_mode": "form",
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
