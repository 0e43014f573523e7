#!/usr/bin/env bash
# CI helper (run as root on Debian): start a PostgreSQL cluster on 127.0.0.1 from Debian's
# packages, make sure the role the tests use exists (it may create databases), and print the
# test URL on stdout. Safe to run twice.
set -euo pipefail
# Only the URL goes to stdout: anything a tool prints (pg_ctlcluster says "Removed stale pid
# file." after an unclean shutdown) goes to stderr, or the caller would read it as the URL.
exec 3>&1 1>&2

ROLE=cspdesk
PASSWORD=cspdesk

version=$(pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 {print $1}')
cluster=$(pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 {print $2}')
if [ -z "$version" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    cluster=main
    pg_createcluster "$version" "$cluster" >/dev/null
fi
# loopback only; the tests make and drop many small databases, so no durability in CI
cat >"/etc/postgresql/$version/$cluster/conf.d/cspdesk-ci.conf" <<'CONF'
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
# the tests make and drop hundreds of short-lived databases; an autovacuum worker inside one
# would block DROP DATABASE ... WITH (FORCE) for a role that may not terminate it
autovacuum = off
CONF
if ! pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" \
        '$1 == v && $2 == c {print $4}' | grep -q online; then
    pg_ctlcluster "$version" "$cluster" start 3>&-  # the server must not keep the URL pipe open
else
    pg_ctlcluster "$version" "$cluster" reload
fi
port=$(pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" \
        '$1 == v && $2 == c {print $3}')

runuser -u postgres -- psql -p "$port" -qAt -v ON_ERROR_STOP=1 >/dev/null <<SQL
SET client_min_messages = warning;
SELECT 'CREATE ROLE $ROLE LOGIN CREATEDB'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') \gexec
ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
GRANT pg_signal_backend TO $ROLE;
SELECT 'CREATE DATABASE $ROLE OWNER $ROLE'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$ROLE') \gexec
SQL

for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 1
done
echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$port/$ROLE" >&3
