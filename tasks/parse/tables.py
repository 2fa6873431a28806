"""The template-aware parser: walks the token stream and fills the three statutory tables.

Rows are found by their label within their group, never by counting numbers alone; a row whose
label was lost takes the next unfilled row in printed order; digit runs printed without separators
are split with the table's own identities, and left null (with the candidates) when still ambiguous.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from tasks.keys import (
    OTHER_SUBROWS,
    T2_ROWS,
    T2_SIGNED_COLUMNS,
    T3_COLUMNS,
    T3_OUTCOME_ROWS,
    T3_ROW_INDEX,
    T3_ROW_KEYS,
    T4_KEYS,
)
from tasks.parse.cells import Value
from tasks.parse.tokens import Tok


@dataclass
class Segment:
    """A candidate table row: its label tokens and the value tokens that follow them."""

    labels: list[Tok] = field(default_factory=list)
    values: list[Tok] = field(default_factory=list)
    row: bool = False
    cells: list[Tok] = field(default_factory=list)  # all tokens of a real row, in column order

    @property
    def label(self) -> str:
        return "".join(t.text for t in self.labels)

    @property
    def has_numbers(self) -> bool:
        """Any printed number (a row of blank cells is a header or spacer, not data)."""
        return any(t.kind == "run" or (t.value is not None and t.value.value is not None) for t in self.values)

    @property
    def ncols(self) -> int:
        return self.cells[0].ncols if self.cells else 0


def segments(toks: list[Tok]) -> list[Segment]:
    """Group tokens: a real row is one segment; loose text + the numbers after it is another."""
    segs: list[Segment] = []
    cur: Segment | None = None
    block = -1
    for t in toks:
        if t.row:
            if cur is None or not cur.row or t.block != block:
                cur = Segment(row=True)
                segs.append(cur)
                block = t.block
            cur.cells.append(t)
            continue
        if cur is None or cur.row or (t.kind == "text" and cur.values):
            cur = Segment()
            segs.append(cur)
        (cur.labels if t.kind == "text" else cur.values).append(t)
    for s in segs:
        if s.row:
            last_text = max((t.col for t in s.cells if t.kind == "text"), default=-1)
            s.labels = [t for t in s.cells if t.kind == "text"]
            s.values = [t for t in s.cells if t.kind != "text" and t.col > last_text]
    return segs


# ---------------------------------------------------------------- splitting digit runs


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


def split_runs(
    values: list[Tok], width: int, totals: tuple[int, ...] = (), limit: int = 50
) -> tuple[list[list[Value]], bool]:
    """Readings of the value tokens as exactly `width` cells (a run may hold several, a space
    always separates two), and whether the search was complete. `totals` are group sizes whose
    last cell is the sum of the others, checked as soon as a group is complete."""
    chunks: list[tuple[Tok, str | None]] = []
    for t in values:
        if t.kind == "run":
            chunks += [(t, c) for part in t.text.split(" ") for c in re.split(r"(?=[+\-])", part) if c]
        else:
            chunks.append((t, None))
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
        rest = len(chunk) - offset
        later_chunks = len(chunks) - i - 1
        if len(acc) + 1 + later_chunks > width:
            return
        expected = _expected_total(acc, totals)
        start = offset + 1 if offset == 0 and chunk[0] in "+-" else offset  # a sign opens a cell
        if "." in chunk:  # a decimal is one cell
            lengths = [rest] if offset == 0 else []
        elif expected is not None and start == offset:  # a group's total is the sum already read
            lengths = [len(expected)] if chunk.startswith(expected, offset) else []
        elif chunk[start] == "0":
            lengths = [start - offset + 1]
        else:
            lengths = range(start - offset + 1, min(rest, MAX_DIGITS + start - offset) + 1)
        for n in lengths:
            piece = chunk[offset : offset + n]
            nxt = acc + [Value(_num(piece), piece, "number", tok.cell)]
            if not _group_ok(nxt, totals):
                continue
            if offset + n == len(chunk):
                rec(i + 1, 0, nxt)
            elif len(nxt) < width:
                rec(i, offset + n, nxt)

    last_tok, last = chunks[-1] if chunks else (None, None)
    if totals == (width,) and last is not None and last.isdigit():
        # the row ends with its total: try each suffix as the total, then split what precedes it
        # into cells no larger than that total (a sum of non-negative cells bounds each of them)
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
        return results, steps <= SEARCH_BUDGET and len(results) < limit
    rec(0, 0, [])
    return results, steps <= SEARCH_BUDGET and len(results) < limit


def _split_bounded(
    chunks: list[tuple[Tok, str | None]], width: int, total: int
) -> tuple[list[list[Value]], tuple[bool, int]]:
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


def _is_fixed(values: list[Tok]) -> bool:
    return all(t.kind == "value" for t in values)


# ---------------------------------------------------------------- table 3

_T3_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (k, re.compile(p))
    for k, p in [
        ("new_requests", r"本年新收|新收.{0,6}申请"),
        ("carried_over_in", r"上年结转"),
        ("carried_over_out", r"结转下年|下年度继续|转下一?年度"),
        ("partially_granted", r"部分公开|公开部分"),
        ("granted", r"予以公开"),
        ("denied_state_secret", r"国家秘密"),
        ("denied_prohibited_by_law", r"其他法律|禁止公开|行政止公开"),
        ("denied_security_stability", r"三安全|一稳定|以稳定"),
        ("denied_third_party_rights", r"第三方"),
        ("denied_internal_affairs", r"内部事务"),
        ("denied_process_information", r"过程性"),
        ("denied_enforcement_case_files", r"执法案卷"),
        ("denied_administrative_query", r"行政查询|查询事项"),
        ("unavailable_not_held", r"不掌握"),
        ("unavailable_requires_creation", r"另行制作|没有现成"),
        ("unavailable_unclear_after_amendment", r"补正后|仍不明确"),
        ("not_processed_complaint", r"信访|举报投诉"),
        ("not_processed_duplicate", r"重复申请"),
        ("not_processed_publication", r"出版物"),
        ("not_processed_excessive", r"大量反复"),
        ("not_processed_confirmation", r"重新出具|确认或"),
        ("other_no_amendment", r"不补正"),
        ("other_unpaid_fee", r"收费通知|缴纳费用"),
        ("other_misc", r"^(\(六\))?(3[.、]?)?其他$"),
        ("other_total", r"其他处理"),
        ("handled_total", r"总计|合计"),
    ]
]
_T3_COLUMN_PATTERNS = [
    ("natural_person", r"自然人"),
    ("commercial", r"商业"),
    ("research", r"科研"),
    ("public_interest", r"公益"),
    ("legal_services", r"法律服务"),
    ("other_org", r"^其他$"),
    ("total", r"^(总计|合计)$"),
]
T4_ANCHOR = re.compile(r"行政复议")
SECTION_END = re.compile(r"^(五|六)、|存在的主要问题|其他需要报告")


def _tail(text: str) -> str:
    """The part of a label next to its numbers: prose before the last full stop is not label."""
    return re.split(r"[。；;]", text)[-1]


def match_t3(labels: list[Tok]) -> str | None:
    """The table-3 row a label names: the last label cell, and within it the rightmost match."""
    for t in reversed(labels):
        text = _tail(t.text)
        best: tuple[int, str] | None = None
        for key, pattern in _T3_PATTERNS:
            for m in pattern.finditer(text):
                if best is None or m.end() > best[0]:
                    best = (m.end(), key)
        if best:
            return best[1]
    return None


def _colmap(seg: Segment) -> dict[str, int] | None:
    """Column positions from a header row that prints all seven applicant columns."""
    if not seg.row:
        return None
    found: dict[str, int] = {}
    for t in seg.cells:
        if t.kind != "text":
            continue
        for key, pattern in _T3_COLUMN_PATTERNS:
            if key not in found and re.search(pattern, t.text):
                found[key] = t.col
                break
    if len(found) == len(T3_COLUMNS):
        return found | {"ncols": seg.ncols}
    start = found.get("natural_person")
    if start is not None and found.get("commercial") == start + 1:
        # a header cut short (a clipped or wrapped grid): the columns follow in printed order
        return {key: start + i for i, key in enumerate(T3_COLUMNS)} | {"ncols": seg.ncols}
    return None


@dataclass
class RowRead:
    values: list[Value] | None  # None while ambiguous
    candidates: list[list[Value]] = field(default_factory=list)
    note: str | None = None


def _row_values(
    seg: Segment,
    width: int,
    totals: tuple[int, ...] = (),
    colmap: dict[str, int] | None = None,
    columns: tuple[str, ...] = T3_COLUMNS,
) -> RowRead:
    """Read `width` values from a segment: by header columns, by position, or by splitting runs."""
    vals = seg.values
    if seg.row and colmap and colmap["ncols"] == seg.ncols:
        by_col = {t.col: t for t in seg.cells}
        out = []
        for key in columns:
            tok = by_col.get(colmap[key])
            out.append(tok.value if tok is not None and tok.kind == "value" else Value(None, "", "missing"))
        return RowRead(out)
    if _is_fixed(vals):
        filled = [t for t in vals if t.value.value is not None]
        if len(filled) == width:
            return RowRead([t.value for t in filled])
        if len(vals) == width:
            return RowRead([t.value for t in vals])
        if len(vals) > width:
            trimmed = list(vals)
            while len(trimmed) > width and trimmed[-1].value.value is None:
                trimmed.pop()
            while len(trimmed) > width and trimmed[0].value.value is None:
                trimmed.pop(0)
            if len(trimmed) == width:
                return RowRead([t.value for t in trimmed])
            return RowRead(
                [t.value for t in vals[:width]], note=f"{len(vals)} values for {width} columns; kept the first {width}"
            )
        padded = [t.value for t in vals] + [Value(None, "", "blank", vals[-1].cell if vals else None)] * (
            width - len(vals)
        )
        return RowRead(
            padded, note=f"only {len(vals)} of {width} cells printed; the last {width - len(vals)} read as blank"
        )
    good, complete = split_runs(vals, width, totals)
    if len(good) == 1 and complete:
        return RowRead(good[0])
    if not good and totals:
        loose, complete = split_runs(vals, width)
        if len(loose) == 1 and complete:
            return RowRead(loose[0], note="the only split of the run breaks the row's own total")
        return RowRead(None, candidates=loose, note=None if complete else "too many readings")
    return RowRead(None, candidates=good, note=None if complete else "too many readings")


@dataclass
class TableRead:
    cells: dict[str, dict[str, Value]]
    end: int
    warnings: list[str]
    layout: str | None = None  # "2021" | "2019" (table 3: whether (六) is split)


def _blank_row(width: int, tok: Tok | None) -> list[Value]:
    return [Value(None, "", "blank", tok.cell if tok else None) for _ in range(width)]


def parse_table3(segs: list[Segment], start: int) -> TableRead:
    """Table 3 from the segment that names 本年新收 onwards."""
    end = len(segs)
    for i in range(start + 1, len(segs)):
        if segs[i].labels and (
            T4_ANCHOR.search(segs[i].label) and not segs[i].values or SECTION_END.search(segs[i].labels[0].text)
        ):
            end = i
            break
    first = segs[start]
    cut = max(i for i, t in enumerate(first.labels) if match_t3([t]) == "new_requests")
    # column headers printed before 本年新收 in the same segment are not row labels
    region = [Segment(first.labels[cut:], first.values, first.row, first.cells), *segs[start + 1 : end]]
    split_other = any(match_t3(s.labels) in OTHER_SUBROWS for s in region)
    order = [k for k in T3_ROW_KEYS if (k != "other_total" if split_other else k not in OTHER_SUBROWS)]
    colmap = None
    for s in segs[max(0, start - 6) : start + 1]:
        colmap = _colmap(s) or colmap
    reads: dict[str, RowRead] = {}
    pending: list[tuple[str, Tok]] = []
    warnings: list[str] = []
    last = -1
    stop = end
    # where real grid rows carry the numbers, a lone number on a text line is debris (page numbers…)
    gridded = sum(1 for s in region if s.row and s.has_numbers) >= 3
    for offset, seg in enumerate(region):
        if gridded and not seg.row and seg.values:
            warnings.append(
                f"table 3: stray number(s) {' '.join(t.text for t in seg.values)} "
                f"outside the grid ignored ({_where(seg)})"
            )
            seg = Segment(labels=seg.labels)
        key = match_t3(seg.labels)
        if key == "other_total" and split_other:
            key = None
        # loose labels before the last one (vertical layouts) are rows printed without numbers
        for tok in seg.labels[:-1] if seg.values else seg.labels:
            k = match_t3([tok])
            if k and k != key and k not in reads and not (k == "other_total" and split_other):
                if all(p != k for p, _ in pending):
                    pending.append((k, tok))
        if not seg.values:
            continue
        if seg.row and not seg.has_numbers and key is None:
            continue  # an empty grid row (e.g. a spacer), not an unlabeled data row
        if key is None or key in reads:
            later = [k for k, _ in pending if k not in reads and T3_ROW_INDEX[k] > last]
            if later:
                key = later[0]
            else:
                key = next((k for k in order if k not in reads and T3_ROW_INDEX[k] > last), None)
            if key is None:
                warnings.append(f"table 3: a row of numbers after the last row ({_where(seg)}) was ignored")
                continue
        for k, tok in pending:
            if k not in reads and T3_ROW_INDEX[k] < T3_ROW_INDEX[key]:
                reads[k] = RowRead(_blank_row(len(T3_COLUMNS), tok))
        pending = [(k, t) for k, t in pending if k not in reads and T3_ROW_INDEX[k] > T3_ROW_INDEX[key]]
        read = _row_values(seg, len(T3_COLUMNS), (len(T3_COLUMNS),), colmap)
        if read.note:
            warnings.append(f"table 3 row {key}: {read.note} ({_where(seg)})")
        reads[key] = read
        last = T3_ROW_INDEX[key]
        if key == "carried_over_out":
            stop = start + offset + 1
            break
    for k, tok in pending:
        if k not in reads and k in order:
            reads[k] = RowRead(_blank_row(len(T3_COLUMNS), tok))
    _resolve_ambiguous(reads, warnings)
    cells: dict[str, dict[str, Value]] = {}
    for key in T3_ROW_KEYS:
        if key in reads and reads[key].values is not None:
            cells[key] = dict(zip(T3_COLUMNS, reads[key].values))
    if split_other:
        cells["other_total"] = _sum_rows(cells, OTHER_SUBROWS)
    missing = [k for k in order if k not in reads]
    if missing:
        warnings.append(f"table 3: rows not found: {', '.join(missing)}")
    return TableRead(cells, stop, warnings, "2021" if split_other else "2019")


def _sum_rows(cells: dict[str, dict[str, Value]], rows: tuple[str, ...]) -> dict[str, Value]:
    """other_total for 2021 reports: the sum of its sub-rows where all three are printed."""
    out = {}
    for c in T3_COLUMNS:
        parts = [cells.get(r, {}).get(c) for r in rows]
        if parts and all(p is not None and isinstance(p.value, (int, float)) for p in parts):
            out[c] = Value(sum(p.value for p in parts), "", "derived")
        else:
            out[c] = Value(None, "", "derived")
    return out


def _identity_ok(reads: dict[str, RowRead]) -> bool:
    """Do R1 and R2 hold (where every operand is known) for the rows read so far?"""

    def col(key: str, i: int):
        r = reads.get(key)
        if r is None or r.values is None:
            return None
        return r.values[i].value

    for i in range(len(T3_COLUMNS)):
        r1 = [col(k, i) for k in ("new_requests", "carried_over_in", "handled_total", "carried_over_out")]
        if all(isinstance(v, (int, float)) for v in r1) and r1[0] + r1[1] != r1[2] + r1[3]:
            return False
        outcomes = [col(k, i) for k in T3_OUTCOME_ROWS if k in reads]
        total = col("handled_total", i)
        if outcomes and all(isinstance(v, (int, float)) for v in outcomes + [total]) and sum(outcomes) != total:
            return False
    return True


def _resolve_ambiguous(reads: dict[str, RowRead], warnings: list[str], budget: int = 20_000) -> None:
    """Choose, jointly, the splits of ambiguous runs that keep R1/R2 true; a row whose reading
    still differs between the surviving combinations is left null with its candidates."""
    ambiguous = [k for k, r in reads.items() if r.values is None]
    if not ambiguous:
        return
    options = [reads[k].candidates for k in ambiguous]
    surviving: list[tuple[list[Value], ...]] = []
    size = 1
    for o in options:
        size *= max(1, len(o))
    if all(options) and size <= budget:
        for combo in itertools.product(*options):
            for k, cand in zip(ambiguous, combo):
                reads[k].values = cand
            if _identity_ok(reads):
                surviving.append(combo)
    for i, key in enumerate(ambiguous):
        readings = {tuple(v.value for v in combo[i]) for combo in surviving}
        if len(readings) == 1:
            reads[key].values = surviving[0][i]
            continue
        shown_from = [combo[i] for combo in surviving] or reads[key].candidates
        unique = list({tuple(v.value for v in c): c for c in shown_from}.values())
        shown = "; ".join(" ".join(str(v.value) for v in c) for c in unique[:12])
        warnings.append(
            f"table 3 row {key}: the run of digits splits {len(unique)} ways "
            f"that all fit the identities ({shown}); cells they disagree on left null"
        )
        reads[key].values = agreed(unique, len(T3_COLUMNS))


def agreed(readings: list[list[Value]], width: int) -> list[Value]:
    """Cells every reading gives the same value (not a guess), null ("ambiguous") elsewhere."""
    out = []
    for i in range(width):
        values = {r[i].value for r in readings}
        out.append(readings[0][i] if readings and len(values) == 1 else Value(None, "", "ambiguous", None))
    return out


def _where(seg: Segment) -> str:
    toks = seg.labels or seg.values or seg.cells
    if not toks:
        return "?"
    return Value(None, "", "", toks[0].cell).position() or "?"


# ---------------------------------------------------------------- table 4


T4_TOTALS = (5, 5, 5)  # each group prints upheld, corrected, other, pending, total


def parse_table4(segs: list[Segment], start: int) -> TableRead:
    """Table 4: fifteen numbers in one printed row after the 行政复议 header."""
    anchor = next((i for i in range(start, len(segs)) if T4_ANCHOR.search(segs[i].label)), None)
    if anchor is None:
        return TableRead({}, start, [])
    collected: list[Tok] = []
    for i in range(anchor, len(segs)):
        seg = segs[i]
        if i > anchor and seg.labels and SECTION_END.search(seg.labels[0].text):
            break
        if seg.row and seg.has_numbers and len(seg.values) >= 5:
            if sum(1 for t in seg.values if t.value is not None and t.value.value is not None) >= 5 or collected:
                collected += seg.values
        elif not seg.row:
            if seg.labels and collected and not _short_header(seg):
                break
            collected += seg.values
        if _enough(collected, len(T4_KEYS)):
            read = _row_values(Segment(values=collected), len(T4_KEYS), T4_TOTALS)
            if read.values is None:
                return TableRead({}, i + 1, [f"table 4: digits split {len(read.candidates)} ways; left null"])
            warnings = [f"table 4: {read.note}"] if read.note else []
            return TableRead({"row": dict(zip(T4_KEYS, read.values))}, i + 1, warnings)
    if collected:
        read = _row_values(Segment(values=collected), len(T4_KEYS), T4_TOTALS)
        if read.values is not None:
            return TableRead(
                {"row": dict(zip(T4_KEYS, read.values))}, len(segs), [f"table 4: {read.note}"] if read.note else []
            )
    return TableRead({}, anchor, ["table 4: header found but no row of 15 numbers"])


_T4_WORDS = re.compile(r"行政诉讼|行政复议|起诉|结果|审结|总计")


def _short_header(seg: Segment) -> bool:
    """Header words of table 4 (also when each group is printed as its own small table)."""
    return all(len(t.text) <= 12 or _T4_WORDS.search(t.text) for t in seg.labels)


def _enough(toks: list[Tok], width: int) -> bool:
    if any(t.kind == "run" for t in toks):
        return sum(len(c) for t in toks for c in (t.text.split(" ") if t.kind == "run" else ["x"])) >= width
    return len(toks) >= width


# ---------------------------------------------------------------- table 2

_T2_PATTERNS = [
    ("other_services", r"其他对外管理服务"),
    ("normative_documents", r"规范性文件"),
    ("rules", r"规章"),
    ("licensing", r"行政许可"),
    ("penalty", r"行政处罚"),
    ("coercion", r"行政强制"),
    ("fees", r"事业性收费"),
    ("central_procurement", r"集中采购|政府采购"),
]
_T2_2021_WORDS = re.compile(r"本年制发|本年废止|现行有效|本年处理决定|收费金额")
_T2_2019_WORDS = re.compile(r"本年新制作|本年新公开|对外公开总|上一年项目|增/减|采购项目")
T2_ANCHOR = re.compile(r"第二十条")


def _match_t2(labels: list[Tok]) -> str | None:
    """The table-2 row named by the end of the last label (a run-together line keeps its label last)."""
    for t in reversed(labels):
        text = _tail(t.text)[-14:]
        best: tuple[int, str] | None = None
        for key, pattern in _T2_PATTERNS:
            for m in re.finditer(pattern, text):
                if best is None or m.end() > best[0]:
                    best = (m.end(), key)
        if best:
            return best[1]
    return None


def _header_spans(seg: Segment) -> list[int]:
    """Start columns of the printed column headers of a table-2 header row (after 信息内容)."""
    texts = [t for t in seg.cells if t.kind == "text"]
    return [t.col for t in texts[1:]]


def _signs_fit(reading: list[Value], columns: tuple[str, ...]) -> bool:
    """Only 本年增/减 may be negative: a sign elsewhere means the run was cut in the wrong place."""
    return all(
        col in T2_SIGNED_COLUMNS or not (isinstance(v.value, (int, float)) and (v.value < 0 or v.raw[:1] in "+-"))
        for col, v in zip(columns, reading)
    )


def _quoted_in_prose(readings: list[list[Value]], prose: set[int]) -> list[Value] | None:
    """The one reading whose figures the prose quotes most (at least two of them), if there is one."""
    scores = sorted(
        (
            (sum(1 for v in r if isinstance(v.value, int) and v.value >= 10 and v.value in prose), i)
            for i, r in enumerate(readings)
        ),
        reverse=True,
    )
    if scores and scores[0][0] >= 2 and (len(scores) == 1 or scores[1][0] < scores[0][0]):
        return readings[scores[0][1]]
    return None


def parse_table2(segs: list[Segment], start: int, end: int, prose: frozenset[int] = frozenset()) -> TableRead:
    """Table 2 between the first 第二十条 and table 3, laid out by whichever template it uses."""
    region = segs[start:end]
    words = "".join(s.label for s in region)
    n2021, n2019 = len(_T2_2021_WORDS.findall(words)), len(_T2_2019_WORDS.findall(words))
    if not n2021 and not n2019:
        return TableRead({}, end, ["table 2: column headers not recognised; table 2 skipped"])
    layout = "2021" if n2021 > n2019 else "2019"
    spec = {r.key: r.columns for r in T2_ROWS[layout]}
    order = [r.key for r in T2_ROWS[layout]]
    cells: dict[str, dict[str, Value]] = {}
    warnings: list[str] = []
    header: Segment | None = None
    last = -1
    gridded = sum(1 for s in region if s.row and s.has_numbers) >= 2
    for seg in region:
        if gridded and not seg.row and seg.values and _match_t2(seg.labels) is None:
            warnings.append(f"table 2: stray number(s) {' '.join(t.text for t in seg.values)} outside the grid ignored")
            continue
        if (
            seg.row
            and not seg.values
            and len(seg.labels) >= 2
            and (_T2_2021_WORDS.search(seg.label) or _T2_2019_WORDS.search(seg.label))
        ):
            header = seg
            continue
        if not seg.has_numbers:
            continue
        key = _match_t2(seg.labels)
        if key not in spec or key in cells:
            if seg.labels and (
                seg.labels[-1].text.endswith(("。", "；", "，")) or len(_tail(seg.labels[-1].text)) > 60
            ):
                continue  # numbers inside prose
            key = next((k for k in order[last + 1 :] if k not in cells), None)
            if key is None:
                continue
        columns = spec[key]
        read = _t2_values(seg, columns, header)
        if read.values is None:
            read.candidates = [c for c in read.candidates if _signs_fit(c, columns)]
            if len(read.candidates) == 1:
                read.values = read.candidates[0]
            elif chosen := _quoted_in_prose(read.candidates, set(prose)):
                read.values = chosen
                warnings.append(
                    f"table 2 row {key}: digits run together; read as {' '.join(str(v.value) for v in chosen)}, "
                    "the reading whose figures the text quotes"
                )
        if read.values is None:
            shown = "; ".join(" ".join(str(v.value) for v in c) for c in read.candidates[:12])
            warnings.append(
                f"table 2 row {key}: digits split {len(read.candidates)} ways ({shown}); "
                "cells they disagree on left null"
            )
            last = order.index(key)
            kept = agreed(read.candidates, len(columns)) if read.candidates else []
            if any(v.value is not None for v in kept):
                cells[key] = {c: _t2_cell(c, v) for c, v in zip(columns, kept) if v.value is not None}
            continue
        if read.note:
            warnings.append(f"table 2 row {key}: {read.note}")
        cells[key] = {c: _t2_cell(c, v) for c, v in zip(columns, read.values)}
        last = order.index(key)
    return TableRead(cells, end, warnings, layout)


def _t2_values(seg: Segment, columns: tuple[str, ...], header: Segment | None) -> RowRead:
    width = len(columns)
    if seg.row and header is not None and header.ncols == seg.ncols:
        starts = _header_spans(header)
        if len(starts) == width:
            out = []
            for i, s in enumerate(starts):
                stop = starts[i + 1] if i + 1 < len(starts) else seg.ncols
                group = [t for t in seg.cells if s <= t.col < stop and t.kind == "value"]
                filled = [t for t in group if t.value.value is not None]
                out.append((filled or group or [None])[0])
            return RowRead([t.value if t else Value(None, "", "missing") for t in out])
    return _row_values(seg, width)


def _t2_cell(column: str, v: Value) -> Value:
    """Money cells and their units: the 2019 procurement amount keeps a printed unit as printed
    ('251000元': the template names none); a 2021 fee printed in 元 is converted to 万元."""
    if column == "procurement_amount" and v.unit:
        return Value(v.raw.strip(), v.raw, "number", v.cell, v.unit)
    if column == "amount_10k_yuan" and v.unit == "元" and isinstance(v.value, (int, float)):
        return Value(round(v.value / 10000, 6), v.raw, "number", v.cell, "元→万元")
    return v


# ---------------------------------------------------------------- legacy statistics table

LEGACY_PATTERNS = [
    ("proactive_items", r"主动公开政府信息数|主动公开信息数|主动公开文件数"),
    ("requests_received", r"收到申请数|受理依申请公开信息总数|受理.{0,8}申请.{0,4}总数"),
    ("requests_completed", r"申请办结数|对申请的答复总?数|答复总数"),
    ("granted", r"同意公开答复数"),
    ("partially_granted", r"同意部分公开答复数"),
    ("reviews", r"行政复议数"),
    ("complaints", r"举报投诉数|行政申诉数|行政诉讼、举报数"),
    ("lawsuits", r"行政诉讼数"),
    ("fees_10k_yuan", r"收取的费用|收费减免金额|收取费用"),
]
LEGACY_TABLE = re.compile(r"政府信息公开情况统计表|统计指标|指标名称")


def _legacy_key(text: str) -> str | None:
    for key, pattern in LEGACY_PATTERNS:
        if re.search(pattern, text):
            return key
    return None


def parse_legacy(segs: list[Segment], prose_numbers: set[int], prose_by_key: dict[str, list[int]]) -> TableRead:
    """Headline figures of the pre-2019 statistics table (年度 column, not 当季 or 历年累计)."""
    start = next((i for i, s in enumerate(segs) if LEGACY_TABLE.search(s.label)), None)
    if start is None:
        return TableRead({}, 0, [])
    pick, width = 1, 2  # (this year, cumulative) is the common layout
    cells: dict[str, Value] = {}
    warnings: list[str] = []
    loose = ""
    units: dict[str, str] = {}
    for seg in segs[start:]:
        text = seg.label
        head = re.split(r"指标名称|统计指标|统\s*计\s*指\s*标", text)[-1] if re.search(r"指标", text) else text
        header = re.search(r"当季|年度累计|历年累计|\d{4}年度", head)
        if header:
            if seg.row:
                cols = [t for t in seg.cells if t.kind == "text" and re.search(r"当季|累计|年度|数量", t.text)]
                wanted = [i for i, t in enumerate(cols) if re.search(r"年度累计|\d{4}年度|本年", t.text)]
                if cols and wanted:
                    pick, width = wanted[0], len(cols)
            else:
                order = [m.group() for m in re.finditer(r"当季|年度累计|历年累计|\d{4}年度", head)]
                wanted = [i for i, w in enumerate(order) if w != "当季" and w != "历年累计"]
                if order and wanted:
                    pick, width = wanted[0], len(order)
        key = _legacy_key(text) or (_legacy_key(loose) if seg.row else None)
        if not seg.values:
            loose = text if not seg.row else ""
            continue
        loose = ""
        if key is None or key in cells:
            continue
        if seg.row:
            nums = [t for t in seg.values if t.kind == "value"]
            if len(nums) >= width:
                cells[key] = nums[len(nums) - width + pick].value
            unit = next((t.text for t in seg.labels[1:] if t.text in ("元", "万元")), None)
            if unit:
                units[key] = unit
            continue
        if "元" in text and "万元" not in text:
            units[key] = "元"
        cands, _complete = split_runs(seg.values, width)
        if width == 2:
            cands = [c for c in cands if _le(c[0].value, c[1].value)]
        for quoted in (set(prose_by_key.get(key, ())), prose_numbers):  # the figure the prose quotes
            if len(cands) > 1:
                in_prose = [c for c in cands if isinstance(c[pick].value, int) and c[pick].value in quoted]
                cands = in_prose if len(in_prose) == 1 else cands
        if len(cands) == 1:
            cells[key] = cands[0][pick]
        elif cands:
            shown = "; ".join("|".join(str(v.value) for v in c) for c in cands[:12])
            warnings.append(f"legacy row {key}: digits split {len(cands)} ways ({shown}); left null")
            cells[key] = Value(None, "", "ambiguous", seg.values[0].cell)
    if "fees_10k_yuan" in cells and units.get("fees_10k_yuan") == "元":
        v = cells["fees_10k_yuan"]
        if isinstance(v.value, (int, float)):
            cells["fees_10k_yuan"] = Value(v.value / 10000, v.raw, "number", v.cell, "元")
    return TableRead({"row": cells}, 0, warnings)


def _le(a, b) -> bool:
    return isinstance(a, (int, float)) and isinstance(b, (int, float)) and a <= b
