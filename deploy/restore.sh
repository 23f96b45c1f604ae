#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into a PostgreSQL database.
#   deploy/restore.sh [--force] DUMP_FILE DATABASE_URL
# Refuses a database that already has tables, unless --force: then the dump's objects are
# dropped and recreated first (objects the dump does not have are left alone, so prefer a
# new, empty database: createdb, restore, then point DATABASE_URL at it).
# Stop the app first (systemctl stop buurthulp.target) when restoring over its database.
set -euo pipefail

FORCE=0
ARGS=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --force) FORCE=1 ;;
        -h | --help) sed -n '2,7p' "$0"; exit 0 ;;
        -*) echo "restore.sh: unknown option $1" >&2; exit 2 ;;
        *) ARGS+=("$1") ;;
    esac
    shift
done

die() { printf 'restore.sh: %s\n' "$*" >&2; exit 1; }

[[ ${#ARGS[@]} -eq 2 ]] || die "usage: restore.sh [--force] DUMP_FILE DATABASE_URL"
FILE=${ARGS[0]}
URL=$(printf '%s' "${ARGS[1]}" | sed -E 's#^postgres(ql)?(\+[a-z0-9]+)?://#postgresql://#')
[[ $URL == postgresql://* ]] || die "the target is not a PostgreSQL URL"
[[ -r $FILE ]] || die "cannot read $FILE"
pg_restore --list "$FILE" >/dev/null || die "$FILE is not a pg_dump custom-format backup"

TABLES=$(psql --no-psqlrc --quiet --tuples-only --no-align --dbname="$URL" --command="
    SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg_toast%'") || die "the target database does not answer"

OPTIONS=(--no-owner --no-privileges --exit-on-error --single-transaction)
if [[ $TABLES -gt 0 ]]; then
    [[ $FORCE -eq 1 ]] ||
        die "the target database is not empty ($TABLES tables); nothing done. Restore into a new database, or add --force to overwrite"
    echo "restore: overwriting a database with $TABLES tables (--force)"
    OPTIONS+=(--clean --if-exists)
fi

pg_restore "${OPTIONS[@]}" --dbname="$URL" "$FILE"
VERSION=$(psql --no-psqlrc --tuples-only --no-align --dbname="$URL" \
    --command="SELECT version_num FROM alembic_version" 2>/dev/null || true)
echo "restore: done; schema at migration ${VERSION:-unknown}. If the code is newer, run flask db upgrade."
