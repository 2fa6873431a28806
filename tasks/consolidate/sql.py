"""Binding parameters to the consolidation's SQL statements."""

from __future__ import annotations

import re
from typing import Any


def bound(statement: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters a statement uses (DuckDB rejects named parameters a statement does not use)."""
    used = set(re.findall(r"\$(\w+)", statement))
    return {k: v for k, v in params.items() if k in used}
