"""Resolving the warehouse's agencies: read what every document prints, group (rules.py), keep the
ids stable, write dim_agency, agency_names and current_reports (warehouse/queries/resolve_identities.sql)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl

import warehouse
from tasks.identity.overrides import Override, load_overrides
from tasks.identity.rules import Printed, assign_ids, division, parent_keys, resolve, short_name


def apply_identities(con: Any, overrides: list[Override]) -> None:
    """Resolve every document's agency inside the caller's transaction."""
    rows = con.execute(warehouse.query("identity_documents")).fetchall()
    printed = [Printed(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]
    held = {r[0]: r[7] for r in rows}
    processed = {r[0]: r[8] for r in rows}
    res = resolve(printed, [o.as_rule() for o in overrides])
    own = dict(con.execute(warehouse.query("agency_keys")).fetchall())
    last_id = con.execute(warehouse.query("next_agency_id")).fetchall()[0][0]
    fresh, ids = assign_ids(res, own, held, last_id)
    key_id = {**own, **fresh}
    by_agency: dict[int, list[Printed]] = {}
    for p in printed:
        by_agency.setdefault(ids[res.group[res.keys[p.document_id]]], []).append(p)
    agency_of_key = {k: ids[rep] for k, rep in res.group.items()}
    agencies = [_agency(i, docs, res, key_id, processed) for i, docs in sorted(by_agency.items())]
    for a in agencies:
        parents = [agency_of_key.get(k) for k in parent_keys(a["natural_key"], a["agency_level"])]
        a["parent_id"] = next((p for p in parents if p is not None and p != a["agency_id"]), None)
    frames = {
        "identity_keys": pl.DataFrame(
            [{"natural_key": k, "agency_id": i} for k, i in fresh.items()],
            schema={"natural_key": pl.Utf8, "agency_id": pl.Int32},
        ),
        "identity_documents": pl.DataFrame(
            [{"document_id": p.document_id, "agency_id": ids[res.group[res.keys[p.document_id]]]} for p in printed],
            schema={"document_id": pl.Utf8, "agency_id": pl.Int32},
        ),
        "identity_agencies": pl.DataFrame(agencies, schema=_AGENCY_SCHEMA),
        "identity_overrides": pl.DataFrame(
            [
                {
                    "seq": n,
                    "action": o.action,
                    "agency": o.agency,
                    "other": o.other,
                    "agency_name": o.name,
                    "reason": o.reason,
                    "decided_by": o.by,
                    "decided_at": o.at,
                }
                for n, o in enumerate(overrides, 1)
            ],
            schema=_OVERRIDE_SCHEMA,
        ),  # fmt: skip
    }
    for name, frame in frames.items():
        con.register(name, frame.to_arrow())
    try:
        for stmt in warehouse.statements(warehouse.query("resolve_identities")):
            con.execute(stmt)
    finally:
        for name in frames:
            con.unregister(name)
    from tasks.identity.roster import aliases_of, rematch_in

    rematch_in(con, agency_of_key, aliases_of(overrides, agency_of_key))  # the rosters follow the agencies


_AGENCY_SCHEMA = {
    "agency_id": pl.Int32,
    "natural_key": pl.Utf8,
    "agency_name": pl.Utf8,
    "short_name": pl.Utf8,
    "division_code": pl.Utf8,
    "province": pl.Utf8,
    "county": pl.Utf8,
    "agency_level": pl.Utf8,
    "agency_kind": pl.Utf8,
    "parent_id": pl.Int32,
    "credit_code": pl.Utf8,
    "first_year": pl.Int32,
    "last_year": pl.Int32,
}
_OVERRIDE_SCHEMA = {
    "seq": pl.Int32,
    "action": pl.Utf8,
    "agency": pl.Utf8,
    "other": pl.Utf8,
    "agency_name": pl.Utf8,
    "reason": pl.Utf8,
    "decided_by": pl.Utf8,
    "decided_at": pl.Datetime,
}


def _agency(agency_id: int, docs: list[Printed], res: Any, key_id: dict[str, int], processed: dict) -> dict:
    """One dim_agency row: named and described as its latest report prints it."""
    latest = max(docs, key=lambda p: (p.report_year or 0, processed.get(p.document_id) or 0, p.document_id))
    keys = sorted({res.keys[p.document_id] for p in docs}, key=lambda k: (key_id[k], k))
    primary = next((k for k in keys if key_id[k] == agency_id), keys[0])
    codes = Counter(division(p.division_code) for p in docs if division(p.division_code))
    code = primary.partition("/")[0] if primary[:6].isdigit() else (codes.most_common(1)[0][0] if codes else None)
    province = county = None
    if code:
        from tasks.parse.divisions import names_of

        province, county = names_of(code, latest.report_year)
    credit = Counter(p.credit_code for p in docs if p.credit_code)
    years = [p.report_year for p in docs if p.report_year]
    return {
        "agency_id": agency_id,
        "natural_key": primary,
        "agency_name": latest.name,
        "short_name": short_name(latest.name),
        "division_code": code,
        "province": province,
        "county": county,
        "agency_level": level_of(code, latest.level),
        "agency_kind": latest.kind,
        "parent_id": None,
        "credit_code": credit.most_common(1)[0][0] if credit else None,
        "first_year": min(years) if years else None,
        "last_year": max(years) if years else None,
    }


def level_of(code: str | None, printed: str | None) -> str | None:
    """The level by the division code (湘乡市 430381 is a county-level city), the name's otherwise
    (townships and ministries are not divisions of the table)."""
    if not code or printed in ("township", "ministry"):
        return printed
    if code[:2] in ("11", "12", "31", "50") and code.endswith("0000"):
        return "province"
    return "province" if code.endswith("0000") else "city" if code.endswith("00") else "county"


def reresolve(warehouse_path: Path, overrides_path: Path | None) -> None:
    """Resolve the agencies again on their own (after an override was recorded), one transaction."""
    overrides = load_overrides(overrides_path)
    with warehouse.writing(warehouse_path) as con:
        con.begin()
        try:
            apply_identities(con, overrides)
            con.commit()
        except Exception:
            con.rollback()
            raise
