"""The DuckDB warehouse: numbered migrations, named queries, and one writer at a time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb

HERE = Path(__file__).parent
MIGRATIONS = HERE / "migrations"
QUERIES = HERE / "queries"


class WarehouseBusy(Exception):
    """Another process holds the DuckDB file (DuckDB allows one writer and no readers beside it)."""


def query(name: str) -> str:
    """The text of warehouse/queries/<name>.sql."""
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def statements(sql: str) -> list[str]:
    """Split a .sql file into statements (our files end each statement with ';' at a line end)."""
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in re.split(r";\s*\n", body + "\n") if s.strip()]


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseBusy(
                f"{path} is in use by another process (a load is running?); try again when it finishes"
            ) from exc
        raise


@contextmanager
def reading(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection, for ad-hoc SQL and lookups."""
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}; run `ogi run INBOX` first")
    con = _connect(path, read_only=True)
    try:
        yield con
    finally:
        con.close()


def fetch(path: Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Column names and rows of one statement on a read-only connection (none for a statement
    without a result); raises FileNotFoundError, WarehouseBusy or duckdb.Error."""
    with reading(path) as con:
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description] if cur.description else []
        return columns, cur.fetchall() if columns else []


@contextmanager
def writing(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection held only as long as the caller's transaction."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(path, read_only=False)
    try:
        yield con
    finally:
        con.close()


def pending_migrations(con: duckdb.DuckDBPyConnection) -> list[Path]:
    con.execute(
        "create table if not exists schema_migrations ("
        " version integer primary key, name varchar not null, applied_at timestamp not null)"
    )
    applied = {row[0] for row in con.execute("select version from schema_migrations").fetchall()}
    files = sorted(MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql"))
    return [f for f in files if int(f.name[:3]) not in applied]


def migrate(path: Path) -> list[str]:
    """Apply pending migrations, each in one transaction with its schema_migrations row."""
    done = []
    with writing(path) as con:
        for f in pending_migrations(con):
            con.begin()
            try:
                for stmt in statements(f.read_text(encoding="utf-8")):
                    con.execute(stmt)
                con.execute("insert into schema_migrations values (?, ?, ?)", [int(f.name[:3]), f.name, datetime.now()])
                con.commit()
            except Exception:
                con.rollback()
                raise
            done.append(f.name)
    return done
