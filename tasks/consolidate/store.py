"""Computing and storing a consolidation in the warehouse, in one transaction
(warehouse/queries/consolidate.sql)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import warehouse
from tasks.consolidate.scope import Scope
from warehouse import bound


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
                con.execute(stmt, bound(stmt, params))
            con.commit()
        except Exception:
            con.rollback()
            raise
    return scope.key
