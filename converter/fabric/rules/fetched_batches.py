"""Batches the script fetches itself (`xb, yb = get_batch("train")`, `x, y = sample(data)`): there is no
DataLoader for fabric.setup_dataloaders to move, so they would stay on the CPU while the set-up model sits on
fabric.device, and the first GPU step fails. `fabric.to_device(...)` around the fetch moves them (tuples, lists and
dicts of tensors alike); on the CPU it hands back the same tensors, so `--verify` stays bitwise.

Only a call of a function the script defines, whose result is passed to a set-up model in the same function, and
only where `fabric` exists; not a call given what it returns (`hidden = repackage_hidden(hidden)`: state the model
made, already on its device). A fetch function that places its batch itself (`.to(device)`, `.cuda()`, `device=`,
`pin_memory`) is left as written: it already chose the device.
"""

from __future__ import annotations

import re

import libcst as cst

from converter.fabric.script import Script
from converter.names import bound_names, code, dotted, reads

CODES = {
    "T2L313": "a batch the script fetches itself -> fabric.to_device(...) (the set-up model is on fabric.device)",
}
PLACES_ITSELF = re.compile(r"\.to\(|\.cuda\(|\bdevice\s*=|pin_memory")


def apply(script: Script) -> None:
    if script.creation is None or not script.model_setups:
        return
    functions = {f.name.value: f for f in script.index.of_kind(cst.FunctionDef)}
    for assign in script.index.of_kind(cst.Assign):
        fetch = assign.value
        function = functions.get(fetch.func.value) if isinstance(fetch, cst.Call) and isinstance(fetch.func, cst.Name) else None
        if function is None or PLACES_ITSELF.search(code(function)):
            continue
        names = {name for target in assign.targets for name in bound_names(target.target)}
        if names & reads(*(a.value for a in fetch.args)):
            continue  # `hidden = repackage_hidden(hidden)`: state the model made, not a batch fetched
        if not names or not _fed_to_a_model(script, assign, names) or not script.fabric_reachable(assign):
            continue
        to_device = cst.Attribute(cst.Name(script.name), cst.Name("to_device"))
        script.replace(fetch, lambda updated, to_device=to_device: cst.Call(to_device, [cst.Arg(updated)]))
        script.uses_fabric(assign)
        script.report.add("T2L313", script.line(assign))


def _fed_to_a_model(script: Script, assign: cst.Assign, names: set[str]) -> bool:
    """A set-up model called with one of the fetched names, later in the same function (or module), or earlier in a
    loop around the fetch (nanoGPT prefetches the next batch after the forward: the next pass reads it)."""
    scope = script.scope_of(assign)
    loops = [a for a in script.index.ancestors(assign) if isinstance(a, (cst.For, cst.While))]
    for call in script.index.of_kind(cst.Call):
        later = script.before(assign, call) or any(script.index.contains(loop, call) for loop in loops)
        if dotted(call.func) in script.model_setups and script.scope_of(call) is scope and later:
            if any(isinstance(a.value, cst.Name) and a.value.value in names for a in call.args):
                return True
    return False
