"""Benchmark of the lbc_compliance daily cron (run by hand, never in the test suite).

Usage, on a scratch database with lbc_base and lbc_compliance installed (never a real one: it adds 6,000
providers, 30,000 documents and 6,000 checks and commits):

    odoo-bin shell -c <conf> -d lbc_bench_c < bench/bench_compliance_cron.py

Set BENCH_PROVIDERS (default 6000) to scale. It prints the cron's throughput (records per second) and a ratio
against Odoo core doing plain batch work on the same records, measured in the same run.
"""

import os
import time

from odoo import fields

PROVIDERS = int(os.environ.get("BENCH_PROVIDERS", "6000"))
BATCH = 200
FRENCH_CODES = ("urssaf", "tax", "kbis", "employee_statement", "foreign_workers")


def _count(env, query):
    env.cr.execute(query)
    return env.cr.fetchone()[0]


def setup(env):
    """6,000 French providers x 5 verified documents, one check due today each. Of every ten providers:
    one has an URSSAF attestation that expired yesterday (expired -> its check fails, mails and an activity),
    one a Kbis expiring in 30 days and one in 7 days (reminders); the others are compliant."""
    today = fields.Date.today()
    partner_model = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True)
    client = partner_model.create(
        {"name": "BENCH client", "is_company": True, "lbc_is_client": True, "email": "bench-client@example.com"}
    )
    t0 = time.monotonic()
    provider_ids = []
    for start in range(0, PROVIDERS, 1000):
        vals = [
            {
                "name": f"BENCH provider {i:05d}",
                "is_company": True,
                "lbc_is_provider": True,
                "country_id": env.ref("base.fr").id,
                "email": f"bench-{i}@example.com",
            }
            for i in range(start, min(start + 1000, PROVIDERS))
        ]
        provider_ids += partner_model.create(vals).ids
    env.cr.execute(
        """
        WITH p AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM res_partner WHERE id = ANY(%(ids)s)),
             t AS (SELECT id, code, validity_months AS m FROM lbc_compliance_document_type WHERE code = ANY(%(codes)s)),
             d AS (
                SELECT p.id AS partner_id, t.id AS type_id, t.m,
                       CASE WHEN p.i %% 10 = 0 AND t.code = 'urssaf'
                                THEN (%(today)s::date - 1 - make_interval(months => t.m))::date
                            WHEN p.i %% 10 = 1 AND t.code = 'kbis'
                                THEN (%(today)s::date + 30 - make_interval(months => t.m))::date
                            WHEN p.i %% 10 = 2 AND t.code = 'kbis'
                                THEN (%(today)s::date + 7 - make_interval(months => t.m))::date
                            ELSE %(today)s::date - 10 END AS issue
                  FROM p CROSS JOIN t)
        INSERT INTO lbc_compliance_document (partner_id, type_id, issue_date, expiry_date, state, is_current,
               file_name, file_mimetype, file_size, verification_method, verified_by_id, verified_date,
               create_uid, write_uid, create_date, write_date)
        SELECT partner_id, type_id, issue, (issue + make_interval(months => m))::date, 'verified', true,
               'bench.pdf', 'application/pdf', 1000, 'manual', 1, now(), 1, 1, now(), now()
          FROM d
        """,
        {"ids": provider_ids, "codes": list(FRENCH_CODES), "today": today},
    )
    env.cr.execute(
        """
        INSERT INTO lbc_compliance_check (partner_id, client_id, res_model, res_id, engagement_name,
               engagement_date_start, engagement_date_end, sequence, date_due, state,
               create_uid, write_uid, create_date, write_date)
        SELECT id, %(client)s, 'res.partner', id, 'BENCH mission ' || id, %(today)s,
               %(today)s::date + 365, 0, %(today)s, 'due', 1, 1, now(), now()
          FROM res_partner WHERE id = ANY(%(ids)s)
        """,
        {"ids": provider_ids, "client": client.id, "today": today},
    )
    env.invalidate_all()
    providers = env["res.partner"].browse(provider_ids)
    for start in range(0, len(providers), 1000):
        providers[start : start + 1000]._lbc_compliance_recompute()
    env.cr.commit()
    print(
        f"setup: {len(provider_ids)} providers, {_count(env, 'SELECT count(*) FROM lbc_compliance_document')}"
        f" documents, {_count(env, 'SELECT count(*) FROM lbc_compliance_check')} checks"
        f" in {time.monotonic() - t0:.1f}s"
    )
    return provider_ids


def run_cron(env):
    """The real cron job (ir.cron machinery, _commit_progress per batch) until it reports fully done."""
    cron = env.ref("lbc_compliance.ir_cron_lbc_compliance")
    env.cr.commit()
    before = {
        "expired": _count(env, "SELECT count(*) FROM lbc_compliance_document WHERE state = 'expired'"),
        "reminders": _count(env, "SELECT count(*) FROM lbc_compliance_reminder WHERE sent"),
        "checks_done": _count(env, "SELECT count(*) FROM lbc_compliance_check WHERE state IN ('passed','failed')"),
        "checks": _count(env, "SELECT count(*) FROM lbc_compliance_check"),
    }
    t0 = time.monotonic()
    for _run in range(20):
        cron.method_direct_trigger()
        env.cr.commit()  # the job ran in its own cursor: end our snapshot to see its commits
        env.invalidate_all()
        due = _count(
            env,
            f"SELECT count(*) FROM lbc_compliance_check WHERE state = 'due' AND date_due <= '{fields.Date.today()}'",
        )
        if not due:
            break
    elapsed = time.monotonic() - t0
    after = {
        "expired": _count(env, "SELECT count(*) FROM lbc_compliance_document WHERE state = 'expired'"),
        "reminders": _count(env, "SELECT count(*) FROM lbc_compliance_reminder WHERE sent"),
        "checks_done": _count(env, "SELECT count(*) FROM lbc_compliance_check WHERE state IN ('passed','failed')"),
        "checks": _count(env, "SELECT count(*) FROM lbc_compliance_check"),
    }
    work = {key: after[key] - before[key] for key in after}
    failed = _count(env, "SELECT count(*) FROM lbc_compliance_check WHERE state = 'failed'")
    return elapsed, work, failed


def run_core_baseline(env, n_records):
    """Odoo core doing plain batch processing of the same number of records: the ORM reads each document and
    check in batches of 200, writes one field, and commits per batch (what a minimal core cron does)."""
    t0 = time.monotonic()
    done = 0
    for model, fname in (("lbc.compliance.document", "verification_note"), ("lbc.compliance.check", "result_note")):
        records = env[model].sudo().with_context(tracking_disable=True)
        ids = records.search([], order="id").ids
        for start in range(0, len(ids), BATCH):
            batch = records.browse(ids[start : start + BATCH])
            batch.read(["partner_id", "state", "create_date"])
            batch.write({fname: "bench"})
            env.cr.commit()
            done += len(batch)
            env.invalidate_all()
            if done >= n_records:
                break
    return time.monotonic() - t0, done


def main(env):
    if env["res.partner"].search_count([("name", "=like", "BENCH provider %")]):
        raise SystemExit("This database already holds the benchmark data: use a fresh scratch database.")
    setup(env)
    n_docs = _count(env, "SELECT count(*) FROM lbc_compliance_document")
    n_checks = _count(env, "SELECT count(*) FROM lbc_compliance_check WHERE state = 'due'")
    elapsed, work, failed = run_cron(env)
    in_scope = n_docs + n_checks
    cron_rate = in_scope / elapsed
    print(f"cron: {elapsed:.1f}s for {n_docs} documents and {n_checks} due checks of {PROVIDERS} providers")
    print(
        f"cron work: {work['expired']} documents expired, {work['reminders']} reminders sent, "
        f"{work['checks_done']} checks run ({failed} failed: mail + activity), "
        f"{work['checks']} next checks planned"
    )
    print(f"cron: {cron_rate:.0f} records/s (documents + checks in scope, one thread)")
    core_elapsed, core_done = run_core_baseline(env, in_scope)
    core_rate = core_done / core_elapsed
    print(f"core baseline: {core_done} records read + written in batches of {BATCH} in {core_elapsed:.1f}s")
    print(f"core baseline: {core_rate:.0f} records/s")
    print(f"ratio cron / core: {cron_rate / core_rate:.2f}")


if "env" in globals():
    main(env)  # noqa: F821 - provided by odoo-bin shell
