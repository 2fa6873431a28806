"""Administrative divisions named in an agency's name (GB/T 2260 codes, with the years each was valid).

The table is python-stdnum's historical code list (cn/loc.dat): codes with their names over time,
so 洪泽区 resolves to 320813 for a report on 2023 and 洪泽县 to 320829 for one on 2015.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_ENTRY = re.compile(r"\[(\d*)-(\d*)\]([^,\[]+)|^([^\[,][^,]*)$")


@cache
def _names() -> dict[str, list[tuple[str, int, int]]]:
    """name → [(6-digit code, first year, last year)] for every province, city and county name."""
    import stdnum

    path = Path(stdnum.__file__).parent / "cn" / "loc.dat"
    names: dict[str, list[tuple[str, int, int]]] = {}
    province = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            code, _, rest = line.partition(" ")
            province = code
            value = rest.split('"')[1]
            names.setdefault(value, []).append((code + "0000", 0, 9999))
            continue
        code, _, rest = line.strip().partition(" ")
        value = rest.split('"', 1)[1].rstrip('"')
        for part in value.split(","):
            m = re.match(r"\[(\d*)-(\d*)\](.+)", part.strip())
            first, last, name = (int(m.group(1) or 0), int(m.group(2) or 9999), m.group(3)) if m else (0, 9999, part)
            if name not in ("市辖区", "县", "省直辖县级行政区划"):
                names.setdefault(name, []).append((province + code, first, last))
    return names


def division_from_name(agency: str, year: int | None) -> str | None:
    """The one division code the agency's name points to (most specific level), or None."""
    names = _names()
    found: list[tuple[str, list[str]]] = []
    for size in range(8, 1, -1):
        for i in range(len(agency) - size + 1):
            piece = agency[i:i + size]
            if piece in names and not any(piece in other for other, _ in found):
                codes = [c for c, first, last in names[piece] if year is None or first <= year <= last]
                if codes:
                    found.append((piece, sorted(set(codes))))
    if not found:
        return None
    found.sort(key=lambda f: -_level(f[1][0]))
    name, codes = found[0]
    for _, outer in found[1:]:  # a city or province in the name narrows a county name down
        narrowed = [c for c in codes if any(c.startswith(o.rstrip("0")[:4] if o.endswith("00") else o) for o in outer)]
        codes = narrowed or codes
    return codes[0] if len(codes) == 1 else None


def _level(code: str) -> int:
    """2 for a county, 1 for a city, 0 for a province."""
    return 0 if code.endswith("0000") else 1 if code.endswith("00") else 2


def local_role(agency: str) -> str:
    """The agency's name without the division names in it: 淮安市洪泽区人民政府 → 人民政府."""
    names = _names()
    role = agency
    for size in range(8, 1, -1):
        for i in range(len(agency) - size + 1):
            piece = agency[i:i + size]
            if piece in names and piece in role:
                role = role.replace(piece, "", 1)
    return role
