"""The annual consolidation: one year's statutory tables summed over a scope of agencies, which
expected agencies have no usable report, and the change on the year before.

It is computed in SQL and stored in the warehouse in one transaction (warehouse/queries/consolidate.sql),
then read back for the outputs (tasks/consolidation_outputs.py), so the files and `ogi sql` agree.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import warehouse

KINDS = ("department", "government")
TIMEZONE = ZoneInfo("Asia/Shanghai")
TOP_AGENCIES = 10


@dataclass(frozen=True)
class Scope:
    """Which agencies a consolidation covers; every filter is optional and they combine."""

    year: int
    region: str | None = None  # prefix of dim_agency.division_code (GB/T 2260), e.g. 4303
    agencies: tuple[str, ...] | None = None  # the expected agencies by full name
    kind: str | None = None  # department | government; None for both

    @property
    def key(self) -> str:
        """Stable name of the consolidation: running the same scope again replaces it."""
        parts = [str(self.year)]
        if self.region:
            parts.append(f"region={self.region}")
        if self.kind:
            parts.append(f"kind={self.kind}")
        if self.agencies is not None:
            digest = hashlib.sha256("\n".join(sorted(self.agencies)).encode()).hexdigest()
            parts.append(f"list={digest[:10]}")
        return "/".join(parts)

    @property
    def slug(self) -> str:
        """The key as a file name."""
        return self.key.replace("/", "_").replace("=", "-")


def make_scope(
    year: int, region: str | None = None, agencies: list[str] | tuple[str, ...] | None = None, kind: str | None = None
) -> Scope:
    """A validated scope; raises ValueError with a message for people."""
    if not 2000 <= year <= 2100:
        raise ValueError(f"year {year}: expected a report year such as 2023")
    if region is not None and not re.fullmatch(r"\d{2,6}", region):
        raise ValueError(f"region {region!r}: expected the first 2 to 6 digits of a division code, e.g. 4303")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind {kind!r}: expected one of {', '.join(KINDS)}")
    if agencies is not None and not agencies:
        raise ValueError("the agency list is empty")
    return Scope(year, region or None, tuple(agencies) if agencies is not None else None, kind)


def read_agency_list(path: Path) -> tuple[str, ...]:
    """Agency full names, one a line; blank lines and lines starting with # are skipped."""
    names = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        name = line.strip()
        if name and not name.startswith("#") and name not in names:
            names.append(name)
    if not names:
        raise ValueError(f"{path}: no agency names in it (one full name a line)")
    return tuple(names)


def previous_year(today: date | None = None) -> int:
    """The year the spring consolidation is about: last year, as the calendar in Beijing has it."""
    return (today or datetime.now(TIMEZONE).date()).year - 1


def _bound(statement: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters a statement uses (DuckDB rejects named parameters a statement does not use)."""
    used = set(re.findall(r"\$(\w+)", statement))
    return {k: v for k, v in params.items() if k in used}


def store_consolidation(warehouse_path: Path, scope: Scope, at: datetime | None = None) -> str:
    """Compute and store the consolidation in one transaction; returns its key."""
    params = {
        "key": scope.key,
        "year": scope.year,
        "region": scope.region,
        "agencies": list(scope.agencies) if scope.agencies is not None else None,
        "kind": scope.kind,
        "at": at or datetime.now(),
    }
    with warehouse.writing(warehouse_path) as con:
        con.begin()
        try:
            for stmt in warehouse.statements(warehouse.query("consolidate")):
                con.execute(stmt, _bound(stmt, params))
            con.commit()
        except Exception:
            con.rollback()
            raise
    return scope.key


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
        cur = con.execute(sql, _bound(sql, params))
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
