#!/usr/bin/env bash
# The scale-out topology on this one machine, on real engines:
#
#   HAProxy :18000 (health check GET /readyz)
#     → idcard serve :18080 :18081 :18082 (jobs on in all three)
#   MariaDB primary :13306 → replica :13307 (GTID replication)
#   Redis master :16379 → replica :16380, Sentinels :26379 :26380 :26381
#
# Every engine runs from its own folder under $IDCARD_CLUSTER_DIR (default
# .cluster/ in the repository) and on ports away from the standard 3306 and
# 6379, which it never touches. Every process it starts is stopped by the
# PID it wrote.
#
#   scripts/cluster.sh up      install haproxy/redis-sentinel if missing (apt-get, root), start it all
#   scripts/cluster.sh test    mixed load through HAProxy while an instance is killed, the Redis
#                              master fails over and the replica lags; prints the report
#   scripts/cluster.sh ci      up, a short test, down (what .ci/run runs)
#   scripts/cluster.sh down    stop everything by PID
#   scripts/cluster.sh status  what is running
#
# IDCARD_CLUSTER_DIR moves the folder; IDCARD_CLUSTER_ID_STEP=N makes the
# primary hand out ids N apart (docs/capacity.md: the way to TiDB).
#
# Fault steps the test drives (also usable by hand): stop-app N (SIGTERM:
# drain), kill-app N, start-app N,
# kill-redis-master, start-redis PORT, redis-master, lag-on, lag-off,
# replica-selects; and `idcard ARGS...` runs a one-shot idcard command
# (seed, demo-persons, audit-verify) on the cluster's storage.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
RUN=${IDCARD_CLUSTER_DIR:-$REPO/.cluster}
DB_PORTS=(13306 13307)
REDIS_PORTS=(16379 16380)
SENTINEL_PORTS=(26379 26380 26381)
APP_PORTS=(18080 18081 18082)
LB_PORT=18000
MASTER=idcard
GO=${GO:-go}

log() { printf '=== cluster: %s\n' "$*" >&2; }
die() { printf 'cluster: %s\n' "$*" >&2; exit 1; }

# wait_for CMD...: retry for up to 60 s.
wait_for() {
  for _ in $(seq 1 120); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  return 1
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# port_free PORT: refuse to start on a port something else holds.
port_free() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then die "port $1 is taken by another process"; fi
}

# stop_pid FILE: TERM, wait up to 20 s, then KILL; only the PID in FILE.
stop_pid() {
  local f=$1 pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

install_packages() {
  local missing=()
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v redis-sentinel >/dev/null || missing+=(redis-sentinel)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "needs ${missing[*]}: run as root or apt-get install them"
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >"$RUN/apt.log" 2>&1 ||
    { apt-get update >>"$RUN/apt.log" 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >>"$RUN/apt.log" 2>&1; } ||
    die "apt-get failed, see $RUN/apt.log"
  # Debian starts the packaged services where it can; this cluster runs its own.
}

# --- MariaDB ---------------------------------------------------------------

sql() { mariadb --no-defaults -uroot --socket="$RUN/db$1/sock" -N -B -e "$2"; }

start_db() { # start_db INDEX (1 primary, 2 replica)
  local i=$1 port=${DB_PORTS[$(($1 - 1))]} d="$RUN/db$1"
  alive "$d/pid" && return 0
  port_free "$port"
  if [ ! -d "$d/data/mysql" ]; then
    mkdir -p "$d"
    mariadb-install-db --no-defaults --datadir="$d/data" --user="$(id -un)" \
      --auth-root-authentication-method=socket --skip-test-db >"$d/install.log" 2>&1 || die "mariadb-install-db failed: $d/install.log"
  fi
  local extra=(--log-bin="$d/data/binlog" --binlog-format=ROW --log-slave-updates --gtid-strict-mode=1)
  [ "$i" = 2 ] && extra+=(--read-only=1 --relay-log="$d/data/relay")
  # IDCARD_CLUSTER_ID_STEP=N: ids with gaps, as a distributed database
  # (TiDB) hands them out, to show nothing assumes consecutive ids.
  [ "$i" = 1 ] && [ -n "${IDCARD_CLUSTER_ID_STEP:-}" ] &&
    extra+=(--auto-increment-increment="$IDCARD_CLUSTER_ID_STEP" --auto-increment-offset=1)
  /usr/sbin/mariadbd --no-defaults --datadir="$d/data" --port="$port" --bind-address=127.0.0.1 \
    --socket="$d/sock" --pid-file="$d/pid" --user="$(id -un)" --server-id="$i" --skip-name-resolve \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --default-time-zone=+00:00 \
    --innodb-buffer-pool-size=128M --innodb-log-file-size=48M --innodb-flush-log-at-trx-commit=1 --sync-binlog=1 \
    --max-connections=300 --log-error="$d/error.log" "${extra[@]}" >/dev/null 2>&1 &
  wait_for sql "$i" "SELECT 1" || die "MariaDB :$port did not start: $d/error.log"
}

setup_replication() {
  # Users and the database are made on the primary after its binary log is
  # on, so the replica gets them by replicating from GTID 0.
  sql 1 "CREATE USER IF NOT EXISTS 'repl'@'127.0.0.1' IDENTIFIED BY 'repl';
         GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';
         CREATE USER IF NOT EXISTS 'idcard'@'127.0.0.1' IDENTIFIED BY 'idcard';
         GRANT ALL ON idcard.* TO 'idcard'@'127.0.0.1';
         GRANT SLAVE MONITOR ON *.* TO 'idcard'@'127.0.0.1';
         CREATE DATABASE IF NOT EXISTS idcard CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
  if [ -z "$(sql 2 "SHOW SLAVE STATUS")" ]; then
    sql 2 "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${DB_PORTS[0]}, MASTER_USER='repl',
           MASTER_PASSWORD='repl', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE;"
  fi
  wait_for replica_running || die "replication did not start: see $RUN/db2/error.log"
}

replica_running() {
  local s; s=$(mariadb --no-defaults -uroot --socket="$RUN/db2/sock" -e "SHOW SLAVE STATUS\G" | tr -d ' ')
  grep -q '^Slave_IO_Running:Yes' <<<"$s" && grep -q '^Slave_SQL_Running:Yes' <<<"$s"
}

# --- Redis -----------------------------------------------------------------

start_redis() { # start_redis PORT [MASTER_PORT]
  local port=$1 d="$RUN/redis$1"
  alive "$d/pid" && return 0
  port_free "$port"
  mkdir -p "$d"
  [ -f "$d/redis.conf" ] || { echo "port $port"; echo "bind 127.0.0.1"; echo "dir $d"; echo "pidfile $d/pid"; echo "logfile $d/redis.log"
      echo "daemonize yes"; echo 'save ""'; echo "appendonly yes"; echo "appendfsync everysec"
      echo "replica-announce-ip 127.0.0.1"
      if [ -n "${2:-}" ]; then echo "replicaof 127.0.0.1 $2"; fi; } >"$d/redis.conf"
  redis-server "$d/redis.conf" >/dev/null
  wait_for redis-cli -p "$port" ping || die "Redis :$port did not start: $d/redis.log"
}

start_sentinel() { # start_sentinel PORT
  local port=$1 d="$RUN/sentinel$1"
  alive "$d/pid" && return 0
  port_free "$port"
  mkdir -p "$d"
  [ -f "$d/sentinel.conf" ] || cat >"$d/sentinel.conf" <<EOF
port $port
bind 127.0.0.1
dir $d
pidfile $d/pid
logfile $d/sentinel.log
daemonize yes
sentinel announce-ip 127.0.0.1
sentinel monitor $MASTER 127.0.0.1 ${REDIS_PORTS[0]} 2
sentinel down-after-milliseconds $MASTER 2000
sentinel failover-timeout $MASTER 10000
sentinel parallel-syncs $MASTER 1
EOF
  redis-sentinel "$d/sentinel.conf" >/dev/null
  wait_for redis-cli -p "$port" ping || die "Sentinel :$port did not start: $d/sentinel.log"
}

redis_master_port() {
  redis-cli -p "${SENTINEL_PORTS[0]}" SENTINEL get-master-addr-by-name "$MASTER" | sed -n 2p
}

# --- the app ---------------------------------------------------------------

keys() {
  [ -f "$RUN/keys.env" ] && return 0
  local k1 k2 k3
  k1=$(head -c 32 /dev/urandom | base64); k2=$(head -c 32 /dev/urandom | base64); k3=$(head -c 32 /dev/urandom | base64)
  printf 'IDCARD_PII_KEYS=k1:%s\nIDCARD_INDEX_KEY=%s\nIDCARD_TOKEN_KEY=%s\n' "$k1" "$k2" "$k3" >"$RUN/keys.env"
  chmod 600 "$RUN/keys.env"
}

# app_env N: the environment of instance N (0 = a one-shot command), in
# the current shell: the shared keys, the cluster's engines, nothing else
# of the caller's IDCARD_* variables.
app_env() {
  local port=${APP_PORTS[$((${1:-1} - 1))]} sentinels
  sentinels=$(printf '127.0.0.1:%s,' "${SENTINEL_PORTS[@]}"); sentinels=${sentinels%,}
  for v in $(env | grep -o '^IDCARD_[A-Z_]*'); do unset "$v"; done
  set -a
  # shellcheck disable=SC1091
  . "$RUN/keys.env"
  set +a
  export IDCARD_ADDR="127.0.0.1:$port" IDCARD_DATA_DIR="$RUN/app${1:-0}/data" IDCARD_DEMO=true IDCARD_LOG_FORMAT=json \
    IDCARD_MYSQL_DSN="idcard:idcard@tcp(127.0.0.1:${DB_PORTS[0]})/idcard" \
    IDCARD_MYSQL_REPLICA_DSNS="idcard:idcard@tcp(127.0.0.1:${DB_PORTS[1]})/idcard" \
    IDCARD_REDIS_SENTINELS="$sentinels" IDCARD_REDIS_MASTER="$MASTER" \
    IDCARD_DRAIN_DELAY=3s IDCARD_SHUTDOWN_TIMEOUT=15s IDCARD_TRUSTED_PROXIES=127.0.0.1
}

start_app() { # start_app N (1..3)
  local n=$1 port=${APP_PORTS[$(($1 - 1))]} d="$RUN/app$1"
  alive "$d/pid" && return 0
  port_free "$port"
  mkdir -p "$d"
  ( app_env "$n"; exec "$RUN/idcard" serve >>"$d/serve.log" 2>&1 </dev/null ) &
  echo $! >"$d/pid"
  disown $!  # a kill -9 of it is the test's, not news for this shell
  wait_for curl -fsS "http://127.0.0.1:$port/readyz" || die "idcard :$port is not ready: $d/serve.log"
}

kill_app() { # kill_app N: SIGKILL, as a crash would
  local d="$RUN/app$1"
  alive "$d/pid" || die "app $1 is not running"
  kill -KILL "$(cat "$d/pid")"
  rm -f "$d/pid"
}

start_lb() {
  alive "$RUN/haproxy.pid" && return 0
  port_free "$LB_PORT"
  {
    cat <<EOF
global
    maxconn 2000
    log stdout format raw local0 notice
defaults
    mode http
    log global
    option httplog
    option dontlognull
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    # A request that never reached a server (refused: the instance died)
    # goes to another one; nothing that reached a server is sent twice.
    retries 3
    option redispatch
frontend web
    bind 127.0.0.1:$LB_PORT
    default_backend idcard
backend idcard
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 2
EOF
    local i=1
    for p in "${APP_PORTS[@]}"; do echo "    server app$i 127.0.0.1:$p check"; i=$((i + 1)); done
  } >"$RUN/haproxy.cfg"
  haproxy -c -q -f "$RUN/haproxy.cfg" || die "haproxy.cfg does not check"
  haproxy -D -p "$RUN/haproxy.pid" -f "$RUN/haproxy.cfg" >>"$RUN/haproxy.log" 2>&1
  wait_for curl -fsS "http://127.0.0.1:$LB_PORT/readyz" || die "HAProxy :$LB_PORT does not answer"
}

up() {
  mkdir -p "$RUN"
  install_packages
  log "building idcard"
  $GO build -trimpath -o "$RUN/idcard" ./backend/cmd/idcard
  log "MariaDB primary :${DB_PORTS[0]}, replica :${DB_PORTS[1]}"
  start_db 1
  start_db 2
  setup_replication
  log "Redis master :${REDIS_PORTS[0]}, replica :${REDIS_PORTS[1]}, Sentinels ${SENTINEL_PORTS[*]}"
  start_redis "${REDIS_PORTS[0]}"
  start_redis "${REDIS_PORTS[1]}" "${REDIS_PORTS[0]}"
  for p in "${SENTINEL_PORTS[@]}"; do start_sentinel "$p"; done
  keys
  log "idcard serve ${APP_PORTS[*]} (the first migrates and seeds alone)"
  for n in 1 2 3; do start_app "$n"; done
  start_lb
  log "up: http://127.0.0.1:$LB_PORT/ (staff: /staff/, demo password demo1234)"
}

down() {
  [ -d "$RUN" ] || return 0
  stop_pid "$RUN/haproxy.pid"
  for n in 1 2 3; do stop_pid "$RUN/app$n/pid"; done
  for p in "${SENTINEL_PORTS[@]}"; do stop_pid "$RUN/sentinel$p/pid"; done
  for p in "${REDIS_PORTS[@]}"; do stop_pid "$RUN/redis$p/pid"; done
  for i in 2 1; do stop_pid "$RUN/db$i/pid"; done
  log "down (data kept in $RUN; 'rm -rf $RUN' for a fresh start)"
}

status() {
  for f in "$RUN"/*/pid "$RUN"/haproxy.pid; do
    [ -f "$f" ] || continue
    local name; name=$(basename "$(dirname "$f")"); [ "$f" = "$RUN/haproxy.pid" ] && name=haproxy
    if alive "$f"; then echo "running  $name pid $(cat "$f")"; else echo "dead     $name ($f)"; fi
  done
  echo "redis master: $(redis_master_port 2>/dev/null || echo '?')"
}

run_test() {
  alive "$RUN/haproxy.pid" || die "not up: scripts/cluster.sh up first"
  $GO run ./backend/cmd/soak -cluster "http://127.0.0.1:$LB_PORT" -cluster-ctl "$REPO/scripts/cluster.sh" \
    -cluster-dsn "idcard:idcard@tcp(127.0.0.1:${DB_PORTS[0]})/idcard" -bin "$RUN/idcard" "$@"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  up) up ;;
  down) down ;;
  status) status ;;
  test) run_test "$@" ;;
  ci)
    rm -rf "$RUN"
    trap down EXIT
    up
    run_test -workers 6 -cluster-phase 8s "$@"
    ;;
  kill-app) kill_app "$1" ;;
  stop-app) stop_pid "$RUN/app$1/pid" ;;
  start-app) start_app "$1" ;;
  redis-master) redis_master_port ;;
  kill-redis-master)
    p=$(redis_master_port)
    kill -KILL "$(cat "$RUN/redis$p/pid")" && rm -f "$RUN/redis$p/pid" && echo "$p"
    ;;
  start-redis) start_redis "$1" ;;
  idcard) ( app_env 0; exec "$RUN/idcard" "$@" ) ;;
  replica-selects) sql 2 "SHOW GLOBAL STATUS LIKE 'Com_select'" | cut -f2 ;;
  lag-on) sql 2 "STOP SLAVE SQL_THREAD" ;;
  lag-off) sql 2 "START SLAVE SQL_THREAD" ;;
  *) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
