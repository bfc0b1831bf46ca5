"""Suite-level check of the French translations: every addon ships a complete i18n/fr.po."""

import re
import unittest
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"
TRANSLATED_ADDONS = (
    "lbc_base",
    "lbc_social",
    "lbc_compliance",
    "lbc_tender",
    "lbc_erp_provider",
    "lbc_erp_client",
    "lbc_portal",
)
# %(name)s, %(size).1f, %s, %d, %% and QWeb/Jinja-like {{ expressions }}
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdfir]|%[-#0 +]*\d*(?:\.\d+)?[sdfi]|%%|\{\{.*?\}\}")


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


class TestFrenchTranslations(unittest.TestCase):
    def _catalog(self, addon):
        path = ADDONS / addon / "i18n" / "fr.po"
        self.assertTrue(path.is_file(), f"{path.relative_to(ROOT)} is missing")
        try:
            return polib.pofile(str(path))
        except (OSError, ValueError) as exc:
            self.fail(f"{path.relative_to(ROOT)} does not parse: {exc}")

    def test_every_addon_ships_a_template_and_french(self):
        for addon in TRANSLATED_ADDONS:
            with self.subTest(addon=addon):
                self.assertTrue((ADDONS / addon / "i18n" / f"{addon}.pot").is_file())
                catalog = self._catalog(addon)
                self.assertTrue(len(catalog), "no term at all")

    def test_french_is_complete(self):
        for addon in TRANSLATED_ADDONS:
            with self.subTest(addon=addon):
                catalog = self._catalog(addon)
                untranslated = [e.msgid for e in catalog if not e.obsolete and not e.msgstr.strip()]
                fuzzy = [e.msgid for e in catalog if "fuzzy" in e.flags]
                self.assertFalse(untranslated, f"untranslated terms: {untranslated[:10]}")
                self.assertFalse(fuzzy, f"fuzzy terms: {fuzzy[:10]}")

    def test_placeholders_are_kept(self):
        for addon in TRANSLATED_ADDONS:
            with self.subTest(addon=addon):
                wrong = [
                    (e.msgid, e.msgstr)
                    for e in self._catalog(addon)
                    if e.msgstr and placeholders(e.msgid) != placeholders(e.msgstr)
                ]
                self.assertFalse(wrong, f"placeholders differ: {wrong[:5]}")

    def test_no_duplicate_entries(self):
        for addon in TRANSLATED_ADDONS:
            with self.subTest(addon=addon):
                seen = set()
                for entry in self._catalog(addon):
                    key = (entry.msgctxt, entry.msgid)
                    self.assertNotIn(key, seen, f"duplicate entry {entry.msgid!r}")
                    seen.add(key)


if __name__ == "__main__":
    unittest.main()
