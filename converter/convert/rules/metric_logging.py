"""Metrics printed or written to TensorBoard / wandb inside the loops -> `self.log`.

`print(...)` / `logging.info(...)` of metrics in the batch loop go (the logged metric is shown by the progress bar
and the logger). At the epoch's end a print stays in on_train_epoch_end when what it reads is there: the last
batch's values, the evaluation's totals (T2L136), the train function's returned totals (epoch_body, T2L124);
`writer.add_scalar(tag, value)` becomes `self.log(tag, value)`, other SummaryWriter calls go to the
TensorBoardLogger's `experiment`; `wandb.log(d)` stays as written (`self.log_dict(d)` sent a dict's values to
lightning_logs/ instead of the script's wandb run, once in 50 steps, and crashed on a `"train_loss"` key or a
`wandb.Image`).
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.convert.edits import self_call
from converter.convert.loops import module_level_bindings
from converter.convert.rules import manual_optimization
from converter.convert.step import NO_MATCH
from converter.names import bound_names, code, dotted, loads, reads, self_attr, writes

CODES = {"T2L113": "print / tqdm / SummaryWriter / wandb logging of metrics -> self.log"}
PRINTS = ("print", "logging.info", "logger.info", "log.info")


def is_print(statement: cst.BaseStatement, prints: tuple[str, ...] = PRINTS) -> bool:
    """A statement that is one call of a print or logger function."""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    return isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) and dotted(small.value.func) in prints


def on_call(step, line, call, owner, method):
    if dotted(call.func) in PRINTS and (id(line) in step.ctx.ends_training or id(line) in step.ctx.skipping):
        return call  # printed where a `break` ends the training, a `continue` skips the batch, a `raise` ends the run: a message
    if dotted(call.func) in PRINTS and (runs := _runs_code(step, call)):
        step.report.add("T2L113", step.line, f"`{code(call.func)}(...)` kept: it calls `{runs}`, whose work (random draws, "
                        "a state it changes) the script's numbers may depend on")  # fmt: skip
        return call
    if dotted(call.func) in PRINTS:
        mentioned = reads(call)
        if any(reads(loss) & mentioned for loss in step.out.losses) or "loss" in mentioned:
            step.out.printed_loss = True
        logged, unlogged = _printed_metrics(step, call)
        also = f"; its {', '.join(f'`{n}`' for n in logged)} logged too" if logged else ""
        also += f"; it also printed {', '.join(f'`{v}`' for v in unlogged)}, not logged: log it with self.log if you need it" if unlogged else ""
        step.report.add("T2L113", step.line, f"`{code(call.func)}(...)` removed: metrics go to self.log{also}")
        if logged:  # `XentLoss {loss_xent.item():.4f}`: the value goes on to the logger, under its name
            return cst.FlattenSentinel([cst.SimpleStatementLine([cst.Expr(self_call("log", cst.Arg(cst.SimpleString(f'"{n}"')), cst.Arg(cst.Name(n))))]) for n in logged])
        return None
    if step.ctx.imports.call_name(call) == "wandb.log":  # the run wandb.init started gets every call, as before
        step.report.add("T2L113", step.line, "wandb.log kept as written: it logs to the run wandb.init started, each "
                        "batch as the loop did (Lightning's own way: Trainer(logger=WandbLogger()) and self.log)")  # fmt: skip
        return call
    if owner not in step.ctx.writers:
        return NO_MATCH
    if method == "add_scalar" and len(call.args) >= 2:
        tag, value = call.args[0].value, call.args[1].value
        step.report.add("T2L113", step.line, f"SummaryWriter.{method} -> self.log")
        if isinstance(tag, cst.SimpleString):
            step.out.logged.append(tag.evaluated_value)
        return self_call("log", cst.Arg(tag), cst.Arg(value))
    step.report.add("T2L113", step.line, f"SummaryWriter.{method} -> the TensorBoardLogger's experiment")
    return call.with_changes(func=cst.Attribute(cst.Attribute(self_attr("logger"), cst.Name("experiment")), cst.Name(method)))


# methods that read a value and change nothing: a print calling only these (and builtins, and imported modules'
# functions: `time.time()`) can go
READING_METHODS = frozenset({
    "item", "tolist", "numpy", "cpu", "detach", "float", "double", "int", "long", "clone", "size", "dim", "numel",
    "mean", "sum", "std", "var", "max", "min", "argmax", "argmin", "norm", "abs", "sqrt", "exp", "log", "pow", "eq",
    "ne", "gt", "lt", "ge", "le", "view", "reshape", "squeeze", "unsqueeze", "flatten", "round", "all", "any",
    "format", "join", "upper", "lower", "strip", "keys", "values", "items", "get", "get_last_lr", "state_dict",
    "parameters", "named_parameters", "total_seconds", "count",
})  # fmt: skip
EFFECTFUL_BUILTINS = frozenset({"next", "iter", "input", "open", "exec", "eval", "setattr", "delattr"})
_BUILTINS = frozenset(dir(__import__("builtins")))


def _runs_code(step, call: cst.Call) -> str | None:
    """The first call inside a print's arguments that may do work the script's numbers depend on (a model's
    `sample()` drawing from the RNG, a function of the script, `next(it)`): the print must stay. None when every
    call only reads (`.item()`, `len(...)`, `"...".format()`, `time.time()`)."""
    for node in walk(call):
        if node is call or not isinstance(node, cst.Call):
            continue
        func = node.func
        if isinstance(func, cst.Attribute):
            root = dotted(func.value)
            imported = bool(root and step.ctx.imports.aliases.get(root.split(".")[0]))
            if func.attr.value in READING_METHODS or (imported and not _draws(step.ctx.imports.call_name(node) or "")):
                continue
            return code(func)
        if isinstance(func, cst.Name):
            if func.value in EFFECTFUL_BUILTINS or (func.value not in _BUILTINS and func.value not in step.ctx.imports.aliases):
                return code(func)
            continue
        return code(func)
    return None


RANDOM_DRAWS = ("torch.multinomial", "torch.normal", "torch.bernoulli", "torch.poisson", "torch.randperm")


def _draws(qualified: str) -> bool:
    """An imported function that draws random numbers (`torch.randn`, `np.random.rand`, `random.choice`)."""
    return qualified.startswith(RANDOM_DRAWS) or ".rand" in qualified or qualified.startswith(("random.", "numpy.random."))


def _printed_metrics(step, call: cst.Call) -> tuple[list[str], list[str]]:
    """What a removed print showed besides the loss and the counters: the tensors it read with `.item()` (computed
    each batch: logged under their names), and the other values computed each batch or read from an optimizer or a
    scheduler (a learning rate): named in the report, so that nothing it showed goes unsaid."""
    losses = {code(loss) for loss in step.out.losses} | step.ctx.rebound | {"loss"}
    ctx = step.ctx
    quiet = losses | ctx.counters | ctx.accumulators | {ctx.batch_idx}
    watched = ctx.computed - quiet
    rates = ctx.optimizers | ctx.schedulers  # `optimizer.param_groups[0]['lr']`, `scheduler.get_last_lr()[0]`
    toggled = ctx.manual == manual_optimization.TWO_OPTIMIZERS  # a value read after its optimizer's block: T2L169
    logged: list[str] = []
    unlogged: list[str] = []
    for value in _printed_values(call):
        item = value.func.value if isinstance(value, cst.Call) and not value.args and isinstance(value.func, cst.Attribute) and value.func.attr.value == "item" else None  # fmt: skip
        if isinstance(item, cst.Name) and item.value in ctx.computed and item.value not in quiet and not toggled:
            if item.value not in logged:
                logged.append(item.value)
        elif reads(value) & (losses | {ctx.batch_idx} | ctx.counters) or code(value) in unlogged:
            continue  # the loss (logged), or where the loop is (`batch_idx * len(data)`)
        elif reads(value) & watched or reads(value) & rates and any(r in code(value) for r in ("param_groups", "get_last_lr")):
            unlogged.append(code(value))
    return logged, unlogged


def without_unread_messages(body: list[cst.BaseStatement], kept: set[str]) -> list[cst.BaseStatement]:
    """A hook's body without the strings built only for a print that went (`mesg = "...".format(...)` before
    `print(mesg)` in pytorch/examples' fast-neural-style): a local set to a string and read nowhere in the hook, and
    an `if` left with nothing in it. `kept` are the names the hooks share (attributes): those stay."""
    unread = writes(*body) - loads(*body) - kept if body else set()
    return _dropped(body, unread) if unread else body


def _dropped(body: list[cst.BaseStatement], unread: set[str]) -> list[cst.BaseStatement]:
    kept: list[cst.BaseStatement] = []
    for statement in body:
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
        if (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)
                and small.targets[0].target.value in unread and _a_message(small.value)):  # fmt: skip
            continue
        if isinstance(statement, cst.If) and statement.orelse is None and isinstance(statement.body, cst.IndentedBlock):
            inner = _dropped(list(statement.body.body), unread)
            if not inner:
                continue
            statement = statement.with_changes(body=statement.body.with_changes(body=inner))
        kept.append(statement)
    return kept


def _a_message(value: cst.BaseExpression) -> bool:
    """A string built from values: a literal, an f-string, `"...".format(...)`, `"..." % (...)`, their sums."""
    if isinstance(value, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)):
        return True
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "format":
        return isinstance(value.func.value, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString))
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Modulo):
        return isinstance(value.left, (cst.SimpleString, cst.ConcatenatedString))
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add):
        return _a_message(value.left) and _a_message(value.right)
    return False


def computed_each_batch(loop: cst.For | cst.While, counters: set[str | None]) -> set[str]:
    """The names a loop body binds to values of the batch: not those that count where the loop is
    (`current = batch * len(X)` reads the batch index)."""
    counting = {name for node in walk(loop.body) if isinstance(node, cst.Assign) and reads(node.value) & counters
                for target in node.targets for name in bound_names(target.target)}  # fmt: skip
    return writes(loop.body) - counting


def _printed_values(call: cst.Call) -> list[cst.BaseExpression]:
    """The values a print formats: f-string fields, `.format(...)` and `%` arguments, its other positional arguments."""
    values: list[cst.BaseExpression] = []
    for arg in call.args:
        if arg.keyword is not None:
            continue
        value = arg.value
        if isinstance(value, (cst.FormattedString, cst.ConcatenatedString)):
            values += _fields(value)
        elif (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "format"
              and isinstance(value.func.value, (cst.SimpleString, cst.ConcatenatedString))):  # fmt: skip
            values += [a.value for a in value.args]
        elif (isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Modulo)
              and isinstance(value.left, (cst.SimpleString, cst.ConcatenatedString))):  # fmt: skip
            right = value.right
            values += [e.value for e in right.elements] if isinstance(right, cst.Tuple) else [right]
        elif not isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
            values.append(value)
    return values


def _fields(text: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The expressions an f-string formats (`f"a {x}" f" b {y}"`, implicitly joined, included)."""
    if isinstance(text, cst.ConcatenatedString):
        return _fields(text.left) + _fields(text.right)
    if isinstance(text, cst.FormattedString):
        return [part.expression for part in text.parts if isinstance(part, cst.FormattedStringExpression)]
    return []


def writer_as_logger(conv) -> None:
    """The scalars a SummaryWriter wrote now go through Lightning's logger, as often as the loop wrote them
    (`log_every_n_steps=1`: a `self.log` under the loop's own `if step % 100 == 0` logs when it did), and with one
    writer, into its directory: a TensorBoardLogger on `writer.log_dir` keeps them where `tensorboard --logdir`
    looked, beside what the writer still writes itself (by default they would go to lightning_logs/)."""
    writers = sorted(conv.kinds["writers"])
    scalars = any(f.code == "T2L113" and f.message.startswith("SummaryWriter.add_scalar") for f in conv.report.findings)
    if scalars:  # each call the loop made is written, not one in 50 steps (Lightning's default)
        conv.trainer_args.setdefault("log_every_n_steps", "1")
    if not scalars or len(writers) != 1 or "logger" in conv.trainer_args:
        return
    plan = conv.plan
    writer = code(conv.to_site(cst.Name(writers[0]), plan.scope, plan.binding))
    if writer not in _bound_at(plan.site_scope, plan.module):
        return  # not a name where the Trainer is built
    conv.trainer_args["logger"] = f'pl.loggers.TensorBoardLogger({writer}.log_dir, name="", version="")'
    conv.report.add("T2L113", plan.line(plan.site), f"self.log writes to `{writer}`'s directory: "
                    f"Trainer(logger=TensorBoardLogger({writer}.log_dir, ...))")  # fmt: skip


def _bound_at(scope: cst.CSTNode, module: cst.Module) -> set[str]:
    """Names a statement of `scope` can read: the module's, and a function's own parameters and assignments."""
    module_names = set().union(*module_level_bindings(module).values())
    if not isinstance(scope, cst.FunctionDef) or not isinstance(scope.body, cst.IndentedBlock):
        return module_names
    return module_names | {p.name.value for p in scope.params.params} | writes(*scope.body.body)


def removed_epoch_print(conv, line: int, stmt: cst.BaseStatement, unlogged: set[str] = frozenset()) -> None:
    """An epoch-end print of what the training computed: the logged metric carries it (what else it printed is
    named: those values are no longer printed)."""
    also = f"; it also printed `{', '.join(sorted(unlogged))}`, not logged: log it with self.log if you need it" if unlogged else ""
    conv.report.add("T2L113", line, f"`{code(stmt).strip()[:40]}` removed: the metric is logged{also}")
