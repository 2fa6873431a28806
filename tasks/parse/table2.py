"""Table 2 (主动公开): rows by label, columns by the header of whichever template is used."""

from __future__ import annotations

import re

from tasks.keys import T2_ROWS, T2_SIGNED_COLUMNS
from tasks.parse.cells import Value
from tasks.parse.prose import ProseFigure
from tasks.parse.rows import RowRead, TableRead, placements, row_values
from tasks.parse.runs import agreed
from tasks.parse.segments import Segment, match_t2, tail

_T2_2021_WORDS = re.compile(r"本年制发|本年废止|现行有效|本年处理决定|收费金额")
_T2_2019_WORDS = re.compile(r"本年新制作|本年新公开|对外公开总|上一年项目|增/减|采购项目")


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


def parse_table2(
    segs: list[Segment],
    start: int,
    end: int,
    prose: frozenset[int] = frozenset(),
    stated: dict[str, ProseFigure] | None = None,
) -> TableRead:
    """Table 2 between the first 第二十条 and table 3, laid out by whichever template it uses.
    `stated` are the cells the text states (2021 template, item (一)): tie-breakers only."""
    region = segs[start:end]
    layout = _layout(region)
    if layout is None:
        return TableRead({}, end, ["table 2: column headers not recognised; table 2 skipped"])
    spec = {r.key: r.columns for r in T2_ROWS[layout]}
    order = [r.key for r in T2_ROWS[layout]]
    cells: dict[str, dict[str, Value]] = {}
    warnings: list[str] = []
    header: Segment | None = None
    last = -1
    gridded = sum(1 for s in region if s.row and s.has_numbers) >= 2
    for seg in region:
        if gridded and not seg.row and seg.values and match_t2(seg.labels) is None:
            warnings.append(f"table 2: stray number(s) {' '.join(t.text for t in seg.values)} outside the grid ignored")
            continue
        if _is_header(seg):
            header = seg
            continue
        if not seg.has_numbers:
            continue
        key = _row_key(seg, spec, cells, order[last + 1 :])
        if key is None:
            continue
        pins = {p.rsplit(".", 1)[1]: f for p, f in (stated or {}).items() if p.split(".")[1] == key}
        row = _read_row(seg, key, spec[key], header, prose, warnings, pins if layout == "2021" else {})
        if row is not None:
            cells[key] = row
        last = order.index(key)
    return TableRead(cells, end, warnings, layout)


def _layout(region: list[Segment]) -> str | None:
    """ "2021" or "2019", by which template's column headers the region prints more of; None if neither."""
    words = "".join(s.label for s in region)
    n2021, n2019 = len(_T2_2021_WORDS.findall(words)), len(_T2_2019_WORDS.findall(words))
    if not n2021 and not n2019:
        return None
    return "2021" if n2021 > n2019 else "2019"


def _is_header(seg: Segment) -> bool:
    """A grid row of column headers (no values, several labels, template header words)."""
    return (
        seg.row
        and not seg.values
        and len(seg.labels) >= 2
        and bool(_T2_2021_WORDS.search(seg.label) or _T2_2019_WORDS.search(seg.label))
    )


def _row_key(
    seg: Segment, spec: dict[str, tuple[str, ...]], cells: dict[str, dict[str, Value]], later: list[str]
) -> str | None:
    """The row a segment's numbers fill: the one its label names, else the next unfilled row in
    printed order (`later`); None for numbers inside prose."""
    key = match_t2(seg.labels)
    if key in spec and key not in cells:
        return key
    if seg.labels and (seg.labels[-1].text.endswith(("。", "；", "，")) or len(tail(seg.labels[-1].text)) > 60):
        return None  # numbers inside prose
    return next((k for k in later if k not in cells), None)


def _read_row(
    seg: Segment,
    key: str,
    columns: tuple[str, ...],
    header: Segment | None,
    prose: frozenset[int],
    warnings: list[str],
    pins: dict[str, ProseFigure] | None = None,
) -> dict[str, Value] | None:
    """The cells of one row; run-together digits decided by signs, then by the cells the text
    states, then by the figures the prose quotes; a short row placed by the cells the text states;
    still ambiguous, only the cells every reading agrees on (None if there are none)."""
    read = _t2_values(seg, columns, header)
    pins = pins or {}
    if read.values is not None and pins and all(v.meaning == "ambiguous" for v in read.values):
        read = RowRead(None, candidates=_placed(placements(seg.values, len(columns)), columns, pins))
        if read.candidates:
            warnings.append(f"table 2 row {key}: fewer printed fields than columns, placed by the text: " + _said(pins))
    if read.values is None and not read.complete:
        read.candidates = []  # readings not all enumerated decide nothing (an unseen one may differ)
    if read.values is None:
        read.candidates = [c for c in read.candidates if _signs_fit(c, columns)]
        stated = _stated(read.candidates, columns, pins)
        if len(stated) < len(read.candidates) and stated:
            warnings.append(f"table 2 row {key}: readings kept that agree with the text: " + _said(pins))
            read.candidates = stated
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
            f"table 2 row {key}: digits split {len(read.candidates)} ways ({shown}); cells they disagree on left null"
        )
        kept = agreed(read.candidates, len(columns)) if read.candidates else []
        at = seg.values[0].cell if seg.values else None
        kept = [v if v.value is not None else Value(None, "", "ambiguous", at) for v in kept]
        # every column is kept: the undecided ones null ("ambiguous"), never absent (the gate's C1)
        return {c: _t2_cell(c, v) for c, v in zip(columns, kept or [Value(None, "", "ambiguous", at)] * len(columns))}
    if read.note:
        warnings.append(f"table 2 row {key}: {read.note}")
    return {c: _t2_cell(c, v) for c, v in zip(columns, read.values)}


def _stated(readings: list[list[Value]], columns: tuple[str, ...], pins: dict[str, ProseFigure]) -> list[list[Value]]:
    """The readings that print every figure the text states for this row."""
    idx = {c: i for i, c in enumerate(columns)}
    return [r for r in readings if all(c in idx and r[idx[c]].value == f.value for c, f in pins.items())]


def _placed(readings: list[list[Value]], columns: tuple[str, ...], pins: dict[str, ProseFigure]) -> list[list[Value]]:
    """Placements of a short item-(一) row that agree with the text; none left → none (the row stays
    null). No rule of thumb picks among them (e.g. "an agency that issued documents prints 现行有效"):
    the cells they disagree on stay null, a wrong number being worse than a missing one."""
    return _stated(readings, columns, pins)


def _said(pins: dict[str, ProseFigure]) -> str:
    return "; ".join(f"{c} {f.value} ({f.position()})" for c, f in sorted(pins.items()))


def _t2_values(seg: Segment, columns: tuple[str, ...], header: Segment | None) -> RowRead:
    width = len(columns)
    if seg.row and header is not None and header.ncols == seg.ncols and seg.cells[0].placed is not False:
        starts = _header_spans(header)
        if len(starts) == width:
            out = []
            for i, s in enumerate(starts):
                stop = starts[i + 1] if i + 1 < len(starts) else seg.ncols
                group = [t for t in seg.cells if s <= t.col < stop and t.kind == "value"]
                filled = [t for t in group if t.value.value is not None]
                out.append((filled or group or [None])[0])
            return RowRead([t.value if t else Value(None, "", "missing") for t in out])
    return row_values(seg, width)


def _t2_cell(column: str, v: Value) -> Value:
    """Money cells and their units: the 2019 procurement amount keeps a printed unit as printed
    ('251000元': the template names none); a 2021 fee printed in 元 is converted to 万元."""
    if column == "procurement_amount" and v.unit:
        return Value(v.raw.strip(), v.raw, "number", v.cell, v.unit)
    if column == "amount_10k_yuan" and v.unit == "元" and isinstance(v.value, (int, float)):
        return Value(round(v.value / 10000, 6), v.raw, "number", v.cell, "元→万元")
    return v
