#!/usr/bin/env bash
# Real Apache Kafka and PostgreSQL on this machine, without Docker.
#
#   deploy/local.sh up [--kafka-nodes N]  start both (installing/fetching what is missing), migrate
#   deploy/local.sh down [--purge] stop both (--purge also deletes their data, not the jars)
#   deploy/local.sh status        is each running and answering? (exit 0 only if both are)
#   deploy/local.sh kafka-stop    stop only Kafka, keeping its data (tests use it)
#   deploy/local.sh kafka-start [--kafka-nodes N]  start only Kafka (the nodes not running)
#   deploy/local.sh logs          the tail of both servers' logs
#
# Kafka: the jars come from Maven Central (deploy/kafka/pom.xml); KRaft, each node broker and
# controller in one JVM. One node by default; --kafka-nodes 3 (or KOHTAAMO_KAFKA_NODES) makes
# a cluster: brokers on KAFKA_PORT.., controllers on KAFKA_CONTROLLER_PORT.. (default right
# after the brokers), replication 3 and min.insync.replicas 2 as the cluster's defaults.
# PostgreSQL: Debian's package, a cluster of our own owned by the `postgres` OS user. State
# lives in .local/ (or $KOHTAAMO_STATE_DIR); PostgreSQL's data goes to
# /var/lib/kohtaamo/<hash>/pg instead when the postgres user cannot enter that folder (a
# checkout in root's home). KOHTAAMO_KAFKA_LIBS: a folder of Kafka jars to use as they are.
# `up` prints KAFKA_BOOTSTRAP_SERVERS=... and KOHTAAMO_PG_DSN_BASE=... on stdout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${KOHTAAMO_STATE_DIR:-$ROOT/.local}"
CMD="${1:-}"; shift || true
PURGE=""
NODES_ARG=""
while (( $# )); do
  case "$1" in
    --purge) PURGE=1 ;;
    --kafka-nodes) NODES_ARG="${2:-}"; shift ;;
    --kafka-nodes=*) NODES_ARG="${1#*=}" ;;
    *) printf '[deploy] ERROR: unknown argument %s\n' "$1" >&2; exit 2 ;;
  esac
  shift
done
KAFKA_PORT="${KAFKA_PORT:-9092}"
PG_PORT="${PG_PORT:-55432}"
KAFKA_DIR="$STATE/kafka"
LIBS="${KOHTAAMO_KAFKA_LIBS:-$KAFKA_DIR/libs}"
# How many Kafka nodes: the argument, else the variable, else what this state last ran, else 1.
KAFKA_NODES="${NODES_ARG:-${KOHTAAMO_KAFKA_NODES:-$(cat "$KAFKA_DIR/nodes" 2>/dev/null || echo 1)}}"
[[ "$KAFKA_NODES" =~ ^[1-9]$ ]] || { echo "[deploy] ERROR: --kafka-nodes must be 1-9" >&2; exit 2; }
# Controllers listen right after the brokers unless set: 9092 + 9093 for one node (as always),
# 19092-19094 + 19095-19097 for three.
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + KAFKA_NODES))}"
PG_DIR_RECORD="$STATE/pg.dir"
PG_DIR="" PG_DATA=""
PG_USER=kohtaamo
PG_PASSWORD=kohtaamo
DATABASES=(kohtaamo_booking kohtaamo_events kohtaamo_notifications kohtaamo_metrics kohtaamo_guide)
WAIT_SECONDS="${KOHTAAMO_WAIT_SECONDS:-$(( KAFKA_NODES > 1 ? 180 : 90 ))}"

say() { printf "[deploy] %s %s\n" "$(date +%T)" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
need_root() { [[ $(id -u) -eq 0 ]] || die "$1 needs root (apt-get); run as root or install it yourself"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- Kafka ------------------------------------------------------------------------------------

kafka_fetch() {
  if [[ -n "${KOHTAAMO_KAFKA_LIBS:-}" ]]; then
    ls "$LIBS"/kafka_2.13-*.jar >/dev/null 2>&1 || die "no kafka_2.13 jar in KOHTAAMO_KAFKA_LIBS=$LIBS"
    return
  fi
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

# The command-line tools (format, list, broker ids) run a few seconds each: the C1 compiler
# only, which spends far less CPU starting than the full JIT.
kafka_java() {
  java -Xms64m -Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$ROOT/deploy/kafka/log4j2.properties" \
    -cp "$LIBS/*" "$@"
}

# Node i (1..N): its folder (one node: .local/kafka itself, as before clusters existed), its
# broker and controller ports.
node_dir() { if (( KAFKA_NODES == 1 )); then echo "$KAFKA_DIR"; else echo "$KAFKA_DIR/node$1"; fi; }
node_port() { echo $((KAFKA_PORT + $1 - 1)); }
node_cport() { echo $((KAFKA_CONTROLLER_PORT + $1 - 1)); }
node_pid() {
  local f
  f="$(node_dir "$1")/kafka.pid"
  [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
}
kafka_bootstrap() {
  local i list=()
  for ((i = 1; i <= KAFKA_NODES; i++)); do list+=("127.0.0.1:$(node_port "$i")"); done
  (IFS=,; echo "${list[*]}")
}
kafka_pid() { node_pid 1; }

kafka_answers() {
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$(kafka_bootstrap)" \
    --list >/dev/null 2>&1
}

# The ids of the brokers the cluster's metadata lists (alive, registered), one a line.
kafka_alive_ids() {
  timeout 60 java -Xms64m -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$ROOT/deploy/kafka/log4j2.properties" -cp "$LIBS/*" \
    org.apache.kafka.tools.BrokerApiVersionsCommand --bootstrap-server \
    "$(kafka_bootstrap)" 2>/dev/null | sed -n 's/^[^ ]* (id: \([0-9]*\) .*/\1/p' | sort -u
}

kafka_write_config() {
  local i="$1" dir port cport voters="" v replication isr
  dir="$(node_dir "$i")"; port="$(node_port "$i")"; cport="$(node_cport "$i")"
  mkdir -p "$dir/data"
  if (( KAFKA_NODES == 1 )); then
    sed -e "s|@KAFKA_PORT@|$port|g" -e "s|@CONTROLLER_PORT@|$cport|g" \
        -e "s|@DATA_DIR@|$dir/data|g" \
        "$ROOT/deploy/kafka/server.properties.in" > "$dir/server.properties"
    return
  fi
  for ((v = 1; v <= KAFKA_NODES; v++)); do voters+="${voters:+,}$v@127.0.0.1:$(node_cport "$v")"; done
  replication=$(( KAFKA_NODES < 3 ? KAFKA_NODES : 3 ))
  isr=$(( replication >= 3 ? 2 : 1 ))
  cat > "$dir/server.properties" <<PROPS
# Node $i of a local $KAFKA_NODES-node KRaft cluster (deploy/local.sh --kafka-nodes). Each node
# is broker and controller; the controllers are a static quorum of all nodes.
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=3
# As production's brokers: what a topic gets when its creator does not say.
default.replication.factor=$replication
min.insync.replicas=$isr
auto.create.topics.enable=true
offsets.topic.replication.factor=$replication
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=$replication
transaction.state.log.min.isr=$isr
share.coordinator.state.topic.replication.factor=$replication
share.coordinator.state.topic.min.isr=$isr
group.initial.rebalance.delay.ms=0
# A killed node is fenced (and leaves the ISR) after 6 s instead of 9.
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=6000
delete.topic.enable=true
log.retention.hours=168
log.segment.bytes=16777216
PROPS
}

kafka_format() {
  local i="$1" dir cluster
  dir="$(node_dir "$i")"
  [[ -f "$dir/data/meta.properties" ]] && return
  if (( KAFKA_NODES == 1 )); then
    say "formatting Kafka storage (KRaft, single node)"
    cluster="$(kafka_java kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    kafka_java kafka.tools.StorageTool format --standalone -t "$cluster" \
      -c "$dir/server.properties" --ignore-formatted >>"$dir/kafka.log" 2>&1 \
      || { tail -n 20 "$dir/kafka.log" >&2; die "formatting Kafka storage failed"; }
    return
  fi
  cluster="$(cat "$KAFKA_DIR/cluster.id")"
  say "formatting Kafka storage of node $i (KRaft, $KAFKA_NODES nodes)"
  kafka_java kafka.tools.StorageTool format -t "$cluster" \
    -c "$dir/server.properties" --ignore-formatted >>"$dir/kafka.log" 2>&1 \
    || { tail -n 20 "$dir/kafka.log" >&2; die "formatting Kafka storage of node $i failed"; }
}

kafka_start_node() {
  local i="$1" dir port pid
  dir="$(node_dir "$i")"; port="$(node_port "$i")"
  if pid="$(node_pid "$i")"; then say "Kafka node $i already running (pid $pid)"; return; fi
  if port_open "$port"; then
    die "port $port is taken by another process; stop it or set KAFKA_PORT"
  fi
  say "starting Kafka node $i on 127.0.0.1:$port"
  # C1 only: a local node shares the cores with the services, PostgreSQL and the benchmark,
  # and C2 kept compiling for minutes after start, taking a third to a half of the broker's
  # CPU under the very loads measured (README, Performance).
  nohup bash -c "exec java -Xms128m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:TieredStopAtLevel=1 \
    -Djava.awt.headless=true -Dlog4j2.configurationFile='$ROOT/deploy/kafka/log4j2.properties' \
    -cp '$LIBS/*' kafka.Kafka '$dir/server.properties'" \
    >>"$dir/kafka.log" 2>&1 </dev/null &
  echo $! > "$dir/kafka.pid"
}

kafka_start() {
  kafka_fetch
  mkdir -p "$KAFKA_DIR"
  local had
  had="$(cat "$KAFKA_DIR/nodes" 2>/dev/null || true)"
  if [[ -z "$had" && -f "$KAFKA_DIR/data/meta.properties" ]]; then had=1; fi
  if [[ -n "$had" && "$had" != "$KAFKA_NODES" ]]; then
    die "$KAFKA_DIR holds a $had-node Kafka; run 'down --purge' first to start $KAFKA_NODES nodes"
  fi
  echo "$KAFKA_NODES" > "$KAFKA_DIR/nodes"
  if (( KAFKA_NODES > 1 )) && [[ ! -s "$KAFKA_DIR/cluster.id" ]]; then
    # A cluster id is 16 random bytes in URL-safe base64 without padding. One that starts
    # with "-" reads as an option to kafka-storage (Kafka's own Uuid.randomUuid skips those
    # too), so draw again until it does not.
    local id="-"
    while [[ "$id" == -* ]]; do
      id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)"
    done
    printf '%s\n' "$id" > "$KAFKA_DIR/cluster.id"
  fi
  local i
  for ((i = 1; i <= KAFKA_NODES; i++)); do
    node_pid "$i" >/dev/null && continue
    kafka_write_config "$i"
    kafka_format "$i" &
  done
  wait || true
  for ((i = 1; i <= KAFKA_NODES; i++)); do
    [[ -f "$(node_dir "$i")/data/meta.properties" ]] || die "Kafka node $i has no formatted storage"
  done
  for ((i = 1; i <= KAFKA_NODES; i++)); do kafka_start_node "$i"; done
  local deadline=$((SECONDS + WAIT_SECONDS)) alive
  while :; do
    for ((i = 1; i <= KAFKA_NODES; i++)); do
      if ! node_pid "$i" >/dev/null; then
        tail -n 30 "$(node_dir "$i")/kafka.log" >&2; die "Kafka node $i exited while starting (log above)"
      fi
    done
    if (( SECONDS > deadline )); then
      tail -n 30 "$(node_dir 1)/kafka.log" >&2; die "Kafka did not answer within ${WAIT_SECONDS}s"
    fi
    if (( KAFKA_NODES == 1 )); then
      port_open "$KAFKA_PORT" && kafka_answers && break
    else
      alive=0
      for ((i = 1; i <= KAFKA_NODES; i++)); do port_open "$(node_port "$i")" && alive=$((alive + 1)); done
      # Every broker registered with the controllers, not just listening.
      (( alive == KAFKA_NODES )) && (( $(kafka_alive_ids | wc -l) == KAFKA_NODES )) && break
    fi
    sleep 0.5
  done
  say "Kafka answers on $(kafka_bootstrap)"
}

kafka_stop() {
  local i pid pids=()
  for ((i = 1; i <= KAFKA_NODES; i++)); do
    if pid="$(node_pid "$i")"; then
      say "stopping Kafka node $i (pid $pid)"
      kill "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then say "Kafka (pid $pid) did not stop in 30 s; killing it"; kill -9 "$pid" || true; fi
  done
  for ((i = 1; i <= KAFKA_NODES; i++)); do rm -f "$(node_dir "$i")/kafka.pid"; done
}

kafka_status() {
  local ok=0 i pid port alive
  if (( KAFKA_NODES == 1 )); then
    if kafka_pid >/dev/null && kafka_answers; then echo "kafka: running, answers on 127.0.0.1:$KAFKA_PORT"
    else echo "kafka: not running"; ok=1; fi
    return $ok
  fi
  alive=" $(kafka_alive_ids | tr '\n' ' ')"
  for ((i = 1; i <= KAFKA_NODES; i++)); do
    port="$(node_port "$i")"
    if ! pid="$(node_pid "$i")"; then echo "kafka node $i: not running (127.0.0.1:$port)"; ok=1
    elif [[ "$alive" == *" $i "* ]]; then
      echo "kafka node $i: running (pid $pid), in the cluster, answers on 127.0.0.1:$port"
    else echo "kafka node $i: running (pid $pid), not (yet) in the cluster"; ok=1; fi
  done
  echo "kafka: $(wc -w <<< "$alive") of $KAFKA_NODES nodes in the cluster ($(kafka_bootstrap))"
  return $ok
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

# Where PostgreSQL's data and socket live. The `postgres` user (when we are root) must be able
# to enter it: inside a checkout in root's home (mode 700) it cannot, so the data goes to
# /var/lib/kohtaamo/<hash of the state folder>/pg, remembered in $STATE/pg.dir so that status,
# down and down --purge find it. A cluster already in $STATE/pg stays there.
pg_dir_resolve() {
  [[ -n "$PG_DIR" ]] && return
  if [[ -n "${KOHTAAMO_PG_DIR:-}" ]]; then PG_DIR="$KOHTAAMO_PG_DIR"
  elif [[ -s "$PG_DIR_RECORD" ]]; then PG_DIR="$(cat "$PG_DIR_RECORD")"
  elif [[ -f "$STATE/pg/data/PG_VERSION" ]] || ! pg_needs_outside; then PG_DIR="$STATE/pg"
  else
    local hash
    hash="$(printf '%s' "$(cd "$STATE" && pwd -P)" | sha256sum | cut -c1-16)"
    PG_DIR="/var/lib/kohtaamo/$hash/pg"
  fi
  PG_DATA="$PG_DIR/data"
}

pg_needs_outside() {
  [[ $(id -u) -eq 0 ]] && id postgres >/dev/null 2>&1 || return 1
  mkdir -p "$STATE"
  ! runuser -u postgres -- test -x "$STATE"
}

pg_running() { [[ -f "$PG_DATA/postmaster.pid" ]] && as_postgres "$BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

psql_admin() { as_postgres "$BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

pg_start() {
  BIN="$(pg_bin)"
  if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  pg_dir_resolve
  if [[ "$PG_DIR" == /var/lib/kohtaamo/* ]]; then
    say "the postgres user cannot enter $STATE: PostgreSQL's data goes to $PG_DIR"
    mkdir -p /var/lib/kohtaamo && chmod 755 /var/lib/kohtaamo
    mkdir -p "$(dirname "$PG_DIR")" && chmod 700 "$(dirname "$PG_DIR")"
    chown postgres: "$(dirname "$PG_DIR")"
  fi
  mkdir -p "$PG_DIR"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$PG_DIR"
  if [[ $(id -u) -eq 0 ]] && ! runuser -u postgres -- test -w "$PG_DIR"; then
    die "the postgres user cannot write $PG_DIR; set KOHTAAMO_PG_DIR to a folder it can"
  fi
  [[ "$PG_DIR" == "$STATE/pg" ]] || echo "$PG_DIR" > "$PG_DIR_RECORD"
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
  pg_dir_resolve
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

case "$CMD" in
  up)
    mkdir -p "$STATE"
    pg_start
    kafka_start
    migrate
    echo "KAFKA_BOOTSTRAP_SERVERS=$(kafka_bootstrap)"
    echo "KOHTAAMO_PG_DSN_BASE=$DSN_BASE"
    ;;
  down)
    kafka_stop
    pg_stop
    if [[ -n "$PURGE" ]]; then
      say "deleting Kafka's and PostgreSQL's data (the jars stay)"
      rm -rf "$KAFKA_DIR/data" "$KAFKA_DIR/server.properties" "$KAFKA_DIR"/node[0-9] \
        "$KAFKA_DIR/nodes" "$KAFKA_DIR/cluster.id" "$PG_DIR" "$PG_DIR_RECORD"
      if [[ "$PG_DIR" == /var/lib/kohtaamo/*/pg ]]; then rm -rf "$(dirname "$PG_DIR")"; fi
    fi
    ;;
  kafka-stop) kafka_stop ;;
  kafka-start) kafka_start; echo "KAFKA_BOOTSTRAP_SERVERS=$(kafka_bootstrap)" ;;
  status)
    ok=0
    kafka_status || ok=1
    pg_dir_resolve
    BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$BIN" ]] && pg_running && as_postgres "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
      echo "postgres: running, answers on 127.0.0.1:$PG_PORT (data in $PG_DATA)"
    else echo "postgres: not running"; ok=1; fi
    exit $ok
    ;;
  logs)
    pg_dir_resolve
    logs=()
    for ((i = 1; i <= KAFKA_NODES; i++)); do logs+=("$(node_dir "$i")/kafka.log"); done
    tail -n 40 "${logs[@]}" "$PG_DIR/postgres.log" 2>/dev/null || true
    ;;
  *)
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
