"""
Deploy: topics and tables, then the job, then a sensor that waits until every task of the job runs
and a checkpoint has completed. Idempotent: a second run finds the version running and changes
nothing; a run whose tables exist but whose job stopped submits the job again.
Params (or Variables ctr_*): run, version (v1), parallelism (1), partitions (1).
"""
from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, task
from airflow.sdk.bases.sensor import PokeReturnValue

from ctr_ops.pipeline_cli import pipeline, release_args, status
from ctr_ops.settings import DEFAULT_ARGS, RUN_PARAM, SQL_OVERLAY_PARAM, run_of, setting, version_variants


@dag(
    dag_id="ctr_deploy",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    default_args=DEFAULT_ARGS,
    params={
        "run": RUN_PARAM,
        "version": Param(None, type=["null", "string"], enum=[None, "v1", "v2"], description="Job version; empty: Variable ctr_version, else v1."),
        "parallelism": Param(None, type=["null", "integer"], minimum=1, description="parallelism.default of the job; empty: Variable ctr_parallelism, else 1."),
        "partitions": Param(None, type=["null", "integer"], minimum=1, description="Partitions of the input topic; empty: Variable ctr_partitions, else 1."),
        "sql_overlay": SQL_OVERLAY_PARAM,
    },
    tags=["ctr", "phase-4"],
)
def ctr_deploy():
    @task
    def deploy(params=None) -> dict:
        run = run_of(params)
        version = str(setting(params, "version", "v1"))
        parallelism = int(setting(params, "parallelism", 1))
        partitions = int(setting(params, "partitions", 1))
        release = release_args(version_variants(version, params.get("sql_overlay")), version) + ["--set", f"parallelism.default={parallelism}"]
        s = status(run)
        newest = s["newest"]
        if newest and newest["state"] == "RUNNING" and newest["label"] == version:
            print(f"{version} of {run} already runs (job {newest['jid']}): nothing to do")
        elif s["jobs"]:
            # Tables and topics exist from an earlier deploy: only the job is missing.
            pipeline("submit", "--run", run, "--partitions", str(partitions), *release)
        else:
            pipeline("start", "--run", run, "--partitions", str(partitions), *release)
        return {"run": run, "version": version}

    @task.sensor(poke_interval=2, timeout=120, mode="poke", retries=0)
    def all_tasks_running(deployed: dict) -> PokeReturnValue:
        newest = status(deployed["run"])["newest"] or {}
        if newest.get("state") == "FAILED":
            raise RuntimeError(f"job {newest['jid']} FAILED: {newest.get('failure')}")
        done = bool(newest.get("allTasksRunning")) and newest.get("checkpointsCompleted", 0) >= 1 and newest.get("label") == deployed["version"]
        print(f"job {newest.get('jid')} {newest.get('label')} {newest.get('state')}, all tasks running: {newest.get('allTasksRunning')}, checkpoints: {newest.get('checkpointsCompleted')}")
        return PokeReturnValue(is_done=done, xcom_value=newest.get("jid"))

    all_tasks_running(deploy())


ctr_deploy()
