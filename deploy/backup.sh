#!/usr/bin/env bash
# Backup and restore of the services' PostgreSQL databases (pg_dump / pg_restore, custom format).
#
#   deploy/backup.sh dump <dsn> <file>          one database into one file
#   deploy/backup.sh dump-all <folder>          every service's database: <folder>/<service>-<UTC time>.dump
#   deploy/backup.sh restore <file> <dsn>       into an EMPTY database (created when missing)
#   deploy/backup.sh check <file>               the file is a readable dump; lists its tables
#
# Each service owns its database: booking (venues, spaces, bookings, organisers' personal data),
# events (activity events and their history), notifications (boards, channel accounts,
# deliveries), metrics (facts, populations, indicators and the residents' FEEDBACK ANSWERS),
# guide (its read models and the residents' conversations).
# The feedback answers are on no Kafka topic: no replay brings them back, only a backup of the
# metrics database does. Everything else metrics holds can also be rebuilt by replaying the
# topics (docs/operations.md, "Backup and restore").
#
# dump-all finds each database as the services do: KOHTAAMO_<SERVICE>_DATABASE_URL, else
# KOHTAAMO_PG_DSN_BASE (default postgresql://kohtaamo:kohtaamo@127.0.0.1:55432) + /kohtaamo_<service>.
# A restore refuses a database that already has tables (it never merges into live data), runs in
# one transaction (all or nothing) and without owners or grants (the role restoring owns it).
# Needs pg_dump/pg_restore/psql of the server's major version or newer.
set -euo pipefail

SERVICES=(booking events notifications metrics guide)

die() { printf '[backup] ERROR: %s\n' "$*" >&2; exit 1; }
say() { printf '[backup] %s\n' "$*" >&2; }

# postgresql://user:pw@host:port/name?params -> the same server's "postgres" database
server_dsn() {
  local dsn="$1" base query
  base="${dsn%%\?*}"; query="${dsn#"$base"}"
  printf '%s/postgres%s' "${base%/*}" "$query"
}
db_name() { local base="${1%%\?*}"; printf '%s' "${base##*/}"; }

service_dsn() {
  local service="$1" var
  var="KOHTAAMO_${service^^}_DATABASE_URL"
  if [[ -n "${!var:-}" ]]; then printf '%s' "${!var}"; return; fi
  printf '%s/kohtaamo_%s' "${KOHTAAMO_PG_DSN_BASE:-postgresql://kohtaamo:kohtaamo@127.0.0.1:55432}" "$service"
}

dump() {
  local dsn="$1" file="$2"
  [[ -n "$dsn" && -n "$file" ]] || die "usage: dump <dsn> <file>"
  # Written next to its place and moved there when whole: a failed dump never looks like one.
  pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$file.partial" "$dsn"
  pg_restore --list "$file.partial" >/dev/null || die "the dump of $(db_name "$dsn") is unreadable"
  mv "$file.partial" "$file"
  say "dumped $(db_name "$dsn") to $file ($(stat -c %s "$file") bytes)"
}

restore() {
  local file="$1" dsn="$2" name server tables
  [[ -f "$file" && -n "$dsn" ]] || die "usage: restore <file> <dsn>"
  name="$(db_name "$dsn")"
  [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || die "not a plain database name: $name"
  server="$(server_dsn "$dsn")"
  if [[ -z "$(psql "$server" -XAtc "SELECT 1 FROM pg_database WHERE datname = '$name'")" ]]; then
    psql "$server" -Xqc "CREATE DATABASE \"$name\"" || die "could not create $name"
    say "created $name"
  fi
  tables="$(psql "$dsn" -XAtc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
  [[ "$tables" == 0 ]] || die "$name is not empty ($tables tables): restore into an empty database, then switch the service's DSN to it"
  pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$dsn" "$file"
  say "restored $file into $name"
}

case "${1:-}" in
  dump) dump "${2:-}" "${3:-}" ;;
  dump-all)
    folder="${2:-}"; [[ -n "$folder" ]] || die "usage: dump-all <folder>"
    mkdir -p "$folder"
    stamp="$(date -u +%Y%m%dT%H%M%SZ)"
    for service in "${SERVICES[@]}"; do dump "$(service_dsn "$service")" "$folder/$service-$stamp.dump"; done ;;
  restore) restore "${2:-}" "${3:-}" ;;
  check)
    [[ -f "${2:-}" ]] || die "usage: check <file>"
    pg_restore --list "$2" | awk '$4 == "TABLE" && $5 == "public" {print $6}' ;;
  *) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
