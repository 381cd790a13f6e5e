"""The Flink configuration a run of the job gets, from the plan and the flags."""
import os

from ctr_common import config, flags

PLAN = {"rest": {"host": "127.0.0.1", "port": 8081}, "settings": {"table.local-time-zone": "UTC", "parallelism.default": "1"}, "client_jars": ["/j/a.jar", "/j/b.jar"]}


def conf(*argv):
    return config.job_config(PLAN, flags.parse(["--plan", "p", *argv]))


def test_submitted_remotely_to_the_plans_jobmanager():
    c = conf()
    assert (c["execution.target"], c["rest.address"], c["rest.port"]) == ("remote", "127.0.0.1", "8081")


def test_the_jobmanager_flag_wins_over_the_plan():
    assert conf("--jobmanager", "flink:9000")["rest.address"] == "flink"


def test_phase_1_settings_pass_through_and_flags_win():
    c = conf("--parallelism", "2")
    assert c["table.local-time-zone"] == "UTC"
    assert c["parallelism.default"] == "2"


def test_the_python_worker_runs_the_given_python():
    c = conf("--python", "/venv/bin/python")
    assert c["python.executable"] == c["python.client.executable"] == "/venv/bin/python"


def test_only_flink_python_is_shipped_never_the_connector():
    jars = conf()["pipeline.jars"].split(";")
    assert len(jars) == 1 and "flink-python" in jars[0]


def test_no_restarts_unless_asked():
    assert conf()["restart-strategy.type"] == "none"
    assert "execution.checkpointing.interval" not in conf()


def test_fixed_delay_restarts_and_checkpoints_from_flags():
    c = conf("--restart", "fixed-delay", "--restart-attempts", "5", "--restart-delay", "3 s", "--checkpoint-interval", "1 s", "--checkpoint-dir", "file:///tmp/cp", "--state-backend", "rocksdb")
    assert (c["restart-strategy.type"], c["restart-strategy.fixed-delay.attempts"], c["restart-strategy.fixed-delay.delay"]) == ("fixed-delay", "5", "3 s")
    assert (c["execution.checkpointing.interval"], c["execution.checkpointing.dir"], c["state.backend.type"]) == ("1 s", "file:///tmp/cp", "rocksdb")


def test_client_jars_join_the_clients_classpath():
    env = {"HADOOP_CLASSPATH": "/x.jar"}
    config.client_classpath(PLAN, env)
    assert env["HADOOP_CLASSPATH"] == os.pathsep.join(["/x.jar", "/j/a.jar", "/j/b.jar"])
