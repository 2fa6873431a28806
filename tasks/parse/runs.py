"""Digit runs: numbers printed without separators ("230 000023") split into cells.

A run is cut into every reading that gives the row its width; the row's own totals prune the
search, and a search that grows too large stops and says so instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tasks.parse.cells import Value
from tasks.parse.tokens import Tok

MAX_DIGITS = 9  # no statutory count reaches a billion
SEARCH_BUDGET = 200_000  # search steps per row before giving up as "too many readings"


def _group_ok(pieces: list[Value], totals: tuple[int, ...]) -> bool:
    """Each completed group of `size` pieces must end with the sum of the others."""
    n = len(pieces)
    start = 0
    for size in totals:
        end = start + size
        if n == end:
            nums = [p.value for p in pieces[start:end]]
            if all(isinstance(v, (int, float)) for v in nums) and sum(nums[:-1]) != nums[-1]:
                return False
        start = end
    return True


def _expected_total(acc: list[Value], totals: tuple[int, ...]) -> str | None:
    """The digits the next cell must print if it closes a group with a total."""
    start = 0
    for size in totals:
        if len(acc) == start + size - 1:
            nums = [p.value for p in acc[start:]]
            if all(isinstance(v, int) for v in nums):
                return str(sum(nums))
            return None
        start += size
    return None


Chunk = tuple[Tok, str | None]  # a run's digits between separators, or (tok, None) for a fixed value


def split_runs(
    values: list[Tok], width: int, totals: tuple[int, ...] = (), limit: int = 50
) -> tuple[list[list[Value]], bool]:
    """Readings of the value tokens as exactly `width` cells (a run may hold several, a space
    always separates two), and whether the search was complete. `totals` are group sizes whose
    last cell is the sum of the others, checked as soon as a group is complete."""
    chunks = _chunks(values)
    last = chunks[-1][1] if chunks else None
    if totals == (width,) and last is not None and last.isdigit():
        results, steps = _split_with_total(chunks, width, limit)
    else:
        results, steps = _search(chunks, width, totals, limit)
    return results, steps <= SEARCH_BUDGET and len(results) < limit


def _chunks(values: list[Tok]) -> list[Chunk]:
    """The tokens as chunks: a run cut at its spaces and before each sign, a value kept whole."""
    chunks: list[Chunk] = []
    for t in values:
        if t.kind == "run":
            chunks += [(t, c) for part in t.text.split(" ") for c in re.split(r"(?=[+\-])", part) if c]
        else:
            chunks.append((t, None))
    return chunks


def _search(chunks: list[Chunk], width: int, totals: tuple[int, ...], limit: int) -> tuple[list[list[Value]], int]:
    """Every cut of the chunks into `width` cells that keeps the group totals; and the steps taken."""
    results: list[list[Value]] = []
    steps = 0

    def rec(i: int, offset: int, acc: list[Value]) -> None:
        nonlocal steps
        steps += 1
        if steps > SEARCH_BUDGET or len(results) >= limit:
            return
        if i == len(chunks):
            if len(acc) == width:
                results.append(list(acc))
            return
        tok, chunk = chunks[i]
        if chunk is None:
            nxt = acc + [tok.value]
            if len(nxt) <= width and _group_ok(nxt, totals):
                rec(i + 1, 0, nxt)
            return
        if len(acc) + 1 + len(chunks) - i - 1 > width:
            return
        for n in _piece_lengths(chunk, offset, _expected_total(acc, totals)):
            piece = chunk[offset : offset + n]
            nxt = acc + [Value(_num(piece), piece, "number", tok.cell)]
            if not _group_ok(nxt, totals):
                continue
            if offset + n == len(chunk):
                rec(i + 1, 0, nxt)
            elif len(nxt) < width:
                rec(i, offset + n, nxt)

    rec(0, 0, [])
    return results, steps


def _piece_lengths(chunk: str, offset: int, expected: str | None) -> Sequence[int]:
    """Lengths the next cell may take from chunk[offset:]: a decimal is one cell, a sign opens a
    cell, a group's total must print the sum already read, a leading 0 is a cell of its own."""
    rest = len(chunk) - offset
    start = offset + 1 if offset == 0 and chunk[0] in "+-" else offset
    if "." in chunk:
        return [rest] if offset == 0 else []
    if expected is not None and start == offset:
        return [len(expected)] if chunk.startswith(expected, offset) else []
    if chunk[start] == "0":
        return [start - offset + 1]
    return range(start - offset + 1, min(rest, MAX_DIGITS + start - offset) + 1)


def _split_with_total(chunks: list[Chunk], width: int, limit: int) -> tuple[list[list[Value]], int]:
    """A row that ends with its total: each suffix of the last chunk tried as the total, what
    precedes it split into cells no larger than that total (non-negative cells bound each other)."""
    results: list[list[Value]] = []
    steps = 0
    last_tok, last = chunks[-1]
    for n in range(1, min(len(last), MAX_DIGITS) + 1):
        total = last[-n:]
        if total.startswith("0") and total != "0":
            continue
        head = last[:-n]
        if not head and len(chunks) == 1:
            continue
        body = chunks[:-1] + ([(last_tok, head)] if head else [])
        sub, done = _split_bounded(body, width - 1, int(total))
        steps += done[1]
        results += [r + [Value(int(total), total, "number", last_tok.cell)] for r in sub]
        if len(results) >= limit:
            break
    return results, steps


def _split_bounded(chunks: list[Chunk], width: int, total: int) -> tuple[list[list[Value]], tuple[bool, int]]:
    """Cut digit chunks into `width` cells that add up to `total` (each cell ≤ total)."""
    results: list[list[Value]] = []
    steps = 0
    max_len = len(str(total))

    def rec(i: int, offset: int, acc: list[Value], acc_sum: int) -> None:
        nonlocal steps
        steps += 1
        if steps > SEARCH_BUDGET or acc_sum > total:
            return
        if i == len(chunks):
            if len(acc) == width and acc_sum == total:
                results.append(list(acc))
            return
        if len(acc) + (len(chunks) - i) > width:
            return
        tok, chunk = chunks[i]
        if chunk is None:
            v = tok.value.value
            if isinstance(v, int):
                rec(i + 1, 0, acc + [tok.value], acc_sum + v)
            return
        rest = len(chunk) - offset
        lengths = [1] if chunk[offset] == "0" else range(1, min(rest, max_len) + 1)
        for n in lengths:
            piece = chunk[offset : offset + n]
            value = int(piece)
            if acc_sum + value > total:
                break
            nxt = acc + [Value(value, piece, "number", tok.cell)]
            if offset + n == len(chunk):
                rec(i + 1, 0, nxt, acc_sum + value)
            elif len(nxt) < width:
                rec(i, offset + n, nxt, acc_sum + value)

    if all(c is None or c.isdigit() for _, c in chunks):
        rec(0, 0, [], 0)
    return results, (steps <= SEARCH_BUDGET, steps)


def _num(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def agreed(readings: list[list[Value]], width: int) -> list[Value]:
    """Cells every reading gives the same value (not a guess), null ("ambiguous") elsewhere."""
    out = []
    for i in range(width):
        values = {r[i].value for r in readings}
        out.append(readings[0][i] if readings and len(values) == 1 else Value(None, "", "ambiguous", None))
    return out
