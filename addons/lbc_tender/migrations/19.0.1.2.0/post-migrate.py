"""19.0.1.2.0: providers no longer read every validated client company: a member reads the companies whose page it
may open (its own, the other party of the tenders, bids and missions it can read). The rule is noupdate: its new
domain is written here."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref("lbc_tender.res_partner_rule_provider_reads_clients", raise_if_not_found=False)
    if rule:
        rule.write(
            {
                "name": "res.partner: members read the other party of their tenders, bids and missions",
                "domain_force": "[('lbc_page_visible', '=', True)]",
            }
        )
