"""Progress bars around and inside the loops: removed, Lightning draws its own progress bar.

Besides tqdm, a generator of the script's own that yields each batch as it is and prints progress between them
(`for image, target in metric_logger.log_every(data_loader, print_freq, header)`, the shape of torchvision's
reference scripts, DETR, DeiT, MAE): fit and validation get the loader itself. Only a generator proved to yield the
loader's items unchanged is taken off; any other wrapper may transform the batches and stays.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import Index, walk
from converter.convert import loops
from converter.convert import plan as planning
from converter.convert.step import NO_MATCH
from converter.names import writes

CODES = {
    "T2L114": "tqdm progress bar -> Lightning's progress bar",
    "T2L139": "a generator that yields the loader's batches unchanged (printing progress) -> the loader itself; "
              "Lightning's progress bar shows progress",
}
TQDM = {*loops.TQDM, "tqdm.trange"}


def loader_of(conv, loop: cst.For, scope: cst.CSTNode, report: bool = True) -> cst.BaseExpression:
    """What a batch loop iterates, in its scope's names, without the enumerate, tqdm and pass-through generators
    around it (`pbar = tqdm(loader)` before `for batch in pbar` too)."""
    plan = conv.plan
    iterated = loop.iter
    while True:
        inner = loops.unwrap_tqdm(loops.unwrap_enumerate(iterated), plan.imports)
        if inner is iterated and passes_through(plan.index, iterated):
            if report:
                conv.report.add("T2L139", plan.line(loop))
            inner = iterated.args[0].value  # type: ignore[attr-defined]
        if inner is iterated:
            break
        iterated = inner
    if not isinstance(iterated, cst.Name):
        return iterated
    bars = planning.assigned_calls(scope, index=plan.index).get(iterated.value, [])
    if bars and plan.imports.call_name(bars[0]) in loops.TQDM and bars[0].args:
        return bars[0].args[0].value
    return iterated


def passes_through(index: Index, call: cst.BaseExpression) -> bool:
    """`wrapper(loader, ...)` / `obj.wrapper(loader, ...)` where every def of that name in the file is a generator
    whose one `yield` gives back, unchanged, the items of a `for` over the parameter the loader is passed to."""
    if not (isinstance(call, cst.Call) and call.args and call.args[0].keyword is None and not call.args[0].star):
        return False
    func = call.func
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
    defs = [f for f in index.of_kind(cst.FunctionDef) if f.name.value == name]
    return bool(defs) and all(_yields_its_items(f, isinstance(func, cst.Attribute)) for f in defs)


def _yields_its_items(function: cst.FunctionDef, method: bool) -> bool:
    params = function.params.params[1:] if method else function.params.params
    if not params:
        return False
    source = params[0].name.value
    yields = [n for n in walk(function.body) if isinstance(n, (cst.Yield, cst.FunctionDef, cst.Lambda, cst.ClassDef))]
    if len(yields) != 1 or not isinstance(yields[0], cst.Yield) or not isinstance(yields[0].value, cst.Name):
        return False
    item = yields[0].value.value
    for loop in walk(function.body):
        if isinstance(loop, cst.For) and any(n is yields[0] for n in walk(loop.body)):
            target = loop.target
            over = loops.unwrap_enumerate(loop.iter)
            if loops.is_enumerate(loop.iter) and isinstance(target, cst.Tuple) and len(target.elements) == 2:
                target = target.elements[1].value
            return (isinstance(over, cst.Name) and over.value == source and isinstance(target, cst.Name)
                    and target.value == item and item not in writes(loop.body) and source not in writes(function.body))
    return False


def drives_a_bar(conv, stmt: cst.BaseStatement) -> bool:
    """An epoch-loop statement that makes or drives a bar of the script's own (`pbar = tqdm(total=len(loader))`
    before the batch loop, `pbar.close()` after it): Lightning's progress bar stands for it, so it goes (T2L114)."""
    bars = conv.kinds["bars"]
    if not isinstance(stmt, cst.SimpleStatementLine):
        return bool(writes(stmt)) and writes(stmt) <= bars
    for small in stmt.body:
        if isinstance(small, (cst.Assign, cst.AnnAssign)) and writes(small) and writes(small) <= bars:
            continue
        call = small.value if isinstance(small, cst.Expr) else None
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
                and isinstance(call.func.value, cst.Name) and call.func.value.value in bars):
            return False
    conv.report.add("T2L114", conv.plan.line(stmt))
    return True


def bar_around_the_site(conv) -> cst.With | None:
    """`with tqdm(total=epochs) as pbar:` holding only the loop the Trainer replaces, its bar read nowhere else:
    the statements that drove it went with the epoch loop (T2L114), so the `with` would hold an idle bar around
    `trainer.fit(...)`; the Trainer takes its place, and Lightning's progress bar stands for it."""
    plan = conv.plan
    block = plan.index.parent(plan.site)
    around = plan.index.parent(block) if isinstance(block, cst.IndentedBlock) else None
    if not (isinstance(around, cst.With) and list(block.body) == [plan.site]):
        return None
    if not all(plan.imports.call_name(item.item) in TQDM for item in around.items):
        return None
    bars = {n.value for item in around.items if item.asname for n in walk(item.asname.name) if isinstance(n, cst.Name)}
    if any(n.value in bars and not plan.index.contains(around, n) for n in plan.index.of_kind(cst.Name)):
        return None
    conv.report.add("T2L114", plan.line(around))
    return around


def on_call(step, line, call, owner, method):
    if owner not in step.ctx.progress_bars:
        return NO_MATCH
    step.report.add("T2L114", step.line)  # pbar.set_postfix(...), pbar.update(), pbar.close()
    return None


def on_assign(step, line, assign: cst.Assign):
    if not (isinstance(assign.value, cst.Call) and step.calls(assign.value, TQDM)):
        return NO_MATCH
    step.report.add("T2L114", step.line)
    return None


def on_for(step, original: cst.For, updated: cst.For):
    call = updated.iter
    if isinstance(call, cst.Call) and step.calls(call, TQDM) and call.args:
        step.report.add("T2L114", step.at(original))
        return updated.with_changes(iter=call.args[0].value)
    return NO_MATCH
