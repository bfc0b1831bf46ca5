from odoo.addons.lbc_base.tests.common import LbcBaseCommon
from odoo.exceptions import ValidationError


class TestRetentionInvoices(LbcBaseCommon):
    """lbc_base's retention rule on invoices, with account installed."""

    def test_retention_cron_keeps_posted_invoices(self):
        self.env["lbc.retention.rule"]._cron_lbc_retention()
        rule = self.env.ref("lbc_base.lbc_retention_rule_invoice")
        self.assertEqual(rule.action, "purge_files")
        with self.assertRaises(ValidationError):
            rule.action = "unlink"
