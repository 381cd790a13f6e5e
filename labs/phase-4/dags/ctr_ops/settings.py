"""
Defaults for every DAG, overridable per run: a DAG param (`--conf`, the trigger form) wins; when
it is left empty, an Airflow Variable gives the value (`airflow variables set ctr_run demo`, or
AIRFLOW_VAR_CTR_RUN in the environment); else the default here. Variables are read inside tasks,
never at parse time: a DAG file that reads the metadata database on every parse slows the parser
and breaks the import test.
"""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from airflow.sdk import Param, Variable

# The serving schema (partitioned by minute) and the job versions: folders of SQL the CLI joins to phase 1's.
SERVING_SQL = "labs/phase-4/sql"
# "wrong" is a broken replay job (it counts duplicates) that the backfill's quality gate must refuse.
VERSIONS = {"v1": "labs/phase-4/jobs/v1", "v2": "labs/phase-4/jobs/v2", "wrong": "labs/phase-4/jobs/wrong"}

DEFAULT_ARGS = {
    "owner": "ctr-labs",
    "retries": 2,
    "retry_delay": timedelta(seconds=2),
    "execution_timeout": timedelta(minutes=5),
}

RUN_PARAM = Param(None, type=["null", "string"], description="The pipeline run (its topics, tables and jobs are named after it); empty: Variable ctr_run.")


def setting(params: dict[str, Any], key: str, default: Any) -> Any:
    """The param `key`, else the Variable `ctr_<key>`, else `default`."""
    value = params.get(key)
    if value is None or value == "":
        value = Variable.get(f"ctr_{key}", default=default)
    return value


def run_of(params: dict[str, Any]) -> str:
    run = str(setting(params, "run", "p4demo"))
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", run):
        raise ValueError(f"run {run!r}: lowercase letters, digits and _, starting with a letter")
    return run


SQL_OVERLAY_PARAM = Param(None, type=["null", "string"], description="A folder of your copies of labs/phase-4/sql files (clickhouse/10-results.sql): they win over the lab's (an exercise being graded).")


def version_variants(label: str, overlay: str | None = None) -> list[str]:
    """The SQL folders of a job version: the serving schema, the version's files, then an overlay (which wins)."""
    if label not in VERSIONS:
        raise ValueError(f"unknown job version {label!r}: one of {sorted(VERSIONS)}")
    return [SERVING_SQL, VERSIONS[label], *([overlay] if overlay else [])]
