"""The DuckDB warehouse: numbered migrations, named queries, and one writer at a time."""

from __future__ import annotations

import itertools
import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

HERE = Path(__file__).parent
MIGRATIONS = HERE / "migrations"
QUERIES = HERE / "queries"
log = logging.getLogger("ogi.warehouse")


class WarehouseError(Exception):
    """The warehouse file cannot be used now; the message says why, for a person (CLI exit 5)."""


class WarehouseBusy(WarehouseError):
    """Another process holds the DuckDB file (DuckDB allows one writer and no readers beside it)."""


class WarehouseCorrupt(WarehouseError):
    """The file is not a DuckDB database this version can open (damaged, or something else)."""


def _first(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def query(name: str) -> str:
    """The text of warehouse/queries/<name>.sql."""
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def bound(statement: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters a statement uses (DuckDB rejects named parameters a statement does not use)."""
    used = set(re.findall(r"\$(\w+)", statement))
    return {k: v for k, v in params.items() if k in used}


def statements(sql: str) -> list[str]:
    """Split a .sql file into statements (our files end each statement with ';' at a line end)."""
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in re.split(r";\s*\n", body + "\n") if s.strip()]


# How long a connection waits for another process's hold on the file to end (DuckDB allows one
# writer and no reader beside it); the one retry policy for every read and write of the warehouse.
BUSY_WAIT_S = 120.0
_BACKOFF_S = (0.2, 0.5, 1, 2, 4, 8)


def _connect(path: Path, read_only: bool, wait_s: float | None = None) -> duckdb.DuckDBPyConnection:
    """A connection, waiting (bounded) while another process holds the file."""
    wait_s = BUSY_WAIT_S if wait_s is None else wait_s
    deadline = time.monotonic() + wait_s
    for attempt in itertools.count():
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except (duckdb.IOException, duckdb.SerializationException, duckdb.InvalidInputException) as exc:
            if "lock" not in str(exc).lower():
                raise WarehouseCorrupt(f"{path} cannot be opened as a DuckDB warehouse ({_first(exc)})") from exc
            left = deadline - time.monotonic()
            if left <= 0:
                raise WarehouseBusy(
                    f"{path} is in use by another process (a load is running?); gave up after {wait_s:g} s"
                ) from exc
            if attempt == 0:
                log.warning("%s is in use by another process; waiting up to %g s", path, wait_s)
            time.sleep(min(_BACKOFF_S[min(attempt, len(_BACKOFF_S) - 1)], left))
    raise AssertionError("unreachable")


@contextmanager
def reading(path: Path, wait_s: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection, for ad-hoc SQL and lookups."""
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}; run `ogi run INBOX` first")
    con = _connect(path, read_only=True, wait_s=wait_s)
    try:
        yield con
    finally:
        con.close()


def check(path: Path) -> None:
    """Raise WarehouseCorrupt now, before any work, if the file exists and is not a usable warehouse
    (a busy file is fine here: the load waits for it)."""
    if not path.exists():
        return
    try:
        _connect(path, read_only=True, wait_s=0).close()
    except WarehouseBusy:
        pass


def fetch(path: Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Column names and rows of one statement on a read-only connection (none for a statement
    without a result); raises FileNotFoundError, WarehouseBusy or duckdb.Error."""
    with reading(path) as con:
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description] if cur.description else []
        return columns, cur.fetchall() if columns else []


@contextmanager
def writing(path: Path, wait_s: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection held only as long as the caller's transaction."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(path, read_only=False, wait_s=wait_s)
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


class QueryTimeout(Exception):
    """An ad-hoc query ran past its time limit and was interrupted."""


# Ad-hoc SQL may read the warehouse and nothing else: no files, no extensions, no settings changes.
LOCKED_DOWN = {
    "enable_external_access": False,
    "lock_configuration": True,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


def ad_hoc(path: Path, sql: str, memory_limit: str = "2GB", timeout_s: float = 60.0) -> tuple[list[str], list[tuple]]:
    """Run one ad-hoc query on a read-only, locked-down connection under a memory and time limit:
    COPY … TO, read_text/read_csv of other files, INSTALL/LOAD and SET are refused by DuckDB itself."""
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}; run `ogi run INBOX` first")
    config = {**LOCKED_DOWN, "memory_limit": memory_limit}
    try:
        con = duckdb.connect(str(path), read_only=True, config=config)
    except (duckdb.IOException, duckdb.SerializationException, duckdb.InvalidInputException) as exc:
        if "lock" in str(exc).lower():
            raise WarehouseBusy(f"{path} is in use by another process (a load is running?); try again later") from exc
        raise WarehouseCorrupt(f"{path} cannot be opened as a DuckDB warehouse ({_first(exc)})") from exc
    timer = threading.Timer(timeout_s, con.interrupt)
    timer.start()
    try:
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchall() if columns else []
        return columns, rows
    except duckdb.InterruptException as exc:
        raise QueryTimeout(f"the query ran longer than {timeout_s:g} s and was stopped (--timeout)") from exc
    finally:
        timer.cancel()
        con.close()
