#!/usr/bin/env bash
# Creates Airflow's virtual environment from requirements.txt beside this file, once, and its
# SQLite metadata database: a stamp holds the requirements' hash, so a second run installs
# nothing (ADR 0085, as PyFlink's ensure-venv.sh does).
#   bash src/stack/airflow/ensure-venv.sh        (npm run airflow:setup)
# CTR_AIRFLOW_VENV moves the venv (default .stack/venvs/airflow); the metadata lives in
# .stack/airflow (airflow.sh sets AIRFLOW_HOME).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
venv="${CTR_AIRFLOW_VENV:-$root/.stack/venvs/airflow}"
req="$here/requirements.txt"
want="$(sha256sum "$req" | cut -d' ' -f1)"
stamp="$venv/.requirements.sha256"

if [ -x "$venv/bin/airflow" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "airflow venv up to date: $venv"
else
  py="${PYTHON:-python3}"
  if ! command -v "$py" >/dev/null; then
    echo "No python3 on PATH: install Python 3.10 to 3.14 (Debian: apt-get install python3 python3-venv)." >&2
    exit 1
  fi
  minor="$("$py" -c 'import sys; print(sys.version_info[0] * 100 + sys.version_info[1])')"
  if [ "$minor" -lt 310 ] || [ "$minor" -gt 314 ]; then
    echo "apache-airflow 3.3 needs Python 3.10 to 3.14, $py is $("$py" --version 2>&1): set PYTHON=/path/to/python3.11." >&2
    exit 1
  fi
  if ! "$py" -c 'import ensurepip, venv' 2>/dev/null; then
    echo "$py cannot create virtual environments: apt-get install python3-venv" >&2
    exit 1
  fi
  t0=$SECONDS
  rm -rf "$venv"
  "$py" -m venv "$venv"
  # --no-deps: every package is pinned in requirements.txt (our constraints file); pip check says if one is missing.
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$req"
  "$venv/bin/pip" check >/dev/null
  echo "$want" > "$stamp"
  echo "airflow venv installed in $((SECONDS - t0)) s: $venv"
fi
# The metadata database: migrated once per venv stamp (a new Airflow may bring migrations).
home="${CTR_AIRFLOW_HOME:-$root/.stack/airflow}"
if [ "$(cat "$home/.migrated" 2>/dev/null)" != "$want" ]; then
  t0=$SECONDS
  bash "$here/airflow.sh" db migrate >"$home.migrate.log" 2>&1 || { tail -20 "$home.migrate.log" >&2; echo "airflow db migrate failed: the log is $home.migrate.log" >&2; exit 1; }
  echo "$want" > "$home/.migrated"
  echo "airflow metadata database migrated in $((SECONDS - t0)) s: $home/airflow.db"
fi
