"""19.0.1.2.0: the daily tender digest is not transactional: it carries its recipient's unsubscribe link. The
template is noupdate data: reset it from the addon's file (and its translations) so that existing databases get
the link too."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref("lbc_tender.mail_template_tender_digest", raise_if_not_found=False)
    if template:
        template.reset_template()
