from datetime import timedelta

from .common import LbcComplianceCommon


class TestRetentionPurge(LbcComplianceCommon):
    """lbc_base's retention rule removes the file of a vigilance document superseded more than five years after
    its expiry: the file is the attachment of a binary field (res_field set), which a plain search misses."""

    def _files(self, doc):
        return (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", doc._name), ("res_id", "=", doc.id), ("res_field", "=", "file")])
        )

    def test_old_vigilance_file_purged_current_kept(self):
        old = self._upload(self.provider_a, "kbis", issue_date=self.today - timedelta(days=20))
        current = self._upload(self.provider_a, "kbis")
        self.assertFalse(old.is_current)
        self.assertTrue(self._files(old) and self._files(current))
        rule = self.env.ref("lbc_base.lbc_retention_rule_compliance_document")
        self.assertEqual(rule._lbc_apply(), 0, "nothing is past retention yet")
        # the old attestation expired six years ago
        self.env.cr.execute(
            "UPDATE lbc_compliance_document SET expiry_date = %s WHERE id = %s",
            (self.today - timedelta(days=6 * 366), old.id),
        )
        old.invalidate_recordset()
        self.assertEqual(rule._lbc_apply(), 1)
        self.assertFalse(self._files(old), "the file is gone")
        self.assertTrue(old.exists(), "the record stays: it proves the check was made")
        self.assertFalse(old.sudo().file)
        self.assertTrue(self._files(current), "the current document keeps its file")
        self.assertEqual(rule.last_run_count, 1)
