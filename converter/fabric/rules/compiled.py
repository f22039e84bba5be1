"""`model._orig_mod` -> `model.module` on a model the script compiled and Fabric set up (T2L330).

`fabric.setup` takes the `torch.compile` wrapper off the model, wraps the module and compiles that again: the set-up
model is a `_FabricModule`, whose attributes are its module's, and a plain module has no `_orig_mod` (the common
`torch.save(model._orig_mod.state_dict(), path)` raised AttributeError after a clean conversion). Its `.module` is
the module the script compiled, what `_orig_mod` gave it. `hasattr(model, "_orig_mod")` tests are left as they are:
they answer False on the set-up model, whose `state_dict()` is then its module's, the keys `_orig_mod` gave.
"""

from __future__ import annotations

import libcst as cst

from converter.fabric.script import Script
from converter.names import code

CODES = {"T2L330": "`model._orig_mod` -> `model.module`: fabric.setup compiles the module it wraps again, and the "
                   "set-up model's `.module` is the module the script compiled"}  # fmt: skip


def apply(script: Script) -> None:
    if "_orig_mod" not in script.source:
        return
    for attribute in script.index.of_kind(cst.Attribute):
        if attribute.attr.value != "_orig_mod" or (setup := script.model_setups.get(code(attribute.value))) is None:
            continue
        if script.index.contains(setup, attribute) or not script.before(setup, attribute):
            continue  # read before the model is set up: still the compiled module
        script.replace(attribute.attr, cst.Name("module"))
        script.report.add("T2L330", script.line(attribute))
