"""`print(...)` -> `fabric.print(...)`: the same text, written by process 0 only once the script runs on several
devices (no line printed once per process). Prints where the Fabric object does not exist yet stay as they are."""

from __future__ import annotations

import libcst as cst

from converter.fabric.script import Script

CODES = {"T2L310": "print(...) -> fabric.print(...): printed once, by process 0, when several processes train"}


def _own_print(script: Script) -> bool:
    """The script binds `print` itself (a def, an assignment, an import): not the builtin."""
    defined = any(f.name.value == "print" for f in script.index.of_kind(cst.FunctionDef))
    assigned = any(isinstance(t.target, cst.Name) and t.target.value == "print"
                   for assign in script.index.of_kind(cst.Assign) for t in assign.targets)  # fmt: skip
    return defined or assigned or "print" in script.imports.aliases


def apply(script: Script) -> None:
    if _own_print(script):
        return
    for call in script.index.of_kind(cst.Call):
        if not (isinstance(call.func, cst.Name) and call.func.value == "print") or not script.fabric_reachable(call):
            continue
        script.replace(call.func, cst.Attribute(cst.Name(script.name), cst.Name("print")))
        script.report.add("T2L310", script.line(call))
        script.uses_fabric(call)
