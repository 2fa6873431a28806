"""The warehouse schema: migrations applied once, everything documented (in a warehouse the real
flow loaded), one writer at a time, ad hoc SQL read-only."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

import warehouse


def test_migrations_apply_once_and_are_recorded(warehouse_path):
    first = warehouse.migrate(warehouse_path)
    assert first == sorted(p.name for p in warehouse.MIGRATIONS.glob("*.sql"))
    assert warehouse.migrate(warehouse_path) == []
    con = duckdb.connect(str(warehouse_path), read_only=True)
    assert con.execute("select count(*) from schema_migrations").fetchone()[0] == len(first)
    con.close()


def test_every_table_view_and_column_has_a_comment(loaded_warehouse):
    con = duckdb.connect(str(loaded_warehouse.warehouse), read_only=True)
    tables = con.execute(
        "select table_name from duckdb_tables() where comment is null and table_name <> 'schema_migrations' "
        "union all select view_name from duckdb_views() where not internal and comment is null"
    ).fetchall()
    columns = con.execute(
        "select c.table_name, c.column_name from duckdb_columns() c join duckdb_tables() t using (table_name) "
        "where c.comment is null and c.table_name <> 'schema_migrations'"
    ).fetchall()
    described = con.execute("select count(*) from duckdb_tables() where comment is not null").fetchone()[0]
    con.close()
    assert tables == []
    assert columns == []
    assert described >= 10  # documents, arrivals, cells, results, dimensions, facts: the checks saw tables


def test_ad_hoc_sql_says_clearly_when_a_load_holds_the_file(warehouse_path):
    warehouse.migrate(warehouse_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(warehouse_path)!r}); print('ok', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        out = subprocess.run(
            [sys.executable, "-m", "flows.cli", "sql", "select 1", "--warehouse", str(warehouse_path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        holder.kill()
        holder.wait()
    assert out.returncode == 5  # the warehouse cannot be used now (README: exit codes)
    assert "in use by another process" in out.stderr
    assert "Traceback" not in out.stderr


def test_ad_hoc_sql_cannot_write(warehouse_copy):
    def documents() -> int:
        with warehouse.reading(warehouse_copy) as con:
            return con.execute("select count(*) from documents").fetchone()[0]

    before = documents()
    with warehouse.reading(warehouse_copy) as con, pytest.raises(duckdb.Error):
        con.execute("delete from documents")
    assert before > 0 and documents() == before
