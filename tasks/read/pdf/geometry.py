"""Page geometry shared by the PDF table builders: chars, boxes and snapped grid lines."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Any

Char = dict[str, Any]  # a pdfplumber char: text, x0, x1, top, bottom, size, …
BBox = tuple[float, float, float, float]

SNAP = 1.0  # pt: cell edges closer than this are the same grid line
SAME_TABLE_X = 8.0  # pt: a table on the next page within this of the last one continues it


def snap(values: Iterable[float]) -> tuple[float, ...]:
    """Sorted coordinates with near-duplicates (closer than SNAP) merged."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return tuple(out)


def nearest_bound(bounds: tuple[float, ...], value: float) -> int:
    """Index of the boundary nearest to value."""
    i = bisect.bisect_left(bounds, value)
    if i == 0:
        return 0
    if i == len(bounds):
        return len(bounds) - 1
    return i if bounds[i] - value < value - bounds[i - 1] else i - 1


def slot_of(bounds: tuple[float, ...], value: float) -> int:
    """Index of the row/column (between two boundaries) that holds value."""
    return min(max(bisect.bisect_right(bounds, value) - 1, 0), len(bounds) - 2)


def round_box(bbox: Iterable[float]) -> BBox:
    x0, top, x1, bottom = (round(float(v), 2) for v in bbox)
    return (x0, top, x1, bottom)
