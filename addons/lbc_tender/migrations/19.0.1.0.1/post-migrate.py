"""19.0.1.0.1: sealed bids open at the deadline only, whatever happens to the tender before it.

The record rules are noupdate: their domains are rewritten from the module's security file."""

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.tools.misc import file_path

RULES = ("lbc_tender_bid_rule_client", "res_partner_rule_client_reads_bidders")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    with open(file_path("lbc_tender/security/lbc_tender_security.xml"), "rb") as security:
        tree = etree.parse(security)
    for xmlid in RULES:
        rule = env.ref(f"lbc_tender.{xmlid}", raise_if_not_found=False)
        domain = tree.xpath(f"//record[@id='{xmlid}']/field[@name='domain_force']/text()")
        if rule and domain:
            rule.domain_force = domain[0].strip()
