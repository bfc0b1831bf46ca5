"""Benchmark: the accountants' FEC export of a year (issue #9: < 60 s), against Odoo's own FEC wizard.

Run by hand with `odoo-bin shell` on a database holding a year of invoices (e.g. after
bench/bench_invoicing_run.py):

    ./lbc bench bench/bench_fec_export.py

Times LBC's export (`lbc.invoice.export`, format FEC, as its background job runs it) and, in the same run,
Odoo's `l10n_fr.fec.export.wizard.generate_fec()` on the same period, and prints the ratio.
"""

import time
from datetime import date

env = env  # noqa: F821 - provided by odoo-bin shell
year = int(__import__("os").environ.get("BENCH_YEAR", date.today().year))
date_from, date_to = date(year, 1, 1), date(year, 12, 31)
lines = env["account.move.line"].search_count(
    [("parent_state", "=", "posted"), ("date", ">=", date_from), ("date", "<=", date_to)]
)

t0 = time.perf_counter()
export = env["lbc.invoice.export"].create({"export_format": "fec", "date_from": date_from, "date_to": date_to})
export._lbc_run()
lbc_elapsed = time.perf_counter() - t0
size = len(export.attachment_id.raw or b"")
print(
    f"LBC FEC export of {year}: {lines} posted journal items, {size / 1024:.0f} KiB in {lbc_elapsed:.1f}s "
    f"(state {export.state}; goal < 60 s)"
)

t1 = time.perf_counter()
wizard = env["l10n_fr.fec.export.wizard"].create(
    {"date_from": date_from, "date_to": date_to, "test_file": True, "export_type": "official"}
)
content = wizard.with_context(fec_test_mode=True).generate_fec()["file_content"]
core_size = len(b"".join(content) if not isinstance(content, bytes | str) else content)
core_elapsed = time.perf_counter() - t1
print(f"core FEC wizard: {core_size / 1024:.0f} KiB in {core_elapsed:.1f}s")
print(f"ratio LBC export / core wizard: {lbc_elapsed / core_elapsed:.2f}")
env.cr.rollback()
