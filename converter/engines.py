"""Training engines a script may already train through: HF Accelerate, DeepSpeed, Lightning Fabric.

Such a script's `accelerator.backward(loss)` (`model_engine.backward(loss)`, `fabric.backward(loss)`) is the
engine's own backward, not a tensor's, and its `prepare` / `initialize` / `setup` calls wrap the model, the optimizer
and the loaders. Both routes start from the plain PyTorch loop these engines replace, so neither converts it: each
declines, naming the engine (a tensor's backward read as `accelerator.backward()` made `self.accelerator` the loss,
and `fabric.backward(accelerator, loss)`).
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import Index
from converter.names import Imports, bound_names, method_call

ENGINES = {"accelerate": "HF Accelerate", "deepspeed": "DeepSpeed", "lightning_fabric": "Lightning Fabric",
           "lightning": "Lightning Fabric"}  # fmt: skip
DECLINED_ON_BOTH_ROUTES = {"T2L931", "T2L932"}  # the codes of the two routes' declines (no other route to name)


def engine_backward(index: Index, imports: Imports) -> tuple[cst.Call, str] | None:
    """The first `<engine>.backward(...)` call, where `<engine>` is a name assigned from a call into one of the
    engines' packages (`accelerator = Accelerator()`, `model_engine, optimizer, _, _ = deepspeed.initialize(...)`),
    with the engine's name; None when the script imports none of them."""
    if not any(imports.imported(package) for package in ENGINES):
        return None
    engines: dict[str, str] = {}
    for assign in index.of_kind(cst.Assign):
        package = (imports.call_name(assign.value) or "").split(".")[0]
        if package in ENGINES:
            for target in assign.targets:
                engines |= dict.fromkeys(bound_names(target.target), ENGINES[package])
    for call in index.of_kind(cst.Call):
        if method_call(call, "backward", on=engines) and isinstance(call.func.value, cst.Name):
            return call, engines[call.func.value.value]
    return None


def reason(call: cst.Call, engine: str, target: str) -> str:
    receiver = call.func.value.value  # type: ignore[attr-defined]
    return (f"`{receiver}.backward(...)`: the script trains through {engine} already (its backward, its prepared "
            f"model, optimizer and loaders); {target} starts from the plain PyTorch loop: convert that version "
            "of the script, or keep this one")
