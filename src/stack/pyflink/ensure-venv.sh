#!/usr/bin/env bash
# Creates PyFlink's virtual environment from requirements.txt beside this file, once: a stamp
# holds the requirements' hash, so a second run installs nothing (ADR 0065).
#   bash src/stack/pyflink/ensure-venv.sh        (npm run pyflink:setup)
# CTR_PYFLINK_VENV moves the venv (default .stack/venvs/pyflink).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
venv="${CTR_PYFLINK_VENV:-$root/.stack/venvs/pyflink}"
req="$here/requirements.txt"
want="$(sha256sum "$req" | cut -d' ' -f1)"
stamp="$venv/.requirements.sha256"

if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "pyflink venv up to date: $venv"
  exit 0
fi
py="${PYTHON:-python3}"
if ! command -v "$py" >/dev/null; then
  echo "No python3 on PATH: install Python 3.8 to 3.11 (Debian: apt-get install python3 python3-venv)." >&2
  exit 1
fi
minor="$("$py" -c 'import sys; print(sys.version_info[0] * 100 + sys.version_info[1])')"
if [ "$minor" -lt 308 ] || [ "$minor" -gt 311 ]; then
  echo "apache-flink 1.20 needs Python 3.8 to 3.11, $py is $("$py" --version 2>&1): set PYTHON=/path/to/python3.11." >&2
  exit 1
fi
if ! "$py" -c 'import ensurepip, venv' 2>/dev/null; then
  echo "$py cannot create virtual environments: apt-get install python3-venv" >&2
  exit 1
fi
t0=$SECONDS
rm -rf "$venv"
"$py" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$req"
# --no-deps: every package is pinned above; pip check says if a pin is missing.
"$venv/bin/pip" check >/dev/null
echo "$want" > "$stamp"
echo "pyflink venv installed in $((SECONDS - t0)) s: $venv"
