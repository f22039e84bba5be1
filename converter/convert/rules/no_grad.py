"""`with torch.no_grad():` / `torch.inference_mode()` in evaluation: removed, Lightning runs validation and test
under `torch.inference_mode`."""

from __future__ import annotations

CODES = {"T2L106": "torch.no_grad() / inference_mode() in evaluation removed: Lightning disables gradients there"}
NO_GRAD = {"torch.no_grad", "torch.inference_mode"}


def on_with_item(step, with_node, call, name) -> bool:
    if name not in NO_GRAD or step.ctx.kind == "train":
        return False
    step.report.add("T2L106", step.at(with_node))
    return True
