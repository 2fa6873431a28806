"""Text from PDF chars: printed lines, the gaps that split them, and cell text."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from tasks.read.pdf.geometry import BBox, Char, round_box

UNRULED_GAP_EM = 1.0  # a gap wider than this many font sizes separates two cells of a line


_ASCII_SPACE = re.compile(r"(?<=[0-9A-Za-z_])\s+(?=[0-9A-Za-z_])")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Line:
    """A line of running text on one page."""

    page: int
    segments: tuple[list[Char], ...]  # pieces of the line separated by wide gaps
    bbox: BBox
    text: str


def group_lines(chars: list[Char]) -> list[list[Char]]:
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


def join_chars(line: list[Char]) -> str:
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


def cell_text(chars: list[Char]) -> str:
    """A cell's text: its lines joined, a number wrapped across lines put back together."""
    text = ""
    for line in group_lines(chars):
        part = join_chars(line)
        if text and not (text[-1].isdigit() and part[:1].isdigit()):
            text += "\n"
        text += part
    return clean(text)


def clean(text: str) -> str:
    """Whitespace removed except one space between two ASCII word characters (CJK has none)."""
    return _SPACE.sub("", _ASCII_SPACE.sub("\x00", text.strip())).replace("\x00", " ")


def text_line(page: int, chars: list[Char]) -> Line:
    """A text line; pieces far apart (table-like) stay apart, separated by one space."""
    parts = tuple(line_segments(chars))
    text = " ".join(t for t in (clean(join_chars(p)) for p in parts) if t)
    bbox = round_box(
        (
            min(c["x0"] for c in chars),
            min(c["top"] for c in chars),
            max(c["x1"] for c in chars),
            max(c["bottom"] for c in chars),
        )
    )
    return Line(page=page, segments=parts, bbox=bbox, text=text)


def line_segments(chars: list[Char] | tuple[Char, ...]) -> list[list[Char]]:
    """A line cut where the gap between two chars is wider than UNRULED_GAP_EM font sizes."""
    parts: list[list[Char]] = [[chars[0]]]
    for prev, char in itertools.pairwise(chars):
        if char["x0"] - prev["x1"] > UNRULED_GAP_EM * max(char["size"], prev["size"]):
            parts.append([])
        parts[-1].append(char)
    return parts
