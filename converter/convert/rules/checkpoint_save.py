"""`torch.save` of the weights inside the loop (a `state_dict()` in what it saves: the model's, a checkpoint dict of
the model's and the optimizer's): removed, Lightning's ModelCheckpoint saves every epoch. Any other save (a tensor,
an evaluation's predictions, generated samples) stays as written: nothing else would write that file."""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.convert.step import NO_MATCH

CODES = {"T2L112": "torch.save of the weights inside the loop -> Lightning's checkpointing (ModelCheckpoint)"}


def on_call(step, line, call, owner, method):
    if step.ctx.imports.call_name(call) != "torch.save" or not _weights(call):
        return NO_MATCH  # a tensor, predictions, samples: saved as the loop saved them
    step.out.saves += 1
    step.report.add("T2L112", step.line)
    return None


def class_comment(conv, out) -> None:
    """Say in the class where the checkpoints go now."""
    if out.saves:
        conv.comments.append("Lightning's ModelCheckpoint saves every epoch under lightning_logs/version_N/checkpoints")


def _weights(call: cst.Call) -> bool:
    saved = call.args[0].value if call.args else None
    return saved is not None and any(isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute)
                                     and n.func.attr.value == "state_dict" for n in walk(saved))  # fmt: skip
