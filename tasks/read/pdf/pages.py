"""Tables across pages: a table that goes on at the top of the next page is one table."""

from __future__ import annotations

import re
from dataclasses import replace

from tasks.read.grid import is_number
from tasks.read.pdf.cells import Grid, expanded
from tasks.read.pdf.geometry import SAME_TABLE_X, nearest_bound
from tasks.read.pdf.text import Line

_ENUMERATOR = re.compile(r"[（(]?[一二三四五六七八九十\d]+[）)、.．]")
_PAGE_NUMBER = re.compile(r"[-—–－\s第页共/／]*\d+[-—–－\s第页共/／\d]*")


def linked(items: list[Line | Grid]) -> list[Line | Grid]:
    """Number the tables; a table that goes on at the top of the next page keeps its number."""
    items = list(items)
    parts: dict[int, list[int]] = {}  # table number → indexes of its parts in items
    last_grid: int | None = None  # the last grid seen, if only page furniture followed it
    for i, item in enumerate(items):
        if isinstance(item, Line):
            if not _PAGE_NUMBER.fullmatch(item.text):
                last_grid = None
            continue
        prev = items[last_grid] if last_grid is not None else None
        if not (isinstance(prev, Grid) and prev.page == item.page - 1 and _continue(items, parts[prev.table], i)):
            items[i] = replace(item, table=len(parts))
            parts[len(parts)] = [i]
        last_grid = i
    return items


def _continue(items: list[Line | Grid], chain: list[int], i: int) -> bool:
    """Attach items[i] to the table whose parts sit at `chain` if it continues it (in place)."""
    prev = items[chain[-1]]
    xs = _shared_columns(prev, items[i])
    if xs is None:
        return False
    for k in chain:  # one column grid for the whole table, the finest its parts need
        items[k] = _regrid(items[k], xs)
    cont = _drop_repeated_header(items[chain[0]], _regrid(items[i], xs))
    earlier, cont = _join_split_cells([items[k] for k in chain], cont)
    earlier[-1], cont = _join_wrapped_row(earlier[-1], cont)
    for k, grid in zip(chain, earlier):
        items[k] = grid
    items[i] = replace(cont, table=prev.table)
    chain.append(i)
    return True


def _shared_columns(prev: Grid, cont: Grid) -> tuple[float, ...] | None:
    """The column boundaries of the finer part if the other's all lie on them and both parts
    have the same outer edges (one table going on), else None (a different table).
    """
    if abs(prev.bbox[0] - cont.bbox[0]) > SAME_TABLE_X or abs(prev.bbox[2] - cont.bbox[2]) > SAME_TABLE_X:
        return None
    fine, coarse = (prev, cont) if prev.ncols >= cont.ncols else (cont, prev)
    return fine.xs if _fits(coarse.xs, fine.xs) else None


def _fits(small: tuple[float, ...], large: tuple[float, ...]) -> bool:
    """Whether every column boundary of one part lies on a boundary of the other."""
    return all(abs(large[nearest_bound(large, x)] - x) <= SAME_TABLE_X / 2 for x in small)


def _regrid(grid: Grid, xs: tuple[float, ...]) -> Grid:
    """The same part on a finer column grid (its cells then span several columns)."""
    if grid.xs == xs:
        return grid
    spans = tuple(
        replace(s, c0=nearest_bound(xs, grid.xs[s.c0]), c1=nearest_bound(xs, grid.xs[s.c1])) for s in grid.spans
    )
    return replace(grid, xs=xs, spans=spans)


def _drop_repeated_header(head: Grid, cont: Grid) -> Grid:
    """The continuation without the header rows the producer repeated at the top of the page."""
    head_rows = expanded(head)
    cont_rows = expanded(cont)
    k = 0
    while (
        k < len(head_rows)
        and k < len(cont_rows) - 1
        and [c.text for c in head_rows[k]] == [c.text for c in cont_rows[k]]
        and any(c.text and not is_number(c.text) for c in cont_rows[k])
    ):
        k += 1
    if k == 0:
        return cont
    spans = tuple(replace(s, r0=max(s.r0 - k, 0), r1=s.r1 - k) for s in cont.spans if s.r1 > k)
    return replace(cont, ys=cont.ys[k:], spans=spans)


def _join_split_cells(parts: list[Grid], cont: Grid) -> tuple[list[Grid], Grid]:
    """Put back together a merged label cell that page breaks cut into pieces.

    Any piece may hold the text, or each a bit of it ("（四）无" / "法提供", as Word flows it);
    the others are blank. Joined only where the cell spans several rows, the new piece does not
    start a numbered label of its own and the row goes on with a label further right (a blank
    value cell under a header stays blank), so rows that merely meet at the break stay apart.
    """
    parts = list(parts)
    cont_spans = list(cont.spans)
    for j, top in enumerate(cont_spans):
        pieces = _pieces_above(parts, top.c0, top.c1) if top.r0 == 0 else []
        if not pieces:
            continue
        above = parts[pieces[0][0]].spans[pieces[0][1]]
        rows_above = sum(parts[k].spans[i].r1 - parts[k].spans[i].r0 for k, i in pieces)
        if rows_above < 2 and top.r1 - top.r0 < 2:
            continue
        if is_number(above.text) or is_number(top.text) or above.text == top.text:
            continue
        if top.text and above.text and _ENUMERATOR.match(top.text):
            continue
        if not any(  # a row's labels come before its values: a label goes on to the right
            s.r0 == 0 and s.c0 >= top.c1 and s.text and not is_number(s.text) for s in cont.spans
        ):
            continue
        joined = above.text + top.text
        cont_spans[j] = replace(top, text=joined)
        for k, i in pieces:
            spans = list(parts[k].spans)
            spans[i] = replace(spans[i], text=joined)
            parts[k] = replace(parts[k], spans=tuple(spans))
    return parts, replace(cont, spans=tuple(cont_spans))


def _join_wrapped_row(prev: Grid, cont: Grid) -> tuple[Grid, Grid]:
    """Put back a row whose label wrapped over the page break: the numbers and the label's first
    line close the earlier part, the rest of the label opens the next one alone in its row, with
    every other cell of that row blank. Read as two rows, the label's tail is a row of blanks of
    its own, and every row below it moves down one (the numbers of 七 read as 四's).
    """
    first = [s for s in cont.spans if s.r0 == 0 and s.r1 == 1]
    tails = [s for s in first if s.text]
    if not tails or any(is_number(s.text) or _ENUMERATOR.match(s.text) for s in tails):
        return prev, cont
    last = {(s.c0, s.c1): i for i, s in enumerate(prev.spans) if s.r1 == prev.nrows and s.r0 == prev.nrows - 1}
    if not any(is_number(prev.spans[i].text) for i in last.values()):
        return prev, cont  # the earlier part does not close with a row of values
    heads = [last.get((s.c0, s.c1)) for s in tails]
    if any(i is None or not prev.spans[i].text or is_number(prev.spans[i].text) for i in heads):
        return prev, cont
    spans = list(prev.spans)
    for i, tail in zip(heads, tails):
        spans[i] = replace(spans[i], text=spans[i].text + tail.text)  # type: ignore[index]
    rest = tuple(replace(s, r0=max(s.r0 - 1, 0), r1=s.r1 - 1) for s in cont.spans if s.r1 > 1)
    return replace(prev, spans=tuple(spans)), replace(cont, ys=cont.ys[1:], spans=rest)


def _pieces_above(parts: list[Grid], c0: int, c1: int) -> list[tuple[int, int]]:
    """(part, span) of the same cell cut by earlier breaks, latest first: the cell closing each
    earlier part in these columns, followed upwards while it starts at the top of its part.
    """
    pieces: list[tuple[int, int]] = []
    for k in range(len(parts) - 1, -1, -1):
        grid = parts[k]
        found = [i for i, s in enumerate(grid.spans) if s.r1 == grid.nrows and (s.c0, s.c1) == (c0, c1)]
        if not found:
            break
        pieces.append((k, found[0]))
        if grid.spans[found[0]].r0 != 0:
            break
    return pieces
