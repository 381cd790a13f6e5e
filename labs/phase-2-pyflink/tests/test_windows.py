"""The enrichment query's rendering: the run's names in, nothing unknown left."""
from pathlib import Path

import pytest

from ctr_common import windows

PLAN = {"names": {"prefix": "run1_", "dimension_table": "run1_products"}}
V2 = Path(__file__).resolve().parent.parent / "jobs" / "v2" / "enrich.sql"


def test_the_temporal_join_reads_the_runs_tables_at_event_time():
    sql = windows.render_sql(V2, PLAN)
    assert "FROM run1_firsts_on_time AS e" in sql
    assert "LEFT JOIN run1_products FOR SYSTEM_TIME AS OF e.rt AS d" in sql
    assert "$" not in sql


def test_an_unknown_placeholder_fails_loudly(tmp_path):
    f = tmp_path / "x.sql"
    f.write_text("SELECT * FROM ${nope}")
    with pytest.raises(KeyError):
        windows.render_sql(f, PLAN)
