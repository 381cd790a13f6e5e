"""The job's command line: where the cluster is, and how the job recovers (pure: no Flink here).

Every flag has a default that makes a plain run work; the lab passes the plan file it wrote and
the recovery settings it wants, and prints the exact command so a learner can run it again.
"""
import argparse
import re
import sys

DURATION = re.compile(r"^(\d+)\s*(ms|s|min)$")


def duration(text: str) -> str:
    """A Flink duration such as '2 s', '500 ms' or '1 min'; '0' turns a setting off."""
    if text.strip() == "0":
        return "0"
    m = DURATION.match(text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration: write it like '2 s', '500 ms' or '1 min'")
    return f"{m.group(1)} {m.group(2)}"


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be a whole number >= 1")
    return int(text)


def non_negative_int(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} must be a whole number >= 0")
    return int(text)


def host_port(text: str) -> tuple:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not HOST:PORT (the JobManager's REST address, e.g. 127.0.0.1:8081)")
    return host, int(port)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="The CTR pipeline with enrichment, as a PyFlink Table API job submitted to a running cluster.")
    p.add_argument("--plan", required=True, help="the run's plan (JSON written by the lab: topics, jars, phase 1's statements)")
    p.add_argument("--jobmanager", type=host_port, help="HOST:PORT of the JobManager's REST API (default: the plan's)")
    p.add_argument("--parallelism", type=positive_int, default=1, help="subtasks per operator (default 1: exact replays)")
    p.add_argument("--checkpoint-interval", type=duration, default="0", help="e.g. '2 s'; '0' = no checkpoints (default)")
    p.add_argument("--checkpoint-dir", help="where checkpoints go (a file:// URI the TaskManager can write)")
    p.add_argument("--state-backend", choices=["hashmap", "rocksdb"], default="hashmap")
    p.add_argument("--restart", choices=["none", "fixed-delay"], default="none", help="restart strategy (default none: a failure fails the job)")
    p.add_argument("--restart-attempts", type=non_negative_int, default=10)
    p.add_argument("--restart-delay", type=duration, default="2 s")
    p.add_argument("--explain", action="store_true", help="print the optimized plan of every statement and submit nothing")
    p.add_argument("--python", default=sys.executable, help="the Python the TaskManager's Python worker runs (default: this one)")
    return p


def parse(argv: list) -> argparse.Namespace:
    args = parser().parse_args(argv)
    if args.checkpoint_interval != "0" and not args.checkpoint_dir:
        parser().error("--checkpoint-interval needs --checkpoint-dir (a folder the TaskManager can write)")
    return args
