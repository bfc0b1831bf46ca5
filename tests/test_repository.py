"""Suite-level checks of the repository, run by ./lbc test next to Odoo's tests."""

import ast
import csv
import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"
DESIGN_DEPENDS = {
    "lbc_base": set(),
    "lbc_social": {"lbc_base"},
    "lbc_compliance": {"lbc_base"},
    "lbc_tender": {"lbc_compliance"},
    "lbc_erp_provider": {"lbc_tender"},
    "lbc_erp_client": {"lbc_erp_provider"},
    "lbc_portal": {"lbc_social", "lbc_erp_client"},
}
FORBIDDEN = {
    r"_sql_constraints": "ignored by Odoo 19: use models.Constraint / models.UniqueIndex",
    r"t-raw=": "use t-out",
    r"Markup\(f['\"]": "never build Markup from an f-string",
    r"<tree[ >]": "lists are <list> in Odoo 19",
    r"type=['\"]json['\"]": "routes are type='jsonrpc' in Odoo 19",
    r"check_access_rights\(": "use check_access / has_access",
    r"\bgroups_id\b": "users have group_ids in Odoo 19",
    r"cr\.commit\(\)": "no commit in business code (crons use _commit_progress)",
}


def addon_dirs():
    return sorted(p for p in ADDONS.iterdir() if (p / "__manifest__.py").exists())


def manifest(addon):
    return ast.literal_eval((addon / "__manifest__.py").read_text())


class TestRepository(unittest.TestCase):
    def test_every_addon_of_the_design_is_here(self):
        self.assertEqual({p.name for p in addon_dirs()}, set(DESIGN_DEPENDS))

    def test_manifests(self):
        # version format, licence, author, listed files that exist, migrations behind the version: pylint-odoo's
        # manifest checks (.pylintrc-mandatory, run by pre-commit); here only what the design adds
        for addon in addon_dirs():
            with self.subTest(addon=addon.name):
                data = manifest(addon)
                lbc_depends = {d for d in data["depends"] if d.startswith("lbc_")}
                self.assertEqual(lbc_depends, DESIGN_DEPENDS[addon.name], "dependency order of DESIGN.md")
                self.assertTrue((addon / "readme" / "DESCRIPTION.md").exists())

    def test_no_odoo19_pitfalls(self):
        for path in ADDONS.rglob("*"):
            if path.suffix not in (".py", ".xml") or "/tests/" in str(path):
                continue
            text = path.read_text(encoding="utf-8")
            for pattern, why in FORBIDDEN.items():
                with self.subTest(path=str(path.relative_to(ROOT)), pattern=pattern):
                    self.assertIsNone(re.search(pattern, text), why)

    def test_every_model_has_access_rules(self):
        declared = set()
        for path in [*ADDONS.glob("*/models/*.py"), *ADDONS.glob("*/wizard/*.py")]:
            tree = ast.parse(path.read_text())
            for node in tree.body:
                if not isinstance(node, ast.ClassDef):
                    continue
                if any(getattr(base, "attr", "") == "AbstractModel" for base in node.bases):
                    continue  # abstract models have no table and no access rules
                attrs = {
                    stmt.targets[0].id: ast.literal_eval(stmt.value)
                    for stmt in node.body
                    if isinstance(stmt, ast.Assign)
                    and getattr(stmt.targets[0], "id", None) in ("_name", "_inherit")
                    and isinstance(stmt.value, ast.Constant | ast.List)
                }
                inherits = attrs.get("_inherit") or []
                inherits = [inherits] if isinstance(inherits, str) else inherits
                if attrs.get("_name") and attrs["_name"] not in inherits:  # a new model, not an extension
                    declared.add(attrs["_name"])
        covered = set()
        for path in ADDONS.glob("*/security/ir.model.access.csv"):
            with path.open() as f:
                for row in csv.DictReader(f):
                    covered.add(row["model_id:id"].split(".")[-1].removeprefix("model_").replace("_", "."))
        normalized = {name.replace("_", ".") for name in declared}
        self.assertFalse(normalized - covered, "models without an ir.model.access line")

    def test_readme_quick_start_and_ci(self):
        readme = (ROOT / "README.md").read_text()
        self.assertIn("./lbc run", readme)
        self.assertIn("./lbc test", readme)
        ci = (ROOT / ".ci" / "run").read_text()
        self.assertIn("./lbc test", ci)


class TestSummarize(unittest.TestCase):
    """The closing line of ./lbc test is derived from Odoo's log: it must catch every kind of failure."""

    def run_summary(self, odoo_log, odoo_rc=0, unittest_log="Ran 3 tests in 0.1s\n\nOK\n", lint_rc=0):
        with tempfile.TemporaryDirectory() as tmp:
            odoo_path = Path(tmp, "odoo.log")
            odoo_path.write_text(odoo_log)
            ut_path = Path(tmp, "ut.log")
            ut_path.write_text(unittest_log)
            proc = subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "tests" / "summarize.py"),
                    "--odoo-log",
                    str(odoo_path),
                    "--odoo-rc",
                    str(odoo_rc),
                    "--unittest-log",
                    str(ut_path),
                    "--unittest-rc",
                    "0",
                    "--check",
                    f"lint={lint_rc}",
                ],
                capture_output=True,
                text=True,
                check=False,
            )
        return proc.returncode, proc.stdout.strip().splitlines()[-1]

    RESULT = (
        "2026-01-01 10:00:00,000 1 INFO db odoo.tests.result: "
        "{f} failed, {e} error(s) of {t} tests when loading database 'db'\n"
    )

    def test_green(self):
        rc, line = self.run_summary(self.RESULT.format(f=0, e=0, t=40))
        self.assertEqual((rc, line), (0, "44 passed, 0 failed"))

    def test_failures_and_errors_count(self):
        rc, line = self.run_summary(self.RESULT.format(f=2, e=1, t=40))
        self.assertEqual((rc, line), (1, "41 passed, 3 failed"))

    def test_error_line_without_failed_test_fails(self):
        log = "2026-01-01 10:00:00,000 1 ERROR db odoo.modules.loading: boom\n" + self.RESULT.format(f=0, e=0, t=40)
        rc, line = self.run_summary(log)
        self.assertEqual((rc, line), (1, "44 passed, 1 failed"))

    def test_no_report_fails(self):
        rc, line = self.run_summary("Traceback (most recent call last):\n", odoo_rc=255)
        self.assertEqual(rc, 1)
        self.assertTrue(line.endswith("2 failed") or line.endswith("1 failed"), line)

    def test_lint_failure_counts(self):
        rc, line = self.run_summary(self.RESULT.format(f=0, e=0, t=1), lint_rc=1)
        self.assertEqual((rc, line), (1, "4 passed, 1 failed"))

    def test_addon_subset_without_repository_checks(self):
        with tempfile.TemporaryDirectory() as tmp:
            odoo_path = Path(tmp, "odoo.log")
            odoo_path.write_text(self.RESULT.format(f=1, e=0, t=7))
            proc = subprocess.run(
                [sys.executable, str(ROOT / "tests" / "summarize.py"), "--odoo-log", str(odoo_path), "--odoo-rc", "1"],
                capture_output=True,
                text=True,
                check=False,
            )
        self.assertEqual((proc.returncode, proc.stdout.strip().splitlines()[-1]), (1, "6 passed, 1 failed"))


class TestTooling(unittest.TestCase):
    """The repository's tooling is pinned in the repository and installed by its own scripts."""

    def test_pre_commit_hooks_are_pinned_and_local(self):
        config = (ROOT / ".pre-commit-config.yaml").read_text()
        self.assertNotRegex(config, r"repo:\s*https?://", "hooks come from the package registries, not a git host")
        for hook in ("ruff", "pylint-odoo", "oca-checks-odoo-module", "oca-checks-po", "prettier"):
            self.assertIn(f"id: {hook}\n", config)
        for dependency in re.findall(r"additional_dependencies: \[(.*)\]", config):
            self.assertRegex(dependency, r'^"[\w.-]+==[\w.]+"$', "additional dependencies pinned")
        requirements = (ROOT / "requirements.txt").read_text()
        for tool in ("ruff", "pylint-odoo", "pre-commit", "manifestoo", "coverage"):
            self.assertRegex(requirements, rf"(?m)^{tool}==\S+$")

    def test_prettier_is_pinned(self):
        import json

        package = json.loads((ROOT / "package.json").read_text())
        lock = json.loads((ROOT / "package-lock.json").read_text())
        for name, version in package["devDependencies"].items():
            self.assertRegex(version, r"^\d+\.\d+\.\d+$", f"{name} pinned to one version")
            self.assertEqual(lock["packages"][f"node_modules/{name}"]["version"], version)

    def run_check_odoo(self, odoo_path, url):
        return subprocess.run(
            ["bash", "-c", f'source "{ROOT}/tools/common.sh" && check_odoo && echo ODOO-OK'],
            capture_output=True,
            text=True,
            check=False,
            env={
                "PATH": "/usr/bin:/bin",
                "HOME": str(odoo_path.parent),
                "ODOO_PATH": str(odoo_path),
                "ODOO_GIT_URL": url,
            },
            timeout=120,
        )

    def test_odoo_fetched_when_missing(self):
        """No tree at ODOO_PATH: a shallow clone of the repository's 19.0 branch (a local one here)."""
        with tempfile.TemporaryDirectory() as tmp:
            upstream = Path(tmp, "upstream")
            (upstream / "odoo").mkdir(parents=True)
            (upstream / "addons" / "base_vat").mkdir(parents=True)
            (upstream / "odoo" / "release.py").write_text("version_info = (19, 0, 0, 'final', 0, '')\n")
            (upstream / "addons" / "base_vat" / "__init__.py").write_text("")
            (upstream / "odoo-bin").write_text("#!/usr/bin/env python3\n")
            git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-C", str(upstream)]
            for args in (["init", "-q", "-b", "19.0"], ["add", "."], ["commit", "-qm", "odoo"]):
                subprocess.run([*git, *args], check=True, capture_output=True)
            proc = self.run_check_odoo(Path(tmp, "odoo19"), f"file://{upstream}")
            self.assertIn("ODOO-OK", proc.stdout, proc.stderr)
            self.assertTrue(Path(tmp, "odoo19", "odoo-bin").exists())
            self.assertIn("fetching Odoo 19.0", proc.stderr)

    def test_odoo_unreachable_says_so(self):
        with tempfile.TemporaryDirectory() as tmp:
            proc = self.run_check_odoo(Path(tmp, "odoo19"), f"file://{tmp}/nowhere")
            self.assertNotEqual(proc.returncode, 0)
            self.assertIn("cannot be reached", proc.stderr)
            self.assertIn("no Odoo 19.0 source tree", proc.stderr)
            self.assertFalse(Path(tmp, "odoo19").exists())


class TestAddonsTool(unittest.TestCase):
    """tools/addons.py: what ./lbc test installs, read from the manifests."""

    def addons(self, *args):
        proc = subprocess.run(
            [sys.executable, str(ROOT / "tools" / "addons.py"), *args], capture_output=True, text=True, check=True
        )
        return proc.stdout.strip().split(",")

    def test_dependencies_first(self):
        order = self.addons("list")
        self.assertEqual(set(order), set(DESIGN_DEPENDS))
        for name, depends in DESIGN_DEPENDS.items():
            for dep in depends:
                self.assertLess(order.index(dep), order.index(name), f"{dep} before {name}")

    def test_odoo_dependencies_follow_the_manifests(self):
        every = set(self.addons("odoo-deps"))
        base = set(self.addons("odoo-deps", "lbc_base"))
        self.assertFalse({d for d in every if d.startswith("lbc_")})
        self.assertTrue(set(manifest(ADDONS / "lbc_base")["depends"]) <= base)
        self.assertNotIn("website", base, "lbc_base alone runs without the website")
        self.assertLess(base, set(self.addons("odoo-deps", "lbc_tender")))
        self.assertIn("website", every)

    def test_every_addon_but_the_top_one_runs_alone(self):
        self.assertEqual(set(self.addons("alone")), set(DESIGN_DEPENDS) - {"lbc_portal"})


if __name__ == "__main__":
    unittest.main()
