"""Prints the coverage of the suite's Python code by the tests of the full run, per addon and in total.

    coverage_summary.py DATA_FILE ADDONS_DIR [REPORT_FILE]

DATA_FILE is what `coverage run` wrote during `./lbc test`'s full run; REPORT_FILE (optional) gets coverage's
own per-file report. Tests themselves are not counted (omitted when measuring).
"""

import sys
from collections import defaultdict
from pathlib import Path

import coverage


def main(data_file, addons_dir, report_file=None):
    addons_dir = Path(addons_dir).resolve()
    cov = coverage.Coverage(data_file=data_file)
    cov.load()
    per_addon = defaultdict(lambda: [0, 0])
    for filename in cov.get_data().measured_files():
        path = Path(filename).resolve()
        if addons_dir not in path.parents:
            continue
        _name, statements, _excluded, missing, _text = cov.analysis2(filename)
        addon = path.relative_to(addons_dir).parts[0]
        per_addon[addon][0] += len(statements)
        per_addon[addon][1] += len(statements) - len(missing)
    if not per_addon:
        print("coverage: nothing measured")
        return 1
    total = [sum(v[0] for v in per_addon.values()), sum(v[1] for v in per_addon.values())]
    print("coverage of the Python code by the tests (statements covered / statements):")
    for addon, (statements, covered) in sorted(per_addon.items()):
        print(f"    {addon:<20} {covered:>6} / {statements:<6} {100 * covered / max(statements, 1):5.1f} %")
    print(f"    {'total':<20} {total[1]:>6} / {total[0]:<6} {100 * total[1] / max(total[0], 1):5.1f} %")
    if report_file:
        with open(report_file, "w", encoding="utf-8") as report:
            cov.report(file=report, skip_empty=True, show_missing=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
