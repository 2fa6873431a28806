"""Administrative divisions named in an agency's name (GB/T 2260 codes, with the years each was valid).

The table is python-stdnum's historical code list (cn/loc.dat): codes with their names over time,
so 洪泽区 resolves to 320813 for a report on 2023 and 洪泽县 to 320829 for one on 2015.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

_ENTRY = re.compile(r"\[(\d*)-(\d*)\]([^,\[]+)|^([^\[,][^,]*)$")


@cache
def _table() -> tuple[dict[str, list[tuple[str, int, int]]], dict[str, list[tuple[str, int, int]]]]:
    """(name → [(code, first year, last year)], code → [(name, first, last)]) from cn/loc.dat."""
    import stdnum

    path = Path(stdnum.__file__).parent / "cn" / "loc.dat"
    by_name: dict[str, list[tuple[str, int, int]]] = {}
    by_code: dict[str, list[tuple[str, int, int]]] = {}
    province = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line[0] == "#":
            continue
        indented = line[0] == " "
        code, _, rest = line.strip().partition(" ")
        value = rest.split('"')[1]
        if not indented:
            province, full, parts = code, code + "0000", [(value, 0, 9999)]
        else:
            full, parts = province + code, []
            for part in value.split(","):
                if part.startswith("["):
                    span, _, name = part[1:].partition("]")
                    first, _, last = span.partition("-")
                    parts.append((name, int(first or 0), int(last or 9999)))
                else:
                    parts.append((part, 0, 9999))
        for name, first, last in parts:
            by_code.setdefault(full, []).append((name, first, last))
            if name not in ("市辖区", "县", "省直辖县级行政区划"):
                by_name.setdefault(name, []).append((full, first, last))
    return by_name, by_code


def _names() -> dict[str, list[tuple[str, int, int]]]:
    return _table()[0]


@cache
def _longest() -> int:
    """The longest division name (海西蒙古族藏族自治州 has 10 characters)."""
    return max(len(name) for name in _names())


def names_of(code: str, year: int | None = None) -> tuple[str | None, str | None]:
    """(province, county or city) names of a 6-digit code, as named in `year` when known."""
    by_code = _table()[1]

    def pick(c: str) -> str | None:
        entries = by_code.get(c) or []
        valid = [n for n, first, last in entries if year is None or first <= year <= last]
        return (valid or [n for n, _, _ in entries] or [None])[-1]

    province = pick(code[:2] + "0000")
    return province, (pick(code) if not code.endswith("0000") else None)


@lru_cache(maxsize=4096)  # pure (the table is fixed); an agency reports every year
def division_from_name(agency: str, year: int | None) -> str | None:
    """The one division code the agency's name points to (most specific level), or None."""
    names = _names()
    found: list[tuple[str, list[str]]] = []
    for size in range(_longest(), 1, -1):
        for i in range(len(agency) - size + 1):
            piece = agency[i : i + size]
            if piece in names and not any(piece in other for other, _ in found):
                # valid in the report year or the next, when the report is published (a place renamed
                # then prints its new name on the report about the year before)
                codes = [c for c, first, last in names[piece] if year is None or (first <= year + 1 and year <= last)]
                # a name the table gives another period only (a report naming its place as it is
                # called later, or earlier) still counts when that name has only ever meant one place
                codes = codes or ([c for c, _, _ in names[piece]] if len({c for c, _, _ in names[piece]}) == 1 else [])
                if codes:
                    found.append((piece, _one_place(names[piece], codes, year)))
    if not found:
        return None
    found.sort(key=lambda f: -_level(f[1][0]))
    name, codes = found[0]
    for _, outer in found[1:]:  # a city or province in the name narrows a county name down
        narrowed = [c for c in codes if any(c.startswith(o.rstrip("0")[:4] if o.endswith("00") else o) for o in outer)]
        codes = narrowed or codes
    return codes[0] if len(codes) == 1 else None


def names_a_division(agency: str) -> bool:
    """Whether the name contains a known division's name (of three characters or more: 上海市,
    金东区, 盘州市…; the two-character ones such as 新区 or 市区 are words of page chrome too, except
    a county's that the name starts with: 泗县行政服务中心, 凤县…)."""
    names = _names()
    if len(agency) > 2 and agency[1] in "县旗" and agency[:2] in names:
        return True
    return any(
        agency[i : i + size] in names
        for size in range(min(_longest(), len(agency)), 2, -1)
        for i in range(len(agency) - size + 1)
    )


def _one_place(entries: list[tuple[str, int, int]], codes: list[str], year: int | None) -> list[str]:
    """The codes of a name, with codes of one place over time (a place renumbered, 230704 → 230719)
    counted once: the code valid in the report year where there is one, else the latest."""
    places: dict[str, list[str]] = {}
    for c in sorted(set(codes)):
        places.setdefault(current_code(c), []).append(c)
    chosen = []
    for latest, same in places.items():
        valid = [c for c in same if year is None or any(c == e and f <= year <= last for e, f, last in entries)]
        chosen.append(valid[0] if len(valid) == 1 else latest if latest in same else same[-1])
    return sorted(chosen)


def narrower(code: str, outer: str) -> bool:
    """True when `code` is a more specific division inside `outer` (430381 inside 430300)."""
    return _level(code) > _level(outer) and code.startswith(_prefix(outer))


def _prefix(code: str) -> str:
    """The digits that every division inside `code` shares: 43 for 430000, 4303 for 430300."""
    return code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code


def _level(code: str) -> int:
    """2 for a county, 1 for a city, 0 for a province."""
    return 0 if code.endswith("0000") else 1 if code.endswith("00") else 2


def local_role(agency: str) -> str:
    """The agency's name without the division names in it: 淮安市洪泽区人民政府 → 人民政府."""
    names = _names()
    role = agency
    for size in range(_longest(), 1, -1):
        for i in range(len(agency) - size + 1):
            piece = agency[i : i + size]
            if piece in names and piece in role:
                role = role.replace(piece, "", 1)
    return role


_COUNTY_SUFFIX = re.compile(r"(自治县|自治旗|特区|林区|县|区|市|旗)$")


@cache
def _successions() -> dict[str, str]:
    """code → the code that took over the same place name (洪泽县 320829 → 洪泽区 320813): a county-level
    code whose name, without 县/区/市/旗, a later code of the same city bears after it ended."""
    by_code = _table()[1]
    by_stem: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
    for code, entries in by_code.items():
        if _level(code) != 2:
            continue
        for name, first, last in entries:
            stem = _COUNTY_SUFFIX.sub("", name)
            if stem and name != "市辖区":
                by_stem.setdefault((code[:4], stem), []).append((code, first, last))
    out: dict[str, str] = {}
    for spans in by_stem.values():
        for code, _, last in spans:
            later = [(c_last, c) for c, c_first, c_last in spans if c != code and c_first >= last and c_last > last]
            if later:
                out[code] = max(later)[1]
    return out


def current_code(code: str) -> str:
    """The latest code of the place `code` names, following renames such as 县 → 区 (GB/T 2260)."""
    seen = {code}
    nxt = _successions().get(code)
    while nxt and nxt not in seen:
        seen.add(nxt)
        code, nxt = nxt, _successions().get(nxt)
    return code
