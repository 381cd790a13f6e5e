"""The job's command line: durations, numbers and the rules between flags."""
import pytest

from ctr_common import flags


@pytest.mark.parametrize("text,flink", [("2 s", "2 s"), ("500ms", "500 ms"), ("1 min", "1 min"), ("0", "0")])
def test_durations_are_written_the_flink_way(text, flink):
    assert flags.duration(text) == flink


@pytest.mark.parametrize("text", ["2", "fast", "-1 s", "1.5 s"])
def test_a_bad_duration_says_how_to_write_one(text):
    with pytest.raises(Exception, match="write it like"):
        flags.duration(text)


def test_defaults_run_without_checkpoints_or_restarts():
    a = flags.parse(["--plan", "p.json"])
    assert (a.parallelism, a.checkpoint_interval, a.restart) == (1, "0", "none")


def test_the_jobmanager_flag_is_host_and_port():
    assert flags.parse(["--plan", "p", "--jobmanager", "127.0.0.1:8081"]).jobmanager == ("127.0.0.1", 8081)


@pytest.mark.parametrize("argv", [["--parallelism", "0"], ["--jobmanager", "8081"], ["--restart", "always"]])
def test_bad_flags_exit_with_usage(argv, capsys):
    with pytest.raises(SystemExit) as e:
        flags.parse(["--plan", "p"] + argv)
    assert e.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_checkpoints_need_a_directory(capsys):
    with pytest.raises(SystemExit):
        flags.parse(["--plan", "p", "--checkpoint-interval", "1 s"])
    assert "--checkpoint-dir" in capsys.readouterr().err


def test_explain_plans_without_submitting_only_when_asked():
    assert flags.parse(["--plan", "p.json"]).explain is False
    assert flags.parse(["--plan", "p.json", "--explain"]).explain is True
