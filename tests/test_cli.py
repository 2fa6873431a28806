"""Every command has help and is documented in the README; output formats work."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from conftest import REPO

from ogi_cli import build_parser


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(sub.choices)


def test_every_command_has_help_and_is_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in _commands():
        out = subprocess.run(
            [sys.executable, str(REPO / "ogi_cli.py"), command, "--help"], capture_output=True, text=True
        )
        assert out.returncode == 0, command
        assert f"ogi {command}" in readme, f"`ogi {command}` is not documented in README.md"


def test_sql_prints_csv_and_json(warehouse_path):
    import warehouse

    warehouse.migrate(warehouse_path)
    base = [sys.executable, str(REPO / "ogi_cli.py"), "sql", "--warehouse", str(warehouse_path)]
    q = "select row_key, seq from ref_table3_rows order by seq limit 2"
    as_csv = subprocess.run([*base, q, "--format", "csv"], capture_output=True, text=True)
    assert list(csv.reader(io.StringIO(as_csv.stdout))) == [
        ["row_key", "seq"],
        ["new_requests", "1"],
        ["carried_over_in", "2"],
    ]
    as_json = subprocess.run([*base, q, "--format", "json"], capture_output=True, text=True)
    assert json.loads(as_json.stdout) == [
        {"row_key": "new_requests", "seq": 1},
        {"row_key": "carried_over_in", "seq": 2},
    ]


def test_sql_reports_a_bad_query_without_a_traceback(warehouse_path):
    import warehouse

    warehouse.migrate(warehouse_path)
    out = subprocess.run(
        [sys.executable, str(REPO / "ogi_cli.py"), "sql", "select * from nowhere", "--warehouse", str(warehouse_path)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1 and "nowhere" in out.stderr and "Traceback" not in out.stderr


def test_sql_without_a_warehouse_says_how_to_make_one(tmp_path):
    out = subprocess.run(
        [sys.executable, str(REPO / "ogi_cli.py"), "sql", "select 1", "--warehouse", str(tmp_path / "none.duckdb")],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2 and "ogi run" in out.stderr
