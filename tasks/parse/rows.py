"""One row's values read from a segment, and what a table parser hands back."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from tasks.keys import T3_COLUMNS
from tasks.parse.cells import Value
from tasks.parse.runs import split_runs
from tasks.parse.segments import Segment
from tasks.parse.tokens import Tok


@dataclass
class RowRead:
    """One row's values, or (while its digits still split several ways) the candidate readings."""

    values: list[Value] | None  # None while ambiguous
    candidates: list[list[Value]] = field(default_factory=list)
    note: str | None = None
    complete: bool = True  # False: the search stopped early, `candidates` are not all the readings


def row_values(
    seg: Segment,
    width: int,
    totals: tuple[int, ...] = (),
    colmap: dict[str, int] | None = None,
    columns: tuple[str, ...] = T3_COLUMNS,
    until: int | None = None,
) -> RowRead:
    """Read `width` values from a segment: by header columns, by position, or by splitting runs.
    `until` is the line the next segment starts on (where a text row's blank cells may sit)."""
    vals = seg.values
    if seg.row and colmap and colmap["ncols"] == seg.ncols and seg.cells[0].placed is not False:
        by_col = {t.col: t for t in seg.cells}
        out = []
        for key in columns:
            tok = by_col.get(colmap[key])
            out.append(tok.value if tok is not None and tok.kind == "value" else Value(None, "", "missing"))
        return RowRead(out)
    if _is_fixed(vals):
        if not seg.row and (placed := _by_lines(seg, width, until)) is not None:
            return RowRead(placed)
        return _aligned(vals, width)
    good, complete = split_runs(vals, width, totals)
    if len(good) == 1 and complete:
        return RowRead(good[0])
    if not good and totals:
        loose, complete = split_runs(vals, width)
        if len(loose) == 1 and complete:
            return RowRead(loose[0], note="the only split of the run breaks the row's own total")
        return RowRead(None, candidates=loose, note=None if complete else "too many readings", complete=complete)
    return RowRead(None, candidates=good, note=None if complete else "too many readings", complete=complete)


def _aligned(vals: list[Tok], width: int) -> RowRead:
    """Cells printed one per field, placed without assuming where blanks are.

    Every reading the printed fields allow is tried: the fields as they are, and (when the row
    opened with a bar that may close a blank first cell) with that blank in front; blanks beyond the
    width may be dropped at either edge, and when the row prints exactly `width` numbers the blanks
    are not cells. One reading: its values. None, or several that differ: every cell null
    ("ambiguous"), never a shifted value.
    """
    variants = [[t.value for t in vals]]
    if vals and vals[0].open_lead and vals[0].col == 0:
        variants.append([Value(None, "", "blank", vals[0].cell), *variants[0]])
    readings: dict[tuple, list[Value]] = {}
    for fields in variants:
        for reading in _fits(fields, width, placed=bool(vals) and vals[0].placed is True):
            readings.setdefault(tuple((v.value, v.meaning) for v in reading), reading)
    if len(readings) == 1:
        return RowRead(next(iter(readings.values())))
    at = vals[0].cell if vals else None
    why = (
        f"{len(vals)} printed fields fit {width} columns {len(readings)} ways"
        if readings
        else f"{len(vals)} printed fields for {width} columns: where the blanks are is unknown"
    )
    return RowRead([Value(None, "", "ambiguous", at) for _ in range(width)], note=f"{why}; left null")


def _by_lines(seg: Segment, width: int, until: int | None) -> list[Value] | None:
    """A text row printed one cell per line at a fixed line spacing, with fewer cells than the
    width: its blank cells are the empty lines of that spacing between its label and the next
    row. Placed only when the label, every cell and the next row all sit on the one spacing and the
    empty slots are exactly the missing cells; None otherwise."""
    vals = seg.values
    lines = [t.cell.line for t in vals]
    label = seg.labels[-1].cell.line if seg.labels else None
    if (
        len(vals) >= width
        or not vals
        or label is None
        or until is None
        or any(n is None for n in lines)
        or any(t.cell.page is not None for t in vals)
        or len({t.cell.line for t in seg.labels[-1:]} | {lines[0]}) != 2
    ):
        return None
    step = lines[1] - lines[0] if len(lines) > 1 else lines[0] - label
    grid = [label + step * i for i in range(1, (until - label) // step + 1)]
    if step < 2 or (until - label) % step or any(n not in grid for n in lines) or len(grid) - 1 != width:
        return None
    if any(b - a != step for a, b in zip(lines, lines[1:])):
        return None
    at = {t.cell.line: t.value for t in vals}
    return [at.get(n, Value(None, "", "blank", vals[-1].cell)) for n in grid[:-1]]


def _fits(fields: list[Value], width: int, placed: bool = False) -> list[list[Value]]:
    """Readings of one field list as `width` cells that assume nothing about unprinted cells
    (a placed row's blanks are cells where they are: never dropped to make it fit)."""
    filled = [v for v in fields if v.value is not None]
    if len(filled) == width:
        return [filled]
    if len(fields) == width:
        return [fields]
    if placed:
        return []
    out = []
    extra = len(fields) - width
    for lead in range(max(extra, 0) + 1) if extra > 0 else ():
        cut = fields[lead : lead + width]
        dropped = fields[:lead] + fields[lead + width :]
        if all(v.value is None and v.meaning == "blank" for v in dropped):
            out.append(cut)
    return out


def placements(vals: list[Tok], width: int) -> list[list[Value]]:
    """Every way the printed fields of a short row (fewer than `width`) sit in the columns, in
    printed order; an unfilled column is null ("ambiguous": lost or blank, the row does not say).
    Only other evidence (the prose) may choose among them."""
    if not vals or len(vals) >= width or not _is_fixed(vals):
        return []
    at = vals[0].cell
    out = []
    for cols in itertools.combinations(range(width), len(vals)):
        row = [Value(None, "", "ambiguous", at) for _ in range(width)]
        for c, t in zip(cols, vals):
            row[c] = t.value
        out.append(row)
    return out


def _is_fixed(values: list[Tok]) -> bool:
    """Whether every value was printed in a cell of its own (no digit run to split)."""
    return all(t.kind == "value" for t in values)


@dataclass
class TableRead:
    """What a table parser found: cells by row, the segment it stopped at, and its warnings."""

    cells: dict[str, dict[str, Value]]
    end: int
    warnings: list[str]
    layout: str | None = None  # "2021" | "2019" (table 3: whether (六) is split)


def blank_row(width: int, tok: Tok | None) -> list[Value]:
    """A row printed with its label but no numbers: every cell blank, placed at the label."""
    return [Value(None, "", "blank", tok.cell if tok else None) for _ in range(width)]
