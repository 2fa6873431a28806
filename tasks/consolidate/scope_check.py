"""Refusing a consolidation of nothing: a year or scope without a loaded report is an error that says
which years the scope does have, not an empty workbook (warehouse/queries/consolidation_scope_reports.sql)."""

from __future__ import annotations

from pathlib import Path

import warehouse
from tasks.consolidate.scope import Scope
from warehouse import bound


class EmptyScope(ValueError):
    """No loaded report for the year in the scope; the message is one line for people."""


def _scope_words(scope: Scope) -> str:
    parts = []
    if scope.region:
        parts.append(f"region {scope.region}")
    if scope.kind:
        parts.append(f"kind {scope.kind}")
    if scope.agencies is not None:
        parts.append(f"{len(scope.agencies)} listed agencies")
    return " and ".join(parts) or "any agency"


def check_scope(warehouse_path: Path, scope: Scope) -> int:
    """The number of loaded reports of the scope's year; raises EmptyScope when there is none."""
    params = {
        "year": scope.year,
        "region": scope.region,
        "agencies": list(scope.agencies) if scope.agencies is not None else None,
        "kind": scope.kind,
    }
    sql = warehouse.query("consolidation_scope_reports")
    with warehouse.reading(warehouse_path) as con:
        reports, years = con.execute(sql, bound(sql, params)).fetchall()[0]
    if not reports:
        loaded = ", ".join(str(y) for y in years or []) or "none"
        raise EmptyScope(
            f"no loaded report for {scope.year} over {_scope_words(scope)} in {warehouse_path} "
            f"(years with loaded reports in that scope: {loaded}); nothing to consolidate"
        )
    return reports
