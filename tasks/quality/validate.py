"""Great Expectations validates the instance frame: one validation per batch, failing rows by row_id.

GX takes ~3-5 s to import, so it is imported inside the functions (and ahead, by `preload`). Without
a project folder the validation runs in an ephemeral context (the batch path); with one, it goes
through a checkpoint of a file-backed GX project so results persist and its Data Docs site is
rebuilt (on demand).
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from expectations import Catalogue, Rule
from expectations.suites import RESULT_FORMAT, build_suite, compared_columns, rule_column
from tasks.quality.doc import GateError


def preload() -> None:
    """Import GX in a background thread (once), so that its ~3 s import overlaps the extraction of a
    run's first batch instead of delaying its gate."""
    if "great_expectations" not in sys.modules and not any(t.name == _PRELOAD for t in threading.enumerate()):
        threading.Thread(
            target=importlib.import_module, args=("great_expectations",), name=_PRELOAD, daemon=True
        ).start()


_PRELOAD = "ogi-gx-import"


def wide_frame(frame: pl.DataFrame, catalogue: Catalogue) -> pl.DataFrame:
    """The instance frame as GX reads it: row_id and, per rule, its compared columns (null elsewhere)."""
    return frame.select(
        "row_id",
        *(
            pl.when(pl.col("rule_id") == rule.id).then(pl.col(c)).alias(rule_column(rule, c))
            for rule in catalogue.rules
            for c in compared_columns(rule)
        ),
    )


def failing_rows(
    frame: pl.DataFrame, catalogue: Catalogue, docs_root: Path | None = None, name: str = "report"
) -> set[int]:
    """row_ids GX found violating their rule; raises GateError if any rule could not be evaluated."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    wide = wide_frame(frame, catalogue)
    dataframe = wide.to_pandas(use_pyarrow_extension_array=True)
    if docs_root is None:
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        batch = (
            context.data_sources.add_pandas("gate")
            .add_dataframe_asset("instances")
            .add_batch_definition_whole_dataframe("batch")
        )
        suite = context.suites.add(build_suite(catalogue))
        validation = context.validation_definitions.add(gx.ValidationDefinition(name="gate", data=batch, suite=suite))
        run = validation.run(batch_parameters={"dataframe": dataframe}, result_format=RESULT_FORMAT)
    else:
        run = _run_with_data_docs(dataframe, catalogue, docs_root, name)
    by_rule = {r.expectation_config.meta["rule_id"]: r for r in run.results}  # not in suite order
    if missing := [rule.id for rule in catalogue.rules if rule.id not in by_rule]:
        raise GateError(f"GX returned no result for rules {missing}")
    failing: set[int] = set()
    for rule in catalogue.rules:
        failing |= _checked_failures(rule, by_rule[rule.id], wide)
    return failing


def _run_with_data_docs(dataframe: Any, catalogue: Catalogue, docs_root: Path, name: str) -> Any:
    """Validate through a checkpoint of a file-backed GX project, so results and Data Docs persist."""
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.data_context.types.base import ProgressBarsConfig

    docs_root.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(docs_root))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_or_update_pandas("gate")
    asset = next((a for a in source.assets if a.name == name), None) or source.add_dataframe_asset(name)
    batch = next((b for b in asset.batch_definitions if b.name == "batch"), None)
    batch = batch or asset.add_batch_definition_whole_dataframe("batch")
    suite = context.suites.add_or_update(build_suite(catalogue))
    validation = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=f"{name}_{catalogue.suite_version}", data=batch, suite=suite)
    )
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=f"ogi_{name}",
            validation_definitions=[validation],
            actions=[UpdateDataDocsAction(name="data_docs")],
            result_format=RESULT_FORMAT,
        )
    )
    result = checkpoint.run(batch_parameters={"dataframe": dataframe})
    return next(iter(result.run_results.values()))


def data_docs_index(docs_root: Path) -> Path:
    """Where the local Data Docs site of a GX project under docs_root is built."""
    return docs_root / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"


def _checked_failures(rule: Rule, result: Any, wide: pl.DataFrame) -> set[int]:
    """Failing row_ids of one expectation result, after checking GX evaluated what we sent: every
    row of the frame, missing where the rule compares nothing (other rules' rows, nulls)."""
    if errors := _gx_errors(result.exception_info):
        raise GateError(f"GX could not evaluate rule {rule.id}: {'; '.join(errors)}")
    columns = [rule_column(rule, c) for c in compared_columns(rule)]
    missing = wide.select(pl.any_horizontal(pl.col(c).is_null() for c in columns).sum()).item()
    stats = result.result
    ids = {int(row["row_id"]) for row in stats.get("unexpected_index_list") or []}
    expected = (wide.height, missing, len(ids), not ids)
    got = (
        stats.get("element_count"),
        stats.get("missing_count"),
        stats.get("unexpected_count"),
        result.success,
    )
    if expected != got:
        raise GateError(
            f"GX result for rule {rule.id} does not match its rows: "
            f"(rows, missing, failing, success) expected {expected}, got {got}"
        )
    return ids


def _gx_errors(info: Mapping[str, Any] | None) -> list[str]:
    """Exception messages in a GX exception_info (flat, or keyed by metric when it failed)."""
    if not info:
        return []
    if "raised_exception" in info:
        return [str(info.get("exception_message"))] if info["raised_exception"] else []
    return [m for nested in info.values() if isinstance(nested, Mapping) for m in _gx_errors(nested)]
