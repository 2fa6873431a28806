"""What `ogi agencies` does: list and show agencies, and record an override (merge, split, alias)
in the overrides file, then resolve the warehouse's agencies again with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import warehouse
from tasks.consolidate.sql import bound
from tasks.identity.overrides import OverridesError, append_override, new_override
from tasks.identity.rules import clean_name
from tasks.identity.store import reresolve


def _frame(con: Any, name: str, params: dict) -> tuple[list[str], list[tuple]]:
    sql = warehouse.query(name)
    cur = con.execute(sql, bound(sql, params))
    return [d[0] for d in cur.description], cur.fetchall()


def list_agencies(path: Path, name: str | None = None) -> tuple[list[str], list[tuple]]:
    with warehouse.reading(path) as con:
        return _frame(con, "agencies_list", {"name": name})


def show_agency(path: Path, agency_id: int) -> dict[str, Any]:
    """The agency, the names it printed and its documents."""
    with warehouse.reading(path) as con:
        cols, rows = _frame(con, "agency_show", {"id": agency_id})
        if not rows:
            raise OverridesError(f"no agency {agency_id} (ogi agencies list)")
        return {
            "agency": dict(zip(cols, rows[0])),
            "names": _frame(con, "agency_names_of", {"id": agency_id}),
            "reports": _frame(con, "agency_reports", {"id": agency_id}),
        }


def _key(path: Path, agency_id: int) -> tuple[str, list[str]]:
    info = show_agency(path, agency_id)
    return info["agency"]["natural_key"], [n for n, *_ in info["names"][1]]


def merge(path: Path, overrides: Path, agency_id: int, other_id: int, reason: str) -> int:
    """Record that two agencies are one; returns the id the merged agency has (the smaller)."""
    if agency_id == other_id:
        raise OverridesError("an agency cannot be merged with itself")
    key, _ = _key(path, agency_id)
    other, _ = _key(path, other_id)
    append_override(overrides, new_override("merge", key, reason, other=other))
    reresolve(path, overrides)
    return min(agency_id, other_id)


def split(path: Path, overrides: Path, agency_id: int, name: str, reason: str) -> None:
    """Record that the documents printing NAME are an agency of their own."""
    key, names = _key(path, agency_id)
    if clean_name(name) not in {clean_name(n) for n in names}:
        raise OverridesError(f"agency {agency_id} never printed {name!r} (ogi agencies show {agency_id})")
    append_override(overrides, new_override("split", key, reason, name=name))
    reresolve(path, overrides)


def alias(path: Path, overrides: Path, agency_id: int, name: str, reason: str) -> None:
    """Record that the documents printing NAME belong to the agency."""
    key, _ = _key(path, agency_id)
    append_override(overrides, new_override("alias", key, reason, name=name))
    reresolve(path, overrides)
