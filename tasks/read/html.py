"""Web pages (and Word-export HTML): tables become grids with spans expanded (tasks.read.grid), the rest lines."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tasks.read.document import Block, Document, UnreadableDocument, grid_block, numbered_cell
from tasks.read.grid import MAX_SPAN, clamp_span, covered_text, parse_span
from tasks.read.text import clean, decode_text

_SKIP = {"script", "style", "head", "noscript", "template", "-comment", "iframe", "select", "button"}
_BLOCK = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "header",
    "footer",
    "tr",
    "dd",
    "dt",
    "dl",
    "blockquote",
    "pre",
    "center",
    "form",
    "nav",
    "main",
    "aside",
    "ucapcontent",
    "caption",
    "td",
    "th",
    "tbody",
    "thead",
}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def _span(node: LexborNode, name: str, room: int) -> int:
    """rowspan/colspan as printed (Word exports sometimes write 0 or absurd values), clamped to the room left."""
    return clamp_span(parse_span(node.attributes.get(name)), room)


def _cell_text(node: LexborNode) -> str:
    """Text of a cell: Word splits one label over many <p>/<span>, so parts join without spaces."""
    return clean(node.text(deep=True, separator=""))


def _grid(table: LexborNode) -> list[list[str]]:
    """Expand rowspan/colspan into a rectangular grid, slots of a merged cell filled by the grid policy.
    A row whose own cells are all printed blank stays, as blanks (a table-4 row with nothing to
    report is data, not a spacer); a row with no cell of its own, or one empty cell, is dropped."""
    rows = table.css("tr")
    cells = [[cell for cell in tr.iter() if cell.tag in ("td", "th")] for tr in rows]
    grid: list[dict[int, str]] = [{} for _ in rows]  # per row: column → text, filled in printed order
    width = 0
    for r, row_cells in enumerate(cells):
        taken = grid[r]
        c = 0
        for cell in row_cells:
            while c in taken:
                c += 1
            text = _cell_text(cell)
            attributes = cell.attributes
            if "rowspan" not in attributes and "colspan" not in attributes:
                taken[c] = text  # one slot: its origin
                c += 1
                width = max(width, c)
                continue
            rs, cs = _span(cell, "rowspan", len(rows) - r), _span(cell, "colspan", MAX_SPAN)
            for dr in range(rs):
                for dc in range(cs):
                    grid[r + dr][c + dc] = covered_text(text, dr == 0, dc == 0)
            c += cs
            width = max(width, c)
    out = [[slots.get(c, "") for c in range(width)] for slots in grid]
    own = [len(row_cells) for row_cells in cells]
    return [row for row, n in zip(out, own) if any(row) or n >= 2]


class _Walker:
    """Walks the DOM in reading order, emitting line blocks and table-row blocks."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.tables = 0

    def flush(self) -> None:
        text = clean("".join(self.buf))
        self.buf = []
        if text:
            self.lines.append(text)
            self.blocks.append(grid_block("line", (numbered_cell(text, len(self.blocks) + 1),)))

    def table(self, node: LexborNode) -> None:
        if any(t.mem_id != node.mem_id for t in node.css("table")):
            self.walk(node)  # a layout table holding real tables: its cells are containers
            return
        index = self.tables
        self.tables += 1
        for row in _grid(node):
            number = len(self.blocks) + 1
            self.blocks.append(grid_block("row", tuple(numbered_cell(t, number) for t in row), index))
            self.lines.append(" | ".join(row))

    def walk(self, node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                self.buf.append(child.text(deep=False) or "")
            elif tag in _SKIP:
                continue
            elif tag == "table":
                self.flush()
                self.table(child)
            elif tag == "br":
                self.flush()
            elif tag in _BLOCK:
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)


_NESTING_TAG = re.compile(r"<(/?)(?:div|span|table|font|section|li|ul|blockquote)\b", re.IGNORECASE)
MAX_NESTING = 2000  # real report pages nest a few dozen deep; lexbor's parse grows with depth squared


def nesting_depth(text: str) -> int:
    """The deepest nesting of common container tags, by one scan of the text (no parse)."""
    depth = deepest = 0
    for m in _NESTING_TAG.finditer(text):
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


def read(data: bytes, source: str) -> Document:
    declared = _CHARSET.search(data[:4096])
    text, encoding, warnings = decode_text(data, source, declared.group(1).decode("ascii") if declared else None)
    # each level opens with a "<": a page with fewer of them cannot nest too deep (the scan costs)
    if text.count("<") > MAX_NESTING and (depth := nesting_depth(text)) > MAX_NESTING:
        raise UnreadableDocument(
            f"{source}: elements nested {depth} deep (more than {MAX_NESTING}); not read", "too_large"
        )
    tree = LexborHTMLParser(text)
    root = tree.body or tree.root
    if root is None:
        raise UnreadableDocument(f"{source}: the HTML has no body")
    title_node = tree.css_first("title")
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    if not walker.blocks:
        raise UnreadableDocument(f"{source}: the page holds no text")
    return Document(
        source=source,
        format="html",
        blocks=tuple(walker.blocks),
        text="\n".join(walker.lines),
        encoding=encoding,
        title=clean(title_node.text()) if title_node is not None else None,
        warnings=tuple(warnings),
    )
