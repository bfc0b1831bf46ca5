#!/usr/bin/env bash
# ./lbc run: the platform with demo data on http://localhost:8069 (database "lbc", built on first run).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
: "${VENV:?run through ./lbc run}"
DB="${LBC_DB:-lbc}"
CONF="$(lbc_conf "$DB")"
LOG="$LBC_STATE/run/install-$DB.log"

db_exists() { psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1; }

if [ "${LBC_RESET:-0}" = 1 ] && db_exists "$DB"; then
    say "dropping database $DB (LBC_RESET=1)"
    dropdb "$DB"
fi
if ! db_exists "$DB"; then
    say "creating database $DB with every lbc addon and the demo data (a few minutes; log: $LOG)"
    lbc_create_db "$CONF" "$DB" "$LOG" demo
    if ! odoo_bin -c "$CONF" -d "$DB" -i "$(lbc_addons)" --with-demo \
            --stop-after-init --log-level=warn >> "$LOG" 2>&1; then
        tail -n 40 "$LOG" >&2
        dropdb --if-exists "$DB"
        die "the installation failed (full log: $LOG)"
    fi
else
    say "updating the lbc addons in database $DB"
    odoo_bin -c "$CONF" -d "$DB" -u "$(lbc_addons)" --stop-after-init --log-level=warn > "$LOG" 2>&1 \
        || { tail -n 40 "$LOG" >&2; die "the update failed (full log: $LOG)"; }
fi

if [ "${LBC_BUILD_ONLY:-0}" = 1 ]; then
    # used by ./lbc test to check that the demo database builds; its log must hold no error
    if grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |demo data failed" "$LOG" >&2; then
        die "the demo database $DB built with errors (log: $LOG)"
    fi
    say "the demo database $DB is built"
    exit 0
fi

cat <<MSG

  LBC is starting on http://localhost:${LBC_HTTP_PORT:-8069}  (database $DB)

  Backend (LBC staff)          login                      password
    administrator              admin                      admin
    operator                   operator@lbc.example       lbc-demo
    compliance officer         compliance@lbc.example     lbc-demo
    moderator                  moderator@lbc.example      lbc-demo
    manager                    manager@lbc.example        lbc-demo

  Portal members (/my)                                        password lbc-demo
    client   sophie.bernard@aero-durand.example        project manager, company admin
    client   marc.petit@aero-durand.example            buyer
    client   helene.roux@aero-durand.example           purchasing director, signatory
    client   julien.moreau@banque-hexagone.example     project manager, admin
    client   claire.fournier@energies-atlantique.example  buyer (company awaiting validation)
    provider thomas.lefevre@nexa-conseil.example       company manager, admin, signatory
    provider nadia.benali@nexa-conseil.example         sales manager, report approver
    provider lucas.garnier@nexa-conseil.example        consultant
    provider emma.girard@nexa-conseil.example          consultant
    provider pierre.lambert@ingenia-systemes.example   company manager
    provider antoine.mercier@dataforge.example         sales manager (draft company)
    provider camille@cmartin-conseil.example           freelancer
    provider jan.peeters@brussels-cloud.example        Belgian company manager
    social   lea.dubois@mailbox.example                consultant without company

  Every login finds months of missions, reports, invoices and conversations: what each one will
  find is in README.md (table of logins).

MSG
exec "$VENV/bin/python" "$ODOO_PATH/odoo-bin" -c "$CONF" -d "$DB" "$@"
