"""Text dumps of pages (.txt, .md): decode, then one block per line; `|` lines become rows."""

from __future__ import annotations

import re
import unicodedata

from tasks.read.document import Block, Cell, Document, UnreadableDocument

_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def decode_text(data: bytes, source: str, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes to str, detecting UTF-8 / UTF-16 / GB18030 (GBK) instead of assuming."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    candidates = [declared] if declared else []
    candidates += ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            text = data.decode(_canonical_encoding(enc))
        except (UnicodeDecodeError, LookupError):
            continue
        return text, _canonical_encoding(enc)
    from charset_normalizer import from_bytes  # rare path: neither UTF-8 nor GB18030

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableDocument(f"{source}: cannot tell the text encoding (not UTF-8, GBK or GB18030)")
    return str(best), best.encoding


def _canonical_encoding(name: str) -> str:
    """GBK and GB2312 pages are decoded as GB18030, their superset, so no character is lost."""
    name = name.strip().lower()
    return "gb18030" if name in ("gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936") else name


def clean(text: str) -> str:
    """Normalise whitespace (NBSP, ideographic space, zero-width) without touching the characters."""
    text = text.replace("\u00a0", " ").replace("\u3000", " ")
    text = re.sub(r"[\u200b-\u200d\ufeff]", "", text)
    return re.sub(r"\s+", " ", text).strip()


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
    if filled >= 2:
        return True
    fields = split_pipes(_PADDING.sub("|", raw.rstrip()))
    return filled == 1 and len(fields) >= 3


def blocks_from_lines(lines: list[str]) -> list[Block]:
    """A line with two or more filled `|` cells is a table row; any other line is running text."""
    blocks: list[Block] = []
    table = -1
    in_table = False
    for number, raw in enumerate(lines, start=1):
        if "|" in raw and _MD_SEPARATOR.match(raw.strip()):
            continue
        if "|" in raw:
            cells = split_pipes(raw)
            if _is_row(raw, cells):
                if not in_table:
                    table += 1
                    in_table = True
                lead = raw.lstrip().startswith("|")
                blocks.append(Block("row", tuple(Cell(c, line=number) for c in cells), table, open_lead=lead))
                continue
            text = clean(" ".join(c for c in cells if c))
            if not text and raw.strip().startswith("|"):
                # a cell printed empty, one cell per line followed by " |" (padding bars after it)
                in_table = False
                blocks.append(Block("line", (Cell("", line=number),)))
                continue
        else:
            text = clean(raw)
        in_table = False
        if text:
            blocks.append(Block("line", (Cell(text, line=number),)))
    return blocks


def read(data: bytes, source: str) -> Document:
    text, encoding = decode_text(data, source)
    text = unicodedata.normalize("NFC", text)
    if not _CJK.search(text):
        raise UnreadableDocument(f"{source}: no Chinese text found; not an annual report (or a wrong encoding)")
    lines = text.splitlines()
    return Document(
        source=source,
        format="text",
        blocks=tuple(blocks_from_lines(lines)),
        text="\n".join(clean(line) for line in lines),
        encoding=encoding,
    )
