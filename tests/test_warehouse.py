"""The warehouse schema: migrations applied once, everything documented (in a warehouse the real
flow loaded), one writer at a time, ad hoc SQL read-only."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLES

import warehouse
from tasks import keys


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


# ------------------------------------------------------------------------- upgrading to 009


def _load(wh, files, monkeypatch=None, old: Path | None = None):
    """Stage, extract, gate and load `files` with the batch core; with `old`, the way warehouses of
    the migrations before 009 were loaded (tests/fixtures/pre009: every cell in stg_cells too)."""
    from expectations import load_catalogue
    from tasks.pipeline import Batch, process_batch
    from tasks.settings import Settings

    if old is None:
        warehouse.migrate(wh)
        return process_batch(Batch(files=tuple(files)), Settings(wh), load_catalogue())
    migrations, queries = old / "migrations", old / "queries"
    migrations.mkdir(parents=True)
    before = [f for f in sorted(warehouse.MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql")) if int(f.name[:3]) < 9]
    for f in before:
        shutil.copy(f, migrations / f.name)
    shutil.copytree(warehouse.QUERIES, queries)
    for f in (Path(__file__).parent / "fixtures" / "pre009").glob("*.sql"):
        shutil.copy(f, queries / f.name)
    with monkeypatch.context() as m:
        m.setattr(warehouse, "MIGRATIONS", migrations)
        m.setattr(warehouse, "QUERIES", queries)
        assert len(warehouse.migrate(wh)) == len(before)
        return process_batch(Batch(files=tuple(files)), Settings(wh), load_catalogue())


def _rows(wh: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


ROLES = ("select a.original_name, c.report_role, (select min(original_name) from document_arrivals x "
         "where x.document_id = c.current_document_id) from current_reports c "
         "join document_arrivals a using (document_id) order by 1")  # fmt: skip
FACTS = "select * exclude (agency_id) from fct_table3 order by all"


def test_migration_009_upgrades_a_warehouse_that_kept_every_cell_in_stg_cells(tmp_path, monkeypatch):
    from tasks.review import reprocess
    from tasks.settings import Settings

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for path in (SAMPLES / "000_2d75f7f597d72c01.txt", SAMPLES / "001_d450694d9fdf7559.txt",
                 SAMPLES / "altered" / "003_new_requests_altered.txt"):  # fmt: skip
        shutil.copy(path, inbox / path.name)
    text = (SAMPLES / "000_2d75f7f597d72c01.txt").read_bytes()
    (inbox / "000_republished.txt").write_bytes(text + b"\n")  # other bytes, the same tables: a duplicate
    files = sorted(inbox.iterdir())
    old, fresh = tmp_path / "old" / "ogi.duckdb", tmp_path / "fresh" / "ogi.duckdb"
    _load(old, files, monkeypatch, tmp_path / "pre009")
    assert _rows(old, "select count(*) from stg_cells")[0][0] > 500
    roles, facts = _rows(old, ROLES), _rows(old, FACTS)
    assert ("000_republished.txt", "duplicate", "000_2d75f7f597d72c01.txt") in roles

    assert warehouse.migrate(old)[0] == "009_compact_storage.sql"
    assert _rows(old, "select count(*) from duckdb_tables() where table_name = 'stg_cells'") == [(0,)]
    _load(fresh, files)  # the same files loaded from scratch: the digests the migration kept are the load's
    digests = "select document_id, status, tables_digest from documents order by 1"
    assert _rows(old, digests) == _rows(fresh, digests)
    assert _rows(old, ROLES) == roles and _rows(old, FACTS) == facts

    changes, total = reprocess(Settings(old))  # re-gates with the current catalogue: passes folded
    assert total == 4 and _rows(old, ROLES) == roles and _rows(old, FACTS) == facts
    assert _rows(old, "select count(*) from validation_results where outcome = 'pass' and instance <> '*'") == [(0,)]
    folded = "select rule_id, instances from validation_results where outcome = 'pass' order by all"
    assert _rows(old, folded) == _rows(fresh, folded)
    assert ("R1", len(keys.T3_COLUMNS)) in _rows(old, folded)  # R1 holds in every column of a loaded report
