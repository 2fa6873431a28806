"""DOCX reader: the body walked in document order, paragraphs as lines, tables as rows with
merged cells (gridSpan, vMerge) expanded onto the table's column grid.

python-docx's `Document.paragraphs` and `.tables` lose the order between the two, so the body
XML is walked directly; page and bbox do not exist before a Word file is laid out (None).
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Iterator

import docx
from lxml import etree

from tasks.read.document import Block, Cell, Document, UnreadableDocument
from tasks.read.grid import MAX_SPAN, clamp_span, covered_text, parse_span

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"}  # transparent containers

_ASCII_SPACE = re.compile(r"(?<=[0-9A-Za-z_])\s+(?=[0-9A-Za-z_])")
_SPACE = re.compile(r"\s+")


MAX_UNPACKED = 256 * 1024 * 1024  # bytes a Word package may inflate to (a report is a few MB)
MAX_RATIO = 200  # and at most this many times its packed size (zip bombs reach thousands)


def _check_package(data: bytes, source: str) -> None:
    """Refuse a package whose entries claim to inflate past the limits, before anything inflates."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableDocument(f"{source}: not a valid Word (.docx) package ({_describe(exc)})") from exc
    if unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * max(len(data), 1):
        raise UnreadableDocument(
            f"{source}: the package inflates to {unpacked:,} bytes from {len(data):,} (a zip bomb?); not read",
            "too_large",
        )


def read(data: bytes, source: str) -> Document:
    """Read a Word package into blocks; anything that is not one raises UnreadableDocument."""
    _check_package(data, source)
    try:
        document = docx.Document(io.BytesIO(data))
    # BadZipFile, KeyError (a missing part), ValueError (another OOXML type), XML syntax errors
    except Exception as exc:
        reason = f"{source}: not a valid Word (.docx) package ({_describe(exc)})"
        raise UnreadableDocument(reason) from exc
    blocks: list[Block] = []
    lines: list[str] = []
    _walk(document.element.body, blocks, lines, itertools.count())
    title = (document.core_properties.title or "").strip() or None
    return Document(source=source, format="docx", blocks=tuple(blocks), text="\n".join(lines), title=title)


def _describe(exc: BaseException) -> str:
    """Name an exception for a message: its class and text."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def clean(text: str) -> str:
    """Whitespace removed except one space between two ASCII word characters (CJK has none)."""
    return _SPACE.sub("", _ASCII_SPACE.sub("\x00", text.strip())).replace("\x00", " ")


def _children(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Child elements with a tag, looking through content controls and custom-XML wrappers."""
    for child in element.iterchildren():
        if child.tag == W + tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _walk(container: etree._Element, blocks: list[Block], lines: list[str], tables: Iterator[int]) -> None:
    """Append the blocks of a body (or a table cell) in document order."""
    for child in container.iterchildren():
        if child.tag == W + "p":
            for text in _paragraph_lines(child):
                blocks.append(Block("line", (Cell(text),)))
                lines.append(text)
        elif child.tag == W + "tbl":
            _table(child, blocks, lines, tables)
        elif child.tag in _WRAPPERS:
            _walk(child, blocks, lines, tables)


def _paragraph_lines(p: etree._Element) -> list[str]:
    """A paragraph's text, one entry per line (a manual line break starts a new one)."""
    return [line for line in (clean(part) for part in _text(p).split("\n")) if line]


def _text(element: etree._Element) -> str:
    """Visible text under an element: runs, tabs and breaks; not the duplicate Fallback copies."""
    out = []
    for child in element.iterchildren():
        tag = child.tag
        if tag == W + "t":
            out.append(child.text or "")
        elif tag in (W + "tab", W + "ptab"):
            out.append(" ")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        elif tag != MC_FALLBACK and tag != W + "tbl":
            out.append(_text(child))
    return "".join(out)


def _cell_text(tc: etree._Element) -> str:
    """A cell's paragraphs joined; a number wrapped onto a second paragraph is put back together."""
    text = ""
    for p in _children(tc, "p"):
        part = _text(p)
        if text and not (text[-1].isdigit() and part[:1].isdigit()):
            text += "\n"
        text += part
    return clean(text)


def _span(tc: etree._Element, room: int = MAX_SPAN) -> int:
    """How many grid columns a cell covers (w:gridSpan), at most the `room` left in the table."""
    value = tc.find(f"{W}tcPr/{W}gridSpan")
    return clamp_span(parse_span(value.get(W + "val")), room) if value is not None else 1


def _continues_above(tc: etree._Element) -> bool:
    """Whether the cell continues a vertical merge (w:vMerge without val="restart")."""
    merge = tc.find(f"{W}tcPr/{W}vMerge")
    return merge is not None and merge.get(W + "val", "continue") != "restart"


def _grid_skip(tr: etree._Element, name: str, room: int = MAX_SPAN) -> int:
    """Grid columns left empty before or after a row's cells (w:gridBefore / w:gridAfter)."""
    value = tr.find(f"{W}trPr/{W}{name}")
    return min(parse_span(value.get(W + "val"), least=0), room) if value is not None else 0


def _column_count(tbl: etree._Element) -> int:
    """Columns of the table grid; from the widest row when w:tblGrid is missing (or too narrow)."""
    declared = len(tbl.findall(f"{W}tblGrid/{W}gridCol"))
    room = declared or MAX_SPAN
    return max(declared, max((_row_width(tr, room) for tr in _children(tbl, "tr")), default=0))


def _row_width(tr: etree._Element, room: int) -> int:
    """Grid columns a row fills, each span counted for at most `room` (the declared grid), so an
    absurd gridSpan cannot widen the table; rows that overrun the grid by sane spans still do."""
    return _grid_skip(tr, "gridBefore", room) + sum(_span(tc, room) for tc in _children(tr, "tc"))


def _table(tbl: etree._Element, blocks: list[Block], lines: list[str], tables: Iterator[int]) -> None:
    """Append a table's rows, merged cells filled by the grid policy (tasks.read.grid); nested
    tables follow their row. A one-column table is a frame around ordinary content and is read
    as that content.
    """
    ncols = _column_count(tbl)
    if ncols <= 1:
        for tc in (tc for tr in _children(tbl, "tr") for tc in _children(tr, "tc")):
            _walk(tc, blocks, lines, tables)
        return
    index = next(tables)
    above = [""] * ncols  # text of the cell each column's vertical merge started with
    for tr in _children(tbl, "tr"):
        cells = [Cell("") for _ in range(_grid_skip(tr, "gridBefore", ncols))]
        origins: list[str] = []
        nested: list[etree._Element] = []
        for tc in _children(tr, "tc"):
            col = len(cells)
            if col >= ncols:
                break
            span = _span(tc, ncols - col)
            if _continues_above(tc):
                text = above[col]
                shown = covered_text(text, first_row=False, first_col=True)
            else:
                text = shown = _cell_text(tc)
                origins.append(text)
                nested.extend(_children(tc, "tbl"))
            cells.append(Cell(shown))
            cells.extend(Cell(covered_text(text, first_row=True, first_col=False)) for _ in range(span - 1))
            above[col : col + span] = [text] * span
        cells = (cells + [Cell("") for _ in range(ncols - len(cells))])[:ncols]
        blocks.append(Block("row", tuple(cells), table=index))
        text = " ".join(t for t in origins if t)
        if text:
            lines.append(text)
        for inner in nested:
            _table(inner, blocks, lines, tables)
