"""What a reader hands to the parser: blocks in reading order, no template knowledge."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


class UnreadableDocument(Exception):
    """The bytes cannot be turned into a Document; the message says why, for a person."""

    def __init__(self, reason: str, status: str = "rejected"):
        super().__init__(reason)
        self.reason = reason
        self.status = status  # rejected | needs_ocr | encrypted | unsupported | too_large


@dataclass(frozen=True)
class Cell:
    """One printed cell or line fragment, with where it sits in the source."""

    text: str
    page: int | None = None  # 1-based page (PDF/DOCX render), None for web pages and text
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom in PDF points
    line: int | None = None  # 1-based line in a text file, or the block number in HTML


@dataclass(frozen=True)
class Block:
    """A table row (cells in printed order, spans expanded) or a line of running text.

    `row` blocks come from a real grid (HTML <tr>, PDF/DOCX table, a text line with several
    `|`-separated cells); `line` blocks are anything else, one Cell holding the whole line.
    """

    kind: Literal["row", "line"]
    cells: tuple[Cell, ...]
    table: int | None = None  # index of the source grid a row belongs to
    # A `|` line that opens with a bar: the empty field before it is either the table's border
    # (markdown, dropped) or a blank first cell (cells each closed by `|`). The reader cannot tell;
    # the parser decides with the row's width, and leaves the row null when both readings fit.
    open_lead: bool = False
    # Layout text (a reader that places cells by position): True when every cell is in its column,
    # blanks included (never shifted to fit the table's width; a row of another width is null);
    # False when the positions did not decide (its cells are the printed fields in order, their
    # columns unknown: never read by a header's column indexes). None for a real grid.
    placed: bool | None = None

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells if c.text)


@dataclass(frozen=True)
class Document:
    source: str  # original file name
    format: str  # html | text | pdf | docx
    blocks: tuple[Block, ...]
    text: str  # whole plain text in reading order (metadata and prose figures come from it)
    encoding: str | None = None
    title: str | None = None  # <title> or PDF/DOCX metadata title, when the format has one
    warnings: tuple[str, ...] = field(default_factory=tuple)


# Readers make a Cell per printed cell and line, and a Block per row and line: the frozen __init__
# costs one object.__setattr__ per field, so the hot paths set the instance dict at once.
_new, _set = object.__new__, object.__setattr__


def numbered_cell(text: str, line: int) -> Cell:
    """Cell(text, line=line)."""
    cell = _new(Cell)
    _set(cell, "__dict__", {"text": text, "page": None, "bbox": None, "line": line})
    return cell


def grid_block(
    kind: Literal["row", "line"], cells: tuple[Cell, ...], table: int | None = None, open_lead: bool = False
) -> Block:
    """Block(kind, cells, table, open_lead): a row of a real grid (placed None) or a line."""
    block = _new(Block)
    _set(block, "__dict__", {"kind": kind, "cells": cells, "table": table, "open_lead": open_lead, "placed": None})
    return block
