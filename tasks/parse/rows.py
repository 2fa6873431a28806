"""One row's values read from a segment, and what a table parser hands back."""

from __future__ import annotations

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


def row_values(
    seg: Segment,
    width: int,
    totals: tuple[int, ...] = (),
    colmap: dict[str, int] | None = None,
    columns: tuple[str, ...] = T3_COLUMNS,
) -> RowRead:
    """Read `width` values from a segment: by header columns, by position, or by splitting runs."""
    vals = seg.values
    if seg.row and colmap and colmap["ncols"] == seg.ncols:
        by_col = {t.col: t for t in seg.cells}
        out = []
        for key in columns:
            tok = by_col.get(colmap[key])
            out.append(tok.value if tok is not None and tok.kind == "value" else Value(None, "", "missing"))
        return RowRead(out)
    if _is_fixed(vals):
        filled = [t for t in vals if t.value.value is not None]
        if len(filled) == width:
            return RowRead([t.value for t in filled])
        if len(vals) == width:
            return RowRead([t.value for t in vals])
        if len(vals) > width:
            trimmed = list(vals)
            while len(trimmed) > width and trimmed[-1].value.value is None:
                trimmed.pop()
            while len(trimmed) > width and trimmed[0].value.value is None:
                trimmed.pop(0)
            if len(trimmed) == width:
                return RowRead([t.value for t in trimmed])
            return RowRead(
                [t.value for t in vals[:width]], note=f"{len(vals)} values for {width} columns; kept the first {width}"
            )
        padded = [t.value for t in vals] + [Value(None, "", "blank", vals[-1].cell if vals else None)] * (
            width - len(vals)
        )
        return RowRead(
            padded, note=f"only {len(vals)} of {width} cells printed; the last {width - len(vals)} read as blank"
        )
    good, complete = split_runs(vals, width, totals)
    if len(good) == 1 and complete:
        return RowRead(good[0])
    if not good and totals:
        loose, complete = split_runs(vals, width)
        if len(loose) == 1 and complete:
            return RowRead(loose[0], note="the only split of the run breaks the row's own total")
        return RowRead(None, candidates=loose, note=None if complete else "too many readings")
    return RowRead(None, candidates=good, note=None if complete else "too many readings")


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
