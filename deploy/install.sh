#!/usr/bin/env bash
# Install or upgrade Buurthulp on this machine: system user, venv, settings, migrations,
# systemd units and nginx. Safe to run again (that is how an upgrade is done).
# Run it as root from the checkout that will serve the site, e.g. /srv/buurthulp:
#   sudo deploy/install.sh --server-name buurthulp.example.nl --processes 2
# --dry-run prints what it would do and changes nothing. See docs/operations.md.
set -euo pipefail

DEPLOY_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
APP_DIR=$(dirname "$DEPLOY_DIR")
APP_USER=buurthulp
ENV_DIR=/etc/buurthulp
ENV_FILE=$ENV_DIR/env
BACKUP_DIR=/var/backups/buurthulp
UNIT_DIR=/etc/systemd/system
NGINX_CONF=/etc/nginx/conf.d/buurthulp.conf
SERVER_NAME=buurthulp.example.nl
TLS_CERT=/etc/ssl/buurthulp/fullchain.pem
TLS_KEY=/etc/ssl/buurthulp/privkey.pem
BASE_PORT=8001
PROCESSES=
DRY_RUN=0
RENDER_DIR=
WITH_NGINX=1
CREATE_DATABASE=0

usage() {
    cat <<EOF
Usage: $0 [options]
  --dry-run             print what would be done; change nothing
  --render DIR          only write the rendered unit files and nginx config into DIR
  --processes N         web processes on ports $BASE_PORT.. (default: from $ENV_FILE, else nproc)
  --base-port PORT      the first web process's port (default $BASE_PORT)
  --server-name NAME    the site's host name (default $SERVER_NAME)
  --tls-cert PATH       certificate chain (default $TLS_CERT)
  --tls-key PATH        its private key (default $TLS_KEY)
  --user NAME           system user the app runs as (default $APP_USER)
  --create-database     create the PostgreSQL role and database (PostgreSQL on this machine)
  --no-nginx            leave nginx alone
EOF
}

while [[ $# -gt 0 ]]; do
    case $1 in
        --dry-run) DRY_RUN=1 ;;
        --render) RENDER_DIR=${2:?--render needs a directory}; shift ;;
        --processes) PROCESSES=${2:?--processes needs a number}; shift ;;
        --base-port) BASE_PORT=${2:?--base-port needs a number}; shift ;;
        --server-name) SERVER_NAME=${2:?}; shift ;;
        --tls-cert) TLS_CERT=${2:?}; shift ;;
        --tls-key) TLS_KEY=${2:?}; shift ;;
        --user) APP_USER=${2:?}; shift ;;
        --create-database) CREATE_DATABASE=1 ;;
        --no-nginx) WITH_NGINX=0 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

say() { printf '==> %s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

# Every change goes through run: printed, and done unless --dry-run.
run() {
    printf '+ %s\n' "$*"
    if [[ $DRY_RUN -eq 0 ]]; then "$@"; fi
}

env_value() {  # the value of KEY in the env file, or nothing
    [[ -r $ENV_FILE ]] || return 0
    sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1
}

choose_processes() {
    if [[ -z $PROCESSES ]]; then PROCESSES=$(env_value BUURTHULP_WEB_PROCESSES); fi
    if [[ -z $PROCESSES ]]; then PROCESSES=$(nproc 2>/dev/null || echo 2); fi
    [[ $PROCESSES =~ ^[1-9][0-9]?$ ]] || die "--processes must be a number from 1 to 99"
    [[ $BASE_PORT =~ ^[1-9][0-9]{3,4}$ ]] || die "--base-port must be a port number"
}

ports() { seq "$BASE_PORT" $((BASE_PORT + PROCESSES - 1)); }

render_units() {  # into $1: the units with this checkout's path and user
    local unit
    for unit in "$DEPLOY_DIR"/systemd/*; do
        sed -e "s|/srv/buurthulp|$APP_DIR|g" -e "s|^User=buurthulp|User=$APP_USER|" \
            -e "s|^Group=buurthulp|Group=$APP_USER|" -e "s|/var/backups/buurthulp|$BACKUP_DIR|g" \
            "$unit" >"$1/$(basename "$unit")"
    done
}

render_nginx() {  # into $1/buurthulp.conf
    local servers="" port
    for port in $(ports); do
        servers+="    server 127.0.0.1:$port max_fails=3 fail_timeout=10s;"$'\n'
    done
    servers=${servers%$'\n'}
    awk -v servers="$servers" '{ if ($0 == "@UPSTREAM_SERVERS@") print servers; else print }' \
        "$DEPLOY_DIR/nginx/buurthulp.conf.template" |
        sed -e "s|@SERVER_NAME@|$SERVER_NAME|g" -e "s|@APP_DIR@|$APP_DIR|g" \
            -e "s|@TLS_CERT@|$TLS_CERT|g" -e "s|@TLS_KEY@|$TLS_KEY|g" >"$1/buurthulp.conf"
}

render_all() {
    mkdir -p "$1"
    render_units "$1"
    render_nginx "$1"
}

preflight() {
    [[ $APP_DIR == /home/* || $APP_DIR == /root/* ]] &&
        die "$APP_DIR is under /home or /root, which the units hide (ProtectHome): use /srv/buurthulp"
    local missing=() tool
    for tool in python3 runuser systemctl pg_dump curl; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    if [[ $WITH_NGINX -eq 1 ]]; then command -v nginx >/dev/null || missing+=(nginx); fi
    if [[ ${#missing[@]} -gt 0 ]]; then
        [[ $DRY_RUN -eq 1 ]] || die "missing: ${missing[*]} (apt install python3-venv nginx postgresql-client)"
        say "missing here (a real run would stop): ${missing[*]}"
    fi
    [[ $DRY_RUN -eq 1 || $(id -u) -eq 0 ]] || die "run as root (or with --dry-run)"
}

create_user_and_dirs() {
    say "System user $APP_USER and directories"
    if ! id -u "$APP_USER" >/dev/null 2>&1; then
        run useradd --system --user-group --home-dir "$APP_DIR" --no-create-home \
            --shell /usr/sbin/nologin "$APP_USER"
    fi
    run install -d -m 0750 -o root -g "$APP_USER" "$ENV_DIR"
    run install -d -m 0750 -o "$APP_USER" -g "$APP_USER" "$APP_DIR/instance" "$BACKUP_DIR"
}

install_code() {
    say "Python environment in $APP_DIR/.venv"
    [[ -x $APP_DIR/.venv/bin/python ]] || run python3 -m venv "$APP_DIR/.venv"
    run "$APP_DIR/.venv/bin/pip" install --quiet --upgrade pip
    run "$APP_DIR/.venv/bin/pip" install --quiet -e "$APP_DIR"
    run "$APP_DIR/.venv/bin/pybabel" compile --use-fuzzy -d "$APP_DIR/translations" -f
    # The app cannot write its bytecode into the read-only checkout: compile it now.
    run "$APP_DIR/.venv/bin/python" -m compileall -q "$APP_DIR/buurthulp" "$APP_DIR/wsgi.py"
}

write_env_file() {
    if [[ -e $ENV_FILE ]]; then
        say "$ENV_FILE exists: kept"
        if [[ $(env_value BUURTHULP_WEB_PROCESSES) != "$PROCESSES" ]]; then
            run sed -i "s/^BUURTHULP_WEB_PROCESSES=.*/BUURTHULP_WEB_PROCESSES=$PROCESSES/" "$ENV_FILE"
        fi
        return
    fi
    say "Writing $ENV_FILE with a new SECRET_KEY (edit DATABASE_URL, MAIL_* there)"
    local secret rendered
    secret=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')
    rendered=$(mktemp)
    sed -e "s|@SECRET_KEY@|$secret|" -e "s|@SERVER_NAME@|$SERVER_NAME|g" \
        -e "s|@PROCESSES@|$PROCESSES|" "$DEPLOY_DIR/env.template" >"$rendered"
    run install -m 0640 -o root -g "$APP_USER" "$rendered" "$ENV_FILE"
    rm -f "$rendered"
}

# Runs a command as the app user with exactly the settings the units get (EnvironmentFile=).
as_app() {
    printf '+ (as %s, with %s) %s\n' "$APP_USER" "$ENV_FILE" "$*"
    [[ $DRY_RUN -eq 0 ]] || return 0
    local line settings=()
    while IFS= read -r line || [[ -n $line ]]; do
        [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
        [[ $line =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
        local key=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
        [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]] && value=${BASH_REMATCH[1]}
        settings+=("$key=$value")
    done <"$ENV_FILE"
    (cd "$APP_DIR" && runuser -u "$APP_USER" -- env -i PATH=/usr/bin:/bin HOME="$APP_DIR" \
        "${settings[@]}" "$@")
}

create_database() {
    say "PostgreSQL role and database $APP_USER (peer authentication over the local socket)"
    local exists
    exists=$(runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_roles WHERE rolname='$APP_USER'" || true)
    [[ $exists == 1 ]] || run runuser -u postgres -- createuser "$APP_USER"
    exists=$(runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname='$APP_USER'" || true)
    [[ $exists == 1 ]] || run runuser -u postgres -- createdb -O "$APP_USER" "$APP_USER"
}

migrate() {
    local flask=("$APP_DIR/.venv/bin/flask" --app wsgi)
    say "Checking the configuration, then migrating the database"
    as_app "${flask[@]}" check-config --allow-pending-migrations --processes "$PROCESSES" ||
        die "fix the errors above in $ENV_FILE, then run this again"
    as_app "${flask[@]}" db upgrade
    as_app "${flask[@]}" check-config --processes "$PROCESSES" || die "check-config failed after the upgrade"
}

install_units() {
    say "systemd units: $PROCESSES web process(es) on port(s) $(ports | paste -sd ' ' -)"
    local staging unit port enabled
    staging=$(mktemp -d)
    render_units "$staging"
    for unit in "$staging"/*; do
        run install -m 0644 "$unit" "$UNIT_DIR/$(basename "$unit")"
    done
    rm -rf "$staging"
    run systemctl daemon-reload
    run systemctl enable buurthulp.target buurthulp-scheduler.service buurthulp-backup.timer
    for port in $(ports); do run systemctl enable "buurthulp-web@$port.service"; done
    # Scaling down: web processes beyond the new count are stopped and disabled.
    for enabled in "$UNIT_DIR"/buurthulp.target.wants/buurthulp-web@*.service; do
        [[ -e $enabled ]] || continue
        port=${enabled##*@}; port=${port%.service}
        if ((port >= BASE_PORT + PROCESSES)); then
            run systemctl disable --now "buurthulp-web@$port.service"
        fi
    done
}

install_nginx() {
    [[ $WITH_NGINX -eq 1 ]] || return 0
    say "nginx: $NGINX_CONF"
    if [[ ! -r $TLS_CERT || ! -r $TLS_KEY ]]; then
        say "no certificate at $TLS_CERT / $TLS_KEY yet: nginx left alone; run again once it is there"
        return 0
    fi
    local staging
    staging=$(mktemp -d)
    render_nginx "$staging"
    run install -m 0644 "$staging/buurthulp.conf" "$NGINX_CONF"
    rm -rf "$staging"
    run nginx -t
    run systemctl reload-or-restart nginx
}

start_and_wait() {
    say "Starting (or restarting, to load new code) buurthulp.target"
    run systemctl restart buurthulp.target
    [[ $DRY_RUN -eq 0 ]] || return 0
    local port tries
    for port in $(ports); do
        for tries in $(seq 30); do
            curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
            ((tries < 30)) || die "port $port is not ready: journalctl -u buurthulp-web@$port"
            sleep 1
        done
    done
    say "Ready: $PROCESSES web process(es), the scheduler, daily backups into $BACKUP_DIR"
}

main() {
    choose_processes
    if [[ -n $RENDER_DIR ]]; then
        render_all "$RENDER_DIR"
        say "Rendered into $RENDER_DIR"
        return
    fi
    [[ $DRY_RUN -eq 0 ]] || say "Dry run: nothing is changed"
    preflight
    create_user_and_dirs
    install_code
    write_env_file
    if [[ $CREATE_DATABASE -eq 1 ]]; then create_database; fi
    migrate
    install_units
    install_nginx
    start_and_wait
}

main
