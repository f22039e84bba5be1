"""A script that already trains through an engine (HF Accelerate, DeepSpeed: converter/engines.py) is declined
(T2L932), naming the engine: its `accelerator.backward(loss)` is no tensor's backward for fabric.backward to take,
and the objects its `prepare()` returned are the engine's. (A script that already makes a Fabric is left alone.)"""

from __future__ import annotations

from converter import engines
from converter.analysis import apply_edits
from converter.marks import marking, todo_line

CODES = {"T2L932": "a script that trains through HF Accelerate or DeepSpeed already: not converted to Fabric"}


def declined(script) -> str | None:
    """The input with a TODO on the engine's backward, or None when the script trains through no engine."""
    found = engines.engine_backward(script.index, script.imports)
    if found is None:
        return None
    call, engine = found
    reason = engines.reason(call, engine, "a Fabric script")
    script.report.add("T2L932", script.line(call), reason)
    edit = marking(None, todo_line("T2L932", reason + "; not converted"))
    return apply_edits(script.index, {}, {id(script.statement(call)): edit}).code
