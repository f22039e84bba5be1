"""The output around the hooks: the LightningModule class where the training code was, and the Trainer where
the epoch loop was (`lit_model = LitNet(...)`, `trainer = pl.Trainer(...)`, `trainer.fit(...)`)."""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.convert import plan as planning
from converter.convert.edits import nodes, parse_statements, strip_blank
from converter.convert.loops import phase_loader
from converter.convert.rules import (
    devices,
    epoch_body,
    loader_generator,
    metric_logging,
    mode_switch,
    one_shot_loader,
    progress_bars,
    unreachable_loader,
)
from converter.marks import applied
from converter.names import NameUses, code, dotted, reads, writes

BUILT_FROM = "Built by `t2l convert` from the training loop at line {line}."  # the class docstring


def build(conv, hooks: list[cst.FunctionDef]) -> None:
    """Replace the site by the Trainer, put the class before it, drop the functions nobody calls any more."""
    plan = conv.plan
    lines = [plan.index.line(n) for n in walk(plan.site) if isinstance(n, (cst.SimpleStatementLine, cst.BaseCompoundStatement))]
    conv.report.site_lines = (conv.report.input_line(min(lines)), conv.report.input_line(max(lines)))
    cls = class_name(conv)  # once: the class and the site name it
    helpers_code = _replace_site(conv, cls)
    epoch_body.read_after_fit(conv)
    removed = _unused_functions(conv, hooks)
    for function in removed:
        conv.replace[id(function)] = cst.RemovalSentinel.REMOVE
    anchor = removed[0] if removed else _anchor(plan)
    blank = [cst.EmptyLine(indent=False), cst.EmptyLine(indent=False)]  # no spaces on a blank line, nested or not
    class_node = _class_code(conv, hooks, cls).with_changes(leading_lines=blank)
    helpers = [cst.parse_statement(helper).with_changes(leading_lines=blank) for helper in helpers_code]
    insert(conv, anchor, lambda kept: [*helpers, class_node, *kept], blank)
    if plan.imports.aliases.get("pl") != "pytorch_lightning":
        body = plan.module.body
        imports = [i for i, s in enumerate(body) if isinstance(s, cst.SimpleStatementLine) and isinstance(s.body[0], (cst.Import, cst.ImportFrom))]
        before = next((i for i, s in enumerate(body) if s is anchor), len(body))
        imports = [i for i in imports if i < before] or imports  # above the class, which reads `pl`
        new = parse_statements("import pytorch_lightning as pl\n")[0]
        if imports:
            insert(conv, body[imports[-1]], lambda kept: [*kept, new])
        else:
            insert(conv, body[0], lambda kept: [new, *kept])


def _replace_site(conv, cls: str) -> list[str]:
    """The Trainer where the epoch loop was; the classes of the wrappers fit's loaders need (EveryEpoch, ...)."""
    plan = conv.plan
    module, trainer = plan.site_name("lit_model"), plan.site_name("trainer")
    loader, helper = _train_loader(conv, module)
    conv.train_wrapper = helper
    helpers = [helper] if helper else []
    fit_args = [module, f"train_dataloaders={code(loader)}"]
    if "val" in conv.loaders:
        val = _as_loader(plan, conv.loaders["val"])
        if one_shot_loader.one_shot(plan, val):  # `batches(val_data)`, a generator: validated once, then empty
            val = one_shot_loader.made_each_validation(conv, val)
            helpers += [one_shot_loader.HELPER] if one_shot_loader.HELPER not in helpers else []
        fit_args.append(f"val_dataloaders={code(val)}")
    metric_logging.writer_as_logger(conv)
    devices.choose(conv)
    trainer_args = ", ".join(f"{k}={v}" for k, v in conv.trainer_args.items())
    construct = ", ".join(f"{a}={code(v)}" for a, v in conv.attributes.values.items())
    site = parse_statements(
        f"{module} = {cls}({construct})\n"
        f"{trainer} = pl.Trainer({trainer_args})\n"
        f"{trainer}.fit({', '.join(fit_args)})\n"
    ) + mode_switch.eval_after_fit(conv)
    replaced = progress_bars.bar_around_the_site(conv) or plan.site
    site[0] = site[0].with_changes(leading_lines=replaced.leading_lines)
    conv.replace[id(replaced)] = cst.FlattenSentinel(site)
    if plan.test is not None:
        test = parse_statements(f"{trainer}.test({module}, dataloaders={code(_as_loader(plan, conv.loaders['test']))})\n")
        conv.replace[id(plan.test.call_stmt)] = test[0].with_changes(leading_lines=plan.test.call_stmt.leading_lines)
        if assigned := sorted(writes(plan.test.call_stmt)):  # `acc = evaluate(...)`: the value is gone with the call
            names = ", ".join(f"`{n}`" for n in assigned)
            conv.todo("T2L909", plan.test.call_stmt, f"{names} held what the test function returned; trainer.test returns "
                      "what test_step logs (a list of dicts, one per loader): read it from there")  # fmt: skip
    return helpers


def insert(conv, anchor: cst.CSTNode, around, blank: list | None = None) -> None:
    """Edit `anchor` (after any edit it already has) into `around(its statements)`: statements added beside one."""
    previous = conv.replace.get(id(anchor))

    def edit(updated: cst.CSTNode) -> cst.FlattenSentinel:
        kept = nodes(applied(previous, updated))
        if blank is not None and kept:
            kept[0] = kept[0].with_changes(leading_lines=[*blank, *strip_blank(kept[0].leading_lines)])
        return cst.FlattenSentinel(around(kept))

    conv.replace[id(anchor)] = edit


def _class_code(conv, hooks: list[cst.FunctionDef], cls: str) -> cst.ClassDef:
    """The class: a small skeleton parsed from text, then the hooks as nodes (their bodies are not re-parsed)."""
    attrs = conv.attributes.values
    params = ", ".join(attrs)
    init = ["super().__init__()"]
    if conv.manual:
        init.append(f"self.automatic_optimization = False  # {conv.manual}: we call backward and step")
    init += [f"self.{a} = {a}" for a in attrs]
    lines = [f"class {cls}(pl.LightningModule):"]
    lines += [f'    """{BUILT_FROM.format(line=conv.report.input_line(conv.plan.line(conv.plan.batch_loop)))}"""', ""]
    lines += [f"    # {c}" for c in conv.comments]
    lines.append(f"    def __init__(self{', ' if params else ''}{params}):")
    lines += [f"        {line}" for line in init]
    model = _primary_model(conv)
    if model:
        lines += ["", "    def forward(self, *args, **kwargs):", f"        return self.{model}(*args, **kwargs)"]
    skeleton = cst.ensure_type(parse_statements("\n".join(lines) + "\n")[0], cst.ClassDef)
    body = cst.ensure_type(skeleton.body, cst.IndentedBlock)
    return skeleton.with_changes(body=body.with_changes(body=[*body.body, *hooks]))


WRAPPERS = {"torch.nn.parallel.DistributedDataParallel", "torch.nn.DataParallel", "torch.nn.parallel.DataParallel"}


def class_name(conv) -> str:
    """`LitNet` for a `Net()`; where the script binds that name already (an earlier pass's class), the train
    function's name (`def train_knowledge_distillation` -> LitKnowledgeDistillation) or a number."""
    cls, taken = _class_name(conv), conv.plan.bound[0]
    function = conv.plan.scope.name.value if isinstance(conv.plan.scope, cst.FunctionDef) else ""
    if cls in taken and (named := "".join(w.title() for w in function.split("_") if w not in ("train", "training", ""))):
        cls = f"Lit{named}"
    return planning.free_name(cls, taken)


def _class_name(conv) -> str:
    model = _primary_model(conv)
    value = conv.attributes.values.get(model) if model else None
    calls = conv.attributes.module_calls.get(dotted(value) or "", []) if value is not None else []
    for call in calls:
        inner = call
        while isinstance(inner.func, cst.Attribute) and isinstance(inner.func.value, cst.Call):
            inner = inner.func.value  # Net().to(device) -> Net()
        if conv.plan.imports.call_name(inner) in WRAPPERS:  # DDP(Net()) -> Net(); DDP(model): not a class name
            if not inner.args or not isinstance(inner.args[0].value, cst.Call):
                continue
            inner = inner.args[0].value
        name = dotted(inner.func)
        if name and name[:1].isupper():
            return "Lit" + name.split(".")[-1]
    return "LitModel"


def _primary_model(conv) -> str | None:
    models = [a for a in conv.attributes.values if _looks_like_model(a)]
    return models[0] if len(models) == 1 else None


def _looks_like_model(name: str) -> bool:
    lowered = name.lower()
    return lowered in ("model", "net", "network", "classifier") or lowered.startswith(("model", "net")) or lowered.endswith(("model", "net"))


def _train_loader(conv, module: str) -> tuple[cst.BaseExpression, str | None]:
    """What fit gets, and the class of the wrapper around it, if any (an EveryEpoch around a generator or a loader
    the epoch loop builds anew; a StartedAtFirstBatch where the epoch's start touches torch's RNG)."""
    plan = conv.plan
    loader = progress_bars.loader_of(conv, plan.batch_loop, plan.scope)
    if plan.phase:
        loader = phase_loader(loader, plan.phase[0], "train")
    loader = unreachable_loader.built_by_the_function(conv, loader, plan.batch_loop, plan.scope)
    loader = one_shot_loader.first_batches(conv, loader)
    if plan.whole_batch is None and _a_list(plan, loader, plan.scope):
        loader = _list_loader(loader)
    loader, per_epoch = one_shot_loader.with_epoch_values(conv, one_shot_loader.without_iter(conv, loader), module)
    helper = None
    if not per_epoch and (zipped := one_shot_loader.combined(conv, loader)) is not None:
        loader = zipped
    elif per_epoch or one_shot_loader.one_shot(plan, loader):
        loader, helper = one_shot_loader.wrap(conv, loader, per_epoch)
    elif (drawn := loader_generator.drawn_to_its_end(conv, loader)) is not None:
        loader, helper = drawn, loader_generator.HELPER
    elif one_shot_loader.random_at_epoch_start(conv, loader):
        loader, helper = one_shot_loader.started_at_first_batch(conv, loader), one_shot_loader.LAZY_HELPER
    at_site = conv.to_site(loader, plan.scope, plan.binding)
    if plan.whole_batch is None and helper is None and at_site is not loader and _a_list(plan, at_site, plan.site_scope):
        at_site = _list_loader(at_site)  # a train function's `loader` parameter, given a list at the call
    return at_site, helper


def _as_loader(plan, loader: cst.BaseExpression) -> cst.BaseExpression:
    """A validation or test loader for the Trainer (at the site): a list of batches through a DataLoader."""
    return _list_loader(loader) if _a_list(plan, loader, plan.site_scope) else loader


def _list_loader(batches: cst.BaseExpression) -> cst.BaseExpression:
    """Lightning reads a list as several loaders (each tuple a loader of its own: `x, y = batch` would unpack a
    tensor's rows); a list of batches (`for x, y in data`) goes through a DataLoader that yields each element as it
    is (batch_size=None), in order, every epoch. Its own generator: a DataLoader draws a seed from torch's global
    RNG each epoch, which the list did not (a dropout after it would draw other masks)."""
    return cst.parse_expression(f"torch.utils.data.DataLoader({code(batches)}, batch_size=None, generator=torch.Generator())")


LISTS = (cst.List, cst.ListComp, cst.Tuple)


def _a_list(plan, loader: cst.BaseExpression, scope: cst.CSTNode) -> bool:
    """A list or tuple literal, a name every assignment of which (in `scope` or the module) is one, or
    `name["key"]` of a dict display every assignment of the name makes, whose "key" holds one."""
    if isinstance(loader, LISTS):
        return True
    if isinstance(loader, cst.Subscript) and isinstance(loader.value, cst.Name) and len(loader.slice) == 1:
        key = loader.slice[0].slice
        if not (isinstance(key, cst.Index) and isinstance(key.value, cst.SimpleString)):
            return False
        dicts = _assigned(plan, loader.value.value, scope)
        return bool(dicts) and all(isinstance(d, cst.Dict) and any(
            isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString) and e.key.evaluated_value == key.value.evaluated_value
            and _a_list(plan, e.value, scope) for e in d.elements) for d in dicts)  # fmt: skip
    if not isinstance(loader, cst.Name):
        return False
    values = _assigned(plan, loader.value, scope)
    return bool(values) and all(_list_valued(plan, v) for v in values)


def _list_valued(plan, value: cst.BaseExpression, depth: int = 0) -> bool:
    """A list display, `list(...)` / `sorted(...)`, or a call of a module function each `return` of which gives
    one (`batches = make_batches(...)`, where `make_batches` builds `batches = []` and returns it)."""
    if isinstance(value, LISTS):
        return True
    if not isinstance(value, cst.Call) or depth > 1:
        return False
    called = dotted(value.func)
    if called in ("list", "sorted"):
        return True
    function = next((s for s in plan.module.body if isinstance(s, cst.FunctionDef) and s.name.value == called), None)
    if function is None:
        return False
    returned = [r.value for r in walk(function.body) if isinstance(r, cst.Return)]
    return bool(returned) and all(r is not None and (_list_valued(plan, r, depth + 1) or (
        isinstance(r, cst.Name) and bool(assigned := _assigned(plan, r.value, function))
        and all(_list_valued(plan, a, depth + 1) for a in assigned))) for r in returned)  # fmt: skip


def _assigned(plan, name: str, scope: cst.CSTNode) -> list[cst.BaseExpression]:
    """The values assigned to `name` in `scope` or at module level."""
    return [a.value for a in plan.index.of_kind(cst.Assign) if any(
        isinstance(t.target, cst.Name) and t.target.value == name for t in a.targets)
        and (plan.index.contains(scope, a) or plan.index.parent(plan.index.statement(a)) is plan.module)]  # fmt: skip


def _anchor(plan) -> cst.BaseStatement:
    """The top-level statement the class goes before: the one holding the site."""
    for stmt in plan.module.body:
        if stmt is plan.site or plan.site_scope is stmt or plan.index.contains(stmt, plan.site):
            return stmt
    return plan.module.body[-1]


def _unused_functions(conv, hooks: list[cst.FunctionDef]) -> list[cst.FunctionDef]:
    """The train / evaluate functions whose loops became hooks, when nothing else calls them: not the module, nor
    a hook (the Annotated Transformer's `run_epoch(valid_iter, ..., mode="eval")`, run at each epoch's end)."""
    plan, candidates = conv.plan, []
    if isinstance(plan.scope, cst.FunctionDef) and plan.scope is not plan.site_scope:
        candidates.append(plan.scope)
    if plan.whole_batch is not None and plan.whole_batch not in candidates and plan.index.parent(plan.whole_batch) is plan.module:
        candidates.append(plan.whole_batch)
    for called in (plan.val, plan.test):
        if isinstance(called, planning.Called) and called.scope not in candidates:
            candidates.append(called.scope)
    if not candidates:
        return []
    uses = NameUses()
    uses.add(plan.module, conv.replace)
    remaining = set(uses.reads) | reads(*(hook.body for hook in hooks))  # kept calls run in a hook
    return sorted((f for f in candidates if f.name.value not in remaining), key=plan.line)
