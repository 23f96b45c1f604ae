#!/usr/bin/env bash
# A PostgreSQL backup of Buurthulp: pg_dump's custom format (-Fc, compressed, restored with
# deploy/restore.sh) into a timestamped file; backups older than --keep-days are removed.
#   deploy/backup.sh [--dir /var/backups/buurthulp] [--keep-days 30] [--database-url URL]
# The database comes from DATABASE_URL (as the app reads it) unless --database-url is given.
# buurthulp-backup.timer runs it daily. The files hold personal data: they are made 0600.
set -euo pipefail

DIR=/var/backups/buurthulp
KEEP_DAYS=30
URL=${DATABASE_URL:-}

while [[ $# -gt 0 ]]; do
    case $1 in
        --dir) DIR=${2:?--dir needs a directory}; shift ;;
        --keep-days) KEEP_DAYS=${2:?--keep-days needs a number}; shift ;;
        --database-url) URL=${2:?--database-url needs a URL}; shift ;;
        -h | --help) sed -n '2,7p' "$0"; exit 0 ;;
        *) echo "backup.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

die() { printf 'backup.sh: %s\n' "$*" >&2; exit 1; }

[[ -n $URL ]] || die "no database: set DATABASE_URL or pass --database-url"
[[ $KEEP_DAYS =~ ^[1-9][0-9]*$ ]] || die "--keep-days must be a whole number of at least 1"
# SQLAlchemy's driver suffix (postgresql+psycopg://) means nothing to libpq.
URL=$(printf '%s' "$URL" | sed -E 's#^postgres(ql)?(\+[a-z0-9]+)?://#postgresql://#')
[[ $URL == postgresql://* ]] || die "DATABASE_URL is not PostgreSQL; only PostgreSQL is backed up"

umask 077
mkdir -p "$DIR"
FILE="$DIR/buurthulp-$(date -u +%Y%m%dT%H%M%SZ).dump"
PARTIAL="$FILE.partial"
trap 'rm -f "$PARTIAL"' EXIT

# A half-written file never carries the final name: written aside, checked, then renamed.
pg_dump --format=custom --no-owner --no-privileges --file="$PARTIAL" --dbname="$URL"
pg_restore --list "$PARTIAL" >/dev/null || die "the new dump cannot be read back"
mv "$PARTIAL" "$FILE"
echo "backup: $FILE ($(du -h "$FILE" | cut -f1))"

# Retention: older than KEEP_DAYS days, by modification time; the new file is never among them.
find "$DIR" -maxdepth 1 -type f -name 'buurthulp-*.dump' -mmin +$((KEEP_DAYS * 1440)) \
    -print -delete | sed 's/^/removed: /'
find "$DIR" -maxdepth 1 -type f -name 'buurthulp-*.dump.partial' -mmin +1440 -delete
