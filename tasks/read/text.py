"""Text dumps of pages (.txt, .md): decode, then one block per line; `|` lines become rows."""

from __future__ import annotations

import itertools
import re
import unicodedata

from tasks.read.document import Block, Document, UnreadableDocument, grid_block, numbered_cell
from tasks.read.layout import layout_blocks
from tasks.read.radicals import ideographs

_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
MAX_BAD_SHARE = 0.01  # at most 1% undecodable bytes are replaced (and counted); more is not text


def wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 (with or without a byte-order mark), told by where the zero bytes fall."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name if name != "utf-8" else None
    head = data[:4096]
    if b"\x00" not in head:
        return None
    for name, unit in (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2)):
        sample = head[: len(head) - len(head) % unit]
        try:
            text = sample.decode(name)
        except UnicodeDecodeError:
            continue
        if text and sum(ch.isprintable() or ch in "\r\n\t" for ch in text) / len(text) > 0.95:
            return name
    return None


def decode_text(data: bytes, source: str, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode bytes to (text, encoding, warnings), detecting UTF-8 / UTF-16 / UTF-32 / GB18030 (GBK).

    A file cut mid-character is decoded and said to be truncated; a few undecodable bytes (at most
    1%) are replaced and counted, so the gate can see what they touched; more is not text."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace"), name + ("-sig" if name == "utf-8" else ""), []
    if wide := wide_encoding(data):
        return data.decode(wide, errors="replace"), wide, []
    candidates = ([_canonical_encoding(declared)] if declared else []) + ["utf-8", "gb18030"]
    for enc in dict.fromkeys(candidates):
        try:
            return data.decode(enc), enc, []
        except UnicodeDecodeError as exc:
            if exc.reason == "unexpected end of data" and exc.start >= len(data) - 4:
                return data[: exc.start].decode(enc), enc, [f"{source}: truncated: the file ends mid-character"]
            # UTF-8 is self-synchronising: a few damaged bytes show as a few errors, while GBK text read
            # as UTF-8 fails everywhere; so a nearly-UTF-8 file is UTF-8 with damage, not GB18030
            if enc == "utf-8" and (found := _nearly(data, enc, source)):
                return found
        except LookupError:
            continue
    for enc in dict.fromkeys(candidates):
        if found := _nearly(data, enc, source):
            return found
    return _detected(data, source)


def _nearly(data: bytes, enc: str, source: str) -> tuple[str, str, list[str]] | None:
    """The text with its few undecodable bytes replaced (and counted), or None if they are many."""
    try:
        text = data.decode(enc, errors="replace")
    except LookupError:
        return None
    bad = text.count("\ufffd")
    if bad > max(1, MAX_BAD_SHARE * len(data)):
        return None
    return text, enc, [f"{source}: {bad} byte sequence(s) could not be decoded as {enc} and were replaced"]


def _detected(data: bytes, source: str) -> tuple[str, str, list[str]]:
    """Neither UTF-8 nor GB18030, even damaged: ask charset detection."""
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        raise UnreadableDocument(f"{source}: cannot tell the text encoding (not UTF-8, UTF-16, GBK or GB18030)")
    return str(match), match.encoding, []


def _canonical_encoding(name: str) -> str:
    """GBK and GB2312 pages are decoded as GB18030, their superset, so no character is lost."""
    name = name.strip().lower()
    return "gb18030" if name in ("gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936") else name


_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\ufeff]")


def clean(text: str) -> str:
    """Normalise whitespace (NBSP, ideographic space, zero-width) without touching the characters."""
    # str.split() splits at exactly what re's \s matches (NBSP and U+3000 included); called per cell
    if "\u200b" in text or "\u200c" in text or "\u200d" in text or "\ufeff" in text:
        text = _ZERO_WIDTH.sub("", text)
    return " ".join(text.split())


def split_pipes(line: str) -> list[str]:
    """Cells of a `|`-separated line; the empty cells produced by a leading/trailing `|` are dropped."""
    parts = [clean(p) for p in line.split("|")]
    if line.lstrip().startswith("|") and parts and parts[0] == "":
        parts = parts[1:]
    if line.rstrip().endswith("|") and parts and parts[-1] == "":
        parts = parts[:-1]
    return parts


_PADDING = re.compile(r"\|{2,}\s*$")  # bars with nothing between them: padding to the grid's width


def _is_row(raw: str, cells: list[str]) -> bool:
    """Two filled cells, or one filled among three or more fields (a mostly blank data row);
    trailing padding bars (`|||`) are not fields."""
    filled = sum(1 for c in cells if c)
    if filled != 1:
        return filled >= 2
    return len(split_pipes(_PADDING.sub("|", raw.rstrip()))) >= 3


def blocks_from_lines(lines: list[str], pages: list[int] | None = None) -> list[Block]:
    """A line with two or more filled `|` cells is a table row; any other line is running text.
    `pages`: the page of each line, where the text marks its pages (a form feed ends each)."""
    blocks: list[Block] = []
    table = -1
    in_table = False
    # space-aligned tables (layout text), in a file without `|` tables
    layout = {} if any("|" in raw for raw in lines) else layout_blocks(lines, first_table=1000, pages=pages)
    for number, raw in enumerate(lines, start=1):
        if number in layout:
            blocks += layout[number]
            in_table = False
            continue
        if "|" in raw and _MD_SEPARATOR.match(raw.strip()):
            continue
        if "|" in raw:
            cells = split_pipes(raw)
            if _is_row(raw, cells):
                if not in_table:
                    table += 1
                    in_table = True
                lead = raw.lstrip().startswith("|")
                blocks.append(grid_block("row", tuple(numbered_cell(c, number) for c in cells), table, open_lead=lead))
                continue
            text = clean(" ".join(c for c in cells if c))
            if not text and raw.strip().startswith("|"):
                # a cell printed empty, one cell per line followed by " |" (padding bars after it)
                in_table = False
                blocks.append(grid_block("line", (numbered_cell("", number),)))
                continue
        else:
            text = clean(raw)
        in_table = False
        if text:
            blocks.append(grid_block("line", (numbered_cell(text, number),)))
    return blocks


def read(data: bytes, source: str) -> Document:
    text, encoding, warnings = decode_text(data, source)
    # trailing blank lines never move the metadata; radicals come with text copied out of PDFs
    text = ideographs(unicodedata.normalize("NFC", text)).rstrip()
    if not _CJK.search(text):
        raise UnreadableDocument(f"{source}: no Chinese text found; not an annual report (or a wrong encoding)")
    lines = text.splitlines()
    pages = None
    if "\f" in text:  # pdftotext ends each page with a form feed
        ends = [line.endswith("\f") for line in text.splitlines(keepends=True)]
        pages = [0, *itertools.accumulate(ends)][: len(lines)] if len(ends) == len(lines) else None
    return Document(
        source=source,
        format="text",
        blocks=tuple(blocks_from_lines(lines, pages)),
        text="\n".join(clean(line) for line in lines),
        encoding=encoding,
        warnings=tuple(warnings),
    )
