"""Ruled tables: grids from the lines and rectangles the producer drew."""

from __future__ import annotations

import statistics
from typing import Any

import pdfplumber

from tasks.read.pdf.cells import Grid, Span
from tasks.read.pdf.geometry import SAME_TABLE_X, BBox, Char, nearest_bound, round_box, slot_of, snap
from tasks.read.pdf.text import cell_text


def ruled_tables(page: pdfplumber.page.Page) -> list[Any]:
    """pdfplumber tables found from drawn rulings only (shading and white fills are not borders)."""
    rulings = [obj for obj in (*page.lines, *page.rects) if _is_ruling(obj)]
    vertical = [o for o in rulings if o["object_type"] == "rect" or o["x1"] - o["x0"] < 1]
    horizontal = [o for o in rulings if o["object_type"] == "rect" or o["bottom"] - o["top"] < 1]
    horizontal += _cut_borders(vertical, horizontal, page.initial_doctop)
    if len(vertical) < 2 or len(horizontal) < 2:
        return []
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": vertical,
        "explicit_horizontal_lines": horizontal,
    }
    # a one-column "table" is a framed paragraph (or shaded text), not a grid
    return [t for t in page.find_tables(settings) if _column_count(t.cells) > 1]


def _cut_borders(vertical: list[Char], horizontal: list[Char], doctop: float) -> list[Char]:
    """Borders a page break left out: where several vertical rulings end at one height with no
    horizontal ruling across them (the producer drew no bottom line above the break), add one.
    """
    ends = sorted((y, v["x0"]) for v in vertical if v["height"] > v["width"] for y in (v["top"], v["bottom"]))
    groups: list[list[tuple[float, float]]] = []
    for y, x in ends:
        if groups and y - groups[-1][-1][0] <= 2:
            groups[-1].append((y, x))
        else:
            groups.append([(y, x)])
    added = []
    for group in groups:
        xs = [x for _, x in group]
        y = statistics.median(y for y, _ in group)
        x0, x1 = min(xs), max(xs)
        if x1 - x0 < 2 * SAME_TABLE_X or any(
            abs(h["top"] - y) <= 2 and h["x0"] <= x0 + 2 and h["x1"] >= x1 - 2 for h in horizontal
        ):
            continue
        added.append(
            {
                "object_type": "line",
                "x0": x0,
                "x1": x1,
                "top": y,
                "bottom": y,
                "doctop": doctop + y,
                "width": x1 - x0,
                "height": 0.0,
            }
        )
    return added


def _is_ruling(obj: Char) -> bool:
    """Whether a line/rect draws a border: stroked, or a filled hairline rectangle."""
    if obj["object_type"] == "line":
        return obj["x1"] - obj["x0"] < 1 or obj["bottom"] - obj["top"] < 1
    return bool(obj.get("stroke")) or min(obj["width"], obj["height"]) <= 2


def _column_count(cells: list[BBox]) -> int:
    """How many grid columns a list of cell boxes spans."""
    return len(snap(x for c in cells for x in (c[0], c[2]))) - 1


def ruled_grid(page: int, bbox: BBox, cells: list[BBox], chars: list[Char]) -> Grid:
    """A grid from pdfplumber's cell rectangles; each char goes to the cell holding its centre."""
    xs = snap(x for c in cells for x in (c[0], c[2]))
    ys = snap(y for c in cells for y in (c[1], c[3]))
    owner = [[-1] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    boxes: list[tuple[BBox, int, int, int, int]] = []
    for cell in cells:
        c0, c1 = nearest_bound(xs, cell[0]), nearest_bound(xs, cell[2])
        r0, r1 = nearest_bound(ys, cell[1]), nearest_bound(ys, cell[3])
        if c1 <= c0 or r1 <= r0:
            continue
        for r in range(r0, r1):
            for c in range(c0, c1):
                if owner[r][c] < 0:
                    owner[r][c] = len(boxes)
        boxes.append((cell, r0, r1, c0, c1))
    for r, row in enumerate(owner):  # slots no rectangle covers (a missing border) stay blank
        for c, idx in enumerate(row):
            if idx < 0:
                row[c] = len(boxes)
                boxes.append(((xs[c], ys[r], xs[c + 1], ys[r + 1]), r, r + 1, c, c + 1))
    texts: list[list[Char]] = [[] for _ in boxes]
    for char in chars:
        r = slot_of(ys, (char["top"] + char["bottom"]) / 2)
        texts[owner[r][slot_of(xs, (char["x0"] + char["x1"]) / 2)]].append(char)
    spans = tuple(
        Span(cell_text(cs), round_box(box), r0, r1, c0, c1) for (box, r0, r1, c0, c1), cs in zip(boxes, texts)
    )
    return Grid(page=page, bbox=round_box(bbox), xs=xs, ys=ys, spans=spans)
