#!/usr/bin/env bash
# Runs the airflow CLI of the project's venv with the project's settings (ADR 0085):
#   bash src/stack/airflow/airflow.sh dags list        (npm run -s airflow -- dags list)
# Metadata in SQLite under .stack/airflow, the DAGs of labs/phase-4/dags, no example DAGs, and
# every server Airflow could start (api-server, the scheduler's log server) bound to 127.0.0.1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
venv="${CTR_AIRFLOW_VENV:-$root/.stack/venvs/airflow}"
if [ ! -x "$venv/bin/airflow" ]; then
  echo "Airflow's venv is missing ($venv): run \`npm run airflow:setup\` first." >&2
  exit 1
fi
export AIRFLOW_HOME="${CTR_AIRFLOW_HOME:-$root/.stack/airflow}"
mkdir -p "$AIRFLOW_HOME"
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="sqlite:///$AIRFLOW_HOME/airflow.db"
export AIRFLOW__CORE__DAGS_FOLDER="${AIRFLOW__CORE__DAGS_FOLDER:-$root/labs/phase-4/dags}"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__API__HOST=127.0.0.1
export AIRFLOW__LOGGING__WORKER_LOG_SERVER_HOST=127.0.0.1
# The DAGs reach the project (its pipeline CLI) through this variable.
export CTR_REPO="$root"
if [ "${1:-}" = "--python" ]; then shift; exec "$venv/bin/python" "$@"; fi
exec "$venv/bin/airflow" "$@"
