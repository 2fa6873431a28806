"""Small helpers for cutting work into batches and chunks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from tasks.stage import Staged

T = TypeVar("T")


def chunked(items: Sequence[T], size: int) -> list[list[T]]:
    """Consecutive slices of at most `size` items (none for no items)."""
    return [list(items[i : i + size]) for i in range(0, len(items), max(1, size))]


def split(items: Sequence[T], parts: int) -> list[list[T]]:
    """`items` in at most `parts` consecutive slices of nearly equal length (none for no items)."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts if items else 0):
        end = start + size + (1 if i < extra else 0)
        out.append(list(items[start:end]))
        start = end
    return out


def fresh_documents(staged: list[Staged], known: set[str]) -> list[Staged]:
    """The staged documents to extract: not in the warehouse yet, each id once (first name wins)."""
    fresh: dict[str, Staged] = {}
    for s in staged:
        if s.document_id not in known and s.document_id not in fresh:
            fresh[s.document_id] = s
    return list(fresh.values())
