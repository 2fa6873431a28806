"""A record as the rules read it: cells by path, the previous year's report as prev.*."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from tasks.record import Record

Cell = dict[str, Any]  # {"key", "value", "position", "side"}
GATED_TABLES = ("table3", "table4", "table2")  # legacy figures have no identities
INT64_MAX = 2**63 - 1  # the instance frame's integers: a larger "count" is not one


class GateError(RuntimeError):
    """GX could not evaluate a rule (broken, not violated): no outcome may be reported."""


def is_integer(value: Any) -> bool:
    """True for ints (not bools): the only values an identity may add up."""
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Doc:
    """A record prepared once for every rule: its cells by path (and the previous report's as prev.*)."""

    id: str
    template: str
    record: Record
    cells: dict[str, Any]
    positions: Mapping[str, Any]

    @classmethod
    def of(cls, record: Record, prev: Record | None = None) -> Doc:
        """Index a record's cells; cross-year rules read the previous report as prev.*."""
        if record.document_id is None:
            raise ValueError("a record to gate needs its document_id")
        cells = record.cells(GATED_TABLES)
        positions = dict(record.positions)
        if prev is not None:
            cells.update((f"prev.{k}", v) for k, v in prev.cells(GATED_TABLES).items())
            positions.update((f"prev.{k}", v) for k, v in prev.positions.items())
        return cls(record.document_id, str(record.template), record, cells, positions)

    @cached_property
    def integers(self) -> dict[str, int]:
        """The cells an identity may add up: integers a count can be (not bools, within int64)."""
        return {k: v for k, v in self.cells.items() if type(v) is int and -INT64_MAX <= v <= INT64_MAX}

    @cached_property
    def rows(self) -> frozenset[str]:
        """Every table and row path the record prints (printed blank or empty included)."""
        tables = self.record.tables()
        return frozenset([*tables, *(f"{t}.{row}" for t, rows in tables.items() for row in rows)])

    def prints(self, path: str) -> bool:
        """Record.prints, tables and rows from one set: the rules ask it of hundreds of rows."""
        return path in self.rows if path.count(".") < 2 else self.record.prints(path)

    def cell(self, key: str, side: str | None) -> Cell:
        """A cell (or top-level field such as report_year) as results report it."""
        value = self.cells[key] if key in self.cells else self.record.get(key)
        return {"key": key, "value": value, "position": self.positions.get(key), "side": side}

    def why_not_integer(self, key: str) -> str:
        """Why a cell cannot be added up (blank, absent, not_integer, too_large), or '' if it can."""
        if key not in self.cells:
            return "absent"
        value = self.cells[key]
        if value is None:
            return "blank"
        if not is_integer(value):
            return "not_integer"
        return "" if abs(value) <= INT64_MAX else "not_integer"
