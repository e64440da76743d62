# PostgreSQL 15 for the backend tests: a throwaway cluster owned by the postgres user, reachable only
# through a Unix socket in its own directory. Sourced by .ci/run; idempotent. A cluster this file starts
# is stopped when .ci/run exits (a trap set in a sourced file is the sourcing shell's); one already
# running (a developer's, or an earlier run's) is used and left running.
PG_BIN=/usr/lib/postgresql/15/bin
if [ ! -x "$PG_BIN/initdb" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null \
        || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
SCHEMAKIT_PG_DIR=${SCHEMAKIT_PG_DIR:-/tmp/schemakit-ci-pg}
if ! runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$SCHEMAKIT_PG_DIR" status >/dev/null 2>&1; then
    rm -rf "$SCHEMAKIT_PG_DIR"
    mkdir -p "$SCHEMAKIT_PG_DIR"
    chown postgres "$SCHEMAKIT_PG_DIR"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$SCHEMAKIT_PG_DIR" -E UTF8 --locale=C.UTF-8 -A trust >/dev/null
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$SCHEMAKIT_PG_DIR" -w -l "$SCHEMAKIT_PG_DIR/log" \
        -o "-c listen_addresses='' -c unix_socket_directories='$SCHEMAKIT_PG_DIR' -c fsync=off" start >/dev/null
    # shellcheck disable=SC2064  # expand now: the trap runs after this file's variables may have changed
    trap "runuser -u postgres -- '$PG_BIN/pg_ctl' -D '$SCHEMAKIT_PG_DIR' -m fast stop >/dev/null 2>&1 || true" EXIT
fi
export SCHEMAKIT_TEST_PG="host=$SCHEMAKIT_PG_DIR dbname=postgres user=postgres"
