"""
Backfill a time range so that the replayed windows replace the stored ones exactly (ADR 0088):
replay the range's events from a file through a fresh bounded job into a staging table; a
data-quality gate compares the staging results and counts with the reference oracle on the same
file and refuses to publish when they disagree; publish swaps whole minute partitions of the
serving table (ALTER TABLE ... REPLACE PARTITION ... FROM staging); a teardown drops staging at
the end, pass or fail. Every step can run again: stage clears an earlier staging run first, a partition swap
twice gives the same table.
Params: run, file (JSON lines of the range), from_ts and to_ts (epoch ms, whole minutes), version (v1).
"""
from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, task, teardown

from ctr_ops.pipeline_cli import pipeline
from ctr_ops.settings import DEFAULT_ARGS, RUN_PARAM, SERVING_SQL, SQL_OVERLAY_PARAM, run_of, setting, version_variants


def variant_args(dirs: list[str]) -> list[str]:
    return [a for d in dirs for a in ("--variant", d)]


@dag(
    dag_id="ctr_backfill",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    default_args=DEFAULT_ARGS,
    params={
        "run": RUN_PARAM,
        "file": Param("", type="string", description="The range's events, one JSON line each (a path the CLI can read)."),
        "from_ts": Param(0, type="integer", minimum=0, description="Start of the range, epoch ms, a whole minute."),
        "to_ts": Param(0, type="integer", minimum=0, description="End of the range (exclusive), epoch ms, a whole minute."),
        "version": Param(None, type=["null", "string"], enum=[None, "v1", "v2", "wrong"], description="The job version that replays; empty: v1."),
        "sql_overlay": SQL_OVERLAY_PARAM,
    },
    tags=["ctr", "phase-4"],
)
def ctr_backfill():
    @task(retries=1)
    def stage(params=None) -> dict:
        run = run_of(params)
        if not params["file"] or params["to_ts"] <= params["from_ts"]:
            raise ValueError("give file, and from_ts < to_ts (whole minutes, epoch ms)")
        version = str(setting(params, "version", "v1"))
        overlay = params.get("sql_overlay")
        dirs = version_variants(version, overlay)
        pipeline("backfill-stage", "--run", run, "--file", params["file"], *variant_args(dirs))
        return {"run": run, "file": params["file"], "from_ts": params["from_ts"], "to_ts": params["to_ts"], "dirs": dirs, "serving": [SERVING_SQL, *([overlay] if overlay else [])]}

    # No retries: the gate is deterministic; a disagreement must stop the publish, not be retried away.
    @task(retries=0)
    def quality_gate(st: dict) -> None:
        pipeline("backfill-gate", "--run", st["run"], "--file", st["file"])

    @task(retries=2)
    def publish(st: dict) -> None:
        pipeline("backfill-publish", "--run", st["run"], "--from", str(st["from_ts"]), "--to", str(st["to_ts"]), *variant_args(st["serving"]))

    # A teardown: it runs whether the gate passed or not, and, unlike a plain task with
    # trigger_rule=all_done, its success does not decide the run's state: a refused publish
    # leaves the run failed (a plain last task that succeeds would mark the run a success).
    @teardown
    @task(retries=2)
    def drop_staging(st: dict) -> None:
        pipeline("backfill-drop", "--run", st["run"], *variant_args(st["dirs"]))

    st = stage()
    quality_gate(st) >> publish(st) >> drop_staging(st)


ctr_backfill()
