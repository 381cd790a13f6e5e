#!/usr/bin/env bash
# The Airflow DAG tests (pytest in Airflow's venv): npm run test:dags. A DAG file that fails to
# import fails them (test_dag_imports.py).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root"
exec bash src/stack/airflow/airflow.sh --python -m pytest -p no:cacheprovider labs/phase-4/tests "$@"
