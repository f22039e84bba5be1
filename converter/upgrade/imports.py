"""Imports: moved modules (T2L219), removed ones (T2L958), and one Lightning package per file (T2L224).

`pytorch_lightning` and `lightning.pytorch` hold the same code under two names, and their classes are not
interchangeable: a callback from one is not an `isinstance` of the other's Callback. So a file keeps one.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import statements
from converter.names import code, dotted
from converter.upgrade import table
from converter.upgrade.engine import Upgrade, canonical

CODES = {
    "T2L219": "a moved module or class -> its 2.x location",
    "T2L224": "imports switched to one Lightning package",
    "T2L228": "LightningCLI registries (MODEL_REGISTRY, ...) removed with their decorators",
    "T2L958": "a removed API with no mechanical replacement",
}


def removed_api(up: Upgrade, node: cst.CSTNode, reason: str) -> None:
    """A 1.x API 2.x removed with no mechanical replacement (an import, a keyword, a flag): kept and marked."""
    up.todo("T2L958", node, reason)


def package_of(module: cst.Module, to: str | None) -> str:
    """The package the upgraded file uses: `to` if given, else the one its Lightning imports mostly use."""
    if to is not None:
        return {"lightning": "lightning.pytorch", "pytorch_lightning": "pytorch_lightning"}[to]
    counts = {"pytorch_lightning": 0, "lightning.pytorch": 0}
    for name in _imported_modules(module):
        if name.split(".")[0] == "pytorch_lightning":
            counts["pytorch_lightning"] += 1
        elif name.split(".")[0] == "lightning":
            counts["lightning.pytorch"] += 1
    return "lightning.pytorch" if counts["lightning.pytorch"] > counts["pytorch_lightning"] else "pytorch_lightning"


def _imported_modules(module: cst.Module) -> list[str]:
    names: list[str] = []
    for node in statements(module):  # imports are statements: no need to walk expressions
        if isinstance(node, cst.Import):
            names.extend(code(a.name) for a in node.names)
        elif isinstance(node, cst.ImportFrom) and node.module is not None and not node.relative:
            names.append(code(node.module))
    return names


def _moved(name: str) -> str:
    """`pl.profiler.SimpleProfiler` -> `pl.profilers.SimpleProfiler` by the longest matching table entry."""
    for old in sorted(table.MOVED, key=len, reverse=True):
        if name == old or name.startswith(old + "."):
            return table.MOVED[old] + name[len(old) :]
    return name


def _removed(name: str) -> str | None:
    return next((why for old, why in table.REMOVED_MODULES.items() if name == old or name.startswith(old + ".")), None)


def _real(name: str, package: str) -> str:
    """`pl.callbacks` -> `lightning.pytorch.callbacks`."""
    return package + name[2:]


def upgrade_imports(up: Upgrade) -> None:
    for node in list(up.nodes(cst.ImportFrom)):
        _import_from(up, node)
    for node in list(up.nodes(cst.Import)):
        _import(up, node)
    _attributes(up)


def _moved_out(up: Upgrade, node: cst.ImportFrom, module: str, names: list[cst.ImportAlias]) -> None:
    """Names that left Lightning (`_module_available` -> lightning_utilities' `module_available`, LightningLite ->
    lightning_fabric's Fabric)."""
    lines = []
    for alias in names:
        local = alias.asname.name.value if alias.asname else code(alias.name)
        new_module, new_name = table.MOVED_OUT[f"{module}.{code(alias.name)}"]
        lines.append(f"from {new_module} import {new_name}" + (f" as {local}" if local != new_name else ""))
    statement = up.statement(node)
    new = [cst.parse_statement(line + "\n") for line in lines]
    new[0] = new[0].with_changes(leading_lines=statement.leading_lines)
    up.edit(statement, lambda _updated: cst.FlattenSentinel(new))
    where = sorted({table.MOVED_OUT[f"{module}.{code(a.name)}"][0] for a in names})
    up.mapped("T2L219", node, f"{', '.join(code(a.name) for a in names)} moved to {', '.join(where)}")


def _import_from(up: Upgrade, node: cst.ImportFrom) -> None:
    if node.module is None or node.relative:
        return
    old_module = code(node.module)
    name = canonical(old_module)
    if name is None:
        return
    if (why := _removed(name)) is not None:
        removed_api(up, node, why)
        return
    names = [] if isinstance(node.names, cst.ImportStar) else list(node.names)
    if names and all(f"{name}.{code(a.name)}" in table.MOVED_OUT for a in names):
        _moved_out(up, node, name, names)
        return
    new_module = _moved(name)
    names = _registries(up, node, name, names)
    class_moves = {code(a.name): _moved(f"{name}.{code(a.name)}") for a in names}
    class_moves = {k: v for k, v in class_moves.items() if v != new_module + "." + k}
    if class_moves:
        _class_moves(up, node, names, class_moves, new_module)
    target = _real(new_module, up.package)
    if _deliberate_fallback(up, node, name, new_module):
        return
    if target != old_module:
        up.edit(node, lambda n: n.with_changes(module=cst.parse_expression(target)))
        if not class_moves:
            _report_module_change(up, node, old_module, target)


def _class_moves(up: Upgrade, node: cst.ImportFrom, names: list[cst.ImportAlias], moves: dict[str, str],
                 new_module: str) -> None:  # fmt: skip
    """Classes that moved or were renamed (`LightningLoggerBase` -> `loggers.Logger`): imported from where they are
    now under the name the file uses; the statement keeps the names that did not move."""
    kept, lines = [], []
    for alias in names:
        local = alias.asname.name.value if alias.asname else code(alias.name)
        module, _, new_name = moves.get(code(alias.name), f"{new_module}.{code(alias.name)}").rpartition(".")
        renamed = cst.ImportAlias(cst.Name(new_name), asname=None if new_name == local else cst.AsName(cst.Name(local)))
        if module == new_module:
            kept.append(renamed)
        else:
            lines.append(cst.parse_statement(f"from {_real(module, up.package)} import {code(renamed)}\n"))
        if code(alias.name) in moves:
            up.mapped("T2L219", node, f"{code(node.module)}.{code(alias.name)} -> {_real(moves[code(alias.name)], up.package)}")
    kept = [a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for a in kept[:-1]] + kept[-1:]

    if kept:
        up.edit(node, lambda updated: updated.with_changes(names=kept, lpar=None, rpar=None))
    if lines:
        def add_lines(statement: cst.SimpleStatementLine) -> cst.FlattenSentinel:
            if not kept:
                return cst.FlattenSentinel([lines[0].with_changes(leading_lines=statement.leading_lines), *lines[1:]])
            return cst.FlattenSentinel([statement, *lines])

        up.edit(up.statement(node), add_lines)


def _registries(up: Upgrade, node: cst.ImportFrom, module: str, names: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    """LightningCLI's registries (`@MODEL_REGISTRY`) are gone: 2.x finds subclasses itself. A registry used only as a
    bare class decorator is dropped with its decorators (T2L228); any other use is marked. The names left to import."""
    if module not in ("pl.utilities.cli", "pl.cli"):
        return names
    left = []
    for alias in names:
        local = alias.asname.name.value if alias.asname else code(alias.name)
        if code(alias.name) not in table.CLI_REGISTRIES:
            left.append(alias)
            continue
        uses = [n for n in up.nodes(cst.Name) if n.value == local and not _inside_import(up, n)]
        decorators = [up.parent(n) for n in uses if isinstance(up.parent(n), cst.Decorator)]
        if len(decorators) != len(uses):
            left.append(alias)
            up.todo("T2L228", node, f"{code(alias.name)} was removed in 2.0: LightningCLI finds the subclasses of the "
                    "model and data module classes itself (subclass_mode_model=True); register nothing")  # fmt: skip
            continue
        for decorator in decorators:
            up.edit(decorator, lambda _d: cst.RemovalSentinel.REMOVE)
        up.mapped("T2L228", node, f"{code(alias.name)} and its decorators removed: 2.x's LightningCLI finds subclasses itself")
    if not left:
        up.edit(up.statement(node), lambda _s: cst.RemovalSentinel.REMOVE)
    elif len(left) != len(names):
        left = [a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for a in left[:-1]] + \
            [left[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]  # fmt: skip
        up.edit(node, lambda n: n.with_changes(names=left, lpar=None, rpar=None))
    return left


def _deliberate_fallback(up: Upgrade, node: cst.CSTNode, name: str, moved: str) -> bool:
    """An import of the other package under try/except or if (`except ImportError: from lightning.pytorch ...`)
    is on purpose: only a moved module is rewritten there, never the package switch."""
    return moved == name and up.conditional(node)


def _report_module_change(up: Upgrade, node: cst.CSTNode, old: str, new: str) -> None:
    if _moved(canonical(old) or old) != canonical(old):
        up.mapped("T2L219", node, f"{old} -> {new}")
    else:
        up.mapped("T2L224", node, f"{old} -> {new}: one Lightning package in the whole program")


def _import(up: Upgrade, node: cst.Import) -> None:
    aliases = list(node.names)
    changed = False
    for index, alias in enumerate(aliases):
        old = code(alias.name)
        name = canonical(old)
        if name is None:
            continue
        if (why := _removed(name)) is not None:
            removed_api(up, node, why)
            continue
        if old.split(".")[0] == "lightning" and name == "pl" and up.package == "pytorch_lightning":
            continue  # `import lightning as L` also reaches Fabric: keep it, L.pytorch users are handled below
        new = _real(_moved(name), up.package)
        if new == old or _deliberate_fallback(up, node, name, _moved(name)):
            continue
        if alias.asname is None and new.split(".")[0] != old.split(".")[0]:
            up.todo("T2L224", node, f"`import {old}` without `as`: uses of the name {old.split('.')[0]} need the new package")
            continue
        aliases[index] = alias.with_changes(name=cst.parse_expression(new))
        _report_module_change(up, node, old, new)
        changed = True
    if changed:
        up.edit(node, lambda n: n.with_changes(names=[a.with_changes(comma=o.comma) for a, o in zip(aliases, n.names)]))


def _attributes(up: Upgrade) -> None:
    """`pl.profiler.SimpleProfiler` used through a package alias -> `pl.profilers.SimpleProfiler`."""
    heads = {local for local, full in up.imports.aliases.items() if canonical(full) is not None}
    heads |= {"pytorch_lightning", "lightning"}
    for node in list(up.nodes(cst.Attribute)):
        base = node.value
        while isinstance(base, cst.Attribute):
            base = base.value
        if not (isinstance(base, cst.Name) and base.value in heads):
            continue  # not a Lightning name (most chains: self.x, torch.nn.functional): nothing to move
        parent = up.parent(node)
        if isinstance(parent, cst.Attribute) and parent.value is node:
            continue  # only the longest chain
        if _inside_import(up, node):
            continue
        text = dotted(node)
        name = up.name_of(node)
        if text is None or name is None:
            continue
        if (why := _removed(name)) is not None:
            removed_api(up, node, why)
            continue
        new = _moved(name)
        if new == name:
            continue
        local_head = text.split(".")[0]
        head = canonical(up.imports.aliases.get(local_head, local_head)) or "pl"
        if not new.startswith(head + ".") and new != head:
            continue
        replacement = cst.parse_expression(local_head + new[len(head) :])
        up.edit(node, lambda _n, r=replacement: r)
        up.mapped("T2L219", node, f"{text} -> {code(replacement)}")


def _inside_import(up: Upgrade, node: cst.CSTNode) -> bool:
    current = up.parent(node)
    while current is not None:
        if isinstance(current, (cst.Import, cst.ImportFrom)):
            return True
        if isinstance(current, cst.BaseStatement):
            return False
        current = up.parent(current)
    return False
