"""The DAG tests load labs/phase-4/dags as Airflow would (a DagBag of the folder), with no database."""
import os
import sys
from pathlib import Path

import pytest

DAGS = Path(__file__).resolve().parent.parent / "dags"
sys.path.insert(0, str(DAGS))


@pytest.fixture(scope="session")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))
