"""
The DAGs' one interface to the pipeline (ADR 0087): the project's own CLI, src/cli/pipeline.ts,
run as a subprocess. It renders the same SQL the labs run, so a DAG never holds SQL or REST calls
of its own. The command and its output go to the task log ("$ ..." and "| ..." lines); a non-zero
exit raises with the CLI's error sentence.
"""
from __future__ import annotations

import json
import os
import subprocess


class PipelineCliError(RuntimeError):
    """The CLI exited non-zero: the message holds the command and the end of its output."""


def repo() -> str:
    root = os.environ.get("CTR_REPO")
    if not root:
        raise PipelineCliError("CTR_REPO is not set: run Airflow through src/stack/airflow/airflow.sh (npm run -s airflow -- ...).")
    return root


def pipeline(*args: str, timeout_s: float = 300) -> list[str]:
    """Runs `pipeline.ts ARGS` in the repository; returns its stdout lines (each also logged)."""
    node = os.environ.get("CTR_NODE", "node")
    cmd = [node, "--import", "tsx", "src/cli/pipeline.ts", *args]
    print("$ " + " ".join(cmd[3:]), flush=True)
    p = subprocess.run(cmd, cwd=repo(), capture_output=True, text=True, timeout=timeout_s)
    lines = p.stdout.splitlines()
    for line in lines:
        print("| " + line, flush=True)
    if p.returncode != 0:
        # The CLI's first stderr line says what went wrong (src/cli/run.ts); the stack trace follows.
        tail = (p.stderr.strip().splitlines() or lines)[:2]
        raise PipelineCliError(f"pipeline.ts {' '.join(args)} exited {p.returncode}: " + " | ".join(t.strip() for t in tail))
    return lines


def status(run: str) -> dict:
    """`pipeline.ts status`: jobs, version labels, lag, freshness (src/pipeline/lifecycle/status.ts)."""
    return json.loads(pipeline("status", "--run", run)[-1])


def release_args(variants: list[str], label: str) -> list[str]:
    """`--variant DIR ... --label NAME`: a version of the job."""
    out: list[str] = []
    for v in variants:
        out += ["--variant", v]
    return out + ["--label", label]
