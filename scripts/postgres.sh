#!/usr/bin/env bash
# Start a local PostgreSQL (Debian's) with a test database for the RDB tests, and print its URL.
# Installs it when missing (needs root, as in CI); prints nothing when it cannot be had.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null; then
  { apt-get update -qq && apt-get install -y -qq postgresql; } >/dev/null 2>&1 || exit 0
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters -h | grep -q "^$version main" || pg_createcluster "$version" main >/dev/null 2>&1
pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
su postgres -c "psql -qtc \"SELECT 1 FROM pg_roles WHERE rolname='optuna'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE USER optuna PASSWORD 'optuna' SUPERUSER;\"" >/dev/null
su postgres -c "psql -qtc \"SELECT 1 FROM pg_database WHERE datname='optuna_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O optuna optuna_test"
echo "postgresql+psycopg://optuna:optuna@127.0.0.1/optuna_test"
