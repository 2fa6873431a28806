"""The agency overrides file (TOML): what the identity rules cannot decide, with who, when and why.

    [[override]]
    action = "merge"            # merge | alias | split
    agency = "320813/人民政府"   # natural key of the agency concerned
    other = "320813/区政府"      # merge: the natural key merged into it
    name = "洪泽区政府"           # alias | split: the printed name
    reason = "…"
    by = "wang"
    at = 2025-03-02T10:00:00

Natural keys, not ids, so the file means the same in a warehouse built again from the inbox. By
default it lives beside the warehouse (agencies.toml); it is applied on every load and reprocess.
"""

from __future__ import annotations

import getpass
import json
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ACTIONS = ("merge", "alias", "split")


@dataclass(frozen=True)
class Override:
    action: str
    agency: str
    reason: str
    by: str
    at: datetime
    other: str | None = None
    name: str | None = None

    def as_rule(self) -> dict[str, str]:
        """What tasks/identity/rules.resolve takes."""
        return {k: v for k, v in (("action", self.action), ("agency", self.agency), ("other", self.other),
                                  ("name", self.name)) if v is not None}  # fmt: skip


class OverridesError(ValueError):
    """The overrides file cannot be read or an override is not valid."""


def load_overrides(path: Path | None) -> list[Override]:
    """The overrides in file order; none when there is no file."""
    if path is None or not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise OverridesError(f"{path}: not valid TOML ({exc})") from exc
    out = []
    for i, o in enumerate(data.get("override", []), 1):
        action = o.get("action")
        if action not in ACTIONS or not o.get("agency") or not o.get("reason"):
            raise OverridesError(f"{path}: override {i} needs action ({'|'.join(ACTIONS)}), agency and reason")
        if action == "merge" and not o.get("other") or action != "merge" and not o.get("name"):
            raise OverridesError(f"{path}: override {i} ({action}) needs {'other' if action == 'merge' else 'name'}")
        at = o.get("at")
        when = at if isinstance(at, datetime) else datetime.fromisoformat(str(at)) if at else datetime.min
        out.append(Override(action, o["agency"], o["reason"], o.get("by", ""), when, o.get("other"), o.get("name")))
    return out


def _toml(value: object) -> str:
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def append_override(path: Path, override: Override) -> None:
    """Add one override at the end of the file (created with a header if new)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = (
        []
        if path.exists()
        else ["# Agency overrides (ogi agencies merge|alias|split); applied on every load and reprocess.", ""]
    )
    lines.append("[[override]]")
    for key in ("action", "agency", "other", "name", "reason", "by", "at"):
        value = getattr(override, key)
        if value is not None:
            lines.append(f"{key} = {_toml(value)}")
    with path.open("a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n\n")
    load_overrides(path)  # what was written reads back


def new_override(action: str, agency: str, reason: str, other: str | None = None, name: str | None = None) -> Override:
    if not reason.strip():
        raise OverridesError("a reason is required")
    return Override(action, agency, reason.strip(), getpass.getuser(), datetime.now(), other, name)
