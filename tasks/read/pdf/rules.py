"""Ruled tables: grids from the lines and rectangles the producer drew."""

from __future__ import annotations

import itertools
import statistics
from typing import Any

import pdfplumber

from tasks.read.pdf.cells import Grid, Span
from tasks.read.pdf.geometry import SAME_TABLE_X, BBox, Char, nearest_bound, round_box, slot_of, snap
from tasks.read.pdf.text import cell_text

THIN = 2.0  # pt: a filled rectangle (or path) at most this wide or high is a drawn rule
WHITE = 0.9  # luminance from which a paint is paper-coloured, not a line


def ruled_tables(page: pdfplumber.page.Page) -> list[Any]:
    """pdfplumber tables found from drawn rulings only (shading and white fills are not borders)."""
    rulings = [obj for obj in (*page.lines, *page.rects, *_path_pieces(page.curves)) if _is_ruling(obj)]
    vertical = [o for o in rulings if o["object_type"] == "rect" or o["x1"] - o["x0"] < 1]
    horizontal = [o for o in rulings if o["object_type"] == "rect" or o["bottom"] - o["top"] < 1]
    horizontal += _cut_borders(vertical, horizontal, page.initial_doctop, vertical=True)
    vertical += _cut_borders(horizontal, vertical, page.initial_doctop, vertical=False)
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


def _cut_borders(across: list[Char], along: list[Char], doctop: float, vertical: bool) -> list[Char]:
    """Borders the producer left out: where several rulings `across` end at one place with no
    ruling `along` through their ends, add one. Vertical rulings ending at one height are a
    table cut by a page break with no bottom line above it; horizontal rulings ending at one x
    are a table wider than the printable area whose outer border was clipped (a browser's print).
    """
    lo, hi, at0, at1 = ("top", "bottom", "x0", "x1") if vertical else ("x0", "x1", "top", "bottom")
    long = [o for o in across if o[hi] - o[lo] > o[at1] - o[at0]]
    crossing = [a for a in along if a[at1] - a[at0] > a[hi] - a[lo]]
    # an end that no ruling crosses, and that no segment in line carries on from (borders drawn
    # cell by cell)
    ends = sorted(
        (o[end], o[at0])
        for o in long
        for end in (lo, hi)
        if not _goes_on(o, end == hi, long, lo, hi, at0)
        and not any(a[lo] - 2 <= o[end] <= a[hi] + 2 and a[at0] - 2 <= o[at0] <= a[at1] + 2 for a in crossing)
    )
    groups: list[list[tuple[float, float]]] = []
    for pos, at in ends:
        if groups and pos - groups[-1][-1][0] <= 2:
            groups[-1].append((pos, at))
        else:
            groups.append([(pos, at)])
    added = []
    for group in groups:
        ats = [at for _, at in group]
        pos = statistics.median(p for p, _ in group)
        a0, a1 = min(ats), max(ats)
        if a1 - a0 < 2 * SAME_TABLE_X:
            continue
        if vertical:
            box = {"x0": a0, "x1": a1, "top": pos, "bottom": pos, "width": a1 - a0, "height": 0.0}
        else:
            box = {"x0": pos, "x1": pos, "top": a0, "bottom": a1, "width": 0.0, "height": a1 - a0}
        added.append({"object_type": "line", **box, "doctop": doctop + box["top"]})
    return added


def _goes_on(seg: Char, at_end: bool, others: list[Char], lo: str, hi: str, at: str) -> bool:
    """Whether another segment in line with `seg` carries on past its end (or its start)."""
    tip = seg[hi] if at_end else seg[lo]
    for other in others:
        if other is seg or abs(other[at] - seg[at]) > 1 or not other[lo] - 1 <= tip <= other[hi] + 1:
            continue
        if (other[hi] > tip + 1) if at_end else (other[lo] < tip - 1):
            return True
    return False


def _path_pieces(curves: list[Char]) -> list[Char]:
    """Borders drawn as paths (browsers fill each border as a thin polygon; others stroke a
    polyline): a thin filled path as the rectangle it covers, a stroked one as its straight
    horizontal and vertical segments."""
    pieces: list[Char] = []
    for curve in curves:
        if curve.get("fill") and min(curve["width"], curve["height"]) <= THIN:
            pieces.append({**curve, "object_type": "rect", "stroke": False})
        if not curve.get("stroke"):
            continue
        for (xa, ya), (xb, yb) in itertools.pairwise(curve["pts"]):
            if abs(xa - xb) < 1 or abs(ya - yb) < 1:
                x0, x1, top, bottom = min(xa, xb), max(xa, xb), min(ya, yb), max(ya, yb)
                pieces.append(
                    {
                        **curve,
                        "object_type": "line",
                        "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                        "doctop": curve["doctop"] - curve["top"] + top,
                        "width": x1 - x0, "height": bottom - top,
                    }
                )  # fmt: skip
    return pieces


def _is_ruling(obj: Char) -> bool:
    """Whether a line/rect draws a border: a stroke or a hairline fill, in ink that shows on
    white paper (white and near-white hairlines are gaps, wide fills are shading)."""
    if obj["object_type"] == "line":
        thin = obj["x1"] - obj["x0"] < 1 or obj["bottom"] - obj["top"] < 1
        return thin and _shows(obj.get("stroking_color"))
    if obj.get("stroke") and _shows(obj.get("stroking_color")):
        return True
    return bool(obj.get("fill")) and min(obj["width"], obj["height"]) <= THIN and _shows(obj.get("non_stroking_color"))


def _shows(colour: object) -> bool:
    """Whether a paint colour is dark enough to be seen as a line on white paper (grey, RGB or
    CMYK; an unset colour is black, a pattern is taken to show)."""
    if colour is None or isinstance(colour, str):
        return True
    if isinstance(colour, (int, float)):
        colour = (colour,)
    values = [float(v) for v in colour if isinstance(v, (int, float))]  # type: ignore[union-attr]
    if len(values) == 1:
        light = values[0]
    elif len(values) == 3:
        light = 0.299 * values[0] + 0.587 * values[1] + 0.114 * values[2]
    elif len(values) == 4:
        c, m, y, k = values
        light = (1 - k) * (0.299 * (1 - c) + 0.587 * (1 - m) + 0.114 * (1 - y))
    else:
        return True
    return light < WHITE


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
