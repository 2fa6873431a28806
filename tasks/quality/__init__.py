"""The quality layer: statutory rules (expectations/rules.toml) over records, one GX validation per
batch. Imports nothing from the review workflow; the review workflow and the batch core call it."""

from tasks.quality.doc import GateError
from tasks.quality.gate import gate, gate_batch
from tasks.quality.results import RuleResult, blocking_failures, stored_results
from tasks.quality.validate import data_docs_index

__all__ = ["GateError", "RuleResult", "blocking_failures", "data_docs_index", "gate", "gate_batch", "stored_results"]
