"""Which documents are one agency: plain rules over what each report prints (no warehouse, no Prefect).

An agency's natural key is the division it belongs to at the right level plus its name without
place names: 洪泽区人民政府 (2023) and 淮安市洪泽区人民政府 (2024) are both `320813/人民政府`. The
division is the latest code of the place (洪泽县 320829 became 洪泽区 320813, one agency across the
rename); without a division code the key is the full printed name. Documents printing one valid
unified social credit code are one agency too (when their kinds agree). Overrides (merge, alias,
split; tasks/identity/overrides.py) decide what the rules cannot.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

GOVERNMENT_ROLE = "人民政府"


@dataclass(frozen=True)
class Printed:
    """What one document says about its issuing agency."""

    document_id: str
    name: str
    report_year: int | None = None
    division_code: str | None = None
    credit_code: str | None = None
    level: str | None = None  # ministry | province | city | county | township
    kind: str | None = None  # government | department


def clean_name(name: str) -> str:
    """The printed name compared as text: NFKC, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def short_name(name: str) -> str:
    """The name without the place names in it: 淮安市洪泽区人民政府 → 人民政府, 洪泽区政府 → 人民政府."""
    from tasks.parse.divisions import local_role

    role = local_role(clean_name(name)) or clean_name(name)
    return GOVERNMENT_ROLE if role in ("政府", GOVERNMENT_ROLE) else role


def division(code: str | None) -> str | None:
    """The division code an agency is keyed by: the latest code of the same place."""
    if not code or not re.fullmatch(r"\d{6}", code):
        return None
    from tasks.parse.divisions import current_code

    return current_code(code)


def natural_key(p: Printed) -> str:
    """`division/short name`, or `name:full name` when no division code is known."""
    code = division(p.division_code)
    return f"{code}/{short_name(p.name)}" if code else f"name:{clean_name(p.name)}"


def government_key(code: str) -> str:
    return f"{code}/{GOVERNMENT_ROLE}"


def parent_keys(key: str, level: str | None) -> list[str]:
    """Natural keys the agency's parent may have, nearest first: a department or a town → the
    government of its division; a county government → its city's, a city's → its province's."""
    code, _, role = key.partition("/")
    if not re.fullmatch(r"\d{6}", code):
        return []
    if role != GOVERNMENT_ROLE:
        return [government_key(code)]
    if level in ("province", "ministry") or code.endswith("0000"):
        return []
    if code.endswith("00"):
        return [government_key(code[:2] + "0000")]
    return [government_key(code[:4] + "00"), government_key(code[:2] + "0000")]


class _Groups:
    """Union-find over natural keys."""

    def __init__(self) -> None:
        self.up: dict[str, str] = {}

    def find(self, k: str) -> str:
        self.up.setdefault(k, k)
        while self.up[k] != k:
            self.up[k] = self.up[self.up[k]]
            k = self.up[k]
        return k

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.up[max(ra, rb)] = min(ra, rb)


@dataclass(frozen=True)
class Resolution:
    """Document → natural key, and natural key → the group (one agency) it belongs to."""

    keys: dict[str, str]  # document_id → its own natural key (after alias/split)
    group: dict[str, str]  # natural key → the group's representative key


def resolve(printed: Iterable[Printed], overrides: Iterable[Mapping[str, str]] = ()) -> Resolution:
    """Group documents into agencies by natural key and credit code, then apply the overrides in the
    order recorded: alias (documents printing NAME belong to agency KEY), split (documents printing
    NAME are an agency of their own), merge (two agencies are one)."""
    docs = list(printed)
    keys = {p.document_id: natural_key(p) for p in docs}
    pinned: set[str] = set()
    merges: list[tuple[str, str]] = []
    for o in overrides:
        action = o.get("action")
        if action in ("alias", "split"):
            name = clean_name(o["name"])
            for p in docs:
                if clean_name(p.name) == name:
                    keys[p.document_id] = o["agency"] if action == "alias" else f"split:{name}"
                    pinned.add(p.document_id)
        elif action == "merge":
            merges.append((o["agency"], o["other"]))
    groups = _Groups()
    for k in keys.values():
        groups.find(k)
    by_code: dict[str, tuple[str, str | None]] = {}
    for p in docs:
        if not p.credit_code or p.document_id in pinned:
            continue
        seen = by_code.setdefault(p.credit_code, (keys[p.document_id], p.kind))
        if seen[1] == p.kind:
            groups.union(seen[0], keys[p.document_id])
    for a, b in merges:
        groups.union(a, b)
    return Resolution(keys, {k: groups.find(k) for k in groups.up})


def assign_ids(
    resolution: Resolution,
    own: Mapping[str, int],
    held: Mapping[str, int | None],
    last_id: int,
) -> tuple[dict[str, int], dict[str, int]]:
    """(new natural key → its own id, group representative → agency id).

    Every key keeps the id it was first given (`own`); a new key takes the id its documents hold
    already (`held`, a warehouse from before migration 006) when no other key has it, else a new
    one. An agency is the smallest id of its keys, so merging two keeps the older id and undoing
    the merge gives the other its id back."""
    taken = set(own.values())
    fresh: dict[str, int] = {}
    docs_of: dict[str, list[str]] = {}
    for doc, key in resolution.keys.items():
        docs_of.setdefault(key, []).append(doc)
    for key in sorted(resolution.group):
        if key in own:
            continue
        counts: dict[int, int] = {}
        for doc in docs_of.get(key, []):
            if (i := held.get(doc)) is not None:
                counts[i] = counts.get(i, 0) + 1
        reuse = [i for i, _ in sorted(counts.items(), key=lambda c: (-c[1], c[0])) if i not in taken]
        if reuse:
            fresh[key] = reuse[0]
        else:
            last_id += 1
            while last_id in taken:
                last_id += 1
            fresh[key] = last_id
        taken.add(fresh[key])
    ids: dict[str, int] = {}
    for key, rep in resolution.group.items():
        i = own.get(key, fresh.get(key))
        assert i is not None
        ids[rep] = min(ids.get(rep, i), i)
    return fresh, ids
