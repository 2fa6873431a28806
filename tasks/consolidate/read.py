"""A stored consolidation read back from the warehouse (warehouse/queries/consolidation_*.sql), the one
value the workbook, the CSV files and the HTML report are written from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import warehouse
from tasks.consolidate.checks import Cell, IdentityCheck, cells_of, identity_checks
from tasks.keys import T3_ROWS, Row
from warehouse import bound

TOP_AGENCIES = 10


def printed_t3_rows(template: str) -> tuple[Row, ...]:
    """Table 3's rows as the template prints them: 2021 splits (六)其他处理 into three rows and has
    no single (六) row, 2019 has the single row (legacy years get the 2019 layout)."""
    template = template if template in ("2019", "2021") else "2019"
    return tuple(r for r in T3_ROWS if template in r.templates)


@dataclass(frozen=True)
class Frame:
    """Rows of a query with their column names."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r)) for r in self.rows]


@dataclass(frozen=True)
class Consolidation:
    """A stored consolidation, read back for the workbook, the CSV files and the HTML report."""

    key: str
    header: dict[str, Any]
    table2: Frame
    table3: Frame
    table4: Frame
    agencies: Frame
    yoy: Frame
    series: Frame
    top_agencies: Frame
    violations: Frame
    table3_cells: Frame  # every cell with the reports that printed a number and those that left it blank
    checks: tuple[IdentityCheck, ...] = ()  # R1–R3 on the consolidated cells
    # rectification items of the scope's agencies still open or notified when the outputs are written
    rectification: Frame = Frame((), ())

    @property
    def template(self) -> str:
        """The template in force for the year (its table 3 rows are printed)."""
        return self.header.get("expected_template") or "2021"

    @property
    def t3_rows(self) -> tuple[Row, ...]:
        return printed_t3_rows(self.template)

    @property
    def cells(self) -> dict[tuple[str, str], Cell]:
        """(row key, column key) → the consolidated table 3 cell with its counts."""
        return cells_of(self.table3_cells.dicts())


def read_consolidation(warehouse_path: Path, key: str) -> Consolidation:
    """The stored consolidation `key` (read-only connection)."""
    params = {"key": key, "top": TOP_AGENCIES}

    def frame(con: Any, name: str) -> Frame:
        sql = warehouse.query(name)
        cur = con.execute(sql, bound(sql, params))
        return Frame(tuple(d[0] for d in cur.description), tuple(cur.fetchall()))

    with warehouse.reading(warehouse_path) as con:
        header = frame(con, "consolidation_header").dicts()
        if not header:
            raise LookupError(f"no consolidation {key!r} in {warehouse_path}")
        cells = frame(con, "consolidation_table3_cells")
        template = header[0].get("expected_template") or "2021"
        rows = tuple(r.key for r in printed_t3_rows(template))
        return Consolidation(
            key=key,
            header=header[0],
            table2=frame(con, "consolidation_table2"),
            table3=frame(con, "consolidation_table3"),
            table4=frame(con, "consolidation_table4"),
            agencies=frame(con, "consolidation_agencies"),
            yoy=frame(con, "consolidation_yoy"),
            series=frame(con, "consolidation_series"),
            top_agencies=frame(con, "consolidation_top_agencies"),
            violations=frame(con, "consolidation_violations"),
            table3_cells=cells,
            checks=identity_checks(cells_of(cells.dicts()), rows),
            rectification=open_rectification(con, key),
        )


def open_rectification(con: Any, key: str) -> Frame:
    """The open and notified rectification items of a consolidation's agencies for its year
    (warehouse/queries/consolidation_rectification.sql); none before migration 007."""
    if not con.execute("select 1 from duckdb_tables() where table_name = 'rectification_items'").fetchall():
        return Frame((), ())
    sql = warehouse.query("consolidation_rectification")
    cur = con.execute(sql, bound(sql, {"key": key}))
    return Frame(tuple(d[0] for d in cur.description), tuple(cur.fetchall()))
