"""Build the environment, phase 1's validation and side outputs, and submit one statement set."""
import json
from pathlib import Path

import os

from pyflink.common import Configuration
from pyflink.table import EnvironmentSettings, TableEnvironment

from . import config, flags, tables


def environment(plan: dict, args) -> TableEnvironment:
    config.client_classpath(plan)
    conf = Configuration()
    for key, value in config.job_config(plan, args).items():
        conf.set_string(key, value)
    # PyFlink decides at creation, from its default (local) environment, to run the Python worker
    # inside this program ("loopback") - a worker that would die when this program exits after
    # submitting. "process": the TaskManager starts its own worker with python.executable.
    os.environ["_python_worker_execution_mode"] = "process"
    return TableEnvironment.create(EnvironmentSettings.new_instance().in_streaming_mode().with_configuration(conf).build())


def phase1(t_env: TableEnvironment, plan: dict):
    """Phase 1's source (validation in SQL), views, and its DLQ, duplicates and late inserts."""
    for sql in plan["statements"]:
        t_env.execute_sql(sql)
    statement_set = t_env.create_statement_set()
    for sql in plan["inserts"]:
        statement_set.add_insert_sql(sql)
    return statement_set


def submit(argv: list, build_results) -> None:
    """The shared main: `build_results(t_env, plan)` returns the enriched results table of a version."""
    args = flags.parse(argv)
    plan = json.loads(Path(args.plan).read_text())
    t_env = environment(plan, args)
    n = plan["names"]
    t_env.create_temporary_table(n["dimension_table"], tables.dimension_descriptor(plan))
    t_env.create_temporary_table(n["results_table"], tables.results_descriptor(plan))
    statement_set = phase1(t_env, plan)
    statement_set.add_insert(n["results_table"], build_results(t_env, plan))
    if args.explain:
        # Planned in this program's JVM, no cluster involved: compare v1's plan with v2's.
        print(statement_set.explain(), flush=True)
        return
    result = statement_set.execute()
    job_id = result.get_job_client().get_job_id()
    # One JSON line the lab reads: the job runs on the cluster now; this program is done.
    print(json.dumps({"job_id": str(job_id)}), flush=True)
