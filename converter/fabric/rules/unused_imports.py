"""Imports only the removed code used go with it: `import torch.multiprocessing as mp` once `mp.spawn` became
Fabric's launch, `DistributedDataParallel as DDP` once the wrapper went, `init_process_group` and `os` (the
rendezvous address) once Fabric makes the group. A name still used anywhere else, or by the Fabric lines, stays."""

from __future__ import annotations

import re

import libcst as cst

from converter.fabric.script import Script
from converter.names import import_binding, without_aliases

CODES = {"T2L323": "import removed: only the code Fabric took over used it"}


def apply(script: Script) -> None:
    if not script.gone:
        return
    index = script.index
    imports = [s for s in script.module.body if isinstance(s, cst.SimpleStatementLine) and isinstance(
        s.body[0], (cst.Import, cst.ImportFrom)) and not isinstance(s.body[0].names, cst.ImportStar)]  # fmt: skip
    generated = set(re.findall(r"\w+", script.creation.keywords())) if script.creation else set()
    uses: dict[str, list[cst.Name]] = {}
    for name in index.of_kind(cst.Name):
        uses.setdefault(name.value, []).append(name)
    for statement in imports:
        aliases = list(statement.body[0].names)
        unused = [a for a in aliases
                  if import_binding(a) not in generated and _only_in_gone(script, statement, uses.get(import_binding(a), []))]
        if not unused:
            continue
        script.report.add("T2L323", script.line(statement))
        if len(unused) == len(aliases):
            script.drop(statement)
            continue
        kept = without_aliases(statement.body[0], unused).names
        script.replace(statement.body[0], lambda updated, kept=kept: updated.with_changes(names=kept))


def _only_in_gone(script: Script, statement: cst.CSTNode, names: list[cst.Name]) -> bool:
    """Used, and every use is inside removed code (the import statement's own names aside)."""
    used = [n for n in names if not script.index.contains(statement, n)]
    return bool(used) and all(any(script.index.contains(gone, n) for gone in script.gone) for n in used)
