"""Helpers of the LBC addons' migration scripts."""

import logging
from pathlib import Path

from lxml import etree

from odoo.modules.module import get_manifest
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def _declared_ids(module):
    """The xml ids (without module) that `module`'s data files declare: templates and records."""
    manifest = get_manifest(module)
    names = set()
    for data_file in manifest.get("data", []):
        if not data_file.endswith(".xml"):
            continue
        path = Path(manifest["addons_path"], module, data_file)
        for node in etree.parse(str(path)).iter("template", "record", "menuitem"):
            xmlid = node.get("id")
            if xmlid and "." not in xmlid:
                names.add(xmlid)
    return names


def move_xmlids(cr, from_module, to_module):
    """Give `to_module` the records it now declares that `from_module` used to: their xml ids change module
    (views keep their id, their translations and the changes made on them) instead of being deleted with the
    old module's data and created again. Run in `to_module`'s pre-migration: it is loaded first."""
    names = _declared_ids(to_module)
    if not names:
        return
    cr.execute(
        SQL(
            """UPDATE ir_model_data SET module = %s
                WHERE module = %s AND name IN %s
                  AND NOT EXISTS (SELECT 1 FROM ir_model_data d WHERE d.module = %s AND d.name = ir_model_data.name)
            RETURNING model, res_id, name""",
            to_module,
            from_module,
            tuple(names),
            to_module,
        )
    )
    moved = cr.fetchall()
    views = [res_id for model, res_id, _name in moved if model == "ir.ui.view"]
    if views:
        # website and the frontend resolve templates by their key, which is the xml id
        cr.execute(
            SQL(
                "UPDATE ir_ui_view SET key = %s || substr(key, %s) WHERE id IN %s AND key LIKE %s",
                to_module,
                len(from_module) + 1,
                tuple(views),
                f"{from_module}.%",
            )
        )
    _logger.info("%d records moved from %s to %s", len(moved), from_module, to_module)
