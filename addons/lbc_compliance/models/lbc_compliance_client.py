"""The client's side of the vigilance documents: a client company reads the documents of the providers it contracts
with, for as long as it does (Code du travail L.8222-1: the client checks them at contracting and every six months
until the end of the engagement).

An engagement (an lbc.mission...) plans the provider's checks naming the client (`lbc.compliance.check`); when it
ends, its checks are closed and the record rule `lbc_compliance_document_rule_member` no longer lets the client read
the provider's documents, on every read path (search, read, the file through /web/content, its ir.attachment).
"""

from odoo import api, fields, models

from .lbc_compliance_check import LbcComplianceCheck as BaseCheck

# the page where a client checks the security code of an URSSAF attestation (ir.config_parameter to change it)
URSSAF_VERIFY_URL = "https://www.urssaf.fr/portail/home/utile-et-pratique/verification-attestation.html"


class LbcComplianceCheck(models.Model):
    _inherit = "lbc.compliance.check"
    _lbc_workflow_fields = (*BaseCheck._lbc_workflow_fields, "engagement_closed")

    engagement_closed = fields.Boolean(
        readonly=True,
        index=True,
        copy=False,
        help="The engagement ended (done or terminated): its client no longer reads the provider's vigilance "
        "documents.",
    )

    @api.model
    def _lbc_end_engagement(self, engagement, date_end):
        res = super()._lbc_end_engagement(engagement, date_end)
        self.sudo()._lbc_engagement_checks(engagement)._lbc_workflow_write({"engagement_closed": True})
        return res

    def _lbc_plan_next(self):
        # a closed engagement plans no more check (its client no longer reads the documents)
        return super(LbcComplianceCheck, self.filtered(lambda c: not c.engagement_closed))._lbc_plan_next()

    # --- the daily run: engagements past their end date are closed ----------------------------
    def _lbc_cron_steps(self):
        return [*super()._lbc_cron_steps(), self._lbc_cron_close_engagements]

    def _lbc_cron_close_engagements(self, run_date, batch_size, stats):
        """Close the checks of the engagements whose end date has passed (the mission ended on its date, with
        no one ending it by hand): their client no longer reads the provider's documents. In batches, each
        committed in the cron; safe to re-run (a closed check is not selected again)."""
        stats.setdefault("closed", 0)
        domain = [
            ("engagement_closed", "=", False),
            ("engagement_date_end", "!=", False),
            ("engagement_date_end", "<", run_date),
        ]
        while True:
            checks = self.search(domain, limit=batch_size, order="engagement_date_end, id")
            if not checks:
                return True
            checks._lbc_workflow_write({"engagement_closed": True})
            # nothing is due after the engagement's end any more
            checks.filtered(lambda c: c.state == "due" and c.date_due > c.engagement_date_end)._lbc_workflow_write(
                {"state": "cancelled"}
            )
            stats["closed"] += len(checks)
            if not self._lbc_commit_progress(len(checks), self.search_count(domain)):
                return False

    # --- the client's side ----------------------------------------------------------------
    @api.model
    def _lbc_engaged_providers(self, client):
        """The providers `client` contracts with now (an engagement not ended), in sudo: the caller checked that
        the current user is a member of this client."""
        checks = self.sudo().search([("client_id", "=", client.id), ("engagement_closed", "=", False)])
        return checks.partner_id.sorted("name")

    @api.model
    def _lbc_urssaf_verify_url(self):
        return self.env["ir.config_parameter"].sudo().get_param("lbc_compliance.urssaf_verify_url") or URSSAF_VERIFY_URL

    @api.model
    def lbc_my_providers_compliance(self):
        """The providers the current member's company contracts with and their vigilance status, over RPC as on the
        portal: [{id, name, state, state_label, issues, document_ids}], `document_ids` the current documents the
        member reads (through the record rule, as the member). Empty for a member of no client company."""
        company = self.env.user.partner_id.commercial_partner_id
        if not company.lbc_is_client:
            return []
        # sudo: the providers of the member's own company's running engagements, their name and status only
        providers = self._lbc_engaged_providers(company)
        documents = self.env["lbc.compliance.document"].search(
            [("partner_id", "in", providers.ids), ("is_current", "=", True)]
        )
        labels = dict(providers._fields["lbc_compliance_state"]._description_selection(self.env))
        return [
            {
                "id": provider.id,
                "name": provider.name,
                "state": provider.lbc_compliance_state or False,
                "state_label": labels.get(provider.lbc_compliance_state) or "",
                "issues": (provider.lbc_compliance_issues or "").splitlines(),
                "document_ids": documents.filtered(lambda d, p=provider: d.partner_id == p).ids,
            }
            for provider in providers
        ]
