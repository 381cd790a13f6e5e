#!/usr/bin/env bash
# Creates a virtual environment from a pinned requirements file, once: a stamp holds the file's
# hash, so a second run installs nothing (ADR 0065). Shared by PyFlink's and Airflow's setup.
#   bash src/stack/python/ensure-venv.sh NAME VENV REQUIREMENTS MIN MAX NEEDS EXE
# NAME names it in messages; MIN and MAX are the Python versions NEEDS (e.g. "apache-flink 1.20")
# accepts, as 3.8 and 3.11; EXE (relative to the venv) must exist for the venv to count as made.
set -euo pipefail
name="$1" venv="$2" req="$3" min="$4" max="$5" needs="$6" exe="$7"
want="$(sha256sum "$req" | cut -d' ' -f1)"
stamp="$venv/.requirements.sha256"

if [ -x "$venv/$exe" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "$name venv up to date: $venv"
  exit 0
fi
py="${PYTHON:-python3}"
if ! command -v "$py" >/dev/null; then
  echo "No python3 on PATH: install Python $min to $max (Debian: apt-get install python3 python3-venv)." >&2
  exit 1
fi
as_number() { echo "$1" | awk -F. '{ print $1 * 100 + $2 }'; }
have="$("$py" -c 'import sys; print(sys.version_info[0] * 100 + sys.version_info[1])')"
if [ "$have" -lt "$(as_number "$min")" ] || [ "$have" -gt "$(as_number "$max")" ]; then
  echo "$needs needs Python $min to $max, $py is $("$py" --version 2>&1): set PYTHON=/path/to/python$max." >&2
  exit 1
fi
if ! "$py" -c 'import ensurepip, venv' 2>/dev/null; then
  echo "$py cannot create virtual environments: apt-get install python3-venv" >&2
  exit 1
fi
t0=$SECONDS
rm -rf "$venv"
"$py" -m venv "$venv"
# --no-deps: every package is pinned in the requirements file; pip check says if a pin is missing.
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$req"
"$venv/bin/pip" check >/dev/null
echo "$want" > "$stamp"
echo "$name venv installed in $((SECONDS - t0)) s: $venv"
