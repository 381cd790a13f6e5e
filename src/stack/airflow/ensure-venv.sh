#!/usr/bin/env bash
# Creates Airflow's virtual environment from requirements.txt beside this file, once, and its
# SQLite metadata database (ADR 0085; the venv as PyFlink's, by python/ensure-venv.sh).
#   bash src/stack/airflow/ensure-venv.sh        (npm run airflow:setup)
# CTR_AIRFLOW_VENV moves the venv (default .stack/venvs/airflow); the metadata lives in
# .stack/airflow (airflow.sh sets AIRFLOW_HOME).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
venv="${CTR_AIRFLOW_VENV:-$root/.stack/venvs/airflow}"
bash "$here/../python/ensure-venv.sh" airflow "$venv" "$here/requirements.txt" 3.10 3.14 "apache-airflow 3.3" bin/airflow
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
# The metadata database: migrated once per venv stamp (a new Airflow may bring migrations).
home="${CTR_AIRFLOW_HOME:-$root/.stack/airflow}"
if [ "$(cat "$home/.migrated" 2>/dev/null)" != "$want" ]; then
  t0=$SECONDS
  bash "$here/airflow.sh" db migrate >"$home.migrate.log" 2>&1 || { tail -20 "$home.migrate.log" >&2; echo "airflow db migrate failed: the log is $home.migrate.log" >&2; exit 1; }
  echo "$want" > "$home/.migrated"
  echo "airflow metadata database migrated in $((SECONDS - t0)) s: $home/airflow.db"
fi
