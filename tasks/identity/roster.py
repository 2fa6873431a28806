"""The roster (应报单位名单): the units an office expects to report for a region and year, read from
its xlsx or csv file and matched to the warehouse's agencies.

Matching, in order, and only to one agency: a name the agency printed (agency_names) or an alias of
the overrides file; the unified social credit code; the division code (the roster's, else the one
its name points to) + the name without place names, as the identity rules key agencies; then a
fuzzy match of the full names (rapidfuzz) when exactly one agency of the same division is close
enough and the names print the same numbers. A unit no rule matches stays unmatched, with the
nearest agency as a hint: a wrong match would count a report as another unit's. Entries are matched
again whenever the agencies are resolved (tasks/identity/store.py), so a roster imported before the
reports arrive is matched as they are loaded.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

import warehouse
from tasks.identity.rules import clean_name, division, short_name
from warehouse import bound

FUZZY_THRESHOLD = 92.0  # rapidfuzz ratio: one character off in a name of 12 or more
HINT_THRESHOLD = 70.0  # below this the nearest agency is not worth naming

# column headings a roster may use, Chinese and English, for each field
HEADINGS = {
    "name": ("单位名称", "名称", "机构名称", "单位", "name", "agency", "agency_name", "unit"),
    "division_code": ("区划代码", "行政区划代码", "division_code", "division", "division code"),
    "credit_code": ("统一社会信用代码", "信用代码", "uscc", "credit_code", "credit code"),
    "kind": ("类别", "类型", "kind", "type"),
    "parent": ("上级", "上级单位", "上级机关", "parent"),
}
KIND_WORDS = {"部门": "department", "department": "department", "政府": "government",
              "人民政府": "government", "government": "government"}  # fmt: skip
_NUMERALS = re.compile(r"[0-9一二三四五六七八九十百零〇]")


class RosterError(ValueError):
    """A roster file or command cannot be used; the message (Chinese first) says why."""


@dataclass(frozen=True)
class Entry:
    """One unit of the roster, as listed."""

    seq: int  # row of the file (the header is row 1)
    name: str
    division_code: str | None = None
    credit_code: str | None = None
    kind: str | None = None  # department | government
    parent: str | None = None


@dataclass(frozen=True)
class Known:
    """An agency of the warehouse as the matching sees it."""

    agency_id: int
    name: str
    names: tuple[str, ...]
    division_code: str | None
    kind: str | None
    credit_code: str | None


@dataclass(frozen=True)
class Match:
    seq: int
    agency_id: int | None
    method: str | None  # exact | alias | credit_code | division_name | fuzzy; None: unmatched
    score: float | None = None
    note: str | None = None


# ------------------------------------------------------------------------------------ the file


def _rows(path: Path) -> list[list[str]]:
    """The cells of the file's first sheet (xlsx) or of the csv (utf-8, else GB18030 as Excel on
    Chinese Windows saves it), as text."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
            raise RosterError(f"{path}：不是可读取的 xlsx 文件（not a readable xlsx file: {exc}）") from exc
        ws = wb.worksheets[0]
        rows = [["" if v is None else _text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        wb.close()
        return rows
    if path.suffix.lower() not in (".csv", ".txt"):
        raise RosterError(f"{path}：名单应为 xlsx 或 csv 文件（a roster is an xlsx or csv file）")
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterError(f"{path}：无法识别文字编码（neither UTF-8 nor GB18030）")
    return [row for row in csv.reader(io.StringIO(text))]


def _text(value: Any) -> str:
    """A cell as text: a code typed as a number (320813.0) without its decimal point."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_roster(path: Path) -> list[Entry]:
    """The units of a roster file; raises RosterError naming every row that cannot be used."""
    if not path.is_file():
        raise RosterError(f"{path}：文件不存在（no such file）")
    rows = _rows(path)
    if not any(c.strip() for r in rows for c in r):
        raise RosterError(f"{path}：文件是空的（the file is empty）")
    # the header is the first row with a name heading (a title line above it is skipped)
    names = {re.sub(r"\s+", "", n).lower() for n in HEADINGS["name"]}
    start = next((i for i, r in enumerate(rows[:20]) if any(re.sub(r"\s+", "", c).lower() in names for c in r)), None)
    if start is None:
        raise RosterError(
            f"{path}：没有表头行，应有「单位名称」或「名称」列（no header row with a name column: 单位名称/名称/name）"
        )
    header = [re.sub(r"\s+", "", c).lower() for c in rows[start]]
    columns: dict[str, int] = {}
    for field, headings in HEADINGS.items():
        wanted = {re.sub(r"\s+", "", n).lower() for n in headings}
        found = [i for i, h in enumerate(header) if h in wanted]
        if found:
            columns[field] = found[0]
    entries: list[Entry] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows[start + 1 :], start=start + 2):

        def cell(field: str, row: list[str] = row) -> str | None:
            j = columns.get(field)
            value = row[j].strip() if j is not None and j < len(row) else ""
            return value or None

        name = cell("name")
        if name is None:
            if any(c.strip() for c in row):
                problems.append(f"第 {i} 行没有单位名称（row {i}: no name）")
            continue
        name = clean_name(name)
        if name in seen:
            problems.append(f"第 {i} 行与第 {seen[name]} 行重复：{name}（row {i} repeats row {seen[name]}）")
            continue
        seen[name] = i
        code = cell("division_code")
        if code is not None:
            code = re.sub(r"\s+", "", code)
            if re.fullmatch(r"\d{12}", code):  # the statistics office's 12-digit codes begin with GB/T 2260's
                code = code[:6]
            if not re.fullmatch(r"\d{6}", code):
                problems.append(f"第 {i} 行区划代码「{code}」应为 6 位数字（row {i}: division code is 6 digits）")
                continue
        credit = cell("credit_code")
        if credit is not None:
            from stdnum.cn import uscc

            credit = credit.upper().replace(" ", "")
            if not uscc.is_valid(credit):
                problems.append(f"第 {i} 行统一社会信用代码「{credit}」无效（row {i}: credit code not valid）")
                continue
        kind = cell("kind")
        if kind is not None:
            if kind.lower() not in KIND_WORDS:
                problems.append(f"第 {i} 行类别「{kind}」应为 部门 或 政府（row {i}: department or government）")
                continue
            kind = KIND_WORDS[kind.lower()]
        entries.append(Entry(i, name, code, credit, kind, cell("parent")))
    if problems:
        raise RosterError(f"{path}：" + "；".join(problems))
    if not entries:
        raise RosterError(f"{path}：表头下没有任何单位（no units under the header）")
    return entries


# ------------------------------------------------------------------------------------ matching


def _division_of(entry: Entry, year: int | None) -> str | None:
    """The roster's division code, else the one the listed name points to (latest code of the place)."""
    from tasks.parse.divisions import division_from_name

    return division(entry.division_code) or division(division_from_name(entry.name, year))


def _one(ids: Iterable[int]) -> int | None:
    found = set(ids)
    return found.pop() if len(found) == 1 else None


def match_entries(
    entries: list[Entry],
    agencies: list[Known],
    keys: Mapping[str, int],
    aliases: Mapping[str, int],
    year: int | None = None,
    region: str | None = None,
) -> list[Match]:
    """Each entry's agency (see the module's docstring). `keys`: natural key → agency id (every key of
    every agency); `aliases`: clean printed name → agency id from the overrides file; a fuzzy match
    stays inside the roster's `region` (division-code prefix)."""
    from rapidfuzz import fuzz

    by_name: dict[str, set[int]] = {}
    for a in agencies:
        for n in a.names:
            by_name.setdefault(clean_name(n), set()).add(a.agency_id)
    by_credit: dict[str, set[int]] = {}
    for a in agencies:
        if a.credit_code:
            by_credit.setdefault(a.credit_code, set()).add(a.agency_id)
    out = []
    for e in entries:
        if (i := aliases.get(e.name)) is not None:
            out.append(Match(e.seq, i, "alias"))
            continue
        if (i := _one(by_name.get(e.name, ()))) is not None:
            out.append(Match(e.seq, i, "exact"))
            continue
        if e.credit_code and (i := _one(by_credit.get(e.credit_code, ()))) is not None:
            out.append(Match(e.seq, i, "credit_code"))
            continue
        code = _division_of(e, year)
        if code and (i := keys.get(f"{code}/{short_name(e.name)}")) is not None:
            out.append(Match(e.seq, i, "division_name"))
            continue
        near = [a for a in agencies if not region or (a.division_code or "").startswith(region)]
        out.append(_fuzzy(e, code, near, fuzz.ratio))
    return out


def _fuzzy(e: Entry, code: str | None, agencies: list[Known], ratio: Any) -> Match:
    """The one agency whose name is within FUZZY_THRESHOLD of the listed name, in the same division
    (when both are known), of the same kind (when both are known), printing the same numbers."""
    numerals = sorted(_NUMERALS.findall(e.name))
    scored = []
    for a in agencies:
        if code and a.division_code and division(a.division_code) != code:
            continue
        if e.kind and a.kind and e.kind != a.kind:
            continue
        best = max(ratio(e.name, clean_name(n)) for n in (a.name, *a.names))
        scored.append((best, a))
    scored.sort(key=lambda s: (-s[0], s[1].agency_id))
    close = [(s, a) for s, a in scored if s >= FUZZY_THRESHOLD]
    if len(close) == 1 and sorted(_NUMERALS.findall(clean_name(close[0][1].name))) == numerals:
        score, a = close[0]
        return Match(e.seq, a.agency_id, "fuzzy", round(score, 1))
    if len(close) > 1:
        names = "、".join(f"{a.name}（{a.agency_id}）" for _, a in close[:3])
        return Match(e.seq, None, None, None, f"多个机构名称相近，未匹配：{names}")
    if scored and scored[0][0] >= HINT_THRESHOLD:
        s, a = scored[0]
        return Match(e.seq, None, None, None, f"最接近：{a.name}（机构 {a.agency_id}，相似度 {s:.0f}）")
    return Match(e.seq, None, None, None, None)


# ---------------------------------------------------------------------------------- warehouse


def run_query(con: Any, name: str, params: dict[str, Any]) -> None:
    """Every statement of a query file, each with the parameters it uses."""
    for stmt in warehouse.statements(warehouse.query(name)):
        con.execute(stmt, bound(stmt, params))


def _has_rosters(con: Any) -> bool:
    return bool(con.execute("select 1 from duckdb_tables() where table_name = 'roster_entries'").fetchall())


def has_rosters(con: Any) -> bool:
    """Whether any roster was imported (its entries are matched again after every resolution)."""
    return _has_rosters(con) and bool(con.execute(warehouse.query("roster_all")).fetchall())


def rematch_in(con: Any, keys: Mapping[str, int], aliases: Mapping[str, int], now: datetime | None = None) -> int:
    """Match every roster's entries again to the agencies just resolved (the caller's transaction);
    returns the entries matched."""
    if not _has_rosters(con):
        return 0
    rosters = con.execute(warehouse.query("roster_all")).fetchall()
    if not rosters:
        return 0
    agencies = [Known(i, n, tuple(ns or ()), d, k, c) for i, n, ns, d, k, c in
                con.execute(warehouse.query("roster_known_agencies")).fetchall()]  # fmt: skip
    found = []
    for roster_id, year, region in rosters:
        rows = con.execute(warehouse.query("roster_entries_of"), {"roster_id": roster_id}).fetchall()
        for m in match_entries([Entry(*r) for r in rows], agencies, keys, aliases, year, region):
            found.append({"roster_id": roster_id, "seq": m.seq, "agency_id": m.agency_id, "match_method": m.method,
                          "match_score": m.score, "match_note": m.note})  # fmt: skip
    frame = pl.DataFrame(found, schema=_MATCH_SCHEMA)
    con.register("roster_matches", frame.to_arrow())
    try:
        run_query(con, "roster_set_matches", {"at": now or datetime.now()})
    finally:
        con.unregister("roster_matches")
    return sum(1 for m in found if m["agency_id"] is not None)


_MATCH_SCHEMA = {"roster_id": pl.Int32, "seq": pl.Int32, "agency_id": pl.Int32, "match_method": pl.Utf8,
                 "match_score": pl.Float64, "match_note": pl.Utf8}  # fmt: skip


def region_zh(region: str | None) -> str:
    return f"（区划 {region}）" if region else ""


def roster_entries(
    warehouse_path: Path, year: int | None = None, region: str | None = None, roster_id: int | None = None
) -> tuple[list[str], list[tuple]]:
    """The rosters' entries with their matches (unmatched first), as columns and rows."""
    with warehouse.reading(warehouse_path) as con:
        if not _has_rosters(con):
            return [], []
        cur = con.execute(warehouse.query("roster_list"), {"year": year, "region": region, "roster_id": roster_id})
        return [d[0] for d in cur.description], cur.fetchall()


def aliases_of(overrides: Iterable[Any], agency_of_key: Mapping[str, int]) -> dict[str, int]:
    """Clean name → agency id for every alias of the overrides file whose agency exists."""
    out = {}
    for o in overrides:
        if o.action == "alias" and o.name and (i := agency_of_key.get(o.agency)) is not None:
            out[clean_name(o.name)] = i
    return out
