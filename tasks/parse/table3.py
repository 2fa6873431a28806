"""Table 3 (依申请公开): rows found by label, runs split jointly so that R1/R2 hold."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tasks.keys import OTHER_SUBROWS, T3_COLUMNS, T3_OUTCOME_ROWS, T3_ROW_INDEX, T3_ROW_KEYS
from tasks.parse.cells import Value
from tasks.parse.rows import RowRead, TableRead, blank_row, row_values
from tasks.parse.runs import agreed
from tasks.parse.segments import SECTION_END, T4_ANCHOR, Segment, match_t3, where
from tasks.parse.tokens import Tok

_T3_COLUMN_PATTERNS = [
    ("natural_person", r"自然人"),
    ("commercial", r"商业"),
    ("research", r"科研"),
    ("public_interest", r"公益"),
    ("legal_services", r"法律服务"),
    ("other_org", r"^其他$"),
    ("total", r"^(总计|合计)$"),
]


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


def parse_table3(segs: list[Segment], start: int) -> TableRead:
    """Table 3 from the segment that names 本年新收 onwards."""
    end = _region_end(segs, start)
    region = _region(segs, start, end)
    split_other = any(match_t3(s.labels) in OTHER_SUBROWS for s in region)
    colmap = None
    for s in segs[max(0, start - 6) : start + 1]:
        colmap = _colmap(s) or colmap
    rows = _Rows(split_other)
    stop = end
    # where real grid rows carry the numbers, a lone number on a text line is debris (page numbers…)
    gridded = sum(1 for s in region if s.row and s.has_numbers) >= 3
    for offset, seg in enumerate(region):
        if gridded and not seg.row and seg.values:
            rows.warnings.append(
                f"table 3: stray number(s) {' '.join(t.text for t in seg.values)} "
                f"outside the grid ignored ({where(seg)})"
            )
            seg = Segment(labels=seg.labels)
        nxt = region[offset + 1] if offset + 1 < len(region) else (segs[end] if end < len(segs) else None)
        if rows.read(seg, colmap, _first_line(nxt)) == "carried_over_out":
            stop = start + offset + 1
            break
    rows.blank_pending(None)
    _resolve_ambiguous(rows.reads, rows.warnings)
    cells = rows.cells()
    missing = [k for k in rows.order if k not in rows.reads]
    if missing:
        rows.warnings.append(f"table 3: rows not found: {', '.join(missing)}")
    return TableRead(cells, stop, rows.warnings, "2021" if split_other else "2019")


def _first_line(seg: Segment | None) -> int | None:
    """The text line a segment starts on (None for a page cell or no segment)."""
    toks = (seg.labels or seg.values or seg.cells) if seg else []
    return toks[0].cell.line if toks and toks[0].cell.page is None else None


def _region_end(segs: list[Segment], start: int) -> int:
    """Index of the segment that ends table 3: the table-4 header or the next section."""
    for i in range(start + 1, len(segs)):
        if segs[i].labels and (
            T4_ANCHOR.search(segs[i].label) and not segs[i].values or SECTION_END.search(segs[i].labels[0].text)
        ):
            return i
    return len(segs)


def _region(segs: list[Segment], start: int, end: int) -> list[Segment]:
    """The segments of table 3; column headers printed before 本年新收 in its segment are not row labels."""
    first = segs[start]
    cut = max(i for i, t in enumerate(first.labels) if match_t3([t]) == "new_requests")
    return [Segment(first.labels[cut:], first.values, first.row, first.cells), *segs[start + 1 : end]]


@dataclass
class _Rows:
    """Table-3 rows read so far, and labels seen without numbers (rows printed blank)."""

    split_other: bool  # 2021 layout: (六) printed as its sub-rows, other_total derived
    reads: dict[str, RowRead] = field(default_factory=dict)
    pending: list[tuple[str, Tok]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    last: int = -1  # printed index of the last row read
    guessed: set[str] = field(default_factory=set)  # rows given numbers by order (no label named them)

    @property
    def order(self) -> list[str]:
        """The rows this layout prints, in order."""
        if self.split_other:
            return [k for k in T3_ROW_KEYS if k != "other_total"]
        return [k for k in T3_ROW_KEYS if k not in OTHER_SUBROWS]

    def read(self, seg: Segment, colmap: dict[str, int] | None, until: int | None = None) -> str | None:
        """Read one segment; returns the row key it filled, if any."""
        key = match_t3(seg.labels)
        if key == "other_total" and self.split_other:
            key = None
        self._note_loose_labels(seg, key)
        if not seg.values:
            return None
        if seg.row and not seg.has_numbers and key is None:
            return None  # an empty grid row (e.g. a spacer), not an unlabeled data row
        if key is not None and key in self.guessed:
            # a later label names the row given numbers by order: those were another row's (its
            # label not recognised), never this one's, and never shifted on into the rows below
            del self.reads[key]
            self.guessed.discard(key)
            self.warnings.append(f"table 3 row {key}: numbers placed in it by order were not its own; dropped")
        if key is None or key in self.reads:
            key = self._next_key()
            if key is None:
                self.warnings.append(f"table 3: a row of numbers after the last row ({where(seg)}) was ignored")
                return None
            self.guessed.add(key)
        self.blank_pending(key)
        read = row_values(seg, len(T3_COLUMNS), (len(T3_COLUMNS),), colmap, until=until)
        if read.note:
            self.warnings.append(f"table 3 row {key}: {read.note} ({where(seg)})")
        self.reads[key] = read
        self.last = T3_ROW_INDEX[key]
        return key

    def _note_loose_labels(self, seg: Segment, key: str | None) -> None:
        """Loose labels before the last one (vertical layouts) are rows printed without numbers."""
        for tok in seg.labels[:-1] if seg.values else seg.labels:
            k = match_t3([tok])
            if (
                k
                and (k != key or not seg.values)
                and k not in self.reads
                and not (k == "other_total" and self.split_other)
            ):
                if all(p != k for p, _ in self.pending):
                    self.pending.append((k, tok))

    def _next_key(self) -> str | None:
        """The row an unlabeled (or repeated) row of numbers fills: a pending label, else the next unread row."""
        later = [k for k, _ in self.pending if k not in self.reads and T3_ROW_INDEX[k] > self.last]
        if later:
            return later[0]
        return next((k for k in self.order if k not in self.reads and T3_ROW_INDEX[k] > self.last), None)

    def blank_pending(self, before: str | None) -> None:
        """Pending labels printed before row `before` (all of them when None) become blank rows."""
        if before is None:
            for k, tok in self.pending:
                if k not in self.reads and k in self.order:
                    self.reads[k] = RowRead(blank_row(len(T3_COLUMNS), tok))
            return
        for k, tok in self.pending:
            if k not in self.reads and T3_ROW_INDEX[k] < T3_ROW_INDEX[before]:
                self.reads[k] = RowRead(blank_row(len(T3_COLUMNS), tok))
        after = T3_ROW_INDEX[before]
        self.pending = [(k, t) for k, t in self.pending if k not in self.reads and T3_ROW_INDEX[k] > after]

    def cells(self) -> dict[str, dict[str, Value]]:
        """The rows read, in template order; other_total summed from its sub-rows in 2021 reports."""
        cells: dict[str, dict[str, Value]] = {}
        for key in T3_ROW_KEYS:
            if key in self.reads and self.reads[key].values is not None:
                cells[key] = dict(zip(T3_COLUMNS, self.reads[key].values))
        if self.split_other:
            cells["other_total"] = _sum_rows(cells, OTHER_SUBROWS)
        return cells


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
    """Do R1 and R2 hold (where every operand is known) for the rows read so far? In the 2021
    layout (六) is printed as its sub-rows, so they stand for other_total in R2."""
    other = ("other_total",) if "other_total" in reads else OTHER_SUBROWS
    outcome_rows = [k for k in T3_OUTCOME_ROWS if k != "other_total"] + list(other)

    def col(key: str, i: int):
        r = reads.get(key)
        if r is None or r.values is None:
            return None
        return r.values[i].value

    for i in range(len(T3_COLUMNS)):
        r1 = [col(k, i) for k in ("new_requests", "carried_over_in", "handled_total", "carried_over_out")]
        if all(isinstance(v, (int, float)) for v in r1) and r1[0] + r1[1] != r1[2] + r1[3]:
            return False
        outcomes = [col(k, i) for k in outcome_rows]
        total = col("handled_total", i)
        if all(isinstance(v, (int, float)) for v in outcomes + [total]) and sum(outcomes) != total:
            return False
    return True


def _resolve_ambiguous(reads: dict[str, RowRead], warnings: list[str], budget: int = 200_000) -> None:
    """Solve the table's ambiguous runs together: each row's splits (already pruned by its own
    total, R3) combined by a search that drops a partial combination as soon as an identity whose
    operands are all known fails (R1, R2 per column). A cell is decided only when every surviving
    combination agrees on it; a source that breaks an identity is never "repaired": no combination
    survives and the rows stay null. A row whose readings were not all enumerated takes no part
    (its cells unknown), so it can never wrongly rule out another row's reading."""
    ambiguous = [k for k, r in reads.items() if r.values is None]
    if not ambiguous:
        return
    solvable = [k for k in ambiguous if reads[k].candidates and reads[k].complete]
    solvable.sort(key=lambda k: len(reads[k].candidates))  # fewest readings first: prunes earliest
    surviving: list[tuple[list[Value], ...]] = []
    steps = 0

    def search(i: int, chosen: list[list[Value]]) -> None:
        nonlocal steps
        steps += 1
        if steps > budget:
            return
        if i == len(solvable):
            surviving.append(tuple(chosen))
            return
        for cand in reads[solvable[i]].candidates:
            reads[solvable[i]].values = cand
            if _identity_ok(reads):
                search(i + 1, chosen + [cand])
        reads[solvable[i]].values = None

    search(0, [])
    exhausted = steps > budget
    for key in ambiguous:
        i = solvable.index(key) if key in solvable and not exhausted else None
        readings = {tuple(v.value for v in combo[i]) for combo in surviving} if i is not None else set()
        if len(readings) == 1:
            reads[key].values = surviving[0][i]
            continue
        shown_from = [combo[i] for combo in surviving] if i is not None and surviving else reads[key].candidates
        unique = list({tuple(v.value for v in c): c for c in shown_from}.values())
        shown = "; ".join(" ".join(str(v.value) for v in c) for c in unique[:12])
        why = "that all fit the identities" if surviving and i is not None else "none decided by the identities"
        warnings.append(
            f"table 3 row {key}: the run of digits splits {len(unique)} ways {why} ({shown}); "
            "cells they disagree on left null"
        )
        width = len(T3_COLUMNS)
        # readings not all enumerated agree on nothing: a cell they share may differ in one unseen
        complete = reads[key].complete
        reads[key].values = agreed(unique, width) if unique and complete else [Value(None, "", "ambiguous")] * width
