"""The shape of each DAG: task ids, dependencies, trigger rules, retries and timeouts that the lesson and the playbook rely on."""
from datetime import timedelta

from airflow.task.trigger_rule import TriggerRule


def edges(dag):
    return sorted((t.task_id, d) for t in dag.tasks for d in sorted(t.downstream_task_ids))


def test_deploy_waits_with_a_sensor(dagbag):
    dag = dagbag.dags["ctr_deploy"]
    assert edges(dag) == [("deploy", "all_tasks_running")]
    sensor = dag.get_task("all_tasks_running")
    assert sensor.mode == "poke" and sensor.poke_interval == 2 and sensor.timeout == 120
    assert dag.get_task("deploy").retries == 2
    assert all(t.execution_timeout is not None for t in dag.tasks)
    assert set(dag.params.keys()) == {"run", "version", "parallelism", "partitions", "sql_overlay"}


def test_upgrade_rolls_back_only_when_the_new_version_fails(dagbag):
    dag = dagbag.dags["ctr_upgrade"]
    assert edges(dag) == [
        ("rollback", "verify_rollback"),
        ("savepoint", "promoted"),
        ("savepoint", "rollback"),
        ("savepoint", "start_new"),
        ("savepoint", "verify_new"),
        ("savepoint", "verify_rollback"),
        ("start_new", "rollback"),
        ("start_new", "verify_new"),
        ("verify_new", "promoted"),
        ("verify_new", "rollback"),
    ]
    assert dag.get_task("rollback").trigger_rule == TriggerRule.ONE_FAILED
    # A savepoint that does not fit fails the same way every time: retrying the start only delays the rollback.
    assert dag.get_task("start_new").retries == 0
    assert dag.get_task("rollback").retries == 2


def test_backfill_gates_before_it_publishes_and_always_drops_staging(dagbag):
    dag = dagbag.dags["ctr_backfill"]
    assert edges(dag) == [
        ("publish", "drop_staging"),
        ("quality_gate", "publish"),
        ("stage", "drop_staging"),
        ("stage", "publish"),
        ("stage", "quality_gate"),
    ]
    assert dag.get_task("quality_gate").retries == 0
    # A teardown, so a refused gate fails the run even though dropping staging succeeds.
    drop = dag.get_task("drop_staging")
    assert drop.is_teardown and drop.trigger_rule == TriggerRule.ALL_DONE_SETUP_SUCCESS


def test_watch_is_scheduled_and_retries(dagbag):
    dag = dagbag.dags["ctr_watch"]
    assert [t.task_id for t in dag.tasks] == ["check"]
    assert dag.get_task("check").retries == 2
    # Every five minutes, no catching up on missed intervals, never two checks at once.
    assert dag.schedule == timedelta(minutes=5)
    assert dag.catchup is False and dag.max_active_runs == 1


def test_watch_problems_names_each_bound():
    from ctr_watch import problems

    healthy = {"newest": {"state": "RUNNING", "allTasksRunning": True, "jid": "j"}, "lag": 0, "freshnessMs": 9000}
    assert problems(healthy, 1000, 20000) == []
    assert problems({**healthy, "lag": 1001}, 1000, 20000) == ["consumer lag 1001 > 1000 records"]
    assert problems({**healthy, "freshnessMs": 20001}, 1000, 20000) == ["results 20001 ms behind the watermark > 20000 ms"]
    assert len(problems({**healthy, "newest": None}, 1000, 20000)) == 1
