"""Resolving the warehouse's agencies: read what every document prints, group (rules.py), keep the
ids stable, write dim_agency, agency_names and current_reports (warehouse/queries/resolve_identities.sql)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

import warehouse
from tasks.identity.overrides import Override, load_overrides
from tasks.identity.rules import (
    GOVERNMENT_ROLE,
    Printed,
    assign_ids,
    division,
    parent_keys,
    resolve,
    short_name,
)


def apply_identities(con: Any, overrides: list[Override], touched: Sequence[str] | None = None) -> None:
    """Resolve the agencies inside the caller's transaction: of every document, or with `touched`
    (a batch's documents) only of the part of the warehouse they can change (`_component`): at
    national scale a batch must not resolve the whole warehouse again."""
    rules = [o.as_rule() for o in overrides]
    scope, rows = _component(con, list(touched), overrides, rules) if touched is not None else (None, None)
    rows = rows if rows is not None else _documents(con, None)
    printed = [_printed(r) for r in rows]
    held = {r[0]: r[7] for r in rows}
    processed = {r[0]: r[8] for r in rows}
    res = resolve(printed, rules)
    own = dict(con.execute(warehouse.query("agency_keys")).fetchall())
    last_id = con.execute(warehouse.query("next_agency_id")).fetchall()[0][0]
    fresh, ids = assign_ids(res, own, held, last_id)
    key_id = {**own, **fresh}
    agency_of = {p.document_id: ids[res.group[res.keys[p.document_id]]] for p in printed}
    by_agency: dict[int, list[Printed]] = {}
    for p in printed:
        by_agency.setdefault(agency_of[p.document_id], []).append(p)
    agency_of_key = {k: ids[rep] for k, rep in res.group.items()}
    agencies = [_agency(i, docs, res, key_id, processed) for i, docs in sorted(by_agency.items())]
    wanted = [k for a in agencies for k in parent_keys(a["natural_key"], a["agency_level"])]
    key_agency = agency_of_key if scope is None else _key_agencies(con, agency_of_key, wanted)
    for a in agencies:
        a["parent_id"] = _parent(a, key_agency)
    if scope is None:
        reach = {r[0] for r in con.execute(warehouse.query("identity_all_agencies")).fetchall()}
        parents: list[dict] = []
    else:
        reach = set(_held_ids(con, sorted(scope)))
        parents = _reparented(con, agency_of_key, reach | set(by_agency))
    moved = [{"document_id": d, "agency_id": a} for d, a in agency_of.items() if held[d] is not None and held[d] != a]
    frames = {
        "identity_keys": pl.DataFrame(
            [{"natural_key": k, "agency_id": i} for k, i in fresh.items()],
            schema={"natural_key": pl.Utf8, "agency_id": pl.Int32},
        ),
        "identity_documents": pl.DataFrame(
            [{"document_id": d, "agency_id": a, "natural_key": res.keys[d]} for d, a in agency_of.items()],
            schema={"document_id": pl.Utf8, "agency_id": pl.Int32, "natural_key": pl.Utf8},
        ),
        "identity_agencies": pl.DataFrame(agencies, schema=_AGENCY_SCHEMA),
        "identity_parents": pl.DataFrame(parents, schema={"agency_id": pl.Int32, "parent_id": pl.Int32}),
        "identity_scope": pl.DataFrame({"agency_id": sorted(reach | set(by_agency))}, schema={"agency_id": pl.Int32}),
        "identity_moved": pl.DataFrame(moved, schema={"document_id": pl.Utf8, "agency_id": pl.Int32}),
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
        steps = ["resolve_identities"] + (["move_facts"] if moved else [])
        for stmt in (s for step in steps for s in warehouse.statements(warehouse.query(step))):
            con.execute(stmt)
    finally:
        for name in frames:
            con.unregister(name)
    from tasks.identity.roster import aliases_of, has_rosters, rematch_in

    if has_rosters(con):  # the rosters follow the agencies
        keys = agency_of_key if scope is None else {**_all_key_agencies(con), **agency_of_key}
        rematch_in(con, keys, aliases_of(overrides, keys))


def _documents(con: Any, ids: list[str] | None) -> list[tuple]:
    """identity_documents.sql's rows: of the documents `ids`, or of every document."""
    return con.execute(warehouse.query("identity_documents"), {"ids": ids}).fetchall()


def _printed(row: tuple) -> Printed:
    return Printed(*row[:7])


def _held_ids(con: Any, ids: list[str]) -> list[int]:
    return [r[0] for r in con.execute(warehouse.query("identity_held"), {"ids": ids}).fetchall()]


def _component(
    con: Any, touched: list[str], overrides: list[Override], rules: list[dict]
) -> tuple[set[str] | None, list[tuple] | None]:
    """The touched documents and every document resolved with them: sharing a natural key (after the
    overrides; a merge takes its other key along), a credit code or an agency, to a fixed point. On
    such a closed part the rules group exactly as on the whole warehouse. Returns the part and its
    identity_documents rows; (None, None): resolve everything (documents never keyed, before 010)."""
    if con.execute(warehouse.query("identity_unkeyed"), {"ids": touched}).fetchall()[0][0]:
        return None, None
    merges = [(o.agency, o.other) for o in overrides if o.action == "merge" and o.other]
    scope = set(touched)
    while True:
        rows = _documents(con, sorted(scope))
        printed = [_printed(r) for r in rows]
        keys = set(resolve(printed, rules).keys.values())
        keys |= {b for a, b in merges if a in keys} | {a for a, b in merges if b in keys}
        params = {
            "keys": sorted(keys),
            "codes": sorted({p.credit_code for p in printed if p.credit_code}),
            "agencies": sorted(set(_held_ids(con, sorted(scope)))),
        }
        grown = scope | {r[0] for r in con.execute(warehouse.query("identity_neighbours"), params).fetchall()}
        if grown == scope:
            return scope, rows
        scope = grown


def _parent(agency: dict, key_agency: Mapping[str, int]) -> int | None:
    """The nearest government above the agency that the warehouse knows (rules.parent_keys)."""
    parents = [key_agency.get(k) for k in parent_keys(agency["natural_key"], agency["agency_level"])]
    return next((p for p in parents if p is not None and p != agency["agency_id"]), None)


def _key_agencies(con: Any, resolved: Mapping[str, int], keys: list[str]) -> dict[str, int]:
    """Natural key → agency for `keys`: as just resolved, else as the warehouse holds it."""
    rest = sorted({k for k in keys if k not in resolved})
    known = dict(con.execute(warehouse.query("identity_key_agencies"), {"keys": rest}).fetchall()) if rest else {}
    return {**known, **resolved}


def _all_key_agencies(con: Any) -> dict[str, int]:
    return dict(con.execute(warehouse.query("identity_key_agencies_all")).fetchall())


def _reparented(con: Any, resolved: Mapping[str, int], scope: set[int]) -> list[dict]:
    """Agencies outside the scope whose parent is a government this resolution gave another agency
    (new, merged or split off): (agency_id, parent_id) where it changed. Before the writes."""
    governments = [k for k in resolved if k.endswith("/" + GOVERNMENT_ROLE)]
    before = dict(con.execute(warehouse.query("identity_key_agencies"), {"keys": governments}).fetchall())
    governments = [k for k in governments if before.get(k) != resolved[k]]
    prefixes = sorted({code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code
                       for code in (k.partition("/")[0] for k in governments) if code.isdigit()})  # fmt: skip
    if not prefixes:
        return []
    children = [c for c in con.execute(warehouse.query("identity_children"), {"prefixes": prefixes}).fetchall()
                if c[0] not in scope]  # fmt: skip
    wanted = [k for _, key, level, _ in children for k in parent_keys(key, level)]
    key_agency = _key_agencies(con, resolved, wanted)
    out = []
    for agency_id, key, level, parent_id in children:
        new = _parent({"agency_id": agency_id, "natural_key": key, "agency_level": level}, key_agency)
        if new != parent_id:
            out.append({"agency_id": agency_id, "parent_id": new})
    return out


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
