"""`--help` in Chinese (the default) or English: one Command and one Group class every command uses.

The English help is click's own: the docstrings and option helps in flows/cli/*.py. The Chinese one
is the table in flows/cli/help_zh.py, keyed by command path and option; click's own words (用法,
选项, 命令, 显示本帮助并退出) are said here. The language is `--lang` when it comes before `--help`
on the command line (`--lang` is eager), else $OGI_LANG, else Chinese. Chinese text is wrapped by
display width (a CJK character is two columns) and may break between any two characters.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import click

from flows.cli.help_zh import command_help, option_help
from tasks.messages import LANGS, language

HEADINGS_ZH = {"Options": "选项", "Commands": "命令", "Positional arguments": "参数"}
# characters a line may not start with (they stay on the line before), and may not end with
NO_LINE_START = frozenset("，。、；：？！）》」』】”’,.;:?!)]}%")
NO_LINE_END = frozenset("（《「『【“‘({")


def help_language(ctx: click.Context) -> str:
    """`--lang` if it was given before `--help` (on this command or a parent), else $OGI_LANG, else zh."""
    c: click.Context | None = ctx
    while c is not None:
        if c.params.get("lang") in LANGS:
            return c.params["lang"]
        c = c.parent
    return language(None)


def command_path(ctx: click.Context) -> str:
    """`ogi rectify list`: the command names from the root, whatever the program was called."""
    names = []
    c: click.Context | None = ctx
    while c is not None:
        names.append(c.command.name or "")
        c = c.parent
    return " ".join(reversed(names))


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _tokens(text: str) -> list[str]:
    """Runs of narrow characters (a word, a flag, a path), single wide characters, single spaces, and
    click's extras `[默认：table]` whole."""
    out: list[str] = []
    word = ""
    for ch in text:
        if word.startswith("[") and "]" not in word:
            word += ch
        elif ch.isspace() or _cells(ch) == 2:
            if word:
                out.append(word)
                word = ""
            out.append(" " if ch.isspace() else ch)
        else:
            word += ch
    return [*out, word] if word else out


def wrap_zh(text: str, width: int) -> list[str]:
    """One paragraph as lines of at most `width` columns (a line-start mark may overhang by one)."""
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for tok in _tokens(text):
        if tok == " " and not line:
            continue
        size = _cells(tok)
        if line and used + size > width and tok != " " and tok not in NO_LINE_START:
            carry = []
            while line and line[-1] in NO_LINE_END:
                carry.insert(0, line.pop())
            lines.append("".join(line).rstrip())
            line, used = carry, _cells("".join(carry))
            if tok == " ":
                continue
        line.append(tok)
        used += size
    if line:
        lines.append("".join(line).rstrip())
    return lines


def _paragraphs(text: str) -> list[tuple[bool, list[str]]]:
    """Paragraphs split on blank lines: (raw, lines); a paragraph opened by a `\\b` line is kept as is."""
    out = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        if lines and lines[0].strip() == "\b":
            out.append((True, lines[1:]))
        else:
            out.append((False, ["".join(line.strip() for line in lines)]))
    return out


class ZhFormatter(click.HelpFormatter):
    """click's formatter with Chinese headings and the usage word, wrapping by display width."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS_ZH.get(heading, heading)}：\n")

    def _text(self, text: str, width: int) -> list[str]:
        lines: list[str] = []
        for i, (raw, par) in enumerate(_paragraphs(text)):
            if i:
                lines.append("")
            lines += par if raw else wrap_zh(par[0], max(width, 20))
        return lines

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write("\n".join(f"{indent}{line}".rstrip() for line in self._text(text, self.width - len(indent))))
        self.write("\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((_cells(first) for first, _ in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if _cells(first) <= first_col - col_spacing:
                self.write(" " * (first_col - _cells(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = self._text(second, max(self.width - first_col - 2 - self.current_indent, 10))
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n" if line else "\n")


def _option_record(param: click.Parameter, ctx: click.Context, path: str) -> tuple[str, str] | None:
    """An option's line in Chinese: its flags and its help from help_zh, with click's extras in Chinese."""
    record = param.get_help_record(ctx)
    if record is None or not isinstance(param, click.Option):
        return record
    extra = param.get_help_extra(ctx)
    items = []
    if "envvars" in extra:
        items.append("环境变量：" + "、".join(extra["envvars"]))
    if "default" in extra:
        items.append(f"默认：{extra['default']}")
    if "range" in extra:
        items.append(extra["range"])
    if "required" in extra:
        items.append("必填")
    text = option_help(path, param.opts) or param.help or ""
    return record[0], f"{text}  [{'；'.join(items)}]" if items else text


class Bilingual(click.Command):
    """A command whose help is Chinese unless English is asked for (help_language)."""

    def get_help(self, ctx: click.Context) -> str:
        if help_language(ctx) != "zh":
            return super().get_help(ctx)
        formatter = ZhFormatter(width=ctx.terminal_width, max_width=ctx.max_content_width)
        self.format_help(ctx, formatter)
        return formatter.getvalue().rstrip("\n")

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = command_help(command_path(ctx)) if isinstance(formatter, ZhFormatter) else None
        if text is None:
            return super().format_help_text(ctx, formatter)
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(text)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if not isinstance(formatter, ZhFormatter):
            return click.Command.format_options(self, ctx, formatter)  # a Group adds its commands
        path = command_path(ctx)
        rows = [r for p in self.get_params(ctx) if not isinstance(p, click.Argument)
                if (r := _option_record(p, ctx, path)) is not None]  # fmt: skip
        if rows:
            with formatter.section("Options"):
                formatter.write_dl(rows)


class Command(Bilingual):
    """Every `ogi` command that is not a group."""


class Group(Bilingual, click.Group):
    """Every `ogi` group: its subcommands are Commands (or Groups), listed with their whole summary."""

    command_class = Command
    group_class = type

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        path = command_path(ctx)
        zh = isinstance(formatter, ZhFormatter)
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            text = command_help(f"{path} {name}") if zh else None
            rows.append((name, text.splitlines()[0] if text else cmd.get_short_help_str(limit=200)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)
