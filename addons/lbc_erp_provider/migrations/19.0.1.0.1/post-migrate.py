"""19.0.1.0.1: an activity report is one line of each document (the invoicing run groups reports), so the link to
the report moves from the invoice (account_move.lbc_activity_report_id, left in place) to its product line."""


def migrate(cr, version):
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
         WHERE table_name = 'account_move' AND column_name = 'lbc_activity_report_id'
        """
    )
    if not cr.fetchone():
        return
    cr.execute(
        """
        UPDATE account_move_line line
           SET lbc_activity_report_id = move.lbc_activity_report_id,
               lbc_invoice_kind = move.lbc_invoice_kind
          FROM account_move move
         WHERE line.move_id = move.id
           AND move.lbc_activity_report_id IS NOT NULL
           AND move.move_type IN ('out_invoice', 'in_invoice')
           AND line.display_type = 'product'
           AND line.lbc_activity_report_id IS NULL
        """
    )
    cr.execute(
        """
        UPDATE account_move_line line
           SET lbc_provider_id = report.provider_id, lbc_client_id = report.client_id
          FROM lbc_activity_report report
         WHERE line.lbc_activity_report_id = report.id AND line.lbc_provider_id IS NULL
        """
    )
