"""The rule catalogue expanded over a whole batch: one instance per (document, rule, column/row/cell).

An identity instance carries its two sides (lhs, rhs), a cell instance the printed value. An
operand that is blank, absent or not an integer makes its side null: the instance is
"not_assessable" (never read as 0), and GX counts it as missing.

The identities of the batch are summed at once in polars: every document's cells in one long frame,
every instance's operands (key, side) in another, one join and one group-by. An instance's operands
depend on the document only through which rows it prints (`printed_only`, `printed_instead`), so
each distinct operand list is built once per batch, not once per document.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import polars as pl

from expectations import Catalogue, Rule, expand, keys_constant
from tasks.quality.doc import INT64_MAX, Doc, GateError
from tasks.quality.measures import MEASURES, selected_cells

# The instance frame; suites.py's expectations and the catalogue's checks name these columns.
FRAME_SCHEMA: dict[str, type[pl.DataType]] = {
    "row_id": pl.Int64,
    "document_id": pl.String,
    "rule_id": pl.String,
    "instance": pl.String,
    "lhs": pl.Int64,
    "rhs": pl.Int64,
    "printed": pl.String,
}


class Instance(NamedTuple):
    """One row of the instance frame, with what is needed to explain its outcome."""

    doc: Doc
    rule: Rule
    instance: str
    label: str
    kind: str  # identity | cell | measure | not_applicable | summary
    operands: tuple[tuple[str, str | None], ...] = ()  # (key, side) of the cells it reads
    lhs: int | None = None
    rhs: int | None = None
    printed: str | None = None
    missing: tuple[tuple[str, str], ...] = ()  # (key, reason) of operands that are not integers

    @property
    def assessable(self) -> bool:
        """Whether GX can judge this row: every value its check compares is present."""
        if self.kind == "identity":
            return self.lhs is not None and self.rhs is not None
        if self.kind in ("not_applicable", "summary") or self.rule.check is None:
            return False
        return getattr(self, self.rule.check.column) is not None


Operands = tuple[tuple[str, str | None], ...]


class CellBlock(NamedTuple):
    """The instances of a cell rule in one document, one frame row per selected cell, kept as columns
    (a batch has tens of thousands of cells, nearly all passing); `instance(i)` gives one of them."""

    doc: Doc
    rule: Rule
    keys: tuple[str, ...]
    lhs: tuple[int | None, ...]  # the cell where it is an integer a count can be
    printed: tuple[str | None, ...]  # the cell as text, None when blank

    @property
    def size(self) -> int:
        return len(self.keys)

    def instance(self, i: int) -> Instance:
        key = self.keys[i]
        return Instance(self.doc, self.rule, key, key, "cell", ((key, None),), lhs=self.lhs[i], printed=self.printed[i])

    def compared(self) -> tuple:
        """The values the rule's check reads, cell by cell (None: not assessable)."""
        assert self.rule.check is not None  # the catalogue loader guarantees it for cell rules
        return self.lhs if self.rule.check.column == "lhs" else self.printed


Item = Instance | CellBlock


class _Pending(NamedTuple):
    """An identity instance whose sides the batch's one polars pass sums."""

    slot: int  # its place in the batch's instance list
    doc: int  # index of its document in the batch
    spec: int  # index of its operand list


def batch_instances(docs: list[tuple[Doc, Catalogue]]) -> list[Item]:
    """Every instance of every (document, rules in scope), in document, catalogue and member order;
    a cell rule's instances in a document as one CellBlock."""
    out: list[Item | tuple] = []  # identities: (doc, rule, member, label, operands) until summed
    pending: list[_Pending] = []
    specs: dict[int, int] = {}
    spec_operands: list[Operands] = []
    for d, (doc, scoped) in enumerate(docs):
        for rule in scoped.rules:
            if doc.template not in rule.templates:
                if rule.severity == "blocking":
                    out.append(Instance(doc, rule, "*", "*", "not_applicable"))
            elif rule.kind == "identity":
                for member, label, operands in _identity_operands(rule, doc):
                    spec = specs.setdefault(id(operands), len(specs))  # one object per list (cached)
                    if spec == len(spec_operands):
                        spec_operands.append(operands)
                    pending.append(_Pending(len(out), d, spec))
                    out.append((doc, rule, member, label, operands))
            elif rule.kind == "measure":
                out.append(_measure_instance(rule, doc))
            elif block := _cell_block(rule, doc):
                out.append(block)
    for p, (lhs, rhs) in zip(pending, _sides(docs, pending, spec_operands), strict=True):
        out[p.slot] = _identity(*out[p.slot], lhs, rhs)
    return out  # type: ignore[return-value]  # every identity is an Instance now


def _identity_operands(rule: Rule, doc: Doc) -> tuple[tuple[str, str, Operands], ...]:
    """(member, label, operand keys and sides) of the rule's instances in this document: they depend
    on it only through which of the rule's rows it prints."""
    return _operand_lists(rule, _printed_rows(rule) & doc.rows)


@cache
def _printed_rows(rule: Rule) -> frozenset[str]:
    """The rows whose printing changes the rule's instances (printed_only, printed_instead)."""
    paths: list[str] = []
    for member in keys_constant(rule.domain):
        bindings = {rule.var: member}
        if rule.printed_only:
            paths.append(expand(rule.printed_only, bindings)[0])
        for _, rows in rule.printed_instead:
            paths += expand(rows, bindings)
    if any(p.count(".") != 1 for p in paths):
        raise GateError(f"rule {rule.id}: printed_only / printed_instead must name rows ({paths})")
    return frozenset(paths)


@cache
def _operand_lists(rule: Rule, printed: frozenset[str]) -> tuple[tuple[str, str, Operands], ...]:
    """The rule's instances for a document printing `printed` (of its _printed_rows)."""
    labels = keys_constant(rule.labels) if rule.labels else {}
    out = []
    for member in keys_constant(rule.domain):
        bindings = {rule.var: member}
        if rule.printed_only and expand(rule.printed_only, bindings)[0] not in printed:
            continue
        replaced = tuple(any(row in printed for row in expand(r, bindings)) for _, r in rule.printed_instead)
        out.append((member, labels.get(member, member), _operands(rule, member, replaced)))
    return tuple(out)


@cache
def _operands(rule: Rule, member: str, printed: tuple[bool, ...]) -> Operands:
    """An instance's (key, side) operands, `printed_instead` applied where the rows are `printed`."""
    bindings = {rule.var: member}
    sides = []
    for side, terms in (("lhs", rule.lhs), ("rhs", rule.rhs)):
        keys = [k for t in terms for k in expand(t.path, bindings)]
        for (prefix, replacement), replaced in zip(rule.printed_instead, printed, strict=True):
            if replaced:
                rows = expand(replacement, bindings)
                keys = [
                    new
                    for key in keys
                    for new in ([row + key[len(prefix) :] for row in rows] if key.startswith(prefix + ".") else [key])
                ]
        sides += [(key, side) for key in keys]
    return tuple(sides)


def _sides(docs: list[tuple[Doc, Catalogue]], pending: list[_Pending], specs: list[Operands]) -> list[tuple]:
    """(lhs, rhs) of every pending identity, summed in one polars pass over the batch's cells;
    (None, None) where an operand is blank, absent or not an integer (or a side exceeds int64)."""
    if not pending:
        return []
    doc_ids, keys, values = [], [], []
    for d in sorted({p.doc for p in pending}):
        integers = docs[d][0].integers
        doc_ids += [d] * len(integers)
        keys += integers.keys()
        values += integers.values()
    cells = pl.DataFrame(
        {"doc": doc_ids, "key": keys, "value": values, "usable": [True] * len(keys)},
        schema={"doc": pl.Int32, "key": pl.String, "value": pl.Int64, "usable": pl.Boolean},
    )
    operands = pl.DataFrame(
        {
            "spec": [s for s, ops in enumerate(specs) for _ in ops],
            "key": [key for ops in specs for key, _ in ops],
            "lhs": [side == "lhs" for ops in specs for _, side in ops],
        },
        schema={"spec": pl.Int32, "key": pl.String, "lhs": pl.Boolean},
    )
    instances = pl.DataFrame(
        {"slot": range(len(pending)), "doc": [p.doc for p in pending], "spec": [p.spec for p in pending]},
        schema={"slot": pl.Int32, "doc": pl.Int32, "spec": pl.Int32},
    )
    value = pl.col("value").cast(pl.Int128)
    sums = (
        instances.join(operands, on="spec")
        .join(cells, on=["doc", "key"], how="left")
        .group_by("slot")
        .agg(
            ok=pl.col("usable").fill_null(False).all(),  # an absent, blank or non-integer cell joins as null
            lhs=value.filter(pl.col("lhs")).sum(),
            rhs=value.filter(~pl.col("lhs")).sum(),
        )
        .with_columns(ok=pl.col("ok") & (pl.max_horizontal(pl.col("lhs").abs(), pl.col("rhs").abs()) <= INT64_MAX))
        .sort("slot")
    )
    return [(lhs, rhs) if ok else (None, None) for ok, lhs, rhs in sums.select("ok", "lhs", "rhs").iter_rows()]


def _identity(
    doc: Doc, rule: Rule, member: str, label: str, operands: Operands, lhs: int | None, rhs: int | None
) -> Instance:
    """An identity instance with its sides, or with why it cannot be judged."""
    if lhs is not None and rhs is not None:
        return Instance(doc, rule, member, label, "identity", operands, int(lhs), int(rhs))
    missing = tuple((key, why) for key, _ in operands if (why := doc.why_not_integer(key)))
    # no operand unusable: the sum exceeds what a count can reach (a plausibility rule says why)
    missing = missing or tuple((key, "not_integer") for key, _ in operands)
    return Instance(doc, rule, member, label, "identity", operands, missing=missing)


def _cell_block(rule: Rule, doc: Doc) -> CellBlock | None:
    """The cells the document holds that the rule's patterns select (None: it holds none)."""
    selected = selected_cells(rule, doc)
    if not selected:
        return None
    keys = tuple(key for key, _ in selected)
    integers = doc.integers
    return CellBlock(
        doc,
        rule,
        keys,
        tuple(integers.get(key) for key in keys),
        tuple(None if v is None else str(v) for _, v in selected),
    )


def _measure_instance(rule: Rule, doc: Doc) -> Instance:
    """The document-level figure a measure rule checks, with the cells it was measured on."""
    try:
        measure = MEASURES[rule.measure]
    except KeyError:
        raise GateError(f"rule {rule.id}: unknown measure {rule.measure!r}") from None
    value, keys = measure(rule, doc)
    operands = tuple((key, None) for key in keys)
    return Instance(doc, rule, rule.measure, rule.measure, "measure", operands, lhs=value)


def instance_frame(items: list[Item]) -> pl.DataFrame:
    """The long frame of the batch: one row per instance (a block's cells in turn), row_id = its place."""
    columns: dict[str, list] = {name: [] for name in FRAME_SCHEMA if name != "row_id"}
    for item in items:
        if isinstance(item, CellBlock):
            columns["document_id"] += [item.doc.id] * item.size
            columns["rule_id"] += [item.rule.id] * item.size
            columns["instance"] += item.keys
            columns["lhs"] += item.lhs
            columns["rhs"] += [None] * item.size
            columns["printed"] += item.printed
        else:
            columns["document_id"].append(item.doc.id)
            columns["rule_id"].append(item.rule.id)
            columns["instance"].append(item.instance)
            columns["lhs"].append(item.lhs)
            columns["rhs"].append(item.rhs)
            columns["printed"].append(item.printed)
    return pl.DataFrame({"row_id": range(len(columns["rule_id"])), **columns}, schema=FRAME_SCHEMA)
