# Shared by ./lbc run and ./lbc test: makes the machine ready, idempotently.
# shellcheck shell=bash
ODOO_PATH="${ODOO_PATH:-/opt/odoo19}"
LBC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LBC_STATE="${LBC_STATE_DIR:-$HOME/.cache/lbc}"
PG_VERSION=15
DEBIAN_PACKAGES=(postgresql-$PG_VERSION libpq-dev chromium wkhtmltopdf libmagic1 fonts-dejavu-core xfonts-75dpi xfonts-base poppler-utils nodejs git)

die() { printf 'lbc: %s\n' "$*" >&2; exit 1; }
say() { printf 'lbc: %s\n' "$*" >&2; }

ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"

# fetch_odoo: when ODOO_PATH holds no Odoo tree and the machine reaches the official repository, a shallow
# clone of its 19.0 branch there (about 400 MB; once). Returns non-zero, saying why, when it cannot.
fetch_odoo() {
    command -v git >/dev/null || { say "git is not installed: cannot fetch Odoo 19.0"; return 1; }
    if [ -e "$ODOO_PATH" ] && [ -n "$(ls -A "$ODOO_PATH" 2>/dev/null)" ]; then
        say "$ODOO_PATH exists and is not empty: not fetching Odoo there"
        return 1
    fi
    say "no Odoo at $ODOO_PATH: checking whether $ODOO_GIT_URL can be reached"
    if ! GIT_TERMINAL_PROMPT=0 timeout 30 git ls-remote --heads "$ODOO_GIT_URL" 19.0 2>/dev/null | grep -q 19.0; then
        say "$ODOO_GIT_URL cannot be reached from this machine"
        return 1
    fi
    say "fetching Odoo 19.0 (shallow clone of $ODOO_GIT_URL into $ODOO_PATH, a few minutes, once)"
    mkdir -p "$(dirname "$ODOO_PATH")" || return 1
    GIT_TERMINAL_PROMPT=0 git clone --quiet --depth 1 --branch 19.0 "$ODOO_GIT_URL" "$ODOO_PATH" \
        || { rm -rf "$ODOO_PATH"; say "git clone of $ODOO_GIT_URL failed"; return 1; }
}

check_odoo() {
    if [ ! -f "$ODOO_PATH/odoo-bin" ] || [ ! -d "$ODOO_PATH/addons/base_vat" ]; then
        [ -n "${LBC_NO_FETCH:-}" ] || fetch_odoo || true
    fi
    if [ ! -f "$ODOO_PATH/odoo-bin" ] || [ ! -d "$ODOO_PATH/addons/base_vat" ]; then
        die "no Odoo 19.0 source tree at ODOO_PATH=$ODOO_PATH (odoo-bin and addons/ expected), and it could not
  be fetched from $ODOO_GIT_URL (see above). Odoo 19.0 community is on no package registry. Get a source
  tree (odoo/, addons/, odoo-bin, requirements.txt): a clone of the 19.0 branch of github.com/odoo/odoo, or,
  on a machine that cannot reach it, the search tool's fetch of github:AmitbhatiAvantenow/HRSD-PP at commit
  195f2da7:
      git --git-dir=<mirror> archive 195f2da7 -- . ':!venv' | tar -x -C /opt/odoo19
  then delete the addons listed in shared/odoo19/not-odoo-addons.txt; or point ODOO_PATH at your tree."
    fi
    grep -q "^version_info = (19, 0" "$ODOO_PATH/odoo/release.py" \
        || die "$ODOO_PATH is not Odoo 19.0 (odoo/release.py says otherwise)"
}

ensure_debian_packages() {
    local missing=() p
    for p in "${DEBIAN_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || die "Debian packages missing (${missing[*]}) and no apt-get on this machine"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    say "installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq >/dev/null || die "apt-get update failed: cannot reach Debian's packages"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
}

ensure_postgres() {
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    if ! pg_lsclusters -h 2>/dev/null | awk -v v=$PG_VERSION '$1==v && $2=="main"' | grep -q .; then
        say "creating PostgreSQL $PG_VERSION cluster"
        $sudo pg_createcluster $PG_VERSION main >/dev/null || die "cannot create the PostgreSQL cluster"
    fi
    if ! pg_lsclusters -h | awk -v v=$PG_VERSION '$1==v && $2=="main" {print $4}' | grep -q online; then
        say "starting PostgreSQL $PG_VERSION"
        $sudo pg_ctlcluster $PG_VERSION main start || die "cannot start PostgreSQL $PG_VERSION (pg_ctlcluster $PG_VERSION main start)"
    fi
    local me
    me="$(id -un)"
    if ! as_postgres psql -tAc "SELECT 1 FROM pg_roles WHERE rolname='$me'" | grep -q 1; then
        as_postgres createuser --superuser "$me" || die "cannot create the PostgreSQL role $me"
        say "created PostgreSQL superuser role $me"
    fi
}

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && sudo -u postgres "$@")
    fi
}

ensure_venv() {
    # One virtualenv per (Odoo requirements, Python) hash, shared by every clone; the suite's own
    # requirements (requirements.txt, and OCA's addons in requirements-oca.txt) are installed into it and
    # re-installed whenever their hash changes.
    local odoo_hash ours_hash pip
    odoo_hash="$( (cat "$ODOO_PATH/requirements.txt"; python3 --version) | sha256sum | cut -c1-16)"
    ours_hash="$(cat "$LBC_ROOT/requirements.txt" "$LBC_ROOT/requirements-oca.txt" | sha256sum | cut -c1-16)"
    VENV="$LBC_STATE/venv-$odoo_hash"
    pip=("$VENV/bin/pip" install -q --disable-pip-version-check)
    if [ ! -f "$VENV/.odoo-complete" ]; then
        command -v python3 >/dev/null || die "python3 is required"
        say "building the virtualenv $VENV with Odoo's requirements (a few minutes, once)"
        rm -rf "$VENV"
        mkdir -p "$LBC_STATE"
        python3 -m venv "$VENV" || die "python3 -m venv failed"
        "${pip[@]}" "setuptools<70" wheel "setuptools_scm<8" 2> >(grep -v "is ignored" >&2) \
            || die "pip could not install setuptools/wheel"
        grep -viE '^\s*python-ldap' "$ODOO_PATH/requirements.txt" > "$VENV/odoo-requirements.txt"
        "${pip[@]}" --no-build-isolation -r "$VENV/odoo-requirements.txt" 2> >(grep -v "is ignored" >&2) \
            || die "pip could not install Odoo's requirements ($ODOO_PATH/requirements.txt)"
        touch "$VENV/.odoo-complete"
    fi
    if [ "$(cat "$VENV/.lbc-requirements" 2>/dev/null)" != "$ours_hash" ]; then
        say "installing the suite's requirements.txt into $VENV"
        "${pip[@]}" -r "$LBC_ROOT/requirements.txt" 2> >(grep -v "is ignored" >&2) \
            || die "pip could not install requirements.txt"
        # OCA's addons require the distribution odoo==19.0.*, a source tree here: their own dependencies are
        # in requirements.txt, so they are installed without pip's resolution of theirs
        "${pip[@]}" --no-deps -r "$LBC_ROOT/requirements-oca.txt" 2> >(grep -v "is ignored" >&2) \
            || die "pip could not install requirements-oca.txt"
        echo "$ours_hash" > "$VENV/.lbc-requirements"
    fi
}

# lbc_conf DB [extra key=value ...]: writes the odoo.conf for DB from the template, prints its path
lbc_conf() {
    local db="$1"
    shift
    local dir="$LBC_STATE/run"
    mkdir -p "$dir/data"
    local conf="$dir/odoo-$db.conf"
    sed -e "s#@ADDONS_PATH@#$ODOO_PATH/addons,$LBC_ROOT/addons#" \
        -e "s#@DATA_DIR@#$dir/data#" \
        -e "s#@DB@#$db#" \
        -e "s#@HTTP_PORT@#${LBC_HTTP_PORT:-8069}#" \
        "$LBC_ROOT/odoo.conf" > "$conf"
    local kv
    for kv in "$@"; do
        sed -i "/^${kv%% =*} *=/d" "$conf"
        printf '%s\n' "$kv" >> "$conf"
    done
    printf '%s' "$conf"
}

# ensure_node_tools: prettier and its XML plugin, pinned in package.json / package-lock.json, in node_modules/
# (npm ci again whenever the lock file changes)
ensure_node_tools() {
    if ! command -v npm >/dev/null; then  # Debian ships npm apart from nodejs
        say "installing Debian's npm"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends npm >/dev/null \
            || die "apt-get install npm failed"
    fi
    local lock_hash
    lock_hash="$(sha256sum "$LBC_ROOT/package-lock.json" | cut -c1-16)"
    if [ "$(cat "$LBC_ROOT/node_modules/.lbc-lock" 2>/dev/null)" != "$lock_hash" ]; then
        say "installing the formatting tools of package.json (npm ci)"
        (cd "$LBC_ROOT" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null) \
            || die "npm ci failed: cannot install prettier from the npm registry (package-lock.json)"
        echo "$lock_hash" > "$LBC_ROOT/node_modules/.lbc-lock"
    fi
}

lbc_setup() {
    check_odoo
    ensure_debian_packages
    ensure_postgres
    ensure_venv
    ensure_node_tools
    export VENV ODOO_PATH LBC_ROOT LBC_STATE
}

odoo_bin() { "$VENV/bin/python" "$ODOO_PATH/odoo-bin" "$@"; }

# lbc_create_db CONF DB LOG [demo] [ODOO_ADDONS]: a new database whose main company (LBC) is French, so
# that installing `account` gives it the French chart (l10n_fr_account) in euros, with Odoo's addons the
# suite needs (or ODOO_ADDONS, comma-separated) and the French language; no tests of Odoo's own addons.
# With LBC_ODOO_TEMPLATE set, the database is a copy of that one instead (built the same way, with the
# same Odoo addons: ./lbc test builds it once and copies it).
# Odoo's own demo data (a US furniture company on the main company, with the generic chart) is never
# loaded: with "demo", Odoo's addons are only flagged as demo-installed so that the lbc addons installed
# next with --with-demo load LBC's own demo data (Odoo loads an addon's demo only when all its
# dependencies have theirs).
lbc_create_db() {
    local conf="$1" db="$2" log="$3" demo="${4:-}" odoo_addons="${5:-}"
    [ -n "$odoo_addons" ] || odoo_addons="$(lbc_odoo_deps)"
    if [ -n "${LBC_ODOO_TEMPLATE:-}" ]; then
        lbc_clone_db "$LBC_ODOO_TEMPLATE" "$db"
        echo "database $db: a copy of $LBC_ODOO_TEMPLATE" > "$log"
    else
        lbc_drop_db "$db"
        odoo_bin db -c "$conf" init "$db" --country FR > "$log" 2>&1 \
            || { tail -n 40 "$log" >&2; die "creating database $db failed (log: $log)"; }
        odoo_bin -c "$conf" -d "$db" -i "$odoo_addons" --load-language=fr_FR \
            --stop-after-init --log-level=warn >> "$log" 2>&1 \
            || { tail -n 40 "$log" >&2; die "installing Odoo's addons in $db failed (log: $log)"; }
    fi
    if [ "$demo" = demo ]; then
        psql -q -d "$db" -c "UPDATE ir_module_module SET demo = TRUE WHERE state = 'installed'" \
            || die "cannot flag Odoo's addons as demo-installed in $db"
    fi
}

# lbc_drop_db DB: drops DB and its filestore
lbc_drop_db() {
    PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists --force "$1" || die "cannot drop database $1"
    rm -rf "$LBC_STATE/run/data/filestore/$1"
}

# lbc_clone_db TEMPLATE DB: DB as a copy of TEMPLATE (createdb -T, a file copy: seconds), filestore included;
# nothing may be connected to TEMPLATE
lbc_clone_db() {
    local template="$1" db="$2" store="$LBC_STATE/run/data/filestore"
    lbc_drop_db "$db"
    createdb -T "$template" "$db" || die "cannot copy database $template to $db"
    if [ -d "$store/$template" ]; then
        cp -a "$store/$template" "$store/$db" || die "cannot copy the filestore of $template to $db"
    fi
}

# The lbc addons, dependencies first, and the Odoo addons they need (installed first, without their own
# tests): both read from the manifests by tools/addons.py (lbc_odoo_deps ADDON... for some of them)
lbc_addons() { "$VENV/bin/python" "$LBC_ROOT/tools/addons.py" list; }
lbc_odoo_deps() { "$VENV/bin/python" "$LBC_ROOT/tools/addons.py" odoo-deps "$@"; }
