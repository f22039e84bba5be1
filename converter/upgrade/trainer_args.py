"""Trainer(...) keywords of 1.x -> 2.x (T2L201-217, T2L225; TODOs T2L951, T2L952, T2L955, T2L957).

Each keyword of each Trainer call gets an action: keep, rename, new keywords in its place, a callback, or
removal (with a finding that says why). Keywords that moved to `trainer.fit` follow the trainer variable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from converter.names import code, dotted
from converter.syntax import with_args
from converter.upgrade import table
from converter.upgrade.engine import NOT_LITERAL, Upgrade, keyword, kwarg, literal

CODES = {
    "T2L201": "gpus= / tpu_cores= / num_processes= -> accelerator= and devices=",
    "T2L202": "auto_select_gpus=True -> devices=find_usable_cuda_devices(N)",
    "T2L203": "resume_from_checkpoint= / Trainer(ckpt_path=) -> trainer.fit(..., ckpt_path=)",
    "T2L204": 'precision=16 / "bf16" / 32 / 64 -> "16-mixed" / "bf16-mixed" / "32-true" / "64-true"',
    "T2L205": 'profiler=True -> profiler="simple"',
    "T2L206": 'distributed_backend= / accelerator="ddp" -> strategy=',
    "T2L207": "replace_sampler_ddp= -> use_distributed_sampler=",
    "T2L208": "progress_bar_refresh_rate= -> TQDMProgressBar(refresh_rate=) / enable_progress_bar=False",
    "T2L209": "checkpoint_callback= -> enable_checkpointing=",
    "T2L210": "weights_summary= -> enable_model_summary= / ModelSummary(max_depth=)",
    "T2L211": "a removed Trainer argument that changes nothing in 2.x was dropped",
    "T2L212": "terminate_on_nan=True -> detect_anomaly=True",
    "T2L213": "reload_dataloaders_every_epoch= -> reload_dataloaders_every_n_epochs=",
    "T2L214": "weights_save_path= -> default_root_dir=",
    "T2L215": "track_grad_norm= -> on_before_optimizer_step logging grad_norm()",
    "T2L216": "auto_lr_find= / auto_scale_batch_size= with trainer.tune() -> Tuner(trainer)",
    "T2L217": "accumulate_grad_batches={epoch: n} -> GradientAccumulationScheduler(scheduling=)",
    "T2L225": "fit/validate/test keyword renamed (train_dataloader= -> train_dataloaders=, ...)",
    "T2L226": 'precision=16 on CPU -> "bf16-mixed", which is what 2.x runs there (fp16 AMP does not exist on CPU)',
    "T2L951": "a removed Trainer argument with no safe mechanical replacement",
    "T2L952": "the trainer's fit call was not found: pass ckpt_path= to trainer.fit by hand",
    "T2L955": "trainer.tune() without tuning flags this file sets",
    "T2L957": "callbacks= is not a list literal: add the new callback to it by hand",
}

GPU_TARGETS = {"gpus", "tpu_cores", "num_processes"}


@dataclass
class _CallPlan:
    """What happens to one Trainer call: keywords replaced by other keywords, and callbacks to add."""

    replace: dict[str, list[cst.Arg]] = field(default_factory=dict)  # old keyword -> its replacement (may be [])
    add: list[cst.Arg] = field(default_factory=list)
    callbacks: list[str] = field(default_factory=list)


def upgrade_trainer_calls(up: Upgrade) -> None:
    for call in up.trainer_calls():
        plan = _CallPlan()
        _devices(up, call, plan)
        _precision(up, call, plan)
        _renamed_and_removed(up, call, plan)
        _moved_to_fit(up, call, plan)
        _tuning(up, call, plan)
        if plan.replace or plan.add or plan.callbacks:
            _apply(up, call, plan)
    for call in _option_calls(up):  # Trainer(**options): the same flags, in a dict built nearby
        plan = _CallPlan()
        _devices(up, call, plan)
        _precision(up, call, plan)
        _renamed_and_removed(up, call, plan)
        for name in ("auto_lr_find", "auto_scale_batch_size"):  # no trainer.tune() to follow from a dict
            arg = kwarg(call, name)
            if arg is not None:
                plan.replace[name] = []
                if literal(arg.value) in (False, None):
                    up.mapped("T2L211", arg, f"{name}={code(arg.value)} dropped: it tuned nothing")
                else:
                    up.todo("T2L951", arg, f"removed `{name}={code(arg.value)}` from the Trainer options: "
                            "call Tuner(trainer).lr_find / scale_batch_size instead")  # fmt: skip
        if plan.replace or plan.add:
            _apply(up, call, plan)


def _value(call: cst.Call, name: str) -> object:
    arg = kwarg(call, name)
    return NOT_LITERAL if arg is None else literal(arg.value)


def _on_cpu(call: cst.Call) -> bool:
    gpus = kwarg(call, "gpus")
    return _value(call, "accelerator") == "cpu" or (gpus is not None and literal(gpus.value) in (0, None))


def _devices(up: Upgrade, call: cst.Call, plan: _CallPlan) -> None:
    accelerator = kwarg(call, "accelerator")
    accelerator_value = _value(call, "accelerator")
    device_arg = next((kwarg(call, n) for n in ("gpus", "tpu_cores", "num_processes") if kwarg(call, n)), None)
    if isinstance(accelerator_value, str) and accelerator_value in {**table.STRATEGY_ACCELERATORS, **table.REMOVED_STRATEGIES}:
        _strategy(up, call, plan, accelerator, accelerator_value, "accelerator")
    backend = kwarg(call, "distributed_backend")
    if backend is not None:
        _strategy(up, call, plan, backend, literal(backend.value), "distributed_backend")
    strategy = _value(call, "strategy")
    if isinstance(strategy, str) and strategy in table.REMOVED_STRATEGIES:
        arg = kwarg(call, "strategy")
        plan.replace["strategy"] = []
        up.todo("T2L951", arg, f"removed `strategy={code(arg.value)}`: {table.REMOVED_STRATEGIES[strategy]}")
    auto_select = kwarg(call, "auto_select_gpus")
    if device_arg is None:
        if auto_select is not None:
            plan.replace["auto_select_gpus"] = []
            up.mapped("T2L202", auto_select, "auto_select_gpus= dropped: it only applied with gpus=N")
        return
    name, value = device_arg.keyword.value, literal(device_arg.value)
    new: list[cst.Arg] = []
    has_accelerator = accelerator is not None and accelerator_value not in table.STRATEGY_ACCELERATORS
    if name == "gpus" and value in (0, None):
        if not has_accelerator:
            new.append(keyword("accelerator", '"cpu"'))
        message = f"gpus={code(device_arg.value)} -> accelerator=\"cpu\" (1.x: no GPU)"
    elif name == "gpus" and value is NOT_LITERAL:
        gpus = _atom(device_arg.value)
        new += [keyword("accelerator", f'"gpu" if {gpus} else "cpu"'), keyword("devices", f"{gpus} or 1")]
        message = f"gpus={gpus} -> accelerator=\"gpu\" if {gpus} else \"cpu\", devices={gpus} or 1"
    else:
        kind = {"gpus": "gpu", "tpu_cores": "tpu", "num_processes": "cpu"}[name]
        if not has_accelerator:
            new.append(keyword("accelerator", f'"{kind}"'))
        devices: cst.BaseExpression = device_arg.value
        if auto_select is not None and literal(auto_select.value) is True and kind == "gpu":
            finder = up.require_import("pl.accelerators", "find_usable_cuda_devices")
            devices = cst.parse_expression(f"{finder}({code(device_arg.value)})")
            up.mapped("T2L202", auto_select, f"auto_select_gpus=True -> devices={finder}(...): picks free GPUs")
        new.append(keyword("devices", devices))
        message = f"{name}={code(device_arg.value)} -> accelerator=\"{kind}\", devices={code(devices)}"
    if auto_select is not None:
        plan.replace["auto_select_gpus"] = []
    plan.replace[name] = new
    up.mapped("T2L201", device_arg, message)
    for other in ("gpus", "tpu_cores", "num_processes"):  # 2.x rejects every one of them, whatever its value
        extra = kwarg(call, other)
        if other == name or extra is None:
            continue
        plan.replace[other] = []
        if literal(extra.value) in (None, 0) or (other == "num_processes" and literal(extra.value) == 1):
            up.mapped("T2L211", extra, f"{other}={code(extra.value)} dropped: it selected nothing")
        else:
            up.todo("T2L951", extra, f"removed `{other}={code(extra.value)}` next to `{name}=`: pick one accelerator")


def _atom(expr: cst.BaseExpression) -> str:
    """Source text safe to embed in a larger expression: parenthesised unless it is a name, call or literal."""
    text = code(expr)
    simple = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.SimpleString)
    return text if isinstance(expr, simple) or (expr.lpar and expr.rpar) else f"({text})"


def _strategy(up: Upgrade, call: cst.Call, plan: _CallPlan, arg: cst.Arg, value: object, name: str) -> None:
    if isinstance(value, str) and value in table.REMOVED_STRATEGIES:
        plan.replace[name] = []
        up.todo("T2L951", arg, f"removed `{name}={value!r}`: {table.REMOVED_STRATEGIES[value]}")
        return
    if not isinstance(value, str) or value not in table.STRATEGY_ACCELERATORS:
        if value is NOT_LITERAL or value is None:  # 1.x took None for "no strategy"; 2.x wants a name
            expression = f"{_atom(arg.value)} or \"auto\"" if value is NOT_LITERAL else '"auto"'
            plan.replace[name] = [keyword("strategy", expression)]
            removed = sorted(s for s in table.REMOVED_STRATEGIES if f'"{s}"' in code(arg.value) or f"'{s}'" in code(arg.value))
            if removed:
                up.todo("T2L951", arg, f"`{name}=` may select {', '.join(removed)}, removed in 2.0: use strategy='ddp'")
            else:
                up.mapped("T2L206", arg, f"{name}= -> strategy= (None -> \"auto\")")
            return
        plan.replace[name] = [keyword("strategy", arg.value)]
        up.mapped("T2L206", arg, f"{name}= -> strategy=")
        return
    accelerator, strategy = table.STRATEGY_ACCELERATORS[value]
    new = [keyword("strategy", f'"{strategy}"')]
    if accelerator and kwarg(call, "gpus") is None:
        new.insert(0, keyword("accelerator", f'"{accelerator}"'))
    plan.replace[name] = new
    up.mapped("T2L206", arg, f"{name}={value!r} -> strategy={strategy!r}: 2.x keeps devices and strategies apart")


def _precision(up: Upgrade, call: cst.Call, plan: _CallPlan) -> None:
    arg = kwarg(call, "precision")
    value = None if arg is None else literal(arg.value)
    if arg is None or value not in table.PRECISION:  # unhashable literals are never in the table
        return
    new = table.PRECISION[value]
    if new == "16-mixed" and _on_cpu(call):
        plan.replace["precision"] = [keyword("precision", '"bf16-mixed"')]
        up.mapped("T2L226", arg)
        return
    plan.replace["precision"] = [keyword("precision", f'"{new}"')]
    up.mapped("T2L204", arg, f"precision={code(arg.value)} -> \"{new}\"")


def _no_apex(call: cst.Call) -> bool:
    backend = kwarg(call, "amp_backend")
    return backend is None or literal(backend.value) == "native"  # 1.x's default backend was native


def _renamed_and_removed(up: Upgrade, call: cst.Call, plan: _CallPlan) -> None:
    for arg in call.args:
        if arg.keyword is None or arg.keyword.value in plan.replace:
            continue
        name, value, text = arg.keyword.value, literal(arg.value), code(arg.value)
        if name == "reload_dataloaders_every_epoch":  # a bool became an epoch count
            count = {True: "1", False: "0"}.get(value, f"int({text})")  # type: ignore[arg-type]
            plan.replace[name] = [keyword("reload_dataloaders_every_n_epochs", count)]
            up.mapped("T2L213", arg, f"reload_dataloaders_every_epoch={text} -> reload_dataloaders_every_n_epochs={count}")
        elif name in table.RENAMED_TRAINER_ARGS:
            new, rule = table.RENAMED_TRAINER_ARGS[name]
            plan.replace[name] = [keyword(new, arg.value)]
            up.mapped(rule, arg, f"{name}= -> {new}=")
        elif name in table.DROPPED_TRAINER_ARGS:
            plan.replace[name] = []
            up.mapped("T2L211", arg, f"{name}= dropped: {table.DROPPED_TRAINER_ARGS[name]}")
        elif name in table.TODO_TRAINER_ARGS and (value in (None, False) or (name == "amp_level" and _no_apex(call))):
            plan.replace[name] = []  # off (a config listing every 1.x flag at its default): nothing to carry over
            up.mapped("T2L211", arg, f"{name}={text} dropped: it was off" if name != "amp_level" else
                      f"amp_level={text} dropped: it only applied to apex AMP, which this Trainer did not use")  # fmt: skip
        elif name in table.TODO_TRAINER_ARGS:
            plan.replace[name] = []
            up.todo("T2L951", arg, f"removed `{name}={text}`: {table.TODO_TRAINER_ARGS[name]}")
        elif name == "profiler" and value in (True, False, None):
            plan.replace[name] = [keyword("profiler", '"simple"')] if value else []
            up.mapped("T2L205", arg, f"profiler={text} -> " + ('"simple"' if value else "no profiler (dropped)"))
        elif name == "checkpoint_callback" and isinstance(arg.value, cst.Call):  # 1.x took the callback itself
            plan.replace[name] = []
            plan.callbacks.append(text)
            up.mapped("T2L209", arg, f"checkpoint_callback={text} -> callbacks=[{text}] (2.x's enable_checkpointing "
                      "only tests truth and would add a default ModelCheckpoint instead of this one)")  # fmt: skip
        elif name == "checkpoint_callback" and value not in (True, False):
            plan.replace[name] = [keyword("enable_checkpointing", arg.value)]
            up.todo("T2L951", arg, f"checkpoint_callback={text} -> enable_checkpointing={text}: if {text} is a "
                    "ModelCheckpoint, pass it in callbacks=[...] instead (enable_checkpointing only tests truth)")
        elif name == "checkpoint_callback":
            plan.replace[name] = [keyword("enable_checkpointing", arg.value)]
            up.mapped("T2L209", arg, f"checkpoint_callback={text} -> enable_checkpointing={text}")
        elif name == "progress_bar_refresh_rate" and value in (1, None):  # 2.x's default bar refreshes every step
            plan.replace[name] = []
            up.mapped("T2L208", arg, f"progress_bar_refresh_rate={text} dropped: 2.x's default progress bar does that")
        elif name == "progress_bar_refresh_rate":
            if value == 0:
                plan.replace[name] = [keyword("enable_progress_bar", "False")]
            else:
                plan.replace[name] = []
                plan.callbacks.append(f"{up.require_import('pl.callbacks', 'TQDMProgressBar')}(refresh_rate={text})")
            up.mapped("T2L208", arg, f"progress_bar_refresh_rate={text} -> " + (
                "enable_progress_bar=False" if value == 0 else f"callbacks=[TQDMProgressBar(refresh_rate={text})]"))
        elif name == "weights_summary":
            _weights_summary(up, arg, value, plan)
        elif name == "amp_backend":
            plan.replace[name] = []
            if value == "apex":
                up.todo("T2L951", arg, "removed `amp_backend='apex'`: apex AMP is gone, use precision='16-mixed'")
            else:
                up.mapped("T2L211", arg, "amp_backend= dropped: native torch AMP is the only backend")
        elif name == "multiple_trainloader_mode":
            plan.replace[name] = []
            if value == "max_size_cycle":
                up.mapped("T2L211", arg, "multiple_trainloader_mode='max_size_cycle' dropped: it is the 2.x default")
            else:
                up.todo("T2L951", arg, f"removed `{name}={text}`: return CombinedLoader(loaders, mode={text}) "
                        "from train_dataloader")  # fmt: skip
        elif name == "weights_save_path" and value is None:
            plan.replace[name] = []
            up.mapped("T2L211", arg, "weights_save_path=None dropped: checkpoints went to default_root_dir anyway")
        elif name == "weights_save_path":
            plan.replace[name] = []
            if kwarg(call, "default_root_dir") is None:
                plan.replace[name] = [keyword("default_root_dir", arg.value)]
                up.mapped("T2L214", arg, "weights_save_path= -> default_root_dir= (logs are written there too)")
            else:
                up.todo("T2L951", arg, f"removed `weights_save_path={text}`: use ModelCheckpoint(dirpath={text})")
        elif name == "track_grad_norm":
            plan.replace[name] = []
            _track_grad_norm(up, arg, value)
        elif name == "accumulate_grad_batches" and isinstance(arg.value, cst.Dict):
            plan.replace[name] = []
            scheduler = up.require_import("pl.callbacks", "GradientAccumulationScheduler")
            plan.callbacks.append(f"{scheduler}(scheduling={text})")
            up.mapped("T2L217", arg, f"accumulate_grad_batches={text} -> GradientAccumulationScheduler(scheduling=...)")


def _weights_summary(up: Upgrade, arg: cst.Arg, value: object, plan: _CallPlan) -> None:
    if value is None:
        plan.replace["weights_summary"] = [keyword("enable_model_summary", "False")]
    elif value is NOT_LITERAL:  # None meant no summary; "full" (every layer) is not kept
        plan.replace["weights_summary"] = [keyword("enable_model_summary", f"{_atom(arg.value)} is not None")]
    elif value == "full":
        plan.replace["weights_summary"] = []
        plan.callbacks.append(f"{up.require_import('pl.callbacks', 'ModelSummary')}(max_depth=-1)")
    else:  # "top" is the 2.x default
        plan.replace["weights_summary"] = []
    up.mapped("T2L210", arg, f"weights_summary={code(arg.value)} -> " + (
        "enable_model_summary=False" if value is None else "ModelSummary(max_depth=-1)" if value == "full"
        else f"enable_model_summary={_atom(arg.value)} is not None" if value is NOT_LITERAL
        else "the default model summary"))  # fmt: skip


def _track_grad_norm(up: Upgrade, arg: cst.Arg, value: object) -> None:
    if value == -1:
        up.mapped("T2L211", arg, "track_grad_norm=-1 dropped: it meant off")
        return
    classes = up.lightning_classes()
    defined = classes and any(
        isinstance(s, cst.FunctionDef) and s.name.value == "on_before_optimizer_step" for s in classes[0].body.body
    )
    if len(classes) != 1 or defined:
        up.todo("T2L951", arg, f"removed `track_grad_norm={code(arg.value)}`: log grad_norm(self, norm_type="
                f"{code(arg.value)}) in the LightningModule's on_before_optimizer_step")  # fmt: skip
        return
    norm = up.require_import("pl.utilities", "grad_norm")
    hook = cst.parse_statement(
        f"def on_before_optimizer_step(self, optimizer):\n"
        f"    # t2l T2L215: replaces Trainer(track_grad_norm={code(arg.value)})\n"
        f"    self.log_dict({norm}(self, norm_type={code(arg.value)}))\n"
    )
    cls = classes[0]
    up.edit(cls.body, lambda body: body.with_changes(body=[*body.body, hook.with_changes(leading_lines=[cst.EmptyLine(indent=False)])]))
    up.mapped("T2L215", arg, f"track_grad_norm= -> {cls.name.value}.on_before_optimizer_step logs {norm}()")


def _trainer_variable_calls(up: Upgrade, call: cst.Call, method: str) -> list[cst.Call]:
    parent = up.parent(call)
    if isinstance(parent, cst.Attribute) and parent.attr.value == method:  # pl.Trainer(...).fit(model)
        outer = up.parent(parent)
        return [outer] if isinstance(outer, cst.Call) else []
    name = up.assigned_name(call)
    return up.method_calls(name, method, call) if name else []


def _moved_to_fit(up: Upgrade, call: cst.Call, plan: _CallPlan) -> None:
    for name in ("resume_from_checkpoint", "ckpt_path"):
        arg = kwarg(call, name)
        if arg is None:
            continue
        plan.replace[name] = []
        if isinstance(arg.value, cst.Name) and arg.value.value == "None":  # the default: nothing to resume
            up.mapped("T2L203", arg, f"{name}=None dropped: it resumed nothing")
            continue
        fits = [f for f in _trainer_variable_calls(up, call, "fit") if kwarg(f, "ckpt_path") is None]
        if not fits:
            up.todo("T2L952", arg, f"removed `{name}={code(arg.value)}`: pass ckpt_path= to trainer.fit")
            continue
        for fit in fits:
            up.edit(fit, lambda updated, value=arg.value: with_args(updated, [*updated.args, keyword("ckpt_path", value)]))
        up.mapped("T2L203", arg, f"Trainer({name}=...) -> trainer.fit(..., ckpt_path=...) at line {up.line(fits[0])}")


def _tuning(up: Upgrade, call: cst.Call, plan: _CallPlan) -> None:
    flags = {n: kwarg(call, n) for n in ("auto_lr_find", "auto_scale_batch_size") if kwarg(call, n) is not None}
    tunes = _trainer_variable_calls(up, call, "tune")
    for name, arg in flags.items():
        plan.replace[name] = []
        if not tunes:
            up.mapped("T2L211", arg, f"{name}= dropped: it did nothing without trainer.tune()")
    if not tunes:
        return
    trainer = up.assigned_name(call)
    for tune in tunes:
        statement = up.statement(tune)
        if not flags or trainer is None or not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            up.todo("T2L955", tune, "trainer.tune() was removed: use Tuner(trainer).lr_find / scale_batch_size")
            continue
        tuner = up.require_import("pl.tuner", "Tuner")
        args = ", ".join(code(a).rstrip(", ") for a in tune.args)
        lines = [f"tuner = {tuner}({trainer})\n"]
        if "auto_lr_find" in flags:
            value = literal(flags["auto_lr_find"].value)
            attr = f", attr_name={value!r}" if isinstance(value, str) else ""
            lines.append(f"tuner.lr_find({args}{attr})\n")
        if "auto_scale_batch_size" in flags:
            value = literal(flags["auto_scale_batch_size"].value)
            mode = f", mode={value!r}" if isinstance(value, str) else ""
            lines.append(f"tuner.scale_batch_size({args}{mode})\n")
        new = [cst.parse_statement(line) for line in lines]
        new[0] = new[0].with_changes(leading_lines=statement.leading_lines)
        up.edit(statement, lambda _updated, new=new: cst.FlattenSentinel(new))
        up.mapped("T2L216", tune, "trainer.tune() -> Tuner(trainer)." + " / ".join(
            m for m, f in (("lr_find", "auto_lr_find"), ("scale_batch_size", "auto_scale_batch_size")) if f in flags))


def _apply(up: Upgrade, call: cst.Call, plan: _CallPlan) -> None:
    callbacks = kwarg(call, "callbacks")
    if plan.callbacks and callbacks is not None and not isinstance(callbacks.value, cst.List):
        up.todo("T2L957", callbacks, f"add {', '.join(plan.callbacks)} to callbacks=")
        plan.callbacks = []
    elif plan.callbacks and callbacks is None and any(a.star == "**" for a in call.args):  # it may hold callbacks=
        up.todo("T2L957", call, f"add {', '.join(plan.callbacks)} to the callbacks this call's ** arguments may hold")
        plan.callbacks = []

    def change(updated: cst.Call) -> cst.Call:
        args: list[cst.Arg] = []
        kept = [a.keyword.value for a in updated.args if a.keyword is not None]  # a keyword replaced by others is
        present = {k for k in kept if k not in plan.replace or any(a.keyword.value == k for a in plan.replace[k])}  # gone
        for arg in updated.args:
            name = arg.keyword.value if arg.keyword is not None else None
            if name in plan.replace:
                args += [a for a in plan.replace[name] if a.keyword.value not in present or a.keyword.value == name]
                present |= {a.keyword.value for a in plan.replace[name]}
            elif name == "callbacks" and plan.callbacks and isinstance(arg.value, cst.List):
                extra = [cst.Element(cst.parse_expression(c)) for c in plan.callbacks]
                elements = list(arg.value.elements)
                if elements:
                    elements[-1] = elements[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                args.append(arg.with_changes(value=arg.value.with_changes(elements=[*elements, *extra])))
            else:
                args.append(arg)
        if plan.callbacks and "callbacks" not in present:
            args.append(keyword("callbacks", f"[{', '.join(plan.callbacks)}]"))
        return with_args(updated, args)

    up.edit(call, change)


def upgrade_method_keywords(up: Upgrade) -> None:
    """trainer.fit(train_dataloader=...) and friends (T2L225), also on a trainer `Trainer.from_argparse_args` built
    (which argparse_flags turns into a Trainer(...) call in this same pass)."""
    for call in [*up.trainer_calls(), *up.trainer_class_calls("from_argparse_args")]:
        for method, renames in table.METHOD_KEYWORDS.items():
            for target in _trainer_variable_calls(up, call, method):
                old = [a for a in target.args if a.keyword is not None and a.keyword.value in renames
                       and renames[a.keyword.value] != a.keyword.value]  # fmt: skip
                if not old:
                    continue
                up.edit(target, lambda updated, renames=renames: updated.with_changes(args=[
                    a.with_changes(keyword=cst.Name(renames[a.keyword.value]))
                    if a.keyword is not None and a.keyword.value in renames else a for a in updated.args]))
                for arg in old:
                    up.mapped("T2L225", arg, f"{method}({arg.keyword.value}=) -> {method}({renames[arg.keyword.value]}=)")


def _option_calls(up: Upgrade) -> list[cst.Call]:
        """`options = dict(gpus=2, ...)` and `options.update(gpus=2)` where `Trainer(**options)` is called in the
        same function: the keywords are Trainer flags, rewritten like the Trainer's own."""
        found: list[cst.Call] = []
        for trainer in up.trainer_calls():
            scope = up.scope_of(trainer)
            for arg in trainer.args:
                name = dotted(arg.value) if arg.star == "**" else None
                if name is None:
                    continue
                for call in up.nodes(cst.Call, scope):
                    if dotted(call.func) == "dict" and up.assigned_name(call) == name:
                        found.append(call)
                    elif isinstance(call.func, cst.Attribute) and call.func.attr.value == "update" and dotted(call.func.value) == name:
                        found.append(call)
        return list({id(c): c for c in found}.values())
