"""Reads the logs of ./lbc test and prints the one closing line CI reads: "N passed, N failed".

Odoo prints no such line: its closing report is the `odoo.tests.result` line
"F failed, E error(s) of T tests when loading database ...". Any ERROR or CRITICAL
line in Odoo's log (a traceback during install, a failing tour step...) fails the run
even when no test counted it.
"""

import argparse
import re
import sys

ODOO_RESULT = re.compile(r"odoo\.tests\.result: (\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
# a browser tour that cannot start is skipped with a mere warning: the suite treats it as a failure
BROWSER_MISSING = re.compile(
    r"websocket-client module is not installed|Chrome executable not found|browser .* not found", re.I
)
LOG_LEVEL = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (ERROR|CRITICAL) ")
UNITTEST_RAN = re.compile(r"^Ran (\d+) tests? in ")
UNITTEST_FAILED = re.compile(r"^FAILED \((.*)\)")


def odoo_counts(path):
    with open(path, encoding="utf-8", errors="replace") as log:
        lines = log.readlines()
    result = None
    errors = []
    for line in lines:
        match = ODOO_RESULT.search(line)
        if match:
            result = tuple(int(g) for g in match.groups())
        if LOG_LEVEL.match(line) or BROWSER_MISSING.search(line):
            errors.append(line.rstrip())
    return result, errors


def unittest_counts(path):
    total = failed = 0
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = UNITTEST_RAN.match(line)
            if match:
                total = int(match.group(1))
            match = UNITTEST_FAILED.match(line)
            if match:
                failed = sum(int(n) for n in re.findall(r"(?:failures|errors)=(\d+)", match.group(1)))
    return total, failed


def main():
    parser = argparse.ArgumentParser()
    # several Odoo runs (the suite, then the demo story on the demo database): one --odoo-rc per --odoo-log
    parser.add_argument("--odoo-log", action="append", required=True)
    parser.add_argument("--odoo-rc", type=int, action="append", required=True)
    # the repository checks (not run by ./lbc test ADDON...)
    parser.add_argument("--unittest-log")
    parser.add_argument("--unittest-rc", type=int, default=0)
    parser.add_argument(
        "--check", action="append", default=[], metavar="NAME=RC", help="one more check that passed when RC is 0"
    )
    args = parser.parse_args()

    passed = failed = 0
    problems = []

    if len(args.odoo_log) != len(args.odoo_rc):
        parser.error("give one --odoo-rc per --odoo-log")
    for odoo_log, odoo_rc in zip(args.odoo_log, args.odoo_rc, strict=True):
        result, log_errors = odoo_counts(odoo_log)
        if result is None:
            problems.append(f"Odoo printed no test report (exit code {odoo_rc}): the installation did not finish")
            failed += 1
        else:
            odoo_failed, odoo_errors, odoo_total = result
            failed += odoo_failed + odoo_errors
            passed += odoo_total - odoo_failed - odoo_errors
            print(f"odoo ({odoo_log}): {odoo_total} tests, {odoo_failed} failed, {odoo_errors} errors")
            if odoo_total == 0:
                problems.append("Odoo ran no test")
        if log_errors:
            problems.append(f"{len(log_errors)} ERROR/CRITICAL line(s) in {odoo_log}, first ones:")
            problems.extend("    " + line[:400] for line in log_errors[:15])
            if result is not None and result[0] + result[1] == 0:
                failed += 1  # an error no test accounted for (install, cron, teardown...)
        if odoo_rc and result is not None and not log_errors and result[0] + result[1] == 0:
            problems.append(f"Odoo exited with code {odoo_rc}")
            failed += 1

    if args.unittest_log:
        ut_total, ut_failed = unittest_counts(args.unittest_log)
        print(f"repository checks: {ut_total} tests, {ut_failed} failed")
        passed += ut_total - ut_failed
        failed += ut_failed
        if args.unittest_rc and not ut_failed:
            problems.append(f"repository checks exited with code {args.unittest_rc} (see {args.unittest_log})")
            failed += 1

    for check in args.check:
        name, _sep, rc = check.partition("=")
        if int(rc):
            problems.append(f"check {name} failed (exit code {rc}, see above)")
            failed += 1
        else:
            passed += 1

    for problem in problems:
        print(problem)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main())
