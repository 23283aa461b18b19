#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas to the version of the admin-tools image.
# Safe to run on every `docker compose up`: an existing database is fine, and the schema steps only add what is
# missing. Anything else that fails (a wrong password, a host name that does not resolve, PostgreSQL not answering)
# stops the script with temporal-sql-tool's own message and a non-zero exit, so compose does not start Temporal.
set -eu

: "${POSTGRES_SEEDS:?set POSTGRES_SEEDS to the PostgreSQL host}"
: "${POSTGRES_USER:?set POSTGRES_USER to the PostgreSQL user}"
: "${SQL_PASSWORD:?set SQL_PASSWORD to the password of POSTGRES_USER}"
port=${DB_PORT:-5432}
schemas=${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}

sql() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$port" -u "$POSTGRES_USER" "$@"
}

for db in temporal temporal_visibility; do
  if output=$(sql --db "$db" create 2>&1); then
    echo "database $db created"
  else
    case $output in
      *"already exists"*)
        echo "database $db exists"
        ;;
      *)
        echo "$output" >&2
        echo "setup-schema: cannot create database $db on $POSTGRES_SEEDS:$port as $POSTGRES_USER (see above)" >&2
        exit 1
        ;;
    esac
  fi
done

# `setup-schema -v 0.0` creates only the schema version tables, when missing, and leaves a newer version alone.
sql --db temporal setup-schema -v 0.0
sql --db temporal update-schema -d "$schemas/temporal/versioned"
sql --db temporal_visibility setup-schema -v 0.0
sql --db temporal_visibility update-schema -d "$schemas/visibility/versioned"
echo "setup-schema: Temporal's schemas are up to date"
