"""The job's Flink configuration, from the plan and the flags (pure: a dict of strings).

Submitted remotely: execution.target 'remote' sends the job graph to the JobManager's REST API,
so no `flink` CLI is needed. The connector jars go with the job (pipeline.jars); the Python UDFs
run in a Python worker the TaskManager starts with python.executable.
"""


def job_config(plan: dict, args) -> dict:
    host, port = args.jobmanager or (plan["rest"]["host"], plan["rest"]["port"])
    conf = dict(plan.get("settings", {}))  # phase 1's SET statements: runtime mode, UTC, TTL, name
    conf.update({
        "execution.target": "remote",
        "rest.address": host,
        "rest.port": str(port),
        "pipeline.jars": ";".join(f"file://{j}" for j in plan["jars"]),
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
