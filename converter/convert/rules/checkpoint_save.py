"""`torch.save` of the weights inside the loop: removed, Lightning's ModelCheckpoint saves every epoch."""

from __future__ import annotations

from converter.convert.step import NO_MATCH

CODES = {"T2L112": "torch.save of the weights inside the loop -> Lightning's checkpointing (ModelCheckpoint)"}


def on_call(step, line, call, owner, method):
    if step.ctx.imports.call_name(call) != "torch.save":
        return NO_MATCH
    step.out.saves += 1
    step.report.add("T2L112", step.line)
    return None


def class_comment(conv, out) -> None:
    """Say in the class where the checkpoints go now."""
    if out.saves:
        conv.comments.append("Lightning's ModelCheckpoint saves every epoch under lightning_logs/version_N/checkpoints")
