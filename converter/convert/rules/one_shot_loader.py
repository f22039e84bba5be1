"""A batch loop over a generator made each epoch (T2L134): `for x, y in batches():` with `def batches(): ... yield`.

The loop calls `batches()` again every epoch; Lightning calls `iter()` on what `fit` is given once an epoch, and a
generator is used up after its first pass, so `trainer.fit(lit_model, train_dataloaders=batches())` would train one
epoch and then find no batches (seen: 4 steps where the loop made 12). The loader goes to `fit` as

    class EveryEpoch:  # added once, above the LightningModule
        def __init__(self, make): self.make = make
        def __iter__(self): yield from self.make()

    trainer.fit(lit_model, train_dataloaders=EveryEpoch(lambda: batches()))

which makes it again each epoch, as the loop did. The same for a generator expression, `zip(...)`, `map(...)`,
`filter(...)` and `iter(...)` written in the loop header. `__iter__` is a generator, so `make()` runs at the first
batch: Lightning calls `iter()` once before training to check the loader is iterable, and `zip(loader_a,
loader_b)` made then would start both DataLoaders' iterators, each drawing a seed from torch's RNG, and shift
every shuffle after it (seen: `--verify` differed from loss #0).

A DataLoader the epoch loop builds from the epoch (`Subset(dataset, range(50 * (epoch + 1)))`, a curriculum) goes
the same way, the epoch read as `lit_model.current_epoch` (T2L149): built when Lightning starts the epoch's batches,
after on_train_epoch_start (the first epoch's when fit sets up its data; `with_epoch_values` finds it).

Lightning starts the first epoch's loader when fit sets up, before on_train_epoch_start: where the epoch's start
seeds or draws from torch's RNG (`torch.manual_seed(seed + epoch)`), a shuffling DataLoader would draw its first
order before that. fit then gets `StartedAtFirstBatch(loader)`, sized, started at its first batch (T2L151).
"""

from __future__ import annotations

import libcst as cst

from converter import torch_names
from converter.analysis import walk
from converter.convert import plan as planning
from converter.convert.attributes import attribute_name
from converter.names import PURE_BUILTINS, code, is_docstring, reads, rename, writes
from converter.syntax import passed_for

CODES = {
    "T2L134": "a generator made in the batch loop's header -> EveryEpoch(lambda: ...), made again each epoch",
    "T2L149": "a DataLoader the epoch loop builds from the epoch (a curriculum) -> EveryEpoch(lambda: ...), current_epoch",
    "T2L151": "the epoch's start seeds or draws from torch's RNG -> StartedAtFirstBatch(loader): it shuffles after that",
    "T2L172": "`itertools.islice(loader, n)` in the batch loop's header -> the loader and Trainer(limit_train_batches=n)",
    "T2L180": "`iter(loader)` of a DataLoader in the batch loop's header -> the DataLoader itself",
    "T2L179": "`zip(loader_a, loader_b)` of DataLoaders in the batch loop's header -> CombinedLoader([...], mode=\"min_size\")",
}
LAZY_HELPER = '''class StartedAtFirstBatch:
    """The loader, started at its first batch: Lightning starts the first epoch's loader when fit sets up, before
    on_train_epoch_start, and a shuffling DataLoader draws its order from torch's RNG when it starts."""

    def __init__(self, loader):
        self.loader = loader

    def __len__(self):
        return len(self.loader)

    def __iter__(self):  # a generator: the loader starts at the first batch asked for
        yield from self.loader
'''
# torch functions that seed or draw from its RNG (the last part of the name)
RANDOM = ("manual_seed", "seed", "set_rng_state", "rand", "randn", "randint", "randperm", "rand_like", "randn_like",
          "randint_like", "normal", "bernoulli", "multinomial", "poisson")
ONE_SHOT_BUILTINS = {"zip", "map", "filter", "iter", "reversed"}
ONE_SHOT_ITERTOOLS = {"itertools.islice", "itertools.chain", "itertools.zip_longest"}
HELPER = '''class EveryEpoch:
    """What the batch loop iterated, made again each epoch (a generator is used up after one pass)."""

    def __init__(self, make):
        self.make = make

    def __iter__(self):  # a generator: nothing is made until the first batch is asked for
        yield from self.make()
'''
BUILT_HELPER = '''class BuiltEachEpoch:
    """The DataLoader the epoch loop built, built again each epoch, with its length: Lightning reads a loader without
    one a batch ahead (a data set's random draws for the next batch would come before the step's)."""

    def __init__(self, build):
        self.build = build

    def __len__(self):  # asked each epoch, with Trainer(reload_dataloaders_every_n_epochs=1)
        return len(self.build())

    def __iter__(self):  # a generator: nothing is built until the first batch is asked for
        yield from self.build()
'''
SIZED_HELPER = '''class SizedEachEpoch:
    """What the batch loop iterated, made again each epoch (it is used up after one pass), with the length it has:
    Lightning reads a loader without one a batch ahead (a data set's random draws for the next batch would come
    before the step's)."""

    def __init__(self, make, length):
        self.make = make
        self.length = length

    def __len__(self):
        return self.length()

    def __iter__(self):  # a generator: nothing is made until the first batch is asked for
        yield from self.make()
'''


def first_batches(conv, loader: cst.BaseExpression) -> cst.BaseExpression:
    """`itertools.islice(loader, n)`: each epoch the loop took the first `n` batches of a new pass over the loader
    (the islice is used up after its first pass: given to fit, every epoch after the first would find no batches).
    fit gets the loader, and `limit_train_batches=n` takes as many of each epoch's pass."""
    if not (isinstance(loader, cst.Call) and conv.plan.imports.call_name(loader) == "itertools.islice"
            and len(loader.args) == 2 and not any(a.keyword or a.star for a in loader.args)
            and "limit_train_batches" not in conv.trainer_args):  # fmt: skip
        return loader
    count = conv.to_site(loader.args[1].value, conv.plan.scope, conv.plan.binding)
    conv.trainer_args["limit_train_batches"] = code(count)
    conv.report.add("T2L172", conv.plan.line(conv.plan.batch_loop), f"the first `{code(count)}` batches of each pass "
                    f"over `{code(loader.args[0].value)}`: fit gets the loader, limit_train_batches={code(count)}")  # fmt: skip
    return loader.args[0].value


def combined(conv, loader: cst.BaseExpression) -> cst.BaseExpression | None:
    """`zip(source_loader, target_loader)` of DataLoaders (domain adaptation, paired data sets) -> Lightning's
    `CombinedLoader([...], mode="min_size")`: zipped each epoch, of the shortest's length. An EveryEpoch around the
    zip has no length, and Lightning reads such a loader a batch ahead: a data set drawing from torch's RNG (noise,
    a random crop) beside dropout would draw in another order from the first loss on."""
    plan = conv.plan
    zipped = _zipped(plan, loader)
    if not zipped or not all(a_data_loader(conv, z) for z in zipped):
        return None
    conv.report.add("T2L179", plan.line(plan.batch_loop), f"`{code(loader)}` zips DataLoaders: fit gets "
                    "CombinedLoader([...], mode=\"min_size\"), which zips them each epoch, as long as the shortest")  # fmt: skip
    return cst.parse_expression(f"pl.utilities.CombinedLoader([{', '.join(code(z) for z in zipped)}], mode=\"min_size\")")


def _zipped(plan, loader: cst.BaseExpression) -> list[cst.BaseExpression]:
    """What `zip(a, b, ...)` zips, given by position only (not `strict=`, not `*loaders`); [] for anything else."""
    if plan.imports.call_name(loader) != "zip" or any(a.keyword is not None or a.star for a in loader.args):  # type: ignore[attr-defined]
        return []
    return [a.value for a in loader.args]  # type: ignore[attr-defined]


def without_iter(conv, loader: cst.BaseExpression) -> cst.BaseExpression:
    """`iter(train_loader)` of a DataLoader -> the DataLoader, which Lightning iterates each epoch as the loop did
    (an EveryEpoch around the iter has no length, and Lightning would read it a batch ahead)."""
    if not (conv.plan.imports.call_name(loader) == "iter" and len(loader.args) == 1 and loader.args[0].keyword is None  # type: ignore[attr-defined]
            and not loader.args[0].star and a_data_loader(conv, loader.args[0].value)):  # type: ignore[attr-defined]  # fmt: skip
        return loader
    conv.report.add("T2L180", conv.plan.line(conv.plan.batch_loop), f"`{code(loader)}`: fit gets the DataLoader itself")
    return loader.args[0].value  # type: ignore[attr-defined]


def a_data_loader(conv, expression: cst.BaseExpression) -> bool:
    calls = building_calls(conv, expression)
    return bool(calls) and all(conv.plan.imports.call_name(c) in torch_names.DATALOADERS for c in calls)


def building_calls(conv, expression: cst.BaseExpression) -> list[cst.Call]:
    """The calls that build a loader: the expression itself, or the calls assigned to its name in the train function
    or the module, or else where the site sees it (a train function's parameter: what the call passes)."""
    plan = conv.plan
    at_site = conv.to_site(expression, plan.scope, plan.binding)
    for candidate, scopes in ((expression, (plan.scope, plan.module)), (at_site, (plan.site_scope, plan.module))):
        if isinstance(candidate, cst.Call):
            return [candidate]
        if isinstance(candidate, cst.Name) and (calls := planning.assigned_calls(*scopes, index=plan.index).get(candidate.value)):
            return calls
    return _passed_to_the_site_s_function(plan, at_site)


def _passed_to_the_site_s_function(plan, name: cst.BaseExpression) -> list[cst.Call]:
    """`def train(model, loader, epochs):` holding the epoch loop: the calls that build what every call of the
    function passes for `loader` (`train(model, train_loader, 10)`, `train_loader = DataLoader(...)` above it)."""
    function = plan.site_scope
    if not (isinstance(name, cst.Name) and isinstance(function, cst.FunctionDef)):
        return []
    params = [p.name.value for p in function.params.params]
    if name.value not in params:
        return []
    found: list[cst.Call] = []
    calls = [c for c in plan.index.of_kind(cst.Call) if isinstance(c.func, cst.Name) and c.func.value == function.name.value]
    for call in calls:
        passed = passed_for(call, name.value, params.index(name.value))
        caller = next((a for a in reversed(plan.index.ancestors(call)) if isinstance(a, cst.FunctionDef)), plan.module)
        built = [passed.value] if passed is not None and isinstance(passed.value, cst.Call) else (
            planning.assigned_calls(caller, plan.module, index=plan.index).get(passed.value.value, [])
            if passed is not None and isinstance(passed.value, cst.Name) else [])  # fmt: skip
        if not built:
            return []  # one call passes what is not known: none is
        found += built
    return found


def one_shot(plan, loader: cst.BaseExpression) -> bool:
    """The loop header makes an iterator that a second pass would find empty."""
    if isinstance(loader, cst.GeneratorExp) or plan.imports.call_name(loader) in ONE_SHOT_ITERTOOLS:
        return True
    if not (isinstance(loader, cst.Call) and isinstance(loader.func, cst.Name)):
        return False
    if loader.func.value in ONE_SHOT_BUILTINS:
        return True
    function = _script_function(plan, loader)
    return function is not None and _yields(function)


def _script_function(plan, call: cst.Call) -> cst.FunctionDef | None:
    """The module-level function of the script that `call` calls by name (`batches()`, `pacing(epoch, n)`)."""
    name = call.func.value if isinstance(call.func, cst.Name) else None
    return next((s for s in plan.module.body if isinstance(s, cst.FunctionDef) and s.name.value == name), None)


def _yields(function: cst.FunctionDef) -> bool:
    return any(isinstance(n, cst.Yield) for n in walk(function.body))


def wrap(conv, loader: cst.BaseExpression, per_epoch: str | None = None) -> tuple[cst.BaseExpression, str]:
    """What fit gets, and the helper class it needs. `per_epoch`: what the loader is built from that changes from
    epoch to epoch (`with_epoch_values`)."""
    if per_epoch and conv.plan.imports.call_name(loader) in torch_names.DATALOADERS:
        conv.trainer_args["reload_dataloaders_every_n_epochs"] = "1"
        conv.report.add("T2L149", conv.plan.line(conv.plan.batch_loop), f"the epoch loop builds the DataLoader from "
                        f"{per_epoch}: fit gets BuiltEachEpoch(lambda: ...), built at each epoch's first batch, whose "
                        "length Trainer(reload_dataloaders_every_n_epochs=1) asks for each epoch")  # fmt: skip
        return cst.parse_expression(f"BuiltEachEpoch(lambda: {code(loader)})"), BUILT_HELPER
    if not per_epoch and (length := length_of(conv, loader)) is not None:
        conv.report.add("T2L134", conv.plan.line(conv.plan.batch_loop), f"`{code(loader)}` is used up after one pass: "
                        f"fit gets SizedEachEpoch(...), made each epoch, as long as {length}")  # fmt: skip
        return cst.parse_expression(f"SizedEachEpoch(lambda: {code(loader)}, lambda: {length})"), SIZED_HELPER
    if per_epoch:
        conv.report.add("T2L149", conv.plan.line(conv.plan.batch_loop), f"the epoch loop builds the loader from "
                        f"{per_epoch}: fit gets EveryEpoch(lambda: ...), built at each epoch's first batch")  # fmt: skip
    else:
        conv.report.add("T2L134", conv.plan.line(conv.plan.batch_loop),
                        f"`{code(loader)}` is used up after one pass: fit gets EveryEpoch(lambda: ...), made each epoch")  # fmt: skip
    return cst.parse_expression(f"EveryEpoch(lambda: {code(loader)})"), HELPER


def length_of(conv, loader: cst.BaseExpression) -> str | None:
    """How many batches a one-shot iterator over DataLoaders gives, as code: `min(len(a), ...)` for a zip of
    DataLoaders and cycled iterables (`zip(labeled, cycle(aux))`, which ends with its shortest DataLoader), the sum for
    `itertools.chain` of DataLoaders, `len(loader)` for `map(f, loader)` and `(f(b) for b in loader)`; None for any
    other (a generator function's, a filter's: not known before it runs)."""
    plan = conv.plan
    if zipped := _zipped(plan, loader):
        sized = []
        for argument in zipped:
            if a_data_loader(conv, argument):
                sized.append(f"len({code(argument)})")
            elif plan.imports.call_name(argument) != "itertools.cycle":
                return None
        return None if not sized else sized[0] if len(sized) == 1 else f"min({', '.join(sized)})"
    parts = _iterated_whole(plan, loader)
    if not parts or not all(a_data_loader(conv, part) for part in parts):
        return None
    return " + ".join(f"len({code(part)})" for part in parts)


def _iterated_whole(plan, loader: cst.BaseExpression) -> list[cst.BaseExpression]:
    """What a one-shot iterator goes through batch by batch, each part whole and once: the parts of
    `itertools.chain(a, b)`, the iterable of `map(f, a)` and of `(f(b) for b in a)` (one `for`, no `if`), what a
    generator function of the script is given to yield once per item of (`on_device(loader)`); [] otherwise."""
    if isinstance(loader, cst.GeneratorExp):
        step = loader.for_in
        return [step.iter] if step.inner_for_in is None and not step.ifs and step.asynchronous is None else []
    if not isinstance(loader, cst.Call) or any(a.star for a in loader.args):
        return []
    function = _script_function(plan, loader)
    if function is not None:
        iterated = _yields_once_per_item_of(function)
        given = planning.bind(function, loader).get(iterated or "")
        return [given] if given is not None and not _defaults_to(function, given) else []
    if any(a.keyword is not None for a in loader.args):
        return []
    name = plan.imports.call_name(loader)
    if name == "itertools.chain":
        return [a.value for a in loader.args]
    return [loader.args[1].value] if name == "map" and len(loader.args) == 2 else []


def _yields_once_per_item_of(function: cst.FunctionDef) -> str | None:
    """The parameter a generator function yields once per item of: its body is statements that do not yield, then
    `for ... in parameter:` (no `else`) as its last statement, whose body yields once, as a statement of its own,
    and has no `break`, `continue` or `return` (`def on_device(loader): for x, y in loader: yield x.to(d), y.to(d)`)."""
    body = [s for s in function.body.body if not is_docstring(s)]
    if not body or not isinstance(loop := body[-1], cst.For) or loop.orelse is not None or loop.asynchronous:
        return None
    parameters = {p.name.value for p in function.params.params}
    if not (isinstance(loop.iter, cst.Name) and loop.iter.value in parameters) or loop.iter.value in writes(*body[:-1]):
        return None
    if any(isinstance(n, (cst.Yield, cst.Return)) for s in body[:-1] for n in walk(s)):
        return None
    own = [s for s in loop.body.body if isinstance(s, cst.SimpleStatementLine) and len(s.body) == 1
           and isinstance(s.body[0], cst.Expr) and isinstance(s.body[0].value, cst.Yield)]  # fmt: skip
    inside = [n for n in walk(loop.body) if isinstance(n, (cst.Yield, cst.Break, cst.Continue, cst.Return, cst.FunctionDef,
                                                             cst.Lambda, cst.ClassDef))]  # fmt: skip
    return loop.iter.value if len(own) == 1 and len(inside) == 1 else None


def _defaults_to(function: cst.FunctionDef, given: cst.BaseExpression) -> bool:
    return any(p.default is given for p in (*function.params.params, *function.params.kwonly_params))


def made_each_validation(conv, loader: cst.BaseExpression) -> cst.BaseExpression:
    """The validation's loader made in the evaluation loop's header (`for x, y in batches(val_data)`): a generator
    handed to fit as it is would be used up by the first validation, and every later one would see no batches."""
    loop = getattr(conv.plan.val, "loop", conv.plan.val)  # an evaluation function's loop, or the inline loop
    conv.report.add("T2L134", conv.plan.line(loop), f"`{code(loader)}` (the validation's) is used up "
                    "after one pass: fit gets EveryEpoch(lambda: ...), made for each validation")  # fmt: skip
    return cst.parse_expression(f"EveryEpoch(lambda: {code(loader)})")


def random_at_epoch_start(conv, loader: cst.BaseExpression) -> bool:
    """The statements moved to on_train_epoch_start seed or draw from torch's RNG (directly, or in a function of the
    script's they call), and the loader is not a `range` (which draws nothing when it starts)."""
    plan = conv.plan
    if isinstance(loader, cst.Call) and plan.imports.call_name(loader) in ("range", "itertools.count"):
        return False
    return any(_random(plan, stmt, frozenset()) for stmt in conv.leftover.start)


def _random(plan, node: cst.CSTNode, seen: frozenset[str]) -> bool:
    for call in (c for c in walk(node) if isinstance(c, cst.Call)):
        name = plan.imports.call_name(call) or ""
        if name.startswith("torch.") and name.rsplit(".", 1)[-1] in RANDOM:
            return True
        function = _script_function(plan, call)
        if function is not None and function.name.value not in seen and _random(plan, function.body, seen | {function.name.value}):
            return True
    return False


def started_at_first_batch(conv, loader: cst.BaseExpression) -> cst.BaseExpression:
    conv.report.add("T2L151", conv.plan.line(conv.plan.batch_loop), "the epoch's start seeds or draws from torch's RNG: "
                    "fit gets StartedAtFirstBatch(loader), which starts the loader (its shuffle) after it, as the loop "
                    "did; Lightning would start the first epoch's loader when fit sets up")  # fmt: skip
    return cst.parse_expression(f"StartedAtFirstBatch({code(loader)})")


# Calls that build a loader without drawing random numbers (a shuffling sampler draws when it is iterated), so
# building it once more, or at another time, changes nothing the training computes.
PURE = {*torch_names.DATALOADERS, "torch.utils.data.Subset", "torch.utils.data.TensorDataset",
        "torch.utils.data.ConcatDataset", "torch.utils.data.dataset.Subset", *PURE_BUILTINS}  # fmt: skip


def with_epoch_values(conv, loader: cst.BaseExpression, module: str) -> tuple[cst.BaseExpression, str | None]:
    """The loader with the values the epoch loop assigns above the batch loop in place of their names (which no
    longer exist at the site), and whether it changes from epoch to epoch.

    `range(len_dataloader)` where the epoch loop sets `len_dataloader = min(len(a), len(b))` (DANN), or
    `loader = DataLoader(subset, ...)` after `subset = dataset`: the same every epoch, so the value stands in for the
    name. `subset = Subset(dataset, range(50 * (epoch + 1)))` (a curriculum) reads the epoch: the epoch becomes
    `lit_model.current_epoch` and fit gets an EveryEpoch that builds the loader at each epoch's first batch, as the
    loop did before its batches. So does a loader over state the epoch's end changes (`ConcatDataset([labeled,
    pseudo])`, the pseudo-labels recomputed after each epoch's training): `pseudo` is read as `lit_model.pseudo`.
    Returns the loader and, when it changes from epoch to epoch, what it is built from (for the report). Only values built by calls that draw no random numbers (`PURE`) are followed."""
    plan, loop = conv.plan, conv.plan.epoch_loop
    if loop is None or plan.train_call is not None or not isinstance(loop.body, cst.IndentedBlock):
        return loader, None
    epoch = loop.target.value if isinstance(loop, cst.For) and isinstance(loop.target, cst.Name) else None
    changed = writes(loop.body) | ({epoch} if epoch else set())
    values: dict[str, cst.BaseExpression] = {}
    varies: set[str] = set()  # names whose value reads the epoch, or state the epoch changes
    # state the epoch loop changes after its training only: EveryEpoch builds the loader when Lightning starts the
    # epoch's batches (the first epoch's when fit sets up), before anything the epoch's start changes
    before_training = loop.body.body[: next((i for i, s in enumerate(loop.body.body) if plan.index.contains(s, plan.batch_loop)), 0)]
    state = {n: cst.parse_expression(f"{module}.{attribute_name(n)}") for n in conv.leftover.state - writes(*before_training)}
    for stmt in loop.body.body:
        if plan.index.contains(stmt, plan.batch_loop):
            break
        small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
        if not (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)):
            continue
        name, value = small.targets[0].target.value, small.value
        if not _assigned_once(loop, name) or changed_in_place(plan, loop, name):
            continue
        read = reads(value)
        followed = read & set(values)
        kept = read & changed - set(values) - {epoch}  # what else the epoch loop changes: state the module keeps
        if kept - set(state):  # (`pseudo`, the pseudo-labels its end recomputes), read as lit_model.pseudo
            continue  # reads something else the epoch loop changes
        value = rename(value, {n: values[n] for n in followed} | {n: state[n] for n in kept})
        if not pure(plan, value):
            continue  # `random_split(...)`, `torch.randperm(n)`: built once at the site, it would draw once
        values[name] = value
        if epoch in read or followed & varies or kept:
            varies.add(name)
    used = {n: v for n, v in values.items() if n in reads(loader)}
    if not used:
        return loader, None
    loader = rename(loader, used)
    if not set(used) & varies:
        return loader, None
    if not pure(plan, loader):
        return loader, None
    if epoch is None or epoch not in reads(loader):  # state the epoch loop changes: read from the module
        kept = sorted(n for n in state if f"{module}.{attribute_name(n)}" in code(loader))
        return loader, f"`{', '.join(kept)}`, which the epoch loop changes (read from {module})"
    if conv.epoch.variable is None:
        return loader, None  # the epoch's name stays at the site: the safety net marks it
    start = conv.epoch.variable[1]
    current = cst.parse_expression(f"{module}.current_epoch" + ("" if start == "0" else f" + {start}"))
    return rename(loader, {epoch: current}), "the epoch (current_epoch)"


def pure(plan, node: cst.CSTNode, seen: frozenset[str] = frozenset()) -> bool:
    """Every call in `node` draws no random numbers: one of `PURE`, or a function of the script's whose own calls
    are (`pacing(epoch, n)` computing a share with `min` and `int`)."""
    for call in (c for c in walk(node) if isinstance(c, cst.Call)):
        if plan.imports.call_name(call) in PURE:
            continue
        function = _script_function(plan, call)
        if function is None or function.name.value in seen or not pure(plan, function.body, seen | {function.name.value}):
            return False
    return True


def changed_in_place(plan, loop: cst.CSTNode, name: str) -> bool:
    """The epoch loop may change the name's value without assigning it: `random.shuffle(order)` (an argument of a
    call that is not `PURE`), `order.sort()` (any attribute of it), `order[0] = i`, `del order[0]`. Then its value
    at the assignment is not what the batch loop iterates."""
    for node in walk(loop):
        if not (isinstance(node, cst.Name) and node.value == name):
            continue
        parent = plan.index.parent(node)
        if isinstance(parent, cst.Attribute) and parent.value is node:
            return True
        if isinstance(parent, cst.Arg) and plan.imports.call_name(plan.index.parent(parent)) not in PURE:
            return True
        if isinstance(parent, cst.Subscript) and isinstance(plan.index.parent(parent), (cst.AssignTarget, cst.AugAssign, cst.Del)):
            return True
    return False


def _assigned_once(loop: cst.CSTNode, name: str) -> bool:
    return sum(name in writes(n) for n in walk(loop) if isinstance(n, (cst.Assign, cst.AugAssign, cst.AnnAssign))) == 1


def builds_the_loader(conv, stmt: cst.BaseStatement) -> bool:
    """`loader = DataLoader(...)` in the epoch loop, read by nothing there but the batch loop's header: fit gets the
    loader (`with_epoch_values`), so the statement need not run at the epoch's start too."""
    plan, loop = conv.plan, conv.plan.epoch_loop
    small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
    if loop is None or plan.train_call is not None or not (isinstance(small, cst.Assign) and len(small.targets) == 1):
        return False
    name = small.targets[0].target
    if not (isinstance(name, cst.Name) and name.value in reads(plan.batch_loop.iter) and pure(plan, small.value)):
        return False
    uses = [n for n in walk(loop.body) if isinstance(n, cst.Name) and n.value == name.value]
    return len(uses) == 2 and _assigned_once(loop, name.value)  # its assignment and the loop header

