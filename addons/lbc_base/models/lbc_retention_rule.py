import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools.safe_eval import safe_eval

_logger = logging.getLogger(__name__)

# Records the retention run never deletes, whatever a rule says: the law keeps them (invoices, accounting),
# or their own model forbids it (vigilance documents: their files are removed instead).
NEVER_UNLINK_MODELS = {"account.move", "account.move.line", "lbc.compliance.document", "lbc.mission"}
RETENTION_BATCH = 500


class LbcRetentionRule(models.Model):
    _name = "lbc.retention.rule"
    _description = "Personal Data Retention Rule"
    _order = "model_name, id"

    name = fields.Char(required=True, translate=True)
    model_name = fields.Char(string="Model", required=True, help="Technical name, e.g. lbc.compliance.document.")
    date_field = fields.Char(
        required=True,
        help="The date the retention period starts from (e.g. the end of the relationship, the document's expiry).",
    )
    years = fields.Integer(string="Retention (years)", required=True, default=5)
    domain = fields.Char(default="[]", help="Only the records matching this domain are concerned.")
    action = fields.Selection(
        [
            ("unlink", "Delete the records"),
            ("purge_files", "Remove the files, keep the record"),
            ("archive", "Archive the records"),
        ],
        required=True,
        default="purge_files",
    )
    active = fields.Boolean(default=True)
    last_run_date = fields.Datetime(readonly=True)
    last_run_count = fields.Integer(readonly=True)

    _years_positive = models.Constraint("CHECK(years > 0)", "A retention period is at least one year.")

    @api.constrains("model_name", "date_field", "action", "domain")
    def _check_rule(self):
        for rule in self:
            if rule.action == "unlink" and rule.model_name in NEVER_UNLINK_MODELS:
                raise ValidationError(
                    self.env._(
                        "Records of %(model)s are never deleted by a retention rule: remove their files instead.",
                        model=rule.model_name,
                    )
                )
            if rule.model_name not in self.env:
                continue  # the addon may not be installed (yet): the rule waits
            model = self.env[rule.model_name]
            field = model._fields.get(rule.date_field)
            if not field or field.type not in ("date", "datetime") or not field.store:
                raise ValidationError(
                    self.env._(
                        "%(field)s is not a stored date of %(model)s.", field=rule.date_field, model=rule.model_name
                    )
                )
            if rule.action == "archive" and "active" not in model._fields:
                raise ValidationError(self.env._("%(model)s cannot be archived.", model=rule.model_name))
            rule._lbc_domain()

    def _lbc_domain(self):
        self.ensure_one()
        try:
            extra = safe_eval(self.domain or "[]")
        except Exception as error:
            raise ValidationError(self.env._("The domain of %(rule)s is invalid.", rule=self.name)) from error
        return Domain(extra)

    def _lbc_expired_domain(self, now=None):
        self.ensure_one()
        now = now or fields.Datetime.now()
        cutoff = now - relativedelta(years=self.years)
        field = self.env[self.model_name]._fields[self.date_field]
        limit = cutoff.date() if field.type == "date" else cutoff
        return Domain(self.date_field, "<", limit) & Domain(self.date_field, "!=", False) & self._lbc_domain()

    def _lbc_apply(self, batch_size=RETENTION_BATCH):
        """Apply the rules on what is past retention; returns the number of records handled.
        Non-committing: the cron commits between rules."""
        total = 0
        for rule in self:
            if rule.model_name not in self.env:
                continue
            Model = self.env[rule.model_name].sudo().with_context(active_test=False)
            domain = rule._lbc_expired_domain()
            if rule.action == "purge_files":
                records = Model.search(domain)
                # every file of the records: attached ones and the files of their binary fields (an attachment
                # with res_field set, which a search on res_model/res_id alone leaves out)
                attachments = (
                    self.env["ir.attachment"]
                    .sudo()
                    .search(
                        Domain("res_model", "=", rule.model_name)
                        & Domain("res_id", "in", records.ids)
                        & (Domain("res_field", "=", False) | Domain("res_field", "!=", False)),
                        limit=batch_size,
                    )
                )
                count = len(attachments)
                for attachment in attachments:
                    _logger.info(
                        "lbc retention: file %s of %s,%s removed (rule %s)",
                        attachment.id,
                        attachment.res_model,
                        attachment.res_id,
                        rule.id,
                    )
                attachments.unlink()
            elif rule.action == "archive":
                records = Model.search(domain & Domain("active", "=", True), limit=batch_size)
                count = len(records)
                records.write({"active": False})
            else:
                if rule.model_name in NEVER_UNLINK_MODELS:
                    continue
                records = Model.search(domain, limit=batch_size)
                count = len(records)
                records.unlink()
            rule.write({"last_run_date": fields.Datetime.now(), "last_run_count": count})
            total += count
        return total

    @api.model
    def _cron_lbc_retention(self):
        """Daily: remove what is past its retention period, rule by rule, committing between rules."""
        rules = self.sudo().search([])
        for index, rule in enumerate(rules, start=1):
            count = rule._lbc_apply()
            _logger.info("lbc retention: %s handled %s record(s)", rule.model_name, count)
            if self.env.context.get("ir_cron_progress_id"):
                self.env["ir.cron"]._commit_progress(processed=1, remaining=len(rules) - index)
        return True
