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

from converter.convert.edits import self_call
from converter.convert.loops import module_level_bindings
from converter.convert.step import NO_MATCH
from converter.names import code, dotted, reads, self_attr, writes

CODES = {"T2L113": "print / tqdm / SummaryWriter / wandb logging of metrics -> self.log"}
PRINTS = ("print", "logging.info", "logger.info", "log.info")


def is_print(statement: cst.BaseStatement, prints: tuple[str, ...] = PRINTS) -> bool:
    """A statement that is one call of a print or logger function."""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    return isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) and dotted(small.value.func) in prints


def on_call(step, line, call, owner, method):
    if dotted(call.func) in PRINTS and (id(line) in step.ctx.ends_training or id(line) in step.ctx.skipping):
        return call  # printed where a `break` ends the training, a `continue` skips the batch, a `raise` ends the run: a message
    if dotted(call.func) in PRINTS:
        mentioned = reads(call)
        if any(reads(loss) & mentioned for loss in step.out.losses) or "loss" in mentioned:
            step.out.printed_loss = True
        step.report.add("T2L113", step.line, f"`{code(call.func)}(...)` removed: metrics go to self.log")
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
