"""Counts the Lightning 1.x API a file still uses: the measure of `t2l upgrade` on real code.

Read with Python's own parser, so comments (a TODO comment quotes what it removed) and docstrings do not count:
removed Trainer flags (keywords of `Trainer(...)`, `Trainer.from_argparse_args(...)`, `dict(...)`, `.update(...)`,
and string keys of dict literals, so `Trainer(**options)` counts), hooks 2.x removed or no longer calls,
`optimizer_idx` parameters, imports of modules or helpers that moved or went away, and the removed argparse
helpers (`add_argparse_args`, `from_argparse_args`, `parse_argparser`) on any class.
"""

from __future__ import annotations

import ast
import re
from collections import Counter

CODES = {
    "T2L959": "1.x API left that no rule rewrote (the counter still finds it): marked, never 'already 2.x'",
}

TRAINER_FLAGS = (
    "gpus", "tpu_cores", "num_processes", "auto_select_gpus", "resume_from_checkpoint", "progress_bar_refresh_rate",
    "checkpoint_callback", "weights_summary", "terminate_on_nan", "reload_dataloaders_every_epoch",
    "weights_save_path", "track_grad_norm", "auto_lr_find", "auto_scale_batch_size", "distributed_backend",
    "replace_sampler_ddp", "stochastic_weight_avg", "amp_backend", "amp_level", "flush_logs_every_n_steps",
    "prepare_data_per_node", "ipus", "truncated_bptt_steps", "move_metrics_to_cpu", "multiple_trainloader_mode",
    "log_gpu_memory", "process_position",
)  # fmt: skip
HOOKS = (
    "training_epoch_end", "validation_epoch_end", "test_epoch_end", "training_step_end", "validation_step_end",
    "test_step_end", "on_epoch_start", "on_epoch_end", "on_pretrain_routine_start", "on_pretrain_routine_end",
    "on_batch_start", "on_batch_end", "on_train_batch_end_dataloader_idx",
)  # fmt: skip
MODULES = (
    "pytorch_lightning.metrics", "pytorch_lightning.core.lightning", "pytorch_lightning.callbacks.base",
    "pytorch_lightning.profiler", "pytorch_lightning.loggers.base", "pytorch_lightning.utilities.cli",
    "pytorch_lightning.lite", "pytorch_lightning.core.memory", "pytorch_lightning.plugins.training_type",
)  # fmt: skip
NAMES = {"_module_available", "LightningLite", "ProgressBarBase", "LightningLoggerBase", "MODEL_REGISTRY",
         "DATAMODULE_REGISTRY", "CALLBACK_REGISTRY", "OPTIMIZER_REGISTRY", "LR_SCHEDULER_REGISTRY", "LOGGER_REGISTRY"}
# (helpers and classes that moved, were renamed or went away)
ARGPARSE = {"add_argparse_args", "from_argparse_args", "parse_argparser"}


def count(source: str) -> Counter:
    """1.x uses by kind, in code (comments and strings excluded)."""
    return Counter(kind for _, kind, _ in uses(source))


def uses(source: str, tree: ast.Module | None = None) -> list[tuple[int, str, str]]:
    """(line, kind, what) of each 1.x use, read with Python's own parser (`tree`: the source's, when parsed)."""
    if "lightning" not in source or not _mentions(source):
        return []
    try:
        tree = tree or ast.parse(source)
    except SyntaxError:
        return []
    found: list[tuple[int, str, str]] = []
    nodes = list(ast.walk(tree))  # one walk; the passes below go over the list
    classes = [n for n in nodes if isinstance(n, ast.ClassDef)]
    foreign = {a.asname or a.name for node in nodes if isinstance(node, ast.ImportFrom)
               and "lightning" not in (node.module or "") for a in node.names}  # a Trainer of another package
    trainer_inits = {id(call) for cls in classes if _trainer_subclass(cls, foreign)
                     for call in ast.walk(cls) if isinstance(call, ast.Call) and dotted_name(call.func) == "super().__init__"}
    own = {f"{c.name}.{f.name}" for c in classes  # a class's own helper (a model's add_argparse_args)
           for f in c.body if isinstance(f, ast.FunctionDef) and f.name in ARGPARSE}
    for node in nodes:
        if isinstance(node, ast.Call):
            name = dotted_name(node.func)
            trainer = name.split(".")[-1] == "Trainer" and name not in foreign
            if trainer or name.split(".")[-1] == "dict" or id(node) in trainer_inits \
                    or name.endswith((".update", "Trainer.from_argparse_args")):
                found += [(node.lineno, "Trainer flags", k.arg) for k in node.keywords if k.arg in TRAINER_FLAGS]
            if name.split(".")[-1] in ARGPARSE and name not in own:
                found.append((node.lineno, "argparse helpers", name))
            if isinstance(node.func, ast.Attribute) and node.func.attr in HOOKS:  # super().training_epoch_end(...)
                if not any(part.startswith("_") for part in name.split(".")[:-1]):  # 2.x's own `_logger_connector`
                    found.append((node.lineno, "hooks", name))
        elif isinstance(node, (ast.List, ast.Tuple)):  # command lines written in code: ["fit", "--trainer.gpus=2"]
            found += [(e.lineno, "Trainer flags", e.value) for e in node.elts if isinstance(e, ast.Constant)
                      and cli_flag(e.value)[0] in TRAINER_FLAGS]  # fmt: skip
        elif isinstance(node, ast.Dict):
            found += [(node.lineno, "Trainer flags", k.value) for k in node.keys
                      if isinstance(k, ast.Constant) and k.value in DICT_FLAGS]  # fmt: skip
        elif isinstance(node, ast.ClassDef) and node.bases:  # a hook is a method of a subclass (not 2.x's own
            found += [(f.lineno, "hooks", f.name) for f in node.body  # plain `_LoggerConnector.on_epoch_end`)
                      if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.name in HOOKS]  # fmt: skip
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            if node.name in OPTIMIZER_IDX_HOOKS and any(a.arg == "optimizer_idx" for a in arguments):
                found.append((node.lineno, "optimizer_idx", node.name))
        elif isinstance(node, ast.ImportFrom) and node.module:
            if any(node.module == m or node.module.startswith(m + ".") for m in MODULES):
                found.append((node.lineno, "moved imports", node.module))
            found += [(node.lineno, "moved imports", a.name) for a in node.names if a.name in NAMES]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, "moved imports", a.name) for a in node.names
                      if any(a.name == m or a.name.startswith(m + ".") for m in MODULES)]  # fmt: skip
    return sorted(found)


# Any word a 1.x use must contain: text without one holds none (no parse needed, most upgraded files).
# Lightning methods 1.x called with an optimizer_idx (a loss module's own `forward(..., optimizer_idx)` is not 1.x API)
OPTIMIZER_IDX_HOOKS = frozenset({"training_step", "optimizer_step", "optimizer_zero_grad", "backward", "toggle_optimizer",
                                 "on_before_optimizer_step", "configure_gradient_clipping", "lr_scheduler_step"})  # fmt: skip
_WORDS = frozenset({*TRAINER_FLAGS, *HOOKS, *NAMES, *ARGPARSE, "optimizer_idx"})


def _mentions(text: str) -> bool:
    """A cheap pre-check before parsing: a word of a 1.x use outside comments (TODO comments quote removed flags)."""
    code_only = re.sub(r"#[^\n]*", "", text)
    return any(m in code_only for m in MODULES) or not _WORDS.isdisjoint(re.findall(r"\w+", code_only))
DICT_FLAGS = {"gpus", "tpu_cores", "num_processes", "auto_lr_find", "auto_scale_batch_size", "resume_from_checkpoint",
              "weights_save_path", "amp_backend", "distributed_backend", "progress_bar_refresh_rate"}  # fmt: skip


HYDRA_OVERRIDE = re.compile(r"\+{0,2}trainer\.(\w+)=(.*)", re.S)


def cli_flag(value: object) -> tuple[str | None, str]:
    """`"--trainer.gpus=2"` (LightningCLI) or `"trainer.gpus=2"`, `"++trainer.gpus=2"` (Hydra overrides) ->
    ("gpus", "2"); (None, "") for anything else."""
    if not isinstance(value, str):
        return None, ""
    if value.startswith("--trainer."):
        flag, _, setting = value[len("--trainer.") :].partition("=")
        return flag, setting
    hydra = HYDRA_OVERRIDE.fullmatch(value)
    return (hydra[1], hydra[2]) if hydra else (None, "")


def _trainer_subclass(cls: ast.ClassDef, foreign: set[str]) -> bool:
    return any(dotted_name(b).split(".")[-1] == "Trainer" and dotted_name(b) not in foreign for b in cls.bases)


def dotted_name(node: ast.AST) -> str:
    """`a.b.c` for Python's tree (`super().x` too); "" for anything else (names.dotted is libcst's)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super":
        return "super()"
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted_name(node.value)}.{node.attr}"
    return ""


def leftovers(source: str, output: str, report, tree: ast.Module | None = None) -> dict[int, list[str]]:
    """The TODO comment for each line of `output` with a 1.x use no rule rewrote or marked (T2L959), so that a file
    holding 1.x API is never reported 'already 2.x'. Reported at the input's line (matched by kind and name, in
    order). `tree`: the output's, when parsed."""
    left = uses(output, tree)
    if not left:
        return {}
    lines = output.splitlines(keepends=True)
    at_input: dict[tuple[str, str], list[int]] = {}
    for line, kind, what in uses(source):
        at_input.setdefault((kind, what), []).append(line)
    marks: dict[int, list[str]] = {}
    for line, kind, what in left:
        inputs = at_input.get((kind, what))
        near = lines[line - 1] + (lines[line - 2] if line >= 2 else "")
        if "TODO(t2l)" in near and "T2L959" not in near:
            continue  # the rule that met it marked it already
        report.add("T2L959", inputs.pop(0) if inputs else line, f"{kind} left as 1.x: {what}; see the 2.x upgrade guide")
        if "T2L959" not in near:
            marks.setdefault(line, []).append(f"{kind}: {what}")
    return {line: [f"# TODO(t2l): T2L959 1.x API t2l does not rewrite here ({'; '.join(found)})"]
            for line, found in marks.items()}
