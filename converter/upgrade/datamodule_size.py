"""`dm.size()` of a 1.x LightningDataModule -> `dm.dims` (T2L247).

    class MNISTDataModule(pl.LightningDataModule):        (unchanged)
        def __init__(self):
            super().__init__()
            self.dims = (1, 28, 28)

    dm = MNISTDataModule()
    model = GAN(*dm.size())                          ->   model = GAN(*dm.dims)

1.x's `LightningDataModule.size(dim=None)` returned `self.dims` (or `self.dims[dim]`); 2.x has no `size()`, so the
call raises AttributeError (the GAN tutorial's `GAN(*dm.size())`). It is rewritten only where that is sure: the
DataModule class is in the file, sets `self.dims` and defines no `size` of its own, and the name holds an instance
of it wherever the file assigns it (or is `self` inside that class).
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.names import code, dotted
from converter.upgrade import table
from converter.upgrade.engine import Upgrade, subclasses
from converter.upgrade.hooks import methods

CODES = {"T2L247": "dm.size() (1.x LightningDataModule, removed in 2.x) -> dm.dims, which it returned"}


def upgrade_datamodule_size(up: Upgrade) -> None:
    classes = [c for c in subclasses(up, lambda name: name in table.DATA_MODULE)
               if "size" not in methods(c) and _sets_dims(c)]  # fmt: skip
    if not classes:
        return
    names = {c.name.value for c in classes}
    instances = _instances(up, names)
    inside_classes = {id(n) for c in classes for n in walk(c)}
    for call in up.nodes(cst.Call):
        func = call.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "size" and isinstance(func.value, cst.Name)):
            continue
        owner = func.value.value
        if not (owner in instances or (owner == "self" and id(call) in inside_classes)) or len(call.args) > 1 or any(a.keyword or a.star for a in call.args):
            continue
        new = f"{owner}.dims" + (f"[{code(call.args[0].value)}]" if call.args else "")
        up.edit(call, lambda updated, new=new: cst.parse_expression(new).with_changes(lpar=updated.lpar, rpar=updated.rpar))
        up.mapped("T2L247", call, f"{code(call)} -> {new} (1.x's size() returned dims; 2.x has no size())")


def _sets_dims(cls: cst.ClassDef) -> bool:
    return any(isinstance(n, cst.AssignTarget) and dotted(n.target) == "self.dims" for n in walk(cls))


def _instances(up: Upgrade, classes: set[str]) -> set[str]:
    """Names every assignment of which in the file builds one of `classes`."""
    built: set[str] = set()
    other: set[str] = set()
    for assign in up.nodes(cst.Assign):
        for target in assign.targets:
            if isinstance(target.target, cst.Name):
                value = assign.value
                is_instance = isinstance(value, cst.Call) and dotted(value.func) in classes
                (built if is_instance else other).add(target.target.value)
    return built - other
