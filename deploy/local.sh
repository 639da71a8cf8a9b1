#!/usr/bin/env bash
# Real Apache Kafka and PostgreSQL on this machine, without Docker.
#
#   deploy/local.sh up            start both (installing/fetching what is missing), migrate
#   deploy/local.sh down [--purge] stop both (--purge also deletes their data, not the jars)
#   deploy/local.sh status        is each running and answering? (exit 0 only if both are)
#   deploy/local.sh kafka-stop    stop only the broker, keeping its data (tests use it)
#   deploy/local.sh kafka-start   start only the broker and wait until it answers
#   deploy/local.sh logs          the tail of both servers' logs
#
# Kafka: the broker's jars come from Maven Central (deploy/kafka/pom.xml), single-node KRaft
# (broker and controller in one JVM). PostgreSQL: Debian's package, a cluster of our own owned
# by the `postgres` OS user. All state lives in .local/ (or $KOHTAAMO_STATE_DIR).
# `up` prints KAFKA_BOOTSTRAP_SERVERS=... and KOHTAAMO_PG_DSN_BASE=... on stdout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${KOHTAAMO_STATE_DIR:-$ROOT/.local}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
PG_PORT="${PG_PORT:-55432}"
KAFKA_DIR="$STATE/kafka"
LIBS="$KAFKA_DIR/libs"
PG_DIR="$STATE/pg"
PG_DATA="$PG_DIR/data"
PG_USER=kohtaamo
PG_PASSWORD=kohtaamo
DATABASES=(kohtaamo_booking kohtaamo_events kohtaamo_notifications kohtaamo_metrics)
WAIT_SECONDS="${KOHTAAMO_WAIT_SECONDS:-90}"

say() { printf '[deploy] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
need_root() { [[ $(id -u) -eq 0 ]] || die "$1 needs root (apt-get); run as root or install it yourself"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- Kafka ------------------------------------------------------------------------------------

kafka_fetch() {
  local stamp="$LIBS/.fetched" want
  want="$(sha256sum "$ROOT/deploy/kafka/pom.xml" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then return; fi
  command -v java >/dev/null || die "Java 17+ is needed to run Kafka (apt-get install openjdk-17-jre-headless)"
  command -v mvn >/dev/null || die "Maven is needed to fetch Kafka's jars (apt-get install maven)"
  say "fetching Apache Kafka's jars from Maven Central"
  rm -rf "$LIBS"; mkdir -p "$LIBS"
  mvn -B -q -f "$ROOT/deploy/kafka/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DoutputDirectory="$LIBS" -DincludeScope=runtime >&2 \
    || die "mvn could not fetch the Kafka jars (is Maven Central reachable?)"
  ls "$LIBS"/kafka_2.13-*.jar >/dev/null 2>&1 || die "no kafka_2.13 jar after the fetch"
  echo "$want" > "$stamp"
}

kafka_java() {
  java -Xms128m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$ROOT/deploy/kafka/log4j2.properties" \
    -cp "$LIBS/*" "$@"
}

kafka_pid() {
  local f="$KAFKA_DIR/kafka.pid"
  [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
}

kafka_answers() {
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" \
    --list >/dev/null 2>&1
}

kafka_start() {
  kafka_fetch
  if pid="$(kafka_pid)"; then
    say "Kafka already running (pid $pid)"
  else
    if port_open "$KAFKA_PORT"; then
      die "port $KAFKA_PORT is taken by another process; stop it or set KAFKA_PORT"
    fi
    mkdir -p "$KAFKA_DIR/data"
    sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
        -e "s|@DATA_DIR@|$KAFKA_DIR/data|g" \
        "$ROOT/deploy/kafka/server.properties.in" > "$KAFKA_DIR/server.properties"
    if [[ ! -f "$KAFKA_DIR/data/meta.properties" ]]; then
      say "formatting Kafka storage (KRaft, single node)"
      local cluster
      cluster="$(kafka_java kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
      kafka_java kafka.tools.StorageTool format --standalone -t "$cluster" \
        -c "$KAFKA_DIR/server.properties" --ignore-formatted >>"$KAFKA_DIR/kafka.log" 2>&1 \
        || { tail -n 20 "$KAFKA_DIR/kafka.log" >&2; die "formatting Kafka storage failed"; }
    fi
    say "starting Kafka on 127.0.0.1:$KAFKA_PORT"
    nohup bash -c "$(declare -f kafka_java); ROOT='$ROOT' LIBS='$LIBS'; \
      exec java -Xms128m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
      -Dlog4j2.configurationFile='$ROOT/deploy/kafka/log4j2.properties' \
      -cp '$LIBS/*' kafka.Kafka '$KAFKA_DIR/server.properties'" \
      >>"$KAFKA_DIR/kafka.log" 2>&1 </dev/null &
    echo $! > "$KAFKA_DIR/kafka.pid"
  fi
  local deadline=$((SECONDS + WAIT_SECONDS))
  until port_open "$KAFKA_PORT" && kafka_answers; do
    if ! kafka_pid >/dev/null; then
      tail -n 30 "$KAFKA_DIR/kafka.log" >&2; die "Kafka exited while starting (log above)"
    fi
    if (( SECONDS > deadline )); then
      tail -n 30 "$KAFKA_DIR/kafka.log" >&2; die "Kafka did not answer within ${WAIT_SECONDS}s"
    fi
    sleep 0.5
  done
  say "Kafka answers on 127.0.0.1:$KAFKA_PORT"
}

kafka_stop() {
  local pid
  if pid="$(kafka_pid)"; then
    say "stopping Kafka (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then say "Kafka did not stop in 30 s; killing it"; kill -9 "$pid" || true; fi
  fi
  rm -f "$KAFKA_DIR/kafka.pid"
}

# --- PostgreSQL -------------------------------------------------------------------------------

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -z "$dir" || ! -x "$dir/postgres" ]]; then
    need_root "installing PostgreSQL"
    say "installing PostgreSQL from Debian's packages"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >&2 \
      || die "apt-get install postgresql failed"
    dir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  fi
  echo "$dir"
}

as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_running() { [[ -f "$PG_DATA/postmaster.pid" ]] && as_postgres "$BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

psql_admin() { as_postgres "$BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

pg_start() {
  BIN="$(pg_bin)"
  if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  mkdir -p "$PG_DIR"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$PG_DIR"
  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    say "creating a PostgreSQL cluster in $PG_DATA"
    as_postgres "$BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >>"$PG_DIR/initdb.log" 2>&1 \
      || { tail -n 20 "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    cat >> "$PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
max_connections = 300
shared_buffers = 128MB
CONF
  fi
  local fast=()
  [[ "${KOHTAAMO_PG_FAST:-}" == 1 ]] && fast=(-o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
  if pg_running; then
    say "PostgreSQL already running"
  else
    if port_open "$PG_PORT"; then die "port $PG_PORT is taken by another process; set PG_PORT"; fi
    say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_postgres "$BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/postgres.log" -w -t "$WAIT_SECONDS" \
      "${fast[@]}" start >/dev/null \
      || { tail -n 20 "$PG_DIR/postgres.log" >&2; die "PostgreSQL did not start"; }
  fi
  local deadline=$((SECONDS + WAIT_SECONDS))
  until as_postgres "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && psql_admin -c 'select 1' >/dev/null; do
    (( SECONDS > deadline )) && { tail -n 20 "$PG_DIR/postgres.log" >&2; die "PostgreSQL does not answer"; }
    sleep 0.3
  done
  psql_admin <<SQL >/dev/null
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  END IF;
END \$\$;
SQL
  for db in "${DATABASES[@]}"; do
    if [[ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]]; then
      psql_admin -c "CREATE DATABASE $db OWNER $PG_USER" >/dev/null
      say "created database $db"
    fi
  done
  say "PostgreSQL answers on 127.0.0.1:$PG_PORT"
}

pg_stop() {
  BIN="$(pg_bin)"
  if pg_running; then
    say "stopping PostgreSQL"
    as_postgres "$BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null || true
  fi
}

migrate() {
  local py="${PYTHON:-python3}"
  if [[ -f "$ROOT/shared/migrate.py" ]] && "$py" -c 'import asyncpg, pydantic_settings' 2>/dev/null; then
    (cd "$ROOT" && KOHTAAMO_PG_DSN_BASE="$DSN_BASE" "$py" -m shared.migrate --all) \
      || die "migrations failed"
  else
    say "skipping migrations (no Python environment with the project's dependencies)"
  fi
}

DSN_BASE="postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT"

case "${1:-}" in
  up)
    mkdir -p "$STATE"
    pg_start
    kafka_start
    migrate
    echo "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT"
    echo "KOHTAAMO_PG_DSN_BASE=$DSN_BASE"
    ;;
  down)
    kafka_stop
    pg_stop
    if [[ "${2:-}" == "--purge" ]]; then
      say "deleting Kafka's and PostgreSQL's data (the jars stay)"
      rm -rf "$KAFKA_DIR/data" "$KAFKA_DIR/server.properties" "$PG_DIR"
    fi
    ;;
  kafka-stop) kafka_stop ;;
  kafka-start) kafka_start ;;
  status)
    ok=0
    if kafka_pid >/dev/null && kafka_answers; then echo "kafka: running, answers on 127.0.0.1:$KAFKA_PORT"
    else echo "kafka: not running"; ok=1; fi
    BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$BIN" ]] && pg_running && as_postgres "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
      echo "postgres: running, answers on 127.0.0.1:$PG_PORT"
    else echo "postgres: not running"; ok=1; fi
    exit $ok
    ;;
  logs)
    tail -n 40 "$KAFKA_DIR/kafka.log" "$PG_DIR/postgres.log" 2>/dev/null || true
    ;;
  *)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
