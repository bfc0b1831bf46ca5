"""19.0.1.2.0: a client reads the vigilance documents of a provider for as long as it contracts with it.

- the member rule (noupdate) gets its new domain: engagements not ended only;
- the checks of engagements already ended (missions done or terminated) are closed.
"""

from odoo import SUPERUSER_ID, api

RULE_DOMAIN = (
    "['|', ('partner_id', '=', user.commercial_partner_id.id), ('partner_id.lbc_compliance_check_ids', 'any', "
    "[('client_id', '=', user.commercial_partner_id.id), ('engagement_closed', '=', False)])]"
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref("lbc_compliance.lbc_compliance_document_rule_member", raise_if_not_found=False)
    if rule:
        rule.write(
            {
                "domain_force": RULE_DOMAIN,
                "name": "Vigilance documents: own company, or providers the member's company contracts with",
            }
        )
    cr.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'lbc_mission'")
    if cr.fetchone():
        cr.execute(
            """
            UPDATE lbc_compliance_check c
               SET engagement_closed = TRUE
              FROM lbc_mission m
             WHERE c.res_model = 'lbc.mission' AND c.res_id = m.id AND m.state IN ('done', 'terminated')
            """
        )
