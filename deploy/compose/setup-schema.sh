#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas to the version of the admin-tools image.
# Idempotent: safe to run on every `docker compose up`.
set -eu
endpoint="--plugin postgres12 --ep postgresql -p 5432 -u temporal"
schemas=/etc/temporal/schema/postgresql/v12
for db in temporal temporal_visibility; do
  temporal-sql-tool $endpoint --db "$db" create || echo "database $db exists"
done
temporal-sql-tool $endpoint --db temporal setup-schema -v 0.0 || echo "temporal schema already set up"
temporal-sql-tool $endpoint --db temporal update-schema -d "$schemas/temporal/versioned"
temporal-sql-tool $endpoint --db temporal_visibility setup-schema -v 0.0 || echo "visibility schema already set up"
temporal-sql-tool $endpoint --db temporal_visibility update-schema -d "$schemas/visibility/versioned"
