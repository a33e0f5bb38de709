#!/usr/bin/env bash
# Checks that the committed .sqlx/ offline data matches the queries and the migrations: applies
# the migrations to a scratch database on the server in DATABASE_URL (see with-postgres.sh), runs
# `cargo sqlx prepare --check`, and drops the scratch database. Installs sqlx-cli when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?run through scripts/with-postgres.sh, or set DATABASE_URL}"

if ! cargo sqlx --version >/dev/null 2>&1; then
    echo "installing sqlx-cli 0.8.6 (once per machine)" >&2
    cargo install sqlx-cli --version 0.8.6 --no-default-features --features postgres,rustls --locked
fi

base=${DATABASE_URL%%\?*}
query=${DATABASE_URL#"$base"}
scratch="mockingbird_sqlx_check_$$"
export DATABASE_URL="${base%/*}/$scratch$query"
trap 'sqlx database drop -y --database-url "$DATABASE_URL" >/dev/null 2>&1 || true' EXIT
sqlx database create --database-url "$DATABASE_URL"
sqlx migrate run --source migrations --database-url "$DATABASE_URL" >/dev/null
SQLX_OFFLINE=false cargo sqlx prepare --check -- --all-targets --all-features
