"""What `ogi agencies` and `ogi roster import` do: list and show agencies, record an override (merge,
split, alias) in the overrides file, or store a roster, then resolve the warehouse's agencies again."""

from __future__ import annotations

import getpass
import hashlib
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import warehouse
from tasks.identity.overrides import OverridesError, append_override, load_overrides, new_override
from tasks.identity.roster import RosterError, read_roster, region_zh, run_query
from tasks.identity.rules import clean_name
from tasks.identity.store import apply_identities, reresolve
from warehouse import bound


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


def import_roster(
    warehouse_path: Path,
    overrides_path: Path | None,
    file: Path,
    year: int,
    region: str | None = None,
    replace: bool = False,
    by: str | None = None,
) -> int:
    """Store the roster for `year` and `region` and match it (one transaction); returns its id.
    A roster for the same year and region is replaced only with `replace`."""
    if not 2000 <= year <= 2100:
        raise RosterError(f"年度 {year}：应为报告年度，例如 2024（year: expected a report year such as 2024）")
    if region is not None and not re.fullmatch(r"\d{2,6}", region):
        raise RosterError(f"区划 {region!r}：应为区划代码的前 2 至 6 位，例如 3208（region: 2 to 6 digits）")
    if not warehouse_path.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse_path}; run `ogi run INBOX` first")
    entries = read_roster(file)
    overrides = load_overrides(overrides_path)
    warehouse.migrate(warehouse_path)
    now = datetime.now()
    with warehouse.writing(warehouse_path) as con:
        con.begin()
        try:
            old = con.execute(warehouse.query("roster_of_scope"), {"year": year, "region": region}).fetchall()
            if old and not replace:
                roster_id, who, when = old[0]
                raise RosterError(
                    f"{year} 年度{region_zh(region)}已有名单（第 {roster_id} 号，{who} 于 {str(when)[:19]} 导入）；"
                    f"要替换请加 --replace（a roster for this year and region exists; --replace replaces it）"
                )
            for roster_id, *_ in old:
                run_query(con, "roster_delete", {"roster_id": roster_id})
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
            (roster_id,) = con.execute(warehouse.query("roster_insert"), {
                "year": year, "region": region, "file": str(file), "sha256": digest, "entries": len(entries),
                "by": by or getpass.getuser(), "at": now}).fetchone()  # fmt: skip
            for e in entries:
                con.execute(warehouse.query("roster_insert_entry"), {
                    "roster_id": roster_id, "seq": e.seq, "name": e.name, "division_code": e.division_code,
                    "credit_code": e.credit_code, "kind": e.kind, "parent": e.parent})  # fmt: skip
            apply_identities(con, overrides)  # matches every roster, this one too
            con.commit()
        except Exception:
            con.rollback()
            raise
    return roster_id
