"""The command line: every command has help and is documented in the README; output formats, the
one-line failures, --version and suggestions work; the light commands stay light."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner
from conftest import REPO

from flows.cli import main
from flows.cli.help_zh import COMMANDS, OPTIONS, flag, option_help


def ogi(*args: str, env: dict[str, str | None] | None = None) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), prog_name="ogi", env=env)


ENGLISH = {"OGI_LANG": "en"}
CHINESE = {"OGI_LANG": None}  # the default: no OGI_LANG in the environment
HAN = re.compile(r"[\u4e00-\u9fff]")


def _commands(group: click.Group = main, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    """Every command under `group`, subcommands of subgroups included, by its words after `ogi`."""
    out = []
    for name, command in group.commands.items():
        out.append(((*path, name), command))
        if isinstance(command, click.Group):
            out += _commands(command, (*path, name))
    return out


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("words,command", _commands(), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_command_has_help_and_is_in_the_readme(words, command):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    name = " ".join(words)
    assert f"ogi {name}" in readme, f"`ogi {name}` is not documented in README.md"
    assert command.help, f"`ogi {name}` has no docstring"
    summary = command.help.splitlines()[0]
    out = ogi(*words, "--help", env=ENGLISH)
    assert out.exit_code == 0, out.output
    assert _words(summary) in _words(out.output), f"`ogi {name} --help` does not say {summary!r}"
    summary_zh = COMMANDS[f"ogi {name}"].splitlines()[0]
    assert "".join(summary_zh.split()) in "".join(ogi(*words, "--help", env=CHINESE).output.split())
    # the README's table of commands says what the docstring's first line says
    row = next((line for line in readme.splitlines() if line.startswith(f"| `ogi {name}")), None)
    assert row is not None, f"`ogi {name}` has no row in the README's table of commands"
    described = row.split(" | ")[-1].replace("`", "").lower()
    assert summary.rstrip(".").lower() in described, f"README row of `ogi {name}` differs from {summary!r}"


def _options(command: click.Command) -> list[click.Option]:
    """The options `--help` lists for `command`, its -h/--help included."""
    ctx = click.Context(command, info_name=command.name)
    return [p for p in command.get_params(ctx) if isinstance(p, click.Option) and not p.hidden]


def test_every_command_and_option_has_a_chinese_help():
    paths = [(("ogi",), main)] + [(("ogi", *words), command) for words, command in _commands()]
    shared: dict[str, set[str | None]] = {}
    for words, command in paths:
        path = " ".join(words)
        assert HAN.search(COMMANDS.get(path, "")), f"`{path}` has no Chinese help in flows/cli/help_zh.py"
        for option in _options(command):
            zh = option_help(path, option.opts)
            assert zh and HAN.search(zh), f"`{path} {flag(option.opts)}` has no Chinese help"
            if f"{path} {flag(option.opts)}" not in OPTIONS:
                shared.setdefault(flag(option.opts), set()).add(option.help)
    # a shared Chinese help is said only where the English help is the shared one too
    assert {name: len(helps) for name, helps in shared.items()} == dict.fromkeys(shared, 1), shared
    # and nothing is translated that is not there (a misspelled key would never be shown)
    known = {" ".join(w) for w, _ in paths} | {f"{' '.join(w)} {flag(o.opts)}" for w, c in paths for o in _options(c)}
    assert set(COMMANDS) - known == set()
    assert {k for k in OPTIONS if not k.startswith("--")} - known == set()


def test_help_is_chinese_by_default_and_english_when_asked():
    zh = ogi("run", "--help", env=CHINESE)
    assert zh.exit_code == 0, zh.output
    assert zh.output.startswith("用法：ogi run [OPTIONS] INBOX")
    for words in ("主任务：对 INBOX 下的每个文件执行", "选项：", "显示本帮助并退出。", "[默认：table]", "审核页面"):
        assert words in zh.output
    assert "Usage:" not in zh.output and "Options:" not in zh.output and "The main job" not in zh.output

    for en in (ogi("run", "--help", env=ENGLISH), ogi("run", "--lang", "en", "--help", env=CHINESE)):
        assert en.exit_code == 0, en.output
        assert en.output.startswith("Usage: ogi run [OPTIONS] INBOX")
        assert "The main job: stage" in en.output and "Show this message and exit." in en.output
        assert not HAN.search(en.output), en.output
    # `ogi --help` lists every command with its Chinese summary
    listing = "".join(ogi("--help", env=CHINESE).output.split())
    assert "命令：" in listing and "".join(COMMANDS["ogi rectify"].splitlines()[0].split()) in listing


def test_chinese_help_fits_the_width_and_wraps_by_display_width():
    from flows.cli.common import width

    for words, _ in [((), main), *_commands()]:
        out = ogi(*words, "--help", env=CHINESE).output
        assert max(width(line) for line in out.splitlines()) <= 100, out
    # a long Chinese option help wraps into several lines, none starting with a closing mark
    lines = ogi("rectify", "list", "--help", env=CHINESE).output.splitlines()
    roster = lines[next(i for i, line in enumerate(lines) if "--roster" in line) :][:6]
    assert len([line for line in roster if HAN.search(line)]) >= 2
    assert not any(line.strip()[:1] in "，。、；：）" for line in lines if line.strip())


def test_the_warehouse_option_is_the_same_everywhere():
    helps = {" ".join(words): p.help for words, c in _commands() for p in c.params if p.opts == ["--warehouse"]}
    assert len(helps) == 24 and set(helps.values()) == {"DuckDB file (default: $OGI_WAREHOUSE or data/ogi.duckdb)"}


def test_version_prints_the_package_version():
    out = ogi("--version")
    version = re.search(r'^version = "(.+)"$', (REPO / "pyproject.toml").read_text(), re.M).group(1)
    assert out.exit_code == 0 and out.output == f"ogi {version}\n"


def test_a_misspelled_command_gets_a_suggestion():
    out = ogi("rn")
    assert out.exit_code == 2
    assert "No such command 'rn'. Did you mean 'run'?" in out.stderr


def test_sql_prints_csv_and_json(warehouse_path):
    import warehouse

    warehouse.migrate(warehouse_path)
    q = "select row_key, seq from ref_table3_rows order by seq limit 2"
    as_csv = ogi("sql", "--warehouse", str(warehouse_path), q, "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    assert list(csv.reader(io.StringIO(as_csv.stdout))) == [
        ["row_key", "seq"],
        ["new_requests", "1"],
        ["carried_over_in", "2"],
    ]
    as_json = ogi("sql", "--warehouse", str(warehouse_path), q, "--format", "json")
    assert json.loads(as_json.stdout) == [
        {"row_key": "new_requests", "seq": 1},
        {"row_key": "carried_over_in", "seq": 2},
    ]


def test_sql_table_aligns_wide_characters(warehouse_path):
    import warehouse

    warehouse.migrate(warehouse_path)
    out = ogi("sql", "select '湘乡市信访局' as agency, 1 as n", "--warehouse", str(warehouse_path))
    assert out.stdout.splitlines() == ["agency        n", "------------  -", "湘乡市信访局  1", "(1 rows)"]


def test_sql_reports_a_bad_query_without_a_traceback(warehouse_path):
    import warehouse

    warehouse.migrate(warehouse_path)
    out = ogi("sql", "select * from nowhere", "--warehouse", str(warehouse_path))
    assert out.exit_code == 1 and isinstance(out.exception, SystemExit)  # not an unexpected exception
    assert out.stderr.startswith("ogi sql: ") and "nowhere" in out.stderr and len(out.stderr.splitlines()) == 1


def test_sql_without_a_warehouse_says_how_to_make_one(tmp_path):
    out = ogi("sql", "select 1", "--warehouse", str(tmp_path / "none.duckdb"))
    assert out.exit_code == 2 and "ogi run" in out.stderr
    assert out.stderr == f"ogi sql: no warehouse at {tmp_path / 'none.duckdb'}; run `ogi run INBOX` first\n"


def test_the_warehouse_comes_from_the_environment_without_the_option(tmp_path, monkeypatch):
    monkeypatch.setenv("OGI_WAREHOUSE", str(tmp_path / "env.duckdb"))
    out = ogi("review")
    assert out.exit_code == 2 and str(tmp_path / "env.duckdb") in out.stderr


def test_expected_failures_are_one_line_on_stderr(tmp_path, warehouse_path):
    import warehouse

    warehouse.migrate(warehouse_path)
    years_expected = "expected YYYY or YYYY-YYYY, e.g. 2019-2024"
    cases = {
        ("run", str(tmp_path / "nope")): f"ogi run: {tmp_path / 'nope'}：文件或文件夹不存在",
        ("eval", str(tmp_path)): f"ogi eval: {tmp_path}/truth/ not found (expected truth JSON files there)",
        ("correct", "zzzzzzzz", "table3.granted.total=5", "--reason", "r", "--warehouse", str(warehouse_path)): None,
        (
            "backfill",
            str(tmp_path),
            "--years",
            "2024-19",
            "--lang",
            "en",
        ): f"ogi backfill: years '2024-19': {years_expected}",
        ("backfill", str(tmp_path), "--years", "24"): "ogi backfill: 年份 '24'：应为 YYYY 或 YYYY-YYYY，例如 2019-2024",
        ("watch", str(tmp_path / "nope"), "--local"): f"ogi watch: {tmp_path / 'nope'}：文件夹不存在",
        ("watch", str(tmp_path / "nope"), "--local", "--lang", "en"): f"ogi watch: {tmp_path / 'nope'}: no such folder",
        ("consolidate", "--year", "2024", "--warehouse", str(tmp_path / "none.duckdb")): None,
    }
    for args, expected in cases.items():
        out = ogi(*args)
        assert out.exit_code == 2, (args, out.output)
        assert len(out.stderr.splitlines()) == 1 and out.stderr.startswith(f"ogi {args[0]}: "), (args, out.stderr)
        if expected:
            assert out.stderr == expected + "\n"


def test_options_that_exclude_each_other_are_a_usage_error(tmp_path):
    out = ogi("backfill", str(tmp_path), "--workers", "2", "--dask-address", "tcp://127.0.0.1:8786")
    assert out.exit_code == 2 and "--workers and --dask-address cannot be used together" in out.stderr


def test_extract_and_sql_do_not_import_prefect_or_great_expectations(corpus, tmp_path):
    """The light commands (and `ogi --help`) start without Prefect and GX: the one subprocess test here."""
    probe = (
        "import sys\n"
        "from flows.cli import main\n"
        "for args in (['--help'], ['extract', sys.argv[1]], ['sql', 'select 1', '--warehouse', sys.argv[2]]):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('HEAVY', [m for m in ('prefect', 'great_expectations') if m in sys.modules], file=sys.stderr)\n"
    )
    sample = corpus / "seeds" / "003_be04c842d3f1cdaa.txt"
    out = subprocess.run(
        [sys.executable, "-c", probe, str(sample), str(tmp_path / "none.duckdb")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert '"source": "003_be04c842d3f1cdaa.txt"' in out.stdout, out.stderr
    assert "HEAVY []" in out.stderr, out.stderr
