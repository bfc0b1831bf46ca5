"""Prepare a populated scratch database for bench/portal_lists.py (commits; run once, after populate.py).

    BENCH_ODOO_DOCS=500 odoo-bin shell -c <conf> -d <scratch db> --log-level=warn < bench/portal_lists_setup.py

populate.py spreads the records evenly (about 67 tenders per client, 333 bids per provider); the benchmark
wants one member with few records and one with many in each list. On four POP companies:

- client "many" (POP client 0000): takes other clients' tenders (with their bids, missions and reports) until it
  has 500 tenders; client "few" (POP client 0001) keeps 10 tenders, the others go to POP client 0002;
- provider "many" (POP provider 0000) keeps its ~333 bids; provider "few" (POP provider 0001) keeps 10 bids (its
  other open bids, without mission, are deleted) and 10 vigilance documents;
- every POP provider's admin accepts the provider framework contract and acknowledges the labour-law
  obligations (populate.py leaves them off the marketplace; this part is idempotent);
- for Odoo's own lists: BENCH_ODOO_DOCS (default 500) confirmed purchase orders (the client as vendor), confirmed
  sale orders and posted customer invoices for the client "many", 10 of each for the client "few".

Prints the logins of the four admins (password of populate.py) as `BENCH_MEMBER <key> <login>` lines.
"""

import os
import time

N_MANY = int(os.environ.get("BENCH_ODOO_DOCS", "500"))
N_FEW = 10
CTX = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True, "mail_auto_subscribe_no_notify": True}


def move_tenders(cr, tender_ids, client_id):
    """Move tenders (and their bids, missions and reports) to another client company."""
    if not tender_ids:
        return
    cr.execute("UPDATE lbc_tender SET client_id = %s WHERE id = ANY(%s)", [client_id, tender_ids])
    cr.execute("UPDATE lbc_tender_bid SET client_id = %s WHERE tender_id = ANY(%s)", [client_id, tender_ids])
    cr.execute("UPDATE lbc_mission SET client_id = %s WHERE tender_id = ANY(%s) RETURNING id", [client_id, tender_ids])
    missions = [row[0] for row in cr.fetchall()]
    cr.execute("UPDATE lbc_activity_report SET client_id = %s WHERE mission_id = ANY(%s)", [client_id, missions])


def admin_of(env, company):
    return env["res.users"].search([("partner_id.parent_id", "=", company.id)], order="id", limit=1)


def odoo_documents(env, partner, count, product):
    started = time.monotonic()
    vals_line = {"product_id": product.id, "product_qty": 1, "price_unit": 100}
    pos = (
        env["purchase.order"]
        .with_context(**CTX)
        .create([{"partner_id": partner.id, "order_line": [(0, 0, vals_line)]} for _i in range(count)])
    )
    pos.button_confirm()
    sos = (
        env["sale.order"]
        .with_context(**CTX)
        .create(
            [
                {"partner_id": partner.id, "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})]}
                for _i in range(count)
            ]
        )
    )
    sos.action_confirm()
    moves = (
        env["account.move"]
        .with_context(**CTX)
        .create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": "2026-11-01",
                    "invoice_line_ids": [(0, 0, {"product_id": product.id, "quantity": 1, "price_unit": 100})],
                }
                for _i in range(count)
            ]
        )
    )
    moves.action_post()
    print(
        f"{partner.name}: {count} purchase orders, sale orders, invoices in {time.monotonic() - started:.1f}s",
        flush=True,
    )


def marketplace_access(env, providers):
    """populate.py leaves the providers off the marketplace: each admin accepts the current framework contract and
    acknowledges the labour-law obligations, through the business methods (idempotent)."""
    started = time.monotonic()
    framework = env["lbc.agreement"]._lbc_current("provider_framework")
    done = 0
    for provider in providers.with_context(**CTX):
        if not provider._lbc_tender_access_missing():
            continue
        admin = admin_of(env, provider)
        if framework and not provider.lbc_has_accepted("provider_framework"):
            framework.with_user(admin).with_context(**CTX).action_accept()
        provider.with_user(admin).action_lbc_acknowledge_labour_law()
        done += 1
    env.registry.clear_cache()
    print(f"marketplace access for {done} providers: {time.monotonic() - started:.1f}s", flush=True)


def main(env):
    cr = env.cr
    Partner = env["res.partner"]
    clients = Partner.search([("name", "=like", "POP client %")], order="name")
    providers = Partner.search([("name", "=like", "POP provider %")], order="name")
    if len(clients) < 3 or len(providers) < 2:
        raise SystemExit("Run bench/populate.py first.")
    marketplace_access(env, providers)
    env.cr.commit()
    if Partner.search_count([("name", "=", "POP bench done")]):
        raise SystemExit("portal_lists_setup.py already ran on this database (marketplace access checked).")
    many, few, sink = clients[0], clients[1], clients[2]
    # client few: 10 tenders (the awarded ones first: they carry missions and reports)
    cr.execute("SELECT id FROM lbc_tender WHERE client_id = %s ORDER BY id", [few.id])
    ids = [row[0] for row in cr.fetchall()]
    move_tenders(cr, ids[N_FEW:], sink.id)
    # client many: 500 tenders, taken from the clients after the sink
    cr.execute("SELECT count(*) FROM lbc_tender WHERE client_id = %s", [many.id])
    missing = 500 - cr.fetchone()[0]
    cr.execute(
        "SELECT id FROM lbc_tender WHERE client_id <> ALL(%s) AND reference LIKE 'POP%%' ORDER BY id LIMIT %s",
        [[many.id, few.id, sink.id], max(0, missing)],
    )
    move_tenders(cr, [row[0] for row in cr.fetchall()], many.id)
    # provider few: 10 bids, 10 documents
    pmany, pfew = providers[0], providers[1]
    cr.execute(
        """DELETE FROM lbc_tender_bid WHERE id IN (
               SELECT id FROM lbc_tender_bid WHERE provider_id = %s AND mission_id IS NULL
                  AND id NOT IN (SELECT id FROM lbc_tender_bid WHERE provider_id = %s ORDER BY id LIMIT %s))""",
        [pfew.id, pfew.id, N_FEW],
    )
    cr.execute(
        """DELETE FROM lbc_compliance_document WHERE partner_id = %s AND NOT is_current
              AND id NOT IN (SELECT id FROM lbc_compliance_document WHERE partner_id = %s AND NOT is_current
                             ORDER BY id LIMIT 5)""",
        [pfew.id, pfew.id],
    )
    env.invalidate_all()
    product = env["product.product"].create(
        {"name": "POP bench service", "type": "service", "sale_ok": True, "purchase_ok": True, "list_price": 100}
    )
    odoo_documents(env, many, N_MANY, product)
    odoo_documents(env, few, N_FEW, product)
    Partner.create({"name": "POP bench done"})
    env.cr.commit()
    env.cr.execute("ANALYZE")
    for key, company in (("client_many", many), ("client_few", few), ("provider_many", pmany), ("provider_few", pfew)):
        print(f"BENCH_MEMBER {key} {admin_of(env, company).login}", flush=True)
    for key, company in (("client_many", many), ("client_few", few)):
        cr.execute(
            """SELECT (SELECT count(*) FROM lbc_tender WHERE client_id = %(c)s),
                      (SELECT count(*) FROM lbc_mission WHERE client_id = %(c)s),
                      (SELECT count(*) FROM lbc_activity_report WHERE client_id = %(c)s)""",
            {"c": company.id},
        )
        print(f"{key}: tenders, missions, reports = {cr.fetchone()}", flush=True)
    for key, company in (("provider_many", pmany), ("provider_few", pfew)):
        cr.execute(
            """SELECT (SELECT count(*) FROM lbc_tender_bid WHERE provider_id = %(c)s),
                      (SELECT count(*) FROM lbc_compliance_document WHERE partner_id = %(c)s)""",
            {"c": company.id},
        )
        print(f"{key}: bids, documents = {cr.fetchone()}", flush=True)


if "env" in globals():
    main(env)  # noqa: F821 - provided by odoo-bin shell
