"""Every file in labs/phase-4/dags imports without error and holds the DAG it is named after."""
from pathlib import Path

DAG_FILES = sorted(p for p in (Path(__file__).resolve().parent.parent / "dags").glob("*.py"))


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}, "\n".join(f"{f}: {e}" for f, e in dagbag.import_errors.items())


def test_every_dag_file_holds_its_dag(dagbag):
    assert [p.stem for p in DAG_FILES] == ["ctr_backfill", "ctr_deploy", "ctr_upgrade", "ctr_watch"]
    for p in DAG_FILES:
        assert p.stem in dagbag.dags, f"{p.name} defines no DAG {p.stem}"
        assert dagbag.dags[p.stem].fileloc == str(p)
