"""
Watch: every five minutes, check that the pipeline's newest job runs with every task, that its
consumer lag and the results' freshness (event time: the job's watermark minus the newest window
end in ClickHouse) are within bounds. Out of bounds fails the task; it retries twice, 2 s apart
(a transient blip heals), and a third failure fails the run, which is what alerts.
Params (or Variables ctr_*): run, max_lag (records, 1000), max_freshness_ms (20000).
"""
from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, task

from ctr_ops.pipeline_cli import status
from ctr_ops.settings import DEFAULT_ARGS, RUN_PARAM, run_of, setting


def problems(s: dict, max_lag: int, max_freshness_ms: int) -> list[str]:
    """What is out of bounds in a status (src/pipeline/lifecycle/status.ts); empty when healthy."""
    n = s.get("newest") or {}
    out = []
    if n.get("state") != "RUNNING" or not n.get("allTasksRunning"):
        out.append(f"job {n.get('jid')} is {n.get('state')}, tasks all running: {n.get('allTasksRunning')}")
    if s.get("lag") is None or s["lag"] > max_lag:
        out.append(f"consumer lag {s.get('lag')} > {max_lag} records")
    if s.get("freshnessMs") is not None and s["freshnessMs"] > max_freshness_ms:
        out.append(f"results {s['freshnessMs']} ms behind the watermark > {max_freshness_ms} ms")
    return out


@dag(
    dag_id="ctr_watch",
    schedule=timedelta(minutes=5),
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    params={
        "run": RUN_PARAM,
        "max_lag": Param(None, type=["null", "integer"], minimum=0, description="Most input records not yet committed; empty: Variable ctr_max_lag, else 1000."),
        "max_freshness_ms": Param(None, type=["null", "integer"], minimum=0, description="Most event-time ms the results may trail the watermark; empty: 20000."),
    },
    tags=["ctr", "phase-4"],
)
def ctr_watch():
    @task(retries=2, retry_delay=timedelta(seconds=2))
    def check(params=None) -> dict:
        run = run_of(params)
        s = status(run)
        bad = problems(s, int(setting(params, "max_lag", 1000)), int(setting(params, "max_freshness_ms", 20000)))
        if bad:
            raise RuntimeError(f"{run} out of bounds: " + "; ".join(bad))
        print(f"{run} healthy: job {s['newest']['label']} running, lag {s['lag']}, freshness {s['freshnessMs']} ms")
        return s

    check()


ctr_watch()
