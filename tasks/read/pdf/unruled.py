"""Unruled tables: columns from where the numbers of consecutive lines line up."""

from __future__ import annotations

import itertools

from tasks.read.grid import is_number
from tasks.read.pdf.cells import Grid, Span
from tasks.read.pdf.geometry import Char, round_box
from tasks.read.pdf.text import Line, cell_text, clean, join_chars

UNRULED_MIN_ROWS = 3  # rows of numbers needed before word positions are read as a table


def unruled_grids(page: int, lines: list[Line]) -> tuple[list[Grid], list[Line]]:
    """Runs of lines whose numbers line up in columns, as grids; the other lines untouched."""
    segments = [list(line.segments) for line in lines]
    numeric = [sum(is_number(clean(join_chars(s))) for s in segs) for segs in segments]
    anchors = [i for i, n in enumerate(numeric) if n >= 2]
    grids: list[Grid] = []
    used: set[int] = set()
    for run in _runs(anchors, lines):
        if len(run) < UNRULED_MIN_ROWS:
            continue
        first = run[0]
        while first > 0 and first - 1 not in used and first > run[0] - 3:
            if len(segments[first - 1]) < 2:  # header lines have several cells too
                break
            first -= 1
        members = range(first, run[-1] + 1)
        grid = _unruled_grid(
            page,
            [lines[i] for i in members],
            [segments[i] for i in members],
            [i in run for i in members],
        )
        if grid is not None:
            grids.append(grid)
            used.update(members)
    return grids, [line for i, line in enumerate(lines) if i not in used]


def _runs(anchors: list[int], lines: list[Line]) -> list[list[int]]:
    """Anchor lines grouped into runs: at most two other lines and no wide vertical gap between."""
    runs: list[list[int]] = []
    for i in anchors:
        if runs:
            last = runs[-1][-1]
            height = lines[last].bbox[3] - lines[last].bbox[1]
            gap = lines[i].bbox[1] - lines[last].bbox[3]
            if i - last <= 3 and gap <= 4 * height:
                runs[-1].append(i)
                continue
        runs.append([i])
    return runs


def _unruled_grid(page: int, lines: list[Line], segments: list[list[list[Char]]], is_anchor: list[bool]) -> Grid | None:
    """A grid for one run: columns where the anchor rows' cells overlap, other lines attached."""
    intervals = sorted(
        (min(c["x0"] for c in s), max(c["x1"] for c in s))
        for segs, anchor in zip(segments, is_anchor)
        if anchor
        for s in segs
    )
    columns: list[list[float]] = []
    for x0, x1 in intervals:
        if columns and x0 <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    if len(columns) < 3:
        return None
    rows = _unruled_rows(lines, is_anchor)
    xs = tuple([columns[0][0]] + [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(columns)] + [columns[-1][1]])
    ys = tuple([lines[rows[0][0]].bbox[1]] + [lines[r[-1]].bbox[3] for r in rows])
    cells: list[list[list[Char]]] = [[[] for _ in columns] for _ in rows]
    for r, members in enumerate(rows):
        for i in members:
            for seg in segments[i]:
                cells[r][_column_of(seg, columns)].extend(seg)
    spans = []
    for r, row in enumerate(cells):
        for c, chars in enumerate(row):
            if chars:
                box = round_box(
                    (
                        min(ch["x0"] for ch in chars),
                        min(ch["top"] for ch in chars),
                        max(ch["x1"] for ch in chars),
                        max(ch["bottom"] for ch in chars),
                    )
                )
            else:
                box = round_box((xs[c], ys[r], xs[c + 1], ys[r + 1]))
            spans.append(Span(cell_text(chars), box, r, r + 1, c, c + 1))
    bbox = round_box((xs[0], ys[0], xs[-1], ys[-1]))
    return Grid(page=page, bbox=bbox, xs=xs, ys=ys, spans=tuple(spans))


def _unruled_rows(lines: list[Line], is_anchor: list[bool]) -> list[list[int]]:
    """Line indexes per grid row: header lines alone, a wrapped label joins the nearest anchor."""
    anchors = [i for i, a in enumerate(is_anchor) if a]
    rows: dict[int, list[int]] = {i: [i] for i in range(anchors[0])}  # header lines
    rows.update((i, [i]) for i in anchors)
    for i, line in enumerate(lines):
        if i in rows:
            continue
        middle = (line.bbox[1] + line.bbox[3]) / 2
        nearest = min(anchors, key=lambda a: abs((lines[a].bbox[1] + lines[a].bbox[3]) / 2 - middle))
        rows[nearest].append(i)
    return [sorted(members) for _, members in sorted(rows.items())]


def _column_of(seg: list[Char], columns: list[list[float]]) -> int:
    """The column a piece of text overlaps most (the nearest one if it overlaps none)."""
    x0 = min(c["x0"] for c in seg)
    x1 = max(c["x1"] for c in seg)
    overlaps = [min(x1, b) - max(x0, a) for a, b in columns]
    best = max(range(len(columns)), key=lambda i: overlaps[i])
    if overlaps[best] > 0:
        return best
    middle = (x0 + x1) / 2
    return min(range(len(columns)), key=lambda i: abs((columns[i][0] + columns[i][1]) / 2 - middle))
