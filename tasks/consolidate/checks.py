"""R1–R3 on the consolidated table 3: the statutory identities checked on the summed cells, with the
rule ids and Chinese messages of the catalogue (expectations/rules.toml).

A sum over reports can break an identity every report keeps, when some reports printed an operand
blank (blank is not 0): the check says how many blanks each side holds, so a reader can tell a
violation from an incomplete sum. An operand no report printed makes the instance not assessable.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from expectations import CATALOGUE_PATH
from tasks.keys import T3_APPLICANT_COLUMNS, T3_COLUMN_LABELS, T3_COLUMNS, T3_OUTCOME_ROWS, T3_ROW_LABELS

RULES = ("R1", "R2", "R3")
OUTCOME_ZH = {"pass": "成立", "fail": "不成立", "not_assessable": "无法判断"}


@dataclass(frozen=True)
class Cell:
    """A consolidated cell: the sum (None when no report printed a number), reports with a number, blanks."""

    value: int | None
    reports: int
    blanks: int


@dataclass(frozen=True)
class IdentityCheck:
    """One instance of R1, R2 or R3 on the consolidated cells."""

    rule_id: str
    instance: str  # the column key (R1, R2) or the row key (R3)
    label_zh: str  # its printed label
    outcome: str  # pass | fail | not_assessable
    lhs: int | None
    rhs: int | None
    blanks: int  # blank cells (report × cell) among the operands
    message_zh: str  # the catalogue's message for the instance
    detail_zh: str  # what was found

    @property
    def outcome_zh(self) -> str:
        return OUTCOME_ZH[self.outcome]


@cache
def rule_messages() -> dict[str, str]:
    """rule id → message_zh template of the catalogue (with its {label} placeholder)."""
    with open(CATALOGUE_PATH, "rb") as f:
        return {r["id"]: r["message_zh"] for r in tomllib.load(f)["rule"]}


def rule_name_zh(rule_id: str) -> str:
    """A rule's Chinese message without the instance, e.g. 表三各列：本年新收 + 上年结转 应等于 …"""
    message = rule_messages().get(rule_id)
    if message is None:
        return rule_id
    return message.replace("「{label}」列", "各列").replace("「{label}」行", "各行").replace("「{label}」", "")


def cells_of(rows: list[dict[str, Any]]) -> dict[tuple[str, str], Cell]:
    """(row key, column key) → Cell, from the rows of consolidation_table3_cells."""
    return {(r["row_key"], r["column_key"]): Cell(r["requests"], r["reports"], r["blank_cells"]) for r in rows}


def _side(cells: dict[tuple[str, str], Cell], keys: list[tuple[str, str]]) -> tuple[int | None, int]:
    """Sum of one side and the blanks it holds; None when an operand has no number at all."""
    operands = [cells.get(k, Cell(None, 0, 0)) for k in keys]
    blanks = sum(c.blanks for c in operands)
    if any(c.value is None for c in operands):
        return None, blanks
    return sum(c.value for c in operands), blanks


def _check(
    cells: dict[tuple[str, str], Cell],
    rule_id: str,
    instance: str,
    label: str,
    lhs_keys: list[tuple[str, str]],
    rhs_keys: list[tuple[str, str]],
) -> IdentityCheck:
    lhs, lhs_blanks = _side(cells, lhs_keys)
    rhs, rhs_blanks = _side(cells, rhs_keys)
    blanks = lhs_blanks + rhs_blanks
    message = rule_messages()[rule_id].format(label=label)
    note = f"（运算项中有 {blanks} 个报告单元格空白，未按 0 计）" if blanks else ""
    if lhs is None or rhs is None:
        operands = lhs_keys + rhs_keys
        missing = [T3_ROW_LABELS[r] for r, c in operands if cells.get((r, c), Cell(None, 0, 0)).value is None]
        outcome, detail = "not_assessable", "无法判断：" + "、".join(dict.fromkeys(missing)) + " 全部空白"
    elif lhs == rhs:
        outcome, detail = "pass", f"成立：{lhs:,} = {rhs:,}{note}"
    else:
        outcome, detail = "fail", f"不成立：左边 {lhs:,} ≠ 右边 {rhs:,}（差 {lhs - rhs:+,}）{note}"
    return IdentityCheck(rule_id, instance, label, outcome, lhs, rhs, blanks, message, detail)


def identity_checks(cells: dict[tuple[str, str], Cell], row_keys: tuple[str, ...]) -> tuple[IdentityCheck, ...]:
    """R1 and R2 per column, R3 per printed row (`row_keys`, rows with no number skipped)."""
    checks = []
    for c in T3_COLUMNS:
        label = T3_COLUMN_LABELS[c]
        checks.append(
            _check(
                cells,
                "R1",
                c,
                label,
                [("new_requests", c), ("carried_over_in", c)],
                [("handled_total", c), ("carried_over_out", c)],
            )
        )
    for c in T3_COLUMNS:
        checks.append(
            _check(cells, "R2", c, T3_COLUMN_LABELS[c], [("handled_total", c)], [(r, c) for r in T3_OUTCOME_ROWS])
        )
    for r in row_keys:
        if all(cells.get((r, c), Cell(None, 0, 0)).value is None for c in T3_COLUMNS):
            continue
        checks.append(_check(cells, "R3", r, T3_ROW_LABELS[r], [(r, "total")], [(r, c) for c in T3_APPLICANT_COLUMNS]))
    return tuple(checks)


def violations(checks: tuple[IdentityCheck, ...]) -> tuple[IdentityCheck, ...]:
    return tuple(c for c in checks if c.outcome == "fail")
