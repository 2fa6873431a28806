"""Which agencies and year a consolidation covers, and the agency list file that names them."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

KINDS = ("department", "government")
TIMEZONE = ZoneInfo("Asia/Shanghai")


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
