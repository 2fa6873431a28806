"""`ogi`: the command line. It parses arguments, calls one function of tasks/ or flows/ and prints
the result; what a command does lives there, not here.

Heavy imports (Prefect, Great Expectations) happen inside the commands that need them, so
`ogi --help`, `ogi extract`, `ogi eval` and `ogi sql` start fast.
"""

from __future__ import annotations

import click

from flows.cli.agencies import agencies_group
from flows.cli.common import CONTEXT, OgiGroup, version_option
from flows.cli.extraction import eval_command, extract_command
from flows.cli.rectify import rectify_group
from flows.cli.review import accept_command, correct_command, quality_command, reprocess_command, review_command
from flows.cli.roster import roster_group
from flows.cli.uses import backfill_command, consolidate_command, serve_command, watch_command
from flows.cli.warehouse import export_command, run_command, sql_command


@click.group("ogi", cls=OgiGroup, context_settings=CONTEXT)
@version_option
def main() -> None:
    """Open-government-information annual reports: stage, extract, gate, load, query.

    `ogi COMMAND --help` describes a command. The warehouse is --warehouse PATH, else
    $OGI_WAREHOUSE, else data/ogi.duckdb. Help is in Chinese unless OGI_LANG=en, or --lang en
    before --help (`ogi run --lang en --help`). Shell completion, e.g. in ~/.bashrc:

    \b
        eval "$(_OGI_COMPLETE=bash_source ogi)"   # zsh: zsh_source, fish: fish_source
    """


for command in (
    extract_command,
    eval_command,
    run_command,
    sql_command,
    export_command,
    quality_command,
    review_command,
    correct_command,
    accept_command,
    reprocess_command,
    watch_command,
    serve_command,
    consolidate_command,
    backfill_command,
    agencies_group,
    roster_group,
    rectify_group,
):
    main.add_command(command)

__all__ = ["main"]
