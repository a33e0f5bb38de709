#!/usr/bin/env bash
# Runs every test against a real PostgreSQL (see scripts/with-postgres.sh for which one). Each
# test creates and drops its own database there. The SQL is checked at compile time against the
# committed .sqlx/ data (SQLX_OFFLINE=true unless set), so that database may be empty.
# Extra arguments go to `cargo test`, e.g. `scripts/test.sh --test store_queue`.
set -euo pipefail
cd "$(dirname "$0")/.."
export SQLX_OFFLINE="${SQLX_OFFLINE:-true}"
# The fakes (Discord, LLM, speech) are features the product build leaves out; tests need them.
exec scripts/with-postgres.sh cargo test --all-targets --all-features "$@"
