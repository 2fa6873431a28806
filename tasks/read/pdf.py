"""PDF reader: tables rebuilt from page geometry (ruling lines, else word positions), the rest
as text lines, all in reading order with page and bbox kept for every cell.

Reflowed PDF text loses the grid (a row's label wraps, vertical labels come one character per
line), so rows are rebuilt from cell rectangles and character positions, never from text order.
"""

from __future__ import annotations

import bisect
import io
import itertools
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdftypes import resolve1
from pdfminer.utils import decode_text

from tasks.read.document import Block, Cell, Document, UnreadableDocument

Char = dict[str, Any]  # a pdfplumber char: text, x0, x1, top, bottom, size, …
BBox = tuple[float, float, float, float]

SNAP = 1.0  # pt: cell edges closer than this are the same grid line
SAME_TABLE_X = 8.0  # pt: a table on the next page within this of the last one continues it
UNRULED_GAP_EM = 1.0  # a gap wider than this many font sizes separates two cells of a line
UNRULED_MIN_ROWS = 3  # rows of numbers needed before word positions are read as a table

_NUMBER = re.compile(r"[-+]?[\d,，.．]+%?")
_ENUMERATOR = re.compile(r"[（(]?[一二三四五六七八九十\d]+[）)、.．]")
_PAGE_NUMBER = re.compile(r"[-—–－\s第页共/／]*\d+[-—–－\s第页共/／\d]*")
_ASCII_SPACE = re.compile(r"(?<=[0-9A-Za-z_])\s+(?=[0-9A-Za-z_])")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class _Line:
    """A line of running text on one page."""

    page: int
    segments: tuple[list[Char], ...]  # pieces of the line separated by wide gaps
    bbox: BBox
    text: str


@dataclass(frozen=True)
class _Span:
    """A physical table cell: its text and the grid rows/columns [r0, r1) × [c0, c1) it covers."""

    text: str
    bbox: BBox
    r0: int
    r1: int
    c0: int
    c1: int


@dataclass(frozen=True)
class _Grid:
    """One table part on one page; `table` is set when parts are linked across pages."""

    page: int
    bbox: BBox
    xs: tuple[float, ...]  # column boundaries, left to right
    ys: tuple[float, ...]  # row boundaries, top to bottom
    spans: tuple[_Span, ...]
    table: int = -1

    @property
    def ncols(self) -> int:
        return len(self.xs) - 1

    @property
    def nrows(self) -> int:
        return len(self.ys) - 1


def read(data: bytes, source: str) -> Document:
    """Read a PDF into blocks; raise UnreadableDocument for scans, encryption and damage."""
    if b"%%EOF" not in data[-4096:]:
        raise UnreadableDocument(f"{source}: the PDF is truncated (no %%EOF end marker); the download is incomplete")
    pdf = _open(data, source)
    with pdf:
        title = _title(pdf)
        items: list[_Line | _Grid] = []
        warnings: list[str] = []
        pages_without_text = 0
        for page in pdf.pages:
            page_items, has_text = _page_items(page, source)
            items.extend(page_items)
            if not has_text:
                pages_without_text += 1
                warnings.append(f"page {page.page_number}: no text layer (scanned?)")
            page.close()
        npages = len(pdf.pages)
    if npages == 0:
        raise UnreadableDocument(f"{source}: the PDF has no pages")
    if pages_without_text == npages:
        raise UnreadableDocument(f"{source}: no text layer (scanned?); needs OCR", status="needs_ocr")
    blocks, lines = _blocks(_linked(items))
    return Document(
        source=source,
        format="pdf",
        blocks=tuple(blocks),
        text="\n".join(lines),
        title=title,
        warnings=tuple(warnings),
    )


def _open(data: bytes, source: str) -> pdfplumber.PDF:
    """Open the PDF, turning pdfminer's failures into statuses a person can act on."""
    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfplumber wraps every pdfminer error in PdfminerException
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, PDFEncryptionError):
            raise UnreadableDocument(
                f"{source}: the PDF is encrypted and needs a password to open", status="encrypted"
            ) from exc
        raise UnreadableDocument(f"{source}: malformed PDF ({_describe(cause)})") from exc


def _describe(exc: BaseException) -> str:
    """Name an exception for a message: its class and text."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _title(pdf: pdfplumber.PDF) -> str | None:
    """The Title entry of the document info, decoded (Chinese producers often write UTF-16LE)."""
    for info in pdf.doc.info:
        raw = resolve1(info.get("Title"))
        if isinstance(raw, bytes):
            text = _decode_pdf_string(raw)
        elif isinstance(raw, str):
            text = raw
        else:
            continue
        text = text.replace("\x00", "").strip()
        if text:
            return text
    return None


def _decode_pdf_string(raw: bytes) -> str:
    """Decode a PDF text string: UTF-16 with either BOM, else UTF-8, else PDFDocEncoding."""
    if raw[:2] == b"\xfe\xff":
        return raw[2:].decode("utf-16-be", errors="replace")
    if raw[:2] == b"\xff\xfe":
        return raw[2:].decode("utf-16-le", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return decode_text(raw)


# --- one page --------------------------------------------------------------------------------


def _page_items(page: pdfplumber.page.Page, source: str) -> tuple[list[_Line | _Grid], bool]:
    """The page's tables and text lines sorted top to bottom, and whether it has any text."""
    try:
        chars = [c for c in page.chars if c["text"].strip()]
        tables = _ruled_tables(page)
    except Exception as exc:
        raise UnreadableDocument(f"{source}: page {page.page_number} cannot be parsed ({_describe(exc)})") from exc
    number = page.page_number
    boxes = [t.bbox for t in tables]  # a pdfplumber property, recomputed on every access
    inside: list[list[Char]] = [[] for _ in tables]
    outside: list[Char] = []
    for char in chars:
        x = (char["x0"] + char["x1"]) / 2
        y = (char["top"] + char["bottom"]) / 2
        for i, (x0, top, x1, bottom) in enumerate(boxes):
            if x0 <= x <= x1 and top <= y <= bottom:
                inside[i].append(char)
                break
        else:
            outside.append(char)
    grids = [_ruled_grid(number, b, t.cells, cs) for b, t, cs in zip(boxes, tables, inside)]
    lines = [_line(number, cs) for cs in _group_lines(outside)]
    unruled, lines = _unruled_grids(number, lines)
    items: list[_Line | _Grid] = [*grids, *unruled, *lines]
    items.sort(key=lambda item: item.bbox[1])
    return items, bool(chars)


def _ruled_tables(page: pdfplumber.page.Page) -> list[Any]:
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
    return len(_snap(x for c in cells for x in (c[0], c[2]))) - 1


def _snap(values: Iterable[float]) -> tuple[float, ...]:
    """Sorted coordinates with near-duplicates (closer than SNAP) merged."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return tuple(out)


def _nearest(bounds: tuple[float, ...], value: float) -> int:
    """Index of the boundary nearest to value."""
    i = bisect.bisect_left(bounds, value)
    if i == 0:
        return 0
    if i == len(bounds):
        return len(bounds) - 1
    return i if bounds[i] - value < value - bounds[i - 1] else i - 1


def _slot(bounds: tuple[float, ...], value: float) -> int:
    """Index of the row/column (between two boundaries) that holds value."""
    return min(max(bisect.bisect_right(bounds, value) - 1, 0), len(bounds) - 2)


def _ruled_grid(page: int, bbox: BBox, cells: list[BBox], chars: list[Char]) -> _Grid:
    """A grid from pdfplumber's cell rectangles; each char goes to the cell holding its centre."""
    xs = _snap(x for c in cells for x in (c[0], c[2]))
    ys = _snap(y for c in cells for y in (c[1], c[3]))
    owner = [[-1] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    boxes: list[tuple[BBox, int, int, int, int]] = []
    for cell in cells:
        c0, c1 = _nearest(xs, cell[0]), _nearest(xs, cell[2])
        r0, r1 = _nearest(ys, cell[1]), _nearest(ys, cell[3])
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
        r = _slot(ys, (char["top"] + char["bottom"]) / 2)
        texts[owner[r][_slot(xs, (char["x0"] + char["x1"]) / 2)]].append(char)
    spans = tuple(_Span(_cell_text(cs), _round(box), r0, r1, c0, c1) for (box, r0, r1, c0, c1), cs in zip(boxes, texts))
    return _Grid(page=page, bbox=_round(bbox), xs=xs, ys=ys, spans=spans)


def _round(bbox: Iterable[float]) -> BBox:
    x0, top, x1, bottom = (round(float(v), 2) for v in bbox)
    return (x0, top, x1, bottom)


# --- text from chars -------------------------------------------------------------------------


def _group_lines(chars: list[Char]) -> list[list[Char]]:
    """Chars grouped into printed lines (top to bottom), each sorted left to right."""
    lines: list[list[Char]] = []
    bottom = -1.0
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        middle = (char["top"] + char["bottom"]) / 2
        if lines and middle <= bottom:
            lines[-1].append(char)
            bottom = max(bottom, char["bottom"])
        else:
            lines.append([char])
            bottom = char["bottom"]
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def _join_chars(line: list[Char]) -> str:
    """A line's text; a visible gap becomes a space (clean() keeps it only between ASCII words)."""
    out: list[str] = []
    prev: Char | None = None
    for char in line:
        if prev is not None:
            if char["text"] == prev["text"] and abs(char["x0"] - prev["x0"]) < 1 and abs(char["top"] - prev["top"]) < 1:
                continue  # the same glyph drawn twice (fake bold)
            if char["x0"] - prev["x1"] > 0.25 * min(char["size"], prev["size"]):
                out.append(" ")
        out.append(char["text"])
        prev = char
    return "".join(out)


def _cell_text(chars: list[Char]) -> str:
    """A cell's text: its lines joined, a number wrapped across lines put back together."""
    text = ""
    for line in _group_lines(chars):
        part = _join_chars(line)
        if text and not (text[-1].isdigit() and part[:1].isdigit()):
            text += "\n"
        text += part
    return clean(text)


def clean(text: str) -> str:
    """Whitespace removed except one space between two ASCII word characters (CJK has none)."""
    return _SPACE.sub("", _ASCII_SPACE.sub("\x00", text.strip())).replace("\x00", " ")


def _line(page: int, chars: list[Char]) -> _Line:
    """A text line; pieces far apart (table-like) stay apart, separated by one space."""
    parts = tuple(_segments(chars))
    text = " ".join(t for t in (clean(_join_chars(p)) for p in parts) if t)
    bbox = _round(
        (
            min(c["x0"] for c in chars),
            min(c["top"] for c in chars),
            max(c["x1"] for c in chars),
            max(c["bottom"] for c in chars),
        )
    )
    return _Line(page=page, segments=parts, bbox=bbox, text=text)


def _is_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text))


# --- unruled tables: columns from word positions ----------------------------------------------


def _segments(chars: list[Char] | tuple[Char, ...]) -> list[list[Char]]:
    """A line cut where the gap between two chars is wider than UNRULED_GAP_EM font sizes."""
    parts: list[list[Char]] = [[chars[0]]]
    for prev, char in itertools.pairwise(chars):
        if char["x0"] - prev["x1"] > UNRULED_GAP_EM * max(char["size"], prev["size"]):
            parts.append([])
        parts[-1].append(char)
    return parts


def _unruled_grids(page: int, lines: list[_Line]) -> tuple[list[_Grid], list[_Line]]:
    """Runs of lines whose numbers line up in columns, as grids; the other lines untouched."""
    segments = [list(line.segments) for line in lines]
    numeric = [sum(_is_number(clean(_join_chars(s))) for s in segs) for segs in segments]
    anchors = [i for i, n in enumerate(numeric) if n >= 2]
    grids: list[_Grid] = []
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


def _runs(anchors: list[int], lines: list[_Line]) -> list[list[int]]:
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


def _unruled_grid(
    page: int, lines: list[_Line], segments: list[list[list[Char]]], is_anchor: list[bool]
) -> _Grid | None:
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
                box = _round(
                    (
                        min(ch["x0"] for ch in chars),
                        min(ch["top"] for ch in chars),
                        max(ch["x1"] for ch in chars),
                        max(ch["bottom"] for ch in chars),
                    )
                )
            else:
                box = _round((xs[c], ys[r], xs[c + 1], ys[r + 1]))
            spans.append(_Span(_cell_text(chars), box, r, r + 1, c, c + 1))
    bbox = _round((xs[0], ys[0], xs[-1], ys[-1]))
    return _Grid(page=page, bbox=bbox, xs=xs, ys=ys, spans=tuple(spans))


def _unruled_rows(lines: list[_Line], is_anchor: list[bool]) -> list[list[int]]:
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


# --- tables across pages ---------------------------------------------------------------------


def _linked(items: list[_Line | _Grid]) -> list[_Line | _Grid]:
    """Number the tables; a table that goes on at the top of the next page keeps its number."""
    items = list(items)
    parts: dict[int, list[int]] = {}  # table number → indexes of its parts in items
    last_grid: int | None = None  # the last grid seen, if only page furniture followed it
    for i, item in enumerate(items):
        if isinstance(item, _Line):
            if not _PAGE_NUMBER.fullmatch(item.text):
                last_grid = None
            continue
        prev = items[last_grid] if last_grid is not None else None
        if not (isinstance(prev, _Grid) and prev.page == item.page - 1 and _continue(items, parts[prev.table], i)):
            items[i] = replace(item, table=len(parts))
            parts[len(parts)] = [i]
        last_grid = i
    return items


def _continue(items: list[_Line | _Grid], chain: list[int], i: int) -> bool:
    """Attach items[i] to the table whose parts sit at `chain` if it continues it (in place)."""
    prev = items[chain[-1]]
    xs = _shared_columns(prev, items[i])
    if xs is None:
        return False
    for k in chain:  # one column grid for the whole table, the finest its parts need
        items[k] = _regrid(items[k], xs)
    cont = _drop_repeated_header(items[chain[0]], _regrid(items[i], xs))
    earlier, cont = _join_split_cells([items[k] for k in chain], cont)
    for k, grid in zip(chain, earlier):
        items[k] = grid
    items[i] = replace(cont, table=prev.table)
    chain.append(i)
    return True


def _shared_columns(prev: _Grid, cont: _Grid) -> tuple[float, ...] | None:
    """The column boundaries of the finer part if the other's all lie on them and both parts
    have the same outer edges (one table going on), else None (a different table).
    """
    if abs(prev.bbox[0] - cont.bbox[0]) > SAME_TABLE_X or abs(prev.bbox[2] - cont.bbox[2]) > SAME_TABLE_X:
        return None
    fine, coarse = (prev, cont) if prev.ncols >= cont.ncols else (cont, prev)
    return fine.xs if _fits(coarse.xs, fine.xs) else None


def _fits(small: tuple[float, ...], large: tuple[float, ...]) -> bool:
    """Whether every column boundary of one part lies on a boundary of the other."""
    return all(abs(large[_nearest(large, x)] - x) <= SAME_TABLE_X / 2 for x in small)


def _regrid(grid: _Grid, xs: tuple[float, ...]) -> _Grid:
    """The same part on a finer column grid (its cells then span several columns)."""
    if grid.xs == xs:
        return grid
    spans = tuple(replace(s, c0=_nearest(xs, grid.xs[s.c0]), c1=_nearest(xs, grid.xs[s.c1])) for s in grid.spans)
    return replace(grid, xs=xs, spans=spans)


def _drop_repeated_header(head: _Grid, cont: _Grid) -> _Grid:
    """The continuation without the header rows the producer repeated at the top of the page."""
    head_rows = _expanded(head)
    cont_rows = _expanded(cont)
    k = 0
    while (
        k < len(head_rows)
        and k < len(cont_rows) - 1
        and [c.text for c in head_rows[k]] == [c.text for c in cont_rows[k]]
        and any(c.text and not _is_number(c.text) for c in cont_rows[k])
    ):
        k += 1
    if k == 0:
        return cont
    spans = tuple(replace(s, r0=max(s.r0 - k, 0), r1=s.r1 - k) for s in cont.spans if s.r1 > k)
    return replace(cont, ys=cont.ys[k:], spans=spans)


def _join_split_cells(parts: list[_Grid], cont: _Grid) -> tuple[list[_Grid], _Grid]:
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
        if _is_number(above.text) or _is_number(top.text) or above.text == top.text:
            continue
        if top.text and above.text and _ENUMERATOR.match(top.text):
            continue
        if not any(  # a row's labels come before its values: a label goes on to the right
            s.r0 == 0 and s.c0 >= top.c1 and s.text and not _is_number(s.text) for s in cont.spans
        ):
            continue
        joined = above.text + top.text
        cont_spans[j] = replace(top, text=joined)
        for k, i in pieces:
            spans = list(parts[k].spans)
            spans[i] = replace(spans[i], text=joined)
            parts[k] = replace(parts[k], spans=tuple(spans))
    return parts, replace(cont, spans=tuple(cont_spans))


def _pieces_above(parts: list[_Grid], c0: int, c1: int) -> list[tuple[int, int]]:
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


# --- blocks ----------------------------------------------------------------------------------


def _expanded(grid: _Grid) -> list[list[Cell]]:
    """Rows of the grid with spans expanded the HTML way.

    A cell spanning columns gives its text to its first column and blanks to the rest; a cell
    spanning rows repeats its text on every row (a label), unless it is a number (counted once).
    """
    slots: list[list[tuple[_Span, bool, bool] | None]] = [[None] * grid.ncols for _ in range(grid.nrows)]
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
                box = _round((grid.xs[c], grid.ys[r], grid.xs[c + 1], grid.ys[r + 1]))
                cells.append(Cell("", page=grid.page, bbox=box))
                continue
            span, first_row, first_col = slot
            keep = first_col and (first_row or not _is_number(span.text))
            cells.append(Cell(span.text if keep else "", page=grid.page, bbox=span.bbox))
        rows.append(cells)
    return rows


def _blocks(items: list[_Line | _Grid]) -> tuple[list[Block], list[str]]:
    """Blocks in reading order, and the plain-text lines (each merged cell's text once)."""
    blocks: list[Block] = []
    lines: list[str] = []
    for item in items:
        if isinstance(item, _Line):
            if item.text:
                blocks.append(Block("line", (Cell(item.text, page=item.page, bbox=item.bbox),)))
                lines.append(item.text)
            continue
        origins = {(s.r0, s.c0): s.text for s in item.spans if s.text}
        for r, cells in enumerate(_expanded(item)):
            blocks.append(Block("row", tuple(cells), table=item.table))
            text = " ".join(t for (r0, _), t in sorted(origins.items()) if r0 == r)
            if text:
                lines.append(text)
    return blocks, lines
