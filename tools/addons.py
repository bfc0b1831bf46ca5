"""What ./lbc test installs, read from the manifests (never a hand-kept list).

    addons.py list                   every lbc addon, dependencies first
    addons.py odoo-deps [ADDON...]   Odoo's addons that ADDONs (default: all) need, their `depends` followed
                                     through the lbc addons (Odoo installs the rest of its own tree itself)
    addons.py alone                  the lbc addons tested alone with their dependencies: every one whose
                                     dependencies are not the whole suite (the top addon alone is the full run)

An lbc addon is a folder of addons/ with a __manifest__.py; any other dependency is Odoo's.
Output: one comma-separated line.
"""

import ast
import sys
from pathlib import Path

ADDONS = Path(__file__).resolve().parent.parent / "addons"


def manifests():
    return {
        path.parent.name: ast.literal_eval(path.read_text(encoding="utf-8"))
        for path in sorted(ADDONS.glob("*/__manifest__.py"))
    }


def ordered(depends):
    """The lbc addons, each after the lbc addons it depends on (stable: by name otherwise)."""
    done = []

    def visit(name, path=()):
        if name in done:
            return
        if name in path:
            sys.exit(f"addons.py: dependency cycle {' -> '.join((*path, name))}")
        for dep in sorted(depends[name]):
            if dep in depends:
                visit(dep, (*path, name))
        done.append(name)

    for name in sorted(depends):
        visit(name)
    return done


def closure(names, depends):
    """ADDONs and every lbc addon below them."""
    seen = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(dep for dep in depends[name] if dep in depends)
    return seen


def odoo_deps(names, depends):
    return sorted({dep for name in closure(names, depends) for dep in depends[name] if dep not in depends})


def main(argv):
    depends = {name: manifest.get("depends", []) for name, manifest in manifests().items()}
    command, names = (argv[0] if argv else ""), argv[1:]
    unknown = [name for name in names if name not in depends]
    if unknown:
        sys.exit(f"addons.py: not an lbc addon: {', '.join(unknown)} (addons: {', '.join(sorted(depends))})")
    if command == "list":
        result = ordered(depends)
    elif command == "odoo-deps":
        result = odoo_deps(names or list(depends), depends)
    elif command == "alone":
        result = [name for name in ordered(depends) if closure([name], depends) != set(depends)]
    else:
        sys.exit(__doc__)
    print(",".join(result))


if __name__ == "__main__":
    main(sys.argv[1:])
