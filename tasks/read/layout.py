"""Text exported with its layout (`pdftotext -layout`, pdfplumber's layout text): tables whose
columns are lined up with spaces become rows with one cell per column.

Positions are character counts, not display widths: a layout exporter puts each character, CJK
or not, in one column at its x position (so a CJK header reads narrower than it printed, and its
start is what is reliable). A table is a run of lines with numbers at the line's end; the numbers
of one column overlap across rows (right-aligned, centred or left-aligned alike), so columns are
the overlap groups of the numbers, given in order the header's bottom words above them. Blank
columns print no number: the header words count them. When the groups and the header disagree (a
group under no header word or fitting two, two numbers of one row in one column), the rows are
handed on as their printed fields (Block.placed False: never read by column index), never joined
or split; digits that wrap in a narrow cell are handed on as unreadable cells (U+FFFD). The parser
leaves what it cannot place null ("ambiguous"): a wrong number is worse than a missing one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tasks.read.document import Block, Cell

_WORD = re.compile(r"\S+")
_DIGIT = re.compile(r"\d")
# a printed figure, with the unit a layout exporter may keep beside it ("251000元", "12.5%")
_FIGURE = re.compile(r"[+\-]?\d[\d,]*(?:\.\d+)?(?:%|元|万元)?|[—–\-/／]{1,2}")
_UNIT = re.compile(r"^(元|万元|%)$")
_PROSE_END = re.compile(r"[。；;]$")
_SENTENCE = re.compile(r"[。；;]")
_NUMBERED = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]")  # 一、 （二） 3. 4、: a row label's number
_PAGE = re.compile(r"[-—–]?\s*\d+\s*[-—–]?|第\d+页")
# a line that is a page number and nothing else ("- 3 -", "第3页", "第3页共8页"): page chrome, no cell
_FOLIO = re.compile(r"[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(\s*[，,/]?\s*共\s*\d+\s*页)?")
UNREAD = "\ufffd"  # a cell the layout does not let be read (Unicode's replacement character)
HEADER_LINES = 8  # header lines looked at above a table's first row
ROW_GAP = 12  # lines a table's rows may be apart (labels wrapped over many lines between them)
MIN_ROWS = 2  # a table has at least two rows of numbers


@dataclass
class _Word:
    text: str
    start: int
    end: int


@dataclass
class _Line:
    number: int  # 1-based line number in the file
    words: list[_Word]
    figures: list[_Word] = field(default_factory=list)  # the numbers at the line's end
    labels: list[_Word] = field(default_factory=list)  # the words before them


def _words(raw: str) -> list[_Word]:
    return [_Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(raw)]


def _split(number: int, raw: str) -> _Line:
    """A line's trailing figures (each printed number one field) and its label words."""
    words = _words(raw)
    if not _DIGIT.search(raw):  # no figure on the line: all of it is label words
        return _Line(number, words, [], words)
    # a unit printed apart from its number ("251000 元") belongs to it
    merged: list[_Word] = []
    for w in words:
        if (
            merged
            and _UNIT.match(w.text)
            and re.fullmatch(r"\d[\d,.]*", merged[-1].text)
            and w.start == merged[-1].end + 1
        ):
            merged[-1] = _Word(merged[-1].text + w.text, merged[-1].start, w.end)
        else:
            merged.append(w)
    i = len(merged)
    while i > 0 and _FIGURE.fullmatch(merged[i - 1].text):
        i -= 1
    line = _Line(number, merged, merged[i:], merged[:i])
    if line.figures and line.labels and not _apart(line.labels[-1], line.figures[0]):
        line.figures, line.labels = [], merged  # "共 12": a number inside the text
    digits = [f for f in line.figures if re.search(r"\d", f.text)]
    if (
        not digits  # dashes alone are no row of numbers
        or (not line.labels and len(digits) == 1)  # a page number ("4", "- 4 -")
        or any(_SENTENCE.search(w.text) for w in line.labels)  # a sentence's figure, wrapped
    ):
        line.figures, line.labels = [], merged
    return line


def _apart(label: _Word, figure: _Word) -> bool:
    """A number is a cell beside its label when a gap of two spaces parts them, or one space after
    a label that ends as labels do (an ideograph or a closing bracket), not a sentence's figure."""
    gap = figure.start - label.end
    return gap >= 2 or (gap == 1 and bool(re.search(r"[\u4e00-\u9fff）)”]$", label.text)))


def _is_prose(line: _Line) -> bool:
    """Running text: one long field, or a sentence's end."""
    if not line.words:
        return False
    words = line.labels if line.figures else line.words
    if not words:
        return False
    width = words[-1].end - words[0].start
    gaps = any(b.start - a.end >= 2 for a, b in zip(words, words[1:]))
    return (not gaps and width >= 30) or bool(_PROSE_END.search(line.words[-1].text))


def _tables(lines: list[_Line]) -> list[list[_Line]]:
    """Runs of lines holding rows of numbers; a prose line or a line of words over the numbers'
    columns (the next table's header) ends a run."""
    tables: list[list[_Line]] = []
    cur: list[_Line] = []
    edge = None
    for line in lines:
        if line.figures:
            if cur and (line.number - cur[-1].number > ROW_GAP):
                tables.append(cur)
                cur = []
            if not cur:
                edge = line.figures[0].start
            cur.append(line)
            edge = min(edge, line.figures[0].start)
            continue
        if not cur:
            continue
        over = [w for w in line.words if edge is not None and w.start >= edge - 2]
        if _is_prose(line) or len(over) >= 2 or _heads(line, lines):
            tables.append(cur)
            cur = []
    if cur:
        tables.append(cur)
    # a line of numbers alone (table 4's one row under its header) is a table of its own
    return [t for t in tables if len(t) >= MIN_ROWS or len(t[0].figures) >= MIN_ROWS or not t[0].labels]


def _heads(line: _Line, lines: list[_Line]) -> bool:
    """A line of column names over the next row's numbers (a sub-table's own header): a word
    after the line's first one stands over a number of the next row."""
    nxt = next((n for n in lines[line.number :] if n.figures), None)
    if nxt is None or nxt.number - line.number > HEADER_LINES:
        return False
    return any(_overlap(w, f, slack=1) for w in line.words[1:] for f in nxt.figures)


def _overlap(a: _Word, b: _Word, slack: int = 0) -> bool:
    return a.start < b.end + slack and b.start < a.end + slack


def _groups(rows: list[_Line]) -> list[list[tuple[int, _Word]]] | None:
    """The numbers grouped into columns: numbers of different rows that overlap are one column;
    None if a column would hold two numbers of one row."""
    items = [(r, f) for r, line in enumerate(rows) for f in line.figures]
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (_, a) in enumerate(items):
        for j in range(i):
            if _overlap(a, items[j][1]):
                parent[find(i)] = find(j)
    groups: dict[int, list[tuple[int, _Word]]] = {}
    for i, item in enumerate(items):
        groups.setdefault(find(i), []).append(item)
    out = sorted(groups.values(), key=lambda g: min(w.start for _, w in g))
    for g in out:
        if len({r for r, _ in g}) != len(g):
            return None
    spans = [(min(w.start for _, w in g), max(w.end for _, w in g)) for g in out]
    if any(b[0] < a[1] for a, b in zip(spans, spans[1:])):
        return None
    return out


def _leaves(header: list[_Line], edge: int) -> list[tuple[_Word, str]]:
    """The header's bottom words (no word below them overlaps), left to right, each with the
    words stacked above it: one per column, blank columns included."""
    words = [
        (n, w)
        for n, line in enumerate(header)
        for w in line.words
        if w.start >= edge and not _PAGE.fullmatch(w.text)  # a page number is no column
    ]
    leaves: dict[int, tuple[_Word, str]] = {}
    for i, (n, w) in enumerate(words):
        if any(m > n and _overlap(w, v) for m, v in words):
            continue
        above = [v.text for m, v in words if m < n and _overlap(w, v)]
        leaves[i] = (w, "".join(above) + w.text)
    for i, (n, w) in enumerate(words):
        if i in leaves and len(leaves[i][1]) == 1:
            # one character with nothing above it: the wrapped end of the word above-left (自然 / 人)
            head = [j for j, (m, v) in enumerate(words) if m < n and j in leaves and 0 <= w.start - v.start <= 4]
            if head:
                v, text = leaves[head[-1]]
                leaves[head[-1]] = (_Word(v.text + w.text, v.start, max(v.end, w.end)), text + w.text)
                del leaves[i]
    return sorted(leaves.values(), key=lambda x: x[0].start)


def _columns(rows: list[_Line], header: list[_Line]) -> tuple[dict[int, int], list[str]] | None:
    """The column of each number (by id) and the header text of every column; None when the
    positions do not decide. A row that prints every column needs no positions (its numbers are
    the columns in order); one whose numbers do not stand near their header words (a long label
    pushed them aside) is kept out of the columns the other rows' positions make. One other row
    that alone keeps the rest from fitting the header stays unplaced (fields only)."""
    edge = min(f.start for line in rows for f in line.figures) - 3
    leaves = _leaves(header, edge)
    if not leaves:  # the numbers' positions alone do not say which columns are blank
        return None
    names = [text for _, text in leaves]
    full = [r for r in rows if len(r.figures) == len(leaves)]
    aside = [r for r in full if not all(_overlap(f, leaf, slack=2) for f, (leaf, _) in zip(r.figures, leaves))]
    rest = [r for r in rows if not any(r is x for x in aside)]
    placed = _place(rest, leaves) if rest else {}
    if placed and (alone := placed.pop(_SHARED, None)):
        # a number alone in its column of numbers, beside another column under the same header
        # word: its row is printed apart from the others' columns (as LibreOffice spaces a table's
        # last row): it stays unplaced, and the others are placed without it
        rest = [r for r in rest if id(r) not in alone]
        placed = _place(rest, leaves) if rest else {}
        if placed:
            placed.pop(_SHARED, None)
    if placed is None and len(rest) >= 3:
        # one row printed apart from the others' columns (spaced wider) stays unplaced
        apart = [r for r in rest if _place([x for x in rest if x is not r], leaves) is not None]
        if len(apart) == 1:
            placed = _place([x for x in rest if x is not apart[0]], leaves)
            if placed:
                placed.pop(_SHARED, None)
    if placed is None:
        return None
    for r in aside:
        placed |= {id(f): i for i, f in enumerate(r.figures)}
    placed.pop(_SHARED, None)
    return placed, names


# the key under which `_place` lists the rows (by id) whose number is alone in a column of numbers
# that shares its header column with another (see `_assignments`)
_SHARED = -1


def _place(rows: list[_Line], leaves: list[tuple[_Word, str]]) -> dict[int, int] | None:
    """Columns of numbers given, in order, the header column near each: the one way they fit."""
    groups = _groups(rows)
    if groups is None:
        return None
    spans = [_Word("", min(w.start for _, w in g), max(w.end for _, w in g)) for g in groups]
    near = [_near(span, leaves) for span in spans]
    readings = _assignments(near, [{r for r, _ in g} for g in groups])
    if len(readings) != 1:
        return None  # a column under no header word, or numbers that fit the header two ways
    if len(rows) == 1 and len(groups) < len(leaves):
        return None  # one row's positions alone do not place its blanks: nothing to check them by
    placed: dict[int, Any] = {id(w): readings[0][g] for g, group in enumerate(groups) for _, w in group}
    shared = {c for c in readings[0] if readings[0].count(c) > 1}
    alone = {id(rows[group[0][0]]) for g, group in enumerate(groups) if len(group) == 1 and readings[0][g] in shared}
    if alone:
        placed[_SHARED] = alone
    return placed


def _near(span: _Word, leaves: list[tuple[_Word, str]]) -> list[int]:
    """The header columns a column of numbers may be under: those within two characters of it."""
    return [i for i, (leaf, _) in enumerate(leaves) if _overlap(span, leaf, slack=2)]


def _assignments(near: list[list[int]], rows: list[set[int]], limit: int = 2) -> list[list[int]]:
    """Ways to give each column of numbers (left to right) a header column near it, keeping
    their order; two neighbouring columns of numbers may share a header column when no row prints
    in both (one column's numbers aligned two ways). At most `limit` found (one is the answer,
    two mean the positions do not decide)."""
    found: list[list[int]] = []

    def rec(i: int, acc: list[int]) -> None:
        if len(found) >= limit:
            return
        if i == len(near):
            found.append(list(acc))
            return
        for c in near[i]:
            last = acc[-1] if acc else -1
            shared = [j for j in range(i) if acc[j] == c]
            if c > last or (c == last and not any(rows[i] & rows[j] for j in shared)):
                rec(i + 1, [*acc, c])

    rec(0, [])
    return found


def _label_cells(label_lines: list[list[_Word]]) -> list[str]:
    """A row's label pieces (its own line and the wrapped lines of its band), one cell per
    starting column, read top to bottom."""
    cells: list[tuple[int, list[str]]] = []
    for words in label_lines:
        for w in words:
            for start, texts in cells:
                if abs(start - w.start) <= 2:
                    texts.append(w.text)
                    break
            else:
                cells.append((w.start, [w.text]))
    return ["".join(t) for _, t in sorted(cells, key=lambda c: c[0])]


def layout_blocks(lines: list[str], first_table: int, pages: list[int] | None = None) -> dict[int, list[Block]]:
    """Blocks replacing the lines of layout tables: line number → its blocks (none for a label
    line joined into a row); lines not listed stay as the text reader makes them. `pages`, the
    page of each line where the text marks pages: a row is placed only by a header on its page
    (pdftotext sets each page's character columns apart: the same x is another column)."""
    parsed = [_split(n, raw) for n, raw in enumerate(lines, start=1)]
    # a page number under a row printed blank would be read as that row's number
    out: dict[int, list[Block]] = {n: [] for n, raw in enumerate(lines, start=1) if _FOLIO.fullmatch(raw.strip())}
    table = first_table
    for rows in _tables(parsed):
        empty: set[int] = set()
        quiet: set[int] = set()
        owners: dict[int, int] = {}
        if len(_stacked(rows)) < len(rows):  # not a table of unlabelled lines (table 4 wrapped)
            rows, empty, quiet, owners = _unwrapped(parsed, rows, pages)
            out |= {n: [] for n in empty}  # a wrapped number's digits alone on a line: no text
            if not rows:
                continue
        stacked = _stacked(rows)
        if stacked:  # one row of unreadable cells in their place, the lines under it no rows
            first = stacked[0]
            for line in stacked[1:]:
                out[line.number] = []
            figures = sorted((f for line in stacked for f in line.figures), key=lambda f: f.start)
            unread = [_Word(UNREAD, f.start, f.end) for f in figures]
            rows = [_Line(r.number, r.words, unread, []) if r is first else r for r in rows if r not in stacked[1:]]
        top = rows[0].number
        zone = parsed[max(0, top - 1 - HEADER_LINES) : top - 1]
        while any(line.figures for line in zone):  # the header starts below the table above
            zone = zone[next(i for i, line in enumerate(zone) if line.figures) + 1 :]
        header = [line for line in zone if line.words and line.number not in out]
        prose = [i for i, line in enumerate(header) if _is_prose(line)]
        header = header[prose[-1] + 1 :] if prose else header  # the header starts below the text
        same = [r for r in rows if pages is None or not header or pages[r.number - 1] == pages[header[-1].number - 1]]
        columns = _columns(same, header) if same else None
        if columns is None and len(rows) == 1 and rows[0].labels:
            continue  # a labelled line with a number, under no header that names its column: text
        bands = _bands(parsed, rows)
        at: dict[int, int] = {}
        if columns is not None:
            at, names = columns
            if header and any(names):  # the header lines stay text; their column names make a row
                last = header[-1]
                cells = (Cell("", line=last.number), *(Cell(t, line=last.number) for t in names))
                text = Block("line", (Cell(" ".join(w.text for w in last.words), line=last.number),))
                out[last.number] = [text, Block("row", cells, table)]
            width = len(names)
        halves, unsure = _halves(parsed, rows, bands, at, width if columns is not None else None)
        # a second half that holds wrapped numbers' first lines of a row below: whose numbers it
        # holds is not known
        doubt = {b for a, b in halves.items() if owners.get(b, a) != a}
        tops, clash = _tops(rows, owners, halves, at if columns is not None else None)
        for line in rows:
            if line.number in halves.values() or line.number in tops.values():
                continue  # the second half of a row printed over two lines: emitted with the first
            if tops.get(line.number) == 0:
                out[line.number] = []  # the wrapped numbers' first lines of a row it cannot join
                continue
            band = bands.get(line.number, [(line.number, line.labels)])
            doubtful: set[int] = set()
            if (second := halves.get(line.number)) is not None:
                other = next(r for r in rows if r.number == second)
                band = [*band, (second, other.labels)]
                doubtful = {id(f) for f in other.figures} if second in doubt else set()
                figures = sorted([*line.figures, *other.figures], key=lambda f: f.start)
                line = _Line(line.number, line.words, figures, line.labels)
            elif second := tops.get(line.number):
                other = next(r for r in rows if r.number == second)
                band = [*band, *bands.get(second, [(second, other.labels)])]
                figures = sorted([*line.figures, *other.figures], key=lambda f: f.start)
                line = _Line(line.number, line.words, figures, other.labels)
            placed = columns is not None and all(id(f) in at for f in line.figures)
            # an unplaced row's cells are its printed fields: an empty label would be one more (blank)
            labels = _label_cells([[w for w in words if id(w) not in quiet] for _, words in band])
            labels = labels or ([""] if placed else [])
            if placed:
                values = [""] * width
                for f in line.figures:
                    values[at[id(f)]] = UNREAD if id(f) in doubtful else f.text
            else:
                values = [UNREAD if id(f) in doubtful else f.text for f in line.figures]
            if line.number in unsure or line.number in unsure.values():
                values = [UNREAD] * len(values)  # whose row these numbers are is not known: none is read
            for c in clash.get(line.number, ()):
                values[c] = UNREAD
            cells = tuple(Cell(t, line=line.number) for t in [*labels, *values])
            out[line.number] = [Block("row", cells, table, placed=placed)]
            for number, _ in band:
                out.setdefault(number, [])
        table += 1
    if table > first_table:
        # layout text: a labelled line with a number printed apart from its label, in no table
        # (one row under its header, 行政规范性文件   466), is a row of printed fields, never
        # digits to split over the row's columns (466 is not 4, 6, 6)
        for line in parsed:
            if (
                line.figures
                and line.labels
                and line.number not in out
                and line.figures[0].start - line.labels[-1].end >= 2
            ):
                cells = tuple(Cell(w.text, line=line.number) for w in [*line.labels, *line.figures])
                out[line.number] = [Block("row", cells, table, placed=False)]
                table += 1
    return out


WRAP_LINES = 2  # lines a wrapped number's last digits may sit below its first (another cell's line between)
PAGE_FOOT = 20  # blank lines a layout exporter may print between a page's last line and the next's first


def _unwrapped(
    parsed: list[_Line], rows: list[_Line], pages: list[int] | None
) -> tuple[list[_Line], set[int], set[int], dict[int, int]]:
    """The rows with the numbers wrapped in a narrow cell made unreadable: a number as wide as the
    widest of its column (it fills the cell) with a narrower one under its first digits, a line or
    two lower (blank lines aside: the page may end between), no other row's label between (30431
    printed as 3043 over 1: 3043 is not the cell, nor is 1; a piece near two such numbers makes
    both unreadable). A line of such pieces only, with no label of its own (none, a group label's
    piece, the wrapped rest of the label above) and not over a row's label, is no row: its pieces
    go. Any other line keeps them as unreadable cells, and an unlabelled one all its numbers (any
    may be a piece). A number alone on its line (no row: the text reader would keep it as label
    text) is a piece or a first line like any other.

    Returns the rows, the lines left with nothing to print, the lone numbers (by id) that are
    pieces (no label text either), and the unlabelled lines of first lines by the line of the row
    they belong to (see `_tops`). `parsed` is updated for the lines whose numbers went."""
    figures = [f for line in rows for f in line.figures]
    own = _own_label(parsed, rows)
    bands = _bands(parsed, rows)

    def numbers(line: _Line) -> list[_Word]:  # a line's numbers, a lone one (no row: a page number?) too
        if line.figures:
            return line.figures
        return line.words if len(line.words) == 1 and line.words[0].text.isdigit() else []

    def labelled(line: _Line) -> bool:  # its label, or its wrapped label's lines, a row's own
        return own(line) or any(own(parsed[n - 1]) for n, _ in bands.get(line.number, []))

    def rows_apart(a: _Line, b: _Line) -> bool:  # another row's label from a's line to b's
        mine = {a.number, *(n for n, _ in bands.get(a.number, []))}  # a's wrapped label is a's
        between = (parsed[n - 1] for n in range(a.number + 1, b.number + 1) if n not in mine)
        return labelled(a) + sum(own(x) for x in between if x.words and (x is not b or x.figures)) >= 2

    def fills(f: _Word) -> bool:  # a plain number as wide as the widest of its column (three digits at least)
        return (
            f.text.isdigit()
            and len(f.text) >= 3
            and not any(_overlap(f, h) and len(h.text) > len(f.text) for h in figures)
        )

    found: dict[int, list[tuple[_Line, list[_Word], _Word]]] = {}  # line → (line above, its numbers, a piece)

    def piece(a: _Line, b: _Line, above: list[_Word], g: _Word) -> None:
        found.setdefault(b.number, []).append((a, above, g))

    top = max(0, rows[0].number - 1 - WRAP_LINES)  # a first row's first lines may be printed above it
    for a in parsed[top : rows[-1].number]:
        waiting = [f for f in numbers(a) if fills(f)]
        lines, blank = 0, 0
        for b in parsed[a.number :]:
            if not waiting:
                break
            if not b.words:
                blank += 1
                if blank > PAGE_FOOT:
                    break
                continue
            lines += 1
            if lines > WRAP_LINES:
                break
            below = numbers(b)
            short = [g for g in below if g.text.isdigit()]
            if pages is not None and pages[b.number - 1] != pages[a.number - 1]:
                # the next page's character columns are not this page's: narrower numbers first on
                # it, no row's label, may be the ends of any numbers filling their cells
                if lines == 1 and short and len(short) == len(below) and not (b.figures and own(b)):
                    if not rows_apart(a, b):
                        for g in short:
                            if above := [f for f in waiting if _narrower(g, f)]:
                                piece(a, b, above, g)
                break
            for g in short:
                above = [f for f in waiting if _narrower(g, f) and -2 <= g.start - f.start <= 1]
                if above and not rows_apart(a, b):
                    piece(a, b, above, g)
                    waiting = [f for f in waiting if f not in above]
            waiting = [f for f in waiting if not any(_overlap(f, g) for g in below)]  # a number under it
    if not found:
        return rows, set(), set(), {}
    halves, _ = _halves(parsed, rows, bands, {}, None)
    unread: set[int] = set()
    gone: set[int] = set()
    quiet: set[int] = set()
    owners: dict[int, int] = {}
    for number, hits in found.items():
        line = parsed[number - 1]
        pieces = {id(g) for _, _, g in hits}
        tops = {a.number: a for a, _, _ in hits}
        every = len(pieces) == len(line.figures)
        over = bool(line.figures) and _over_label(parsed, line)
        mine = bool(line.figures) and own(line)
        if not line.figures:
            quiet |= pieces  # alone on its line: no row, no label
        elif every and not mine and not over:
            gone |= pieces  # a line of pieces: no row
        elif every:
            unread |= {id(g) for g in line.figures}  # pieces, or the numbers of the row labelled there
        elif mine and all(n in halves.values() for n in tops):
            continue  # a row's numbers under the second half of the row above, by chance
        elif mine:
            unread |= pieces
        elif over:
            continue  # the numbers of the next row, printed over its label
        else:  # pieces among numbers of no row's own: any may be a piece, of any number above
            unread |= {id(g) for g in line.figures} | {id(f) for a in tops.values() for f in a.figures if fills(f)}
        unread |= {id(f) for _, above, _ in hits for f in above}
        for a in tops.values():
            if not labelled(a):  # an unlabelled line's row: the one labelled down to the pieces
                mine_ = {a.number, *(n for n, _ in bands.get(a.number, []))}
                row = [x.number for x in rows if a.number < x.number <= number and x.number not in mine_ and own(x)]
                if row:
                    owners.setdefault(a.number, row[0])
    lone = [x for x in parsed[top : rows[-1].number + WRAP_LINES + PAGE_FOOT] if not x.figures]
    quiet |= {id(w) for x in lone for w in x.words if id(w) in unread}
    empty = {x.number for x in lone if any(id(w) in quiet for w in x.words)}
    out = []
    for line in rows:
        if not any(id(f) in unread or id(f) in gone for f in line.figures):
            out.append(line)
            continue
        kept = [_Word(UNREAD, f.start, f.end) if id(f) in unread else f for f in line.figures if id(f) not in gone]
        words = [w for w in line.words if id(w) not in gone]
        parsed[line.number - 1] = (
            _Line(line.number, words, kept, line.labels) if kept else _Line(line.number, words, [], words)
        )
        if kept:
            out.append(parsed[line.number - 1])
        elif not words:
            empty.add(line.number)  # nothing but pieces on the line: no text either
    return out, empty, quiet, owners


def _narrower(piece: _Word, number: _Word) -> bool:
    """Whether a number may be the wrapped end of another: narrower, and no more than two digits
    (a count wraps by a digit or two in a cell a little too narrow for it)."""
    return len(piece.text) < len(number.text) and len(piece.text) <= 2


def _group_piece(parsed: list[_Line], rows: list[_Line]) -> Callable[[_Word], bool]:
    """Whether a label word of the table is a group label's piece: no wider than the words
    printed, in its column, before another label word (三、本 / 年度办 / 理结果 beside the rows
    they group, （六）其 / 他处理)."""
    span = parsed[rows[0].number - 1 : rows[-1].number]  # not the header above
    edge = min(f.start for line in rows for f in line.figures)
    group: dict[int, int] = {}  # a group label's column → its widest piece
    for x in span:
        words = x.labels if x.figures else x.words if _labelled(x) else []
        for w, nxt in zip(words, words[1:]):
            if nxt.end <= edge:  # a label word after it, not a header word over the numbers
                group[w.start] = max(group.get(w.start, 0), len(w.text))

    line_of = {id(w): x.number for x in span for w in x.words}

    def rest(w: _Word) -> bool:  # an unnumbered word under it, a line or a few lower: its rest
        n = line_of.get(id(w))
        return n is None or any(
            abs(v.start - w.start) <= 1 and not _NUMBERED.match(v.text)
            for x in parsed[n : n + WRAP_LINES + 1]
            for v in (x.labels if x.figures else x.words)
        )

    def piece(w: _Word) -> bool:
        # a numbered word is a group label's first piece only with its rest under it ((三)不 / 予公开,
        # not (一)予以公开 over (二)部分公开)
        return any(abs(start - w.start) <= 1 and len(w.text) <= width for start, width in group.items()) and (
            not _NUMBERED.match(w.text) or rest(w)
        )

    return piece


def _own_label(parsed: list[_Line], rows: list[_Line]) -> Callable[[_Line], bool]:
    """Whether a line of the table prints a row's own label: a label word that is neither a
    group label's piece nor, unnumbered, the wrapped rest of the label above it."""
    column = _label_words(parsed, rows)
    edge = min(f.start for line in rows for f in line.figures)
    piece = _group_piece(parsed, rows)

    def rest(line: _Line, w: _Word) -> bool:
        if _NUMBERED.match(w.text):
            return False
        for k in range(line.number - 2, max(-1, line.number - 2 - WRAP_LINES - 1), -1):
            x = parsed[k]
            if not x.figures and len(x.words) == 1 and x.words[0].text.isdigit():
                continue  # a number alone on its line (a wrapped number's piece?): no label
            if not x.words or (not x.figures and any(u.end > edge for u in x.words)):
                return False  # a blank line between, or a header over the numbers: another row's label
            above = [u for u in (x.labels if x.figures else x.words if _labelled(x) else []) if _overlap(u, w)]
            if above:
                return _wraps([w], above, column)
        return False

    def own(line: _Line) -> bool:
        words = line.labels if line.figures else line.words if _labelled(line) else []
        if not line.figures and len(words) == 1 and words[0].text.isdigit():
            return False  # a number alone on its line: no label
        return any(not piece(w) and not rest(line, w) for w in words)

    return own


def _stacked(rows: list[_Line]) -> list[_Line]:
    """Lines of numbers without labels, one right under another, with numbers in the same
    columns (3974 wrapped as 397 over 4 in a narrow cell, the numbers that fit printed on the line
    between): which digits belong together cannot be told, so none of them is read."""
    for i, a in enumerate(rows):
        run = [a]
        for b in rows[i + 1 :]:
            if b.labels or b.number - run[-1].number > 1:
                break
            run.append(b)
        if a.labels or len(run) < 2:
            continue
        if any(_overlap(f, g) for x, y in zip(run, run[1:] + run[2:]) for f in x.figures for g in y.figures):
            return run
    return []


def _halves(
    parsed: list[_Line],
    rows: list[_Line],
    bands: dict[int, list[tuple[int, list[_Word]]]],
    at: dict[int, int],
    width: int | None,
) -> tuple[dict[int, int], dict[int, int]]:
    """Rows printed over two lines (a tall cell's numbers aligned to its top, the others to its
    middle), next to each other or one label line apart, their numbers in disjoint columns: the
    two lines together fill the whole row, or the first line's label runs to the label column's
    edge and the second line carries no label of its own (none, or one not numbered as a row's
    label is: the wrapped rest of the first), with no blank line between them. Unplaced (no
    `width`), only the second test holds, with numbers that overlap none of the other line's.
    First line → second line; and apart, the pairs whose second line, unlabelled, may as well be
    the numbers of the row whose label follows it with no numbers of its own (printed higher than
    its label): whose numbers they are cannot be told."""
    edge = max((line.labels[-1].end for line in rows if line.labels), default=0)
    column = _label_words(parsed, rows)
    piece = _group_piece(parsed, rows)
    out: dict[int, int] = {}
    unsure: dict[int, int] = {}
    for a, b in zip(rows, rows[1:]):
        if b.number - a.number > 2 or a.number in out.values():  # adjacent, or a label line between
            continue
        if any(not parsed[n - 1].words for n in range(a.number + 1, b.number)):
            continue  # a blank line between: two bands, two rows
        full = bool(a.labels) and (a.labels[-1].end >= edge - 2 or _unfinished(a.labels[-1].text))
        if _over_label(parsed, b):
            # the next row's numbers over its label; or, under a label that fills its column (a
            # tall row), that row's second half: then which cannot be told
            if full and not any(_overlap(f, g) for f in a.figures for g in b.figures):
                unsure[a.number] = b.number
            continue
        label = [w for _, words in bands.get(b.number, [(b.number, b.labels)]) for w in words]
        if any(_NUMBERED.match(w.text) for w in label):
            continue  # the second line's label is a row's own
        lower, upper = [w for w in b.labels if not piece(w)], [w for w in a.labels if not piece(w)]
        if lower and upper and not _wraps(lower, upper, column):
            continue  # a label that is not the rest of the first line's (a group label's piece aside)
        wrapped = bool(a.labels) and (not b.labels or full)
        if width is None:
            if wrapped and not any(_overlap(f, g) for f in a.figures for g in b.figures):
                out[a.number] = b.number
            continue
        if not all(id(f) in at for f in [*a.figures, *b.figures]):
            continue
        ca, cb = {at[id(f)] for f in a.figures}, {at[id(f)] for f in b.figures}
        if ca & cb or len(ca) == width or len(cb) == width:
            continue
        if len(ca | cb) == width or wrapped:
            out[a.number] = b.number
    return out, unsure


def _tops(
    rows: list[_Line], owners: dict[int, int], halves: dict[int, int], at: dict[int, int] | None
) -> tuple[dict[int, int], dict[int, set[int]]]:
    """Unlabelled lines holding the first lines of wrapped numbers (LibreOffice centres a row's
    one-line cells between a wrapped cell's lines) joined to the labelled line of their row below:
    first line → that line, when both are placed in columns; → 0 (the line is no row: read on its
    own it would be given to a row by order) otherwise. And by first line, the columns both print
    a number in: one of the two is placed wrong (a number printed aside, under the next column's
    header), so neither is read."""
    by = {r.number: r for r in rows}
    taken = {*halves, *halves.values()}
    out: dict[int, int] = {}
    clash: dict[int, set[int]] = {}
    for first, second in owners.items():
        if first in taken or first not in by:
            continue
        a, b = by[first], by.get(second)
        if (
            b is not None
            and at is not None
            and second not in taken
            and second not in out.values()
            and all(id(f) in at for f in [*a.figures, *b.figures])
        ):
            out[first] = second
            clash[first] = {at[id(f)] for f in a.figures} & {at[id(f)] for f in b.figures}
        else:
            out[first] = 0
    return out, clash


def _unfinished(label: str) -> bool:
    """A label cut mid-phrase: it ends on a comma or an opening bracket, or leaves one open."""
    return bool(re.search(r"[、，,：:（(“]$", label)) or label.count("（") + label.count("(") > label.count(
        "）"
    ) + label.count(")")


def _labelled(line: _Line) -> bool:
    """A line of label words only (no numbers, no running text, no page number)."""
    text = " ".join(w.text for w in line.words)
    return bool(line.words) and not line.figures and not _is_prose(line) and not _FOLIO.fullmatch(text)


def _over_label(parsed: list[_Line], line: _Line) -> bool:
    """An unlabelled line of numbers right over a row's numbered label printed without numbers:
    that row's numbers, printed higher than its label (pdfplumber puts a cell's top-aligned
    numbers a line above a label centred in a taller cell)."""
    if line.labels or line.number >= len(parsed):
        return False
    below = parsed[line.number]
    return (
        _labelled(below)
        and bool(_NUMBERED.match(below.words[0].text))
        and all(w.end <= line.figures[0].start for w in below.words)  # beside the numbers (no heading)
    )


def _label_words(parsed: list[_Line], rows: list[_Line]) -> list[_Word]:
    """The label words printed among a table's rows (blank rows' labels included)."""
    span = parsed[max(0, rows[0].number - 1) : rows[-1].number + 2]
    return [w for x in span for w in (x.labels if x.figures else x.words)]


def _wraps(lower: list[_Word], upper: list[_Word], column: list[_Word]) -> bool:
    """Whether the label words `lower` can be the wrapped rest of `upper`: each sits under the
    word of it above it, if any (another column's word is no matter: a group label beside), left-
    aligned or centred and never wider, and that word filled its column, as wide as the widest
    label aligned with it (left or centre), or was cut mid-phrase."""
    for w in lower:
        over = [u for u in upper if _overlap(u, w)]
        if not over:
            continue
        u = next((u for u in over if u.start - 1 <= w.start and w.end <= u.end + 2), None)
        if u is None:
            return False
        mates = [v for v in column if abs(v.start - u.start) <= 1 or abs(v.start + v.end - u.start - u.end) <= 2]
        if u.end - u.start < max(v.end - v.start for v in [u, *mates]) - 1 and not _unfinished(u.text):
            return False
    return True


def _bands(parsed: list[_Line], rows: list[_Line]) -> dict[int, list[tuple[int, list[_Word]]]]:
    """A row's wrapped label: the label lines next to it (up to a blank line, a line of numbers or
    text), in order. A line holding a numbered label (一、 （二） 3.) is another row's, unless the
    row has none yet (its numbers printed beside the label's middle: then the lines above count
    too); lines over the numbers' columns are a header, not a label. A label wraps only where it
    filled its column (as wide as the widest label aligned with it, left or centred) or was cut
    mid-phrase, and its other lines sit under it: a label that does not is another row's, printed
    blank (行政强制 under 行政处罚, 行政规范性文件 under 规章)."""
    out: dict[int, list[tuple[int, list[_Word]]]] = {}
    column = _label_words(parsed, rows)

    for line in rows:
        i = line.number - 1
        numbered = any(_NUMBERED.match(w.text) for w in line.labels)
        band = [i]
        if _over_label(parsed, line):  # the label below is theirs: it and the lines it wraps onto
            k = i + 1
            while k < len(parsed) and _labelled(parsed[k]):
                if any(w.end > line.figures[0].start for w in parsed[k].words):
                    break
                if k > i + 1 and (
                    any(_NUMBERED.match(w.text) for w in parsed[k].words)
                    or not _wraps(parsed[k].words, parsed[k - 1].words, column)
                ):
                    break
                band.append(k)
                k += 1
            out[line.number] = [(parsed[k].number, parsed[k].labels if k == i else parsed[k].words) for k in band]
            continue
        for step in (1,) if numbered else (-1, 1):  # a numbered label starts on its own line
            k, seen = i + step, numbered or step == 1  # below, a numbered label starts another row
            while 0 <= k < len(parsed) and _labelled(parsed[k]):
                if any(w.end > line.figures[0].start for w in parsed[k].words):
                    break
                upper, lower = (parsed[k], parsed[k + 1]) if step == -1 else (parsed[k - 1], parsed[k])
                words = [x.labels if x is line else x.words for x in (lower, upper)]
                if words[0] and words[1] and not _wraps(*words, column):
                    break  # not the rest of the label above it
                if any(_NUMBERED.match(w.text) for w in parsed[k].words):
                    if seen:
                        break
                    seen = True
                band.append(k)
                k += step
        if len(band) > 1:
            out[line.number] = [
                (parsed[k].number, parsed[k].labels if k == i else parsed[k].words) for k in sorted(band)
            ]
    return out
