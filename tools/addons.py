"""What ./lbc test installs, read from the manifests by OCA's manifestoo (never a hand-kept list).

    addons.py list                   every lbc addon, dependencies first
    addons.py odoo-deps [ADDON...]   Odoo's addons that ADDONs (default: all) need, their `depends` followed
                                     through the lbc addons (Odoo installs the rest of its own tree itself)
    addons.py alone                  the lbc addons tested alone with their dependencies: every one whose
                                     dependencies are not the whole suite (the top addon alone is the full run)

An lbc addon is a folder of addons/ with a __manifest__.py; any other dependency is Odoo's. Runs with the
suite's virtualenv (manifestoo is pinned in requirements.txt). Output: one comma-separated line.
"""

import sys
from pathlib import Path

from manifestoo.addon_sorter import AddonSorterTopological
from manifestoo.addons_selection import AddonsSelection
from manifestoo.commands.list_depends import list_depends_command
from manifestoo.dependency_iterator import dependency_iterator
from manifestoo_core.addons_set import AddonsSet

ADDONS = Path(__file__).resolve().parent.parent / "addons"


def suite():
    addons = AddonsSet()
    addons.add_from_addons_dir(ADDONS)
    return addons


def closure(names, addons):
    """ADDONs and every lbc addon below them."""
    return {name for name, addon in dependency_iterator(AddonsSelection(names), addons, transitive=True) if addon}


def main(argv):
    addons = suite()
    command, names = (argv[0] if argv else ""), argv[1:]
    unknown = [name for name in names if name not in addons]
    if unknown:
        sys.exit(f"addons.py: not an lbc addon: {', '.join(unknown)} (addons: {', '.join(sorted(addons))})")
    if command == "list":
        result = AddonSorterTopological().sort(addons.keys(), addons)
    elif command == "odoo-deps":
        # transitively through the lbc addons; Odoo's are not in the set, so they are reported "missing"
        _depends, odoo = list_depends_command(AddonsSelection(names or addons.keys()), addons, transitive=True)
        result = sorted(odoo)
    elif command == "alone":
        everything = set(addons)
        ordered = AddonSorterTopological().sort(addons.keys(), addons)
        result = [name for name in ordered if closure([name], addons) != everything]
    else:
        sys.exit(__doc__)
    print(",".join(result))


if __name__ == "__main__":
    main(sys.argv[1:])
