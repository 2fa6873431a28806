"""What every command shares: options declared once, the one-line failure, output helpers.

Only click and the standard library are imported here: `ogi --help`, `ogi extract`, `ogi eval` and
`ogi sql` must start without Prefect or Great Expectations.

Exit codes (README, "Exit codes"): 0 done; 1 a file `ogi extract` cannot read or a query DuckDB
rejects; 2 a usage mistake or an expected failure (one line on stderr); 3 and 4 only with --strict
(something was quarantined; something was rejected or skipped); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import difflib
import os
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, NoReturn

import click

from flows.cli.help import Command, Group
from tasks.settings import tune_gc

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

EXIT_OK, EXIT_INPUT, EXIT_FAILURE, EXIT_QUARANTINED, EXIT_REJECTED, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130

# Prefect reads its settings when it is first imported, and every command that needs it imports it
# later than this module: no telemetry from the temporary server (it runs offline, on intranets),
# and time for that server to start on a loaded machine (Prefect's default of 20 s is too short).
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


# ------------------------------------------------------------------------------------------- errors


class Failure(click.ClickException):
    """An expected failure: one line `ogi COMMAND: message` on stderr and exit `code`, no traceback."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = code
        self.command = _command_path()

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"{self.command}: {self.message}", err=True)


def _command_path() -> str:
    ctx = click.get_current_context(silent=True)
    return ctx.command_path if ctx else "ogi"


def fail(message: str, code: int = 2) -> NoReturn:
    raise Failure(message, code)


def note(message: str) -> None:
    """A line `ogi COMMAND: message` on stderr (progress, or a problem that does not stop the command)."""
    click.echo(f"{_command_path()}: {message}", err=True)


@contextmanager
def expected(*errors: type[BaseException], code: int = 2, message: Callable[[Any], str] = str) -> Iterator[None]:
    """Turn the exceptions a person can cause (a missing warehouse, a busy file, a bad reference)
    into a Failure: one line on stderr and exit `code`."""
    try:
        yield
    except errors as exc:
        raise Failure(message(exc), code) from None


def first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


# ------------------------------------------------------------------------------------------ options


def _settings(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """--warehouse → tasks.settings.Settings, resolved here once for the whole command."""
    from tasks.settings import settings

    return settings(value)


warehouse_option = click.option(
    "--warehouse",
    "cfg",
    metavar="PATH",
    callback=_settings,
    help="DuckDB file (default: $OGI_WAREHOUSE or data/ogi.duckdb)",
)


def _language(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    from tasks.messages import language

    return language(value)


lang_option = click.option(
    "--lang",
    "lang",
    type=click.Choice(("zh", "en")),
    envvar="OGI_LANG",
    callback=_language,
    is_eager=True,  # given before --help, it is the language of the help too (flows/cli/help.py)
    help="Language of messages, headers and reasons: zh (default) or en; also $OGI_LANG.",
)

verbose_option = click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Show Prefect's own log lines here (else: logs/prefect.log beside the warehouse).",
)

strict_option = click.option(
    "--strict",
    is_flag=True,
    help="Exit 3 if a file was quarantined, 4 if one was rejected or skipped (for scripts).",
)


def format_option(*choices: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--format, the first choice the default (the same on every command that takes it)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="table: for people; json: the same data, machine-readable.",
    )


def command(name: str) -> Callable[[Callable[..., Any]], Command]:
    """`@command("run")`: a command with the shared context settings and Chinese or English help."""
    return click.command(name, cls=Command, context_settings=CONTEXT)


def group(name: str) -> Callable[[Callable[..., Any]], Group]:
    """`@group("rectify")`: a group whose subcommands (`@rectify_group.command(...)`) are Commands too."""
    return click.group(name, cls=Group, context_settings=CONTEXT)


def strict_exit(quarantined: int, rejected: int) -> None:
    """With --strict: exit 4 if any file was rejected or skipped, else 3 if any was quarantined."""
    if rejected:
        raise click.exceptions.Exit(EXIT_REJECTED)
    if quarantined:
        raise click.exceptions.Exit(EXIT_QUARANTINED)


def exclusive(ctx: click.Context, *names: str) -> None:
    """At most one of the options `names` on the command line (as argparse's mutually exclusive groups)."""
    given = [n for n in names if ctx.get_parameter_source(n) == click.core.ParameterSource.COMMANDLINE]
    if len(given) > 1:
        flags = [next(p.opts[0] for p in ctx.command.params if p.name == n) for n in given]
        raise click.UsageError(f"{flags[0]} and {flags[1]} cannot be used together", ctx)


# ------------------------------------------------------------------------------------------- output


def echo(text: str = "") -> None:
    click.echo(text)


def echo_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, default=str, indent=1))


def width(text: str) -> int:
    """Display width: wide CJK characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, to: int) -> str:
    """`text` padded with spaces to display width `to`."""
    return text + " " * max(0, to - width(text))


def print_table(columns: list[str], rows: list[tuple]) -> None:
    """A plain aligned table; wide CJK characters count double."""
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max([width(c)] + [width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - width(v)) for v, w in zip(values, widths)).rstrip()

    echo(line(columns))
    echo("  ".join("-" * w for w in widths))
    for r in cells:
        echo(line(r))


# -------------------------------------------------------------------------------------- the group


def package_version() -> str:
    """The installed package's version, else the one in pyproject.toml beside the sources."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ogi")
    except PackageNotFoundError:
        import tomllib

        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"ogi {package_version()}")
        ctx.exit()


version_option = click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Print the version and exit.",
)


class OgiGroup(Group):
    """`ogi`: commands listed in the order they are added (each with its whole summary, in Chinese
    unless English is asked for: flows/cli/help.py), a suggestion for a misspelled one,
    Ctrl-C as `interrupted` (exit 130), and `ogi` as the program name however it is started."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and not ctx.resilient_parsing and self.get_command(ctx, name) is None:
            close = difflib.get_close_matches(name, self.list_commands(ctx), n=1)
            if close:
                ctx.fail(f"No such command {name!r}. Did you mean {close[0]!r}?")
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            raise click.exceptions.Exit(130) from None

    def main(self, *args: Any, prog_name: str | None = None, **kwargs: Any) -> Any:
        tune_gc()
        return super().main(*args, prog_name=prog_name or "ogi", **kwargs)
