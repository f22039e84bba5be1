"""A script that already trains through an engine (HF Accelerate, DeepSpeed, Lightning Fabric: converter/engines.py)
is declined (T2L931), naming the engine: its `accelerator.backward(loss)` is not a tensor's backward, and the
objects its `prepare()` returned are the engine's."""

from __future__ import annotations

from converter import engines

CODES = {"T2L931": "a script that trains through HF Accelerate, DeepSpeed or Fabric already: not converted"}


def decline(conv) -> str | None:
    found = engines.engine_backward(conv.plan.index, conv.plan.imports)
    if found is None:
        return None
    call, engine = found
    return conv.unsupported(conv.plan.batch_loop, "T2L931", engines.reason(call, engine, "a LightningModule"))
