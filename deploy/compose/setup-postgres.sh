#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas to the version of this image's
# server, as Temporal's own compose samples do with temporal-sql-tool. Safe to run again on a kept
# volume: creating a database that exists is skipped, `setup-schema -v 0.0` leaves a versioned schema
# as it is, and `update-schema` applies only the versions it lacks.
set -eu

schemas="${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema}/postgresql/v12"

tool() {
  temporal-sql-tool --plugin postgres12 --ep "${POSTGRES_SEEDS}" -u "${POSTGRES_USER}" -p "${DB_PORT:-5432}" "$@"
}

echo "waiting for PostgreSQL at ${POSTGRES_SEEDS}:${DB_PORT:-5432}"
until nc -z "${POSTGRES_SEEDS}" "${DB_PORT:-5432}" 2>/dev/null; do sleep 1; done

for database in temporal temporal_visibility; do
  tool --db "${database}" create || echo "database ${database} exists"
done
tool --db temporal setup-schema -v 0.0
tool --db temporal update-schema -d "${schemas}/temporal/versioned"
tool --db temporal_visibility setup-schema -v 0.0
tool --db temporal_visibility update-schema -d "${schemas}/visibility/versioned"
echo "Temporal's schemas are up to date"
