"""A stored consolidation read back from the warehouse (warehouse/queries/consolidation_*.sql), the one
value the workbook, the CSV files and the HTML report are written from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import warehouse
from tasks.consolidate.sql import bound

TOP_AGENCIES = 10


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
        )
