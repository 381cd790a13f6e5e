"""
Upgrade with automatic rollback: stop the running version with a savepoint, start the new version
from it, verify it (every task running, a checkpoint completed, restored from that savepoint, and a
window newer than any before the upgrade in ClickHouse). When the new version fails to start or
fails its checks, roll back: start the old version from the same savepoint, verify it, and say so
in the task log. The run then ends failed (the upgrade did not happen) with the old version running.
Params (or Variables ctr_*): run, from_version (v1), to_version (v2). The new version has 60 s to pass.
"""
from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, task
from airflow.sdk.bases.sensor import PokeReturnValue
from airflow.task.trigger_rule import TriggerRule

from ctr_ops.pipeline_cli import pipeline, release_args, status
from ctr_ops.settings import DEFAULT_ARGS, RUN_PARAM, SQL_OVERLAY_PARAM, run_of, setting, version_variants


def healthy(run: str, version: str, savepoint: str, newer_than: int | None) -> tuple[bool, str]:
    """The checks a version must pass after an upgrade or a rollback, and what was seen."""
    s = status(run)
    n = s["newest"] or {}
    if n.get("label") == version and n.get("state") == "FAILED":
        raise RuntimeError(f"{version} (job {n['jid']}) FAILED: {n.get('failure')}")
    fresh = newer_than is None or (s["clickhouse"]["newestWindowEnd"] or 0) > newer_than
    ok = n.get("label") == version and bool(n.get("allTasksRunning")) and n.get("checkpointsCompleted", 0) >= 1 and n.get("restoredFrom") == savepoint and fresh
    seen = f"{n.get('label')} job {n.get('jid')} {n.get('state')}, tasks running: {n.get('allTasksRunning')}, checkpoints: {n.get('checkpointsCompleted')}, restored from: {n.get('restoredFrom')}, newest window end in ClickHouse: {s['clickhouse']['newestWindowEnd']} (before: {newer_than})"
    return ok, seen


@dag(
    dag_id="ctr_upgrade",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    default_args=DEFAULT_ARGS,
    params={
        "run": RUN_PARAM,
        "from_version": Param(None, type=["null", "string"], enum=[None, "v1", "v2"], description="The running version (rollback target); empty: v1."),
        "to_version": Param(None, type=["null", "string"], enum=[None, "v1", "v2"], description="The new version; empty: v2."),
        "sql_overlay": SQL_OVERLAY_PARAM,
    },
    tags=["ctr", "phase-4"],
)
def ctr_upgrade():
    @task(retries=1)
    def savepoint(params=None) -> dict:
        run = run_of(params)
        old, new = str(setting(params, "from_version", "v1")), str(setting(params, "to_version", "v2"))
        s = status(run)
        n = s["newest"] or {}
        if n.get("state") != "RUNNING" or n.get("label") != old:
            raise RuntimeError(f"expected {old} of {run} running, found {n.get('label')} {n.get('state')}: deploy it first (ctr_deploy)")
        lines = pipeline("stop", "--run", run)
        path = next(l.split(" ", 1)[1] for l in lines if l.startswith("savepoint "))
        return {"run": run, "old": old, "new": new, "savepoint": path, "newest_window_end": s["clickhouse"]["newestWindowEnd"], "overlay": params.get("sql_overlay")}

    # No retries: a savepoint that does not fit the new job graph fails the same way every time.
    @task(retries=0)
    def start_new(sp: dict) -> None:
        pipeline("submit", "--run", sp["run"], *release_args(version_variants(sp["new"], sp["overlay"]), sp["new"]), "--savepoint", sp["savepoint"])

    @task.sensor(poke_interval=2, timeout=60, mode="poke", retries=0)
    def verify_new(sp: dict) -> PokeReturnValue:
        ok, seen = healthy(sp["run"], sp["new"], sp["savepoint"], sp["newest_window_end"])
        print(("healthy: " if ok else "not yet: ") + seen)
        return PokeReturnValue(is_done=ok)

    @task(retries=0)
    def promoted(sp: dict) -> None:
        print(f"UPGRADED: {sp['run']} runs {sp['new']}, restored from {sp['savepoint']}")

    # Runs only when start_new or verify_new failed (ONE_FAILED; skipped when both succeed).
    @task(trigger_rule=TriggerRule.ONE_FAILED, retries=2)
    def rollback(sp: dict) -> None:
        s = status(sp["run"])
        n = s["newest"] or {}
        if n.get("label") == sp["new"] and n.get("state") == "RUNNING":
            # The new version started but failed its checks: cancel it (its state is not wanted).
            pipeline("cancel", "--run", sp["run"], "--label", sp["new"])
        if n.get("label") == sp["old"] and n.get("state") == "RUNNING" and n.get("restoredFrom") == sp["savepoint"]:
            print(f"ROLLBACK: {sp['old']} already runs again from {sp['savepoint']} (a retry of this task)")
            return
        print(f"ROLLBACK: {sp['new']} failed; starting {sp['old']} again from the same savepoint {sp['savepoint']}")
        pipeline("submit", "--run", sp["run"], *release_args(version_variants(sp["old"], sp["overlay"]), sp["old"]), "--savepoint", sp["savepoint"])

    @task.sensor(poke_interval=2, timeout=60, mode="poke", retries=0)
    def verify_rollback(sp: dict) -> PokeReturnValue:
        ok, seen = healthy(sp["run"], sp["old"], sp["savepoint"], None)
        print(("ROLLED BACK: " if ok else "not yet: ") + seen)
        return PokeReturnValue(is_done=ok)

    sp = savepoint()
    new = start_new(sp)
    checked = verify_new(sp)
    back = rollback(sp)
    new >> checked >> promoted(sp)
    [new, checked] >> back >> verify_rollback(sp)


ctr_upgrade()
