"""19.0.1.0.1: the record rules of the profile sections follow the sections' visibility.

The rules live in a noupdate block: drop the old ones so that the update loads them again as defined now
(the staff rules no longer open the sections of members under report to every LBC employee, the members'
rules no longer rest on the entries' stored partner).
"""

from odoo.tools import SQL

RULES = [
    f"{model}_rule_{who}"
    for model in ("lbc_profile_experience", "lbc_profile_skill", "lbc_profile_education")
    for who in ("portal", "staff")
]


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """DELETE FROM ir_rule WHERE id IN (
                   SELECT res_id FROM ir_model_data WHERE module = 'lbc_social' AND model = 'ir.rule' AND name IN %s
               )""",
            tuple(RULES),
        )
    )
    cr.execute(
        SQL(
            "DELETE FROM ir_model_data WHERE module = 'lbc_social' AND model = 'ir.rule' AND name IN %s",
            tuple(RULES),
        )
    )
