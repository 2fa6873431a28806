"""The quality gate's rule catalogue: rules.toml read into small frozen records, checked on load.

The rules are data (rules.toml); tasks/gate.py expands them over records and
expectations/suites.py turns each into one Great Expectations expectation.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from tasks import keys

CATALOGUE_PATH = Path(__file__).with_name("rules.toml")

# Columns of the gate's instance frame (tasks/gate.py FRAME_SCHEMA) a cell or measure check reads.
CHECK_COLUMNS = frozenset({"lhs", "printed"})
SEVERITIES = ("blocking", "warning")

_PLACEHOLDER = re.compile(r"\{(\w+)\}")

Severity = Literal["blocking", "warning"]
Kind = Literal["identity", "cell", "measure"]


class CatalogueError(ValueError):
    """rules.toml says something the gate cannot run; the message names the rule."""


@dataclass(frozen=True)
class Term:
    """One term of an identity: a key-path template, summed over a tasks.keys tuple when `Σ`."""

    path: str
    summed: bool = False


@dataclass(frozen=True)
class Check:
    """What GX checks on the frame rows of a cell or measure rule (identities compare lhs, rhs)."""

    column: str
    regex: str | None = None
    min_value: int | None = None
    max_value: int | None = None


@dataclass(frozen=True)
class Rule:
    """One catalogue entry; which optional fields are set decides its kind."""

    id: str
    severity: Severity
    templates: tuple[str, ...]
    message_zh: str
    message_en: str
    identity: str = ""  # readable "lhs = rhs", kept verbatim for meta and Data Docs
    lhs: tuple[Term, ...] = ()
    rhs: tuple[Term, ...] = ()
    var: str = ""  # instance variable of an identity ("c")
    domain: str = ""  # tasks.keys tuple the variable runs over ("T3_COLUMNS")
    labels: str = ""  # tasks.keys dict of printed labels for instances
    printed_only: str = ""  # path template: instances whose path is not printed are skipped
    printed_instead: tuple[tuple[str, str], ...] = ()  # (prefix, replacement) when printed
    cells: tuple[str, ...] = ()  # glob patterns over key paths
    skip: tuple[str, ...] = ()
    measure: str = ""  # name of a per-document figure in tasks.gate.MEASURES
    check: Check | None = None
    summarise_passes: bool = False
    fail_zh: str = ""  # fail detail overriding the catalogue's default for the rule's kind
    fail_en: str = ""
    scope: str = "report"  # report: one document at a time; cross_year: against the agency's previous report
    basis_zh: str = ""  # statutory basis (条例 article, template notice) that rectification items cite

    @property
    def kind(self) -> Kind:
        """identity (lhs = rhs per instance), measure (one figure per document) or cell."""
        if self.identity:
            return "identity"
        return "measure" if self.measure else "cell"

    @property
    def statement(self) -> str:
        """The rule as a person reads it: the identity, or the check on the cells or figure."""
        if self.identity:
            return self.identity
        assert self.check is not None
        target = self.measure or " ".join(self.cells)
        if self.check.regex is not None:
            return f"{target} matches {self.check.regex}"
        bounds = [f"≥ {self.check.min_value}"] if self.check.min_value is not None else []
        bounds += [f"≤ {self.check.max_value}"] if self.check.max_value is not None else []
        return f"{target} {' and '.join(bounds)}"


@dataclass(frozen=True)
class Catalogue:
    """The whole rule set with its version and the texts that explain outcomes."""

    suite_version: str
    rules: tuple[Rule, ...]
    outcome_text: Mapping[str, Mapping[str, Mapping[str, str]]]  # kind -> outcome -> zh/en
    reasons: Mapping[str, Mapping[str, str]]  # blank/absent/not_integer -> zh/en

    def scoped(self, scope: str) -> Catalogue:
        """The same catalogue restricted to one scope (report or cross_year)."""
        return replace(self, rules=tuple(r for r in self.rules if r.scope == scope))

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (KeyError if the catalogue has none)."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def keys_constant(name: str) -> Any:
    """A tuple, set or dict from tasks/keys.py named in the catalogue."""
    value = getattr(keys, name, None)
    if not isinstance(value, (tuple, frozenset, dict)) or name.startswith("_"):
        raise CatalogueError(f"{name} is not a key tuple, set or dict in tasks/keys.py")
    return value


def expand(path: str, bindings: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The key paths a template stands for: variables bound, tasks.keys placeholders iterated."""
    return _expand(path, tuple(sorted((bindings or {}).items())))


@cache
def _expand(path: str, bindings: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """expand() memoised: the gate expands the same few templates for every record."""
    bound = dict(bindings)
    names = list(dict.fromkeys(_PLACEHOLDER.findall(path)))
    choices = [[bound[n]] if n in bound else _members(n) for n in names]
    return tuple(path.format_map(dict(zip(names, combo))) for combo in itertools.product(*choices))


def _members(name: str) -> list[str]:
    """Members of a tasks.keys constant in a stable order (sets are sorted)."""
    value = keys_constant(name)
    return sorted(value) if isinstance(value, frozenset) else list(value)


@cache
def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    """The catalogue in rules.toml, checked so that a bad entry fails here, not mid-batch."""
    with path.open("rb") as f:
        raw = tomllib.load(f)
    rules = tuple(_rule(entry) for entry in raw.get("rule", []))
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise CatalogueError(f"duplicate rule ids in {path.name}: {ids}")
    if not raw.get("suite_version"):
        raise CatalogueError(f"{path.name} has no suite_version")
    return Catalogue(
        suite_version=str(raw["suite_version"]),
        rules=rules,
        outcome_text=raw.get("outcome_text", {}),
        reasons=raw.get("reasons", {}),
    )


def _rule(entry: dict[str, Any]) -> Rule:
    """One [[rule]] table as a Rule, or a CatalogueError naming what is wrong with it."""
    rule_id = entry.get("id", "?")
    try:
        rule = Rule(
            id=entry["id"],
            severity=entry["severity"],
            templates=tuple(entry["templates"]),
            message_zh=entry["message_zh"],
            message_en=entry["message_en"],
            identity=entry.get("identity", ""),
            printed_only=entry.get("printed_only", ""),
            printed_instead=tuple(entry.get("printed_instead", {}).items()),
            labels=entry.get("labels", ""),
            cells=tuple(entry.get("cells", ())),
            skip=tuple(entry.get("skip", ())),
            measure=entry.get("measure", ""),
            check=Check(**entry["check"]) if "check" in entry else None,
            summarise_passes=entry.get("summarise_passes", False),
            fail_zh=entry.get("fail_zh", ""),
            fail_en=entry.get("fail_en", ""),
            scope=entry.get("scope", "report"),
            basis_zh=entry.get("basis_zh", ""),
            **_parsed_identity(entry),
        )
    except (KeyError, TypeError) as e:
        raise CatalogueError(f"rule {rule_id}: missing or unknown field {e}") from e
    _check_rule(rule)
    return rule


def _parsed_identity(entry: dict[str, Any]) -> dict[str, Any]:
    """lhs/rhs terms and the instance variable of an identity rule; nothing for other kinds."""
    if "identity" not in entry:
        return {}
    var, _, domain = entry["for"].partition(" in ")
    left, sep, right = entry["identity"].partition(" = ")
    if not sep:
        raise CatalogueError(f"rule {entry['id']}: identity needs one ' = '")
    return {"var": var.strip(), "domain": domain.strip(), "lhs": _terms(left), "rhs": _terms(right)}


def _terms(side: str) -> tuple[Term, ...]:
    """Terms of one side of an identity: 'a + b + Σ c' -> (a, b, c summed)."""
    terms = []
    for text in side.split(" + "):
        text = text.strip()
        summed = text.startswith("Σ")
        terms.append(Term(path=text.removeprefix("Σ").strip(), summed=summed))
    return tuple(terms)


def _check_rule(rule: Rule) -> None:
    """Refuse entries the gate could not run: wrong severity, names, placeholders, checks."""

    def fail(why: str) -> CatalogueError:
        return CatalogueError(f"rule {rule.id}: {why}")

    if rule.severity not in SEVERITIES:
        raise fail(f"severity {rule.severity!r} is not one of {SEVERITIES}")
    if unknown := set(rule.templates) - set(keys.TEMPLATES):
        raise fail(f"unknown templates {sorted(unknown)}")
    if rule.labels:
        keys_constant(rule.labels)
    if rule.kind == "identity":
        keys_constant(rule.domain)
        for term in rule.lhs + rule.rhs:
            constants = [n for n in _PLACEHOLDER.findall(term.path) if n != rule.var]
            if bool(constants) != term.summed:
                raise fail(f"term {term.path!r}: a tasks.keys placeholder needs Σ and Σ needs one")
            for name in constants:
                keys_constant(name)
    elif rule.check is None:
        raise fail("a cell or measure rule needs a check")
    elif rule.check.column not in CHECK_COLUMNS:
        raise fail(f"check column {rule.check.column!r} is not one of {sorted(CHECK_COLUMNS)}")
    elif (rule.check.regex is None) == (rule.check.min_value is None and rule.check.max_value is None):
        raise fail("a check has either a regex or bounds")
    elif rule.check.regex is not None and not _compiles(rule.check.regex):
        raise fail(f"check regex {rule.check.regex!r} does not compile")
    elif rule.kind == "cell" and not rule.cells:
        raise fail("a cell rule needs cell patterns")
    for pattern in rule.cells + rule.skip + tuple(p for _, p in rule.printed_instead):
        expand(pattern)  # unknown placeholders raise here


def _compiles(regex: str) -> bool:
    """Whether a check's regex is valid (GX runs it with pyarrow's RE2 on the Arrow-backed frame,
    so keep to the common subset: no lookarounds or backreferences)."""
    try:
        re.compile(regex)
    except re.error:
        return False
    return True
