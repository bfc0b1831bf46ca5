"""19.0.1.2.0: the expiry reminder carries the direct upload link. Its template is noupdate data (LBC may edit
the others): this one is dropped here and created again from data/mail_template_data.xml by the update."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        DELETE FROM ir_model_data
         WHERE module = 'lbc_compliance' AND name = 'mail_template_document_expiry_reminder'
           AND model = 'mail.template'
     RETURNING res_id
        """
    )
    ids = [row[0] for row in cr.fetchall()]
    if ids:
        cr.execute("DELETE FROM mail_template WHERE id IN %s", [tuple(ids)])
