#!/usr/bin/env bash
# A PostgreSQL streaming replica of the local primary, on this machine, for the replica router
# (DATABASE_REPLICA_URL, govhall/core/dbrouter.py) and its benchmark (docs/scaling.md, step 4).
#
#   scripts/pg-replica.sh up       # create and start it (idempotent: a running replica is kept)
#   scripts/pg-replica.sh status   # is it streaming, and how far behind
#   scripts/pg-replica.sh down     # stop and remove it (and the primary's replication rule)
#
# Debian's own tools build it: pg_createcluster makes a second cluster (conf under
# /etc/postgresql/$PG_VERSION/$REPLICA_NAME, data under /var/lib/postgresql/$PG_VERSION/…), whose
# data directory is then replaced by `pg_basebackup -R` of the primary (a full copy of every
# database plus standby.signal and primary_conninfo), and pg_ctlcluster starts it. The primary
# must accept replication connections from 127.0.0.1: `up` adds one pg_hba rule (marked below)
# and reloads it; `down` removes the rule. No replication slot is kept, so a replica left
# stopped never makes the primary hold WAL; one that fell too far behind is rebuilt by
# `down` then `up`. Needs root (sudo is used otherwise), like scripts/system-packages.sh.
#
# Environment: PG_VERSION (15), PRIMARY_PORT (5432), REPLICA_PORT (5433),
# REPLICA_NAME (govhall_replica). The app reads it with
#   DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/NAME
set -euo pipefail

PG_VERSION=${PG_VERSION:-15}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPLICA_PORT=${REPLICA_PORT:-5433}
REPLICA_NAME=${REPLICA_NAME:-govhall_replica}
BIN=/usr/lib/postgresql/$PG_VERSION/bin
MARK="# govhall pg-replica.sh"
RULE="host replication all 127.0.0.1/32 trust $MARK"

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
as_postgres() { $SUDO runuser -u postgres -- "$@"; }
psql_at() { as_postgres "$BIN/psql" -h 127.0.0.1 -p "$1" -U postgres -XAtc "$2"; }

primary_hba() { psql_at "$PRIMARY_PORT" "SHOW hba_file"; }

exists() { pg_lsclusters -h | awk -v v="$PG_VERSION" -v n="$REPLICA_NAME" '$1==v && $2==n' | grep -q .; }
online() { pg_lsclusters -h | awk -v v="$PG_VERSION" -v n="$REPLICA_NAME" '$1==v && $2==n {print $4}' | grep -q online; }

status() {
  if ! exists; then echo "no replica cluster $PG_VERSION/$REPLICA_NAME"; return 1; fi
  pg_lsclusters | awk -v n="$REPLICA_NAME" 'NR==1 || $2==n'
  if online; then
    echo "in recovery (a standby): $(psql_at "$REPLICA_PORT" "SELECT pg_is_in_recovery()")"
    echo "last replayed transaction committed on the primary (not the lag when idle): $(psql_at "$REPLICA_PORT" \
      "SELECT coalesce(now() - pg_last_xact_replay_timestamp(), interval '0')") ago"
    psql_at "$PRIMARY_PORT" "SELECT 'primary sees: ' || state || ', replay lag ' ||
      coalesce(replay_lag::text, '0') FROM pg_stat_replication WHERE client_addr = '127.0.0.1'"
  fi
}

up() {
  if exists && online; then
    echo "replica $PG_VERSION/$REPLICA_NAME already running on port $REPLICA_PORT"
    status
    return 0
  fi
  if exists; then  # left half-built or stopped: rebuilt from a fresh copy
    $SUDO pg_dropcluster --stop "$PG_VERSION" "$REPLICA_NAME"
  fi
  local hba
  hba=$(primary_hba)
  if ! $SUDO grep -qF "$MARK" "$hba"; then
    echo "$RULE" | $SUDO tee -a "$hba" >/dev/null
    psql_at "$PRIMARY_PORT" "SELECT pg_reload_conf()" >/dev/null
  fi
  # Trust on loopback only, like the primary here; a real deployment uses scram and TLS.
  $SUDO pg_createcluster "$PG_VERSION" "$REPLICA_NAME" --port "$REPLICA_PORT" \
    -- --auth-local=trust --auth-host=trust >/dev/null
  local data=/var/lib/postgresql/$PG_VERSION/$REPLICA_NAME
  $SUDO find "$data" -mindepth 1 -delete
  echo "copying the primary (pg_basebackup) …"
  as_postgres "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$data" \
    -R -X stream --checkpoint=fast
  $SUDO pg_ctlcluster "$PG_VERSION" "$REPLICA_NAME" start
  for _ in $(seq 1 60); do
    if [[ "$(psql_at "$REPLICA_PORT" "SELECT pg_is_in_recovery()" 2>/dev/null)" == "t" ]]; then
      status
      return 0
    fi
    sleep 1
  done
  echo "the replica did not come up; see /var/log/postgresql/postgresql-$PG_VERSION-$REPLICA_NAME.log" >&2
  return 1
}

down() {
  if exists; then
    $SUDO pg_dropcluster --stop "$PG_VERSION" "$REPLICA_NAME"
    echo "replica $PG_VERSION/$REPLICA_NAME removed"
  fi
  local hba
  hba=$(primary_hba)
  if $SUDO grep -qF "$MARK" "$hba"; then
    $SUDO sed -i "\\|$MARK|d" "$hba"
    psql_at "$PRIMARY_PORT" "SELECT pg_reload_conf()" >/dev/null
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|status|down" >&2; exit 2 ;;
esac
