"""Populate a scratch database with the LBC marketplace at scale, in one command (commits).

    BENCH_SCALE=0.05 odoo-bin shell -c <conf> -d <scratch db> --log-level=warn < bench/populate.py

At BENCH_SCALE=1 (default): 300 client and 600 provider companies, 3,000 members (portal users), 20,000
tenders, 200,000 bids, 5,000 missions, 60,000 activity reports, 30,000 vigilance documents. Companies and
members go through the ORM (bulk create, no tracking, no creation log, no invitation mail); the volume records
are inserted with set-based SQL directly in their final states (as the superuser would leave them), then
ANALYZE. Never on a real database.
"""

import math
import os
import time

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
BASE = {
    "clients": 300,
    "providers": 600,
    "members": 3000,
    "tenders": 20000,
    "bids": 200000,
    "missions": 5000,
    "reports": 60000,
    "documents": 30000,
}
N = {key: max(2, round(value * SCALE)) for key, value in BASE.items()}
CTX = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True, "no_reset_password": True}
PASSWORD = "pop-bench-password"  # every member's, for the portal benchmarks
FRENCH_CODES = ("urssaf", "tax", "kbis", "employee_statement", "foreign_workers")


def step(label, started):
    print(f"{label}: {time.monotonic() - started:.1f}s", flush=True)
    return time.monotonic()


def companies_and_members(env):
    Partner = env["res.partner"].with_context(**CTX)
    fr = env.ref("base.fr").id
    clients = Partner.create(
        [
            {"name": f"POP client {i:04d}", "is_company": True, "lbc_is_client": True, "country_id": fr}
            for i in range(N["clients"])
        ]
    )
    providers = Partner.create(
        [
            {"name": f"POP provider {i:04d}", "is_company": True, "lbc_is_provider": True, "country_id": fr}
            for i in range(N["providers"])
        ]
    )
    (clients | providers).write({"lbc_state": "validated"})
    portal = env.ref("base.group_portal").id
    n_client_members = N["members"] // 3
    vals = []
    for i in range(N["members"]):
        if i < n_client_members:
            company, profile = clients[i % len(clients)], ("project_manager" if i < len(clients) else "buyer")
        else:
            j = i - n_client_members
            company, profile = (
                providers[j % len(providers)],
                ("company_manager" if j < len(providers) else "consultant"),
            )
        vals.append(
            {
                "name": f"POP member {i:05d}",
                "login": f"pop{i:05d}@example.com",
                "email": f"pop{i:05d}@example.com",
                "group_ids": [(6, 0, [portal])],
                "parent_id": company.id,
                "lbc_profile_type": profile,
            }
        )
    users = env["res.users"]
    for start in range(0, len(vals), 500):
        users |= env["res.users"].with_context(**CTX).create(vals[start : start + 500])
    # one password for all (hashed once: hashing 3,000 passwords one by one would take minutes)
    env.cr.execute(
        "UPDATE res_users SET password = %s WHERE id = ANY(%s)",
        [env["res.users"]._crypt_context().hash(PASSWORD), users.ids],
    )
    # the first member of each company is its admin
    env["lbc.company.role"].with_context(**CTX).create(
        [
            {"member_id": user.partner_id.id, "member_company_id": user.partner_id.parent_id.id, "role": "admin"}
            for user in users
            if user.partner_id.lbc_profile_type in ("project_manager", "company_manager")
        ]
    )
    # one consultant (or the manager) per provider, for the bids and missions
    consultant = {}
    for user in users.sorted("id"):
        parent = user.partner_id.parent_id
        if parent.lbc_is_provider and (parent.id not in consultant or user.partner_id.lbc_profile_type == "consultant"):
            consultant[parent.id] = user.partner_id.id
    return clients.ids, providers.ids, [consultant[p] for p in providers.ids]


def volume(env, clients, providers, consultants):
    cr = env.cr
    eur = env.ref("base.EUR").id
    per_tender = max(1, min(len(providers), math.ceil(N["bids"] / N["tenders"])))
    params = {
        "clients": clients,
        "providers": providers,
        "consultants": consultants,
        "eur": eur,
        "n_tenders": N["tenders"],
        "n_missions": min(N["missions"], N["tenders"]),
        "per_tender": per_tender,
        "months": max(1, math.ceil(N["reports"] / N["missions"])),
    }
    t0 = time.monotonic()
    # tenders: 25 % published, 5 % draft, 5 % cancelled, the rest closed then awarded (the first n_missions)
    cr.execute(
        """
        INSERT INTO lbc_tender (name, reference, client_id, author_id, description, location, remote_policy, audience,
               state, date_start, duration_days, max_daily_rate, deadline, published_date, sealed, currency_id,
               purchase_approval_state, create_uid, write_uid, create_date, write_date)
        SELECT 'POP tender ' || i, 'POP' || lpad(i::text, 6, '0'),
               (%(clients)s::int[])[1 + i %% array_length(%(clients)s::int[], 1)], 1,
               '<p>Python and Odoo developer</p>', 'Paris', 'hybrid', 'all',
               CASE WHEN i < %(n_missions)s THEN 'awarded' WHEN i %% 20 = 1 THEN 'draft'
                    WHEN i %% 20 = 2 THEN 'cancelled' WHEN i %% 4 = 0 THEN 'published' ELSE 'closed' END,
               DATE '2026-01-05' + (i %% 300), 60, 800,
               CASE WHEN i >= %(n_missions)s AND i %% 4 = 0 THEN now() + interval '10 days'
                    ELSE now() - interval '30 days' END,
               now() - interval '40 days', true, %(eur)s, 'not_required', 1, 1, now(), now()
          FROM generate_series(0, %(n_tenders)s - 1) AS i
        """,
        params,
    )
    cr.execute("SELECT array_agg(id ORDER BY id) FROM lbc_tender WHERE reference LIKE 'POP%%'")
    params["tenders"] = cr.fetchone()[0]
    t0 = step(f"tenders ({len(params['tenders'])})", t0)
    # bids: per_tender providers per tender (distinct); bid 0 of an awarded tender is contracted
    cr.execute(
        """
        INSERT INTO lbc_tender_bid (tender_id, client_id, provider_id, consultant_id, author_id, state, daily_rate,
               available_from, labour_law_ack, submitted_date, message, create_uid, write_uid, create_date,
               write_date)
        SELECT t.id, t.client_id, (%(providers)s::int[])[1 + p.j], (%(consultants)s::int[])[1 + p.j], 1,
               CASE WHEN k = 0 AND t.state = 'awarded' THEN 'contracted'
                    WHEN t.state = 'awarded' THEN 'rejected' WHEN t.state = 'draft' THEN 'draft'
                    WHEN k %% 7 = 6 THEN 'withdrawn' ELSE 'submitted' END,
               500 + (k * 17 + t.id) %% 300, t.date_start, true, t.deadline - interval '1 day',
               'Our consultant fits', 1, 1, now(), now()
          FROM lbc_tender t
          CROSS JOIN generate_series(0, %(per_tender)s - 1) AS k
          CROSS JOIN LATERAL (SELECT (t.id + k) %% array_length(%(providers)s::int[], 1) AS j) p
         WHERE t.id = ANY(%(tenders)s)
        """,
        params,
    )
    t0 = step(f"bids ({cr.rowcount})", t0)
    # missions of the contracted bids, active or done, their award on the tender
    cr.execute(
        """
        INSERT INTO lbc_mission (name, tender_id, bid_id, client_id, provider_id, consultant_id, currency_id,
               fee_mode, fee_value, state, date_start, date_end, duration_days, daily_rate,
               purchase_approval_state, create_uid, write_uid, create_date, write_date)
        SELECT 'POP-M' || b.id, b.tender_id, b.id, b.client_id, b.provider_id, b.consultant_id, %(eur)s,
               'percent', 10, CASE WHEN b.id %% 3 = 0 THEN 'done' ELSE 'active' END,
               DATE '2025-12-01', DATE '2025-12-01' + %(months)s * 31, %(months)s * 20, b.daily_rate,
               'not_required', 1, 1, now(), now()
          FROM lbc_tender_bid b JOIN lbc_tender t ON t.id = b.tender_id
         WHERE b.state = 'contracted' AND t.id = ANY(%(tenders)s)
        """,
        params,
    )
    t0 = step(f"missions ({cr.rowcount})", t0)
    cr.execute(
        """
        UPDATE lbc_tender_bid b SET mission_id = m.id FROM lbc_mission m
         WHERE m.bid_id = b.id AND m.name LIKE 'POP-M%%';
        UPDATE lbc_tender t SET awarded_bid_id = m.bid_id FROM lbc_mission m
         WHERE m.tender_id = t.id AND m.name LIKE 'POP-M%%';
        """,
        params,
    )
    # monthly reports: the oldest invoiced, then validated, approved, submitted, draft
    cr.execute(
        """
        INSERT INTO lbc_activity_report (mission_id, consultant_id, provider_id, client_id, period, state,
               days_total, amount_untaxed, submitted_date, validated_date, create_uid, write_uid, create_date,
               write_date)
        SELECT m.id, m.consultant_id, m.provider_id, m.client_id,
               (DATE '2025-12-01' + make_interval(months => k))::date,
               CASE WHEN k < %(months)s - 4 THEN 'invoiced' WHEN k = %(months)s - 4 THEN 'validated'
                    WHEN k = %(months)s - 3 THEN 'approved' WHEN k = %(months)s - 2 THEN 'submitted'
                    ELSE 'draft' END,
               18, 18 * m.daily_rate, now(), now(), 1, 1, now(), now()
          FROM lbc_mission m CROSS JOIN generate_series(0, %(months)s - 1) AS k
         WHERE m.name LIKE 'POP-M%%'
        """,
        params,
    )
    t0 = step(f"activity reports ({cr.rowcount})", t0)
    # vigilance documents: each provider's current verified set, and its older versions (expired)
    versions = max(1, math.ceil(N["documents"] / (len(providers) * len(FRENCH_CODES))))
    cr.execute(
        """
        INSERT INTO lbc_compliance_document (partner_id, type_id, issue_date, expiry_date, state, is_current,
               file_name, file_mimetype, file_size, verification_method, verified_by_id, verified_date,
               create_uid, write_uid, create_date, write_date)
        SELECT p, t.id, (CURRENT_DATE - 10 - make_interval(months => t.validity_months * v))::date,
               (CURRENT_DATE - 10 - make_interval(months => t.validity_months * (v - 1)))::date,
               CASE WHEN v = 0 THEN 'verified' ELSE 'expired' END, v = 0,
               'pop.pdf', 'application/pdf', 1000, 'manual', 1, now(), 1, 1, now(), now()
          FROM unnest(%(providers)s::int[]) AS p
          CROSS JOIN lbc_compliance_document_type t
          CROSS JOIN generate_series(0, %(versions)s - 1) AS v
         WHERE t.code = ANY(%(codes)s)
        """,
        {**params, "versions": versions, "codes": list(FRENCH_CODES)},
    )
    step(f"vigilance documents ({cr.rowcount})", t0)


def main(env):
    if env["res.partner"].search_count([("name", "=like", "POP client %")]):
        raise SystemExit("This database already holds the populated data: use a fresh scratch database.")
    print(f"BENCH_SCALE={SCALE}: {N}", flush=True)
    started = t0 = time.monotonic()
    clients, providers, consultants = companies_and_members(env)
    t0 = step(f"companies ({len(clients)} clients, {len(providers)} providers) and {N['members']} members", t0)
    volume(env, clients, providers, consultants)
    env.invalidate_all()
    env["res.partner"].browse(providers)._lbc_compliance_recompute()
    env.cr.commit()
    env.cr.execute("ANALYZE")
    step("compliance state, commit, ANALYZE", t0)
    print(f"total: {time.monotonic() - started:.1f}s", flush=True)


if "env" in globals():
    main(env)  # noqa: F821 - provided by odoo-bin shell
