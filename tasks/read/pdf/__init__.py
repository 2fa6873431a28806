"""PDF reader: tables rebuilt from page geometry (ruling lines, else word positions), the rest
as text lines, all in reading order with page and bbox kept for every cell.

Reflowed PDF text loses the grid (a row's label wraps, vertical labels come one character per
line), so rows are rebuilt from cell rectangles and character positions, never from text order.
"""

from __future__ import annotations

import io

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdftypes import resolve1
from pdfminer.utils import decode_text

from tasks.read.document import Document, UnreadableDocument
from tasks.read.pdf.cells import Grid, to_blocks
from tasks.read.pdf.geometry import Char
from tasks.read.pdf.pages import linked
from tasks.read.pdf.rules import ruled_grid, ruled_tables
from tasks.read.pdf.text import Line, group_lines, text_line
from tasks.read.pdf.unruled import unruled_grids
from tasks.read.radicals import ideographs

__all__ = ["read"]


def read(data: bytes, source: str) -> Document:
    """Read a PDF into blocks; raise UnreadableDocument for scans, encryption and damage."""
    if b"%%EOF" not in data[-4096:]:
        raise UnreadableDocument(f"{source}: the PDF is truncated (no %%EOF end marker); the download is incomplete")
    pdf = _open(data, source)
    with pdf:
        title = _title(pdf)
        items: list[Line | Grid] = []
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
    blocks, lines = to_blocks(linked(items))
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
        raise UnreadableDocument(f"{source}: malformed PDF ({describe(cause)})") from exc


def describe(exc: BaseException) -> str:
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


def _page_items(page: pdfplumber.page.Page, source: str) -> tuple[list[Line | Grid], bool]:
    """The page's tables and text lines sorted top to bottom, and whether it has any text."""
    try:
        chars = [{**c, "text": ideographs(c["text"])} for c in page.chars if c["text"].strip()]
        tables = ruled_tables(page)
    except Exception as exc:
        raise UnreadableDocument(f"{source}: page {page.page_number} cannot be parsed ({describe(exc)})") from exc
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
    grids = [ruled_grid(number, b, t.cells, cs) for b, t, cs in zip(boxes, tables, inside)]
    lines = [text_line(number, cs) for cs in group_lines(outside)]
    unruled, lines = unruled_grids(number, lines)
    items: list[Line | Grid] = [*grids, *unruled, *lines]
    items.sort(key=lambda item: item.bbox[1])
    return items, bool(chars)
