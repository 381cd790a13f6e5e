#!/usr/bin/env bash
# The PyFlink job's unit tests (pytest in PyFlink's venv): npm run test:python.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
venv="${CTR_PYFLINK_VENV:-$root/.stack/venvs/pyflink}"
if [ ! -x "$venv/bin/python" ]; then
  echo "PyFlink's venv is missing ($venv): run \`npm run pyflink:setup\` first." >&2
  exit 1
fi
cd "$root"
exec "$venv/bin/python" -m pytest -p no:cacheprovider labs/phase-2-pyflink/tests "$@"
