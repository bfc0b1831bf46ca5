"""19.0.1.2.0: the daily tender digest is not transactional: it carries its recipient's unsubscribe link. The
template is noupdate data: reset it from the addon's file (and its translations) so that existing databases get
the link too.

Providers no longer read every validated client company: a member reads the companies whose page it
may open (its own, the other party of the tenders, bids and missions it can read). The rule is noupdate: its new
domain is written here."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref("lbc_tender.mail_template_tender_digest", raise_if_not_found=False)
    if template:
        template.reset_template()
    rule = env.ref("lbc_tender.res_partner_rule_provider_reads_clients", raise_if_not_found=False)
    if rule:
        rule.write(
            {
                "name": "res.partner: members read the other party of their tenders, bids and missions",
                "domain_force": "[('lbc_page_visible', '=', True)]",
            }
        )
