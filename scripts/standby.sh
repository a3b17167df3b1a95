#!/usr/bin/env bash
# A streaming standby of the local PostgreSQL cluster, for the read-replica tests.
#
#   scripts/standby.sh [start]   create the standby if missing (a base backup of the primary),
#                                start it, wait until it answers and is replaying
#   scripts/standby.sh stop      stop it (it catches up from the primary when started again)
#   scripts/standby.sh drop      stop it and delete it
#
# The primary is the cluster on 127.0.0.1:5432 (trust auth, as set up for development and CI);
# the standby is the cluster "replica" of the same PostgreSQL version, on PRIMARY_PORT + 1 by
# default. It replicates every database of the primary, the test databases the test runner
# creates included, so tests read from it what they committed on the primary. Runs as root
# (Debian's postgresql-common tools switch to the postgres user themselves).
set -euo pipefail

PRIMARY_HOST=${PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
STANDBY_PORT=${STANDBY_PORT:-5433}
CLUSTER=${STANDBY_CLUSTER:-replica}
WAIT_SECONDS=${STANDBY_WAIT_SECONDS:-60}

say() {
    printf 'standby: %s\n' "$*"
}

die() {
    printf 'standby: %s\n' "$*" >&2
    exit 1
}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# The PostgreSQL version of the primary's cluster (the standby must be the same).
primary_version() {
    pg_lsclusters --no-header | awk -v port="$PRIMARY_PORT" '$3 == port { print $1; exit }'
}

VERSION=${PG_VERSION:-$(primary_version)}
[ -n "$VERSION" ] || die "no local cluster listens on port $PRIMARY_PORT (pg_lsclusters)"
PRIMARY_CLUSTER=$(pg_lsclusters --no-header | awk -v port="$PRIMARY_PORT" '$3 == port { print $2; exit }')
CONFIG_DIR=/etc/postgresql/$VERSION/$CLUSTER
DATA_DIR=/var/lib/postgresql/$VERSION/$CLUSTER

cluster_exists() {
    pg_lsclusters --no-header | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c { found = 1 } END { exit !found }'
}

cluster_online() {
    pg_lsclusters --no-header | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c && $4 ~ /^online/ { found = 1 } END { exit !found }'
}

standby_sql() {
    psql -h 127.0.0.1 -p "$STANDBY_PORT" -U postgres -d postgres -XAtqc "$1"
}

# pg_basebackup connects to the primary's "replication" pseudo-database, which "all" in
# pg_hba.conf does not match: it needs a line of its own, before any other replication line.
allow_replication() {
    local hba
    hba=$(psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -XAtqc 'SHOW hba_file')
    if awk '$1 == "host" && $2 == "replication" && ($4 == "127.0.0.1/32" || $4 == "samenet" || $4 == "all") { print $NF; exit }' "$hba" | grep -qx trust; then
        return
    fi
    say "allowing replication from 127.0.0.1 in $hba"
    local line="host    replication     all             127.0.0.1/32            trust"
    # pg_hba.conf is read top to bottom and the first matching line decides: put it first.
    local first
    first=$(grep -n -m1 -v -E '^[[:space:]]*(#|$)' "$hba" | cut -d: -f1 || true)
    if [ -n "$first" ]; then
        sed -i "${first}i $line" "$hba"
    else
        printf '%s\n' "$line" >>"$hba"
    fi
    psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -XAtqc 'SELECT pg_reload_conf()' >/dev/null
}

create() {
    allow_replication
    say "creating cluster $VERSION/$CLUSTER on port $STANDBY_PORT from $PRIMARY_HOST:$PRIMARY_PORT"
    pg_createcluster "$VERSION" "$CLUSTER" --port "$STANDBY_PORT" >/dev/null
    # pg_createcluster made an empty cluster; the standby's data is the primary's, copied.
    find "$DATA_DIR" -mindepth 1 -delete
    if ! as_postgres pg_basebackup -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres \
        -D "$DATA_DIR" -R -X stream --checkpoint=fast; then
        pg_dropcluster "$VERSION" "$CLUSTER" || true
        die "pg_basebackup failed"
    fi
    # Debian keeps the configuration in /etc: the copied postgresql.conf, pg_hba.conf and
    # pg_ident.conf of the data directory are the primary's own, so they are not used.
    rm -f "$DATA_DIR"/postgresql.conf "$DATA_DIR"/pg_hba.conf "$DATA_DIR"/pg_ident.conf \
        "$DATA_DIR"/postgresql.auto.conf.bak
    cat >"$CONFIG_DIR/pg_hba.conf" <<'EOF'
# The read-replica standby for the tests: trust, like the development primary.
local   all             all                                     trust
host    all             all             127.0.0.1/32            trust
host    all             all             ::1/128                 trust
EOF
    chown postgres:postgres "$CONFIG_DIR/pg_hba.conf"
    cat >"$CONFIG_DIR/conf.d/standby.conf" <<EOF
# A hot standby answers read-only queries while it replays the primary's WAL.
hot_standby = on
listen_addresses = '127.0.0.1'
# The primary's settings that a standby must at least match.
max_connections = $(psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -XAtqc 'SHOW max_connections')
EOF
    chown postgres:postgres "$CONFIG_DIR/conf.d/standby.conf"
}

# Answering, in recovery, and streaming from the primary (not stuck on WAL it no longer has).
wait_streaming() {
    local waited=0
    until pg_isready -q -h 127.0.0.1 -p "$STANDBY_PORT" &&
        [ "$(standby_sql 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ] &&
        [ "$(standby_sql 'SELECT status FROM pg_stat_wal_receiver' 2>/dev/null)" = streaming ]; do
        waited=$((waited + 1))
        [ "$waited" -le "$WAIT_SECONDS" ] || return 1
        sleep 1
    done
}

start() {
    cluster_exists || create
    if ! cluster_online; then
        say "starting $VERSION/$CLUSTER"
        pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$CLUSTER" start
    fi
    if ! wait_streaming; then
        # Stopped for long, a standby may need WAL the primary has recycled since: copy again.
        say "not streaming after ${WAIT_SECONDS}s: making it again from a fresh base backup"
        pg_dropcluster --stop "$VERSION" "$CLUSTER"
        create
        pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$CLUSTER" start
        wait_streaming || die "not streaming after ${WAIT_SECONDS}s (see /var/log/postgresql/postgresql-$VERSION-$CLUSTER.log)"
    fi
    say "ready on port $STANDBY_PORT, replaying $VERSION/$PRIMARY_CLUSTER ($(standby_sql 'SELECT pg_last_wal_replay_lsn()'))"
}

stop() {
    if cluster_exists && cluster_online; then
        pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$CLUSTER" stop
    fi
    say "stopped"
}

drop() {
    if cluster_exists; then
        pg_dropcluster --stop "$VERSION" "$CLUSTER"
    fi
    say "dropped"
}

case "${1:-start}" in
start) start ;;
stop) stop ;;
drop) drop ;;
*) die "usage: $0 [start|stop|drop]" ;;
esac
