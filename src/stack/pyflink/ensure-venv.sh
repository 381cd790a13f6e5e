#!/usr/bin/env bash
# Creates PyFlink's virtual environment from requirements.txt beside this file, once (ADR 0065).
#   bash src/stack/pyflink/ensure-venv.sh        (npm run pyflink:setup)
# CTR_PYFLINK_VENV moves the venv (default .stack/venvs/pyflink).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
exec bash "$here/../python/ensure-venv.sh" pyflink "${CTR_PYFLINK_VENV:-$root/.stack/venvs/pyflink}" "$here/requirements.txt" 3.8 3.11 "apache-flink 1.20" bin/python
