"""
`airflow dags test DAG_ID --conf JSON`, plus a last line the lab reads: the run's state and each
task's state and try count, as JSON (`DAG_RUN {...}`). Run with the venv's python through
airflow.sh's environment (src/stack/airflow/dag-test.sh). Exit 1 when the run failed, as the CLI.
"""
import json
import sys

from airflow.cli.commands.dag_command import dag_test  # noqa: F401  (loads the CLI's settings like `airflow dags test`)
from airflow.utils import timezone
from airflow.utils.cli import get_bagged_dag


def main(dag_id: str, conf: str) -> int:
    dag = get_bagged_dag(bundle_names=None, dag_id=dag_id)
    if dag is None:
        print(f"DAG {dag_id!r} could not be found or failed to parse.", file=sys.stderr)
        return 2
    dr = dag.test(logical_date=timezone.utcnow(), run_conf=json.loads(conf))
    tasks = {ti.task_id: {"state": str(ti.state.value if hasattr(ti.state, "value") else ti.state), "tries": ti.try_number} for ti in dr.get_task_instances()}
    state = str(dr.state.value if hasattr(dr.state, "value") else dr.state)
    print("DAG_RUN " + json.dumps({"dag_id": dag_id, "run_id": dr.run_id, "state": state, "tasks": tasks}), flush=True)
    return 0 if state == "success" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "{}"))
