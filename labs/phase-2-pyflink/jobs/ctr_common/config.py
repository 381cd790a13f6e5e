"""The job's Flink configuration, from the plan and the flags (pure: a dict of strings).

Submitted remotely: execution.target 'remote' sends the job graph to the JobManager's REST API,
so no `flink` CLI is needed. The Python UDFs run in a Python worker the TaskManager starts with
python.executable. The Kafka connector: the stack's Flink has it on its classpath already, so the
job does not ship it (pipeline.jars would load it twice: a ClassCastException, ADR 0068); the
client needs it only to plan the job, on its own classpath (client_classpath).
"""
import glob
import os


def job_config(plan: dict, args) -> dict:
    host, port = args.jobmanager or (plan["rest"]["host"], plan["rest"]["port"])
    conf = dict(plan.get("settings", {}))  # phase 1's SET statements: runtime mode, UTC, TTL, name
    conf.update({
        "execution.target": "remote",
        "rest.address": host,
        "rest.port": str(port),
        # What the cluster lacks: the Python operators (flink-python, from this PyFlink's own opt/).
        "pipeline.jars": ";".join("file://" + j for j in flink_python_jars()),
        "python.executable": args.python,
        "python.client.executable": args.python,
        "parallelism.default": str(args.parallelism),
    })
    if args.restart == "none":
        conf["restart-strategy.type"] = "none"
    else:
        conf.update({
            "restart-strategy.type": "fixed-delay",
            "restart-strategy.fixed-delay.attempts": str(args.restart_attempts),
            "restart-strategy.fixed-delay.delay": args.restart_delay,
        })
    if args.checkpoint_interval != "0":
        conf.update({
            "execution.checkpointing.interval": args.checkpoint_interval,
            "execution.checkpointing.mode": "EXACTLY_ONCE",
            "execution.checkpointing.dir": args.checkpoint_dir,
            "state.backend.type": args.state_backend,
        })
    return conf


def client_classpath(plan: dict, env=os.environ) -> None:
    """Puts the plan's client jars on the classpath of the JVM PyFlink starts for this program
    (PyFlink adds HADOOP_CLASSPATH to it): call before the first TableEnvironment."""
    jars = os.pathsep.join(plan["client_jars"])
    env["HADOOP_CLASSPATH"] = os.pathsep.join(p for p in (env.get("HADOOP_CLASSPATH", ""), jars) if p)


def flink_python_jars() -> list:
    """flink-python from the installed PyFlink: the same version as the cluster (requirements.txt)."""
    from pyflink.find_flink_home import _find_flink_home

    jars = glob.glob(os.path.join(_find_flink_home(), "opt", "flink-python*.jar"))
    if not jars:
        raise SystemExit("PyFlink's opt/ folder has no flink-python jar: reinstall the venv (npm run pyflink:setup)")
    return jars
