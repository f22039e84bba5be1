"""The Fabric object: `Fabric(accelerator=..., devices=1)` and `fabric.launch()`, made where the script chooses
its device (so a `--no-cuda` or `--device` flag keeps working), or after the imports when it chooses none."""

from __future__ import annotations

import libcst as cst

from converter.fabric.script import Creation, Script
from converter.syntax import last_import

CODES = {
    "T2L301": "Fabric(accelerator=..., devices=1) and fabric.launch() made where the script chooses its device",
    "T2L302": "no device chosen by name: Fabric(accelerator=\"cpu\", devices=1) after the imports, as the script ran "
              "(\"auto\" where it mentions CUDA: a GPU when there is one)",
}
IMPORT = "from lightning_fabric import Fabric"
DEVICE_NAMES = ("device", "dev")


def _device_choice(script: Script) -> tuple[cst.SimpleStatementLine, str, bool] | None:
    """The first `NAME = torch.device(...)` (or `device = "cuda" if ... else "cpu"`): (statement, NAME, is a
    torch.device)."""
    for assign in script.index.of_kind(cst.Assign):
        if len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name):
            continue
        name = assign.targets[0].target.value
        if script.call_name(assign.value) == "torch.device":
            return script.statement(assign), name, True
        if name in DEVICE_NAMES and isinstance(assign.value, (cst.IfExp, cst.SimpleString)):
            return script.statement(assign), name, False
    return None


def _after_last_choice(script: Script, statement: cst.CSTNode, name: str) -> cst.CSTNode:
    """The statement the Fabric lines follow: the device's last assignment in the same function (`device = cpu`,
    then `if cuda: device = torch.device("cuda:0")`), lifted to the block of its first one (after the `if`)."""
    scope, block = script.scope_of(statement), script.index.parent(statement)
    anchor = statement
    for assign in script.index.of_kind(cst.Assign):
        if (script.scope_of(assign) is scope and any(isinstance(t.target, cst.Name) and t.target.value == name
                                                     for t in assign.targets) and script.before(anchor, assign)):  # fmt: skip
            later = script.statement(assign)
            while script.index.parent(later) is not block and script.index.parent(later) is not None:
                later = script.index.parent(later)
            if script.index.parent(later) is block:
                anchor = later
    return anchor


def apply(script: Script) -> None:
    after_imports = last_import(script.module)
    script.insert_after(after_imports, IMPORT)
    if script.creation is not None:  # made where the script started its processes (the `processes` rule)
        return
    found = _device_choice(script)
    if found:
        statement, name, is_device = found
        accelerator = cst.parse_expression(f"{name}.type" if is_device else f"torch.device({name}).type")
        anchor = _after_last_choice(script, statement, name)
        script.creation = Creation(script.scope_of(statement), anchor, accelerator, device=name)
        script.report.add("T2L301", script.line(statement))
    else:
        accelerator = '"auto"' if "cuda" in script.source else '"cpu"'  # `.cuda()` / self.device somewhere: follow it
        script.creation = Creation(script.module, after_imports, cst.parse_expression(accelerator), blank_line=True)
        script.report.add("T2L302", script.line(after_imports))
