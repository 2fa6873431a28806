"""Readers: bytes → Document. Formats are recognised by content, not by file name.

Each reader is a plain function `read(data: bytes, source: str) -> Document`; adding a format
means adding one module and one line to `_READERS`.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from tasks.read.document import Block, Cell, Document, UnreadableDocument
from tasks.read.text import wide_encoding

__all__ = ["Block", "Cell", "Document", "UnreadableDocument", "detect_format", "read_document", "read_path"]

# format name → module with a `read(data, source)` function; imported lazily (pdfplumber costs).
_READERS = {
    "pdf": "tasks.read.pdf",
    "docx": "tasks.read.docx",
    "html": "tasks.read.html",
    "text": "tasks.read.text",
}

MAX_BYTES = 200 * 1024 * 1024


def detect_format(data: bytes) -> str:
    """Name the format of `data` from its first bytes (never from the file name)."""
    head = data[:2048]
    if wide := wide_encoding(data):  # UTF-16/32 text or HTML, with or without a byte-order mark
        head = data[:8192].decode(wide, errors="replace").encode("utf-8")
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        return "docx" if b"word/" in data[:65536] or b"[Content_Types].xml" in data[:65536] else "zip"
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "doc"
    if b"\x00" in head:
        return "binary"
    lowered = head.lower()
    if any(tag in lowered for tag in (b"<html", b"<!doctype html", b"<table", b"<p", b"<div", b"<body", b"<span")):
        return "html"
    return "text"


def read_document(data: bytes, source: str) -> Document:
    """Turn bytes into a Document, or raise UnreadableDocument with a reason a person can act on."""
    if not data:
        raise UnreadableDocument(f"{source}: the file is empty")
    if len(data) > MAX_BYTES:
        raise UnreadableDocument(f"{source}: {len(data)} bytes is larger than the {MAX_BYTES} byte limit")
    fmt = detect_format(data)
    if fmt == "doc":
        raise UnreadableDocument(
            f"{source}: legacy Word .doc (OLE2) is not read; save it as .docx or PDF", "unsupported"
        )
    if fmt in ("zip", "binary"):
        raise UnreadableDocument(f"{source}: not a report document (binary content, format '{fmt}')", "unsupported")
    try:
        module = importlib.import_module(_READERS[fmt])
    except ModuleNotFoundError as exc:  # a reader not installed in this build
        raise UnreadableDocument(f"{source}: no reader for {fmt} documents ({exc.name})", "unsupported") from exc
    return module.read(data, source)


def read_path(path: str | Path) -> Document:
    """Read a file from disk; missing or unreadable files raise UnreadableDocument."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise UnreadableDocument(f"{p}: no such file") from exc
    except IsADirectoryError as exc:
        raise UnreadableDocument(f"{p}: is a directory, not a file") from exc
    except OSError as exc:
        raise UnreadableDocument(f"{p}: cannot be read ({exc.strerror})") from exc
    return read_document(data, p.name)
