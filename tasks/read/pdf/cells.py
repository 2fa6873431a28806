"""The table model of a PDF page (cells covering grid rows and columns) and its blocks."""

from __future__ import annotations

from dataclasses import dataclass

from tasks.read.document import Block, Cell
from tasks.read.grid import covered_text
from tasks.read.pdf.geometry import BBox, round_box
from tasks.read.pdf.text import Line


@dataclass(frozen=True)
class Span:
    """A physical table cell: its text and the grid rows/columns [r0, r1) × [c0, c1) it covers."""

    text: str
    bbox: BBox
    r0: int
    r1: int
    c0: int
    c1: int


@dataclass(frozen=True)
class Grid:
    """One table part on one page; `table` is set when parts are linked across pages."""

    page: int
    bbox: BBox
    xs: tuple[float, ...]  # column boundaries, left to right
    ys: tuple[float, ...]  # row boundaries, top to bottom
    spans: tuple[Span, ...]
    table: int = -1

    @property
    def ncols(self) -> int:
        return len(self.xs) - 1

    @property
    def nrows(self) -> int:
        return len(self.ys) - 1


def expanded(grid: Grid) -> list[list[Cell]]:
    """Rows of the grid, each slot of a merged cell filled by the grid policy (tasks.read.grid)."""
    slots: list[list[tuple[Span, bool, bool] | None]] = [[None] * grid.ncols for _ in range(grid.nrows)]
    for s in grid.spans:
        for r in range(s.r0, s.r1):
            for c in range(s.c0, s.c1):
                if slots[r][c] is None:
                    slots[r][c] = (s, r == s.r0, c == s.c0)
    rows = []
    for r, row in enumerate(slots):
        cells = []
        for c, slot in enumerate(row):
            if slot is None:
                box = round_box((grid.xs[c], grid.ys[r], grid.xs[c + 1], grid.ys[r + 1]))
                cells.append(Cell("", page=grid.page, bbox=box))
                continue
            span, first_row, first_col = slot
            cells.append(Cell(covered_text(span.text, first_row, first_col), page=grid.page, bbox=span.bbox))
        rows.append(cells)
    return rows


def to_blocks(items: list[Line | Grid]) -> tuple[list[Block], list[str]]:
    """Blocks in reading order, and the plain-text lines (each merged cell's text once)."""
    blocks: list[Block] = []
    lines: list[str] = []
    for item in items:
        if isinstance(item, Line):
            if item.text:
                blocks.append(Block("line", (Cell(item.text, page=item.page, bbox=item.bbox),)))
                lines.append(item.text)
            continue
        origins = {(s.r0, s.c0): s.text for s in item.spans if s.text}
        for r, cells in enumerate(expanded(item)):
            blocks.append(Block("row", tuple(cells), table=item.table))
            text = " ".join(t for (r0, _), t in sorted(origins.items()) if r0 == r)
            if text:
                lines.append(text)
    return blocks, lines
